"""Python API: the whole flow, left to right.

    letter file → input.read_mapping + with_profile → model.validate → compose.compose → render.<fmt> → files

>>> from docgen import api
>>> result = api.render_file("examples/02_memo.yaml", "output")     # doctest: +SKIP
>>> result.paths["pdf"]                                             # doctest: +SKIP
PosixPath('output/02_memo.pdf')
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import compose as _compose
from . import input as _input
from . import model as _model
from .errors import InputError, Problems
from .output import clean_stem, safe_stem

FORMATS = ("pdf", "docx")

# One render at a time in a process.  WeasyPrint's Pango, fontconfig and GLib are not safe to
# use from several threads: 8 threads rendering at once crashed a fresh process (segmentation
# fault, bus error, Pango's "ensure_families" assertion) or hung it, even after warm_up(), and
# one run gave different bytes (tests/test_threads.py; docs/api.md "Threads").  Every render
# of the library API and of the register takes this lock, before its time budget starts
# (waiting is not rendering).  Re-entrant: a render inside a locked block does not deadlock.
RENDER_LOCK = threading.RLock()


@dataclass
class RenderResult:
    source: Path | None
    composed: _compose.ComposedLetter
    problems: Problems
    paths: dict[str, Path] = field(default_factory=dict)


def validate_mapping(letter: dict, base: Path, overrides: dict | None = None,
                     today: dt.date | None = None, profile: dict | None = None,
                     profile_dir: Path | None = None):
    """Validate an in-memory letter mapping whose relative paths start at ``base``.

    ``profile``: a profile mapping given beside the letter (its images start at
    ``profile_dir``, default ``base``) instead of the one the letter's ``profile:`` names."""
    letter = {**letter, **(overrides or {})}
    if profile is None:
        letter, profile, profile_dir = _input.with_profile(letter, base)
    else:                                           # the profile given here is the one used
        import copy
        letter.pop("profile", None)
        profile, profile_dir = copy.deepcopy(profile), profile_dir or base
    # an image path is relative to the file that names it: the letter or its profile
    return _model.validate(letter, profile, profile_dir, today=today, letter_dir=base)


def load(path: str | Path, overrides: dict | None = None, today: dt.date | None = None):
    """(Letter | None, Problems) for a letter file; ``overrides`` replace fields (number, date…)."""
    path = Path(path)
    raw = _input.read_mapping(path)
    return validate_mapping(raw, path.parent, overrides, today)


def check(path: str | Path, today: dt.date | None = None) -> Problems:
    """Every problem of a letter file (errors and warnings); never raises for bad input."""
    try:
        _, problems = load(path, today=today)
    except InputError as e:
        problems = Problems(list(e.problems))
    return problems


def compose_mapping(letter: dict, base: Path, overrides: dict | None = None,
                    today: dt.date | None = None, profile: dict | None = None,
                    profile_dir: Path | None = None,
                    register_year: int | None = None) -> tuple[_compose.ComposedLetter, Problems]:
    """``register_year``: the register year (B.E.) of the number being printed, for a ที่ that
    carries the year (คำสั่ง "๑๒/๒๕๖๗"); without it the year of the document's date."""
    model, problems = validate_mapping(letter, base, overrides, today, profile, profile_dir)
    if model is None:
        raise InputError(problems.errors + problems.warnings)
    model.ref_year = register_year
    return _compose.compose(model), problems


def compose_file(path: str | Path, overrides: dict | None = None,
                 today: dt.date | None = None) -> tuple[_compose.ComposedLetter, Problems]:
    """Composed letter for a file, or InputError naming every bad field."""
    path = Path(path)
    return compose_mapping(_input.read_mapping(path), path.parent, overrides, today)


def render(composed: _compose.ComposedLetter, out_dir: str | Path, stem: str,
           formats=FORMATS) -> dict[str, Path]:
    """Write ``<stem>.pdf`` / ``<stem>.docx`` into ``out_dir``: every format or none.

    Both are rendered into a staging folder and moved onto their names only when both
    succeeded; a failure leaves no new file (``render.render_all``).  The render runs within
    the time budget (``render.deadline``; ``RenderTimeout`` when exceeded — in a thread other
    than the main thread it cannot be stopped, only refused when it ends: docs/decisions.md).
    """
    from . import render as _render
    out_dir = Path(out_dir)
    targets = {fmt: out_dir / f"{clean_stem(stem)}.{fmt}" for fmt in formats}
    return _render.render_all(composed, targets)


