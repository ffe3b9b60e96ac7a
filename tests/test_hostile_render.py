"""Issue 13: atomic renders (all formats or none), the render time budget, no programs at start-up.

Each test fails on the code as it was before the fix: a PDF left behind when the DOCX failed, a
PDF with no pages written as a success, a slow render never stopped, ~210 programs (ldconfig,
gcc, ld) run by every process that loads WeasyPrint.
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import docx as python_docx
import pikepdf
import pytest

from docgen import api, cli, render
from docgen.data import ROOT
from docgen.register import service, store

from .test_batch import NOTICE, _csv, _opts
from .test_register_support import make_register, write_letter

EXAMPLE = ROOT / "examples" / "02_memo.yaml"
PY = sys.executable


def run_cli(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def files_in(folder: Path) -> list[str]:
    """Every file and folder left under ``folder`` (hidden ones too), relative."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def failing_docx(composed, target):
    Path(target).write_bytes(b"PK half a docx")        # a half file of its own, then a crash
    raise RuntimeError("the DOCX writer broke")


def assert_opens(pdf: Path, docx: Path) -> None:
    with pikepdf.open(pdf) as p:
        assert len(p.pages) >= 1
    assert python_docx.Document(str(docx)).paragraphs


# ---- 1. all or nothing ----------------------------------------------------------------

def test_cli_render_docx_failure_leaves_no_pdf(capsys, monkeypatch, tmp_path):
    """The PDF is rendered first; the DOCX then fails: nothing at all is left (was: the PDF)."""
    monkeypatch.setattr("docgen.render.docx.render_docx", failing_docx)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "render", EXAMPLE, "-o", out)
    assert code == 1 and "RuntimeError" in err
    assert files_in(out) == []
    assert not out.exists()                              # the folder it made is gone too


def test_cli_render_one_broken_letter_does_not_stop_the_next(capsys, monkeypatch, tmp_path):
    from docgen.render import docx as docx_mod
    real = docx_mod.render_docx

    def docx_fails_for_memo(composed, target, *a, **kw):
        if composed.doctype == "memo":
            raise RuntimeError("the DOCX writer broke")
        return real(composed, target, *a, **kw)

    monkeypatch.setattr(docx_mod, "render_docx", docx_fails_for_memo)
    out = tmp_path / "out"
    other = ROOT / "examples" / "01_external_references.yaml"
    code, _, err = run_cli(capsys, "render", EXAMPLE, other, "-o", out)
    assert code == 1 and "02_memo.yaml: " in err and "internal error" in err
    assert files_in(out) == ["01_external_references.docx", "01_external_references.pdf"]


