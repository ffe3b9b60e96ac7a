"""Resources: no temporary folder survives a render, a batch, a killed batch or a test run,
and the batch's progress bar (tqdm) shows its total, bar and ETA on a terminal only."""
from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import kill_mid_batch

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sandbox(tmp_path):
    """examples/ (its docgen.toml and profiles) copied, a register, a fresh TMPDIR."""
    ex = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", ex)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    env.pop("DOCGEN_DB", None)
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    init = subprocess.run([sys.executable, "-m", "docgen", "register", "init", "--db", db,
                           "--prefix", "นร 1200"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    return tmp_path, ex, tmp, env, db


def _left(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir())


def _batch(ex: Path, to: Path, out: Path, db: str, jobs: int = 2) -> list[str]:
    return [sys.executable, "-m", "docgen", "batch", str(ex / "batch" / "notice.yaml"), "--to", str(to),
            "-o", str(out), "--format", "pdf", "--jobs", str(jobs), "--db", db]


def test_render_leaves_no_temporary_folder(sandbox):
    tmp_path, ex, tmp, env, _ = sandbox
    proc = subprocess.run([sys.executable, "-m", "docgen", "render", str(ex / "01_external_references.yaml"),
                           "-o", str(tmp_path / "out")], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert list((tmp_path / "out").glob("*.pdf"))
    assert _left(tmp) == []


def test_batch_on_a_terminal_shows_its_total_and_leaves_no_temporary_folder(sandbox):
    """A batch of the shipped example through a process pool, its stderr a terminal: the bar
    has the total (5 recipient rows), a bar and an ETA; the workers' font folders are gone."""
    tmp_path, ex, tmp, env, db = sandbox
    master, slave = pty.openpty()
    proc = subprocess.Popen(_batch(ex, ex / "batch" / "recipients.csv", tmp_path / "out", db),
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:                    # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=300) == 0, b"".join(chunks).decode("utf-8", "replace")
    shown = b"".join(chunks).decode("utf-8", "replace")
    last = [s for s in shown.replace("\r\n", "\n").split("\r") if "/5" in s][-1]
    assert "5/5" in last and "[" + "#" * 30 + "]" in last and "ETA" in last and "letters/s" in last
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 5
    assert _left(tmp) == []


def test_a_killed_batch_leaves_nothing_after_the_next_run(sandbox):
    """SIGKILL to the whole batch (driver and workers) mid-run leaves their font folders;
    the next run (the resume) sweeps them: no docgen temporary survives."""
    tmp_path, ex, tmp, env, db = sandbox
    to = tmp_path / "many.csv"
    rows = ["ตำแหน่ง,หน่วยงาน,seats"] + [f"อธิบดีกรมทดสอบที่ {i},กรมทดสอบที่ {i},1" for i in range(1, 13)]
    to.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cmd = _batch(ex, to, tmp_path / "out", db)
    assert kill_mid_batch(cmd, tmp_path, env, tmp_path / "out", 2) < 12, "the kill must land mid-batch"
    assert list(tmp.glob("docgen-fonts-*"))               # the killed workers' folders, left
    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 12
    assert _left(tmp) == []


def test_sweep_keeps_live_and_foreign_folders(tmp_path):
    from docgen.render import fonts
    live = tmp_path / f"{fonts.PREFIX}{os.getppid()}-{fonts._host()}-abc"
    other_host = tmp_path / f"{fonts.PREFIX}999999999-00000000-abc"
    dead = tmp_path / f"{fonts.PREFIX}999999999-{fonts._host()}-abc"
    plain = tmp_path / "weasyprint-abc"                    # not docgen's: never touched
    for d in (live, other_host, dead, plain):
        d.mkdir()
        (d / "font").write_bytes(b"x")
    assert fonts.sweep(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (live, other_host, plain))


def test_in_process_font_folders_are_docgens_and_removed_at_exit(tmp_path):
    """A render in this process puts its fonts in a docgen-fonts-<pid>-… folder, which
    ``cleanup`` (registered with atexit) removes."""
    font = (ROOT / "fonts" / "THSarabunPSK-Regular.ttf").as_uri()
    code = ("import tempfile, pathlib, weasyprint, docgen.render.fonts as f\n"
            "c = f.font_config()\n"
            f"css = '@font-face {{ font-family: x; src: url({font}) }}'\n"
            "weasyprint.CSS(string=css, font_config=c)\n"
            "print(*(p.name for p in pathlib.Path(tempfile.gettempdir()).iterdir()))\n")
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"docgen-fonts-") and "weasyprint-" not in proc.stdout
    assert list(tmp_path.iterdir()) == []


def test_progress_is_quiet_in_a_pipe_and_counts_without_a_total():
    from docgen.batch.progress import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True
    pipe, tty = io.StringIO(), Tty()
    quiet, counting = Progress(None, stream=pipe), Progress(None, stream=tty)
    for ok in (True, False):
        quiet.step(ok)
        counting.step(ok)
    quiet.close()
    counting.close()
    assert pipe.getvalue() == ""
    last = tty.getvalue().strip().split("\r")[-1]
    assert last.startswith("2 ") and "letters/s" in last and "failed 1" in last and "ETA" not in last
    assert (quiet.done, quiet.failed) == (2, 1)
