"""docgen's WeasyPrint adaptation (docgen/render/weasy_adapt.py) stays inside docgen's renders,
and each of its patches is needed: removing it changes what a docgen render produces."""
from __future__ import annotations

import subprocess
import sys
import zlib

import pymupdf as fitz
import pytest

from docgen import api
from docgen.render import pdf as pdf_render
from docgen.render import weasy_adapt

from .conftest import EXAMPLES, MM, ROOT

THREE_PAGES = ROOT / "examples" / "06_three_pages.yaml"

# plain HTML an application might print itself: justified text with ZWSP (which docgen's
# patch would stretch), margin boxes, and enough content that deflate levels differ
PLAIN_HTML = """<html><head><title>invoice</title>
<meta name="dcterms.created" content="2020-01-01T00:00:00Z">
<meta name="dcterms.modified" content="2020-01-01T00:00:00Z">
<style>@page { size: A5; @bottom-right { content: "p" counter(page) } }
p { text-align: justify; width: 6cm }</style></head><body>
""" + "".join(f"<p>Line {i} alpha\u200bbeta\u200bgamma delta epsilon zeta eta theta iota kappa "
              f"lambda\u200bmu\u200bnu xi omicron pi rho sigma tau {i}</p>" for i in range(60)) + \
    "</body></html>"

SCOPE_SCRIPT = f"""
import hashlib, sys, tempfile, pathlib
import weasyprint
HTML = {PLAIN_HTML!r}
def plain():
    return weasyprint.HTML(string=HTML).write_pdf()
before = plain()
assert "docgen" not in sys.modules
from docgen import api
from docgen.render import weasy_adapt
composed, _ = api.compose_file({str(THREE_PAGES)!r})
api.render(composed, pathlib.Path(tempfile.mkdtemp()), "x", ("pdf",))
after = plain()
with weasy_adapt.active():
    inside = plain()
again = plain()
print(hashlib.sha256(before).hexdigest(), hashlib.sha256(after).hexdigest(),
      hashlib.sha256(inside).hexdigest(), hashlib.sha256(again).hexdigest())
"""