def render_file(path: str | Path, out_dir: str | Path | None = None, formats=FORMATS,
                overrides: dict | None = None, today: dt.date | None = None,
                stem: str | None = None) -> RenderResult:
    """Validate, compose and render one letter file; raises InputError on bad input.
    Compose and render share one time budget (``RenderTimeout``)."""
    from . import render as _render
    path, formats = Path(path), tuple(formats)
    with RENDER_LOCK:
        _render.prepare(formats)                  # one-time loading: outside the budget
        with _render.deadline():
            composed, problems = compose_file(path, overrides, today)
            out_dir = Path(out_dir) if out_dir is not None else path.parent
            paths = render(composed, out_dir, stem or safe_stem(path.name), formats)
    return RenderResult(path, composed, problems, paths)


# ---------------------------------------------------------------- the library API (docgen.render, docgen.check)

@dataclass(frozen=True)
class Rendered:
    """A rendered letter held in memory: ``pdf`` / ``docx`` bytes (None for a format not
    asked for), the warnings, and the composed letter (every printed string)."""
    composed: _compose.ComposedLetter
    problems: list
    pdf: bytes | None = None
    docx: bytes | None = None

    def write(self, folder: str | Path, stem: str = "letter") -> dict[str, Path]:
        """Write ``<stem>.pdf`` / ``<stem>.docx`` into ``folder``: every format or none."""
        from .output import atomic_write
        folder = Path(folder)
        written: dict[str, Path] = {}
        try:
            for fmt in FORMATS:
                data = getattr(self, fmt)
                if data is not None:
                    target = folder / f"{clean_stem(stem)}.{fmt}"
                    atomic_write(target, data)
                    written[fmt] = target
        except BaseException:
            for path in written.values():
                path.unlink(missing_ok=True)
            raise
        return written


def _letter_and_base(letter, base) -> tuple[dict, Path]:
    """A letter given as a mapping (relative paths start at ``base``, default the working
    folder) or as a file path (relative paths start at its folder)."""
    if isinstance(letter, (str, Path)):
        path = Path(letter)
        return _input.read_mapping(path), path.parent
    if not isinstance(letter, dict):
        raise TypeError("letter must be a mapping or a path to a YAML/JSON file")
    return dict(letter), Path(base) if base is not None else Path.cwd()


def _profile_and_dir(profile, base: Path) -> tuple[dict | None, Path | None]:
    """A profile given beside the letter: (mapping, the folder its images start at); a file
    path is read (its folder), a mapping is used as is (``base``); None: (None, None)."""
    if profile is None:
        return None, None
    if isinstance(profile, (str, Path)):            # a profile file the application names
        ppath = Path(profile)
        return _input.read_profile(ppath), ppath.parent
    if isinstance(profile, dict):
        return dict(profile), base
    raise TypeError("profile must be a mapping, a path to a YAML/JSON file, or None")


def _validated(letter, profile, base, today):
    raw, base = _letter_and_base(letter, base)
    prof, pdir = _profile_and_dir(profile, base)
    return validate_mapping(raw, base, None, today, prof, pdir)


def check_letter(letter, profile=None, base=None, today: dt.date | None = None) -> list:
    """Every problem of a letter (errors and warnings, ``Problem``: field, code, severity, th,
    en); never raises for bad input.

    >>> import docgen
    >>> [p.field for p in docgen.check({"type": "external"}) if p.severity == "error"][:3]
    ['subject', 'to', 'body']
    """
    try:
        _, problems = _validated(letter, profile, base, today)
    except InputError as e:
        return list(e.problems)
    return list(problems.items)


