"""Pagination and page furniture (issue 11; docs/decisions.md "Pagination", "Page numbers").

* The closing blocks after the body (signature, sign-off, seal, date on the signature axis,
  photo, contact block, สำเนาส่ง, an inline distribution list) are never split across pages
  and never alone on one: the page that holds them holds at least two lines of body text.
* A page number never overlaps the secrecy mark: on a letter with one it sits at
  ``page_number.top_with_secrecy``, below the mark.

A stress series of one letter (examples/01 with a secrecy mark) at 40 body lengths (1 to 4
pages) in the PDF; a handful of them through the DOCX and LibreOffice; and every document
type's example with a long body.
"""
from __future__ import annotations

import copy
import re

import docx
import pymupdf
import pytest
import yaml

from docgen import api
from docgen.render import docx_layout

from .conftest import EXAMPLES, MM, libreoffice_to_pdf, squash, write_letter

BY_STEM = {p.stem: p for p in EXAMPLES}
# the kinds page.html groups after the body (its `tail_kinds`)
TAIL_KINDS = ("signature", "sign_off", "seal", "date_line", "photo", "contact", "labeled", "distribution")
LENGTHS = range(1, 41)
LO_LENGTHS = (4, 6, 14, 19, 25, 33, 38)     # through the DOCX and LibreOffice (one soffice call)
STEP = 215                                  # body characters added per step of the series


def _pool() -> list[str]:
    """Body paragraphs (plain strings) from examples 01 and 06, in order."""
    out = []
    for stem in ("01_external_references", "06_three_pages"):
        for p in yaml.safe_load(BY_STEM[stem].read_text(encoding="utf-8"))["body"]:
            if isinstance(p, str):
                out.append(p)
    return out


def stress_letter(n: int) -> dict:
    """examples/01 (no references or enclosures) with `secrecy: ลับ` and a body of about n × STEP characters: whole pool
    paragraphs, the last one cut at a space."""
    letter = yaml.safe_load(BY_STEM["01_external_references"].read_text(encoding="utf-8"))
    letter["secrecy"] = "ลับ"
    del letter["references"], letter["enclosures"]       # room for a one-page letter
    pool, body, left, i = _pool(), [], n * STEP, 0
    while left > 0:
        p = pool[i % len(pool)]
        i += 1
        if len(p) > left:
            cut = p.rfind(" ", 0, max(left, 40))
            p = p[:cut if cut > 20 else max(left, 40)]
        body.append(p)
        left -= len(p)
    letter["body"] = body
    return letter


def _render(tmp_path, letter: dict, name: str, formats=("pdf",)):
    src = write_letter(tmp_path, yaml.safe_dump(letter, allow_unicode=True, sort_keys=False), f"{name}.yaml")
    return api.render_file(src, tmp_path, formats=formats)


def tail_of(blocks) -> list:
    """The closing blocks after the body, as page.html groups them (an own-page distribution
    list is outside the group)."""
    blocks = list(blocks)
    while blocks and blocks[-1].kind == "distribution" and blocks[-1].own_page:
        blocks.pop()
    start = len(blocks)
    while start > 0 and blocks[start - 1].kind in TAIL_KINDS and not (
            blocks[start - 1].kind == "distribution" and blocks[start - 1].own_page):
        start -= 1
    return blocks[start:]


def page_lines(page, g) -> list[tuple[float, str]]:
    """(top in pt, squashed text) of each line of the text area, top to bottom: no secrecy
    mark, page number or continuation marker (they lie in the margins)."""
    top, bottom = g["margin"]["top"] * MM - 1, (g["page"]["height"] - g["margin"]["bottom"]) * MM + 1
    rows: dict[int, list] = {}
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            y0, y1 = line["bbox"][1], line["bbox"][3]
            mid = (y0 + y1) / 2
            if not (top <= mid <= bottom):
                continue
            text = "".join(s["text"] for s in line["spans"])
            if not squash(text):
                continue
            key = round(mid / 3)
            rows.setdefault(key, []).append((line["bbox"][0], y0, text))
    out = []
    for key in sorted(rows):
        parts = sorted(rows[key])
        out.append((min(p[1] for p in parts), squash(" ".join(p[2] for p in parts))))
    return out


