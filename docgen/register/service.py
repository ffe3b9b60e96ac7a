"""Register operations: issue (allocate → render → record), reserve, cancel, look up.

Failure design ("pending, then issued or cancelled; never issued without files"):

1. The letter is validated and composed *before* any number is taken, so bad input
   never burns a number.
2. One transaction: lock the series row, look for a live entry with the same content
   hash, else allocate the next number and insert a ``pending`` row.  Commit.
3. Render outside any transaction (no lock held while WeasyPrint works) into a private
   staging folder beside the outputs.
4. One transaction: ``UPDATE … SET status='issued' WHERE id=… AND status='pending'``;
   only if that row changed are the staged files moved onto their final names; then
   commit.  If the row is no longer pending (cancelled meanwhile, or finished by a
   concurrent resume) the staged files are discarded.
5. Rendering raised → the row becomes ``cancelled`` with the error as its reason (the
   number is burned, visibly).  A crash (SIGKILL) leaves the row ``pending``: ``register
   list`` shows it, the next ``issue`` of the same content resumes it with the same
   number and date, ``register cancel`` burns it.
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import api, config
from .. import input as _input
from ..errors import Msg, Problem
from ..output import clean_stem, place, safe_stem, sha256_file
from ..thai.digits import localize_digits
from . import store
from .errors import RegisterError, register_text
from ..thai.dates import bangkok
from .keys import (CIRCULAR, SeriesKey, normalize_prefix, number_label, number_tag, register_ref,
                   register_year, series_doctype, series_numbering)


@dataclass
class Prepared:
    """A validated letter ready to be numbered (nothing allocated yet)."""
    path: Path
    prefix: str
    series: str
    doctype: str
    year_start: str
    digits: str
    letter_date: dt.date
    agency: str
    recipient: str
    subject: str | None
    content_hash: str
    warnings: list[Problem] = field(default_factory=list)
    ref_format: str = "letter"                  # the type's ที่ format (data/doctypes.yaml numbering.ref)
    raw: dict = field(default_factory=dict)     # the letter as hashed: what gets rendered
    profile: dict | None = None                 # given beside the letter (Source), else its profile:
    profile_dir: Path | None = None


@dataclass(frozen=True)
class Source:
    """A letter given in memory (the library API) instead of a file: its mapping, the folder
    its relative paths start at (``base``), the name that ends its files' names and fills the
    register's source column (``base / name``), and optionally a profile given beside it (a
    mapping; its images start at ``profile_dir``) instead of the letter's ``profile:``."""
    letter: dict
    base: Path
    name: str = "letter"
    profile: dict | None = None
    profile_dir: Path | None = None

    @property
    def path(self) -> Path:
        return Path(self.base) / self.name


def prepared_from(path: Path, raw: dict, model, content_hash: str,
                  warnings: list[Problem] | None = None) -> Prepared:
    """A Prepared from a validated model (used by issue and by batch).  The series is the
    model's (``model.series``: the letter series ปกติ/ว, or the type's own, e.g. คำสั่ง); a
    type that carries no number (ระเบียบ, ประกาศ unless the profile numbers it …) is refused."""
    refuse_unnumbered(model)
    return Prepared(
        path=path, prefix=normalize_prefix(model.ref_prefix), series=model.series,
        doctype=model.type,
        year_start=model.year_start, digits=model.digits, letter_date=model.date,
        agency=model.agency, recipient=_local(model.to, model.digits),
        subject=_local(model.subject, model.digits), content_hash=content_hash,
        warnings=list(warnings or []), raw=raw, ref_format=model.ref_format or "letter")


def _local(text: str | None, digits: str) -> str | None:
    return None if text is None else localize_digits(text, digits)


def refuse_unnumbered(model) -> None:
    """A document whose type takes no register number cannot be issued (RegisterError)."""
    if getattr(model, "series", None) is None:
        from ..data import doctypes
        name = (doctypes().get(model.type) or {}).get("name_th") or model.type
        raise RegisterError("type-not-numbered", type=model.type, type_name=name)


