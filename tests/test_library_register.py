"""The library API for numbering (issue 9): docgen.Register, docgen.issue, docgen.issue_batch —
typed results over the register service the CLI uses, on real output (PDF, DOCX, the register),
on SQLite and PostgreSQL; nothing printed, never sys.exit, never a register made by accident."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pikepdf
import pytest
import yaml

import docgen
from docgen.data import EXAMPLES_DIR
from docgen.register.errors import RegisterError

from .test_docx import docx_text

PROFILE = yaml.safe_load((EXAMPLES_DIR / "profiles" / "opdc.yaml").read_text(encoding="utf-8"))
LETTER = {"type": "external", "subject": "ขอเชิญประชุมคณะทำงาน", "to": "ปลัดกระทรวงการคลัง",
          "body": ["ด้วยสำนักงาน ก.พ.ร. จะจัดประชุมคณะทำงาน"], "purpose": "โปรดพิจารณา"}
BATCH = EXAMPLES_DIR / "batch"
DOCX = ("docx",)


@pytest.fixture()
def reg(raw_db_url):
    """A register made the way docs/api.md makes one, on each backend."""
    with docgen.Register.init(raw_db_url, prefix="นร 1200") as r:
        yield r


# ---------------------------------------------------------------- opening never creates

def test_opening_a_location_with_no_register_is_an_error_and_creates_nothing(raw_db_url, nowhere):
    with pytest.raises(RegisterError) as e:
        docgen.Register(raw_db_url)
    assert e.value.code == "register-missing" and "docgen.Register" in str(e.value)
    assert not list(nowhere.parent.rglob("*.db"))                 # no SQLite file appeared
    with pytest.raises(RegisterError) as e:                       # a relative file: the working folder
        docgen.Register("sqlite:///office.db")
    assert e.value.code == "register-missing" and str(nowhere / "office.db") in str(e.value)
    assert not (nowhere / "office.db").exists()
    with pytest.raises(docgen.MessageError) as e:                 # nothing configured: where it looked
        docgen.Register()
    assert e.value.code == "register-unconfigured"
    with pytest.raises(docgen.MessageError) as e:
        docgen.issue(LETTER, PROFILE)                             # the same for docgen.issue
    assert e.value.code == "register-unconfigured"
    with pytest.raises(RegisterError) as e:
        docgen.Register("mysql://x")
    assert e.value.code == "db-url"


def test_init_is_idempotent_and_records_the_agency(raw_db_url):
    with docgen.Register.init(raw_db_url, prefix="นร ๑๒๐๐") as r:
        assert r.info() == {"prefix": "นร 1200"} and "***" not in r.url
    with docgen.Register.init(raw_db_url) as r:                  # again: the same register
        assert r.info() == {"prefix": "นร 1200"} and r.entries() == []
    with pytest.raises(RegisterError) as e:
        docgen.Register.init(raw_db_url, prefix="นร 0001")
    assert e.value.code == "init-other-agency"
    r = docgen.Register(raw_db_url)
    r.close()
    r.close()                                                     # twice is fine
    with pytest.raises(ValueError):
        r.entries()
    assert repr(r) == "docgen.Register(closed)"


# ---------------------------------------------------------------- issue

def test_issue_a_mapping_gives_a_typed_result_and_real_files(reg, tmp_path):
    done = reg.issue(LETTER, PROFILE, out=tmp_path / "out", base=tmp_path)
    assert isinstance(done, docgen.Issued) and isinstance(done.entry, docgen.Entry)
    assert (done.number, done.ref_text, done.outcome) == (1, "ที่ นร ๑๒๐๐/๑", "issued")
    assert [p.code for p in done.problems] == ["emblem-missing"]
    assert sorted(done.paths) == ["docx", "pdf"]
    pdf, docx_path = done.paths["pdf"], done.paths["docx"]
    assert pdf.parent == tmp_path / "out" and pdf.name.startswith("นร1200-1-") and pdf.name.endswith("-letter.pdf")
    with pikepdf.open(pdf) as doc:                                # the number is in the PDF's data
        meta = json.loads(doc.attachments["letter.json"].get_file().read_bytes())
    assert meta["ref_text"] == "ที่ นร ๑๒๐๐/๑" and meta["meta"]["register"]["number"] == 1
    assert "ที่ นร ๑๒๐๐/๑" in docx_text(docx_path)
    e = done.entry
    assert (e.status, e.state, e.subject, e.recipient, e.agency, e.doctype, e.label) == \
        ("issued", "issued", "ขอเชิญประชุมคณะทำงาน", "ปลัดกระทรวงการคลัง", "สำนักงาน ก.พ.ร.", "external", "1")
    assert e.source == str(tmp_path / "letter") and e.letter_date is not None and len(e.sha256["pdf"]) == 64

    again = reg.issue(LETTER, PROFILE, out=tmp_path / "out", base=tmp_path)
    assert (again.outcome, again.number) == ("existing", 1)
    fresh = reg.issue(LETTER, PROFILE, out=tmp_path / "out", base=tmp_path, new=True, formats=DOCX,
                      name="ถึง กค", note="ทดสอบ", action="ส่งไปรษณีย์")
    assert (fresh.number, sorted(fresh.paths)) == (2, ["docx"])
    assert fresh.paths["docx"].name.endswith("-ถึง_กค.docx")
    assert (fresh.entry.note, fresh.entry.action) == ("ทดสอบ", "ส่งไปรษณีย์")


def test_issue_a_file_and_a_profile_file(reg, tmp_path):
    letter = tmp_path / "ถึง สลค.yaml"
    letter.write_text(yaml.safe_dump(LETTER, allow_unicode=True), encoding="utf-8")
    done = reg.issue(letter, EXAMPLES_DIR / "profiles" / "opdc.yaml", formats=DOCX)
    assert done.paths["docx"].parent == tmp_path                  # default: beside the letter
    assert done.paths["docx"].name.endswith("-ถึง_สลค.docx") and done.entry.source == str(letter)
    # a letter naming its own profile
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "opdc.yaml").write_text(yaml.safe_dump(PROFILE, allow_unicode=True), encoding="utf-8")
    named = reg.issue({**LETTER, "subject": "อีกเรื่อง", "profile": "profiles/opdc.yaml"}, base=tmp_path,
                      formats=DOCX)
    assert named.number == 2 and named.paths["docx"].parent == tmp_path


def test_bad_input_names_the_field_and_takes_no_number(reg, tmp_path):
    with pytest.raises(docgen.InputError) as e:
        reg.issue({**LETTER, "subject": ""}, PROFILE, out=tmp_path)
    assert [p.field for p in e.value.problems if p.severity == "error"] == ["subject"]
    assert all(p.th and p.en for p in e.value.problems)
    with pytest.raises(RegisterError) as e:                       # another agency's letter
        reg.issue(LETTER, {**PROFILE, "ref_prefix": "นร 0001"}, out=tmp_path)
    assert e.value.code == "register-other-agency"
    assert reg.entries() == []
    assert reg.issue(LETTER, PROFILE, out=tmp_path, formats=DOCX).number == 1
    with pytest.raises(TypeError):
        reg.issue(["not a letter"])
    with pytest.raises(TypeError):
        docgen.issue(LETTER, PROFILE, register=42)


def test_docgen_issue_finds_the_register_as_the_cli_does(nowhere, tmp_path, raw_db_url):
    if not raw_db_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the lookup")
    office = tmp_path / "office"
    (office / "profiles").mkdir(parents=True)
    profile = {**PROFILE, "register": "sqlite:///../office.db"}  # relative to the profile's folder
    (office / "profiles" / "opdc.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    docgen.Register.init(f"sqlite:///{office / 'office.db'}", prefix="นร 1200").close()
    letter = {**LETTER, "profile": "profiles/opdc.yaml"}
    done = docgen.issue(letter, base=office, formats=DOCX)       # the profile's register:
    assert done.number == 1 and done.paths["docx"].parent == office
    by_url = docgen.issue({**letter, "subject": "ฉบับสอง"}, base=office, formats=DOCX,
                          register=f"sqlite:///{office / 'office.db'}")
    assert by_url.number == 2
    with docgen.Register(f"sqlite:///{office / 'office.db'}") as r:
        assert [e.number for e in r.entries()] == [1, 2]


# ---------------------------------------------------------------- one number, many

def test_find_sent_cancel_reserve_revise_and_entries(reg, tmp_path):
    out = tmp_path / "out"
    first = reg.issue(LETTER, PROFILE, out=out, formats=DOCX)
    second = reg.issue({**LETTER, "subject": "ตัวชี้วัดการขับเคลื่อน"}, PROFILE, out=out, formats=DOCX)
    circ = reg.issue({**LETTER, "subject": "หนังสือเวียน", "circular": True}, PROFILE, out=out, formats=DOCX)
    assert (circ.number, circ.entry.series, circ.entry.label, circ.ref_text) == (1, "ว", "ว 1", "ที่ นร ๑๒๐๐/ว ๑")
    assert reg.find(1) == first.entry and reg.find("ว 1") == circ.entry and reg.find("๒") == second.entry

    sent = reg.mark_sent(1)
    assert (sent.state, sent.status) == ("sent", "issued") and sent.sent_at is not None
    with pytest.raises(RegisterError) as e:                       # sent: cancel and replace only
        reg.revise(1, {**LETTER, "subject": "แก้แล้ว"}, PROFILE, out=out, formats=DOCX)
    assert e.value.code == "revise-sent"

    fixed = reg.revise(2, {**LETTER, "subject": "ตัวชี้วัดการขับเคลื่อน (แก้)"}, PROFILE, out=out,
                       formats=DOCX, reason="แก้คำผิด")
    assert (fixed.outcome, fixed.number, fixed.entry.revision) == ("revised", 2, 2)
    assert fixed.paths["docx"].name.endswith("-r2.docx") and second.paths["docx"].is_file()
    assert "ตัวชี้วัดการขับเคลื่อน (แก้)" in docx_text(fixed.paths["docx"])

    reserved = reg.reserve(2, reason="หนังสือเขียนมือ")
    assert [(e.number, e.status) for e in reserved] == [(3, "reserved"), (4, "reserved")]
    gone = reg.cancel(3, "ไม่ได้ใช้")
    assert (gone.status, gone.reason) == ("cancelled", "ไม่ได้ใช้")
    with pytest.raises(RegisterError) as e:
        reg.cancel(3, "อีกครั้ง")
    assert e.value.code == "already-cancelled"
    with pytest.raises(RegisterError) as e:
        reg.cancel(4, "  ")
    assert e.value.code == "reason-required"
    with pytest.raises(RegisterError) as e:
        reg.find(99)
    assert e.value.code == "number-missing"

    assert [e.label for e in reg.entries()] == ["1", "2", "3", "4", "ว 1"]
    assert [e.number for e in reg.entries(status="ส่งแล้ว")] == [1]
    assert [e.number for e in reg.entries(status="reserved")] == [4]
    assert [e.number for e in reg.entries(series="ว")] == [1]
    assert [e.number for e in reg.entries(search="ตัวชี้ วัด")] == [2]
    assert all(isinstance(e, docgen.Entry) for e in reg.entries())
    with pytest.raises(RegisterError) as e:
        reg.entries(status="bogus")
    assert e.value.code == "filter-status"


# ---------------------------------------------------------------- batch

def test_batch_through_the_register_and_its_dry_run(reg, tmp_path):
    out = tmp_path / "batch"
    summary = reg.batch(BATCH / "notice.yaml", BATCH / "recipients.csv", out=out, jobs=1, formats=DOCX)
    assert isinstance(summary, docgen.BatchSummary)
    assert (summary.ok, summary.failed, summary.reused, summary.exit_code) == (5, 0, 0, 0)
    assert sorted(r["number"] for r in summary.rows) == [1, 2, 3, 4, 5]
    first = min(summary.rows, key=lambda r: r["row"])
    assert "ขอเชิญกระทรวงการคลัง มอบหมายผู้แทนจำนวน ๒ คน" in docx_text(Path(first["docx"]))
    assert {e.batch_id for e in reg.entries()} == {summary.batch_id}
    again = reg.batch(BATCH / "notice.yaml", BATCH / "recipients.csv", out=out, jobs=1, formats=DOCX)
    assert (again.ok, again.reused) == (5, 5) and len(reg.entries()) == 5      # no second number
    assert reg.info()                                             # still open: the batch did not close it

    circular = reg.batch(BATCH / "circular.yaml", BATCH / "recipients.csv", mode="circular",
                         out=tmp_path / "circ", jobs=1, formats=DOCX)
    assert circular.ok == 5 and circular.extra["ref"] == "ที่ นร ๑๒๐๐/ว ๑"

    gone = reg.cancel_batch(summary.batch_id, "ออกเลขผิดทั้งชุด")
    assert [e.status for e in gone] == ["cancelled"] * 5


def test_a_dry_run_needs_no_register(nowhere):
    preview = docgen.issue_batch(BATCH / "notice.yaml", BATCH / "recipients.csv", dry_run=True,
                                 limit=1, jobs=1, formats=DOCX, out="b")
    assert (preview.ok, preview.failed) == (5, 0)
    assert [p.name for p in preview.previews] == ["0002-กระทรวงการคลัง.docx"]
    assert preview.previews[0].parent == Path("b") / "preview"
    checked = docgen.issue_batch(BATCH / "notice.yaml", "group:ministries", dry_run=True, limit=0)
    assert checked.ok == 0 and checked.failed == 20 and checked.missing == {"seats"}
    assert not list(nowhere.rglob("*.db"))
    with pytest.raises(docgen.MessageError) as e:                 # a real run needs one
        docgen.issue_batch(BATCH / "notice.yaml", BATCH / "recipients.csv", jobs=1, out="b")
    assert e.value.code == "register-unconfigured"


# ---------------------------------------------------------------- no side effects

class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_api_never_prints_nor_exits_even_on_a_terminal(raw_db_url, tmp_path, capfd, monkeypatch):
    """Not on sys.stdout/stderr (a terminal: a progress bar would show), nor on the file
    descriptors (the batch's worker processes, C libraries)."""
    if not raw_db_url.startswith("sqlite"):
        pytest.skip("one backend is enough")
    seen = _Terminal()
    monkeypatch.setattr(sys, "stderr", seen)                      # where a progress bar would go
    monkeypatch.setattr(sys, "stdout", seen)
    try:
        with docgen.Register.init(raw_db_url, prefix="นร 1200") as r:
            r.issue(LETTER, PROFILE, out=tmp_path, formats=DOCX)
            r.issue(LETTER, PROFILE, out=tmp_path, formats=DOCX)
            r.entries(), r.find(1), r.mark_sent(1), r.reserve(1, reason="x"), r.cancel(2, "x")
            r.batch(BATCH / "notice.yaml", BATCH / "recipients.csv", out=tmp_path / "b",
                    formats=DOCX)                                  # the default pool of workers
            docgen.issue_batch(BATCH / "notice.yaml", BATCH / "recipients.csv", dry_run=True,
                               out=tmp_path / "b2", limit=1, formats=DOCX)
            docgen.issue({**LETTER, "subject": "ฉบับสอง"}, PROFILE, register=raw_db_url,
                         out=tmp_path, formats=DOCX)
            for bad in (lambda: r.issue({**LETTER, "to": ""}, PROFILE),
                        lambda: r.find(77), lambda: r.entries(month="เดือนที่ ๑๓"),
                        lambda: docgen.Register(f"sqlite:///{tmp_path / 'none.db'}"),
                        lambda: r.batch(BATCH / "notice.yaml", tmp_path / "missing.csv")):
                with pytest.raises(docgen.DocgenError):          # an exception, never SystemExit
                    bad()
    finally:
        monkeypatch.undo()
    assert seen.getvalue() == ""
    assert capfd.readouterr() == ("", "")


def test_the_new_names_keep_import_docgen_light():
    import subprocess
    code = ("import sys, docgen; before = sorted(m for m in ('sqlalchemy', 'weasyprint', 'docx') if m in sys.modules); "
            "docgen.Register, docgen.issue, docgen.issue_batch, docgen.Entry, docgen.Issued; "
            "after = sorted(m for m in ('sqlalchemy', 'weasyprint', 'docx') if m in sys.modules); print(before, after)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]", "[]"], out          # the database and render stacks load on first use
    assert set(docgen.__all__) >= {"Register", "issue", "issue_batch", "Entry", "Issued", "BatchSummary"}
