"""``docgen issue`` / ``docgen register …`` on the command line: output and bad input."""
from __future__ import annotations

import csv
import io

import pytest

from docgen import cli
from docgen.register import store

from .test_register_support import (db_url, pg_database, run, use_fake_renderer,  # noqa: F401
                                    write_letter)


@pytest.fixture
def issued(run, db_url, tmp_path):
    """A register with letters 1–2 and circular ว 1 issued."""
    for name, extra in (("a.yaml", {}), ("b.yaml", {"subject": "ขอส่งรายงาน"}),
                        ("c.yaml", {"subject": "แนวทางการรายงาน", "circular": True})):
        code, out, err = run("issue", write_letter(tmp_path, name, **extra), "-o", tmp_path / "out",
                             "--format", "pdf", "--db", db_url, "--by", "สมศรี")
        assert code == 0, err
    return db_url


def test_issue_prints_the_number_and_the_files(run, db_url, tmp_path):
    letter = write_letter(tmp_path)
    code, out, err = run("issue", letter, "-o", tmp_path / "out", "--format", "pdf", "--db", db_url)
    assert code == 0 and "ที่ นร ๑๒๐๐/๑" in out and "-1-" in out
    code, out, _ = run("issue", letter, "-o", tmp_path / "out", "--format", "pdf", "--db", db_url)
    assert code == 0 and "already issued" in out and "ที่ นร ๑๒๐๐/๑" in out
    code, out, _ = run("issue", letter, "-o", tmp_path / "out", "--format", "pdf", "--db", db_url, "--new")
    assert code == 0 and "ที่ นร ๑๒๐๐/๒" in out


