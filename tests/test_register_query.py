"""The queries officers ask (``register list/export`` filters) and the XLSX ทะเบียนหนังสือส่ง
(แบบที่ ๑๔), on SQLite and PostgreSQL, through the real service, CLI, openpyxl and LibreOffice."""
from __future__ import annotations

import csv
import os
import datetime as dt
import shutil
import subprocess

import pytest

from docgen import cli
from docgen.register import export, query, service, store
from docgen.register.keys import SeriesKey
from docgen.thai.dates import BANGKOK

from .test_register_support import run, use_fake_renderer, write_letter  # noqa: F401   # db_url: tests/conftest.py

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=BANGKOK)       # register year 2569
UNSEGMENTED = "ตัวชี้วัดขับเคลื่อนการบูรณาการร่วมกันประจำปีงบประมาณ"
LETTERS = {   # number: (subject, to, date)
    1: (UNSEGMENTED, "ปลัดกระทรวงการคลัง", "2024-05-30"),
    2: ("ขอส่งรายงานผลการดำเนินงาน 100% ของปี", "อธิบดีกรมบัญชีกลาง", "๑๕ พฤศจิกายน ๒๕๖๙"),
    3: ("ขอเชิญประชุมคณะทำงาน", "เลขาธิการคณะรัฐมนตรี", "2026-10-31"),
    4: ("=HYPERLINK(\"http://x\") ขอความอนุเคราะห์", "ปลัดกระทรวงการคลัง", "2026-11-30"),
}


@pytest.fixture
def reg(db_url, tmp_path, monkeypatch):
    """Letters 1–4 issued (3 a memo in the register, 4 marked sent), 5 pending, 6 reserved,
    7 cancelled."""
    use_fake_renderer(monkeypatch)
    engine = store.make_engine(db_url, timeout=10)
    store.init_schema(engine, "x", prefix="นร 1200")             # idempotent (db_url may have done it)
    for n, (subject, to, date) in LETTERS.items():
        path = write_letter(tmp_path, f"{n}.yaml", subject=subject, to=to, date=date)
        entry = service.issue(engine, path, tmp_path / "out", ("pdf",), now=NOW).entry
        assert entry["number"] == n
    key = SeriesKey("นร 1200", "ปกติ", 2569)
    service.mark_sent(engine, key, 4, on=dt.date(2026, 12, 1), by="สมศรี", now=NOW)
    service.reserve(engine, "นร 1200", "ปกติ", 3, "หนังสือเขียนมือ", now=NOW)
    service.cancel(engine, key, 7, "พิมพ์ผิด", now=NOW)
    with store.transaction(engine) as conn:
        store.update_entry(conn, 3, ("issued",), doctype="memo")
        store.update_entry(conn, 5, ("reserved",), status="pending")
    yield engine
    engine.dispose()


def numbers(engine, **filters) -> list[int]:
    return [e["number"] for e in service.entries(engine, query=query.parse(**filters))]


# ---------------------------------------------------------------- filters

@pytest.mark.parametrize("text", ["2024-05-30", "30 พฤษภาคม 2567", "30 พ.ค. 2567", "๓๐ พฤษภาคม ๒๕๖๗",
                                  "๓๐ พ.ค. ๒๕๖๗", "30/5/2567", "๓๐/๐๕/๒๕๖๗", " 30  พฤษภาคม  2567 "])
def test_letter_date_in_every_form(reg, text):
    assert numbers(reg, date_from=text, date_to=text) == [1]


def test_date_range_and_open_ends(reg):
    assert numbers(reg, date_from="1 พ.ย. 2569") == [2, 4]
    assert numbers(reg, date_to="31/10/2569") == [1, 3]
    assert numbers(reg, date_from="2026-10-31", date_to="๑๕ พฤศจิกายน ๒๕๖๙") == [2, 3]