def render_letter(letter, profile=None, formats=FORMATS, base=None,
                  today: dt.date | None = None) -> Rendered:
    """Render a letter (a mapping or a file path) with an optional profile (a mapping or a
    file path) into bytes; InputError names every bad field.  Relative paths in a mapping
    (the emblem) start at ``base`` (default: the working folder) and stay inside the asset
    fence.  Prints nothing and never exits.  Safe to call from several threads: renders
    take turns (``RENDER_LOCK``), each with its own time budget.

    >>> import docgen
    >>> out = docgen.render("examples/02_memo.yaml", formats=("docx",))   # doctest: +SKIP
    >>> out.docx[:2], out.pdf                                             # doctest: +SKIP
    (b'PK', None)
    """
    import shutil
    import tempfile
    from . import render as _render
    formats = tuple(formats)
    with RENDER_LOCK:
        _render.prepare(formats)
        with _render.deadline():
            model, problems = _validated(letter, profile, base, today)
            if model is None:
                raise InputError(problems.errors + problems.warnings)
            composed = _compose.compose(model)
            folder = Path(tempfile.mkdtemp(prefix="docgen-render-"))
            try:
                paths = render(composed, folder, "letter", formats)
                data = {fmt: paths[fmt].read_bytes() for fmt in formats}
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    return Rendered(composed, list(problems.warnings), data.get("pdf"), data.get("docx"))


# ---------------------------------------------------------------- the register (docgen.Register, docgen.issue)
#
# Thin and typed: every call is the register service the CLI uses (docgen/register/service.py),
# its row dicts turned into frozen ``Entry`` values.  Nothing is printed; errors are the
# service's bilingual MessageErrors (RegisterError, ConfigError, InputError).

def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


@dataclass(frozen=True)
class Entry:
    """One row of the register (ทะเบียนหนังสือส่ง), as ``docgen register show`` prints it.

    ``status`` is what the register stores (pending, issued, reserved, cancelled); ``state``
    is what an officer sees (an issued letter marked as sent is "sent").  ``paths`` and
    ``sha256`` are the current revision's files, by format."""
    number: int
    series: str                         # ปกติ or ว
    year: int                           # the register year (B.E.)
    prefix: str                         # the agency's ref_prefix, Arabic digits
    ref_text: str                       # ที่ as printed: "ที่ นร ๑๒๐๐/๗๔"
    status: str
    state: str
    letter_date: dt.date | None = None  # ลงวันที่
    agency: str | None = None           # จาก
    recipient: str | None = None        # ถึง
    subject: str | None = None          # เรื่อง
    doctype: str | None = None
    action: str | None = None           # การปฏิบัติ
    note: str | None = None             # หมายเหตุ
    reason: str | None = None           # why reserved or cancelled
    revision: int = 1
    issued_by: str | None = None
    issued_at: str | None = None        # Bangkok ISO timestamp
    updated_at: str | None = None
    sent_at: dt.date | None = None
    sent_by: str | None = None
    source: str | None = None
    content_hash: str | None = None
    batch_id: str | None = None
    id: int | None = None
    paths: dict[str, Path] = field(default_factory=dict, hash=False)
    sha256: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def label(self) -> str:
        """เลขทะเบียนส่ง as the register prints it: "74" or "ว 74"."""
        from .register.keys import number_label
        return number_label(self.series, self.number)

    @classmethod
    def from_row(cls, row: dict) -> "Entry":
        """An Entry from a register row (``docgen.register.store.row_dict``)."""
        from .register.query import state_of
        files = row.get("files") or {}
        return cls(
            number=row["number"], series=row["series"], year=row["year"], prefix=row["prefix"],
            ref_text=row["ref_text"], status=row["status"], state=state_of(row),
            letter_date=_day(row.get("letter_date")), agency=row.get("agency"),
            recipient=row.get("recipient"), subject=row.get("subject"), doctype=row.get("doctype"),
            action=row.get("action"), note=row.get("note"), reason=row.get("reason"),
            revision=row.get("revision") or 1, issued_by=row.get("issued_by"),
            issued_at=row.get("issued_at"), updated_at=row.get("updated_at"),
            sent_at=_day(row.get("sent_at")), sent_by=row.get("sent_by"), source=row.get("source"),
            content_hash=row.get("content_hash"), batch_id=row.get("batch_id"), id=row.get("id"),
            paths={fmt: Path(f["path"]) for fmt, f in files.items()},
            sha256={fmt: f["sha256"] for fmt, f in files.items()})


