"""The printed ทะเบียนหนังสือส่ง (PDF): landscape A4, TH SarabunPSK, Thai digits, heads on
every page, page numbers, rows never split across pages nor lines broken inside a word."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from docgen.register import export, service, store
from docgen.thai.dates import BANGKOK

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

NOW = dt.datetime(2024, 5, 30, 9, 0, tzinfo=BANGKOK)
LONG = ("ตัวชี้วัดขับเคลื่อนการบูรณาการร่วมกัน (Joint KPIs) ประจำปีงบประมาณ พ.ศ. 2568 "
        "เพื่อประสิทธิภาพของการบริหารราชการแผ่นดินและการพัฒนาระบบราชการ")


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    path = tmp_path_factory.mktemp("reg") / "r.db"
    engine = store.make_engine(f"sqlite:///{path}")
    store.init_schema(engine, "x", prefix="นร 1200")
    service.reserve(engine, "นร 1200", "ปกติ", 45, "หนังสือที่จัดทำด้วยมือนอกระบบ", now=NOW)
    with store.transaction(engine) as conn:
        for n in range(1, 46):
            store.update_entry(conn, n, ("reserved",), subject=f"{LONG} รายการ {n}",
                               recipient="เลขาธิการคณะรัฐมนตรี <b>&amp;</b>", letter_date="2024-05-30",
                               agency="สำนักงาน ก.พ.ร.", status="issued" if n % 3 else "reserved")
    key = service.SeriesKey("นร 1200", "ปกติ", 2567)
    service.cancel(engine, key, 3, "พิมพ์ผิด", now=NOW)
    return service.entries(engine)


@pytest.fixture(scope="module")
def pdf(rows, tmp_path_factory):
    target = tmp_path_factory.mktemp("pdf") / "register.pdf"
    export.write_pdf(rows, target, 2567, printed_at=NOW)
    return target


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [p.replace("\u200b", "") for p in text.split("\f") if p.strip()]


def test_landscape_a4_with_the_thai_font(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "TH-SarabunPSK" in fonts and "DejaVu" not in fonts


def test_heads_and_page_numbers_on_every_page(pdf):
    texts = pages(pdf)
    assert len(texts) >= 3
    digits = "๐๑๒๓๔๕๖๗๘๙"
    total = "".join(digits[int(d)] for d in str(len(texts)))
    for i, text in enumerate(texts, start=1):
        assert all(head in text for head in ("วันที่ลง", "ลงวันที่", "เรื่อง", "หมายเหตุ", "การปฏิบัติ"))
        page = "".join(digits[int(d)] for d in str(i))
        assert f"หน้า {page} / {total}" in text
    assert "ทะเบียนหนังสือส่ง ประจำปี พ.ศ. ๒๕๖๗" in texts[0]


def test_thai_digits_and_escaped_text(pdf):
    text = " ".join(pages(pdf))
    assert "นร ๑๒๐๐/๔๕" in text and "๒๕๖๘" in text and "2568" not in text
    assert "<b>&amp;</b>" in text                                # printed literally
    assert "ยกเลิก: พิมพ์ผิด" in text and "จองเลข" in text


def test_rows_never_split_across_pages(pdf):
    texts = [" ".join(t.split()) for t in pages(pdf)]
    for n in range(1, 46):
        label = "รายการ " + "".join("๐๑๒๓๔๕๖๗๘๙"[int(d)] for d in str(n))
        assert sum(bool(re.search(label + "(?![๐-๙])", t)) for t in texts) == 1, label


def test_lines_break_only_between_words(rows):
    """Every line of every subject cell ends on a word boundary of the Thai tokenizer."""
    from pythainlp.tokenize import word_tokenize
    from weasyprint.formatting_structure import boxes
    doc = export.layout(rows[:12], 2567, NOW)
    originals = {"".join(c.split()): c for c in (export.printed_cells(r)["subject"] for r in rows[:12])}
    checked = 0

    def cells(box):
        if isinstance(box, boxes.TableCellBox) and box.element is not None \
                and box.element.get("class") == "subject":
            yield box
        for child in getattr(box, "children", []):
            yield from cells(child)

    def lines(box):
        if isinstance(box, boxes.LineBox):
            yield "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
        else:
            for child in getattr(box, "children", []):
                yield from lines(child)

    for page in doc.pages:
        for cell in cells(page._page_box):
            parts = [p.replace("\u200b", "") for p in lines(cell)]
            original = originals["".join("".join(parts).split())]
            bounds, pos = set(), 0
            for token in word_tokenize(original, engine="newmm", keep_whitespace=True):
                pos += len(token)
                bounds.add(pos)
            pos = 0
            for part in parts[:-1]:
                part = part.rstrip(" ")
                assert original.startswith(part, pos), (part, original)
                pos += len(part)
                assert pos in bounds or original[pos:pos + 1] == " ", (part, original)
                pos += len(original[pos:]) - len(original[pos:].lstrip(" "))
                checked += 1
    assert checked > 10
