"""Threads (issue 9): renders from several threads give the bytes a sequential render gives, and
threads issuing through one shared docgen.Register get distinct, consecutive numbers.

Without a lock this is not so: 8 threads rendering at once in a fresh process crashed it
(segmentation fault, bus error, Pango's ``ensure_families`` assertion) or hung it, about half
the time, and once gave different bytes; WeasyPrint's Pango/fontconfig/GLib are not
thread-safe.  docgen.api.RENDER_LOCK serialises renders (docs/api.md "Threads").

What may differ between two renders of the same letter, thread or no thread, is the time of
the render, and only there: in the PDF the attached letter.json's /CreationDate and /ModDate
and the trailer /ID (pydyf makes it from the file's bytes), in the DOCX docProps/core.xml's
dcterms:created/modified and the zip members' timestamps.  ``normal_pdf`` / ``normal_docx``
blank exactly those; everything else is compared byte for byte.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor

import yaml

import docgen
from docgen.data import EXAMPLES_DIR
from docgen.thai.digits import to_thai_digits

from .test_docx import docx_text

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))
TODAY = dt.date(2026, 11, 30)
THREADS = 8


def normal_pdf(data: bytes) -> bytes:
    """The PDF with its render time blanked (same length: the offsets stay valid)."""
    data = re.sub(rb"D:\d{14}Z", b"D:00000000000000Z", data)
    blank = b"/ID [(" + b"0" * 32 + b") (" + b"0" * 32 + b")]"
    data, n = re.subn(rb"/ID \[\([0-9a-f]{32}\) \([0-9a-f]{32}\)\]", blank, data)
    assert n == 1, "a PDF has one trailer /ID"
    return data


def normal_docx(data: bytes) -> list[tuple[str, bytes]]:
    """The DOCX's parts in order, by name, with core.xml's created/modified blanked."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            body = z.read(info)
            if info.filename == "docProps/core.xml":
                body, n = re.subn(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"T", body)
                assert n == 2
            parts.append((info.filename, body))
    return parts


def _same(a: docgen.Rendered, b: docgen.Rendered) -> bool:
    return normal_pdf(a.pdf) == normal_pdf(b.pdf) and normal_docx(a.docx) == normal_docx(b.docx)


def test_the_normalisation_hides_only_the_render_time():
    one = docgen.render(EXAMPLES[1], today=TODAY)
    other = docgen.render(EXAMPLES[2], today=TODAY)
    assert _same(one, docgen.render(EXAMPLES[1], today=TODAY))
    assert normal_pdf(one.pdf) != normal_pdf(other.pdf) and normal_docx(one.docx) != normal_docx(other.docx)


def test_renders_in_8_threads_are_the_sequential_renders():
    sequential = {path.name: docgen.render(path, today=TODAY) for path in EXAMPLES}
    work = [EXAMPLES[i::THREADS] for i in range(THREADS)]     # every example, each thread its share
    start = threading.Barrier(THREADS)

    def render(paths):
        start.wait(timeout=60)                  # all eight start together
        return [(path.name, docgen.render(path, today=TODAY)) for path in paths]

    with ThreadPoolExecutor(THREADS) as pool:
        results = [r for batch in pool.map(render, work) for r in batch]
    assert len(results) == len(EXAMPLES) and {name for name, _ in results} == {p.name for p in EXAMPLES}
    assert [name for name, out in results if not _same(out, sequential[name])] == []


COLD = r"""
import datetime as dt, hashlib, json, sys, threading
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, sys.argv[1])
import docgen
from tests.test_threads import EXAMPLES, TODAY, normal_docx, normal_pdf
def digest(out):
    return [hashlib.sha256(normal_pdf(out.pdf)).hexdigest(),
            hashlib.sha256(b"".join(n.encode() + b for n, b in normal_docx(out.docx))).hexdigest()]
start = threading.Barrier(8)
def render(path):
    start.wait()
    return path.name, digest(docgen.render(path, today=TODAY))
jobs = [EXAMPLES[i % len(EXAMPLES)] for i in range(8)]
with ThreadPoolExecutor(8) as pool:
    threaded = list(pool.map(render, jobs))
sequential = {p.name: digest(docgen.render(p, today=TODAY)) for p in EXAMPLES}
print(json.dumps({"threaded": threaded, "sequential": sequential}))
"""


def test_a_fresh_process_rendering_in_8_threads_at_once():
    """The case that crashed without the lock: nothing loaded yet, eight first renders at once."""
    from docgen.data import ROOT
    import json
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", COLD, str(ROOT)], capture_output=True,
                              text=True, timeout=300, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "CRITICAL" not in proc.stderr, proc.stderr[-2000:]        # GLib's complaints
        got = json.loads(proc.stdout)
        assert len(got["threaded"]) == 8
        for name, digest in got["threaded"]:
            assert digest == got["sequential"][name], name


# ---------------------------------------------------------------- one register, many threads

PROFILE = yaml.safe_load((EXAMPLES_DIR / "profiles" / "opdc.yaml").read_text(encoding="utf-8"))


def _letter(i: int) -> dict:
    return {"type": "external", "subject": f"เรื่องที่ {i} ของการทดสอบหลายเธรด",
            "to": "ปลัดกระทรวงการคลัง", "body": [f"ข้อความของหนังสือฉบับที่ {i}"],
            "purpose": "โปรดพิจารณา"}


def test_8_threads_issuing_through_one_register(raw_db_url, tmp_path):
    reg = docgen.Register.init(raw_db_url, prefix="นร 1200")
    start = threading.Barrier(THREADS)

    def issue(i):
        start.wait(timeout=60)
        return i, reg.issue(_letter(i), PROFILE, out=tmp_path / "out", formats=("docx",),
                            name=f"t{i}")

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            done = list(pool.map(issue, range(THREADS)))
        numbers = sorted(r.number for _, r in done)
        assert numbers == list(range(1, THREADS + 1))
        assert {r.outcome for _, r in done} == {"issued"}
        for i, r in done:                       # each letter printed with its own number
            text = docx_text(r.paths["docx"])
            assert r.ref_text in text and f"ข้อความของหนังสือฉบับที่ {to_thai_digits(str(i))}" in text
            assert r.paths["docx"].name.startswith(f"นร1200-{r.number}-")
        rows = reg.entries()
        assert [e.number for e in rows] == list(range(1, THREADS + 1))
        assert {e.status for e in rows} == {"issued"}
    finally:
        reg.close()