def test_no_configured_register_refuses_to_issue(run, tmp_path, monkeypatch):
    """No --db, no $DOCGEN_DATABASE_URL, no profile register:, no docgen.toml: refused, and
    the message says where docgen looked; nothing is created (there is no default file)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(store.ENV_URL, raising=False)
    for argv in (("issue", write_letter(tmp_path), "--format", "pdf"), ("register", "list"),
                 ("register", "init", "--prefix", "นร 1200")):
        code, out, err = run(*argv)
        assert code == 1 and "no office register is configured" in err, err
        assert "docgen.toml" in err and "$DOCGEN_DATABASE_URL" in err and "ยังไม่ได้กำหนดทะเบียน" in err
    assert not list(tmp_path.rglob("*.db")) and not (tmp_path / "out").exists()
    assert not list(tmp_path.glob("*.pdf"))


def test_database_from_environment(run, tmp_path, monkeypatch):
    other = tmp_path / "other.db"
    monkeypatch.setenv(store.ENV_URL, f"sqlite:///{other}")
    code, out, err = run("issue", write_letter(tmp_path), "--format", "pdf")
    assert code == 1 and "there is no register at" in err and not other.exists()
    assert run("register", "init", "--prefix", "นร 1200")[0] == 0 and other.is_file()
    assert run("issue", write_letter(tmp_path), "--format", "pdf")[0] == 0


def test_render_never_touches_the_register(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(store.ENV_URL, raising=False)
    code, out, err = run("render", write_letter(tmp_path), "-o", tmp_path / "out", "--format", "pdf")
    assert code == 0, err
    assert not (tmp_path / "docgen.db").exists()


def test_list_show_reserve_cancel(run, issued):
    code, out, _ = run("register", "list", "--db", issued)
    assert code == 0 and "ขอส่งรายงาน" in out and "ว 1" in out and "(3 รายการ — 3 row(s))" in out
    code, out, _ = run("register", "list", "--series", "ว", "--db", issued)
    assert "แนวทางการรายงาน" in out and "ขอส่งรายงาน" not in out
    code, out, _ = run("register", "list", "--search", "รายงาน", "--year", "๒๕๖๙", "--db", issued)
    assert code == 0
    code, out, _ = run("register", "show", "ว1", "--db", issued)
    assert code == 0 and "ที่/ref: ที่ นร ๑๒๐๐/ว ๑" in out and "ผู้ออก/by: สมศรี" in out and "sha256" in out
    code, out, err = run("register", "reserve", "2", "--reason", "หนังสือด่วนเขียนมือ", "--db", issued)
    assert code == 0 and "3–4" in out, err
    code, out, err = run("register", "cancel", "4", "--reason", "ไม่ได้ใช้", "--db", issued)
    assert code == 0 and "ยกเลิก ที่ นร ๑๒๐๐/๔" in out and "cancelled ที่ นร ๑๒๐๐/๔" in out, err
    code, out, _ = run("register", "list", "--status", "cancelled", "--db", issued)
    assert "ไม่ได้ใช้" in out and "(1 รายการ — 1 row(s))" in out


@pytest.mark.parametrize("argv, needle", [
    (["register", "reserve", "0"], "from 1 to 1000"),
    (["register", "reserve", "-5"], "from 1 to 1000"),
    (["register", "reserve", "1001"], "from 1 to 1000"),
    (["register", "reserve", "99999999999999999999"], "from 1 to 1000"),
    (["register", "reserve", "สาม"], "from 1 to 1000"),
    (["register", "reserve", "3", "--series", "คำสั่งพิเศษ"], "unknown number series"),
    (["register", "list", "--series", "x"], "unknown number series"),
    (["register", "list", "--year", "25x"], "not a B.E. year"),
    (["register", "show", "99"], "does not exist"),
    (["register", "show", "ว 99"], "does not exist"),
    (["register", "show", "1; DROP TABLE register_entry"], "cannot read the register number"),
    (["register", "show", "-3"], "cannot read the register number"),
    (["register", "cancel", "99", "--reason", "x"], "does not exist"),
    (["register", "cancel", "1"], "a reason is required"),
    (["register", "cancel", "1", "--reason", "  "], "a reason is required"),
    (["register", "export", "--format", "doc"], "use csv, xlsx or pdf"),
    (["register", "list", "--search", "ก" * 300], "search text too long"),
])
def test_bad_input_is_a_bilingual_error(run, issued, argv, needle):
    code, out, err = run(*argv, "--db", issued)
    assert code == 1 and needle in err and " — " in err and out == "", (code, out, err)
    code, out, _ = run("register", "list", "--db", issued)
    assert "(3 รายการ — 3 row(s))" in out                           # nothing changed


def test_sql_looking_search_is_just_text(run, issued):
    for text in ("'; DROP TABLE register_entry; --", "%' OR '1'='1", "_"):
        code, out, err = run("register", "list", "--search", text, "--db", issued)
        assert code == 0 and "(0 รายการ — 0 row(s))" in out, err
    assert "(3 รายการ — 3 row(s))" in run("register", "list", "--db", issued)[1]


def test_a_register_serves_one_agency(run, issued, tmp_path):
    code, out, err = run("register", "reserve", "1", "--prefix", "ชม 0017.2", "--db", issued)
    assert code == 1 and "serves 'นร 1200'" in err and "ชม 0017.2" in err
    letter = write_letter(tmp_path, "cm.yaml", profile="profiles/chiangmai.yaml")
    import shutil
    from docgen.data import ROOT
    shutil.copy(ROOT / "examples" / "profiles" / "chiangmai.yaml", tmp_path / "profiles")
    code, out, err = run("issue", letter, "-o", tmp_path / "out", "--format", "pdf", "--db", issued)
    assert code == 1 and "refuses letters of 'ชม 0017.2'" in err
    assert run("register", "init", "--prefix", "ชม 0017.2", "--db", issued)[0] == 1   # not silently


def test_several_prefixes_need_a_choice(run, issued, tmp_path):
    assert run("register", "init", "--multi-agency", "--db", issued)[0] == 0
    assert run("register", "reserve", "1", "--prefix", "ชม 0017.2", "--db", issued)[0] == 0
    code, out, err = run("register", "show", "1", "--db", issued)
    assert code == 1 and "several prefixes" in err and "ชม 0017.2" in err
    code, out, err = run("register", "show", "1", "--prefix", "ชม ๐๐๑๗.๒", "--db", issued)
    assert code == 0 and "ที่ ชม ๐๐๑๗.๒/๑" in out
    profile = tmp_path / "profiles" / "opdc.yaml"
    code, out, err = run("register", "show", "2", "--profile", profile, "--db", issued)
    assert code == 0 and "ที่ นร ๑๒๐๐/๒" in out


def test_bad_files_and_urls(run, tmp_path, db_url):
    code, out, err = run("issue", tmp_path / "missing.yaml", "--db", db_url, "--format", "pdf")
    assert code == 1 and "file not found" in err
    code, out, err = run("register", "list", "--db", "mysql://u@h/db")
    assert code == 1 and "unsupported database URL" in err
    code, out, err = run("register", "list", "--db", f"sqlite:///{tmp_path}/none.db")
    assert code == 1 and "docgen register init" in err and not (tmp_path / "none.db").exists()


def test_unwritable_export_target(run, issued, tmp_path):
    (tmp_path / "plain").write_text("x")
    code, out, err = run("register", "export", "--format", "csv", "-o", tmp_path / "plain" / "r.csv",
                         "--db", issued)
    assert code == 1 and "cannot write" in err


def test_csv_and_xlsx_exports(run, issued, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hostile = write_letter(tmp_path, "h.yaml", subject="=HYPERLINK(\"http://x\") <b>ตัวหนา</b>")
    assert run("issue", hostile, "-o", tmp_path / "out", "--format", "pdf", "--db", issued)[0] == 0
    code, out, err = run("register", "export", "--format", "csv", "--db", issued)
    assert code == 0, err
    text = (tmp_path / "register-all.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["number"] for r in rows] == ["1", "2", "3", "1"]
    assert rows[2]["subject"].startswith("'=HYPERLINK")        # no formula injection
    code, out, err = run("register", "export", "--format", "xlsx", "-o", tmp_path / "r.xlsx", "--db", issued)
    assert code == 0, err
    from openpyxl import load_workbook
    ws = load_workbook(tmp_path / "r.xlsx").active
    heads = [c.value for c in ws[1]]
    cell = ws.cell(row=4, column=heads.index("เรื่อง") + 1)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"   # text, not a formula