@dataclass
class IssueResult:
    entry: dict
    outcome: str                         # "issued" | "resumed" | "existing" | "revised" | "unchanged"
    warnings: list[Problem] = field(default_factory=list)

    @property
    def paths(self) -> dict[str, Path]:
        return {fmt: Path(f["path"]) for fmt, f in self.entry["files"].items()}


def stamp(now: dt.datetime | None = None) -> str:
    """Bangkok ISO timestamp, e.g. 2024-05-30T14:03:07+07:00."""
    return bangkok(now).isoformat(timespec="seconds")


def who(by: str | None = None) -> str:
    if by:
        return by
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:                    # no passwd entry (containers)
        return "unknown"


def content_hash(letter: dict, profile: dict) -> str:
    """SHA-256 of the letter and its profile as data (``number`` excluded: issue assigns it)."""
    payload = {"letter": {k: v for k, v in letter.items() if k != "number"}, "profile": profile}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare(path: "str | Path | Source", today: dt.date) -> Prepared:
    """Validate and compose a letter file (or a ``Source``); InputError if it cannot be issued."""
    if isinstance(path, Source):
        src = path
        raw = dict(src.letter)
        path = src.path
    else:
        path = Path(path)
        src, raw = None, _input.read_mapping(path)
    given = src.profile if src is not None else None
    if given is None:
        letter, profile, _ = _input.with_profile(raw, path.parent)
    else:                                       # the profile given is the one used
        raw.pop("profile", None)
        letter, profile = raw, given
    model, problems = api.validate_mapping(raw, path.parent, {"number": 1}, today,
                                           profile=given, profile_dir=src and src.profile_dir)
    if model is None and any(p.field == "number" for p in problems.errors):
        # a type that has no number refuses the one given here: it cannot be issued at all
        bare, bare_problems = api.validate_mapping(raw, path.parent, {}, today, profile=given,
                                                   profile_dir=src and src.profile_dir)
        if bare is not None:
            refuse_unnumbered(bare)
        elif "number" not in raw:
            problems = bare_problems
    if model is None:
        from ..errors import InputError
        raise InputError(problems.errors + problems.warnings, str(path))
    p = prepared_from(path, raw, model, content_hash(letter, profile),
                      [p for p in problems.warnings if p.code != "draft-number"])
    if given is not None:
        p.profile, p.profile_dir = given, src.profile_dir
    return p


def output_stem(prefix: str, series: str, number: int, year: int, source: Path | str,
                revision: int = 1) -> str:
    """Series and number first, then the input's name: one number, one set of files.

    >>> output_stem("นร 1200", "ปกติ", 74, 2567, Path("ถึง สลค. รายงานผล.yaml"))
    'นร1200-74-2567-ถึง_สลค._รายงานผล'
    >>> output_stem("นร 1200", "ว", 9, 2568, "03_circular.yaml", revision=2)
    'นร1200-ว9-2568-03_circular-r2'
    >>> output_stem("นร 1200", "คำสั่ง", 12, 2567, "07_order.yaml")
    'นร1200-คำสั่ง12-2567-07_order'
    """
    tag = number_tag(series, number)
    head = f"{''.join(prefix.split())}-{tag}-{year}"
    tail = f"-r{revision}" if revision > 1 else ""
    name = safe_stem(Path(source).name)[:60]
    return clean_stem(f"{head}-{name}{tail}")


def locate(db: str | None = None, letter: str | Path | None = None,
           profile: str | Path | None = None) -> config.RegisterLocation:
    """The register for a command: ``--db``, the environment, the profile's ``register:``
    (the letter's profile, or ``profile``), then docgen.toml (see docgen/config.py)."""
    prof, prof_dir = None, None
    if letter is not None:
        raw = _input.read_mapping(Path(letter))
        _, prof, prof_dir = _input.with_profile(raw, Path(letter).parent)
    elif profile is not None:
        prof_dir = Path(profile).parent
        prof = _input.read_mapping(Path(profile), field="profile")
        if prof.get("profile") and "ref_prefix" not in prof:      # a letter file: follow its profile
            _, prof, prof_dir = _input.with_profile(prof, prof_dir)
    return config.locate_register(db, prof, prof_dir)


