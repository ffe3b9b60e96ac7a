"""PDF output: read the real files (PyMuPDF for positions, pdftotext, pikepdf) and
check them against the regulation's layout (regulation.md §3) and the geometry."""
from __future__ import annotations

import json
import re
import subprocess

import pymupdf as fitz
import pikepdf
import pytest
import yaml

from docgen import api
from docgen.data import load
from docgen.render import pdf as pdf_render

from .conftest import EXAMPLES, MM, assert_markers_match_next_page, pdftotext, spans, squash, write_letter

GEO = load("layout")
RED = 0xFF0000
# centred blocks (Garuda, page number, secrecy) are centred on the text column, as Word
# centres between the margins: 30 mm + 160 mm / 2 = 110 mm from the left edge
AXIS = (GEO["margin"]["left"] + (GEO["page"]["width"] - GEO["margin"]["left"] - GEO["margin"]["right"]) / 2) * MM
EDGE_PT = 1.0   # justified lines may end up to 1 pt (0.35 mm) past the margin: rounding of the stretch


def body_lines(page):
    """Text lines inside the page's text area (not the margins), top to bottom."""
    top, bottom = GEO["margin"]["top"] * MM, (GEO["page"]["height"] - GEO["margin"]["bottom"]) * MM
    lines = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            y = line["bbox"][1]
            text = "".join(s["text"] for s in line["spans"])
            if text.strip() and top - 1 <= y <= bottom:
                lines.append((y, line["bbox"][0], text))
    return [t for _, _, t in sorted(lines)]


# ---- every example ----------------------------------------------------------------

def test_every_example_renders_with_expected_pages(pdf_examples):
    assert len(pdf_examples) >= 6
    pages = {k: fitz.open(p).page_count for k, (_, p) in pdf_examples.items()}
    assert pages["06_three_pages"] == 3, pages
    assert pages["02_memo"] == 1
    assert all(n >= 1 for n in pages.values())


@pytest.mark.parametrize("stem", ["01_external_references", "02_memo", "03_circular",
                                  "04_high_office", "05_acting", "06_three_pages"])
def test_text_layer_round_trips(pdf_examples, stem):
    """pdftotext gives back every printed string, ำ and tone marks included."""
    composed, path = pdf_examples[stem]
    # -raw: content-stream order; the default mode sorts glyphs by x and can put a
    # zero-width tone mark after the next consonant ("คูม่ ือ"), a reader artefact
    text = squash(pdftotext(path, "-raw"))
    for expected in composed.printed_texts():
        assert squash(expected) in text, expected


def test_every_word_of_the_input_survives(pdf_examples):
    """Input text (Arabic digits → Thai) survives extraction, including ำ and stacked marks."""
    composed, path = pdf_examples["06_three_pages"]
    text = squash(pdftotext(path, "-raw"))
    for word in ["ดำเนินการ", "กำหนด", "ที่ได้รับมอบหมาย", "ผู้บริหารระดับสูง", "ล่วงหน้า", "น้อยกว่า"]:
        assert word in text
    assert "กาหนด" not in text and "ดำเนินกำร" not in text


def test_fonts_embedded(pdf_examples):
    for _, path in pdf_examples.values():
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows
        for row in rows:
            assert "TH-SarabunPSK" in row
            assert " yes yes yes " in row, row      # embedded, subset, ToUnicode


# ---- page furniture ---------------------------------------------------------------

def test_page_numbers_from_page_two_only(pdf_examples):
    _, path = pdf_examples["06_three_pages"]
    doc = fitz.open(path)
    thai = "๐๑๒๓๔๕๖๗๘๙"
    for i, page in enumerate(doc):
        head = page.get_text("text", clip=fitz.Rect(0, 0, page.rect.width, GEO["margin"]["top"] * MM))
        number = f"- {thai[i + 1]} -"
        if i == 0:
            assert not re.search(r"- [๐-๙]+ -", head)
        else:
            assert number in head, head
            x0 = next(s for s in spans(page) if s["text"].strip() == number)["bbox"]
            assert abs((x0[0] + x0[2]) / 2 - AXIS) < 2     # centred


def test_continuation_marker_equals_next_page_start(pdf_examples):
    checked = sum(assert_markers_match_next_page(path, GEO) for _, path in pdf_examples.values())
    assert checked >= 3          # 01 (1 marker) and 06 (2 markers) at least


