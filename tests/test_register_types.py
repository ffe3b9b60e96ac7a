"""The register numbers every type that carries a number, each in its series.

คำสั่ง runs in a series of its own, per calendar year, and prints the year after the slash;
หนังสือประทับตรา and หนังสือรับรอง share the agency's letter series unless the profile
separates them; ประกาศ is numbered only where the profile asks; a type that carries no
number (ระเบียบ …) is refused.  `docgen issue` and `register list/export` show the type, and
an old register database is upgraded in place by `register init`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from docgen.data import ROOT
from docgen.register import export, service, store
from docgen.register.keys import SeriesKey, register_year
from docgen.thai.dates import BANGKOK, bangkok
from docgen.thai.digits import to_thai_digits

from .test_register_support import (assert_consistent, db_url, engine, pg_database,  # noqa: F401
                                    load_ddl, raw_db_url, run, use_fake_renderer, write_letter)
from .test_register_trust import V1_SCHEMA

NOW = dt.datetime(2024, 6, 28, 10, 0, tzinfo=BANGKOK)
FMT = ("pdf",)
EXAMPLES = {"order": "07_order", "announcement": "08_announcement", "regulation": "09_regulation",
            "stamped": "13_stamped", "certificate": "14_certificate"}


def example(folder: Path, kind: str, name: str | None = None, numbering: dict | None = None,
            keep_date: bool = True, **fields) -> Path:
    """An example letter of ``kind`` copied into ``folder`` without its ``number:`` (issue gives
    it), beside the ก.พ.ร. profile (with ``numbering`` when given)."""
    profiles = folder / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    profile = yaml.safe_load((ROOT / "examples" / "profiles" / "opdc.yaml").read_text(encoding="utf-8"))
    if numbering:
        profile["numbering"] = numbering
    (profiles / "opdc.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    data = yaml.safe_load((ROOT / "examples" / f"{EXAMPLES[kind]}.yaml").read_text(encoding="utf-8"))
    data.pop("number", None)
    if not keep_date:
        data.pop("date", None)
    data.update(fields)
    path = folder / (name or f"{EXAMPLES[kind]}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def fake(monkeypatch):
    use_fake_renderer(monkeypatch)


def issue(engine, path, **kw):
    kw.setdefault("now", NOW)
    return service.issue(engine, path, path.parent / "out", FMT, by="tester", **kw)


# ---------------------------------------------------------------- series

def test_each_type_is_numbered_in_its_own_series(engine, tmp_path, fake):
    ext1 = issue(engine, write_letter(tmp_path, "a.yaml", subject="เรื่องหนึ่ง"))
    order1 = issue(engine, example(tmp_path, "order", "o1.yaml"))
    order2 = issue(engine, example(tmp_path, "order", "o2.yaml", subject="แต่งตั้งคณะทำงานอีกชุด"))
    ext2 = issue(engine, write_letter(tmp_path, "b.yaml", subject="เรื่องสอง"))
    stamped = issue(engine, example(tmp_path, "stamped"))
    cert = issue(engine, example(tmp_path, "certificate"))
    memo = issue(engine, write_letter(tmp_path, "m.yaml", type="memo", subject="บันทึก", to="เลขาธิการ ก.พ.ร."))
    got = [(r.entry["series"], r.entry["number"], r.entry["doctype"]) for r in
           (ext1, order1, order2, ext2, stamped, cert, memo)]
    assert got == [("ปกติ", 1, "external"), ("คำสั่ง", 1, "order"), ("คำสั่ง", 2, "order"),
                   ("ปกติ", 2, "external"), ("ปกติ", 3, "stamped"), ("ปกติ", 4, "certificate"),
                   ("ปกติ", 5, "memo")]
    # an order's ที่: the number, "/", the B.E. year; the letters' ที่ as before
    assert order1.entry["ref_text"] == "ที่ ๑/๒๕๖๗" and order2.entry["ref_text"] == "ที่ ๒/๒๕๖๗"
    assert order1.paths["pdf"].read_text(encoding="utf-8").startswith("ที่ ๑/๒๕๖๗|")
    assert stamped.entry["ref_text"] == "ที่ นร ๑๒๐๐/๓" and cert.entry["ref_text"] == "ที่ นร ๑๒๐๐/๔"
    # stamped and certificate have no subject; the certificate no recipient either
    assert stamped.entry["subject"] is None and cert.entry["recipient"] is None
    # file names: the series before the number, unique per series
    assert order1.paths["pdf"].name == "นร1200-คำสั่ง1-2567-o1.pdf"
    assert ext1.paths["pdf"].name == "นร1200-1-2567-a.pdf"
    assert service.find(engine, SeriesKey("นร 1200", "คำสั่ง", 2567), 2)["id"] == order2.entry["id"]
    assert_consistent(engine)


def test_the_profile_separates_stamped_and_numbers_announcements(engine, tmp_path, fake):
    own = {"stamped": "own", "announcement": "own", "certificate": "own"}
    ext = issue(engine, write_letter(tmp_path, "a.yaml"))
    stamped = issue(engine, example(tmp_path / "own", "stamped", numbering=own))
    cert = issue(engine, example(tmp_path / "own", "certificate", numbering=own))
    news = issue(engine, example(tmp_path / "own", "announcement", numbering=own))
    news2 = issue(engine, example(tmp_path / "own", "announcement", "b.yaml", numbering=own,
                                  subject="การปิดให้บริการชั่วคราว"))
    ext2 = issue(engine, write_letter(tmp_path, "b.yaml", subject="อีกเรื่อง"))
    assert (ext.entry["series"], ext.entry["number"], ext2.entry["number"]) == ("ปกติ", 1, 2)
    assert (stamped.entry["series"], stamped.entry["number"]) == ("หนังสือประทับตรา", 1)
    assert (cert.entry["series"], cert.entry["number"]) == ("หนังสือรับรอง", 1)
    assert [(r.entry["series"], r.entry["number"]) for r in (news, news2)] == [("ประกาศ", 1), ("ประกาศ", 2)]
    assert news.entry["ref_text"] == "ฉบับที่ ๑" and news2.entry["ref_text"] == "ฉบับที่ ๒"
    assert stamped.entry["ref_text"] == "ที่ นร ๑๒๐๐/๑"
    assert stamped.paths["pdf"].name.startswith("นร1200-หนังสือประทับตรา1-2567-")
    assert news.paths["pdf"].name.startswith("นร1200-ประกาศ1-2567-")
    # without the profile's word, an announcement carries no number
    with pytest.raises(service.RegisterError) as e:
        issue(engine, example(tmp_path / "plain", "announcement"))
    assert e.value.code == "type-not-numbered"
    assert_consistent(engine)


def test_orders_run_per_calendar_year_even_in_a_fiscal_register(engine, tmp_path, fake):
    folder = tmp_path / "fiscal"
    order = example(folder, "order", keep_date=False)
    profile = folder / "profiles" / "opdc.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("year_start: calendar", "year_start: fiscal"),
                       encoding="utf-8")
    letter = write_letter(folder, "a.yaml")          # keeps the (now fiscal) profile beside it
    october = dt.datetime(2024, 10, 15, 9, 0, tzinfo=BANGKOK)
    o1, e1 = issue(engine, order, now=october), issue(engine, letter, now=october)
    assert (o1.entry["year"], e1.entry["year"]) == (2567, 2568)        # calendar / fiscal
    assert o1.entry["ref_text"] == "ที่ ๑/๒๕๖๗"
    january = dt.datetime(2025, 1, 2, 9, 0, tzinfo=BANGKOK)
    o2 = issue(engine, order, now=january, new=True)
    assert (o2.entry["year"], o2.entry["number"], o2.entry["ref_text"]) == (2568, 1, "ที่ ๑/๒๕๖๘")
    assert_consistent(engine)


def test_a_type_without_a_number_is_refused_in_both_languages(run, db_url, tmp_path):
    for kind in ("regulation", "announcement"):
        code, out, err = run("issue", example(tmp_path, kind), "--format", "pdf", "--db", db_url)
        assert code == 1 and "Traceback" not in err
        assert "ไม่มีเลขทะเบียนหนังสือส่ง" in err and "carries no register number" in err, err
        assert f"numbering: {kind}: own" in err
    code, out, err = run("issue", example(tmp_path, "regulation"), "--format", "pdf", "--db", db_url, "--json")
    item = json.loads(out)["files"][0]
    assert item["error"]["code"] == "type-not-numbered" and set(item["error"]) == {"code", "th", "en"}
    code, out, _ = run("register", "list", "--db", db_url)
    assert code == 0 and "(0 รายการ — 0 row(s))" in out           # no number was taken


# ---------------------------------------------------------------- showing the type

@pytest.fixture
def issued_types(run, db_url, tmp_path):
    """external 1, order 1, stamped 2 (letter series), reserved คำสั่ง 2–3."""
    for path in (write_letter(tmp_path, "a.yaml"), example(tmp_path, "order", keep_date=False),
                 example(tmp_path, "stamped", keep_date=False)):
        code, out, err = run("issue", path, "-o", tmp_path / "out", "--format", "pdf", "--db", db_url)
        assert code == 0, err
    code, out, err = run("register", "reserve", "2", "--series", "order", "--reason", "คำสั่งเขียนมือ",
                         "--db", db_url, "--prefix", "นร 1200")
    assert code == 0, err
    return db_url


def year_th() -> str:
    return to_thai_digits(str(bangkok().year + 543))


def test_issue_shows_the_type(run, db_url, tmp_path):
    order = example(tmp_path, "order", keep_date=False)
    code, out, err = run("issue", order, "-o", tmp_path / "out", "--format", "pdf", "--db", db_url)
    assert code == 0, err
    assert "คำสั่ง: " in out and f"ที่ ๑/{year_th()}" in out and "คำสั่ง 1" in out
    code, out, err = run("issue", example(tmp_path, "stamped", keep_date=False), "-o", tmp_path / "out",
                         "--format", "pdf", "--db", db_url, "--json")
    item = json.loads(out)["files"][0]
    assert (item["doctype"], item["type_name"], item["series"], item["number"], item["label"]) == \
        ("stamped", "หนังสือประทับตรา", "ปกติ", 1, "1")
    assert "/นร1200-1-" in item["outputs"]["pdf"]


def test_list_and_show_give_the_type(run, issued_types):
    db = issued_types
    code, out, err = run("register", "list", "--db", db)
    assert code == 0, err
    assert "ประเภท/type" in out and "หนังสือภายนอก" in out and "หนังสือประทับตรา" in out
    assert "คำสั่ง 1" in out and "คำสั่ง 3" in out and f"ที่ ๓/{year_th()}" in out
    code, out, _ = run("register", "list", "--db", db, "--json")
    entries = json.loads(out)["entries"]
    assert [(e["series"], e["number"], e["type_name"]) for e in entries] == [
        ("คำสั่ง", 1, "คำสั่ง"), ("คำสั่ง", 2, "คำสั่ง"), ("คำสั่ง", 3, "คำสั่ง"),
        ("ปกติ", 1, "หนังสือภายนอก"), ("ปกติ", 2, "หนังสือประทับตรา")]
    assert entries[1]["doctype"] == "order" and entries[1]["status"] == "reserved"
    code, out, _ = run("register", "list", "--db", db, "--series", "คำสั่ง", "--json")
    assert [e["number"] for e in json.loads(out)["entries"]] == [1, 2, 3]
    code, out, _ = run("register", "list", "--db", db, "--type", "stamped", "--json")
    assert [e["label"] for e in json.loads(out)["entries"]] == ["2"]
    code, out, err = run("register", "show", "คำสั่ง 1", "--db", db)
    assert code == 0 and "คำสั่ง (order)" in out and f"ที่ ๑/{year_th()}" in out, err
    code, out, err = run("register", "show", "1", "--series", "order", "--db", db)
    assert code == 0 and "คำสั่ง (order)" in out, err
    code, out, err = run("register", "cancel", "คำสั่ง 2", "--reason", "ไม่ใช้", "--db", db)
    assert code == 0 and f"ที่ ๒/{year_th()}" in out, err


def test_exports_give_the_type(run, issued_types, tmp_path):
    db = issued_types
    target = tmp_path / "r.csv"
    code, out, err = run("register", "export", "--format", "csv", "-o", target, "--db", db)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert [(r["series"], r["number"], r["doctype"], r["type_name"]) for r in rows] == [
        ("คำสั่ง", "1", "order", "คำสั่ง"), ("คำสั่ง", "2", "order", "คำสั่ง"), ("คำสั่ง", "3", "order", "คำสั่ง"),
        ("ปกติ", "1", "external", "หนังสือภายนอก"), ("ปกติ", "2", "stamped", "หนังสือประทับตรา")]
    xlsx = tmp_path / "r.xlsx"
    assert run("register", "export", "--format", "xlsx", "-o", xlsx, "--db", db)[0] == 0
    from openpyxl import load_workbook
    ws = load_workbook(xlsx).active
    heads = [c.value for c in ws[1]]
    col = heads.index("ประเภท")
    assert [r[col].value for r in ws.iter_rows(min_row=2)] == ["คำสั่ง"] * 3 + ["หนังสือภายนอก", "หนังสือประทับตรา"]
    assert [r[heads.index("เลขทะเบียนส่ง")].value for r in ws.iter_rows(min_row=2)][:1] == ["คำสั่ง ๑"]
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    pdf = tmp_path / "r.pdf"
    assert run("register", "export", "--format", "pdf", "-o", pdf, "--db", db)[0] == 0
    from .conftest import pdftotext, squash
    text = squash(pdftotext(pdf))
    assert "ประเภท" in text and "หนังสือประทับตรา" in text and "หนังสือภายนอก" in text
    assert squash(f"๑/{year_th()}") in text


def test_printed_cells_give_the_type():
    entry = {"status": "issued", "issued_at": "2024-06-28T10:00:00+07:00", "letter_date": "2024-06-28",
             "series": "คำสั่ง", "number": 12, "ref_text": "ที่ ๑๒/๒๕๖๗", "doctype": "order"}
    cells = export.printed_cells(entry)
    assert (cells["doctype"], cells["number"], cells["ref"]) == ("คำสั่ง", "คำสั่ง ๑๒", "๑๒/๒๕๖๗")
    assert export.printed_cells({**entry, "doctype": None, "series": "ปกติ"})["doctype"] == ""


# ---------------------------------------------------------------- the documents themselves

def test_an_issued_order_prints_its_number_and_year(db_url, tmp_path, capsys):
    """The real renderers: an order's PDF prints ที่ ๑/<B.E. year>, a stamped letter's ที่ นร ๑๒๐๐/๑."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    from docgen import cli
    from .conftest import pdftotext, squash
    out = tmp_path / "out"
    for kind in ("order", "stamped"):
        code = cli.main(["issue", str(example(tmp_path, kind, keep_date=False)), "-o", str(out),
                         "--format", "pdf", "--db", db_url])
        assert code == 0
    order, stamped = tmp_path / "order.pdf", tmp_path / "stamped.pdf"     # pdftotext: ASCII names
    shutil.copy(next(out.glob("นร1200-คำสั่ง1-*.pdf")), order)
    shutil.copy(next(out.glob("นร1200-1-*.pdf")), stamped)
    assert squash(f"ที่ ๑/{year_th()}") in squash(pdftotext(order))
    assert squash("ที่ นร ๑๒๐๐/๑") in squash(pdftotext(stamped))


