"""Render stage: one module per output format, each ``render_<fmt>(composed, target)``.

Renderers place the composed strings; they never change them.  Both read page
geometry from ``composed.geometry`` (data/layout.yaml + profile overrides).
"""
from __future__ import annotations


def get(fmt: str):
    """The renderer function for a format (imported lazily: WeasyPrint is slow to import)."""
    if fmt == "pdf":
        from .pdf import render_pdf
        return render_pdf
    if fmt == "docx":
        from .docx import render_docx
        return render_docx
    raise ValueError(f"unknown format {fmt!r}; use pdf or docx")
