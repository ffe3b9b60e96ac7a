"""Batch previews (``batch --dry-run``), ``check --to SHEET``, the batch-notice hint, and the
warnings of each letter in the manifest — on real output (PDF text, manifests, the register)."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from docgen import api
from docgen.batch import recipients, run
from docgen.batch.executor import SerialExecutor
from docgen.cli import main
from docgen.config import ConfigError
from docgen.data import ROOT
from docgen.errors import DocgenError
from docgen.register import service, store

from .conftest import pdftotext, squash, write_letter
from tests.test_register_support import make_register

EXAMPLES = ROOT / "examples" / "batch"
THAI_DIGIT = "๐๑๒๓๔๕๖๗๘๙"

NOTICE = """
type: external
profile: profiles/opdc.yaml
subject: การแจ้งมติคณะกรรมการพัฒนาระบบราชการ
body:
  - ด้วยคณะกรรมการพัฒนาระบบราชการมีมติเห็นชอบแนวทางการประเมินผล จึงขอแจ้ง{{ recipient.agency }}ทราบ
  - ขอให้ส่งรายงานภายในวันที่ {{ recipient.deadline }}
purpose: โปรดทราบและถือปฏิบัติต่อไป
"""

CIRCULAR = """
type: external
profile: profiles/opdc.yaml
subject: แนวทางการจัดทำรายงานการประเมินตนเอง
to: "{{ recipient.position }}"
body: [สำนักงาน ก.พ.ร. ขอส่งแนวทางการจัดทำรายงานการประเมินตนเองมาเพื่อใช้เป็นกรอบในการจัดทำรายงาน]
purpose: โปรดทราบและถือปฏิบัติต่อไป
"""

GOOD_ROWS = [["ปลัดกระทรวงพาณิชย์", "กระทรวงพาณิชย์", "1 มีนาคม 2568", ""],
             ["ปลัดกระทรวงแรงงาน", "กระทรวงแรงงาน", "1 มีนาคม 2568", ""],
             ["ปลัดกระทรวงยุติธรรม", "กระทรวงยุติธรรม", "1 มีนาคม 2568", ""],
             ["อธิบดีกรมบัญชีกลาง", "กรมบัญชีกลาง", "1 มีนาคม 2568", ""]]


def _csv(path: Path, rows: list[list[str]]) -> str:
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows([["ตำแหน่ง", "หน่วยงาน", "deadline", "ชั้น"], *rows])
    return str(path)


def _cli(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture()
def no_register(tmp_path, monkeypatch):
    """A working folder where no register is configured at all: no --db, no environment
    variable, no docgen.toml here or in the (empty) user config folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("DOCGEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("DOCGEN_DATABASE_SCHEMA", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with pytest.raises((ConfigError, DocgenError)):          # really nothing to find
        service.locate(None, letter=EXAMPLES / "notice.yaml")
    return work


@pytest.fixture()
def register(tmp_path):
    """A register made as `docgen register init --db URL --prefix "นร 1200"` makes it."""
    return make_register(tmp_path)


def _sequences(url: str) -> list:
    engine = store.make_engine(url)
    try:
        with store.transaction(engine, read=True) as conn:
            return [tuple(r) for r in conn.execute(sa.select(store.sequences))]
    finally:
        engine.dispose()


def _ref_line(pdf: Path) -> str:
    return next(line for line in pdftotext(pdf, "-raw").splitlines() if line.startswith("ที่ "))


def _assert_draft_ref(pdf: Path, circular: bool = False) -> None:
    """The ที่ line ends at the slash (ว for a circular): no number after it."""
    line = _ref_line(pdf)
    head = "ที่ นร ๑๒๐๐/ว" if circular else "ที่ นร ๑๒๐๐/"
    assert line.startswith(head), line
    rest = line[len(head):]
    assert not rest.strip() or not rest.lstrip()[0] in THAI_DIGIT + "0123456789", line
    assert not re.search(r"นร ๑๒๐๐/(ว ?)?[" + THAI_DIGIT + "]", line), line


# ------------------------------------------------------------------ dry run

def test_dry_run_needs_no_register_and_writes_only_drafts(no_register, capsys):
    """The README's example with --dry-run, where no register exists or is configured:
    drafts of the first 2 rows in the batch folder's preview/, nothing else anywhere."""
    rc, out, err = _cli(capsys, "batch", EXAMPLES / "notice.yaml", "--to", EXAMPLES / "recipients.csv",
                        "--dry-run", "--limit", "2", "--jobs", "1", "--format", "pdf")
    assert rc == 0, err
    (batch_dir,) = (no_register / "output").iterdir()
    assert sorted(p.name for p in batch_dir.iterdir()) == ["preview"]          # no batch.json
    drafts = sorted((batch_dir / "preview").iterdir())
    assert [p.name for p in drafts] == ["0002-กระทรวงการคลัง.pdf", "0003-กระทรวงมหาดไทย.pdf"]
    for pdf in drafts:
        _assert_draft_ref(pdf)
    assert squash("ขอเชิญกระทรวงการคลัง มอบหมายผู้แทนจำนวน ๒ คน") in squash(pdftotext(drafts[0]))
    assert not [p for p in no_register.parent.rglob("*.db")]                  # no register was made
    assert "good rows 5" in out and "bad rows 0" in out and "no number taken" in out
    # the same draft `docgen render` makes of that letter without a number
    raw = api._input.read_mapping(EXAMPLES / "notice.yaml")
    first = next(r for r in recipients.load(str(EXAMPLES / "recipients.csv")))
    composed, _ = api.compose_mapping(run.letter_for(raw, first), EXAMPLES)
    assert _ref_line(drafts[0]).startswith(composed.ref_text) and composed.number is None


def test_dry_run_default_limit_is_5_and_every_row_is_checked(tmp_path, register):
    write_letter(tmp_path, NOTICE, "notice.yaml")
    rows = [*GOOD_ROWS, ["ปลัดกระทรวงมหาดไทย", "กระทรวงมหาดไทย", "1 มีนาคม 2568", ""],
            ["ปลัดกระทรวงคมนาคม", "กระทรวงคมนาคม", "1 มีนาคม 2568", ""],
            ["", "กรมที่ไม่มีตำแหน่ง", "1", ""],                                    # row 8: bad
            ["ปลัดกระทรวงพลังงาน", "กระทรวงพลังงาน", "1 มีนาคม 2568", "ท่านผู้ใหญ่"],  # row 9: bad class
            ["สมเด็จพระเจ้าอยู่หัว", "สำนักพระราชวัง", "1 มีนาคม 2568", ""]]       # row 10: refused
    to = _csv(tmp_path / "r.csv", rows)
    before = _sequences(register)
    opts = run.Options(notice=tmp_path / "notice.yaml", to=to, db=register, out_dir=tmp_path / "out",
                       formats=("pdf",), dry_run=True)
    assert opts.limit == run.PREVIEW_LIMIT == 5
    summary = run.run(opts, SerialExecutor())
    assert summary.out_dir == tmp_path / "out" / "preview"
    assert sorted(p.name[:4] for p in summary.out_dir.glob("*.pdf")) == ["0002", "0003", "0004", "0005", "0006"]
    assert summary.ok == 6                                   # row 7 is good too, but not drafted
    assert [r for r, _ in summary.bad_rows] == [8, 9]
    assert [(r, p.field) for r, _, p in summary.row_problems] == [(10, "to")]
    assert summary.exit_code == 1
    assert _sequences(register) == before == []              # nothing claimed, no sequence touched
    engine = store.make_engine(register)
    assert service.entries(engine) == []
    engine.dispose()
    assert not (tmp_path / "out" / "batch.json").exists()
    for pdf in summary.out_dir.glob("*.pdf"):
        _assert_draft_ref(pdf)


def test_dry_run_limit_and_the_report_of_bad_rows_through_the_cli(tmp_path, register, capsys):
    write_letter(tmp_path, NOTICE, "notice.yaml")
    to = _csv(tmp_path / "r.csv", [*GOOD_ROWS, ["", "กรมที่ไม่มีตำแหน่ง", "1", ""]])       # row 6: bad
    rc, out, err = _cli(capsys, "batch", tmp_path / "notice.yaml", "--to", to, "--dry-run", "--limit", "1",
                        "-o", tmp_path / "out", "--db", register, "--jobs", "1", "--format", "pdf,docx")
    assert rc == 1
    assert sorted(p.name for p in (tmp_path / "out" / "preview").iterdir()) == [
        "0002-กระทรวงพาณิชย์.docx", "0002-กระทรวงพาณิชย์.pdf"]
    assert "แถว/row 6" in err and "no recipient position" in err and "ไม่มีตำแหน่งผู้รับ" in err
    assert "bad rows 1" in out and "drafts 1" in out
    # a second dry run replaces the first one's drafts
    rc, _, _ = _cli(capsys, "batch", tmp_path / "notice.yaml", "--to", to, "--dry-run", "--limit", "0",
                    "-o", tmp_path / "out", "--jobs", "1")
    assert rc == 1
    assert len(list((tmp_path / "out" / "preview").iterdir())) == 2       # --limit 0: nothing written
    rc, _, err = _cli(capsys, "batch", tmp_path / "notice.yaml", "--to", to, "--limit", "2", "--db", register)
    assert rc == 2 and "--dry-run" in err                                # --limit belongs to --dry-run
    assert _sequences(register) == []


def test_dry_run_reports_placeholders_missing_from_the_sheet_once(tmp_path, capsys):
    write_letter(tmp_path, NOTICE, "notice.yaml")
    with open(tmp_path / "r.csv", "w", encoding="utf-8") as f:
        f.write("position,agency\nปลัดกระทรวงพาณิชย์,กระทรวงพาณิชย์\nปลัดกระทรวงแรงงาน,กระทรวงแรงงาน\n")
    rc, out, err = _cli(capsys, "batch", tmp_path / "notice.yaml", "--to", tmp_path / "r.csv", "--dry-run",
                        "-o", tmp_path / "out", "--jobs", "1", "--format", "pdf")
    assert rc == 1
    assert err.count("no column for the placeholders: {{ recipient.deadline }}") == 1
    assert "แถว/row 2" in err and "แถว/row 3" in err and "[body]" in err
    assert not list((tmp_path / "out" / "preview").glob("*.pdf"))


def test_dry_run_circular_drafts_and_file_copy(no_register, tmp_path):
    write_letter(tmp_path, CIRCULAR, "notice.yaml")
    to = _csv(tmp_path / "r.csv", GOOD_ROWS)
    summary = run.preview(run.Options(notice=tmp_path / "notice.yaml", to=to, mode="circular", limit=2,
                                      out_dir=tmp_path / "out", formats=("pdf",)), SerialExecutor())
    assert summary.exit_code == 0 and summary.ok == 4
    names = sorted(p.name for p in summary.out_dir.iterdir())
    assert names == ["0000-file-copy.pdf", "0002-กระทรวงพาณิชย์.pdf", "0003-กระทรวงแรงงาน.pdf"]
    for pdf in summary.out_dir.iterdir():
        _assert_draft_ref(pdf, circular=True)
    assert "เรียน ปลัดกระทรวงพาณิชย์" in pdftotext(summary.out_dir / "0002-กระทรวงพาณิชย์.pdf", "-raw")
    file_copy = squash(pdftotext(summary.out_dir / "0000-file-copy.pdf"))
    assert squash("บัญชีรายชื่อผู้รับ") in file_copy and squash("อธิบดีกรมบัญชีกลาง") in file_copy  # all rows
    assert not (tmp_path / "out" / "batch.json").exists()


def test_dry_run_uses_the_same_rules_as_the_run(tmp_path, register):
    """A row the dry run calls bad is the row the real batch skips or fails, and vice versa."""
    write_letter(tmp_path, NOTICE, "notice.yaml")
    to = _csv(tmp_path / "r.csv", [GOOD_ROWS[0], ["", "กรม", "1", ""], ["นายกรัฐมนตรี", "สำนักนายกรัฐมนตรี", "x", "นมัสการ"],
                                   ["สมเด็จพระเจ้าอยู่หัว", "สำนักพระราชวัง", "1 มีนาคม 2568", ""]])
    base = dict(notice=tmp_path / "notice.yaml", to=to, db=register, out_dir=tmp_path / "out", formats=("pdf",))
    dry = run.run(run.Options(**base, dry_run=True), SerialExecutor())
    real = run.run(run.Options(**base, by="tester"), SerialExecutor())
    bad = lambda s: sorted([r for r, _ in s.bad_rows] + [r["row"] for r in s.rows if r["status"] == "failed"])  # noqa: E731
    assert bad(dry) == bad(real) == [3, 4, 5]       # no position; นมัสการ to a layman; royal
    assert dry.ok == real.ok == 1
    engine = store.make_engine(register)
    assert [e["number"] for e in service.entries(engine)] == [1]
    engine.dispose()


# ------------------------------------------------------------------ check --to

def test_check_to_reports_every_bad_row(tmp_path, capsys):
    write_letter(tmp_path, NOTICE, "notice.yaml")
    to = _csv(tmp_path / "r.csv", [GOOD_ROWS[0], ["", "กรมที่ไม่มีตำแหน่ง", "1", ""],
                                   ["อธิบดีกรมบัญชีกลาง", "กรมบัญชีกลาง", "1", "ท่านผู้ใหญ่"],
                                   ["สมเด็จพระเจ้าอยู่หัว", "สำนักพระราชวัง", "1 มีนาคม 2568", ""],
                                   GOOD_ROWS[1]])
    rc, out, _ = _cli(capsys, "check", tmp_path / "notice.yaml", "--to", to)
    assert rc == 1
    lines = out.splitlines()
    row3 = next(x for x in lines if "แถว/row 3" in x)
    assert "[row 3.position]" in row3 and "ไม่มีตำแหน่งผู้รับ" in row3 and "no recipient position" in row3
    row4 = next(x for x in lines if "แถว/row 4" in x)
    assert "[row 4.class]" in row4 and "ท่านผู้ใหญ่" in row4 and "unknown class" in row4
    row5 = next(x for x in lines if "แถว/row 5" in x)
    assert "(สมเด็จพระเจ้าอยู่หัว)" in row5 and "[to]" in row5 and "ผิดพลาด/error" in row5 and " — " in row5
    assert not any("แถว/row 2" in x or "แถว/row 6" in x for x in lines if "error" in x)
    assert "good rows 2" in out and "bad rows 3" in out
    assert not (tmp_path / "output").exists()                       # nothing rendered or written


def test_check_to_examples_xlsx_and_groups_are_clean(capsys):
    rc, out, _ = _cli(capsys, "check", EXAMPLES / "notice.yaml", "--to", EXAMPLES / "recipients.xlsx")
    assert rc == 0 and "good rows 5" in out and "bad rows 0" in out
    rc, out, _ = _cli(capsys, "check", EXAMPLES / "circular.yaml", "--to", "group:provinces", "--mode", "circular")
    assert rc == 0 and "good rows 77" in out
    # the letters notice needs a seats column that the group has not
    rc, out, _ = _cli(capsys, "check", EXAMPLES / "notice.yaml", "--to", "group:ministries")
    assert rc == 1 and "{{ recipient.seats }}" in out and "bad rows 20" in out


def test_check_to_reports_per_row_warnings(tmp_path, capsys):
    write_letter(tmp_path, NOTICE, "notice.yaml")
    to = _csv(tmp_path / "r.csv", [GOOD_ROWS[0], ["นายกรัฐมนตรี สมมุติ", "สำนักนายกรัฐมนตรี", "1", ""]])
    rc, out, _ = _cli(capsys, "check", tmp_path / "notice.yaml", "--to", to)
    assert rc == 0
    (line,) = [x for x in out.splitlines() if "to-near-position" in x or "begins with the position" in x]
    assert "แถว/row 3" in line and "คำเตือน/warning [to]" in line


@pytest.mark.parametrize("text", [CIRCULAR, NOTICE], ids=["to-placeholder", "no-to"])
def test_check_and_render_of_a_batch_notice_alone_say_give_a_sheet(tmp_path, capsys, text):
    notice = write_letter(tmp_path, text, "notice.yaml")
    for cmd in (["check", notice], ["render", notice, "-o", tmp_path / "out", "--format", "pdf"]):
        rc, out, err = _cli(capsys, *cmd)
        assert rc == 1
        both = out + err
        assert "batch notice" in both and "--to SHEET" in both and "--to รายชื่อ" in both, both
        assert "to is required" not in both
    assert not (tmp_path / "out").exists()


def test_a_single_letter_still_checks_and_renders(tmp_path, capsys):
    letter = write_letter(tmp_path, NOTICE.replace("purpose:", "to: ปลัดกระทรวงการคลัง\npurpose:"), "one.yaml")
    rc, out, _ = _cli(capsys, "check", letter)
    assert rc == 0 and "batch notice" not in out


# ------------------------------------------------------------------ manifest warnings

def test_manifest_lists_each_letters_warnings(tmp_path, register, capsys):
    write_letter(tmp_path, NOTICE, "notice.yaml")
    to = _csv(tmp_path / "r.csv", [GOOD_ROWS[0], ["นายกรัฐมนตรี สมมุติ", "สำนักนายกรัฐมนตรี", "1 มีนาคม 2568", ""]])
    rc, out, err = _cli(capsys, "batch", tmp_path / "notice.yaml", "--to", to, "-o", tmp_path / "out",
                        "--db", register, "--jobs", "1", "--format", "pdf", "--by", "tester")
    assert rc == 0, err
    man = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    rows = {r["row"]: r for r in man["letters"]}
    near = [w for w in rows[3]["warnings"] if w["code"] == "to-near-position"]
    assert len(near) == 1 and near[0]["field"] == "to" and near[0]["severity"] == "warning"
    assert "นายกรัฐมนตรี สมมุติ" in near[0]["th"] and "begins with the position" in near[0]["en"]
    assert not [w for w in rows[2]["warnings"] if w["code"] == "to-near-position"]
    assert man["warnings"] == sum(len(r["warnings"]) for r in man["letters"])
    with open(tmp_path / "out" / "manifest.csv", encoding="utf-8-sig") as f:
        by_row = {r["row"]: r for r in csv.DictReader(f)}
    cell = by_row["3"]["warnings"]
    assert cell.startswith("to: ") or "; to: " in cell
    assert near[0]["th"] + " — " + near[0]["en"] in cell
    assert f"warnings {man['warnings']}" in out
    # a re-run reuses the letters and keeps their warnings
    again = run.run(run.Options(notice=tmp_path / "notice.yaml", to=to, db=register, out_dir=tmp_path / "out",
                                formats=("pdf",), by="tester"), SerialExecutor())
    assert again.reused == 2 and again.warnings == man["warnings"]


def test_manifest_warnings_of_a_long_subject_in_circular_mode(tmp_path, register):
    long_subject = "แนวทางการจัดทำรายงานการประเมินตนเอง " * 5
    write_letter(tmp_path, CIRCULAR.replace("แนวทางการจัดทำรายงานการประเมินตนเอง\n", long_subject.strip() + "\n", 1),
                 "notice.yaml")
    to = _csv(tmp_path / "r.csv", GOOD_ROWS[:2])
    summary = run.run(run.Options(notice=tmp_path / "notice.yaml", to=to, mode="circular", db=register,
                                  out_dir=tmp_path / "out", formats=("pdf",), by="tester"), SerialExecutor())
    assert summary.exit_code == 0
    man = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    for r in man["letters"]:
        assert [w["code"] for w in r["warnings"] if w["field"] == "subject"] == ["long"]


def test_zip_leaves_out_the_previews(tmp_path, register):
    import zipfile
    write_letter(tmp_path, NOTICE, "notice.yaml")
    to = _csv(tmp_path / "r.csv", GOOD_ROWS[:2])
    base = dict(notice=tmp_path / "notice.yaml", to=to, db=register, out_dir=tmp_path / "b", formats=("pdf",))
    run.run(run.Options(**base, dry_run=True), SerialExecutor())
    summary = run.run(run.Options(**base, zip=True, by="tester"), SerialExecutor())
    names = zipfile.ZipFile(summary.extra["zip"]).namelist()
    assert sum(n.endswith(".pdf") for n in names) == 2 and not any("/preview/" in n for n in names)
    with pytest.raises(AssertionError):                   # the real letters do carry their numbers
        _assert_draft_ref(Path(summary.rows[0]["pdf"]))
