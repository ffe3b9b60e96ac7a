"""Register storage (SQLAlchemy Core): schema, migrations, atomic number allocation.

One code path for the embedded SQLite file (default ``./docgen.db``) and a shared
PostgreSQL.  Allocation is an atomic upsert

    INSERT INTO register_sequence … ON CONFLICT (prefix, series, year)
        DO UPDATE SET last = register_sequence.last + n RETURNING last

inside the caller's transaction, so the counter and the register row commit (or
roll back) together.  On PostgreSQL the upsert takes the sequence row's lock until
commit; on SQLite every write transaction starts with ``BEGIN IMMEDIATE`` (WAL
journal, busy timeout).  UNIQUE (prefix, series, year, number) is the last line of
defence.
"""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, exc

from .errors import RegisterError
from .keys import SeriesKey

SCHEMA_VERSION = 1
ENV_URL = "DOCGEN_DATABASE_URL"
ENV_TIMEOUT = "DOCGEN_DB_TIMEOUT"
DEFAULT_URL = "sqlite:///docgen.db"
DEFAULT_TIMEOUT = 30.0                 # seconds a writer waits for the lock
STATUSES = ("pending", "issued", "reserved", "cancelled")

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)

sequences = sa.Table(
    "register_sequence", metadata,
    sa.Column("prefix", sa.String(60), primary_key=True),
    sa.Column("series", sa.String(20), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last", sa.Integer, nullable=False),
)

entries = sa.Table(
    "register_entry", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("prefix", sa.String(60), nullable=False),
    sa.Column("series", sa.String(20), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("number", sa.Integer, nullable=False),          # เลขทะเบียนส่ง
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("ref_text", sa.Text, nullable=False),           # ที่
    sa.Column("letter_date", sa.String(10)),                  # ลงวันที่ (ISO)
    sa.Column("agency", sa.Text),                             # จาก
    sa.Column("recipient", sa.Text),                          # ถึง
    sa.Column("subject", sa.Text),                            # เรื่อง
    sa.Column("action", sa.Text),                             # การปฏิบัติ
    sa.Column("note", sa.Text),                               # หมายเหตุ
    sa.Column("reason", sa.Text),                             # why reserved / cancelled
    sa.Column("issued_by", sa.Text),
    sa.Column("issued_at", sa.String(40), nullable=False),    # Bangkok ISO timestamp
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("source", sa.Text),                             # input file
    sa.Column("content_hash", sa.String(64)),
    sa.Column("files", sa.Text),                              # JSON {fmt: {path, sha256}}
    sa.Column("batch_id", sa.String(64)),
    sa.UniqueConstraint("prefix", "series", "year", "number", name="uq_register_number"),
    sa.CheckConstraint("status IN ('pending', 'issued', 'reserved', 'cancelled')",
                       name="ck_register_status"),
    sa.CheckConstraint("number >= 1", name="ck_register_number"),
    sa.Index("ix_register_hash", "prefix", "content_hash"),
)

MIGRATIONS: dict[int, callable] = {}      # version → function(conn) that upgrades from version-1


# ---------------------------------------------------------------- engine & errors

def resolve_url(url: str | None = None) -> str:
    """--db, else $DOCGEN_DATABASE_URL, else ``sqlite:///docgen.db`` (working directory)."""
    return url or os.environ.get(ENV_URL) or DEFAULT_URL


def to_sa_url(raw: str) -> sa.URL:
    """``sqlite:///path`` or ``postgresql://…`` (driven by psycopg 3) as a SQLAlchemy URL."""
    text = raw.strip()
    for scheme in ("postgresql://", "postgres://", "postgresql+psycopg://"):
        if text.startswith(scheme):
            text = "postgresql+psycopg://" + text[len(scheme):]
            break
    else:
        if not text.startswith("sqlite:///") or text in ("sqlite:///", "sqlite:///:memory:"):
            raise RegisterError("db-url", url=raw[:200])
    try:
        return sa.make_url(text)
    except exc.ArgumentError:
        raise RegisterError("db-url", url=raw[:200]) from None


def shown(engine_or_url) -> str:
    url = engine_or_url.url if isinstance(engine_or_url, sa.Engine) else engine_or_url
    return url.render_as_string(hide_password=True)


def make_engine(url: str | None = None, timeout: float | None = None,
                synchronous: str = "FULL") -> sa.Engine:
    """An engine for the register; ``timeout`` = seconds to wait for a lock or a connection."""
    u = to_sa_url(resolve_url(url))
    if timeout is None:
        timeout = float(os.environ.get(ENV_TIMEOUT) or DEFAULT_TIMEOUT)
    if u.get_backend_name() == "sqlite":
        engine = sa.create_engine(u, connect_args={"timeout": timeout})
        _sqlite_setup(engine, synchronous)
    else:
        engine = sa.create_engine(u, pool_pre_ping=False, connect_args={
            "connect_timeout": max(1, int(timeout)),
            "options": f"-c lock_timeout={int(timeout * 1000)}"})
    engine.docgen_timeout = timeout
    return engine


def _sqlite_setup(engine: sa.Engine, synchronous: str) -> None:
    """WAL journal; writers start with BEGIN IMMEDIATE, readers with a plain BEGIN."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None          # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        read = conn.get_execution_options().get("docgen_read")
        conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def sqlite_path(engine: sa.Engine) -> Path | None:
    return Path(engine.url.database) if engine.url.get_backend_name() == "sqlite" else None


def _missing_table(e: exc.DBAPIError) -> bool:
    text = str(e.orig).lower()
    return "no such table" in text or getattr(e.orig, "sqlstate", None) == "42P01"


def translate(e: exc.SQLAlchemyError, engine: sa.Engine) -> RegisterError:
    """A database exception as a bilingual RegisterError (no traceback for the user)."""
    orig = getattr(e, "orig", None) or e
    text = " ".join(str(orig).split())
    low = text.lower()
    url = shown(engine)
    sqlstate = getattr(orig, "sqlstate", None)
    if "database is locked" in low or "database table is locked" in low or sqlstate == "55P03":
        return RegisterError("db-locked", seconds=f"{getattr(engine, 'docgen_timeout', 0):g}")
    if "file is not a database" in low:
        return RegisterError("db-not-sqlite", url=url)
    if isinstance(e, exc.DBAPIError) and _missing_table(e):
        return RegisterError("db-no-schema", url=url)
    if engine.url.get_backend_name() == "sqlite" and (
            "unable to open" in low or "readonly" in low or "disk i/o" in low):
        return RegisterError("db-open", url=url, detail=text[:200])
    if isinstance(e, exc.OperationalError) or isinstance(e, exc.InterfaceError):
        return RegisterError("db-unreachable", url=url, detail=text[:200])
    return RegisterError("db-error", detail=text[:300])


@contextlib.contextmanager
def db_errors(engine: sa.Engine):
    try:
        yield
    except exc.SQLAlchemyError as e:
        raise translate(e, engine) from None


@contextlib.contextmanager
def transaction(engine: sa.Engine, read: bool = False):
    """One transaction (SQLite: BEGIN IMMEDIATE unless ``read``); DB errors → RegisterError."""
    with db_errors(engine):
        with engine.connect() as conn:
            if read:
                conn = conn.execution_options(docgen_read=True)
            with conn.begin():
                yield conn


# ---------------------------------------------------------------- schema

def current_version(conn) -> int | None:
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()


def init_schema(engine: sa.Engine, stamp: str) -> int:
    """Create or migrate the schema (idempotent); returns the schema version."""
    with transaction(engine) as conn:
        if conn.dialect.name == "postgresql":       # serialise concurrent init runs
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7420461)"))
        metadata.create_all(conn, checkfirst=True)
        version = current_version(conn) or 0
        if version > SCHEMA_VERSION:
            raise RegisterError("db-newer", found=version, known=SCHEMA_VERSION)
        if version == 0:
            conn.execute(schema_version.insert().values(version=SCHEMA_VERSION, applied_at=stamp))
            return SCHEMA_VERSION
        for v in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[v](conn)
            conn.execute(schema_version.insert().values(version=v, applied_at=stamp))
    return SCHEMA_VERSION


def check_schema(engine: sa.Engine, create: bool, stamp: str) -> None:
    """Make sure the register exists: create it (write commands) or refuse (read commands).

    A read command never creates an SQLite file as a side effect.
    """
    path = sqlite_path(engine)
    if path is not None and not create and not path.exists():
        raise RegisterError("db-no-schema", url=shown(engine))
    try:
        with engine.connect() as conn:
            version = current_version(conn.execution_options(docgen_read=True))
    except exc.DBAPIError as e:
        if not _missing_table(e):
            raise translate(e, engine) from None
        version = None
    except exc.SQLAlchemyError as e:
        raise translate(e, engine) from None
    if version == SCHEMA_VERSION:
        return
    if version is not None and version > SCHEMA_VERSION:
        raise RegisterError("db-newer", found=version, known=SCHEMA_VERSION)
    if not create:
        raise RegisterError("db-no-schema", url=shown(engine))
    init_schema(engine, stamp)


# ---------------------------------------------------------------- allocation

def _upsert(conn, key: SeriesKey, add: int) -> int:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(sequences).values(prefix=key.prefix, series=key.series, year=key.year, last=add)
    stmt = stmt.on_conflict_do_update(
        index_elements=[sequences.c.prefix, sequences.c.series, sequences.c.year],
        set_={"last": sequences.c.last + add},
    ).returning(sequences.c.last)
    return conn.execute(stmt).scalar_one()


def lock_sequence(conn, key: SeriesKey) -> int:
    """Take the sequence row's lock for this transaction; returns the last number used."""
    return _upsert(conn, key, 0)


def allocate(conn, key: SeriesKey, count: int = 1) -> range:
    """The next ``count`` consecutive numbers of the series (caller's transaction)."""
    last = _upsert(conn, key, count)
    return range(last - count + 1, last + 1)


# ---------------------------------------------------------------- entries

def row_dict(row) -> dict:
    d = dict(row._mapping)
    d["files"] = json.loads(d["files"]) if d.get("files") else {}
    return d


def insert_entries(conn, rows: list[dict]) -> list[dict]:
    out = []
    for values in rows:
        values = {**values, "files": json.dumps(values.get("files") or {}, ensure_ascii=False)}
        out.append(row_dict(conn.execute(entries.insert().values(**values).returning(entries)).one()))
    return out


def get_by_id(conn, entry_id: int) -> dict:
    return row_dict(conn.execute(sa.select(entries).where(entries.c.id == entry_id)).one())


def get_entry(conn, key: SeriesKey, number: int) -> dict | None:
    row = conn.execute(sa.select(entries).where(
        entries.c.prefix == key.prefix, entries.c.series == key.series,
        entries.c.year == key.year, entries.c.number == number)).first()
    return row_dict(row) if row else None


def find_by_hash(conn, prefix: str, content_hash: str) -> dict | None:
    """The latest live (pending or issued) entry made from the same content."""
    row = conn.execute(sa.select(entries).where(
        entries.c.prefix == prefix, entries.c.content_hash == content_hash,
        entries.c.status.in_(("pending", "issued"))).order_by(entries.c.id.desc()).limit(1)).first()
    return row_dict(row) if row else None


def update_entry(conn, entry_id: int, from_status: tuple[str, ...], **values) -> bool:
    """Change an entry only if its status is still one of ``from_status``; True if changed."""
    if "files" in values:
        values["files"] = json.dumps(values["files"], ensure_ascii=False)
    result = conn.execute(entries.update().where(
        entries.c.id == entry_id, entries.c.status.in_(from_status)).values(**values))
    return result.rowcount == 1


def prefixes(conn) -> list[str]:
    return list(conn.execute(sa.select(entries.c.prefix).distinct().order_by(entries.c.prefix)).scalars())


def list_entries(conn, year: int | None = None, series: str | None = None,
                 search: str | None = None, prefix: str | None = None,
                 status: str | None = None) -> list[dict]:
    """Register rows in order.

    ``search``: a parameterised LIKE with % and _ escaped, on subject, recipient and ที่,
    matching Thai or Arabic digits alike.
    """
    q = sa.select(entries)
    if year is not None:
        q = q.where(entries.c.year == year)
    if series is not None:
        q = q.where(entries.c.series == series)
    if prefix is not None:
        q = q.where(entries.c.prefix == prefix)
    if status is not None:
        q = q.where(entries.c.status == status)
    if search:
        from ..thai.digits import to_arabic_digits, to_thai_digits
        variants = sorted({search, to_thai_digits(search), to_arabic_digits(search)})
        q = q.where(sa.or_(*(col.contains(v, autoescape=True) for v in variants
                             for col in (entries.c.subject, entries.c.recipient, entries.c.ref_text))))
    q = q.order_by(entries.c.prefix, entries.c.year, entries.c.series, entries.c.number)
    return [row_dict(r) for r in conn.execute(q)]