@pytest.mark.parametrize("text", ["2569-11", "๒๕๖๙-๑๑", "พฤศจิกายน 2569", "พ.ย. ๒๕๖๙", "11/2569", "2026-11"])
def test_month_be_thai_digits_and_names(reg, text):
    assert numbers(reg, month=text) == [2, 4]


def test_month_with_a_range_is_their_intersection(reg):
    assert numbers(reg, month="2569-11", date_from="16 พ.ย. 2569") == [4]
    assert numbers(reg, month="2567-05") == [1]
    assert numbers(reg, month="2569-12") == []


@pytest.mark.parametrize("text, expected", [
    ("กระทรวงการคลัง", [1, 4]), ("กระทรวง การคลัง", [1, 4]), ("บัญชี\u200bกลาง", [2]),
    ("ประชุม", []),                                   # a subject word is not the recipient
])
def test_to_agency(reg, text, expected):
    assert numbers(reg, to_agency=text) == expected


@pytest.mark.parametrize("text, expected", [
    ("pending", [5]), ("ค้าง", [5]), ("issued", [1, 2, 3]), ("ออกแล้ว", [1, 2, 3]),
    ("sent", [4]), ("ส่งแล้ว", [4]), ("reserved", [6]), ("จอง", [6]), ("cancelled", [7]),
    ("ยกเลิก", [7]), ("จองเลข", [6]), ("Issued", [1, 2, 3]),
])
def test_status_english_and_thai(reg, text, expected):
    assert numbers(reg, status=text) == expected


def test_type_key_and_thai_name(reg):
    assert numbers(reg, doctype="memo") == numbers(reg, doctype="บันทึกข้อความ") == [3]
    assert numbers(reg, doctype="external") == numbers(reg, doctype="หนังสือภายนอก") == [1, 2, 4]


@pytest.mark.parametrize("text, expected", [
    ("ขับเคลื่อน", [1]),                              # a word inside unsegmented Thai
    ("บูรณาการ", [1]), ("ขับ เคลื่อน", [1]), ("ปีงบ", [1]),
    ("ดําเนินงาน", [2]),                             # ํ + า typed for ำ
    ("๑๐๐%", [2]), ("100%", [2]), ("%", [2]), ("_", []),
    ("นร 1200/3", [3]), ("ที่ นร ๑๒๐๐/๓", [3]),
    ("บัญชีกลาง", [2]), ("hyperlink", [4]),
    ("' OR 1=1 --", []), ("x'); DROP TABLE register_entry; --", []),
])
def test_search_inside_unsegmented_thai(reg, text, expected):
    assert numbers(reg, search=text) == expected


def test_filters_combine_and_keep_year_series_prefix(reg):
    assert numbers(reg, year="๒๕๖๙", series="ปกติ", prefix="นร ๑๒๐๐", status="ออกแล้ว",
                   month="2569-11", to_agency="กรมบัญชีกลาง", search="รายงาน") == [2]
    assert numbers(reg, year=2568) == [] and len(numbers(reg)) == 7


def test_query_is_a_frozen_typed_value():
    q = query.parse(date_from="30 พ.ค. 2567", month="พฤศจิกายน ๒๕๖๙", status="ส่งแล้ว", search=" ขับ เคลื่อน ")
    assert q == query.RegisterQuery(date_from=dt.date(2024, 5, 30), month=(2026, 11), status="sent",
                                    search="ขับเคลื่อน")
    with pytest.raises(AttributeError):
        q.status = "issued"                                      # frozen
    assert "ส่งแล้ว" in q.describe() and "พฤศจิกายน ๒๕๖๙" in q.describe()


# ---------------------------------------------------------------- CLI

