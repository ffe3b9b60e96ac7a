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

SQLAlchemy is imported on first use, not with this module (0.3 s of every cold start):
``docgen render`` imports the register (the command line's ``register`` commands, the check
of a numbered draft) but opens a database only when one is configured.  ``sa``, ``event``
and ``exc`` load their module on first attribute access; the tables are defined then too
(``_schema()``; ``store.entries``, ``store.metadata`` … from outside).
"""
from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import types
from functools import lru_cache
from pathlib import Path

from .. import config, limits
from .errors import RegisterError
from .keys import SeriesKey


class _LazyModule:
    """A module imported on its first attribute access; it then takes this stand-in's place
    among the module's globals (later lookups find the module itself)."""

    def __init__(self, alias: str, name: str):
        self._alias, self._name = alias, name

    def __getattr__(self, attr: str):
        module = importlib.import_module(self._name)
        if globals().get(self._alias) is self:
            globals()[self._alias] = module
        return getattr(module, attr)


sa = _LazyModule("sa", "sqlalchemy")
event = _LazyModule("event", "sqlalchemy.event")
exc = _LazyModule("exc", "sqlalchemy.exc")

SCHEMA_VERSION = 2
ENV_URL = config.ENV_URL
ENV_TIMEOUT = "DOCGEN_DB_TIMEOUT"
DEFAULT_TIMEOUT = 30.0                 # seconds a writer waits for the lock
STATUSES = ("pending", "issued", "reserved", "cancelled")
# what an officer filters by: "sent" is an issued letter marked as sent (sent_at set)
STATES = ("pending", "issued", "sent", "reserved", "cancelled")

SCHEMA_NAMES = ("metadata", "schema_version", "sequences", "entries", "revisions", "info")