def assert_tail_rule(path, composed, what: str, body_texts: list[str] | None = None) -> None:
    """The closing blocks all on one page, the last page, with ≥ 2 lines of text above them
    (body lines when `body_texts` is given)."""
    doc = pymupdf.open(path)
    g = composed.geometry
    tail = tail_of(composed.blocks)
    assert tail, what
    texts = [squash(t) for b in tail for t in b.texts() if t and squash(t)]
    assert texts, what
    pages = [squash(page.get_text()) for page in doc]
    first = texts[0]
    at = [i for i, p in enumerate(pages) if first in p]
    assert at, f"{what}: {first[:30]} printed nowhere"
    p = at[-1]
    own_page = any(b.kind == "distribution" and b.own_page for b in composed.blocks)
    if not own_page:
        assert p == doc.page_count - 1, f"{what}: the closing blocks end on page {p + 1} of {doc.page_count}"
    for t in texts:
        assert t in pages[p], f"{what}: {t[:30]!r} not on page {p + 1} with the rest of the closing blocks"
    if p == 0:
        return
    lines = page_lines(doc[p], g)
    # the closing blocks' first line: their first text, or its first line when it wraps (the
    # last such line: a body line may start with the same words)
    k = max(i for i, (_, line) in enumerate(lines) if line == first or (len(line) >= 6 and first.startswith(line)))
    above = [line for _, line in lines[:k]]
    if body_texts is not None:
        body = "".join(squash(t) for t in body_texts)
        above = [line for line in above if line in body]
    assert len(above) >= 2, f"{what}: page {p + 1} holds {len(above)} line(s) of text before the closing blocks"


def _ink_rows(page, clip, zoom: float = 3.0) -> tuple[list[int], list[int]]:
    """Rows (pixels from the clip's top) holding red ink and holding dark ink."""
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, alpha=False)
    data, n, w = pix.samples, pix.n, pix.width
    red, dark = set(), set()
    for y in range(pix.height):
        row = data[y * pix.stride:y * pix.stride + w * n]
        for x in range(0, w * n, n):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r > 150 and g < 110 and b < 110:
                red.add(y)
            elif r < 110 and g < 110 and b < 110:
                dark.add(y)
    return sorted(red), sorted(dark)


def assert_number_clear_of_mark(path, composed, what: str) -> list[float]:
    """On every page but the first: the page number's text box lies below the top secrecy
    mark's, and so does its ink (no pixel row holds both).  Returns the number's text box
    tops in mm."""
    doc = pymupdf.open(path)
    tops = []
    for i, page in enumerate(doc):
        if i == 0:
            continue
        head = page.get_text("dict", clip=pymupdf.Rect(0, 0, page.rect.width, composed.geometry["margin"]["top"] * MM))
        spans_ = [s for b in head["blocks"] for line in b.get("lines", []) for s in line["spans"] if s["text"].strip()]
        mark = [pymupdf.Rect(s["bbox"]) for s in spans_ if s["text"].strip() == composed.secrecy]
        number = [pymupdf.Rect(s["bbox"]) for s in spans_ if re.fullmatch(r"-\s*[๐-๙0-9]+\s*-", s["text"].strip())]
        assert mark and number, f"{what} page {i + 1}: mark {mark}, number {number}"
        clip = pymupdf.Rect(min(mark[0].x0, number[0].x0) - 2, 0, max(mark[0].x1, number[0].x1) + 2,
                            composed.geometry["margin"]["top"] * MM)
        assert number[0].y0 >= mark[0].y1, f"{what} page {i + 1}: the number's box {number[0]} " \
                                           f"overlaps the mark's {mark[0]}"
        red, dark = _ink_rows(page, clip)
        assert red and dark, f"{what} page {i + 1}: no ink (red {len(red)}, dark {len(dark)})"
        assert max(red) < min(dark), f"{what} page {i + 1}: the number's ink (from row {min(dark)}) " \
                                     f"reaches into the mark's (to row {max(red)})"
        tops.append(number[0].y0 / MM)
    return tops


# ---- the stress series (PDF) -----------------------------------------------------------

@pytest.fixture(scope="module")
def series(tmp_path_factory):
    out = tmp_path_factory.mktemp("series")
    result = {}
    for n in LENGTHS:
        formats = ("pdf", "docx") if n in LO_LENGTHS else ("pdf",)
        r = _render(out, stress_letter(n), f"s{n:02d}", formats)
        result[n] = r
    return result


def test_the_series_spans_one_to_four_pages(series):
    counts = [pymupdf.open(series[n].paths["pdf"]).page_count for n in LENGTHS]
    assert counts[0] == 1 and max(counts) == 4 and set(counts) == {1, 2, 3, 4}, counts


@pytest.mark.parametrize("n", LENGTHS)
def test_series_tail_kept_whole_with_two_body_lines(series, n):
    r = series[n]
    assert_tail_rule(r.paths["pdf"], r.composed, f"s{n:02d}", body_texts=[b.full_text for b in r.composed.body])


@pytest.mark.parametrize("n", LENGTHS)
def test_series_page_number_below_the_secrecy_mark(series, n):
    r = series[n]
    tops = assert_number_clear_of_mark(r.paths["pdf"], r.composed, f"s{n:02d}")
    g = r.composed.geometry
    for top in tops:        # the number's box starts near page_number.top_with_secrecy
        assert abs(top - g["page_number"]["top_with_secrecy"]) < 2, top


