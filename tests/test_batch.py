"""Batch: one notice, many recipients (letters and circular modes), resumable after SIGKILL."""
from __future__ import annotations

import csv
import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pymupdf as fitz
import pytest

from docgen.batch import recipients, run
from docgen.batch.executor import SerialExecutor
from docgen.register import service, store

from docgen.data import load
from docgen.errors import InputError
from docgen.output import sha256_file

from .conftest import assert_markers_match_next_page, kill_mid_batch, pdftotext, squash, write_letter
from tests.test_register_support import make_register

CIRCULAR = """
type: external
profile: profiles/opdc.yaml
date: 2025-01-20
subject: แนวทางการจัดทำรายงานการประเมินตนเอง
to: "{{ recipient.position }}"
body: [สำนักงาน ก.พ.ร. ขอส่งแนวทางการจัดทำรายงานการประเมินตนเองมาเพื่อใช้เป็นกรอบในการจัดทำรายงาน]
purpose: โปรดทราบและถือปฏิบัติต่อไป
"""

NOTICE = """
type: external
profile: profiles/opdc.yaml
date: 2025-01-20
subject: การแจ้งมติคณะกรรมการพัฒนาระบบราชการ
body:
  - ด้วยคณะกรรมการพัฒนาระบบราชการมีมติเห็นชอบแนวทางการประเมินผล จึงขอแจ้ง{{ recipient.agency }}ทราบ
  - ขอให้ส่งรายงานภายในวันที่ {{ recipient.deadline }}
purpose: โปรดทราบและถือปฏิบัติต่อไป
"""


@pytest.fixture()
def batch_dir(tmp_path):
    """The notice, and the ก.พ.ร.'s register (reg.db) made by `register init`."""
    write_letter(tmp_path, NOTICE, "notice.yaml")
    make_register(tmp_path)
    return tmp_path


def _opts(d: Path, to: str, **kw) -> run.Options:
    kw.setdefault("formats", ("pdf",))
    kw.setdefault("out_dir", d / "out")
    return run.Options(notice=d / "notice.yaml", to=to, db=f"sqlite:///{d / 'reg.db'}", by="tester", **kw)


def _csv(path: Path, rows: list[list[str]]) -> str:
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows(rows)
    return str(path)


