"""Shared fixtures: examples rendered once per test session, an emblem image, helpers."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from docgen import api
from docgen.data import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MM = 72 / 25.4          # points per millimetre


def squash(text: str) -> str:
    """Text with all whitespace and ZWSP removed (justification adds spaces in extraction)."""
    return "".join(text.replace("\u200b", "").split())


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def emblem_png(tmp_path_factory) -> Path:
    """A stand-in emblem image (NOT the Garuda: none is redistributable), 300×353 px."""
    from PIL import Image, ImageDraw
    path = tmp_path_factory.mktemp("emblem") / "emblem.png"
    img = Image.new("RGB", (300, 353), "white")
    ImageDraw.Draw(img).ellipse((10, 10, 290, 343), fill=(40, 40, 40))
    img.save(path)
    return path


@pytest.fixture(scope="session")
def pdf_examples(tmp_path_factory):
    """{example stem: (ComposedLetter, pdf path)} for every bundled example."""
    out = tmp_path_factory.mktemp("pdf")
    result = {}
    for src in EXAMPLES:
        r = api.render_file(src, out, formats=("pdf",))
        result[src.stem] = (r.composed, r.paths["pdf"])
    return result


def write_letter(tmp_path: Path, text: str, name: str = "letter.yaml") -> Path:
    """A letter file beside a copy of the example profiles (so `profile:` resolves)."""
    profiles = tmp_path / "profiles"
    if not profiles.exists():
        shutil.copytree(ROOT / "examples" / "profiles", profiles)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
