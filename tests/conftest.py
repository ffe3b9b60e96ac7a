"""Shared fixtures: examples rendered once per test session, an emblem image, helpers."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# The tests read messages in both languages (the default), whatever this machine's locale says;
# tests of the language choice set it themselves (docgen.i18n).
os.environ["DOCGEN_LANG"] = "both"

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


def spans(page):
    """Non-empty text spans of a PyMuPDF page (text, bbox in pt, size, colour)."""
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if span["text"].strip():
                    yield span


def assert_markers_match_next_page(path: Path, geo: dict) -> int:
    """Every page but the last ends with "/<words>..." at the bottom right, and the words are
    what the next page's text area starts with.  Returns the number of markers checked."""
    import pymupdf
    doc = pymupdf.open(path)
    top, bottom = geo["margin"]["top"] * MM, (geo["page"]["height"] - geo["margin"]["bottom"]) * MM

    def first_lines(page):
        lines = []
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(s["text"] for s in line["spans"])
                if text.strip() and top - 1 <= line["bbox"][1] <= bottom:
                    lines.append((line["bbox"][1], line["bbox"][0], text))
        return [t for _, _, t in sorted(lines)]

    checked = 0
    for i, page in enumerate(doc):
        foot = [s for s in spans(page) if s["bbox"][1] >= bottom - 1 and s["text"].startswith("/")]
        if i == doc.page_count - 1:
            assert not foot, f"{path.name}: a marker on the last page"
            continue
        assert len(foot) == 1, f"{path.name} page {i + 1}: {foot}"
        marker = foot[0]["text"].strip()
        assert marker.endswith("...") and len(squash(marker)) > len("/...") + 3, marker
        assert abs(foot[0]["bbox"][2] - (geo["page"]["width"] - geo["margin"]["right"]) * MM) < 2
        next_start = squash("".join(first_lines(doc[i + 1])[:2]))
        assert next_start.startswith(squash(marker[1:-3])), (path.name, marker, next_start[:40])
        checked += 1
    return checked


# the register fixtures (every backend) for every test module, not only those importing them
from tests.test_register_support import db_url, engine, pg_database, raw_db_url  # noqa: E402,F401


@pytest.fixture()
def nowhere(tmp_path, monkeypatch):
    """A working folder where no register is configured (no environment, no docgen.toml)."""
    monkeypatch.delenv("DOCGEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("DOCGEN_DATABASE_SCHEMA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def kill_mid_batch(cmd, cwd, env, out: Path, after: int) -> int:
    """Start a batch (its own process group), SIGKILL the whole group once ``after`` PDFs are
    in ``out`` (or after 120 s), and return how many PDFs it had written."""
    import signal
    import time
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < after:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return len(list(out.glob("*.pdf")))


def libreoffice_to_pdf(docs: list[Path], work: Path, timeout: int = 180) -> Path:
    """Convert DOCX files to PDF in ONE LibreOffice call (its own profile), TH SarabunPSK made
    visible through fontconfig (no font installed on the machine); the PDFs' folder.  Skips
    the test when LibreOffice is not installed."""
    import os
    import shutil
    import subprocess
    import uuid

    from docgen.data import FONTS_DIR
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    conf = work / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{FONTS_DIR}</dir>
  <cachedir>{work / "fccache"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    out = work / "pdf"
    profile = (work / f"profile-{uuid.uuid4().hex}").as_uri()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, docs)],
                   check=True, capture_output=True, timeout=timeout,
                   env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    return out
