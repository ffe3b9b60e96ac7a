"""The twelve document types (data/doctypes.yaml), read from real output: every new type's
example renders to PDF and DOCX with its blocks in print order, its headings centred on the
text column (mm), a long one paginates with the page furniture, a field the type forbids is
refused by name, the secrecy and urgency marks print, the date phrase has Thai digits and the
B.E. year, a type declared in data alone renders, and the CLI takes every example.

Expected values come from the letter files and the declarations (through ``composed.blocks``,
which the renderers must print), or are written here from the regulation; never from the
rendered files themselves.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pikepdf
import pymupdf
import pytest
import yaml
from docx.text.paragraph import Paragraph as DocxParagraph

from docgen import api, cli, data, i18n

from .conftest import (EXAMPLES, MM, assert_markers_match_next_page, libreoffice_to_pdf, pdftotext, spans,
                       squash, write_letter)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TYPES = data.doctypes()
BY_STEM = {p.stem: p for p in EXAMPLES}


def _key_of(path: Path) -> str:
    return data.doctype_key(yaml.safe_load(path.read_text(encoding="utf-8"))["type"])


# the new types: one example each, 07 … 16; external and memo (01, 02) where cheap
NEW = {_key_of(p): p for p in EXAMPLES if 7 <= int(p.stem[:2]) <= 16}
OLD = {"external": BY_STEM["01_external_references"], "memo": BY_STEM["02_memo"]}
ALL = {**OLD, **NEW}
NEW_KEYS = sorted(NEW)
ALL_KEYS = list(OLD) + NEW_KEYS

SKIP_IN_FLOW = ("marks", "emblem")     # painted where the page puts them (header, band), not in the flow


def test_the_examples_are_one_per_new_type():
    assert len(NEW) == 10 == len([p for p in EXAMPLES if 7 <= int(p.stem[:2]) <= 16])
    assert set(NEW) | set(OLD) == set(TYPES), sorted(set(TYPES) ^ (set(NEW) | set(OLD)))


# ---- reading the files -----------------------------------------------------------------

def docx_flow(path: Path) -> list[str]:
    """The body's paragraphs and table cells' paragraphs, in document order (nested tables and
    content controls walked in place)."""
    d = docx.Document(str(path))
    out: list[str] = []

    def walk(el):
        for child in el:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                out.append(DocxParagraph(child, d).text)
            elif tag in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "txbxContent"):
                walk(child)
    walk(d.element.body)
    return out


def docx_all_text(path: Path) -> str:
    """The flow plus every header and footer (the secrecy mark lives there)."""
    d = docx.Document(str(path))
    out = docx_flow(path)
    for s in d.sections:
        for hf in (s.header, s.first_page_header, s.even_page_header,
                   s.footer, s.first_page_footer, s.even_page_footer):
            out += [p.text for p in hf.paragraphs]
            out += [c.text for t in hf.tables for row in t.rows for c in row.cells]
    return "\n".join(out)


def flow_texts(composed) -> list[tuple[str, str]]:
    """(block kind, text) of every block printed in the flow, in print order."""
    return [(b.kind, t) for b in composed.blocks if b.kind not in SKIP_IN_FLOW for t in b.texts() if t]


def assert_in_order(haystack: str, composed, where: str) -> None:
    text = squash(haystack)
    at = 0
    for kind, t in flow_texts(composed):
        needle = squash(t)
        found = text.find(needle, at)
        assert found >= 0, (f"{where}: {composed.doctype}: block {kind!r} text {t!r} not found "
                            f"after position {at}" + (" (it is earlier)" if needle in text else " (nowhere)"))
        at = found + len(needle)


def visual_lines(page) -> list[tuple[float, float, float, float, str]]:
    """The page's printed lines as (x0, y0, x1, y1, squashed text) from word boxes (pt):
    words on one baseline are one line, whatever PyMuPDF's blocks say."""
    rows: list[list] = []
    for x0, y0, x1, y1, word, *_ in sorted(page.get_text("words"), key=lambda w: (round(w[3], 1), w[0])):
        if rows and abs(rows[-1][3] - y1) < 1.0:
            r = rows[-1]
            r[0], r[1], r[2], r[3] = min(r[0], x0), min(r[1], y0), max(r[2], x1), max(r[3], y1)
            r[4].append((x0, word))
        else:
            rows.append([x0, y0, x1, y1, [(x0, word)]])
    return [(r[0], r[1], r[2], r[3], squash("".join(w for _, w in sorted(r[4])))) for r in rows]