def test_secrecy_mark_top_and_bottom_of_every_page(pdf_examples):
    composed, path = pdf_examples["06_three_pages"]
    assert composed.secrecy == "ลับ"
    for page in fitz.open(path):
        marks = [s for s in spans(page) if s["text"].strip() == "ลับ"]
        ys = sorted(s["bbox"][1] / MM for s in marks)
        assert len(marks) == 2, marks
        assert ys[0] < GEO["margin"]["top"] and ys[1] > GEO["page"]["height"] - GEO["margin"]["bottom"]
        for s in marks:
            assert s["color"] == RED
            assert abs((s["bbox"][0] + s["bbox"][2]) / 2 - AXIS) < 2


def test_urgency_red_at_least_32pt_top_left_above_ref(pdf_examples):
    _, path = pdf_examples["01_external_references"]
    page = fitz.open(path)[0]
    urgency = next(s for s in spans(page) if s["text"].strip() == "ด่วนที่สุด")
    ref = next(s for s in spans(page) if s["text"].startswith("ที่ นร"))
    assert urgency["color"] == RED and urgency["size"] >= 31.99
    assert urgency["bbox"][3] <= ref["bbox"][1] + 1          # above ที่
    assert abs(urgency["bbox"][0] - GEO["margin"]["left"] * MM) < 1.5


# ---- geometry in millimetres -------------------------------------------------------

def test_margins_from_text_positions(pdf_examples):
    """Body text starts at the 3 cm margin and justified lines end at the 2 cm margin."""
    _, path = pdf_examples["06_three_pages"]
    left, right = GEO["margin"]["left"] * MM, (GEO["page"]["width"] - GEO["margin"]["right"]) * MM
    full = 0
    for page in fitz.open(path):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                x0, y0, x1, _ = line["bbox"]
                if GEO["margin"]["top"] * MM < y0 < (GEO["page"]["height"] - GEO["margin"]["bottom"]) * MM:
                    assert x0 >= left - EDGE_PT and x1 <= right + EDGE_PT, line
                    full += abs(x1 - right) < 1.5
    assert full >= 20       # justified Thai lines really reach the right margin


def test_sender_block_beside_ref_and_date_from_axis(pdf_examples):
    composed, path = pdf_examples["01_external_references"]
    page = fitz.open(path)[0]
    ref = next(s for s in spans(page) if s["text"].startswith("ที่ นร"))
    sender = next(s for s in spans(page) if s["text"].strip() == composed.sender_lines[0])
    date = next(s for s in spans(page) if s["text"].strip() == composed.date_text)
    assert abs(ref["bbox"][1] - sender["bbox"][1]) < 1                         # same line
    for line in composed.sender_lines:                                         # every line of it
        s = next(s for s in spans(page) if s["text"].strip() == line)
        assert abs(s["bbox"][0] / MM - GEO["margin"]["left"] - GEO["header"]["sender_x"]) < 0.5, line
    assert abs(date["bbox"][0] / MM - GEO["margin"]["left"] - GEO["header"]["date_x"]) < 0.5
    assert date["bbox"][1] > sender["bbox"][1]


def test_signature_block_centred_right_of_middle(pdf_examples):
    composed, path = pdf_examples["05_acting"]
    page = fitz.open(path)[-1]
    axis = (GEO["margin"]["left"] + GEO["signature"]["axis_x"]) * MM
    for text in [composed.closing, composed.signer_name, *composed.signer_lines]:
        s = next(s for s in spans(page) if s["text"].strip() == text)
        assert abs((s["bbox"][0] + s["bbox"][2]) / 2 - axis) < 2, text
    assert axis > page.rect.width / 2


def test_purpose_and_signature_on_same_page(pdf_examples):
    for stem, (composed, path) in pdf_examples.items():
        if not composed.purpose:                 # the types without a purpose sentence
            continue
        doc = fitz.open(path)
        pages_with = lambda t: [i for i, p in enumerate(doc) if squash(t) in squash(p.get_text())]  # noqa: E731
        assert pages_with(composed.purpose) == pages_with(composed.signer_name), stem


