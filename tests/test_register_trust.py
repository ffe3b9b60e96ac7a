"""A register an office can trust (issue 8): one register per office found by configuration,
one number → one set of files, corrections under the same number, batch cancel, and the
agency a register serves.  Every test runs on SQLite and on the real PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from docgen import cli
from docgen.output import sha256_file
from docgen.register import service, store
from docgen.register.errors import RegisterError
from docgen.register.keys import SeriesKey, register_year
from docgen.thai.dates import bangkok

from .test_register_support import (assert_consistent, killable, load_ddl, run,  # noqa: F401
                                    use_fake_renderer, wait_for, write_letter)

NOW = dt.datetime(2024, 6, 1, 10, 0)
KEY = SeriesKey("นร 1200", "ปกติ", 2567)
Y = register_year(bangkok())            # the register year of numbers taken now (CLI runs)


@pytest.fixture
def no_config(tmp_path, monkeypatch):
    """A user with no register configured anywhere (no env, no docgen.toml up to /)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv(store.ENV_URL, raising=False)
    return home


# ---------------------------------------------------------------- one number, one set of files

def test_names_that_differ_after_a_dot_never_overwrite_each_other(run, db_url, tmp_path):
    a = write_letter(tmp_path, "ถึง สลค. รายงานผล.yaml", subject="รายงานผล")
    b = write_letter(tmp_path, "ถึง สลค. แผนงบ.yaml", subject="แผนงบประมาณ")
    code, out, err = run("issue", a, b, "-o", tmp_path / "out", "--format", "pdf,docx", "--db", db_url)
    assert code == 0, err
    eng = store.make_engine(db_url)
    rows = assert_consistent(eng)              # every recorded SHA-256 matches its file
    names = sorted(Path(f["path"]).name for r in rows for f in r["files"].values())
    assert names == [f"นร1200-1-{Y}-ถึง_สลค._รายงานผล.docx", f"นร1200-1-{Y}-ถึง_สลค._รายงานผล.pdf",
                     f"นร1200-2-{Y}-ถึง_สลค._แผนงบ.docx", f"นร1200-2-{Y}-ถึง_สลค._แผนงบ.pdf"]
    eng.dispose()