def test_failure_keeps_the_files_of_an_earlier_render(capsys, monkeypatch, tmp_path):
    """A failing render never removes a file it did not write, and writes none of its own."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "02_memo.pdf").write_bytes(b"an earlier PDF")
    (out / "notes.txt").write_text("mine")
    monkeypatch.setattr("docgen.render.docx.render_docx", failing_docx)
    code, _, _ = run_cli(capsys, "render", EXAMPLE, "-o", out)
    assert code == 1
    assert files_in(out) == ["02_memo.pdf", "notes.txt"]
    assert (out / "02_memo.pdf").read_bytes() == b"an earlier PDF"


def test_a_failed_move_takes_back_the_file_already_moved(capsys, tmp_path):
    """Both rendered, but the DOCX cannot take its name (a folder is there): the PDF is taken back."""
    out = tmp_path / "out"
    (out / "02_memo.docx").mkdir(parents=True)
    code, _, err = run_cli(capsys, "render", EXAMPLE, "-o", out)
    assert code == 1 and "02_memo.docx" in err
    assert files_in(out) == ["02_memo.docx"]              # only the folder that was there


def test_a_failed_move_restores_the_earlier_file(tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / "02_memo.docx").mkdir(parents=True)
    (out / "02_memo.pdf").write_bytes(b"an earlier PDF")
    composed, _ = api.compose_file(EXAMPLE)
    with pytest.raises(OSError):
        api.render(composed, out, "02_memo")
    assert (out / "02_memo.pdf").read_bytes() == b"an earlier PDF"
    assert files_in(out) == ["02_memo.docx", "02_memo.pdf"]


def test_api_render_success_writes_both_and_no_leftovers(tmp_path):
    composed, _ = api.compose_file(EXAMPLE)
    paths = api.render(composed, tmp_path / "a" / "b", "memo")
    assert files_in(tmp_path / "a" / "b") == ["memo.docx", "memo.pdf"]
    assert_opens(paths["pdf"], paths["docx"])
    assert oct(paths["pdf"].stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_api_render_docx_failure_through_render_get(tmp_path, monkeypatch):
    real_get = render.get
    monkeypatch.setattr(render, "get", lambda fmt: failing_docx if fmt == "docx" else real_get(fmt))
    composed, _ = api.compose_file(EXAMPLE)
    with pytest.raises(RuntimeError):
        api.render(composed, tmp_path, "memo")
    assert files_in(tmp_path) == []


def test_a_pdf_with_no_pages_is_an_error_and_leaves_nothing(capsys, monkeypatch, tmp_path):
    """(seen with a layout value of 1e300 mm) A PDF with no pages is never a success."""
    from docgen.render import pdf
    real_layout = pdf.layout

    def no_pages(composed):
        document, markers = real_layout(composed)
        document.pages.clear()
        return document, markers

    monkeypatch.setattr(pdf, "layout", no_pages)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "render", EXAMPLE, "-o", out, "--format", "pdf")
    assert code == 1 and "no pages" in err and "ไม่มีหน้า" in err
    assert files_in(out) == []


def test_batch_worker_failure_leaves_no_half_letter(tmp_path, monkeypatch):
    """executor.render_task (batch workers, circular copies) writes both formats or none."""
    from docgen.batch import executor
    write_letter(tmp_path)
    monkeypatch.setattr("docgen.render.docx.render_docx", failing_docx)
    task = {"letter": json.loads(json.dumps(_letter())), "base": str(tmp_path), "overrides": {},
            "out_dir": str(tmp_path / "out"), "stem": "0002-x", "formats": ["pdf", "docx"]}
    with pytest.raises(RuntimeError):
        executor.render_task(task)
    assert files_in(tmp_path / "out") == []


def _letter() -> dict:
    from .test_register_support import LETTER
    return dict(LETTER)


def test_circular_copy_failure_is_reported_per_row_and_leaves_nothing(tmp_path, monkeypatch):
    """A circular's copy whose DOCX fails: that row fails, no half file, the batch goes on."""
    from docgen.batch import run
    from docgen.batch.executor import SerialExecutor
    from .test_batch import CIRCULAR
    from .conftest import write_letter as write_notice
    write_notice(tmp_path, CIRCULAR, "notice.yaml")
    make_register(tmp_path)
    from docgen.render import docx as docx_mod
    real = docx_mod.render_docx

    def docx_fails_for_finance(composed, target, *a, **kw):
        if "การคลัง" in composed.recipient:
            raise RuntimeError("the DOCX writer broke")
        return real(composed, target, *a, **kw)

    monkeypatch.setattr(docx_mod, "render_docx", docx_fails_for_finance)
    to = _csv(tmp_path / "r.csv", [["position"], ["ปลัดกระทรวงการคลัง"], ["ปลัดกระทรวงพาณิชย์"]])
    summary = run.run(_opts(tmp_path, to, mode="circular", formats=("pdf", "docx")), SerialExecutor())
    rows = {r["row"]: r for r in summary.rows}
    assert rows[2]["status"] == "failed" and rows[3]["status"] == "ok"
    out = tmp_path / "out"
    left = [n for n in files_in(out) if n.endswith((".pdf", ".docx"))]
    assert not any("การคลัง" in n for n in left), left
    assert not any(n.startswith(".") for n in files_in(out)), files_in(out)


# ---- 2. the time budget ---------------------------------------------------------------

def slow_pdf(seconds=30):
    def render_pdf(composed, target):
        time.sleep(seconds)
        Path(target).write_bytes(b"%PDF-1.7 late")
    return render_pdf


def test_budget_setting(monkeypatch):
    monkeypatch.delenv(render.BUDGET_ENV, raising=False)
    assert render.budget_seconds() == 60                      # data/limits.yaml render.seconds
    monkeypatch.setenv(render.BUDGET_ENV, "2.5")
    assert render.budget_seconds() == 2.5
    previous = render.set_budget(7)
    try:
        assert render.budget_seconds() == 7                   # --timeout wins
    finally:
        render.set_budget(previous)
    for bad in ("0", "-1", "nan", "inf", "abc", "1e9"):
        monkeypatch.setenv(render.BUDGET_ENV, bad)
        with pytest.raises(render.MessageError):
            render.budget_seconds()