def _pending_row(p: Prepared, key: SeriesKey, number: int, by: str, now: dt.datetime,
                 action: str | None, note: str | None, batch_id: str | None) -> dict:
    ts = stamp(now)
    ref = register_ref(p.ref_format, p.prefix, number, key.series == CIRCULAR, key.year, p.digits)
    return dict(prefix=key.prefix, series=key.series, year=key.year, number=number,
                status="pending", doctype=p.doctype, ref_text=ref,
                letter_date=p.letter_date.isoformat(), agency=p.agency, recipient=p.recipient,
                subject=p.subject, action=action, note=note, issued_by=by, issued_at=ts,
                updated_at=ts, source=str(p.path), content_hash=p.content_hash, batch_id=batch_id,
                search_text=store.search_text(p.subject, p.recipient, ref, p.agency))


def claim(engine, p: Prepared, now: dt.datetime, by: str, new: bool = False,
          action: str | None = None, note: str | None = None,
          batch_id: str | None = None) -> tuple[dict, str]:
    """Step 2: (entry, outcome) — an existing live entry for this content, or a new pending one."""
    return claim_many(engine, [p], now, by, new, action, note, batch_id)[0]


def claim_many(engine, letters: list[Prepared], now: dt.datetime, by: str, new: bool = False,
               action: str | None = None, note: str | None = None,
               batch_id: str | None = None) -> list[tuple[dict, str]]:
    """``claim`` for several letters in ONE transaction (a batch claims a few at a time:
    one commit instead of one per letter).  Outcomes in the order of ``letters``: a letter
    whose content already has a live entry gets that entry ("existing" when issued,
    "resumed" when pending); the others get consecutive new numbers ("issued")."""
    out: list[tuple[dict, str] | None] = [None] * len(letters)
    with store.transaction(engine) as conn:
        for prefix in sorted({p.prefix for p in letters}):
            store.check_agency(conn, prefix, engine)
        keys = [SeriesKey(p.prefix, p.series, register_year(now, p.year_start)) for p in letters]
        for key in sorted(set(keys), key=lambda k: (k.prefix, k.series, k.year)):   # one lock order
            store.lock_sequence(conn, key)
        fresh: dict[SeriesKey, list[int]] = {}
        first: dict[tuple[str, str], int] = {}      # content → the index that numbers it
        again: dict[int, int] = {}                  # the same content twice in one call
        for i, p in enumerate(letters):
            found = None if new else store.find_by_hash(conn, p.prefix, p.content_hash)
            if found is not None:
                out[i] = (found, "existing" if found["status"] == "issued" else "resumed")
            elif not new and (p.prefix, p.content_hash) in first:
                again[i] = first[(p.prefix, p.content_hash)]
            else:
                fresh.setdefault(keys[i], []).append(i)
                first[(p.prefix, p.content_hash)] = i
        for key, idxs in fresh.items():
            numbers = store.allocate(conn, key, len(idxs))
            rows = [_pending_row(letters[i], key, n, by, now, action, note, batch_id)
                    for i, n in zip(idxs, numbers)]
            for i, entry in zip(idxs, store.insert_entries(conn, rows)):
                out[i] = (entry, "issued")
    for i, j in again.items():                      # found, as a later claim would find it
        out[i] = (out[j][0], "resumed")
    return out


def _render_staged(entry: dict, p: Prepared, staging: Path, formats, today: dt.date,
                   stem: str, revision: int = 1, date: str | None = None) -> tuple[dict, str]:
    """Render the letter exactly as it was hashed (never re-read from disk): (paths, ที่ line).
    The PDF's attached letter.json carries the register entry and the revision number.
    Compose and render share the render time budget (``RenderTimeout``: burned like any failure)."""
    from .. import render
    overrides = {"number": entry["number"], "date": date or entry["letter_date"]}
    with api.RENDER_LOCK:                         # one render at a time (threads: api.RENDER_LOCK)
        render.prepare(formats)                   # one-time loading: outside the budget
        with render.deadline():
            composed, _ = api.compose_mapping(p.raw, p.path.parent, overrides, today,
                                              profile=p.profile, profile_dir=p.profile_dir,
                                              register_year=entry["year"])
            composed.meta["register"] = {"prefix": entry["prefix"], "series": entry["series"],
                                         "year": entry["year"], "number": entry["number"],
                                         "revision": revision}
            return api.render(composed, staging, stem, formats), composed.ref_text


