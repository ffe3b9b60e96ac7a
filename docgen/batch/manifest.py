"""manifest.csv and manifest.json of a batch: one row per recipient, written atomically.

Each row's ``warnings`` (what validating its letter reported: a recipient that begins with a
listed position, a long subject, …) are a list of {field, code, severity, th, en} in the JSON
and one cell ``field: Thai — English; …`` in the CSV.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..output import atomic_write, spreadsheet_safe

COLUMNS = ["row", "recipient", "agency", "ref", "number", "date", "pdf", "pdf_sha256",
           "docx", "docx_sha256", "status", "error", "warnings"]


def warnings_text(warnings) -> str:
    """A row's warnings as one CSV cell.

    >>> warnings_text([{"field": "subject", "th": "ยาว", "en": "long"}, {"field": "to", "th": "ก", "en": "a"}])
    'subject: ยาว — long; to: ก — a'
    """
    return "; ".join(f"{w['field']}: {w['th']} — {w['en']}" for w in warnings or ())


def _cell(r: dict, c: str):
    if c == "warnings":
        return warnings_text(r.get(c))
    return "" if r.get(c) is None else r.get(c)


def write(out_dir: Path, meta: dict, rows: list[dict]) -> tuple[Path, Path]:
    rows = sorted(rows, key=lambda r: (r.get("row") or 0, r.get("recipient") or ""))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([spreadsheet_safe(_cell(r, c)) for c in COLUMNS])
    csv_path, json_path = out_dir / "manifest.csv", out_dir / "manifest.json"
    atomic_write(csv_path, buf.getvalue().encode("utf-8-sig"))
    letters = [{**r, "warnings": list(r.get("warnings") or ())} for r in rows]
    atomic_write(json_path, json.dumps({**meta, "letters": letters}, ensure_ascii=False, indent=1).encode())
    return csv_path, json_path