def test_without_secrecy_the_page_number_stays_at_page_number_top(tmp_path):
    letter = stress_letter(20)
    del letter["secrecy"]
    r = _render(tmp_path, letter, "plain")
    doc = pymupdf.open(r.paths["pdf"])
    g = r.composed.geometry
    number = next(s for b in doc[1].get_text("dict")["blocks"] for line in b.get("lines", [])
                  for s in line["spans"] if s["text"].strip() == "- ๒ -")
    assert abs(number["bbox"][1] / MM - g["page_number"]["top"]) < 2, number["bbox"]


# ---- the same letters through the DOCX and LibreOffice ---------------------------------

@pytest.fixture(scope="module")
def lo_series(series, tmp_path_factory):
    work = tmp_path_factory.mktemp("lo-series")
    out = libreoffice_to_pdf([series[n].paths["docx"] for n in LO_LENGTHS], work)
    return {n: out / f"s{n:02d}.pdf" for n in LO_LENGTHS}


def test_docx_page_number_below_the_secrecy_mark_in_libreoffice(series, lo_series):
    for n in LO_LENGTHS:
        r = series[n]
        if pymupdf.open(lo_series[n]).page_count < 2:
            continue
        lo = assert_number_clear_of_mark(lo_series[n], r.composed, f"s{n:02d} (LibreOffice)")
        ours = assert_number_clear_of_mark(r.paths["pdf"], r.composed, f"s{n:02d}")
        assert abs(lo[0] - ours[0]) < 1.5, (n, lo, ours)      # where the PDF puts it


# LibreOffice 7.4 does not always move a DOCX's whole keep-with-next chain (at the shortest
# stress length it leaves สำเนาส่ง alone on page 2; Word moves such a chain, and LibreOffice moves
# it in an ODT): the tail rule is checked on our PDF and as the DOCX's keep settings below, not
# on LibreOffice's pagination (docs/decisions.md "Pagination"; issue 11 stays open for it).


def test_docx_closing_blocks_are_one_keep_with_next_chain(series):
    """Every paragraph from the last two body paragraphs to the end keeps with the next one
    (Word moves such a chain whole), and each of the closing paragraphs keeps its lines."""
    for n in LO_LENGTHS:
        d = docx.Document(str(series[n].paths["docx"]))
        paras = [p for p in d.paragraphs if p.style.name.startswith("DG ")]
        names = [p.style.name for p in paras]
        closing = names.index("DG Closing")
        start = closing
        while start > 0 and paras[start - 1].style.paragraph_format.keep_with_next:
            start -= 1
        assert names[start] == "DG Body Keep", (n, names[start - 1:closing])
        for p in paras[closing:-1]:
            assert p.style.paragraph_format.keep_with_next, (n, p.style.name, p.text[:20])
        for p in paras[closing:]:
            if p.style.name.startswith(("DG Contact", "DG Closing", "DG Signature", "DG List", "DG Label")):
                assert p.style.paragraph_format.keep_together, (n, p.style.name)


def test_keep_styles_are_the_body_styles_kept_with_the_next():
    from docgen.geometry import build
    specs = docx_layout.paragraph_specs(build())
    for name in docx_layout.KEEP_TWINS:
        twin = specs[f"{name} Keep"]
        assert twin == {**specs[name], "keep_next": True}
        assert f"{name} Keep" in docx_layout.BODY_STYLES


# ---- every document type, with a long body ------------------------------------------

LONG_PART = {"regulation": "clauses", "bylaw": "clauses", "minutes": "agenda"}
TYPE_EXAMPLES = [p for p in EXAMPLES]


def _type_key(letter: dict) -> str:
    from docgen import data
    return data.doctype_key(letter["type"])


@pytest.fixture(scope="module")
def long_types(tmp_path_factory):
    out = tmp_path_factory.mktemp("long-types")
    result = {}
    for src in TYPE_EXAMPLES:
        letter = yaml.safe_load(src.read_text(encoding="utf-8"))
        part = LONG_PART.get(_type_key(letter), "body")
        value = letter[part] if isinstance(letter[part], list) else [letter[part]]
        for times in (3, 5):
            variant = {**letter, part: copy.deepcopy(value) * times}
            folder = out / f"{src.stem}-{times}"
            folder.mkdir()
            result[(src.stem, times)] = _render(folder, variant, src.stem)
    for src in TYPE_EXAMPLES:
        result[(src.stem, 1)] = api.render_file(src, out, formats=("pdf",))
    return result


@pytest.mark.parametrize("stem", [p.stem for p in TYPE_EXAMPLES])
@pytest.mark.parametrize("times", (1, 3, 5))
def test_every_type_keeps_its_closing_blocks_whole(long_types, stem, times):
    r = long_types[(stem, times)]
    assert_tail_rule(r.paths["pdf"], r.composed, f"{stem}×{times}")
    if r.composed.secrecy and pymupdf.open(r.paths["pdf"]).page_count > 1:
        assert_number_clear_of_mark(r.paths["pdf"], r.composed, f"{stem}×{times}")