def test_cli_list_with_filters(run, reg, db_url):
    code, out, err = run("register", "list", "--month", "๒๕๖๙-๑๑", "--status", "ส่งแล้ว", "--db", db_url)
    assert code == 0 and "(1 รายการ — 1 row(s))" in out and "ส่งแล้ว" in out and "ขอความอนุเคราะห์" in out, err
    code, out, err = run("register", "list", "--from", "30/5/2567", "--to", "๓๐ พฤษภาคม ๒๕๖๗",
                         "--search", "บูรณาการ", "--db", db_url)
    assert code == 0 and "(1 รายการ — 1 row(s))" in out and "ปลัดกระทรวงการคลัง" in out, err
    code, out, err = run("register", "list", "--to-agency", "กระทรวงการคลัง", "--type", "หนังสือภายนอก",
                         "--db", db_url)
    assert code == 0 and "(2 รายการ — 2 row(s))" in out, err


@pytest.mark.parametrize("argv, option, needle", [
    (["--from", "พรุ่งนี้"], "--from", "cannot read the date"),
    (["--to", "30-5-2567x"], "--to", "cannot read the date"),
    (["--from", "31/2/2567"], "--from", "is not a date that exists"),
    (["--from", "30 พฤษภาคม 567"], "--from", "cannot read the date"),
    (["--month", "2569-13"], "--month", "cannot read the month"),
    (["--month", "หน้าฝน 2569"], "--month", "cannot read the month"),
    (["--status", "done"], "--status", "unknown status"),
    (["--type", "letter"], "--type", "unknown document type"),
    (["--search", "ก" * 300], "--search", "search text too long"),
    (["--to-agency", "ก" * 300], "--to-agency", "search text too long"),
    (["--from", "2024-06-01", "--to", "2024-05-01"], "--from", "empty date range"),
    (["--year", "25x"], "", "not a B.E. year"),
])
@pytest.mark.parametrize("command", [["register", "list"], ["register", "export", "--format", "xlsx"]])
def test_bad_filter_is_a_bilingual_error(run, reg, db_url, tmp_path, monkeypatch, command, argv, option, needle):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*command, *argv, "--db", db_url)
    assert code == 1 and out == "" and needle in err and option in err, (code, out, err)
    thai, english = err.split(" — ", 1)
    assert any("\u0e00" <= c <= "\u0e7f" for c in thai.replace(argv[1], "")), err
    assert not list(tmp_path.glob("register-*"))                 # no export written


# ---------------------------------------------------------------- XLSX

FORM_HEADS = ["ทะเบียนหนังสือส่ง วันที่", "เลขทะเบียนส่ง", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง",
              "การปฏิบัติ", "หมายเหตุ"]


@pytest.fixture
def xlsx(run, reg, db_url, tmp_path):
    target = tmp_path / "register.xlsx"
    code, out, err = run("register", "export", "--format", "xlsx", "-o", target, "--db", db_url)
    assert code == 0 and "7 รายการ → " in out and "7 row(s) → " in out, err
    return target


def test_xlsx_is_the_form(xlsx):
    from openpyxl import load_workbook
    ws = load_workbook(xlsx).active
    heads = [c.value for c in ws[1]]
    assert heads[:9] == FORM_HEADS
    assert heads[9:] == [h for _, h, _ in export.XLSX_EXTRA] and "สถานะ" in heads[9:]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(heads)).column_letter}8"
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    assert sorted(rows) == [1, 2, 3, 4, 5, 6, 7]
    first = rows[1]
    assert first[0].value == dt.datetime(2026, 11, 30) and first[0].is_date          # registered
    assert first[3].value == dt.datetime(2024, 5, 30) and first[3].is_date           # ลงวันที่
    assert first[0].number_format == first[3].number_format == export.XLSX_DATE
    assert "[$-D07041E]" in export.XLSX_DATE and "yyyy" in export.XLSX_DATE
    assert first[2].value == "นร ๑๒๐๐/๑" and first[5].value == "ปลัดกระทรวงการคลัง"
    assert first[6].value == UNSEGMENTED
    col = {h: i for i, h in enumerate(heads)}
    states = {n: r[col["สถานะ"]].value for n, r in rows.items()}
    assert states == {1: "ออกแล้ว", 2: "ออกแล้ว", 3: "ออกแล้ว", 4: "ส่งแล้ว", 5: "ค้างดำเนินการ",
                      6: "จองเลข", 7: "ยกเลิก"}
    assert rows[3][col["ประเภท"]].value == "บันทึกข้อความ"
    assert rows[4][col["วันที่ส่ง"]].value == dt.datetime(2026, 12, 1)
    assert rows[4][col["วันที่ส่ง"]].number_format == export.XLSX_DATE
    assert rows[7][8].value == "ยกเลิก: พิมพ์ผิด"
    hostile = rows[4][6]
    assert hostile.value.startswith("=HYPERLINK") and hostile.data_type == "s"   # text, not a formula