def find_heading(doc, text: str) -> list[tuple[int, tuple]]:
    """The line(s) printing ``text`` (consecutive lines when it wraps): [(page, line)]."""
    want = squash(text)
    for i, page in enumerate(doc):
        lines = visual_lines(page)
        for start in range(len(lines)):
            got = ""
            for end in range(start, len(lines)):
                got += lines[end][4]
                if got == want:
                    return [(i, ln) for ln in lines[start:end + 1]]
                if not want.startswith(got):
                    break
    return []


# ---- one render of each example, per format ----------------------------------------------

class Rendered:
    def __init__(self, composed, pdf: Path, docx_path: Path):
        self.composed, self.pdf, self.docx = composed, pdf, docx_path
        self.raw = pdftotext(pdf, "-raw")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """key → Rendered, each example rendered once (on first use) to both formats."""
    out = tmp_path_factory.mktemp("types")
    cache: dict[str, Rendered] = {}

    def get(key: str) -> Rendered:
        if key not in cache:
            r = api.render_file(ALL[key], out, formats=("pdf", "docx"))
            cache[key] = Rendered(r.composed, r.paths["pdf"], r.paths["docx"])
        return cache[key]
    return get


def letter_of(key: str) -> dict:
    return yaml.safe_load(ALL[key].read_text(encoding="utf-8"))


def write_variant(tmp_path: Path, letter: dict, name: str = "letter.yaml") -> Path:
    return write_letter(tmp_path, yaml.safe_dump(letter, allow_unicode=True, sort_keys=False), name)


def _cli(argv) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), i18n.use("both"):
        code = cli.main([str(a) for a in argv])
    return code, out.getvalue() + err.getvalue()


# ---- 1. both formats, the blocks in order --------------------------------------------------

@pytest.mark.parametrize("key", ALL_KEYS)
def test_pdf_prints_the_blocks_in_order(rendered, key):
    r = rendered(key)
    assert r.composed.doctype == key
    assert r.pdf.read_bytes()[:5] == b"%PDF-"
    assert flow_texts(r.composed), "no block in the flow"
    assert_in_order(r.raw, r.composed, "PDF")


@pytest.mark.parametrize("key", ALL_KEYS)
def test_docx_prints_the_blocks_in_order(rendered, key):
    r = rendered(key)
    assert r.docx.read_bytes()[:2] == b"PK"
    assert_in_order("\n".join(docx_flow(r.docx)), r.composed, "DOCX")


# ---- 2. centred headings, in mm -----------------------------------------------------------

HEADED = [k for k in ALL_KEYS if any(
    isinstance(e, dict) and next(iter(e)) == "heading" for e in TYPES[k]["blocks"])]


def _axis_mm(composed) -> float:
    g = composed.geometry
    text_width = g["page"]["width"] - g["margin"]["left"] - g["margin"]["right"]
    return g["margin"]["left"] + text_width / 2