@pytest.mark.parametrize("how", ["env", "option"])
def test_cli_render_over_budget_is_stopped_and_reported(capsys, monkeypatch, tmp_path, how):
    monkeypatch.setattr("docgen.render.pdf.render_pdf", slow_pdf())
    api.compose_file(EXAMPLE)                                  # warm: the budget is for the render
    argv = ["render", EXAMPLE, "-o", tmp_path / "out"]
    if how == "env":
        monkeypatch.setenv(render.BUDGET_ENV, "1")
    else:
        argv += ["--timeout", "1"]
    handler = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    code, _, err = run_cli(capsys, *argv)
    assert time.monotonic() - start < 10
    assert code == 1
    assert "budget of 1 s" in err and "เกิน 1 วินาที" in err
    assert files_in(tmp_path / "out") == []
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == handler           # given back
    assert render.budget_override() is None                   # --timeout does not outlive main()


def test_cli_timeout_option_and_setting_errors(capsys, monkeypatch, tmp_path):
    code, _, err = run_cli(capsys, "render", EXAMPLE, "--timeout", "0")
    assert code == 2 and "--timeout" in err
    monkeypatch.setenv(render.BUDGET_ENV, "soon")
    code, _, err = run_cli(capsys, "render", EXAMPLE, "-o", tmp_path / "out")
    assert code == 1 and "DOCGEN_RENDER_SECONDS" in err and "soon" in err
    assert files_in(tmp_path / "out") == []
    for command in ("issue", "batch"):
        with pytest.raises(SystemExit):
            cli.build_parser().parse_args([command, "--help"])
        assert "--timeout" in capsys.readouterr().out


def test_an_applications_own_alarm_is_left_alone():
    """An interval timer already running is never moved: the render is measured instead."""
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 5)
        with render.deadline(2):
            time.sleep(0.01)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 4 < left <= 5
        with pytest.raises(render.RenderTimeout):
            with render.deadline(0.05):
                time.sleep(0.2)
        assert not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_the_alarm_stops_a_render_and_is_disarmed_after():
    handler = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    with pytest.raises(render.RenderTimeout):
        with render.deadline(0.2):
            time.sleep(5)
    assert time.monotonic() - start < 2
    with render.deadline(0.2):
        pass
    time.sleep(0.3)                                          # nothing fires later
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == handler


def test_api_render_in_a_thread_is_refused_when_over_budget(tmp_path, monkeypatch):
    """No alarm outside the main thread: the render runs to its end and is then refused."""
    monkeypatch.setattr("docgen.render.pdf.render_pdf", slow_pdf(1.5))
    composed, _ = api.compose_file(EXAMPLE)
    got = []

    def work():
        try:
            previous = render.set_budget(0.5)
            try:
                api.render(composed, tmp_path / "out", "memo")
            finally:
                render.set_budget(previous)
        except BaseException as e:
            got.append(e)

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert len(got) == 1 and isinstance(got[0], render.RenderTimeout)
    assert files_in(tmp_path / "out") == []


def test_render_errors_survive_pickling():
    """A worker's error reaches the batch driver as it was (MessageError needs its code)."""
    for err in (render.RenderTimeout(1.5), render.RenderError("render-no-pages")):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and str(back) == str(err)


@pytest.fixture()
def notice_dir(tmp_path):
    from .conftest import write_letter as write_notice
    write_notice(tmp_path, NOTICE, "notice.yaml")
    make_register(tmp_path)
    return tmp_path