def test_letters_mode_numbers_addresses_and_bad_rows(batch_dir):
    to = _csv(batch_dir / "r.csv", [
        ["ตำแหน่ง", "หน่วยงาน", "deadline", "ชั้น"],
        ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "30 มิถุนายน 2568", ""],
        ["นายกรัฐมนตรี", "สำนักนายกรัฐมนตรี", "1 กรกฎาคม 2568", ""],
        ["", "", "", ""],                                        # empty: ignored
        ["", "กรมที่ไม่มีตำแหน่ง", "1", ""],                       # row 5: no position
        ["อธิบดีกรมบัญชีกลาง", "กรมบัญชีกลาง", "2 ก.ค. 2568", "ท่านผู้ใหญ่"],   # row 6: bad class
        ["อธิบดี <b>{{ 7*7 }}</b>", "กรม & <script>", "3 ก.ค. 2568", "เรียน"],
    ])
    summary = run.run(_opts(batch_dir, to), SerialExecutor())
    assert summary.ok == 3 and summary.exit_code == 1
    assert [r for r, _ in summary.bad_rows] == [5, 6]
    rows = {r["row"]: r for r in summary.rows}
    assert sorted(rows) == [2, 3, 5, 6, 7]
    assert rows[5]["status"] == rows[6]["status"] == "skipped"
    assert "row 6" in rows[6]["error"] and "ท่านผู้ใหญ่" in rows[6]["error"]
    numbers = sorted(rows[r]["number"] for r in (2, 3, 7))
    assert numbers == [1, 2, 3]                                  # one number each, from one register
    pm = pdftotext(Path(rows[3]["pdf"]), "-raw")
    assert "กราบเรียน นายกรัฐมนตรี" in pm and "ขอแสดงความนับถืออย่างยิ่ง" in pm
    assert squash("จึงขอแจ้งสำนักนายกรัฐมนตรีทราบ") in squash(pm)
    assert squash("๑ กรกฎาคม ๒๕๖๘") in squash(pm)
    fin = pdftotext(Path(rows[2]["pdf"]), "-raw")
    assert "เรียน ปลัดกระทรวงการคลัง" in fin and "ขอแสดงความนับถือ" in fin
    odd = squash(pdftotext(Path(rows[7]["pdf"]), "-raw"))
    assert squash("อธิบดี <b>{{ ๗*๗ }}</b>") in odd and squash("กรม & <script>") in odd   # data, not markup
    # manifest: csv and json, one row per sheet row, hashes of the real files
    man = json.loads((batch_dir / "out" / "manifest.json").read_text())
    assert [r["row"] for r in man["letters"]] == [2, 3, 5, 6, 7]
    assert sha256_file(Path(rows[2]["pdf"])) == rows[2]["pdf_sha256"]
    with open(batch_dir / "out" / "manifest.csv", encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == 5
    engine = store.make_engine(f"sqlite:///{batch_dir / 'reg.db'}")
    regs = service.entries(engine)
    assert len(regs) == 3 and {e["batch_id"] for e in regs} == {summary.batch_id}
    assert all(e["status"] == "issued" for e in regs)


def test_a_class_column_that_contradicts_the_table_fails_its_row(batch_dir):
    """The sheet's ชั้น says กราบเรียน for a position the table gives เรียน: that row fails with
    the field named and takes no number; the other rows go on."""
    to = _csv(batch_dir / "r.csv", [["ตำแหน่ง", "หน่วยงาน", "deadline", "ชั้น"],
                                    ["อธิบดีกรมบัญชีกลาง", "กรมบัญชีกลาง", "2 ก.ค. 2568", "กราบเรียน"],
                                    ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "2 ก.ค. 2568", "เรียน"]])
    summary = run.run(_opts(batch_dir, to), SerialExecutor())
    rows = {r["row"]: r for r in summary.rows}
    assert summary.ok == 1 and rows[2]["status"] == "failed" and rows[3]["status"] == "ok"
    assert "[salutation]" in rows[2]["error"] and "salutation_override" in rows[2]["error"]
    engine = store.make_engine(f"sqlite:///{batch_dir / 'reg.db'}")
    assert [e["number"] for e in service.entries(engine)] == [1]
    engine.dispose()


def test_batch_file_names_keep_the_dots_of_thai_abbreviations(batch_dir):
    """"สำนักงาน ก.พ.ร." is not cut at its first dot (the stem was made safe twice)."""
    to = _csv(batch_dir / "r.csv", [["ตำแหน่ง", "หน่วยงาน", "deadline"],
                                    ["เลขาธิการ ก.พ.ร.", "สำนักงาน ก.พ.ร.", "2 ก.ค. 2568"],
                                    ["เลขาธิการ ก.พ.", "สำนักงาน ก.พ.", "2 ก.ค. 2568"]])
    summary = run.run(_opts(batch_dir, to), SerialExecutor())
    names = sorted(Path(r["pdf"]).name for r in summary.rows)
    assert names == ["0002-สำนักงาน_ก.พ.ร.-1.pdf", "0003-สำนักงาน_ก.พ.-2.pdf"], names


def test_rerun_reuses_every_letter_and_takes_no_new_number(batch_dir):
    to = _csv(batch_dir / "r.csv", [["position", "agency", "deadline"],
                                    ["ปลัดกระทรวงพาณิชย์", "กระทรวงพาณิชย์", "1 มีนาคม 2568"],
                                    ["ปลัดกระทรวงแรงงาน", "กระทรวงแรงงาน", "1 มีนาคม 2568"]])
    first = run.run(_opts(batch_dir, to), SerialExecutor())
    second = run.run(_opts(batch_dir, to), SerialExecutor())
    assert first.ok == second.ok == 2 and second.reused == 2
    assert [r["number"] for r in first.rows] == [r["number"] for r in second.rows]
    engine = store.make_engine(f"sqlite:///{batch_dir / 'reg.db'}")
    assert len(service.entries(engine)) == 2


def test_xlsx_english_headers_and_missing_placeholder_column(batch_dir):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Position", "Agency", "Note"])
    ws.append(["ปลัดกระทรวงมหาดไทย", "กระทรวงมหาดไทย", "x"])
    wb.save(batch_dir / "r.xlsx")
    summary = run.run(_opts(batch_dir, str(batch_dir / "r.xlsx")), SerialExecutor())
    assert summary.failed == 1 and "deadline" in summary.rows[0]["error"]