def test_weasyprint_outside_a_docgen_render_is_as_shipped():
    """Plain WeasyPrint before docgen is imported, and after docgen has rendered a letter in
    the same (fresh) process: identical bytes.  The same HTML inside ``active()`` differs, so
    the comparison would see a leaked patch."""
    proc = subprocess.run([sys.executable, "-c", SCOPE_SCRIPT], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    before, after, inside, again = proc.stdout.split()
    assert after == before
    assert again == before
    assert inside != before                  # the patches do act, but only when switched on


def test_plain_output_is_deterministic():
    """(what the scope test relies on: fixed metadata gives the same bytes run to run)"""
    import weasyprint
    assert weasyprint.HTML(string=PLAIN_HTML).write_pdf() == \
        weasyprint.HTML(string=PLAIN_HTML).write_pdf()


def test_active_is_per_render_and_per_thread():
    import threading
    weasy_adapt.install()
    assert not weasy_adapt.is_active()
    seen = []
    with weasy_adapt.active():
        t = threading.Thread(target=lambda: seen.append(weasy_adapt.is_active()))
        t.start()
        t.join()
        assert weasy_adapt.is_active()
    assert seen == [False] and not weasy_adapt.is_active()
    composed, _ = api.compose_file(EXAMPLES[0])
    pdf_render.layout(composed)
    assert not weasy_adapt.is_active()


def test_no_source_is_exec_d():
    src = (ROOT / "docgen" / "render" / "weasy_adapt.py").read_text(encoding="utf-8")
    assert "exec(" not in src and "compile(" not in src


def test_version_guard_refuses_another_weasyprint(monkeypatch):
    import weasyprint
    weasy_adapt.check_version()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(weasy_adapt.WeasyPrintVersionError):
        weasy_adapt.check_version()


# ---- each patch is needed: remove one, render, and what it provides is gone ----------

def _unpatch(monkeypatch, name):
    """Put the shipped WeasyPrint/pydyf object back for one patch (monkeypatch undoes it)."""
    import pydyf
    import weasyprint.layout as wlayout
    from weasyprint.layout import inline
    weasy_adapt.install()
    if name == "cluster-spacing":
        from weasyprint.draw import text as draw_text
        monkeypatch.setattr(inline, "add_word_spacing", weasy_adapt._ORIGINAL_ADD_WORD_SPACING)
        monkeypatch.setattr(draw_text, "draw_first_line", weasy_adapt._ORIGINAL_DRAW_FIRST_LINE)
    elif name == "cluster-count":
        monkeypatch.setattr(inline, "count_expandable_spaces", weasy_adapt._ORIGINAL_COUNT)
    elif name == "markers":
        monkeypatch.setattr(wlayout, "make_all_pages", weasy_adapt._ORIGINAL_MAKE_ALL_PAGES)
        monkeypatch.setattr(wlayout, "make_margin_boxes", weasy_adapt._ORIGINAL_MAKE_MARGIN_BOXES)
    elif name == "deflate":
        monkeypatch.setattr(pydyf, "zlib", weasy_adapt._ORIGINAL_ZLIB)
    elif name != "none":
        raise AssertionError(name)


def _render(tmp_path, example=THREE_PAGES):
    composed, _ = api.compose_file(example)
    target = tmp_path / "letter.pdf"
    pdf_render.render_pdf(composed, target)
    return composed, target


def _justified_lines(tmp_path) -> int:
    """Body lines whose last glyph reaches the right text margin (within 1 pt)."""
    composed, target = _render(tmp_path)
    g = composed.geometry
    right = (g["page"]["width"] - g["margin"]["right"]) * MM
    n = 0
    for page in fitz.open(target):
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                xs = [c["bbox"][2] for s in line["spans"] for c in s["chars"]
                      if not c["c"].isspace() and c["c"] != "\u200b"]
                if xs and abs(max(xs) - right) < 1.0:
                    n += 1
    return n


@pytest.mark.parametrize("removed", ["cluster-spacing", "cluster-count"])
def test_thai_justification_needs_both_cluster_patches(tmp_path, monkeypatch, removed):
    """Justified Thai lines reach the right margin only when WeasyPrint both counts the line's
    grapheme clusters as justification opportunities (count_expandable_spaces) and spreads the
    extra width over them (add_word_spacing, and draw_first_line drawing it where it was laid out)."""
    with_patch = _justified_lines(tmp_path / "with")
    assert with_patch >= 20
    _unpatch(monkeypatch, removed)
    assert _justified_lines(tmp_path / "without") <= with_patch // 2


def test_continuation_markers_need_the_layout_hook(tmp_path, monkeypatch):
    composed, _ = api.compose_file(THREE_PAGES)
    _, markers = pdf_render.layout(composed)
    assert markers and all(m.startswith("/") and m.endswith("...") for m in markers.values())
    _, target = _render(tmp_path / "with")
    printed = [s for p in fitz.open(target) for s in p.get_text().split() if s.endswith("...")]
    assert printed
    _unpatch(monkeypatch, "markers")
    _, markers = pdf_render.layout(composed)
    assert markers == {}
    _, target = _render(tmp_path / "without")
    assert not [s for p in fitz.open(target) for s in p.get_text().split() if s.endswith("...")]


def _stream_headers(target) -> set[bytes]:
    import pikepdf
    out = set()
    with pikepdf.open(target) as pdf:
        for page in pdf.pages:
            out.add(page.Contents.read_raw_bytes()[:2])
            assert zlib.decompress(page.Contents.read_raw_bytes())     # still inflates
    return out


def test_deflate_level_6_needs_the_zlib_patch(tmp_path, monkeypatch):
    _, target = _render(tmp_path / "with", EXAMPLES[0])
    assert _stream_headers(target) == {b"\x78\x9c"}         # zlib header of level 6
    _unpatch(monkeypatch, "deflate")
    _, target = _render(tmp_path / "without", EXAMPLES[0])
    assert _stream_headers(target) == {b"\x78\xda"}         # pydyf's own level 9


def test_no_programs_at_start_up_patch_is_exercised():
    """The soname patch's behaviour test is tests/test_hostile_render.py::
    test_a_render_execs_nothing_under_strace; here: it is what that fresh process uses."""
    code = ("import ctypes.util, subprocess\n"
            "calls = []\n"
            "orig = ctypes.util.find_library\n"
            "ctypes.util.find_library = lambda n: calls.append(n) or orig(n)\n"
            "import docgen.render.weasy_adapt\n"
            "print(len(calls))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0"]        # find_library (which runs ldconfig/gcc) never reached


def test_compiled_docx_path_refuses_another_docxtpl(monkeypatch):
    """The compiled DOCX path re-implements docxtpl 0.20.2 (tests/test_docx.py checks it prints
    the same); another docxtpl is refused with a clear error, as another WeasyPrint is."""
    import docxtpl

    from docgen.render import docx as r
    r.check_docxtpl_version()
    monkeypatch.setattr(docxtpl, "__version__", "0.21.0")
    r._compiled.cache_clear()
    composed, _ = api.compose_file(EXAMPLES[0])
    with pytest.raises(r.DocxtplVersionError, match="0.20.2"):
        r.render_docx(composed, ROOT / "never-written.docx")
    assert not (ROOT / "never-written.docx").exists()