def burn(engine, entry: dict, now: dt.datetime, error: BaseException) -> RegisterError:
    """Rendering failed: cancel the pending row with the error as its reason; return the error."""
    detail = " ".join(str(error).split())[:300] or type(error).__name__
    with store.transaction(engine) as conn:
        store.update_entry(conn, entry["id"], ("pending",), status="cancelled",
                           reason=register_text("reason-render-failed", detail=detail),
                           updated_at=stamp(now))
    return RegisterError("render-failed", ref=entry["ref_text"], detail=detail)


def _finals(staged: dict[str, Path], out_dir: Path) -> dict[str, Path]:
    return {fmt: out_dir / Path(path).name for fmt, path in staged.items()}


def _place_all(staged: dict[str, Path], finals: dict[str, Path], resume: bool = False) -> None:
    """Every staged file onto its final name, or none: never over an existing file.

    ``resume``: the entry was pending, so a file at its own name is what its killed try
    left between placing the files and committing; that file is replaced."""
    if resume:
        for fmt, path in staged.items():
            os.replace(path, finals[fmt])
        return
    taken = [str(f) for f in finals.values() if f.exists()]
    if taken:
        raise RegisterError("output-exists", path=taken[0])
    placed = []
    try:
        for fmt, path in staged.items():
            place(Path(path), finals[fmt])
            placed.append(finals[fmt])
    except FileExistsError as e:
        for f in placed:
            f.unlink(missing_ok=True)
        raise RegisterError("output-exists", path=e.filename or str(finals[fmt])) from None


def _files(staged: dict[str, Path], finals: dict[str, Path]) -> dict:
    return {fmt: {"path": str(finals[fmt].resolve()), "sha256": sha256_file(Path(path))}
            for fmt, path in staged.items()}


def record(engine, entry: dict, staged: dict[str, Path], ref_text: str, out_dir: Path,
           now: dt.datetime, by: str | None = None, resume: bool = False) -> dict:
    """Step 4: mark issued, record revision 1 and move the staged files into place, together.
    The ที่ recorded is the one printed (a letter's) or the register's own (``register_ref``:
    an order's in its register year, a numbered announcement's ฉบับที่)."""
    ref_text = stored_ref(entry.get("doctype"), ref_text, entry["ref_text"])
    staged = {fmt: Path(p) for fmt, p in staged.items()}
    finals = _finals(staged, out_dir)
    files = _files(staged, finals)
    ts = stamp(now)
    with store.transaction(engine) as conn:
        changed = store.update_entry(
            conn, entry["id"], ("pending",), status="issued", ref_text=ref_text, files=files,
            updated_at=ts, revision=1, search_text=store.search_text(
                entry.get("subject"), entry.get("recipient"), ref_text, entry.get("agency")))
        if changed:
            store.insert_revision(conn, entry_id=entry["id"], revision=1, status="done",
                                  content_hash=entry["content_hash"], files=files,
                                  source=entry.get("source"), made_by=by or entry.get("issued_by"),
                                  made_at=ts)
            _place_all(staged, finals, resume)
        current = store.get_by_id(conn, entry["id"])
    if not changed and current["status"] != "issued":
        raise RegisterError("cancelled-during-render", ref=entry["ref_text"])
    return current


def stored_ref(doctype: str | None, printed: str, registered: str) -> str:
    """The ที่ to keep: the printed one for a type with a letter's ที่ (the same text), else
    the register's (``register_ref``: its register year, ฉบับที่ for an edition)."""
    from ..data import doctypes
    fmt = ((doctypes().get(doctype) or {}).get("numbering") or {}).get("ref", "letter") if doctype else "letter"
    return printed if fmt == "letter" and printed else registered


def _staging(out_dir: Path, tag: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f".docgen-{tag}-*"):    # left by a killed earlier try
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f".docgen-{tag}-", dir=out_dir))


