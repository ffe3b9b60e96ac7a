"""Register reliability: concurrent clients, SIGKILL mid-issue, unusable databases."""
from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docgen import cli
from docgen.register import service, store

from .test_register_support import (allocate_worker, assert_consistent, db_url, engine,  # noqa: F401
                                    killable, pg_database, use_fake_renderer, wait_for,
                                    write_letter)

CLIENTS, EACH = 8, 200


def test_concurrent_allocations_are_gapless_and_unique(db_url):
    eng = store.make_engine(db_url)
    store.init_schema(eng, "x")
    eng.dispose()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(CLIENTS)
    with ctx.Pool(CLIENTS) as pool:
        results = pool.starmap(allocate_worker, [(db_url, EACH, barrier)] * CLIENTS)
    numbers = sorted(n for got in results for n in got)
    assert numbers == list(range(1, CLIENTS * EACH + 1))
    eng = store.make_engine(db_url)
    rows = assert_consistent(eng)
    assert sorted(r["number"] for r in rows) == numbers
    eng.dispose()


KILLED_ISSUE = killable(
    'service.issue(store.make_engine(sys.argv[1]), sys.argv[2], sys.argv[4], ("pdf",), by="killed")')


def _kill_during_render(db_url: str, letter: Path, out: Path, tmp_path: Path) -> None:
    marker = tmp_path / "rendering.flag"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_ISSUE, db_url, str(letter), str(marker), str(out)],
                            cwd=tmp_path)
    try:
        assert wait_for(marker.exists, timeout=60), "the issuing process never started rendering"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_during_render_leaves_a_resumable_pending_row(db_url, tmp_path, monkeypatch, capsys):
    letter, out = write_letter(tmp_path), tmp_path / "out"
    _kill_during_render(db_url, letter, out, tmp_path)
    eng = store.make_engine(db_url)
    rows = assert_consistent(eng)
    assert [(r["number"], r["status"], r["files"]) for r in rows] == [(1, "pending", {})]
    assert not [p for p in out.iterdir() if not p.name.startswith(".")]   # no final files

    assert cli.main(["register", "list", "--db", db_url]) == 0
    assert "ค้าง/pending" in capsys.readouterr().out

    use_fake_renderer(monkeypatch)
    resumed = service.issue(eng, letter, out, ("pdf",))
    assert (resumed.outcome, resumed.entry["number"], resumed.entry["status"]) == ("resumed", 1, "issued")
    assert resumed.paths["pdf"].read_text(encoding="utf-8").startswith("ที่ นร ๑๒๐๐/๑|")
    assert len(assert_consistent(eng)) == 1
    assert not list(out.glob(".docgen-issue-*"))          # the killed try's staging is swept
    eng.dispose()


def test_sigkilled_number_can_be_burned_and_is_never_reused(db_url, tmp_path, monkeypatch, capsys):
    letter, out = write_letter(tmp_path), tmp_path / "out"
    _kill_during_render(db_url, letter, out, tmp_path)
    code = cli.main(["register", "cancel", "1", "--reason", "เครื่องดับระหว่างพิมพ์", "--db", db_url])
    assert code == 0, capsys.readouterr()
    use_fake_renderer(monkeypatch)
    eng = store.make_engine(db_url)
    assert service.issue(eng, letter, out, ("pdf",)).entry["number"] == 2
    rows = assert_consistent(eng)
    assert [(r["number"], r["status"]) for r in rows] == [(1, "cancelled"), (2, "issued")]
    eng.dispose()


# ---------------------------------------------------------------- unusable databases

def _issue_fails(capsys, tmp_path, monkeypatch, db: str, code: str, *extra) -> str:
    use_fake_renderer(monkeypatch)
    out = tmp_path / "out"
    letter = write_letter(tmp_path)
    started = time.monotonic()
    rc = cli.main(["issue", str(letter), "-o", str(out), "--format", "pdf", "--db", db, *extra])
    err = capsys.readouterr().err
    assert rc != 0
    assert code in err and " — " in err and "Traceback" not in err, err
    assert not out.exists() or not any(out.iterdir())       # no partial output
    assert time.monotonic() - started < 15
    return err


def _init_fails(capsys, db: str, needle: str) -> str:
    rc = cli.main(["register", "init", "--prefix", "นร 1200", "--db", db])
    err = capsys.readouterr().err
    assert rc == 1 and needle in err and " — " in err and "Traceback" not in err, err
    return err


def test_database_under_a_missing_folder(capsys, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path}/no/such/dir/r.db"
    err = _issue_fails(capsys, tmp_path, monkeypatch, db, "there is no register at")
    assert "ไม่มีทะเบียนที่" in err and not (tmp_path / "no").exists()
    err = _init_fails(capsys, db, "unable to open")
    assert "เปิดฐานข้อมูลทะเบียน" in err and not (tmp_path / "no").exists()


def test_database_path_below_a_file(capsys, tmp_path, monkeypatch):
    (tmp_path / "plain").write_text("x")
    _issue_fails(capsys, tmp_path, monkeypatch, f"sqlite:///{tmp_path}/plain/r.db", "there is no register")
    _init_fails(capsys, f"sqlite:///{tmp_path}/plain/r.db", "cannot open")


def test_file_that_is_not_a_database(capsys, tmp_path, monkeypatch):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not sqlite " * 100)
    _issue_fails(capsys, tmp_path, monkeypatch, f"sqlite:///{bad}", "is not an SQLite database")
    assert bad.read_bytes() == b"this is not sqlite " * 100


def test_database_locked_for_long(capsys, tmp_path, monkeypatch):
    path = tmp_path / "r.db"
    store.init_schema(store.make_engine(f"sqlite:///{path}"), "x", prefix="นร 1200")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        err = _issue_fails(capsys, tmp_path, monkeypatch, f"sqlite:///{path}", "stayed locked",
                           "--db-timeout", "0.3")
        assert "ถูกล็อก" in err
    finally:
        holder.rollback()
        holder.close()


def test_postgresql_down(capsys, tmp_path, monkeypatch):
    err = _issue_fails(capsys, tmp_path, monkeypatch, "postgresql://postgres@127.0.0.1:1/docgen",
                       "cannot reach the register database")
    assert "ติดต่อฐานข้อมูลทะเบียน" in err


def test_postgresql_down_in_a_real_process(tmp_path):
    """The installed entry point, end to end: one bilingual line, exit 1, no traceback."""
    r = subprocess.run([sys.executable, "-m", "docgen", "register", "list",
                        "--db", "postgresql://postgres@127.0.0.1:1/docgen"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "ติดต่อฐานข้อมูลทะเบียน" in r.stderr and "cannot reach" in r.stderr