def slow_for(agency: str):
    from docgen.render import pdf
    real = pdf.render_pdf

    def render_pdf(composed, target):
        if agency in composed.recipient:
            time.sleep(60)
        return real(composed, target)
    return render_pdf


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_letter_over_budget_is_stopped_reported_and_burned(notice_dir, monkeypatch, jobs):
    """One letter over budget: stopped in its worker, failed in the manifest, its number
    cancelled with the reason; the other letters are issued."""
    from docgen.batch import executor, run
    monkeypatch.setattr("docgen.render.pdf.render_pdf", slow_for("แรงงาน"))
    to = _csv(notice_dir / "r.csv", [["position", "agency", "deadline"],
                                     ["ปลัดกระทรวงพาณิชย์", "กระทรวงพาณิชย์", "1 มีนาคม 2568"],
                                     ["ปลัดกระทรวงแรงงาน", "กระทรวงแรงงาน", "1 มีนาคม 2568"],
                                     ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "1 มีนาคม 2568"]])
    previous = render.set_budget(3)
    try:
        start = time.monotonic()
        ex = executor.SerialExecutor() if jobs == 1 else executor.LocalPoolExecutor(jobs=2)
        summary = run.run(_opts(notice_dir, to, formats=("pdf", "docx")), ex)
        assert time.monotonic() - start < 40
    finally:
        render.set_budget(previous)
    rows = {r["row"]: r for r in summary.rows}
    assert summary.ok == 2 and summary.failed == 1
    assert rows[3]["status"] == "failed" and "budget of 3 s" in rows[3]["error"]
    man = json.loads((notice_dir / "out" / "manifest.json").read_text())
    assert {r["row"]: r["status"] for r in man["letters"]} == {2: "ok", 3: "failed", 4: "ok"}
    engine = store.make_engine(f"sqlite:///{notice_dir / 'reg.db'}")
    entries = {e["number"]: e for e in service.entries(engine)}
    engine.dispose()
    burned = [e for e in entries.values() if e["status"] == "cancelled"]
    assert len(burned) == 1 and "budget of 3 s" in burned[0]["reason"]
    assert_opens(Path(rows[2]["pdf"]), Path(rows[2]["docx"]))
    assert not any("แรงงาน" in n for n in files_in(notice_dir / "out"))


def test_issue_over_budget_burns_the_number_visibly(capsys, monkeypatch, tmp_path):
    db = make_register(tmp_path)
    monkeypatch.setattr("docgen.render.pdf.render_pdf", slow_pdf())
    letter = write_letter(tmp_path)
    code, _, err = run_cli(capsys, "issue", letter, "-o", tmp_path / "out", "--db", db, "--timeout", "1")
    assert code == 1 and "budget of 1 s" in err
    assert [n for n in files_in(tmp_path / "out") if not n.startswith(".docgen-issue")] == []
    code, out, _ = run_cli(capsys, "register", "show", "1", "--db", db, "--profile", letter.parent / "profiles" / "opdc.yaml")
    assert code == 0 and "budget of 1 s" in out


# ---- 3. no programs at start-up -------------------------------------------------------

AUDIT = textwrap.dedent("""
    import sys
    spawned = []
    def hook(event, args):
        if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                     "os.fork", "os.forkpty", "pty.spawn"):
            spawned.append((event, repr(args)[:200]))
    sys.addaudithook(hook)
    from docgen.cli import main
    code = main(sys.argv[1:])
    sys.stdout.flush()
    print("SPAWNED", spawned, file=sys.stderr)
    sys.exit(code)
""")


def test_a_render_starts_no_program(tmp_path):
    """WeasyPrint's library lookup ran ldconfig, gcc and ld (~210 programs) in every process."""
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_RENDER_SECONDS"}
    proc = subprocess.run([PY, "-c", AUDIT, "render", str(EXAMPLE), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "SPAWNED []" in proc.stderr, proc.stderr[-2000:]
    assert_opens(tmp_path / "out" / "02_memo.pdf", tmp_path / "out" / "02_memo.docx")


@pytest.mark.skipif(not shutil.which("strace"), reason="strace not installed")
def test_a_render_execs_nothing_under_strace(tmp_path):
    trace = tmp_path / "trace"
    proc = subprocess.run(["strace", "-f", "-qq", "-e", "trace=execve", "-o", str(trace),
                           PY, "-m", "docgen", "render", str(EXAMPLE), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 and "ptrace" in proc.stderr:
        pytest.skip("ptrace not permitted here")
    assert proc.returncode == 0, proc.stderr
    execs = [line for line in trace.read_text().splitlines() if "execve(" in line]
    assert len(execs) == 1, execs[:10]                         # python itself, nothing else


def test_soname_loading_is_pinned_and_scoped():
    """The lookup patch applies to the pinned WeasyPrint only, and only while it is imported."""
    import ctypes.util
    from docgen.render import weasy_adapt
    assert weasy_adapt.PINNED_VERSION == __import__("weasyprint").__version__
    assert not getattr(ctypes.util.find_library, "__name__", "") == "<lambda>"
    src = weasy_adapt._ffi_source()
    assert src and all(f"'{n}'" in src for n in weasy_adapt.SONAMES)
    with weasy_adapt.no_spawn_library_lookup():
        assert ctypes.util.find_library("c") is None
    assert ctypes.util.find_library.__module__ == "ctypes.util"