def test_named_group_ministries(batch_dir):
    rows = [r for r in recipients.load("group:ministries")]
    assert len(rows) == 20 and all(isinstance(r, recipients.Recipient) for r in rows)
    assert "ปลัดกระทรวงมหาดไทย" in {r.position for r in rows}
    assert len(list(recipients.load("group:provinces"))) == 77
    with pytest.raises(Exception) as e:
        list(recipients.load("group:../../etc"))
    assert "group" in str(e.value)


def test_circular_mode_one_number_and_distribution_page(batch_dir):
    (batch_dir / "notice.yaml").write_text(CIRCULAR, encoding="utf-8")
    to = _csv(batch_dir / "r.csv", [["position", "agency", "deadline"]] + [
        [f"ผู้ว่าราชการจังหวัด{p}", f"จังหวัด{p}", "1 มีนาคม 2568"]
        for p in ["เชียงใหม่", "เชียงราย", "ลำปาง", "ลำพูน", "แพร่", "น่าน", "พะเยา"]])
    summary = run.run(_opts(batch_dir, to, mode="circular", formats=("pdf", "docx")), SerialExecutor())
    assert summary.ok == 7 and summary.exit_code == 0
    refs = {r["ref"] for r in summary.rows}
    assert refs == {"ที่ นร ๑๒๐๐/ว ๑"}                               # one ว number for all copies
    assert {r["date"] for r in summary.rows} == {"2025-01-20"}
    engine = store.make_engine(f"sqlite:///{batch_dir / 'reg.db'}")
    (entry,) = service.entries(engine)
    assert entry["series"] == "ว" and entry["status"] == "issued"
    file_copy = Path(entry["files"]["pdf"]["path"])
    doc = fitz.open(file_copy)
    last = doc[-1].get_text()
    assert "บัญชีรายชื่อผู้รับ" in last and "ผู้ว่าราชการจังหวัดพะเยา" in last
    first_lines = [line.strip() for line in doc[0].get_text().splitlines()]
    assert "บัญชีรายชื่อผู้รับ" not in first_lines                     # long list: a page of its own
    assert "/บัญชีรายชื่อผู้รับ..." in first_lines                      # …announced by the marker
    copy = pdftotext(Path(summary.rows[0]["pdf"]), "-raw")
    assert "เรียน ผู้ว่าราชการจังหวัดเชียงใหม่" in copy
    assert assert_markers_match_next_page(file_copy, load("layout")) == doc.page_count - 1
    # the DOCX file copy carries the same list, starting a new page
    import docx
    d = docx.Document(entry["files"]["docx"]["path"])
    title = next(p for p in d.paragraphs if p.text.strip() == "บัญชีรายชื่อผู้รับ")
    assert title.style.paragraph_format.page_break_before
    texts = [p.text for p in d.paragraphs]
    assert any("ผู้ว่าราชการจังหวัดพะเยา" in t and "๗." in t for t in texts)


def test_circular_refuses_per_recipient_text(batch_dir):
    """One ว number, one text: placeholders may address the copy, not change its content."""
    to = _csv(batch_dir / "r.csv", [["position", "agency", "deadline"], ["ปลัดกระทรวงพาณิชย์", "กระทรวงพาณิชย์", "x"]])
    with pytest.raises(InputError) as e:
        run.run(_opts(batch_dir, to, mode="circular"), SerialExecutor())
    assert {p.field for p in e.value.problems} == {"body"}
    assert "only in to" in e.value.problems[0].en
    assert not (batch_dir / "out").exists()                                    # nothing written
    engine = store.make_engine(f"sqlite:///{batch_dir / 'reg.db'}")
    assert service.entries(engine) == []                                       # no number taken
    engine.dispose()