@pytest.mark.parametrize("key", HEADED)
def test_pdf_headings_are_centred_on_the_text_column(rendered, key):
    r = rendered(key)
    axis = _axis_mm(r.composed)
    doc = pymupdf.open(r.pdf)
    headings = [b for b in r.composed.blocks if b.kind == "heading"]
    assert headings
    for h in headings:
        lines = find_heading(doc, h.text)
        assert lines, f"{key}: heading {h.text!r} is not a line of its own in the PDF"
        for page, (x0, _, x1, _, text) in lines:
            centre = (x0 + x1) / 2 / MM
            assert abs(centre - axis) <= 1.5, \
                f"{key}: heading {h.text!r} centred at {centre:.2f} mm, the text column's axis is {axis:.2f} mm"


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _effective(par, attr):
    """A paragraph format value: the paragraph's own, else its style chain's."""
    v = getattr(par.paragraph_format, attr)
    if v is not None:
        return v
    for s in _style_chain(par.style):
        v = getattr(s.paragraph_format, attr)
        if v is not None:
            return v
    return None


@pytest.mark.parametrize("key", HEADED)
def test_docx_headings_are_centred_without_asymmetric_indents(rendered, key):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    r = rendered(key)
    d = docx.Document(str(r.docx))
    pars = list(d.paragraphs) + [p for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    for h in (b for b in r.composed.blocks if b.kind == "heading"):
        matches = [p for p in pars if squash(p.text) == squash(h.text)]
        assert matches, f"{key}: heading {h.text!r} is no paragraph of the DOCX"
        p = matches[0]
        assert _effective(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER, \
            f"{key}: heading {h.text!r} aligned {_effective(p, 'alignment')}"
        left = _effective(p, "left_indent") or 0
        right = _effective(p, "right_indent") or 0
        first = _effective(p, "first_line_indent") or 0
        assert left == right and first == 0, f"{key}: heading {h.text!r} indents left {left} right {right} first {first}"
        in_cell = p._p.getparent().tag.endswith("}tc")
        assert not in_cell, f"{key}: heading {h.text!r} in a table cell (centred on the cell, not the column)"


@pytest.fixture(scope="module")
def lo_pdfs(rendered, tmp_path_factory):
    """The DOCX of every type with headings → PDF in one LibreOffice call (TH SarabunPSK made
    visible through fontconfig, as tests/test_docx.py does)."""
    work = tmp_path_factory.mktemp("lo-types")
    docs = {}
    for key in HEADED:
        docs[key] = work / f"{key}.docx"
        shutil.copy(rendered(key).docx, docs[key])
    out = libreoffice_to_pdf(list(docs.values()), work)
    return {key: out / f"{key}.pdf" for key in HEADED}


@pytest.mark.parametrize("key", HEADED)
def test_docx_headings_are_centred_in_libreoffice(rendered, lo_pdfs, key):
    r = rendered(key)
    assert lo_pdfs[key].exists(), f"{key}: LibreOffice made no PDF"
    doc = pymupdf.open(lo_pdfs[key])
    axis = _axis_mm(r.composed)
    for h in (b for b in r.composed.blocks if b.kind == "heading"):
        lines = find_heading(doc, h.text)
        assert lines, f"{key}: heading {h.text!r} is not a line of its own in LibreOffice's PDF"
        for _, (x0, _, x1, _, _) in lines:
            centre = (x0 + x1) / 2 / MM
            assert abs(centre - axis) <= 1.5, \
                f"{key}: DOCX heading {h.text!r} centred at {centre:.2f} mm in LibreOffice, axis {axis:.2f} mm"


# ---- 3. a long one: two pages or more, with the page furniture -------------------------------

LONG_PART = {"regulation": "clauses", "bylaw": "clauses", "minutes": "agenda"}


def _longer(letter: dict, part: str) -> dict:
    """``part`` repeated 8 times, more when that is still under 6,000 characters."""
    value = letter[part]
    value = value if isinstance(value, list) else [value]
    size = len(json.dumps(value, ensure_ascii=False))
    times = max(8, math.ceil(6000 / size))
    return {**letter, part: copy.deepcopy(value) * times}


def variant_renders(out: Path, make, formats: tuple[str, ...]):
    """key → (composed, *paths in ``formats`` order) of the type's example changed by ``make``,
    rendered once on first use into ``out``/<key>."""
    cache = {}

    def get(key):
        if key not in cache:
            folder = out / key
            folder.mkdir()
            r = api.render_file(write_variant(folder, make(key)), folder, formats=formats)
            cache[key] = (r.composed, *(r.paths[f] for f in formats))
        return cache[key]
    return get


@pytest.fixture(scope="module")
def long_pdfs(tmp_path_factory):
    return variant_renders(tmp_path_factory.mktemp("long"),
                           lambda key: _longer(letter_of(key), LONG_PART.get(key, "body")), ("pdf",))


@pytest.mark.parametrize("key", NEW_KEYS)
def test_a_long_one_paginates_with_the_page_furniture(long_pdfs, key):
    composed, path = long_pdfs(key)
    doc = pymupdf.open(path)
    g = composed.geometry
    assert doc.page_count >= 2, f"{key}: {doc.page_count} page"
    # the page number "- ๒ -" at the top of page 2, centred; none on page 1
    top = g["margin"]["top"] * MM
    head2 = [s for s in spans(doc[1]) if s["bbox"][3] <= top + 1]
    assert any(s["text"].strip() == "- ๒ -" for s in head2), \
        f"{key}: page 2 head: {[s['text'] for s in head2]}"
    head1 = [s for s in spans(doc[0]) if s["bbox"][3] <= top + 1]
    assert not any(re.fullmatch(r"- [๐-๙]+ -", s["text"].strip()) for s in head1)
    number = next(s for s in head2 if s["text"].strip() == "- ๒ -")
    assert abs((number["bbox"][0] + number["bbox"][2]) / 2 / MM - _axis_mm(composed)) < 1.5
    # the continuation marker at the foot of every page but the last, naming the next page's start
    assert assert_markers_match_next_page(path, g) == doc.page_count - 1
    # the signature (or the sign-off) ends the document: on the last page
    last = squash(doc[-1].get_text())
    ending = [b for b in composed.blocks if b.kind in ("signature", "sign_off")]
    assert ending, key
    for t in (t for t in ending[-1].texts() if t):
        assert squash(t) in last, f"{key}: {ending[-1].kind} text {t!r} not on the last page ({doc.page_count})"
    # … and so does every block after it (seal, date, contact)
    after = composed.blocks[composed.blocks.index(ending[-1]) + 1:]
    for b in after:
        for t in (t for t in b.texts() if t):
            assert squash(t) in last, f"{key}: {b.kind} text {t!r} not on the last page"


def test_markers_repeat_the_next_page_words_as_printed(long_pdfs):
    """A continuation marker repeats the words that open the next page as they are printed
    there: spaces kept ("สั่ง ณ", "ข้อ ๑๓"), a label whole ("(๓)", not "(๓").  (The shared
    helper above compares them with all spaces squashed.)  One test over every long PDF."""
    bad = []
    for key in NEW_KEYS:
        composed, path = long_pdfs(key)
        doc = pymupdf.open(path)
        bottom = (composed.geometry["page"]["height"] - composed.geometry["margin"]["bottom"]) * MM
        for i in range(doc.page_count - 1):
            foot = [s["text"].strip() for s in spans(doc[i]) if s["bbox"][1] >= bottom - 1
                    and s["text"].startswith("/")]
            if len(foot) != 1:
                continue                       # the test above reports it
            words = " ".join(foot[0][1:].removesuffix("...").split())
            nxt = next((ln for ln in sorted(visual_lines_raw(doc[i + 1]))
                        if composed.geometry["margin"]["top"] * MM - 1 <= ln[0]), (0, ""))[1]
            starts = " ".join(nxt.split())
            # Thai runs words together: the marker is a prefix of the line, spaces as printed
            if not words or not starts.startswith(words) or re.search(r"\([๐-๙0-9]+$", words):
                bad.append(f"{key} p{i + 1}: marker {foot[0]!r}, page {i + 2} starts {starts[:30]!r}")
    assert not bad, "\n".join(bad)


def visual_lines_raw(page) -> list[tuple[float, str]]:
    """(top in pt, text with its spaces) of each printed line, from word boxes."""
    rows: list[list] = []
    for x0, y0, x1, y1, word, *_ in sorted(page.get_text("words"), key=lambda w: (round(w[3], 1), w[0])):
        if rows and abs(rows[-1][2] - y1) < 1.0:
            rows[-1][1].append((x0, word))
        else:
            rows.append([y0, [(x0, word)], y1])
    return [(r[0], " ".join(w for _, w in sorted(r[1]))) for r in rows]


# ---- 4. a field the type forbids is refused by name ------------------------------------------

FORBIDDEN = {
    "order": ("to", "เลขาธิการ ก.พ.ร."),
    "regulation": ("body", ["ข้อความ"]),
    "bylaw": ("number", 5),
    "announcement": ("salutation", "เรียน"),
    "statement": ("signer", {"name": "นางสาวมาลี ตัวอย่าง", "position": "ผู้อำนวยการกอง"}),
    "news": ("references", ["หนังสือสำนักงาน ก.พ.ร. ที่ นร 1200/60 ลงวันที่ 2 พฤษภาคม 2567"]),
    "stamped": ("subject", "ทดสอบ"),
    "certificate": ("to", "ผู้จัดการธนาคาร"),
    "minutes": ("emblem", "emblem.png"),
    "note": ("closing", "ขอแสดงความนับถือ"),
}


def test_every_new_type_has_a_forbidden_case():
    assert sorted(FORBIDDEN) == NEW_KEYS
    for key, (field, _) in FORBIDDEN.items():
        assert field in (TYPES[key]["fields"].get("forbidden") or []), (key, field)


@pytest.mark.parametrize("key", NEW_KEYS)
def test_a_forbidden_field_is_refused_naming_field_and_type(tmp_path, emblem_png, key):
    field, value = FORBIDDEN[key]
    shutil.copy(emblem_png, tmp_path / "emblem.png")        # an image that exists: refused as a field
    path = write_variant(tmp_path, {**letter_of(key), field: value})
    code, out = _cli(["check", path])
    assert code != 0, out
    name_th, label = TYPES[key]["name_th"], i18n.field_label(field)
    assert label, field
    assert f"[{field}] หนังสือประเภท {name_th} ({key}) ไม่มีช่อง {label} ({field})" in out, out
    assert f"a {name_th} ({key}) has no field '{field}'" in out, out
    # the example itself is fine: the refusal is the field's
    clean = write_variant(tmp_path, letter_of(key), "clean.yaml")
    assert _cli(["check", clean])[0] == 0


# ---- 5. the secrecy and urgency marks ---------------------------------------------------------

@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    return variant_renders(tmp_path_factory.mktemp("marked"),
                           lambda key: {**letter_of(key), "secrecy": "ลับ", "urgency": "ด่วน"}, ("pdf", "docx"))


@pytest.mark.parametrize("key", ALL_KEYS)
def test_secrecy_and_urgency_marks_print(marked, key):
    composed, pdf, docx_path = marked(key)
    g = composed.geometry
    assert (composed.secrecy, composed.urgency) == ("ลับ", "ด่วน")
    doc = pymupdf.open(pdf)
    for i, page in enumerate(doc):
        marks = sorted(s["bbox"][1] / MM for s in spans(page) if s["text"].strip() == "ลับ")
        assert len(marks) == 2, f"{key} page {i + 1}: secrecy marks at {marks} mm"
        assert marks[0] < g["margin"]["top"] and marks[1] > g["page"]["height"] - g["margin"]["bottom"], \
            f"{key} page {i + 1}: secrecy marks at {marks} mm (top and bottom expected)"
    urgency = [s for s in spans(doc[0]) if s["text"].strip() == "ด่วน"]
    assert len(urgency) == 1, f"{key}: urgency spans {[s['text'] for s in urgency]}"
    assert urgency[0]["size"] >= 31.99, f"{key}: urgency {urgency[0]['size']} pt"
    pieces = [t.strip() for t in re.split(r"[\n\t]", docx_all_text(docx_path))]   # a tab: a column
    assert "ลับ" in pieces, f"{key}: no secrecy mark of its own in the DOCX"
    assert "ด่วน" in pieces, f"{key}: no urgency mark of its own in the DOCX"


# ---- 6. Thai digits and the B.E. year -------------------------------------------------------

MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
          "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
# the date as each type prints it (regulation.md; data/doctypes.yaml): {d} with พ.ศ., {D} without
DATE_PHRASE = {
    "external": "{D}", "memo": "วันที่ {D}",
    "order": "สั่ง ณ วันที่ {d}", "regulation": "ประกาศ ณ วันที่ {d}", "bylaw": "ประกาศ ณ วันที่ {d}",
    "announcement": "ประกาศ ณ วันที่ {d}", "statement": "{d}", "news": "{d}", "stamped": "{D}",
    "certificate": "ให้ไว้ ณ วันที่ {d}", "minutes": "เมื่อวันที่ {d}", "note": "{D}",
}


def thai_date(day: dt.date, era: bool) -> str:
    year = str(day.year + 543).translate(THAI_DIGITS)
    return f"{str(day.day).translate(THAI_DIGITS)} {MONTHS[day.month - 1]} {'พ.ศ. ' if era else ''}{year}"


def test_the_date_phrase_table_covers_every_type():
    assert set(DATE_PHRASE) == set(TYPES)
    assert thai_date(dt.date(2024, 6, 3), True) == "๓ มิถุนายน พ.ศ. ๒๕๖๗"


@pytest.mark.parametrize("key", ALL_KEYS)
def test_the_date_phrase_in_thai_digits_and_be(rendered, key):
    r = rendered(key)
    given = letter_of(key)["date"]                 # ISO, or a Thai date (the memo example)
    day = r.composed.date                          # the model's reading of it
    assert isinstance(day, dt.date)
    if isinstance(given, dt.date) or re.fullmatch(r"\d{4}-\d\d-\d\d", str(given)):
        assert day == dt.date.fromisoformat(str(given))
    phrase = DATE_PHRASE[key].format(d=thai_date(day, True), D=thai_date(day, False))
    assert squash(phrase) in squash(r.raw), f"{key}: {phrase!r} not in the PDF"
    assert squash(phrase) in squash(docx_all_text(r.docx)), f"{key}: {phrase!r} not in the DOCX"
    assert not re.search("[0-9]", r.raw), f"{key}: Arabic digits in the PDF: {re.findall(r'.{0,12}[0-9]+.{0,12}', r.raw)[:3]}"
    assert str(day.year) not in r.raw and str(day.year + 543) not in r.raw


# ---- 7. a type from data alone -------------------------------------------------------------

TOY = {"notice": {
    "name_th": "คำแจ้งความ", "paper": "กระดาษตราครุฑ", "html": "page.html", "docx": "page.docx",
    "emblem": "external", "emblem_placement": "center", "numbering": {"series": "none"},
    "blocks": ["marks", "emblem",
               {"heading": {"text": "{name_th}{issuer}", "bold": True}},
               {"heading": {"text": "เรื่อง {subject}"}},
               "rule", "body",
               {"date_line": {"text": "แจ้ง ณ วันที่ {date_be}", "align": "signature"}},
               "signature"],
    "fields": {"required": ["agency", "subject", "body", "signer"],
               "allowed": ["issuer", "date", "secrecy", "urgency", "emblem"],
               "forbidden": []}}}


@pytest.fixture
def toy(monkeypatch):
    """The declarations with one more type, as docgen.data loads them (data.load is cached:
    the patched loader is what every reader calls)."""
    real = data.load
    monkeypatch.setattr(data, "load", lambda name: {**copy.deepcopy(real(name)), **TOY}
                        if name == "doctypes" else real(name))
    assert "notice" in data.doctypes()


def test_a_toy_type_renders_from_data_alone(toy, tmp_path):
    letter = {"type": "คำแจ้งความ", "issuer": "กรมทดสอบระบบ", "subject": "การปิดปรับปรุงอาคาร",
              "date": "2024-07-09", "secrecy": "ลับ", "urgency": "ด่วน",
              "body": ["กรมทดสอบระบบจะปิดปรับปรุงอาคาร ๒ ตั้งแต่วันที่ 15 กรกฎาคม 2567",
                       {"items": ["งดให้บริการชั้น 1", "ให้ติดต่อที่อาคาร 3"]},
                       "จึงแจ้งมาเพื่อทราบโดยทั่วกัน"]}
    profile = {"agency": "กรมทดสอบระบบ",
               "signer": {"name": "นายทดลอง ตัวอย่าง", "position": "อธิบดีกรมทดสอบระบบ"}}
    composed, problems = api.compose_mapping(letter, tmp_path, profile=profile)
    assert not problems.errors
    assert composed.doctype == "notice" and composed.doctype_spec["name_th"] == "คำแจ้งความ"
    kinds = [b.kind for b in composed.blocks]
    assert kinds[:5] == ["marks", "emblem", "heading", "heading", "rule"] and kinds[-2:] == ["date_line", "signature"]
    heads = [b.text for b in composed.blocks if b.kind == "heading"]
    assert heads == ["คำแจ้งความกรมทดสอบระบบ", "เรื่อง การปิดปรับปรุงอาคาร"]
    paths = api.render(composed, tmp_path / "out", "notice")
    raw = pdftotext(paths["pdf"], "-raw")
    assert_in_order(raw, composed, "PDF")
    assert_in_order("\n".join(docx_flow(paths["docx"])), composed, "DOCX")
    # what is printed is the toy's, not a cached other type's
    assert "คำแจ้งความกรมทดสอบระบบ" in squash(raw)
    assert squash("แจ้ง ณ วันที่ ๙ กรกฎาคม พ.ศ. ๒๕๖๗") in squash(raw)
    assert squash("แจ้ง ณ วันที่ ๙ กรกฎาคม พ.ศ. ๒๕๖๗") in squash(docx_all_text(paths["docx"]))
    with pikepdf.open(paths["pdf"]) as pdf:
        record = json.loads(pdf.attachments["letter.json"].get_file().read_bytes())
    assert record["doctype"] == "notice"
    doc = pymupdf.open(paths["pdf"])
    axis = _axis_mm(composed)
    for h in heads:
        lines = find_heading(doc, h)
        assert lines, h
        for _, (x0, _, x1, _, _) in lines:
            assert abs((x0 + x1) / 2 / MM - axis) <= 1.5, h
    assert sum(s["text"].strip() == "ลับ" for s in spans(doc[0])) == 2
    assert any(s["text"].strip() == "ด่วน" for s in spans(doc[0]))


# ---- 8. the CLI takes every new example ------------------------------------------------------

@pytest.mark.parametrize("key", NEW_KEYS)
def test_docgen_check_and_render_each_example(tmp_path, key):
    code, out = _cli(["check", ALL[key]])
    assert code == 0, out
    code, out = _cli(["render", ALL[key], "-o", tmp_path])
    assert code == 0, out
    stem = ALL[key].stem
    assert (tmp_path / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / f"{stem}.docx").read_bytes()[:2] == b"PK"


def test_the_docgen_command_itself(tmp_path):
    """The installed entry point (a process of its own): check, then render, every new example."""
    exe = Path(sys.executable).parent / "docgen"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "docgen"]
    files = [str(NEW[k]) for k in NEW_KEYS]
    done = subprocess.run([*cmd, "check", *files], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([*cmd, "render", *files, "-o", str(tmp_path)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{NEW[k].stem}.{fmt}" for k in NEW_KEYS for fmt in ("pdf", "docx"))