@dataclass(frozen=True)
class Issued:
    """What ``issue`` (or ``revise``) did: the register entry, the outcome, the warnings.

    ``outcome``: "issued" (a new number), "resumed" (a pending number finished), "existing"
    (this content was issued before: its entry, nothing rendered), "revised", "unchanged"."""
    entry: Entry
    outcome: str
    problems: tuple = ()

    @property
    def number(self) -> int:
        return self.entry.number

    @property
    def ref_text(self) -> str:
        return self.entry.ref_text

    @property
    def paths(self) -> dict[str, Path]:
        return dict(self.entry.paths)

    @classmethod
    def from_result(cls, result) -> "Issued":
        return cls(Entry.from_row(result.entry), result.outcome, tuple(result.warnings))


def _source(letter, profile, base, name) -> "object":
    """A letter (a mapping or a file path) and an optional profile as the register service's
    ``Source``: a mapping's relative paths start at ``base`` (default: the working folder)."""
    from .register.service import Source
    raw, base = _letter_and_base(letter, base)
    prof, pdir = _profile_and_dir(profile, base)
    if name is None:
        name = Path(letter).name if isinstance(letter, (str, Path)) else "letter"
    return Source(raw, base, str(name), prof, pdir)


def _location_of(src) -> "object":
    """Where the register of a letter is when the application names none: as ``docgen
    issue`` finds it ($DOCGEN_DATABASE_URL, the profile's ``register:``, docgen.toml)."""
    from . import config
    if src.profile is not None:
        profile, pdir = src.profile, src.profile_dir
    else:
        _, profile, pdir = _input.with_profile(src.letter, src.base)
    return config.locate_register(None, profile, pdir)