@lru_cache(maxsize=1)
def _schema() -> types.SimpleNamespace:
    """The register's tables (SQLAlchemy Core), defined once, on first use."""
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
        # schema 2
        sa.Column("doctype", sa.String(40)),                      # external, memo, …
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),   # current revision
        sa.Column("sent_at", sa.String(40)),                      # marked as sent (Bangkok date/time)
        sa.Column("sent_by", sa.Text),
        sa.Column("search_text", sa.Text),                        # normalised text for Thai search
        sa.UniqueConstraint("prefix", "series", "year", "number", name="uq_register_number"),
        sa.CheckConstraint("status IN ('pending', 'issued', 'reserved', 'cancelled')",
                           name="ck_register_status"),
        sa.CheckConstraint("number >= 1", name="ck_register_number"),
        sa.Index("ix_register_hash", "prefix", "content_hash"),
    )

    # Every rendering of a number: revision 1 is the letter as issued, 2… are corrections made
    # with `docgen issue --revise`.  A revision is ``pending`` while it renders, ``done`` once its
    # files are in place; the entry's files/content_hash are those of its latest done revision.
    revisions = sa.Table(
        "register_revision", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("register_entry.id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("files", sa.Text),                              # JSON {fmt: {path, sha256}}
        sa.Column("source", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("made_by", sa.Text),
        sa.Column("made_at", sa.String(40), nullable=False),      # Bangkok ISO timestamp
        sa.UniqueConstraint("entry_id", "revision", name="uq_register_revision"),
        sa.CheckConstraint("status IN ('pending', 'done')", name="ck_revision_status"),
    )

    # Facts about the register itself: the agency (ref_prefix) it serves, multi-agency or not.
    info = sa.Table(
        "register_info", metadata,
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    return types.SimpleNamespace(metadata=metadata, schema_version=schema_version, sequences=sequences,
                                 entries=entries, revisions=revisions, info=info)


def __getattr__(name: str):
    """``store.metadata``, ``store.entries`` …: the tables, defined on first access."""
    if name in SCHEMA_NAMES:
        return getattr(_schema(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_V2_COLUMNS = (("doctype", "VARCHAR(40)"), ("revision", "INTEGER NOT NULL DEFAULT 1"),
               ("sent_at", "VARCHAR(40)"), ("sent_by", "TEXT"), ("search_text", "TEXT"))


def _migrate_to_2(conn) -> None:
    """Schema 1 → 2: type, revision, sent and search columns; a revision 1 row for every
    issued letter; the agency the register serves (the one prefix it holds, or multi-agency)."""
    t = _schema()
    entries, revisions = t.entries, t.revisions
    for name, ddl in _V2_COLUMNS:
        conn.execute(sa.text(f"ALTER TABLE {_qualified(conn, 'register_entry')} ADD COLUMN {name} {ddl}"))
    rows = conn.execute(sa.select(entries)).all()
    for r in rows:
        conn.execute(entries.update().where(entries.c.id == r.id).values(
            doctype="external", search_text=search_text(r.subject, r.recipient, r.ref_text, r.agency)))
        if r.status == "issued":
            conn.execute(revisions.insert().values(
                entry_id=r.id, revision=1, status="done", content_hash=r.content_hash, files=r.files,
                source=r.source, made_by=r.issued_by, made_at=r.updated_at))
    held = sorted({r.prefix for r in rows})
    if len(held) == 1:
        set_info(conn, "prefix", held[0])
    elif len(held) > 1:
        set_info(conn, "multi_agency", "1")

MIGRATIONS: dict[int, callable] = {2: _migrate_to_2}   # version → function(conn) upgrading from version-1


def search_text(*parts) -> str:
    """The text ``list --search`` looks in: parts joined, spaces and ZWSP dropped, ำ made one
    character, Arabic digits (so a search finds a word inside unsegmented Thai either way).

    >>> search_text("ตัวชี้วัด ขับเคลื่อน", None, "ที่ นร ๑๒๐๐/๗๔")
    'ตัวชี้วัดขับเคลื่อน\\nที่นร1200/74'
    """
    from ..thai.digits import to_arabic_digits
    out = []
    for part in parts:
        if part:
            text = to_arabic_digits(str(part)).replace("\u0e4d\u0e32", "\u0e33").replace("\u200b", "")
            out.append("".join(text.split()))
    return "\n".join(out)


def _qualified(conn, table: str) -> str:
    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
    return f'"{schema}".{table}' if schema else table


# ---------------------------------------------------------------- engine & errors

URL_CHARS = limits.get("files.url_chars")    # a register URL longer than this is a mistake
_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@/\s]*@")


def url_shown(raw) -> str:
    """A URL as it may appear in a message: its password hidden, controls escaped, cut.

    >>> url_shown("postgresql://u:secret@h/db")
    'postgresql://u:***@h/db'
    >>> print(url_shown("sqlite:///a" + chr(0) + "b"))
    sqlite:///a\\x00b
    """
    text = _PASSWORD.sub(r"\1***@", str(raw))
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return text if len(text) <= 200 else text[:200] + "…"


def _bad_url(raw) -> RegisterError:
    return RegisterError("db-url", url=url_shown(raw))


def to_sa_url(raw: str) -> sa.URL:
    """``sqlite:///path`` or ``postgresql://…`` (driven by psycopg 3) as a SQLAlchemy URL.

    Every malformed URL is the "db-url" RegisterError, never another exception: an unknown
    scheme, ``sqlite://relative`` (two slashes) or ``sqlite:///`` with no file, a control
    character or NUL anywhere, whitespace in a PostgreSQL URL (a SQLite file name may hold
    spaces), a URL over ``URL_CHARS`` characters, a host or port SQLAlchemy cannot parse
    (``[::1`` unclosed, ``:abc``, outside 1–65535).

    >>> to_sa_url("postgresql://u@h:5432/db").port
    5432
    >>> to_sa_url("postgresql://u@h:abc/db")
    Traceback (most recent call last):
    ...
    docgen.register.errors.RegisterError: ที่อยู่ฐานข้อมูล 'postgresql://u@h:abc/db' ไม่ถูกต้อง (ใช้ sqlite:///ไฟล์ หรือ postgresql://…) — unsupported database URL 'postgresql://u@h:abc/db' (use sqlite:///FILE or postgresql://…)
    """
    if not isinstance(raw, str):
        raise _bad_url(raw)
    text = raw.strip()
    if (not text or len(text) > URL_CHARS
            or any(not c.isprintable() and c != " " for c in text)):    # NUL, newline, tab, bidi …
        raise _bad_url(raw)
    for scheme in ("postgresql://", "postgres://", "postgresql+psycopg://"):
        if text.startswith(scheme):
            if any(c.isspace() for c in text):
                raise _bad_url(raw)
            text = "postgresql+psycopg://" + text[len(scheme):]
            break
    else:
        if not text.startswith("sqlite:///") or text in ("sqlite:///", "sqlite:///:memory:"):
            raise _bad_url(raw)
    try:
        url = sa.make_url(text)
        port, host, database = url.port, url.host, url.database     # .port parses lazily: ValueError
    except (exc.ArgumentError, ValueError, TypeError):
        raise _bad_url(raw) from None
    if port is not None and not 1 <= port <= 65535:
        raise _bad_url(raw)
    if url.get_backend_name() == "sqlite":
        path = (database or "").partition("?")[0]
        if not path or path == ":memory:" or "\x00" in path:
            raise _bad_url(raw)
    elif host is not None and (host.startswith("[") or host.endswith("]") or "\x00" in host):
        raise _bad_url(raw)
    return url


def shown(engine_or_url) -> str:
    url = engine_or_url.url if isinstance(engine_or_url, sa.Engine) else engine_or_url
    return url.render_as_string(hide_password=True)


def make_engine(url: "str | config.RegisterLocation | None" = None, timeout: float | None = None,
                synchronous: str = "FULL", schema: str | None = None) -> sa.Engine:
    """An engine for the register; ``timeout`` = seconds to wait for a lock or a connection.

    ``url`` is a URL, a located register (``config.locate_register``) or None (look it up from
    the working folder).  ``?schema=NAME`` in a PostgreSQL URL, or ``schema``, puts docgen's
    tables in that schema; ``?options=-csearch_path=…`` is kept (docgen adds its lock timeout).
    """
    loc = url if isinstance(url, config.RegisterLocation) else (
        config.locate_register() if url is None else config.RegisterLocation(url, "--db"))
    u = to_sa_url(loc.url)
    schema = schema or loc.schema
    if "schema" in u.query:
        schema = config._schema(u.query["schema"], "?schema=") or schema
        u = u.difference_update_query(["schema"])
    if timeout is None:
        timeout = loc.timeout
        if timeout is None and os.environ.get(ENV_TIMEOUT):
            try:
                timeout = float(os.environ[ENV_TIMEOUT])
            except ValueError:
                raise config.ConfigError("config-timeout", where=f"${ENV_TIMEOUT}",
                                         value=os.environ[ENV_TIMEOUT][:80]) from None
        timeout = timeout or DEFAULT_TIMEOUT
    # a number of seconds docgen can wait (--db-timeout inf/nan/-1 would crash the driver)
    timeout = config._timeout(timeout, "--db-timeout / $" + ENV_TIMEOUT)
    if u.get_backend_name() == "sqlite":
        if schema:
            raise RegisterError("schema-sqlite")
        try:                               # a query value the driver cannot take (?timeout=abc)
            engine = sa.create_engine(u, connect_args={"timeout": timeout})
        except (exc.ArgumentError, ValueError, TypeError):
            raise _bad_url(loc.url) from None
        _sqlite_setup(engine, synchronous)
    else:
        given = u.query.get("options")
        given = " ".join(given) if isinstance(given, tuple) else (given or "")
        u = u.difference_update_query(["options"])
        try:
            engine = sa.create_engine(u, pool_pre_ping=False, connect_args={
                "connect_timeout": max(1, int(timeout)),
                "options": f"{given} -c lock_timeout={int(timeout * 1000)}".strip()})
        except ImportError:
            raise RegisterError("db-driver", url=shown(u)) from None
        except (exc.ArgumentError, ValueError, TypeError):
            raise _bad_url(loc.url) from None
        if schema:
            engine = engine.execution_options(schema_translate_map={None: schema})
    engine.docgen_timeout = timeout
    engine.docgen_source = loc.source
    engine.docgen_schema = schema
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
        return _missing(engine)
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
    schema_version = _schema().schema_version
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()


def get_info(conn) -> dict[str, str]:
    info = _schema().info
    return dict(conn.execute(sa.select(info.c.key, info.c.value)).all())


def set_info(conn, key: str, value: str) -> None:
    info = _schema().info
    if conn.execute(sa.select(info.c.key).where(info.c.key == key)).first():
        conn.execute(info.update().where(info.c.key == key).values(value=value))
    else:
        conn.execute(info.insert().values(key=key, value=value))


def init_schema(engine: sa.Engine, stamp: str, prefix: str | None = None,
                multi_agency: bool = False) -> int:
    """Create or upgrade the register in place (idempotent); returns the schema version.

    A new register records the agency (``prefix``) it serves, or that it is shared by
    several agencies (``multi_agency``).  The only function that creates tables.
    """
    t = _schema()
    metadata, schema_version = t.metadata, t.schema_version
    with transaction(engine) as conn:
        if conn.dialect.name == "postgresql":       # serialise concurrent init runs
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7420461)"))
            schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
            if schema:
                conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
        fresh = not sa.inspect(conn).has_table("schema_version", schema=schema)
        if not fresh:
            version = current_version(conn) or 0
            if version > SCHEMA_VERSION:
                raise RegisterError("db-newer", found=version, known=SCHEMA_VERSION)
        metadata.create_all(conn, checkfirst=True)
        if fresh:
            conn.execute(schema_version.insert().values(version=SCHEMA_VERSION, applied_at=stamp))
        else:
            for v in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[v](conn)
                conn.execute(schema_version.insert().values(version=v, applied_at=stamp))
        known = get_info(conn)
        if multi_agency:
            set_info(conn, "multi_agency", "1")
        elif prefix and known.get("multi_agency") != "1":
            if known.get("prefix") and known["prefix"] != prefix:
                raise RegisterError("init-other-agency", serves=known["prefix"], prefix=prefix)
            set_info(conn, "prefix", prefix)
        elif not known.get("prefix") and known.get("multi_agency") != "1":
            raise RegisterError("init-prefix")       # rolls back: nothing is created
    return SCHEMA_VERSION


def require_register(engine: sa.Engine) -> None:
    """The register must exist and be of this schema; never creates it (only ``init`` does)."""
    path = sqlite_path(engine)
    if path is not None and not path.exists():
        raise _missing(engine)
    try:
        with engine.connect() as conn:
            version = current_version(conn.execution_options(docgen_read=True))
    except exc.DBAPIError as e:
        if not _missing_table(e):
            raise translate(e, engine) from None
        raise _missing(engine) from None
    except exc.SQLAlchemyError as e:
        raise translate(e, engine) from None
    if version is None:
        raise _missing(engine)
    if version > SCHEMA_VERSION:
        raise RegisterError("db-newer", found=version, known=SCHEMA_VERSION)
    if version < SCHEMA_VERSION:
        raise RegisterError("db-old", url=shown(engine), found=version, known=SCHEMA_VERSION)


def _missing(engine) -> RegisterError:
    return RegisterError("register-missing", url=shown(engine),
                         source=getattr(engine, "docgen_source", "--db"))


def check_agency(conn, prefix: str, engine) -> None:
    """Refuse a letter of another agency than the one the register serves."""
    known = get_info(conn)
    if known.get("multi_agency") == "1":
        return
    if known.get("prefix") != prefix:
        raise RegisterError("register-other-agency", url=shown(engine),
                            serves=known.get("prefix") or "?", prefix=prefix)


# ---------------------------------------------------------------- allocation

def _upsert(conn, key: SeriesKey, add: int) -> int:
    sequences = _schema().sequences
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


def last_number(conn, key: SeriesKey) -> int:
    """The last number the series has used (0 for a new series); takes no lock."""
    sequences = _schema().sequences
    return conn.execute(sa.select(sequences.c.last).where(
        sequences.c.prefix == key.prefix, sequences.c.series == key.series,
        sequences.c.year == key.year)).scalar() or 0


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
    entries = _schema().entries
    out = []
    for values in rows:
        values = {**values, "files": json.dumps(values.get("files") or {}, ensure_ascii=False)}
        out.append(row_dict(conn.execute(entries.insert().values(**values).returning(entries)).one()))
    return out


def get_by_id(conn, entry_id: int) -> dict:
    entries = _schema().entries
    return row_dict(conn.execute(sa.select(entries).where(entries.c.id == entry_id)).one())


def get_entry(conn, key: SeriesKey, number: int) -> dict | None:
    entries = _schema().entries
    row = conn.execute(sa.select(entries).where(
        entries.c.prefix == key.prefix, entries.c.series == key.series,
        entries.c.year == key.year, entries.c.number == number)).first()
    return row_dict(row) if row else None


def find_by_hash(conn, prefix: str, content_hash: str) -> dict | None:
    """The latest live (pending or issued) entry made from the same content."""
    entries = _schema().entries
    row = conn.execute(sa.select(entries).where(
        entries.c.prefix == prefix, entries.c.content_hash == content_hash,
        entries.c.status.in_(("pending", "issued"))).order_by(entries.c.id.desc()).limit(1)).first()
    return row_dict(row) if row else None


_SEARCHED = ("subject", "recipient", "ref_text", "agency")      # what search_text is made of


def update_entry(conn, entry_id: int, from_status: tuple[str, ...], **values) -> bool:
    """Change an entry only if its status is still one of ``from_status``; True if changed.
    A change of the searched fields refreshes ``search_text``."""
    entries = _schema().entries
    if "files" in values:
        values["files"] = json.dumps(values["files"], ensure_ascii=False)
    result = conn.execute(entries.update().where(
        entries.c.id == entry_id, entries.c.status.in_(from_status)).values(**values))
    changed = result.rowcount == 1
    if changed and "search_text" not in values and set(values) & set(_SEARCHED):
        row = conn.execute(sa.select(*(entries.c[k] for k in _SEARCHED)).where(
            entries.c.id == entry_id)).one()
        conn.execute(entries.update().where(entries.c.id == entry_id).values(
            search_text=search_text(*row)))
    return changed


def prefixes(conn) -> list[str]:
    entries = _schema().entries
    return list(conn.execute(sa.select(entries.c.prefix).distinct().order_by(entries.c.prefix)).scalars())


def list_entries(conn, query=None, **filters) -> list[dict]:
    """Register rows in order, those ``query`` (a ``query.RegisterQuery``) selects.

    Without a query, ``filters`` are its fields as user text (``query.parse``: year, series,
    prefix, status, doctype, date_from, date_to, month, to_agency, search).  ``search`` is a
    bound LIKE (``%`` and ``_`` escaped) inside ``search_text``, normalised the same way, so
    Thai or Arabic digits and spaced or unsegmented Thai match alike.
    """
    entries = _schema().entries
    from .query import parse
    if query is None:
        query = parse(**filters)
    q = sa.select(entries).where(*query.where())
    q = q.order_by(entries.c.prefix, entries.c.year, entries.c.series, entries.c.number)
    return [row_dict(r) for r in conn.execute(q)]


def entries_of_batch(conn, batch_id: str) -> list[dict]:
    entries = _schema().entries
    q = sa.select(entries).where(entries.c.batch_id == batch_id).order_by(entries.c.id)
    return [row_dict(r) for r in conn.execute(q)]


def lock_entry(conn, entry_id: int) -> dict | None:
    """The entry, its row locked until the transaction ends (PostgreSQL; SQLite's BEGIN
    IMMEDIATE already holds the database write lock)."""
    entries = _schema().entries
    q = sa.select(entries).where(entries.c.id == entry_id)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    row = conn.execute(q).first()
    return row_dict(row) if row else None


# ---------------------------------------------------------------- revisions

def revision_dict(row) -> dict:
    d = dict(row._mapping)
    d["files"] = json.loads(d["files"]) if d.get("files") else {}
    return d


def insert_revision(conn, **values) -> dict:
    revisions = _schema().revisions
    values = {**values, "files": json.dumps(values.get("files") or {}, ensure_ascii=False)}
    return revision_dict(conn.execute(revisions.insert().values(**values).returning(revisions)).one())


def update_revision(conn, revision_id: int, from_status: tuple[str, ...], **values) -> bool:
    revisions = _schema().revisions
    if "files" in values:
        values["files"] = json.dumps(values["files"], ensure_ascii=False)
    result = conn.execute(revisions.update().where(
        revisions.c.id == revision_id, revisions.c.status.in_(from_status)).values(**values))
    return result.rowcount == 1


def pending_revision(conn, entry_id: int) -> dict | None:
    revisions = _schema().revisions
    row = conn.execute(sa.select(revisions).where(
        revisions.c.entry_id == entry_id, revisions.c.status == "pending")).first()
    return revision_dict(row) if row else None


def revisions_of(conn, entry_id: int) -> list[dict]:
    revisions = _schema().revisions
    q = sa.select(revisions).where(revisions.c.entry_id == entry_id).order_by(revisions.c.revision)
    return [revision_dict(r) for r in conn.execute(q)]


def delete_revision(conn, revision_id: int, from_status: tuple[str, ...]) -> bool:
    revisions = _schema().revisions
    result = conn.execute(revisions.delete().where(
        revisions.c.id == revision_id, revisions.c.status.in_(from_status)))
    return result.rowcount == 1