def test_xlsx_has_the_filters_rows(run, reg, db_url, tmp_path):
    from openpyxl import load_workbook
    target = tmp_path / "sent.xlsx"
    code, out, err = run("register", "export", "--format", "xlsx", "-o", target, "--status", "ส่งแล้ว",
                         "--month", "พฤศจิกายน 2569", "--db", db_url)
    assert code == 0 and "1 รายการ → " in out and "1 row(s) → " in out, err
    ws = load_workbook(target).active
    assert [r[1].value for r in ws.iter_rows(min_row=2)] == [4] and ws.auto_filter.ref.endswith("2")


def _missing(why: str):
    """CI installs LibreOffice Calc (scripts/setup.sh --tests): there a missing one is a failure."""
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


def _calc_to_csv(xlsx, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        _missing("needs LibreOffice")
    # token 9 "true": save cell contents as shown (the number formats applied)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
                    "--outdir", str(tmp_path / "csv"), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    out = tmp_path / "csv" / (xlsx.stem + ".csv")
    if not out.exists():
        _missing("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    return list(csv.reader(out.read_text(encoding="utf-8").splitlines()))


def test_libreoffice_shows_buddhist_era_dates(xlsx, tmp_path):
    rows = _calc_to_csv(xlsx, tmp_path)
    assert rows[0][:9] == FORM_HEADS
    by_number = {r[1]: r for r in rows[1:]}                       # Thai digits, as printed
    assert by_number["๑"][0] == "๓๐ พฤศจิกายน ๒๕๖๙"               # registered (B.E., Thai month)
    assert by_number["๑"][3] == "๓๐ พฤษภาคม ๒๕๖๗"                 # ลงวันที่, not 2024
    assert by_number["๒"][3] == "๑๕ พฤศจิกายน ๒๕๖๙"
    sent = rows[0].index("วันที่ส่ง")
    assert by_number["๔"][sent] == "๑ ธันวาคม ๒๕๖๙"
    assert by_number["๔"][6].startswith("=HYPERLINK")             # still the text
    assert "๒๐๒๔" not in " ".join(by_number["๑"][:4]) and "2024" not in " ".join(by_number["๑"][:4])


def test_csv_keeps_every_field_and_pdf_the_filtered_rows(run, reg, db_url, tmp_path):
    target = tmp_path / "r.csv"
    assert run("register", "export", "--format", "csv", "-o", target, "--db", db_url)[0] == 0
    data = list(csv.DictReader(target.read_bytes().decode("utf-8-sig").splitlines()))
    assert len(data) == 7 and {"doctype", "revision", "sent_at", "sent_by", "files"} <= set(data[0])
    assert data[3]["sent_at"] == "2026-12-01" and data[3]["subject"].startswith("'=HYPERLINK")
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    pdf = tmp_path / "r.pdf"
    code, out, err = run("register", "export", "--format", "pdf", "-o", pdf, "--to-agency", "กรมบัญชีกลาง",
                         "--db", db_url)
    assert code == 0 and "1 รายการ → " in out and "1 row(s) → " in out, err
    text = "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                                  capture_output=True, text=True).stdout.replace("\u200b", "").split())
    assert "ขอส่งรายงาน" in text and "ตัวชี้วัด" not in text and "กรมบัญชีกลาง" in text