def test_shipped_batch_examples_run_as_the_readme_says(tmp_path):
    """examples/batch: letters mode from the CSV (an empty row skipped silently), circular mode
    from the XLSX with the circular notice, through the real CLI."""
    root = Path(__file__).resolve().parent.parent
    ex = root / "examples" / "batch"
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    init = subprocess.run([sys.executable, "-m", "docgen", "register", "init", "--db", db,
                           "--profile", str(root / "examples" / "profiles" / "opdc.yaml")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    cli = [sys.executable, "-m", "docgen", "batch"]
    letters = subprocess.run(cli + [str(ex / "notice.yaml"), "--to", str(ex / "recipients.csv"),
                                    "-o", str(tmp_path / "letters"), "--db", db, "--jobs", "1"],
                             capture_output=True, text=True, cwd=tmp_path)
    assert letters.returncode == 0, letters.stderr
    readme_id = re.search(r"register cancel --batch (\w+)", (root / "README.md").read_text(encoding="utf-8"))
    assert readme_id and f"ชุด {readme_id[1]}:" in letters.stdout and f"batch {readme_id[1]}:" in letters.stdout     # the README cancels this batch
    rows = list(csv.DictReader(open(tmp_path / "letters" / "manifest.csv", encoding="utf-8-sig")))
    assert [r["status"] for r in rows] == ["ok"] * 5 and [r["number"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert squash("ขอเชิญกระทรวงการคลัง มอบหมายผู้แทนจำนวน ๒ คน") in squash(pdftotext(Path(rows[0]["pdf"])))
    circ = subprocess.run(cli + [str(ex / "circular.yaml"), "--to", str(ex / "recipients.xlsx"),
                                 "--mode", "circular", "-o", str(tmp_path / "circular"), "--db", db, "--jobs", "1"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert circ.returncode == 0, circ.stderr
    files = sorted(p.name for p in (tmp_path / "circular").glob("*.pdf"))
    assert len(files) == 6 and files[0].startswith("0000-file-copy-ว1")


def test_one_failing_recipient_does_not_stop_the_batch(batch_dir, monkeypatch):
    to = _csv(batch_dir / "r.csv", [["position", "agency", "deadline"],
                                    ["ปลัดกระทรวงพาณิชย์", "กระทรวงพาณิชย์", "1 มีนาคม 2568"],
                                    ["ปลัดกระทรวงแรงงาน", "กระทรวงแรงงาน", "31 กุมภาพันธ์ 2568"],
                                    ["ปลัดกระทรวงยุติธรรม", "กระทรวงยุติธรรม", "1 มีนาคม 2568"]])
    from docgen.batch import executor
    real = executor.render_task

    def flaky(task):
        if "แรงงาน" in task["letter"]["to"]:
            raise RuntimeError("disk on fire")
        return real(task)
    monkeypatch.setattr(executor, "render_task", flaky)
    summary = run.run(_opts(batch_dir, to), SerialExecutor())
    assert summary.ok == 2 and summary.failed == 1 and summary.exit_code == 1
    failed = next(r for r in summary.rows if r["status"] == "failed")
    assert "disk on fire" in failed["error"]
    engine = store.make_engine(f"sqlite:///{batch_dir / 'reg.db'}")
    statuses = sorted(e["status"] for e in service.entries(engine))
    assert statuses == ["cancelled", "issued", "issued"]              # the failed one burned, visibly


def test_merge_and_zip(batch_dir):
    to = _csv(batch_dir / "r.csv", [["position", "agency", "deadline"],
                                    ["ปลัดกระทรวงพาณิชย์", "กระทรวงพาณิชย์", "1 มีนาคม 2568"],
                                    ["ปลัดกระทรวงแรงงาน", "กระทรวงแรงงาน", "1 มีนาคม 2568"]])
    summary = run.run(_opts(batch_dir, to, merge=True, zip=True, out_dir=batch_dir / "batch.2568"),
                      SerialExecutor())
    assert summary.extra["zip"] == str(batch_dir / "batch.2568.zip")    # the folder's whole name
    merged = fitz.open(summary.extra["merged"])
    assert merged.page_count == sum(fitz.open(r["pdf"]).page_count for r in summary.rows)
    import zipfile
    names = zipfile.ZipFile(summary.extra["zip"]).namelist()
    assert any(n.endswith("manifest.csv") for n in names) and sum(n.endswith(".pdf") for n in names) == 3


def test_sigkill_mid_batch_then_resume(batch_dir):
    """Kill the whole batch (driver and workers) mid-way; re-run: each recipient exactly once."""
    n = 12
    to = _csv(batch_dir / "r.csv", [["position", "agency", "deadline"]] + [
        [f"อธิบดีกรมทดสอบที่ {i}", f"กรมทดสอบที่ {i}", "1 มีนาคม 2568"] for i in range(1, n + 1)])
    cmd = [sys.executable, "-m", "docgen", "batch", str(batch_dir / "notice.yaml"), "--to", to,
           "-o", str(batch_dir / "out"), "--format", "pdf", "--jobs", "2",
           "--db", f"sqlite:///{batch_dir / 'reg.db'}"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done_before = kill_mid_batch(cmd, batch_dir, env, batch_dir / "out", 3)
    assert 3 <= done_before < n, "the kill must land mid-batch"
    resumed = subprocess.run(cmd, cwd=batch_dir, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    man = json.loads((batch_dir / "out" / "manifest.json").read_text())
    assert sorted(r["row"] for r in man["letters"]) == list(range(2, n + 2))   # each recipient once
    assert all(r["status"] == "ok" for r in man["letters"])
    numbers = [r["number"] for r in man["letters"]]
    assert sorted(numbers) == list(range(1, n + 1))                            # no second number
    engine = store.make_engine(f"sqlite:///{batch_dir / 'reg.db'}")
    regs = service.entries(engine)
    assert sorted(e["number"] for e in regs) == list(range(1, n + 1))
    assert all(e["status"] == "issued" for e in regs)
    assert not list((batch_dir / "out").glob(".*.part")) and not (batch_dir / "out" / ".staging").exists()
    assert len(list((batch_dir / "out").glob("*.pdf"))) == n


def test_progress_bar_shows_rate_and_eta_on_a_terminal_only():
    import io
    from docgen.batch.progress import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True
    tty, pipe = Tty(), io.StringIO()
    bar, quiet = Progress(10, stream=tty), Progress(10, stream=pipe)
    for ok in (True, True, False):
        bar.step(ok)
        quiet.step(ok)
    bar.close()
    quiet.close()
    assert pipe.getvalue() == ""                        # not a terminal: silent
    last = tty.getvalue().strip().split("\r")[-1]
    assert "3/10" in last and "letters/s" in last and "ETA" in last and "failed 1" in last
    assert "[" + "#" * 9 + " " * 21 + "]" in last       # the bar: 3 of 10, 30 wide (tqdm)


def _worker_state(task: dict) -> dict:
    import gc

    from docgen.render import pdf
    return {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
            "warm": pdf._tokenizer.cache_info().currsize == 1, "pid": os.getpid()}


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool_workers_start_warm_with_the_collector_tuned(method, monkeypatch):
    """Forked (Linux) or spawned (elsewhere): every worker has the dictionary loaded, its warm
    heap frozen and the young-generation threshold raised."""
    import gc
    import multiprocessing

    from docgen.batch import executor
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: [method])
    ex = executor.LocalPoolExecutor(jobs=2)
    try:
        results = [r for _, r in ex.run(_worker_state, [{"i": i} for i in range(4)])]
    finally:
        ex.close()
    assert gc.get_freeze_count() == 0            # the calling process is left as it was
    assert all(not isinstance(r, BaseException) for r in results), results
    assert all(r["threshold"] == executor.WORKER_GC_THRESHOLD and r["frozen"] > 1000 and r["warm"]
               for r in results)
    assert os.getpid() not in {r["pid"] for r in results}


def test_a_rerun_sweeps_interrupted_render_staging_and_zips_no_hidden_file(batch_dir):
    to = _csv(batch_dir / "r.csv", [["ตำแหน่ง", "หน่วยงาน", "deadline"],
                                    ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "2 ก.ค. 2568"]])
    out = batch_dir / "out"
    left = out / ".docgen-render-killed" / "0002-x.pdf"       # what a killed render leaves
    left.parent.mkdir(parents=True)
    left.write_text("partial")
    summary = run.run(_opts(batch_dir, to, zip=True), SerialExecutor())
    assert summary.ok == 1 and not left.parent.exists()
    import zipfile
    with zipfile.ZipFile(summary.extra["zip"]) as z:
        assert not [n for n in z.namelist() if "/." in n]