class Register:
    """The office's register (ทะเบียนหนังสือส่ง), opened once and shared by an application.

    ``Register(url)`` opens an existing register (``sqlite:///office.db``, ``postgresql://…``;
    a relative SQLite path starts at the working folder); ``Register()`` finds it as the CLI
    does ($DOCGEN_DATABASE_URL, then docgen.toml).  A location with no register is the
    "register-missing" error: opening never creates one; ``Register.init`` does (``docgen
    register init``).  One object may be used from several threads; ``close()`` (or ``with``)
    releases its connections.
    """

    def __init__(self, url=None, *, timeout: float | None = None, schema: str | None = None,
                 _create: bool = False):
        import dataclasses
        from . import config
        from .register import store
        if isinstance(url, config.RegisterLocation):      # found already (config.locate_register)
            location = url
        elif url is None:
            location = config.locate_register()
        else:
            location = dataclasses.replace(config.locate_register(url), source="docgen.Register")
        engine = store.make_engine(location, timeout=timeout, schema=schema)
        if not _create:
            try:
                store.require_register(engine)
            except BaseException:
                engine.dispose()
                raise
        self._engine = engine

    @classmethod
    def init(cls, url: str | None = None, *, prefix: str | None = None,
             profile: str | Path | None = None, multi_agency: bool = False,
             timeout: float | None = None, schema: str | None = None) -> "Register":
        """Create (or upgrade in place) the register at ``url`` and open it, as ``docgen
        register init`` does: idempotent; it serves the agency ``prefix`` (or the ``profile``
        file's ref_prefix), or several agencies (``multi_agency``)."""
        from .register import service
        reg = cls(url, timeout=timeout, schema=schema, _create=True)
        try:
            service.init_register(reg._engine, prefix, profile, multi_agency)
        except BaseException:
            reg.close()
            raise
        return reg

    # ---- life cycle

    @property
    def engine(self):
        """The SQLAlchemy engine (for an application's own read-only queries)."""
        if self._engine is None:
            raise ValueError("the register is closed")
        return self._engine

    @property
    def url(self) -> str:
        """The register's URL, its password hidden."""
        from .register import store
        return store.shown(self.engine)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"docgen.Register({self.url!r})" if self._engine is not None else "docgen.Register(closed)"

    def info(self) -> dict[str, str]:
        """The register's facts: the agency it serves (``prefix``) or ``multi_agency``."""
        from .register import store
        with store.transaction(self.engine, read=True) as conn:
            return store.get_info(conn)

    # ---- numbering

    def issue(self, letter, profile=None, *, out: str | Path | None = None, formats=FORMATS,
              base: str | Path | None = None, name: str | None = None, by: str | None = None,
              new: bool = False, action: str | None = None, note: str | None = None) -> Issued:
        """Take the next number, render the letter with it and record it: ``docgen issue``.

        ``letter``: a mapping (relative paths start at ``base``, default the working folder)
        or a file; ``profile``: a mapping, a file or None (the letter's ``profile:``).  The
        files go to ``out`` (default: the letter's folder, or ``base``), named series and
        number first, then ``name`` (default the file's name, or "letter").  Issuing the
        same content again returns its entry (outcome "existing") unless ``new``."""
        return self._issue(_source(letter, profile, base, name), out, formats, by, new, action, note)

    def _issue(self, src, out, formats, by, new, action, note) -> Issued:
        from .register import service
        return Issued.from_result(service.issue(self.engine, src, out, tuple(formats), by=by,
                                                new=new, action=action, note=note))

    def revise(self, number: int | str, letter, profile=None, *, reason: str | None = None,
               year=None, out: str | Path | None = None, formats=FORMATS,
               base: str | Path | None = None, name: str | None = None,
               by: str | None = None) -> Issued:
        """A correction under the same (issued, unsent) number: ``docgen issue --revise``.
        The series and the agency are the letter's; ``year`` defaults to the current one."""
        from .register import service
        from .register.keys import SeriesKey, parse_number, parse_year, register_year
        from .thai.dates import bangkok
        src = _source(letter, profile, base, name)
        now = bangkok()
        p = service.prepare(src, now.date())
        in_number, n = parse_number(str(number))
        key = SeriesKey(p.prefix, in_number or p.series,
                        parse_year(year) if year not in (None, "") else register_year(now, p.year_start))
        result = service.revise(self.engine, key, n, src, out, tuple(formats), reason=reason, by=by)
        return Issued.from_result(result)

    def reserve(self, count: int, *, series: str | None = None, prefix: str | None = None,
                profile: str | Path | None = None, reason: str | None = None,
                by: str | None = None) -> list[Entry]:
        """จองเลข: ``count`` consecutive numbers (1–1000) for letters written elsewhere."""
        from .register import service
        from .register.keys import normalize_series, parse_count
        code, year_start = service.resolve_prefix(self.engine, prefix, profile)
        rows = service.reserve(self.engine, code, normalize_series(series), parse_count(count),
                               reason, by=by, year_start=year_start)
        return [Entry.from_row(r) for r in rows]

    # ---- one number

    def _key(self, number, series, year, prefix, profile):
        from .register import service
        return service.number_key(self.engine, number, series, year, prefix, profile)

    def find(self, number: int | str, *, series: str | None = None, year=None,
             prefix: str | None = None, profile: str | Path | None = None) -> Entry:
        """The entry of a number (74, "ว 74"; this register year unless ``year``)."""
        from .register import service
        return Entry.from_row(service.find(self.engine, *self._key(number, series, year, prefix, profile)))

    def cancel(self, number: int | str, reason: str, *, series: str | None = None, year=None,
               prefix: str | None = None, profile: str | Path | None = None,
               by: str | None = None) -> Entry:
        """Burn a number (pending, reserved or issued): kept as cancelled with the reason."""
        from .register import service
        key, n = self._key(number, series, year, prefix, profile)
        return Entry.from_row(service.cancel(self.engine, key, n, reason, by=by))

    def cancel_batch(self, batch_id: str, reason: str, *, by: str | None = None) -> list[Entry]:
        """Burn every live number of a batch, in one transaction."""
        from .register import service
        return [Entry.from_row(r) for r in service.cancel_batch(self.engine, batch_id, reason, by=by)]

    def mark_sent(self, number: int | str, on: dt.date | None = None, *,
                  series: str | None = None, year=None, prefix: str | None = None,
                  profile: str | Path | None = None, by: str | None = None) -> Entry:
        """Record that an issued letter was sent (``on``, default today in Bangkok): from then
        on it can be cancelled, never revised."""
        from .register import service
        key, n = self._key(number, series, year, prefix, profile)
        return Entry.from_row(service.mark_sent(self.engine, key, n, on, by=by))

    # ---- many

    def entries(self, *, year=None, series=None, prefix=None, status=None, doctype=None,
                date_from=None, date_to=None, month=None, to_agency=None,
                search=None) -> list[Entry]:
        """The register's rows in order, filtered as ``docgen register list`` filters them
        (``docgen.register.query.parse``: Thai or Arabic digits, B.E. or ISO dates, dates as
        ``datetime.date``, Thai status and type words; a bad value is a bilingual error)."""
        from .register import service
        rows = service.entries(self.engine, year=year, series=series, prefix=prefix,
                               status=status, doctype=doctype, date_from=date_from,
                               date_to=date_to, month=month, to_agency=to_agency, search=search)
        return [Entry.from_row(r) for r in rows]

    def batch(self, notice: str | Path, to: str | Path, *, mode: str = "letters",
              out: str | Path | None = None, formats=FORMATS, jobs: int | None = None,
              merge: bool = False, zip: bool = False, by: str | None = None,
              dry_run: bool = False, limit: int | None = None):
        """``docgen batch`` with this register: see ``issue_batch``."""
        return issue_batch(notice, to, register=self, mode=mode, out=out, formats=formats,
                           jobs=jobs, merge=merge, zip=zip, by=by, dry_run=dry_run, limit=limit)