def render_and_record(engine, entry: dict, p: Prepared, out_dir: Path, formats,
                      now: dt.datetime, resume: bool = False) -> dict:
    """Steps 3–5 for a pending entry (new or resumed)."""
    staging = _staging(out_dir, f"issue-{entry['id']}")
    stem = output_stem(entry["prefix"], entry["series"], entry["number"], entry["year"], p.path)
    try:
        try:
            paths, ref_text = _render_staged(entry, p, staging, formats, bangkok(now).date(), stem)
        except Exception as e:           # KeyboardInterrupt etc. leave it pending (resumable)
            raise burn(engine, entry, now, e) from None
        try:
            return record(engine, entry, paths, ref_text, out_dir, now, resume=resume)
        except RegisterError as e:
            if e.code != "output-exists":
                raise
            burn(engine, entry, now, e)
            raise RegisterError("output-exists-burned", ref=entry["ref_text"], **e.kw) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_renderers(formats) -> None:
    """Resolve every renderer before a number is taken (a missing one must not burn numbers)."""
    from .. import render
    for fmt in formats:
        try:
            render.get(fmt)
        except (ImportError, ValueError) as e:
            raise RegisterError("renderer-missing", fmt=fmt, detail=str(e)[:200]) from None


def _check_free(engine, p: Prepared, out_dir: Path, formats, now: dt.datetime, new: bool) -> None:
    """Before a number is taken: the files the next number would get must not exist yet
    (e.g. written by another register).  Placing the files never overwrites either.
    Nothing to check when this content already has its number (it is resumed or returned)."""
    key = SeriesKey(p.prefix, p.series, register_year(now, p.year_start))
    with store.transaction(engine, read=True) as conn:
        if not new and store.find_by_hash(conn, p.prefix, p.content_hash) is not None:
            return
        last = store.last_number(conn, key)
    stem = output_stem(p.prefix, p.series, last + 1, key.year, p.path)
    for fmt in formats:
        target = out_dir / f"{stem}.{fmt}"
        if target.exists():
            raise RegisterError("output-exists", path=str(target))


def issue(engine, path: "str | Path | Source", out_dir: str | Path | None = None,
          formats=api.FORMATS, by: str | None = None, new: bool = False,
          now: dt.datetime | None = None, action: str | None = None, note: str | None = None,
          batch_id: str | None = None) -> IssueResult:
    """Number, render and register one letter file, or a letter in memory (``Source``): all
    or nothing (see module doc).  The files go to ``out_dir``, default the letter's folder."""
    now = bangkok(now)
    p = prepare(path, now.date())
    check_renderers(formats)
    store.require_register(engine)
    target = Path(out_dir) if out_dir is not None else p.path.parent
    _check_free(engine, p, target, formats, now, new)
    entry, outcome = claim(engine, p, now, who(by), new, action, note, batch_id)
    if outcome != "existing":
        entry = render_and_record(engine, entry, p, target, formats, now,
                                  resume=outcome == "resumed")
    return IssueResult(entry, outcome, p.warnings)


# ---------------------------------------------------------------- revisions (corrections)

REVISION_STALE = 600     # seconds after which a pending revision (its process died) may be taken over