def test_an_order_dated_in_another_year_prints_the_register_year(db_url, tmp_path):
    """The number belongs to the register year's sequence, so the year after the slash is the
    register's (the year the number was taken), also when the order's date is of another year."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    from .conftest import pdftotext, squash
    engine = store.make_engine(db_url)
    try:
        result = service.issue(engine, example(tmp_path, "order"), tmp_path / "out", FMT, by="tester")
    finally:
        engine.dispose()
    year = register_year(dt.datetime.now(BANGKOK))
    assert result.entry["year"] == year
    pdf = tmp_path / "order.pdf"
    shutil.copy(next((tmp_path / "out").glob("*.pdf")), pdf)
    text = squash(pdftotext(pdf))
    assert squash(f"ที่ ๑/{to_thai_digits(str(year))}") in text
    assert squash("สั่ง ณ วันที่ ๓ มิถุนายน พ.ศ. ๒๕๖๗") in text      # the date is the order's own


# ---------------------------------------------------------------- old registers

# The register as docgen made it before this change (schema 2: store.py at that time), with
# letters of the letter series only; `register init` must keep it and let every type issue.
V2_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at VARCHAR(40) NOT NULL, PRIMARY KEY (version));
CREATE TABLE register_sequence (prefix VARCHAR(60) NOT NULL, series VARCHAR(20) NOT NULL, year INTEGER NOT NULL,
    last INTEGER NOT NULL, PRIMARY KEY (prefix, series, year));
CREATE TABLE register_entry (id {serial} NOT NULL, prefix VARCHAR(60) NOT NULL, series VARCHAR(20) NOT NULL,
    year INTEGER NOT NULL, number INTEGER NOT NULL, status VARCHAR(12) NOT NULL, ref_text TEXT NOT NULL,
    letter_date VARCHAR(10), agency TEXT, recipient TEXT, subject TEXT, action TEXT, note TEXT, reason TEXT,
    issued_by TEXT, issued_at VARCHAR(40) NOT NULL, updated_at VARCHAR(40) NOT NULL, source TEXT,
    content_hash VARCHAR(64), files TEXT, batch_id VARCHAR(64), doctype VARCHAR(40),
    revision INTEGER DEFAULT '1' NOT NULL, sent_at VARCHAR(40), sent_by TEXT, search_text TEXT,
    PRIMARY KEY (id), CONSTRAINT uq_register_number UNIQUE (prefix, series, year, number),
    CONSTRAINT ck_register_status CHECK (status IN ('pending', 'issued', 'reserved', 'cancelled')),
    CONSTRAINT ck_register_number CHECK (number >= 1));
CREATE INDEX ix_register_hash ON register_entry (prefix, content_hash);
CREATE TABLE register_revision (id {serial} NOT NULL, entry_id INTEGER NOT NULL, revision INTEGER NOT NULL,
    status VARCHAR(12) NOT NULL, content_hash VARCHAR(64), files TEXT, source TEXT, reason TEXT, made_by TEXT,
    made_at VARCHAR(40) NOT NULL, PRIMARY KEY (id), CONSTRAINT uq_register_revision UNIQUE (entry_id, revision),
    CONSTRAINT ck_revision_status CHECK (status IN ('pending', 'done')),
    FOREIGN KEY(entry_id) REFERENCES register_entry (id));
CREATE TABLE register_info ("key" VARCHAR(40) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"));
INSERT INTO schema_version VALUES (2, '2024-05-01T09:00:00+07:00');
INSERT INTO register_info VALUES ('prefix', 'นร 1200');
INSERT INTO register_sequence VALUES ('นร 1200', 'ปกติ', {year}, 2);
INSERT INTO register_sequence VALUES ('นร 1200', 'ว', {year}, 1);
INSERT INTO register_entry (prefix, series, year, number, status, ref_text, letter_date, agency, recipient,
    subject, issued_by, issued_at, updated_at, source, content_hash, files, doctype, revision, search_text) VALUES
    ('นร 1200', 'ปกติ', {year}, 1, 'issued', 'ที่ นร ๑๒๐๐/๑', '2024-05-02', 'สำนักงาน ก.พ.ร.',
     'ปลัดกระทรวงการคลัง', 'ตัวชี้วัดขับเคลื่อนการบูรณาการ', 'สมศรี', '2024-05-02T10:00:00+07:00',
     '2024-05-02T10:00:00+07:00', 'a.yaml', 'abc', '{"pdf": {"path": "/x/a.pdf", "sha256": "00"}}',
     'external', 1, 'ตัวชี้วัดขับเคลื่อนการบูรณาการ'),
    ('นร 1200', 'ปกติ', {year}, 2, 'issued', 'ที่ นร ๑๒๐๐/๒', '2024-05-03', 'สำนักงาน ก.พ.ร.',
     'เลขาธิการ ก.พ.ร.', 'ขอส่งรายงาน', 'สมศรี', '2024-05-03T10:00:00+07:00',
     '2024-05-03T10:00:00+07:00', 'm.yaml', 'def', '{}', 'memo', 1, 'ขอส่งรายงาน'),
    ('นร 1200', 'ว', {year}, 1, 'reserved', 'ที่ นร ๑๒๐๐/ว ๑', NULL, NULL, NULL, NULL, 'สมศรี',
     '2024-05-04T10:00:00+07:00', '2024-05-04T10:00:00+07:00', NULL, NULL, NULL, NULL, 1, 'ที่นร1200/ว1');
INSERT INTO register_revision (entry_id, revision, status, content_hash, files, source, made_by, made_at)
    VALUES (1, 1, 'done', 'abc', '{"pdf": {"path": "/x/a.pdf", "sha256": "00"}}', 'a.yaml', 'สมศรี',
            '2024-05-02T10:00:00+07:00');
"""