@pytest.fixture()
def emblem_letters(tmp_path, emblem_png):
    import shutil
    shutil.copy(emblem_png, tmp_path / "emblem.png")
    out = {}
    for kind in ("external", "memo"):
        src = write_letter(tmp_path, f"""
type: {kind}
profile: profiles/opdc.yaml
emblem: emblem.png
number: 5
date: 2024-05-30
subject: ทดสอบตราครุฑ
to: อธิบดีกรมทดสอบ
body: [ข้อความทดสอบ]
purpose: เพื่อโปรดทราบ
""", name=f"{kind}.yaml")
        out[kind] = api.render_file(src, tmp_path, formats=("pdf",)).paths["pdf"]
    return out


def test_emblem_exact_size_and_position(emblem_letters):
    page = fitz.open(emblem_letters["external"])[0]
    (info,) = page.get_image_info()
    x0, y0, x1, y1 = (v / MM for v in info["bbox"])
    assert abs((y1 - y0) - 30.0) <= 0.5           # 3.0 cm ± 0.05
    assert abs(y0 - GEO["emblem"]["external"]["top"]) <= 0.5
    assert abs((x0 + x1) / 2 - AXIS / MM) <= 0.5         # centred on the text column
    memo = fitz.open(emblem_letters["memo"])[0]
    (info,) = memo.get_image_info()
    x0, y0, x1, y1 = (v / MM for v in info["bbox"])
    assert abs((y1 - y0) - 15.0) <= 0.5
    assert abs(x0 - GEO["margin"]["left"]) <= 0.5 and abs(y0 - GEO["emblem"]["memo"]["top"]) <= 0.5


# ---- archive: PDF/A-3b, attachment, metadata ----------------------------------------

def test_pdfa3b_with_json_attachment_and_metadata(pdf_examples):
    composed, path = pdf_examples["01_external_references"]
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "3B"
        assert meta.get("dc:title") == composed.subject
        info = pdf.docinfo
        assert str(info["/Title"]) == composed.subject
        assert str(info["/Author"]) == "สำนักงาน ก.พ.ร."
        assert str(info["/Keywords"]) == "ที่ นร ๑๒๐๐/๗๔"
        assert "/OutputIntents" in pdf.Root
        files = pdf.attachments
        assert list(files) == ["letter.json"]
        record = json.loads(files["letter.json"].get_file().read_bytes())
        assert record["ref_text"] == "ที่ นร ๑๒๐๐/๗๔"
        assert record["source"]["number"] == 74
        assert record["date"] == "2024-05-30"


@pytest.mark.parametrize("stem", [p.stem for p in EXAMPLES])
def test_every_type_is_pdfa3b_with_its_document_attached(pdf_examples, stem):
    """Every document type is archived the same way: PDF/A-3b, output intent, the composed
    document as letter.json (its type, its ที่ when numbered), the title in the metadata."""
    composed, path = pdf_examples[stem]
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "3B"
        assert "/OutputIntents" in pdf.Root
        assert str(pdf.docinfo["/Title"]) == composed.meta["title"] and composed.meta["title"]
        record = json.loads(pdf.attachments["letter.json"].get_file().read_bytes())
    assert record["doctype"] == composed.doctype and record["ref_text"] == composed.ref_text
    src = next(p for p in EXAMPLES if p.stem == stem)
    assert record["source"]["type"] == yaml.safe_load(src.read_text(encoding="utf-8"))["type"]


# ---- escaping and the asset fence ----------------------------------------------------

def test_markup_in_fields_is_printed_as_text(tmp_path):
    src = write_letter(tmp_path, """
type: external
profile: profiles/opdc.yaml
number: 1
date: 2024-05-30
subject: 'ทดสอบ <script>alert(1)</script> & </w:t> "quoted" <img src="http://127.0.0.1:1/x.png">'
to: อธิบดี <b>กรม</b>
body: ['ข้อความ <style>@import url(file:///etc/passwd)</style> ท้าย', 'url(http://127.0.0.1:1/a) {{ 7*7 }}']
purpose: เพื่อโปรดทราบ
""")
    result = api.render_file(src, tmp_path, formats=("pdf",))
    text = pdftotext(result.paths["pdf"], "-raw")
    assert "<script>alert(๑)</script>" in text       # digits localised, markup kept as text
    assert "</w:t>" in text and "&" in text and '"quoted"' in text
    assert squash('<img src="http://127.0.0.1:1/x.png">') in squash(text)   # URL digits untouched
    assert "{{ ๗*๗ }}" in text and "๔๙" not in text        # never evaluated
    with pikepdf.open(result.paths["pdf"]) as pdf:
        assert not any("/Image" in str(x.get("/Subtype", "")) for x in pdf.objects
                       if isinstance(x, pikepdf.Stream))