def test_render_refuses_two_inputs_with_the_same_output(run, tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        write_letter(tmp_path / d)
    code, out, err = run("render", tmp_path / "a" / "letter.yaml", tmp_path / "b" / "letter.yaml",
                         "-o", tmp_path / "out", "--format", "pdf")
    assert code == 1 and "would write the same output" in err and "ชื่อไฟล์ผลลัพธ์เดียวกัน" in err
    assert not (tmp_path / "out").exists()


def test_a_file_in_the_way_is_an_error_before_any_number_is_taken(run, db_url, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    foreign = out / f"นร1200-1-{Y}-letter.pdf"            # e.g. issued from another register
    foreign.write_text("another register's letter")
    code, _, err = run("issue", write_letter(tmp_path), "-o", out, "--format", "pdf", "--db", db_url)
    assert code == 1 and "already exists" in err and "never overwrites" in err
    assert foreign.read_text() == "another register's letter"
    eng = store.make_engine(db_url)
    assert service.entries(eng) == []                      # no number taken
    eng.dispose()


def test_placing_files_never_overwrites(db_url, tmp_path, monkeypatch):
    """Even when the file appears after the check (a race), the record step refuses it and the
    number is burned visibly instead of overwriting."""
    out = tmp_path / "out"

    def renderer(composed, target):
        Path(target).write_text(composed.ref_text, encoding="utf-8")
        out.mkdir(exist_ok=True)
        (out / Path(target).name).write_text("appeared meanwhile")
    use_fake_renderer(monkeypatch, renderer)
    eng = store.make_engine(db_url)
    with pytest.raises(RegisterError) as e:
        service.issue(eng, write_letter(tmp_path), out, ("pdf",), now=NOW)
    assert e.value.code == "output-exists-burned" and "never overwrites" in str(e.value)
    assert (out / "นร1200-1-2567-letter.pdf").read_text() == "appeared meanwhile"
    assert [(r["number"], r["status"]) for r in assert_consistent(eng)] == [(1, "cancelled")]
    eng.dispose()


# ---------------------------------------------------------------- one register per office

def test_letters_issued_from_different_folders_share_the_office_register(run, tmp_path, monkeypatch,
                                                                         no_config):
    office = tmp_path / "office"
    (office / "กอง ก" / "งาน").mkdir(parents=True)
    (office / "กอง ข").mkdir()
    (office / "docgen.toml").write_text('[register]\nurl = "sqlite:///ทะเบียน/ส่ง.db"\n', encoding="utf-8")
    (office / "ทะเบียน").mkdir()
    monkeypatch.chdir(office)
    assert run("register", "init", "--prefix", "นร 1200")[0] == 0
    assert (office / "ทะเบียน" / "ส่ง.db").is_file()
    numbers = []
    for folder, subject in ((office / "กอง ก" / "งาน", "เรื่องหนึ่ง"), (office / "กอง ข", "เรื่องสอง")):
        monkeypatch.chdir(folder)
        code, out, err = run("issue", write_letter(folder, subject=subject), "--format", "pdf")
        assert code == 0, err
        numbers.append(out)
    assert "ที่ นร ๑๒๐๐/๑" in numbers[0] and "ที่ นร ๑๒๐๐/๒" in numbers[1]
    assert not list(office.rglob("docgen.db"))              # no stray register anywhere


def test_the_profile_names_the_register(run, tmp_path, monkeypatch, no_config):
    """profile `register:` with a path relative to the profile: the same register whatever the
    working folder; --db still wins over it."""
    agency = tmp_path / "agency"
    for d in ("a", "b"):
        write_letter(agency / d)
        prof = agency / d / "profiles" / "opdc.yaml"
        prof.write_text(prof.read_text(encoding="utf-8") + f"register: sqlite:///{agency}/reg.db\n",
                        encoding="utf-8")
    relative = agency / "a" / "profiles" / "opdc.yaml"
    relative.write_text(relative.read_text(encoding="utf-8").replace(
        f"sqlite:///{agency}/reg.db", "sqlite:///../../reg.db"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("register", "init", "--profile", relative)[0] == 0 and (agency / "reg.db").is_file()
    assert run("issue", agency / "a" / "letter.yaml", "--format", "pdf")[0] == 0
    code, out, err = run("issue", agency / "b" / "letter.yaml", "--format", "pdf", "--new")
    assert code == 0 and "ที่ นร ๑๒๐๐/๒" in out, err
    code, out, err = run("issue", agency / "b" / "letter.yaml", "--format", "pdf",
                         "--db", f"sqlite:///{tmp_path}/other.db")
    assert code == 1 and "there is no register at" in err and "--db" in err


def test_init_is_the_only_way_to_create_and_records_the_agency(run, tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    code, _, err = run("register", "init", "--db", db)
    assert code == 1 and "must name the agency" in err and not (tmp_path / "r.db").exists() or \
        "must name the agency" in err
    code, out, err = run("register", "init", "--db", db, "--prefix", "นร ๑๒๐๐")
    assert code == 0 and "นร 1200" in out, err
    assert run("register", "init", "--db", db)[0] == 0                 # idempotent
    assert run("register", "init", "--db", db, "--prefix", "นร 1200")[0] == 0
    code, _, err = run("register", "init", "--db", db, "--prefix", "ชม 0017.2")
    assert code == 1 and "already serves 'นร 1200'" in err


V1_SCHEMA = """
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at VARCHAR(40) NOT NULL);
CREATE TABLE register_sequence (prefix VARCHAR(60), series VARCHAR(20), year INTEGER, last INTEGER NOT NULL,
    PRIMARY KEY (prefix, series, year));
CREATE TABLE register_entry (id {serial} PRIMARY KEY, prefix VARCHAR(60) NOT NULL, series VARCHAR(20) NOT NULL,
    year INTEGER NOT NULL, number INTEGER NOT NULL, status VARCHAR(12) NOT NULL, ref_text TEXT NOT NULL,
    letter_date VARCHAR(10), agency TEXT, recipient TEXT, subject TEXT, action TEXT, note TEXT, reason TEXT,
    issued_by TEXT, issued_at VARCHAR(40) NOT NULL, updated_at VARCHAR(40) NOT NULL, source TEXT,
    content_hash VARCHAR(64), files TEXT, batch_id VARCHAR(64),
    CONSTRAINT uq_register_number UNIQUE (prefix, series, year, number));
INSERT INTO schema_version VALUES (1, '2024-05-01T09:00:00+07:00');
INSERT INTO register_sequence VALUES ('นร 1200', 'ปกติ', 2567, 2);
INSERT INTO register_entry (prefix, series, year, number, status, ref_text, letter_date, agency, recipient,
    subject, issued_by, issued_at, updated_at, source, content_hash, files) VALUES
    ('นร 1200', 'ปกติ', 2567, 1, 'issued', 'ที่ นร ๑๒๐๐/๑', '2024-05-02', 'สำนักงาน ก.พ.ร.',
     'ปลัดกระทรวงการคลัง', 'ตัวชี้วัดขับเคลื่อนการบูรณาการ', 'สมศรี', '2024-05-02T10:00:00+07:00',
     '2024-05-02T10:00:00+07:00', 'a.yaml', 'abc', '{"pdf": {"path": "/x/a.pdf", "sha256": "00"}}'),
    ('นร 1200', 'ปกติ', 2567, 2, 'cancelled', 'ที่ นร ๑๒๐๐/๒', NULL, NULL, NULL, NULL, 'สมศรี',
     '2024-05-03T10:00:00+07:00', '2024-05-03T10:00:00+07:00', NULL, NULL, NULL);
"""


def test_register_init_upgrades_an_old_register_in_place(run, raw_db_url, tmp_path):
    load_ddl(raw_db_url, V1_SCHEMA, ";")
    code, _, err = run("register", "list", "--db", raw_db_url)
    assert code == 1 and "older schema" in err and "register init" in err
    code, out, err = run("register", "init", "--db", raw_db_url)        # its one prefix is recorded
    assert code == 0 and "นร 1200" in out, err
    code, out, err = run("register", "show", "1", "--db", raw_db_url, "--year", "2567")
    assert code == 0 and "r1" in out and "/x/a.pdf" in out, out        # revision 1 from the old row
    code, out, _ = run("register", "list", "--db", raw_db_url, "--search", "บูรณาการ")
    assert "(1 รายการ — 1 row(s))" in out                                   # search text filled in
    code, out, err = run("issue", write_letter(tmp_path), "-o", tmp_path / "out", "--format", "pdf",
                         "--db", raw_db_url)
    assert code == 0 and "ที่ นร ๑๒๐๐/" in out, err
    assert run("register", "init", "--db", raw_db_url)[0] == 0          # idempotent after the upgrade
    eng = store.make_engine(raw_db_url)
    with store.transaction(eng, read=True) as conn:
        assert store.current_version(conn) == store.SCHEMA_VERSION
    eng.dispose()


# ---------------------------------------------------------------- PostgreSQL inside an application

def test_postgresql_schema_keeps_docgen_apart(raw_db_url, tmp_path, monkeypatch, run):
    if not raw_db_url.startswith("postgresql"):
        pytest.skip("schemas are PostgreSQL's")
    app = store.make_engine(raw_db_url)
    with app.begin() as c:                       # the host application's own schema_version
        c.exec_driver_sql("DROP TABLE IF EXISTS schema_version")
        c.exec_driver_sql("CREATE TABLE schema_version (app_version TEXT)")
        c.exec_driver_sql("INSERT INTO schema_version VALUES ('app 3.2')")
    url = raw_db_url + ("&" if "?" in raw_db_url else "?") + "schema=docgen_app"
    assert run("register", "init", "--db", url, "--prefix", "นร 1200")[0] == 0
    code, out, err = run("issue", write_letter(tmp_path), "-o", tmp_path / "out", "--format", "pdf",
                         "--db", url)
    assert code == 0, err
    with app.begin() as c:
        assert c.exec_driver_sql("SELECT app_version FROM schema_version").scalar() == "app 3.2"
        assert c.exec_driver_sql("SELECT count(*) FROM docgen_app.register_entry").scalar() == 1
    # the same tables through the application's own search_path
    sp = raw_db_url + ("&" if "?" in raw_db_url else "?") + "options=-csearch_path%3Ddocgen_app"
    code, out, err = run("register", "list", "--db", sp)
    assert code == 0 and "(1 รายการ — 1 row(s))" in out, err
    (tmp_path / "docgen.toml").write_text(f'[register]\nurl = "{raw_db_url}"\nschema = "docgen_app"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(store.ENV_URL, raising=False)
    code, out, err = run("register", "list")
    assert code == 0 and "(1 รายการ — 1 row(s))" in out, err
    with app.begin() as c:
        c.exec_driver_sql("DROP TABLE schema_version")
        c.exec_driver_sql("DROP SCHEMA docgen_app CASCADE")
    app.dispose()


# ---------------------------------------------------------------- revisions

def test_revise_keeps_every_revision_and_show_lists_them(run, db_url, tmp_path):
    letter, out = write_letter(tmp_path, subject="ขอเชิญประชุมคณะทำงน"), tmp_path / "out"
    assert run("issue", letter, "-o", out, "--format", "pdf", "--db", db_url, "--by", "สมศรี")[0] == 0
    first = sorted(out.glob("*.pdf"))
    first_sha = sha256_file(first[0])
    write_letter(tmp_path, subject="ขอเชิญประชุมคณะทำงาน")              # the typo fixed
    code, out_text, err = run("issue", "--revise", "1", letter, "-o", out, "--format", "pdf",
                              "--db", db_url, "--reason", "แก้คำผิด", "--by", "สมชาย")
    assert code == 0 and "revised r2" in out_text and "ที่ นร ๑๒๐๐/๑" in out_text, err
    assert sha256_file(first[0]) == first_sha                            # revision 1 untouched
    assert (out / f"นร1200-1-{Y}-letter-r2.pdf").read_text(encoding="utf-8").startswith("ที่ นร ๑๒๐๐/๑|")
    code, shown, _ = run("register", "show", "1", "--db", db_url)
    assert "revisions (2)" in shown and "แก้คำผิด" in shown and "สมชาย" in shown and "สมศรี" in shown
    assert "letter-r2.pdf" in shown and first[0].name in shown and "current" in shown
    eng = store.make_engine(db_url)
    rows = assert_consistent(eng)
    assert [(r["number"], r["revision"], r["subject"]) for r in rows] == [(1, 2, "ขอเชิญประชุมคณะทำงาน")]
    revs = service.revisions(eng, rows[0])
    assert [(r["revision"], r["status"], r["made_by"]) for r in revs] == [(1, "done", "สมศรี"),
                                                                          (2, "done", "สมชาย")]
    assert revs[1]["made_at"].endswith("+07:00")                        # Asia/Bangkok
    for r in revs:
        for f in r["files"].values():
            assert sha256_file(Path(f["path"])) == f["sha256"]
    code, again, _ = run("issue", letter, "-o", out, "--format", "pdf", "--db", db_url)
    assert "already issued" in again and "ที่ นร ๑๒๐๐/๑" in again      # the fixed file is number 1
    eng.dispose()


def test_a_sent_letter_cannot_be_revised_only_cancelled(run, db_url, tmp_path):
    letter, out = write_letter(tmp_path), tmp_path / "out"
    assert run("issue", letter, "-o", out, "--format", "pdf", "--db", db_url)[0] == 0
    code, text, err = run("register", "sent", "1", "--date", "๓ มิถุนายน ๒๕๖๗", "--db", db_url)
    assert code == 0 and "2024-06-03" in text, err
    assert run("register", "sent", "1", "--db", db_url)[0] == 1            # already sent
    write_letter(tmp_path, subject="แก้ไขแล้ว")
    code, _, err = run("issue", "--revise", "1", letter, "-o", out, "--format", "pdf", "--db", db_url)
    assert code == 1 and "can no longer be revised" in err and "ส่งออกไปแล้ว" in err
    code, listed, _ = run("register", "list", "--db", db_url)
    assert "ส่งแล้ว" in listed
    assert run("register", "cancel", "1", "--reason", "ส่งผิด", "--db", db_url)[0] == 0
    assert run("issue", letter, "-o", out, "--format", "pdf", "--db", db_url)[0] == 0   # replaced: 2


def test_revision_number_is_in_the_pdf_attachment(db_url, tmp_path):
    import pikepdf
    eng = store.make_engine(db_url)
    letter = write_letter(tmp_path)
    service.issue(eng, letter, tmp_path / "out", ("pdf",), now=NOW)
    write_letter(tmp_path, subject="ขอเชิญประชุมคณะทำงาน (แก้ไข)")
    result = service.revise(eng, KEY, 1, letter, tmp_path / "out", ("pdf",), reason="แก้ชื่อเรื่อง", now=NOW)
    with pikepdf.open(result.paths["pdf"]) as pdf:
        data = json.loads(pdf.attachments["letter.json"].get_file().read_bytes())
    assert data["meta"]["register"] == {"prefix": "นร 1200", "series": "ปกติ", "year": 2567,
                                        "number": 1, "revision": 2}
    assert data["number"] == 1
    eng.dispose()


def test_revise_refuses_what_it_cannot_correct(db_url, tmp_path, monkeypatch):
    use_fake_renderer(monkeypatch)
    eng = store.make_engine(db_url)
    letter = write_letter(tmp_path)
    service.issue(eng, letter, tmp_path / "out", ("pdf",), now=NOW)
    assert service.revise(eng, KEY, 1, letter, tmp_path / "out", ("pdf",), now=NOW).outcome == "unchanged"
    with pytest.raises(RegisterError) as e:
        service.revise(eng, KEY, 9, letter, tmp_path / "out", ("pdf",), now=NOW)
    assert e.value.code == "number-missing"
    circ = write_letter(tmp_path, "c.yaml", circular=True)
    with pytest.raises(RegisterError) as e:
        service.revise(eng, KEY, 1, circ, tmp_path / "out", ("pdf",), now=NOW)
    assert e.value.code == "revise-mismatch"
    service.cancel(eng, KEY, 1, "ยกเลิก", now=NOW)
    with pytest.raises(RegisterError) as e:
        service.revise(eng, KEY, 1, write_letter(tmp_path, subject="x"), tmp_path / "out", ("pdf",), now=NOW)
    assert e.value.code == "revise-status"
    eng.dispose()


KILLED_REVISE = killable(
    'key = SeriesKey("นร 1200", "ปกติ", int(sys.argv[5]))\n'
    'service.revise(store.make_engine(sys.argv[1]), key, 1, sys.argv[2], sys.argv[4], ("pdf",), by="killed")')


def _start_killable_revise(db_url, letter, out, tmp_path, year):
    marker = tmp_path / f"rendering-{os.getpid()}-{len(list(tmp_path.iterdir()))}.flag"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_REVISE, db_url, str(letter), str(marker),
                             str(out), str(year)], cwd=tmp_path)
    assert wait_for(marker.exists, timeout=60), "the revising process never started rendering"
    return proc


def test_sigkill_during_a_revision_leaves_the_previous_revision_in_force(db_url, tmp_path, monkeypatch):
    use_fake_renderer(monkeypatch)
    eng = store.make_engine(db_url)
    letter, out = write_letter(tmp_path), tmp_path / "out"
    year = service.issue(eng, letter, out, ("pdf",)).entry["year"]
    before = assert_consistent(eng)
    write_letter(tmp_path, subject="แก้ไขครั้งที่หนึ่ง")
    proc = _start_killable_revise(db_url, letter, out, tmp_path, year)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    after = assert_consistent(eng)                     # files and hashes still those of r1
    assert [(r["status"], r["revision"], r["files"]) for r in after] == \
        [(r["status"], r["revision"], r["files"]) for r in before]
    assert [f.name for f in out.iterdir() if not f.name.startswith(".")] == \
        [Path(f["path"]).name for f in before[0]["files"].values()]
    key = SeriesKey("นร 1200", "ปกติ", year)
    result = service.revise(eng, key, 1, letter, out, ("pdf",))          # the same file resumes it
    assert result.outcome == "revised" and result.entry["revision"] == 2
    assert [r["status"] for r in service.revisions(eng, result.entry)] == ["done", "done"]
    assert not list(out.glob(".docgen-revise-*"))
    assert_consistent(eng)
    eng.dispose()


def test_two_processes_revising_one_number_one_wins(db_url, tmp_path, monkeypatch):
    use_fake_renderer(monkeypatch)
    eng = store.make_engine(db_url)
    letter, out = write_letter(tmp_path), tmp_path / "out"
    year = service.issue(eng, letter, out, ("pdf",)).entry["year"]
    first = write_letter(tmp_path, "first.yaml", subject="แก้ไขโดยคนแรก")
    proc = _start_killable_revise(db_url, first, out, tmp_path, year)     # holds revision 2
    try:
        second = write_letter(tmp_path, "second.yaml", subject="แก้ไขโดยคนที่สอง")
        code = cli.main(["issue", "--revise", "1", str(second), "-o", str(out), "--format", "pdf",
                         "--db", db_url])
        assert code == 1
        with pytest.raises(RegisterError) as e:
            service.revise(eng, SeriesKey("นร 1200", "ปกติ", year), 1, second, out, ("pdf",))
        assert e.value.code == "revise-busy" and "killed" in str(e.value)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    rows = assert_consistent(eng)
    assert rows[0]["revision"] == 1
    eng.dispose()


def test_a_stale_pending_revision_is_taken_over(db_url, tmp_path, monkeypatch):
    use_fake_renderer(monkeypatch)
    eng = store.make_engine(db_url)
    letter, out = write_letter(tmp_path), tmp_path / "out"
    service.issue(eng, letter, out, ("pdf",), now=NOW)
    with store.transaction(eng) as conn:                    # a process that died long ago
        store.insert_revision(conn, entry_id=1, revision=2, status="pending", content_hash="dead",
                              made_by="gone", made_at=service.stamp(NOW - dt.timedelta(hours=1)))
    other = write_letter(tmp_path, "other.yaml", subject="ฉบับแก้ไข")
    result = service.revise(eng, KEY, 1, other, out, ("pdf",), now=NOW)
    assert result.entry["revision"] == 2
    assert [(r["revision"], r["made_by"]) for r in service.revisions(eng, result.entry)][-1][0] == 2
    eng.dispose()


def test_render_warns_when_the_printed_number_is_another_registered_letter(run, db_url, tmp_path,
                                                                         monkeypatch, no_config):
    monkeypatch.setenv(store.ENV_URL, db_url)
    letter = write_letter(tmp_path, date="2024-05-30")
    assert run("issue", letter, "-o", tmp_path / "out", "--format", "pdf")[0] == 0
    draft = write_letter(tmp_path, "draft.yaml", number=1, date="2024-05-30")     # same content
    code, _, err = run("render", draft, "-o", tmp_path / "r", "--format", "pdf")
    assert code == 0 and "different letter" not in err, err
    other = write_letter(tmp_path, "other.yaml", number=1, subject="อีกเรื่องหนึ่ง", date="2024-05-30")
    code, _, err = run("render", other, "-o", tmp_path / "r", "--format", "pdf")
    assert code == 0 and "is a different letter in the register" in err and "ขอเชิญประชุม" in err
    monkeypatch.delenv(store.ENV_URL)                       # no register configured: no warning
    code, _, err = run("render", other, "-o", tmp_path / "r", "--format", "pdf")
    assert code == 0 and "different letter" not in err


# ---------------------------------------------------------------- batches

def test_cancel_a_batch_burns_exactly_its_numbers(run, db_url, tmp_path):
    eng = store.make_engine(db_url)
    letters = [service.prepare(write_letter(tmp_path, f"{i}.yaml", subject=f"ชุด {i}"), NOW.date())
               for i in range(5)]
    service.claim_many(eng, letters[:3], NOW, "tester", batch_id="b1")
    service.claim_many(eng, letters[3:], NOW, "tester", batch_id="b2")
    code, out, err = run("register", "cancel", "--batch", "b1", "--reason", "ออกเลขผิดทั้งชุด", "--db", db_url)
    assert code == 0 and "3 numbers cancelled" in out, err
    rows = {r["number"]: r for r in service.entries(eng)}
    assert [rows[n]["status"] for n in range(1, 6)] == ["cancelled"] * 3 + ["pending"] * 2
    assert all("ออกเลขผิดทั้งชุด" in rows[n]["reason"] for n in (1, 2, 3))
    code, _, err = run("register", "cancel", "--batch", "b1", "--reason", "อีกครั้ง", "--db", db_url)
    assert code == 1 and "already cancelled" in err
    code, _, err = run("register", "cancel", "--batch", "nope", "--reason", "x", "--db", db_url)
    assert code == 1 and "no batch 'nope'" in err
    eng.dispose()


def test_cancel_batch_is_one_transaction(db_url, tmp_path, monkeypatch):
    """A failure half-way leaves every number of the batch as it was."""
    eng = store.make_engine(db_url)
    letters = [service.prepare(write_letter(tmp_path, f"{i}.yaml", subject=f"ชุด {i}"), NOW.date())
               for i in range(4)]
    service.claim_many(eng, letters, NOW, "tester", batch_id="b1")
    real, calls = store.update_entry, []

    def flaky(conn, entry_id, *a, **kw):
        calls.append(entry_id)
        if len(calls) == 3:
            raise sa.exc.OperationalError("UPDATE", {}, Exception("disk I/O error"))
        return real(conn, entry_id, *a, **kw)
    monkeypatch.setattr(store, "update_entry", flaky)
    with pytest.raises(RegisterError):
        service.cancel_batch(eng, "b1", "ทดสอบ")
    monkeypatch.setattr(store, "update_entry", real)
    assert {r["status"] for r in service.entries(eng)} == {"pending"}
    eng.dispose()


def test_postgresql_without_its_extra_says_what_to_install(run, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "psycopg", None)          # as if docgen[postgres] were absent
    code, _, err = run("register", "list", "--db", "postgresql://u@127.0.0.1:1/none")
    assert code == 1 and "pip install 'docgen[postgres]'" in err


def test_a_letter_cannot_point_at_another_register(tmp_path):
    from docgen import api
    problems = api.check(write_letter(tmp_path, register="sqlite:///elsewhere.db"))
    assert [p.field for p in problems.errors] == ["register"]


def test_bad_configuration_is_a_bilingual_error(run, tmp_path, monkeypatch, no_config):
    monkeypatch.chdir(tmp_path)
    for text, needle in (('[register\nurl = "x"', "not valid TOML"),
                         ('[register]\nurl = 5\n', "must be a URL text"),
                         ('[register]\nurl = "sqlite:///r.db"\npath = "x"\n', "unknown key 'path'"),
                         ('[register]\nurl = "postgresql://u@h/d"\nschema = "a;drop"\n', "schema name"),
                         ('[register]\nurl = "sqlite:///r.db"\nschema = "docgen"\n', "SQLite has no schemas")):
        (tmp_path / "docgen.toml").write_text(text, encoding="utf-8")
        code, out, err = run("register", "list")
        assert code == 1 and needle in err and " — " in err, (text, err)


def test_search_finds_reserved_and_changed_rows(run, db_url, tmp_path):
    assert run("register", "reserve", "2", "--prefix", "นร 1200", "--reason", "จองไว้", "--db", db_url)[0] == 0
    code, out, _ = run("register", "list", "--search", "นร ๑๒๐๐/๒", "--db", db_url)
    assert "(1 รายการ — 1 row(s))" in out
    eng = store.make_engine(db_url)
    with store.transaction(eng) as conn:               # a reserved number used for a letter typed elsewhere
        store.update_entry(conn, 1, ("reserved",), subject="ตัวชี้วัดขับเคลื่อนการบูรณาการ")
    eng.dispose()
    code, out, _ = run("register", "list", "--search", "บูรณาการ", "--db", db_url)
    assert "(1 รายการ — 1 row(s))" in out


@pytest.mark.parametrize("argv", [("register", "show", "1"), ("register", "cancel", "1", "--reason", "x"),
                                  ("register", "sent", "1"), ("register", "reserve", "2"),
                                  ("register", "list"), ("register", "export", "--format", "csv")])
def test_no_register_command_but_init_creates_the_database_file(run, tmp_path, monkeypatch, argv):
    """Found by the fuzzer: `register show 1 --db sqlite:///reg.db` looked up the prefix in
    the database before checking that a register was there, and so created reg.db."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(*argv, "--db", "sqlite:///reg.db")
    assert code == 1 and "there is no register at" in err and not (tmp_path / "reg.db").exists()