def _issue_every_type(run, url: str, folder: Path) -> dict:
    """Issue an order, a stamped letter, a certificate and an external letter into ``url``."""
    got = {}
    for kind, path in (("order", example(folder, "order", keep_date=False)),
                       ("stamped", example(folder, "stamped", keep_date=False)),
                       ("certificate", example(folder, "certificate", keep_date=False)),
                       ("external", write_letter(folder, "new.yaml", subject="เรื่องใหม่"))):
        code, out, err = run("issue", path, "-o", folder / "out", "--format", "pdf", "--db", url, "--json")
        assert code == 0, err
        item = json.loads(out)["files"][0]
        got[kind] = (item["series"], item["number"], item["ref"])
    return got


def test_register_init_upgrades_a_schema_1_register_and_every_type_issues(run, raw_db_url, tmp_path):
    load_ddl(raw_db_url, V1_SCHEMA)
    code, _, err = run("issue", example(tmp_path, "order", keep_date=False), "--format", "pdf",
                       "--db", raw_db_url)
    assert code == 1 and "older schema" in err and "register init" in err      # not before init
    code, out, err = run("register", "init", "--db", raw_db_url)
    assert code == 0, err
    got = _issue_every_type(run, raw_db_url, tmp_path)
    year = bangkok().year + 543
    assert got["order"] == ("คำสั่ง", 1, f"ที่ ๑/{to_thai_digits(str(year))}")
    assert got["stamped"][:2] == ("ปกติ", 1 if year != 2567 else 3)             # the old rows are of 2567
    code, out, _ = run("register", "list", "--db", raw_db_url, "--year", "2567", "--json")
    old = [e for e in json.loads(out)["entries"] if e["issued_at"].startswith("2024-05")]
    assert [(e["number"], e["status"], e["type_name"]) for e in old] == [
        (1, "issued", "หนังสือภายนอก"), (2, "cancelled", "หนังสือภายนอก")]