def revise(engine, key: SeriesKey, number: int, path: "str | Path | Source",
           out_dir: str | Path | None = None,
           formats=api.FORMATS, reason: str | None = None, by: str | None = None,
           now: dt.datetime | None = None) -> IssueResult:
    """Re-render an issued, unsent letter under the SAME number (a correction).

    Every revision is kept (content hash, files with SHA-256, who, when, why); the earlier
    revisions' files stay where they are: the new files carry ``-r2``, ``-r3`` … in their
    names.  A letter marked as sent cannot be revised, only cancelled and replaced.
    Two revisions of one number at the same time: the second is refused while the first
    is pending (unless it is the same content, which resumes it, or the first died more
    than REVISION_STALE seconds ago).  A crash leaves the previous revision in force.
    """
    now = bangkok(now)
    by = who(by)
    reason = " ".join((reason or "").split()) or None
    p = prepare(path, now.date())
    check_renderers(formats)
    store.require_register(engine)
    if (p.prefix, p.series) != (key.prefix, key.series):
        raise RegisterError("revise-mismatch", ref=number_label(key.series, number),
                            prefix=key.prefix, series=key.series, got=f"{p.prefix} {p.series}")
    ts = stamp(now)
    with store.transaction(engine) as conn:
        found = store.get_entry(conn, key, number)
        if found is None:
            raise RegisterError("number-missing", number=number, series=key.series, year=key.year,
                                prefix=key.prefix)
        entry = store.lock_entry(conn, found["id"])
        _revisable(entry)
        if entry["content_hash"] == p.content_hash:
            return IssueResult(entry, "unchanged", p.warnings)
        rev = store.pending_revision(conn, entry["id"])
        values = dict(content_hash=p.content_hash, source=str(p.path), reason=reason, made_by=by,
                      made_at=ts)
        if rev is None:
            rev = store.insert_revision(conn, entry_id=entry["id"], revision=entry["revision"] + 1,
                                        status="pending", **values)
        elif rev["content_hash"] != p.content_hash:
            age = (now - dt.datetime.fromisoformat(rev["made_at"])).total_seconds()
            if age < REVISION_STALE:
                raise RegisterError("revise-busy", ref=entry["ref_text"], revision=rev["revision"],
                                    by=rev["made_by"] or "?", at=rev["made_at"])
            store.update_revision(conn, rev["id"], ("pending",), **values)    # its process died
            rev = {**rev, **values}
    date = p.raw.get("date") and p.letter_date.isoformat() or entry["letter_date"]
    target = Path(out_dir) if out_dir is not None else p.path.parent
    staging = _staging(target, f"revise-{entry['id']}-{rev['revision']}")
    stem = output_stem(entry["prefix"], entry["series"], entry["number"], entry["year"], p.path,
                       revision=rev["revision"])
    try:
        try:
            staged, ref_text = _render_staged(entry, p, staging, formats, now.date(), stem,
                                              revision=rev["revision"], date=date)
        except Exception as e:
            with store.transaction(engine) as conn:       # the letter stays as it was
                store.delete_revision(conn, rev["id"], ("pending",))
            detail = " ".join(str(e).split())[:300] or type(e).__name__
            raise RegisterError("revise-failed", ref=entry["ref_text"], detail=detail) from None
        staged = {fmt: Path(x) for fmt, x in staged.items()}
        ref_text = stored_ref(p.doctype, ref_text, register_ref(
            p.ref_format, entry["prefix"], entry["number"], entry["series"] == CIRCULAR, entry["year"],
            p.digits))
        finals = _finals(staged, target)
        files = _files(staged, finals)
        with store.transaction(engine) as conn:
            current = store.lock_entry(conn, entry["id"])
            _revisable(current)
            if not store.update_revision(conn, rev["id"], ("pending",), status="done", files=files,
                                         made_at=stamp(now)):
                raise RegisterError("revise-lost", ref=entry["ref_text"], revision=rev["revision"])
            store.update_entry(
                conn, entry["id"], ("issued",), files=files, content_hash=p.content_hash,
                revision=rev["revision"], ref_text=ref_text, letter_date=date, subject=p.subject,
                recipient=p.recipient, doctype=p.doctype, source=str(p.path), updated_at=stamp(now),
                search_text=store.search_text(p.subject, p.recipient, ref_text, p.agency))
            _place_all(staged, finals)
            current = store.get_by_id(conn, entry["id"])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return IssueResult(current, "revised", p.warnings)


def _revisable(entry: dict) -> None:
    if entry["status"] != "issued":
        raise RegisterError("revise-status", ref=entry["ref_text"], status=Msg(f"status-{entry['status']}"))
    if entry.get("sent_at"):
        raise RegisterError("revise-sent", ref=entry["ref_text"], sent=entry["sent_at"])


def mark_sent(engine, key: SeriesKey, number: int, on: dt.date | None = None,
              by: str | None = None, now: dt.datetime | None = None) -> dict:
    """Record that an issued letter has been sent (from then on: no revision, only cancel)."""
    now = bangkok(now)
    entry = find(engine, key, number)
    with store.transaction(engine) as conn:
        current = store.lock_entry(conn, entry["id"])
        if current["status"] != "issued":
            raise RegisterError("sent-status", ref=current["ref_text"], status=Msg(f"status-{current['status']}"))
        if current.get("sent_at"):
            raise RegisterError("already-sent", ref=current["ref_text"], sent=current["sent_at"])
        store.update_entry(conn, entry["id"], ("issued",), sent_at=(on or now.date()).isoformat(),
                           sent_by=who(by), updated_at=stamp(now))
        return store.get_by_id(conn, entry["id"])