def test_fetcher_refuses_everything_but_project_assets(tmp_path):
    fetch = pdf_render.project_fetcher((pdf_render.FONTS_DIR,))
    for url in ["http://127.0.0.1:1/x.png", "https://example.com/a.css", "file:///etc/passwd",
                "data:text/plain,hi", (pdf_render.FONTS_DIR / ".." / "README.md").resolve().as_uri()]:
        with pytest.raises(ValueError):
            fetch.fetch(url)
    font = (pdf_render.FONTS_DIR / "THSarabunPSK-Regular.ttf").as_uri()
    assert fetch.fetch(font) is not None


# ---- variants ------------------------------------------------------------------------

def test_draft_without_number_leaves_number_blank(tmp_path):
    src = write_letter(tmp_path, """
type: external
profile: profiles/opdc.yaml
circular: true
subject: ร่างหนังสือ
to: ปลัดกระทรวง ทุกกระทรวง
body: [ข้อความ]
purpose: เพื่อโปรดทราบ
""")
    result = api.render_file(src, tmp_path, formats=("pdf",))
    assert result.composed.ref_value == "นร ๑๒๐๐/ว "
    page = fitz.open(result.paths["pdf"])[0]
    assert any(s["text"].strip() == "ที่ นร ๑๒๐๐/ว" for s in spans(page))


def test_arabic_digits_profile(tmp_path):
    src = write_letter(tmp_path, """
type: external
profile: profiles/opdc.yaml
digits: arabic
number: 74
date: 2024-05-30
subject: ทดสอบเลขอารบิก 2568
to: อธิบดีกรมทดสอบ
body: ['ข้อความยาว ' + 'ทดสอบ' ]
purpose: เพื่อโปรดทราบ
""".replace("['ข้อความยาว ' + 'ทดสอบ' ]", "[" + ", ".join(["ข้อความทดสอบการแบ่งหน้าที่ยาวมากพอสมควรเพื่อให้มีหลายบรรทัด"] * 60) + "]"))
    result = api.render_file(src, tmp_path, formats=("pdf",))
    text = pdftotext(result.paths["pdf"], "-raw")
    assert "ที่ นร 1200/74" in text and "30 พฤษภาคม 2567" in text and "- 2 -" in text
    assert not re.search("[๐-๙]", text)


def test_forty_page_body_renders_in_bounded_time(tmp_path):
    import time
    para = ("ข้อความทดสอบความยาวของหนังสือราชการ ซึ่งมีเนื้อหาจำนวนมากเพื่อทดสอบการแบ่งหน้า "
            "การพิมพ์เลขหน้า และเครื่องหมายต่อหน้าในทุกหน้า ") * 3
    body = "\n".join(f"  - '{para}'" for _ in range(330))
    src = write_letter(tmp_path, f"""
type: external
profile: profiles/opdc.yaml
number: 3
date: 2024-05-30
subject: หนังสือยาว
to: อธิบดีกรมทดสอบ
purpose: เพื่อโปรดทราบ
body:
{body}
""")
    start = time.monotonic()
    result = api.render_file(src, tmp_path, formats=("pdf",))
    elapsed = time.monotonic() - start
    doc = fitz.open(result.paths["pdf"])
    assert doc.page_count >= 40
    assert elapsed < 120          # bounded: not a speed target (see benchmarks/)
    last_marker = [s for s in spans(doc[-2]) if s["text"].startswith("/")]
    assert last_marker


def test_weasyprint_adaptation_guard(monkeypatch):
    """Refuses a WeasyPrint other than the pinned one, or one whose source changed shape; the
    behaviour of each patch is tested in tests/test_weasy_scope.py."""
    import inspect

    from docgen.render import weasy_adapt
    weasy_adapt.check_version()
    monkeypatch.setattr(inspect, "getsource", lambda obj: "")
    with pytest.raises(weasy_adapt.WeasyPrintVersionError):
        weasy_adapt.check_version()