def test_register_init_keeps_a_schema_2_register_and_every_type_issues(run, raw_db_url, tmp_path):
    year = bangkok().year + 543
    load_ddl(raw_db_url, V2_SCHEMA.replace("{year}", str(year)))
    code, out, err = run("register", "init", "--db", raw_db_url)
    assert code == 0 and "schema 2" in out and "นร 1200" in out, err
    assert run("register", "init", "--db", raw_db_url)[0] == 0                  # idempotent
    got = _issue_every_type(run, raw_db_url, tmp_path)
    y = to_thai_digits(str(year))
    assert got == {"order": ("คำสั่ง", 1, f"ที่ ๑/{y}"), "stamped": ("ปกติ", 3, "ที่ นร ๑๒๐๐/๓"),
                   "certificate": ("ปกติ", 4, "ที่ นร ๑๒๐๐/๔"), "external": ("ปกติ", 5, "ที่ นร ๑๒๐๐/๕")}
    code, out, _ = run("register", "list", "--db", raw_db_url, "--json")
    entries = json.loads(out)["entries"]
    assert [(e["series"], e["number"], e["type_name"]) for e in entries] == [
        ("คำสั่ง", 1, "คำสั่ง"), ("ปกติ", 1, "หนังสือภายนอก"), ("ปกติ", 2, "บันทึกข้อความ"),
        ("ปกติ", 3, "หนังสือประทับตรา"), ("ปกติ", 4, "หนังสือรับรอง"), ("ปกติ", 5, "หนังสือภายนอก"),
        ("ว", 1, "")]
    code, out, err = run("register", "show", "1", "--db", raw_db_url)
    assert code == 0 and "/x/a.pdf" in out and "r1" in out, err                # the old revision is kept
    eng = store.make_engine(raw_db_url)
    with store.transaction(eng, read=True) as conn:
        assert store.current_version(conn) == store.SCHEMA_VERSION
        seqs = {(r.series, r.year): r.last for r in conn.execute(sa.select(store.sequences))}
    eng.dispose()
    assert seqs == {("ปกติ", year): 5, ("ว", year): 1, ("คำสั่ง", year): 1}