def revisions(engine, entry: dict) -> list[dict]:
    with store.transaction(engine, read=True) as conn:
        return store.revisions_of(conn, entry["id"])


def registered_mismatch(engine, p: Prepared, number: int) -> Problem | None:
    """A warning when ``number`` is in the register as another letter (render of a numbered draft).
    The number is looked up in the register year of the letter's date and in the current one."""
    years = {register_year(dt.datetime.combine(p.letter_date, dt.time(12)), p.year_start),
             register_year(bangkok(), p.year_start)}
    with store.transaction(engine, read=True) as conn:
        found = [e for y in sorted(years)
                 if (e := store.get_entry(conn, SeriesKey(p.prefix, p.series, y), number))]
        if not found:
            return None
        entry = found[0]
        hashes = {r["content_hash"] for r in store.revisions_of(conn, entry["id"])}
    if entry["status"] in ("issued", "pending") and p.content_hash in hashes | {entry["content_hash"]}:
        return None
    return Problem("number", "number-registered-other", "warning", (
        ("ref", entry["ref_text"]), ("subject", entry.get("subject") or "—"),
        ("status", Msg(f"status-{entry['status']}"))))


# ---------------------------------------------------------------- other commands

def profile_settings(profile: str | Path | None) -> tuple[str | None, str]:
    """(ref_prefix, year_start) from an agency profile (or a letter file) — (None, calendar)."""
    if profile is None:
        return None, "calendar"
    data = _input.read_mapping(Path(profile), field="profile")
    year_start = data.get("year_start", "calendar")
    prefix = data.get("ref_prefix")
    if prefix is None and data.get("profile"):   # a letter file: follow its profile
        _, prof, _ = _input.with_profile(data, Path(profile).parent)
        prefix, year_start = prof.get("ref_prefix"), data.get("year_start", prof.get("year_start", year_start))
    return (str(prefix) if prefix else None), ("fiscal" if year_start == "fiscal" else "calendar")


def resolve_prefix(engine, prefix: str | None, profile: str | Path | None) -> tuple[str, str]:
    """(prefix, year_start): --prefix, else --profile's ref_prefix, else the only one in the register."""
    from_profile, year_start = profile_settings(profile)
    if prefix or from_profile:
        return normalize_prefix(prefix or from_profile), year_start
    with store.transaction(engine, read=True) as conn:
        known = store.prefixes(conn)
    if not known:
        raise RegisterError("prefix-none")
    if len(known) > 1:
        raise RegisterError("prefix-many", prefixes=", ".join(known))
    return known[0], year_start


def init_register(engine, prefix: str | None = None, profile: str | Path | None = None,
                  multi_agency: bool = False) -> tuple[int, dict[str, str]]:
    """Create or upgrade the register (``docgen register init``; idempotent): the agency it
    serves is ``prefix``, else the ``profile``'s ref_prefix, or every agency (``multi_agency``).
    Returns (schema version, the register's facts: ``prefix`` or ``multi_agency``)."""
    code = None
    if prefix or profile:
        code, _ = resolve_prefix(engine, prefix, profile)
    version = store.init_schema(engine, stamp(), prefix=code, multi_agency=multi_agency)
    with store.transaction(engine, read=True) as conn:
        return version, store.get_info(conn)


def number_key(engine, number: "int | str", series: str | None = None, year=None,
               prefix: str | None = None, profile: str | Path | None = None,
               now: dt.datetime | None = None) -> tuple[SeriesKey, int]:
    """NUMBER (74, "ว 74", "ว74", Thai digits) + series/year/prefix/profile → (key, number),
    as the ``register`` commands read them: the series from the number or ``series`` (default
    ปกติ), the prefix from ``prefix``, the profile's, or the only one in the register, the year
    ``year`` (B.E.) or the current register year (the profile's year_start)."""
    from .keys import normalize_series, parse_number, parse_year
    in_number, n = parse_number(str(number))
    chosen = normalize_series(series) if series else (in_number or normalize_series(None))
    if series and in_number and in_number != chosen:
        raise RegisterError("series-unknown", value=f"{series} / {number}", allowed=in_number)
    code, year_start = resolve_prefix(engine, prefix, profile)
    year_start = series_numbering(chosen).get("year_start", year_start)      # คำสั่ง: calendar years
    year = parse_year(year) if year not in (None, "") else register_year(bangkok(now), year_start)
    return SeriesKey(code, chosen, year), n


