"""Fixtures and helpers shared by the register tests (tests/test_register*.py).

Backends: every ``db_url`` test runs on SQLite and, when $DOCGEN_TEST_PG_URL is set,
on a real PostgreSQL database created for the session (``docgen_test_<random>``)
and dropped at the end.
"""
from __future__ import annotations

import os
import secrets
import shutil
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from docgen.data import ROOT
from docgen.output import sha256_file
from docgen.register import service, store

PG_ENV = "DOCGEN_TEST_PG_URL"
PROFILE = ROOT / "examples" / "profiles" / "opdc.yaml"

LETTER = {
    "type": "external",
    "profile": "profiles/opdc.yaml",
    "subject": "ขอเชิญประชุมคณะทำงาน",
    "to": "ปลัดกระทรวงการคลัง",
    "body": ["ด้วยสำนักงาน ก.พ.ร. จะจัดประชุมคณะทำงาน"],
    "purpose": "จึงเรียนมาเพื่อโปรดพิจารณา",
}


# ---------------------------------------------------------------- databases

def _pg_admin(url: str):
    return sa.create_engine(store.to_sa_url(url), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_database():
    """URL of a fresh PostgreSQL database for this session, or skip when not configured."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    name = f"docgen_test_{secrets.token_hex(4)}"
    admin = _pg_admin(base)
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = store.to_sa_url(base).set(database=name).render_as_string(hide_password=False)
    yield url.replace("postgresql+psycopg://", "postgresql://")
    with admin.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def raw_db_url(request, tmp_path):
    """A database URL with no register in it yet, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.db'}"
    url = request.getfixturevalue("pg_database")
    engine = store.make_engine(url)
    with engine.begin() as c:
        c.exec_driver_sql("DROP SCHEMA IF EXISTS docgen_app CASCADE")
        store.metadata.drop_all(c)
    engine.dispose()
    return url


def make_register(where, prefix: str = "นร 1200") -> str:
    """An empty register of the ก.พ.ร. (or ``prefix``), as `docgen register init` makes it: at
    a URL, or as ``reg.db`` in a folder.  Returns the URL."""
    url = where if isinstance(where, str) else f"sqlite:///{Path(where) / 'reg.db'}"
    engine = store.make_engine(url)
    store.init_schema(engine, "test", prefix=prefix)
    engine.dispose()
    return url


@pytest.fixture
def db_url(raw_db_url):
    """An empty register of the ก.พ.ร. (ref_prefix นร 1200), made by `register init`."""
    return make_register(raw_db_url)


@pytest.fixture
def engine(db_url):
    eng = store.make_engine(db_url, timeout=10)
    yield eng
    eng.dispose()


# ---------------------------------------------------------------- letters & renderers

def write_letter(folder: Path, name: str = "letter.yaml", **fields) -> Path:
    """A letter file (with the ก.พ.ร. profile copied beside it) in ``folder``."""
    (folder / "profiles").mkdir(parents=True, exist_ok=True)
    if not (folder / "profiles" / "opdc.yaml").exists():
        shutil.copy(PROFILE, folder / "profiles" / "opdc.yaml")
    data = {**LETTER, **fields}
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def fake_renderer(composed, target):
    """Stands in for the PDF/DOCX renderers: writes the ที่ line and the date."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(f"{composed.ref_text}|{composed.date_text}", encoding="utf-8")


def use_fake_renderer(monkeypatch, renderer=fake_renderer):
    from docgen import render
    monkeypatch.setattr(render, "get", lambda fmt: renderer)


def assert_consistent(engine) -> list[dict]:
    """Register invariants: per series 1..last without gaps; issued ⇒ files with their hashes."""
    with store.transaction(engine, read=True) as conn:
        rows = store.list_entries(conn)
        seqs = {(r.prefix, r.series, r.year): r.last for r in conn.execute(sa.select(store.sequences))}
    by_key: dict = {}
    for r in rows:
        by_key.setdefault((r["prefix"], r["series"], r["year"]), []).append(r["number"])
        if r["status"] == "issued":
            assert r["files"], r
            for f in r["files"].values():
                assert Path(f["path"]).is_file(), f
                assert sha256_file(Path(f["path"])) == f["sha256"]
    for key, numbers in by_key.items():
        assert sorted(numbers) == list(range(1, seqs[key] + 1)), key
    return rows


@pytest.fixture
def run(capsys, monkeypatch):
    """``run(*argv) -> (exit code, stdout, stderr)`` of the CLI, with the fake renderer; never a
    traceback."""
    from docgen import cli
    use_fake_renderer(monkeypatch)

    def run(*argv):
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err
    return run


def killable(call: str) -> str:
    """A Python script whose renderer writes a partial file, flags ``argv[3]`` and sleeps, then
    runs ``call`` (register code, ``argv[1]`` = URL, ``argv[2]`` = letter, ``argv[4]`` = out):
    the process to SIGKILL mid-render."""
    return r"""
import sys, time
from pathlib import Path
from docgen import render
def slow(composed, target):
    Path(target).write_text("partial")
    Path(sys.argv[3]).write_text("rendering")
    time.sleep(120)
render.get = lambda fmt: slow
from docgen.register import service, store
from docgen.register.keys import SeriesKey
""" + call + "\n"


# ---------------------------------------------------------------- worker processes

def allocate_worker(url: str, count: int, barrier) -> list[int]:
    """One client: ``count`` allocations, each its own transaction with its register row."""
    from docgen.register.keys import SeriesKey
    engine = store.make_engine(url, timeout=60)
    key = SeriesKey("นร 1200", "ปกติ", 2567)
    got = []
    barrier.wait()
    for _ in range(count):
        with store.transaction(engine) as conn:
            n = store.allocate(conn, key)[0]
            store.insert_entries(conn, [dict(
                prefix=key.prefix, series=key.series, year=key.year, number=n, status="reserved",
                ref_text=f"นร 1200/{n}", issued_at="x", updated_at="x")])
        got.append(n)
    engine.dispose()
    return got


def wait_for(predicate, timeout: float = 30.0, step: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


def load_ddl(url: str, ddl: str, separator: str = ";\n") -> None:
    """Run literal DDL (an old register schema, with ``{serial}`` for the id type) on ``url``."""
    eng = store.make_engine(url)
    serial = "SERIAL" if eng.dialect.name == "postgresql" else "INTEGER"
    try:
        with eng.begin() as conn:
            for stmt in ddl.replace("{serial}", serial).split(separator):
                if stmt.strip():
                    conn.exec_driver_sql(stmt)
    finally:
        eng.dispose()