def test_pdf_streams_deflated_at_level_6(tmp_path):
    """pydyf's level 9 is swapped for level 6 (speed): the streams still inflate."""
    import zlib

    import pikepdf
    import pydyf

    from docgen.render import weasy_adapt
    weasy_adapt.install()
    assert isinstance(pydyf.zlib, weasy_adapt._ZlibProxy)
    with weasy_adapt.active():                    # docgen's level, in a docgen render only
        stream = pydyf.Stream([b"BT /F1 16 Tf (x) Tj ET"] * 50, compress=True).data
    body = stream.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    assert body[:2] == b"\x78\x9c"                  # zlib header: level 6 (level 9 writes 78 da)
    assert zlib.decompress(body) == b"\n".join([b"BT /F1 16 Tf (x) Tj ET"] * 50)
    composed, _ = api.compose_file(EXAMPLES[0])
    target = tmp_path / "l6.pdf"
    api.render(composed, tmp_path, "l6", ("pdf",))
    with pikepdf.open(target) as pdf:
        for page in pdf.pages:
            assert page.Contents.read_bytes()             # every content stream inflates


def _libthai_breaks(text: str) -> set[int]:
    """Word-break positions libthai (Pango's Thai breaker) finds in ``text``."""
    import ctypes
    import ctypes.util
    lib = ctypes.CDLL(ctypes.util.find_library("thai") or "libthai.so.0")
    lib.th_brk_new.restype = ctypes.c_void_p
    lib.th_brk_new.argtypes = [ctypes.c_char_p]
    lib.th_brk_find_breaks.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                       ctypes.POINTER(ctypes.c_int), ctypes.c_size_t]
    lib.th_brk_delete.argtypes = [ctypes.c_void_p]
    brk = lib.th_brk_new(None)
    data = text.encode("tis_620", errors="replace")        # one byte per character
    pos = (ctypes.c_int * (len(data) + 1))()
    n = lib.th_brk_find_breaks(brk, data, pos, len(data) + 1)
    lib.th_brk_delete(brk)
    return set(pos[:n])


def test_thai_lines_break_only_at_word_boundaries(pdf_examples):
    """Every line break inside a paragraph falls on a word boundary: a space, one of our
    ZWSP (pythainlp newmm) boundaries, or a libthai boundary. Never inside a word."""
    from weasyprint.formatting_structure import boxes as wboxes
    from docgen.render import weasy_adapt
    composed, _ = pdf_examples["06_three_pages"]
    document, _ = pdf_render.layout(composed)
    checked = 0
    for page in document.pages:
        paragraphs: dict[int, list] = {}
        for line in weasy_adapt.page_lines(page):
            classes = (line.element.get("class") or "").split()
            if {"para", "item", "hang"} & set(classes):        # text paragraphs, not the <br> box
                paragraphs.setdefault(id(line.element), []).append(line)
        for lines in paragraphs.values():
            texts = ["".join(b.text for b in ln.descendants() if isinstance(b, wboxes.TextBox))
                     for ln in lines]
            if len(texts) < 2:
                continue
            plain = "".join(t.replace("\u200b", "") for t in texts)
            boundaries = _libthai_breaks(plain)
            offset = 0
            for t in texts[:-1]:
                offset += len(t.replace("\u200b", ""))
                at_space = plain[offset - 1:offset].isspace() or plain[offset:offset + 1].isspace()
                at_zwsp = t.endswith("\u200b")
                assert at_space or at_zwsp or offset in boundaries, \
                    f"line break inside a word: …{plain[offset - 8:offset]}|{plain[offset:offset + 8]}…"
                checked += 1
    assert checked >= 30


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    """Written under a temporary name and renamed: a crash mid-write leaves nothing behind."""
    from weasyprint.document import Document
    composed, _ = api.compose_file(write_letter(tmp_path, (pdf_render.HTML_DIR.parent.parent
                                                           / "examples" / "02_memo.yaml").read_text()))

    def half_then_crash(self, target=None, **kw):
        with open(target, "wb") as f:
            f.write(b"%PDF-1.7 half")
        raise OSError("disk full")
    monkeypatch.setattr(Document, "write_pdf", half_then_crash)
    target = tmp_path / "out" / "memo.pdf"
    with pytest.raises(OSError):
        pdf_render.render_pdf(composed, target)
    assert not target.exists()
    assert list((tmp_path / "out").iterdir()) == []      # no .part left either