def reserve(engine, prefix: str, series: str, count: int, reason: str | None,
            by: str | None = None, now: dt.datetime | None = None,
            year_start: str = "calendar", digits: str = "thai") -> list[dict]:
    """จองเลข: ``count`` consecutive numbers for letters written elsewhere, in one transaction."""
    now = bangkok(now)
    ts = stamp(now)
    store.require_register(engine)
    declared = series_numbering(series)            # a type's own series: its ที่ format, its years
    year_start = declared.get("year_start", year_start)
    key = SeriesKey(normalize_prefix(prefix), series, register_year(now, year_start))
    with store.transaction(engine) as conn:
        store.check_agency(conn, key.prefix, engine)
        numbers = store.allocate(conn, key, count)
        refs = [register_ref(declared.get("ref", "letter"), key.prefix, n, series == CIRCULAR, key.year,
                             digits) for n in numbers]
        rows = [dict(prefix=key.prefix, series=key.series, year=key.year, number=n,
                     status="reserved", ref_text=ref, reason=reason, doctype=series_doctype(series), note=reason, issued_by=who(by),
                     issued_at=ts, updated_at=ts, search_text=store.search_text(ref))
                for n, ref in zip(numbers, refs)]
        return store.insert_entries(conn, rows)


def find(engine, key: SeriesKey, number: int) -> dict:
    store.require_register(engine)
    with store.transaction(engine, read=True) as conn:
        entry = store.get_entry(conn, key, number)
    if entry is None:
        raise RegisterError("number-missing", number=number, series=key.series, year=key.year,
                            prefix=key.prefix)
    return entry


def cancel(engine, key: SeriesKey, number: int, reason: str, by: str | None = None,
           now: dt.datetime | None = None) -> dict:
    """Burn a number: the row stays, status cancelled, reason in หมายเหตุ; never reused."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise RegisterError("reason-required")
    entry = find(engine, key, number)
    with store.transaction(engine) as conn:
        changed = store.update_entry(
            conn, entry["id"], ("pending", "reserved", "issued"), status="cancelled",
            reason=reason, note=register_text("note-cancelled", reason=reason, by=who(by)), updated_at=stamp(now))
        current = store.get_by_id(conn, entry["id"])
    if not changed:
        raise RegisterError("already-cancelled", ref=current["ref_text"], reason=current["reason"] or "")
    return current


def cancel_batch(engine, batch_id: str, reason: str, by: str | None = None,
                 now: dt.datetime | None = None) -> list[dict]:
    """Burn every live number of a batch in ONE transaction (all or none)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise RegisterError("reason-required")
    store.require_register(engine)
    ts = stamp(now)
    with store.transaction(engine) as conn:
        rows = store.entries_of_batch(conn, batch_id)
        if not rows:
            raise RegisterError("batch-missing", batch=batch_id[:64])
        live = [r for r in rows if r["status"] != "cancelled"]
        if not live:
            raise RegisterError("batch-cancelled", batch=batch_id[:64], count=len(rows))
        for r in live:
            store.update_entry(conn, r["id"], ("pending", "reserved", "issued"), status="cancelled",
                               reason=reason, updated_at=ts,
                               note=register_text("note-batch-cancelled", batch=batch_id, reason=reason,
                                                  by=who(by)))
        return [store.get_by_id(conn, r["id"]) for r in live]


def entries(engine, **filters) -> list[dict]:
    store.require_register(engine)
    with store.transaction(engine, read=True) as conn:
        return store.list_entries(conn, **filters)


def label(entry: dict, thai: bool = False) -> str:
    return number_label(entry["series"], entry["number"], thai)