def _with_register(register, locate):
    """(Register, owned): the one given, or one opened for a single call (a URL, or None:
    ``locate()`` finds it as the CLI does)."""
    if isinstance(register, Register):
        return register, False
    if register is None:
        return Register(locate()), True
    if isinstance(register, str):
        return Register(register), True
    raise TypeError("register must be a docgen.Register, a database URL or None")


def issue_letter(letter, profile=None, *, register=None, out: str | Path | None = None,
                 formats=FORMATS, base: str | Path | None = None, name: str | None = None,
                 by: str | None = None, new: bool = False, action: str | None = None,
                 note: str | None = None) -> Issued:
    """``docgen.issue``: number, render and record one letter (``Register.issue``).

    ``register``: an open ``docgen.Register`` (best: open it once), a URL, or None (found as
    ``docgen issue`` finds it: $DOCGEN_DATABASE_URL, the profile's ``register:``, docgen.toml)."""
    src = _source(letter, profile, base, name)
    reg, owned = _with_register(register, lambda: _location_of(src))
    try:
        return reg._issue(src, out, formats, by, new, action, note)
    finally:
        if owned:
            reg.close()


def issue_batch(notice: str | Path, to: str | Path, *, register=None, mode: str = "letters",
                out: str | Path | None = None, formats=FORMATS, jobs: int | None = None,
                merge: bool = False, zip: bool = False, by: str | None = None,
                dry_run: bool = False, limit: int | None = None):
    """``docgen batch``: one notice file to every recipient of ``to`` (a .csv/.xlsx sheet or
    ``group:NAME``), numbered from the register (``mode`` "letters": a number each;
    "circular": one ว number), resumable; returns ``docgen.batch.run.Summary``.

    ``dry_run``: every row checked and unnumbered drafts of the first ``limit`` (default 5;
    0: check only) rendered into ``<out>/preview/``; the register is not opened.  No progress
    bar, nothing printed.  ``jobs``: worker processes (default all cores; 1: in this thread).
    A batch holds the render lock (``RENDER_LOCK``) for its whole run: its workers are forked
    from this process, which must not happen while another thread is inside WeasyPrint."""
    from .batch import run as _run
    opts = _run.Options(notice=Path(notice), to=str(to), mode=mode, jobs=jobs,
                        out_dir=Path(out) if out is not None else None, formats=tuple(formats),
                        merge=merge, zip=zip, by=by, progress=False, dry_run=dry_run,
                        limit=_run.PREVIEW_LIMIT if limit is None else limit)
    if dry_run:
        with RENDER_LOCK:
            return _run.preview(opts)
    if isinstance(register, str):
        opts.db = register
    if register is not None and not isinstance(register, (Register, str)):
        raise TypeError("register must be a docgen.Register, a database URL or None")
    engine = register.engine if isinstance(register, Register) else None
    with RENDER_LOCK:
        return _run.run(opts, engine=engine)
