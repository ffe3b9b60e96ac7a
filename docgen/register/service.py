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

from .. import api
from .. import input as _input
from ..errors import Problem
from ..output import safe_stem, sha256_file
from ..thai.digits import localize_digits
from ..thai.refnum import ref_line
from . import store
from .errors import RegisterError
from ..thai.dates import bangkok
from .keys import (CIRCULAR, SeriesKey, normalize_prefix, number_label, register_year,
                   series_of)


@dataclass
class Prepared:
    """A validated letter ready to be numbered (nothing allocated yet)."""
    path: Path
    prefix: str
    series: str
    year_start: str
    digits: str
    letter_date: dt.date
    agency: str
    recipient: str
    subject: str
    content_hash: str
    warnings: list[Problem] = field(default_factory=list)
    raw: dict = field(default_factory=dict)     # the letter as hashed: what gets rendered


def prepared_from(path: Path, raw: dict, model, content_hash: str,
                  warnings: list[Problem] | None = None) -> Prepared:
    """A Prepared from a validated model (used by issue and by batch)."""
    return Prepared(
        path=path, prefix=normalize_prefix(model.ref_prefix), series=series_of(model.circular),
        year_start=model.year_start, digits=model.digits, letter_date=model.date,
        agency=model.agency, recipient=localize_digits(model.to, model.digits),
        subject=localize_digits(model.subject, model.digits), content_hash=content_hash,
        warnings=list(warnings or []), raw=raw)


@dataclass
class IssueResult:
    entry: dict
    outcome: str                         # "issued" | "resumed" | "existing"
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


def prepare(path: str | Path, today: dt.date) -> Prepared:
    """Validate and compose a letter file; InputError if it cannot be issued."""
    path = Path(path)
    raw = _input.read_mapping(path)
    letter, profile, _ = _input.with_profile(raw, path.parent)
    model, problems = api.validate_mapping(raw, path.parent, {"number": 1}, today)
    if model is None:
        from ..errors import InputError
        raise InputError(problems.errors + problems.warnings, str(path))
    return prepared_from(path, raw, model, content_hash(letter, profile),
                         [p for p in problems.warnings if p.code != "draft-number"])


def output_stem(source: Path, series: str, number: int, year: int) -> str:
    """"01_letter-74-2567" / "03_circular-ว9-2568": a reissue (--new) never overwrites."""
    tag = f"ว{number}" if series == CIRCULAR else str(number)
    return safe_stem(f"{safe_stem(source.name)}-{tag}-{year}.x")


def _pending_row(p: Prepared, key: SeriesKey, number: int, by: str, now: dt.datetime,
                 action: str | None, note: str | None, batch_id: str | None) -> dict:
    ts = stamp(now)
    return dict(prefix=key.prefix, series=key.series, year=key.year, number=number,
                status="pending",
                ref_text=ref_line(p.prefix, number, key.series == CIRCULAR, p.digits),
                letter_date=p.letter_date.isoformat(), agency=p.agency, recipient=p.recipient,
                subject=p.subject, action=action, note=note, issued_by=by, issued_at=ts,
                updated_at=ts, source=str(p.path), content_hash=p.content_hash, batch_id=batch_id)


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
                   stem: str) -> tuple[dict, str]:
    """Render the letter exactly as it was hashed (never re-read from disk): (paths, ที่ line)."""
    overrides = {"number": entry["number"], "date": entry["letter_date"]}
    composed, _ = api.compose_mapping(p.raw, p.path.parent, overrides, today)
    return api.render(composed, staging, stem, formats), composed.ref_text


def burn(engine, entry: dict, now: dt.datetime, error: BaseException) -> RegisterError:
    """Rendering failed: cancel the pending row with the error as its reason; return the error."""
    detail = " ".join(str(error).split())[:300] or type(error).__name__
    with store.transaction(engine) as conn:
        store.update_entry(conn, entry["id"], ("pending",), status="cancelled",
                           reason=f"render failed / จัดทำเอกสารไม่สำเร็จ: {detail}",
                           updated_at=stamp(now))
    return RegisterError("render-failed", ref=entry["ref_text"], detail=detail)


def record(engine, entry: dict, staged: dict[str, Path], ref_text: str, out_dir: Path,
           now: dt.datetime) -> dict:
    """Step 4: mark issued and move the staged files into place, atomically together."""
    staged = {fmt: Path(p) for fmt, p in staged.items()}
    finals = {fmt: out_dir / path.name for fmt, path in staged.items()}
    files = {fmt: {"path": str(finals[fmt].resolve()), "sha256": sha256_file(path)}
             for fmt, path in staged.items()}
    with store.transaction(engine) as conn:
        changed = store.update_entry(conn, entry["id"], ("pending",), status="issued",
                                     ref_text=ref_text, files=files, updated_at=stamp(now))
        if changed:
            for fmt, path in staged.items():
                os.replace(path, finals[fmt])
        current = store.get_by_id(conn, entry["id"])
    if not changed and current["status"] != "issued":
        raise RegisterError("cancelled-during-render", ref=entry["ref_text"])
    return current


def render_and_record(engine, entry: dict, p: Prepared, out_dir: Path, formats,
                      now: dt.datetime) -> dict:
    """Steps 3–5 for a pending entry (new or resumed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f".docgen-issue-{entry['id']}-*"):    # left by a killed earlier try
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".docgen-issue-{entry['id']}-", dir=out_dir))
    stem = output_stem(p.path, entry["series"], entry["number"], entry["year"])
    try:
        try:
            paths, ref_text = _render_staged(entry, p, staging, formats, bangkok(now).date(), stem)
        except Exception as e:           # KeyboardInterrupt etc. leave it pending (resumable)
            raise burn(engine, entry, now, e) from None
        return record(engine, entry, paths, ref_text, out_dir, now)
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


def issue(engine, path: str | Path, out_dir: str | Path | None = None, formats=api.FORMATS,
          by: str | None = None, new: bool = False, now: dt.datetime | None = None,
          action: str | None = None, note: str | None = None,
          batch_id: str | None = None) -> IssueResult:
    """Number, render and register one letter file (all or nothing; see module doc)."""
    now = bangkok(now)
    p = prepare(path, now.date())
    check_renderers(formats)
    store.check_schema(engine, create=True, stamp=stamp(now))
    entry, outcome = claim(engine, p, now, who(by), new, action, note, batch_id)
    if outcome != "existing":
        target = Path(out_dir) if out_dir is not None else p.path.parent
        entry = render_and_record(engine, entry, p, target, formats, now)
    return IssueResult(entry, outcome, p.warnings)


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


def reserve(engine, prefix: str, series: str, count: int, reason: str | None,
            by: str | None = None, now: dt.datetime | None = None,
            year_start: str = "calendar", digits: str = "thai") -> list[dict]:
    """จองเลข: ``count`` consecutive numbers for letters written elsewhere, in one transaction."""
    now = bangkok(now)
    ts = stamp(now)
    store.check_schema(engine, create=True, stamp=ts)
    key = SeriesKey(normalize_prefix(prefix), series, register_year(now, year_start))
    with store.transaction(engine) as conn:
        numbers = store.allocate(conn, key, count)
        rows = [dict(prefix=key.prefix, series=key.series, year=key.year, number=n,
                     status="reserved", ref_text=ref_line(key.prefix, n, series == CIRCULAR, digits),
                     reason=reason, note=reason, issued_by=who(by), issued_at=ts, updated_at=ts)
                for n in numbers]
        return store.insert_entries(conn, rows)


def find(engine, key: SeriesKey, number: int) -> dict:
    store.check_schema(engine, create=False, stamp="")
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
            reason=reason, note=f"ยกเลิก: {reason} ({who(by)})", updated_at=stamp(now))
        current = store.get_by_id(conn, entry["id"])
    if not changed:
        raise RegisterError("already-cancelled", ref=current["ref_text"], reason=current["reason"] or "")
    return current


def entries(engine, **filters) -> list[dict]:
    store.check_schema(engine, create=False, stamp="")
    with store.transaction(engine, read=True) as conn:
        return store.list_entries(conn, **filters)


def label(entry: dict, thai: bool = False) -> str:
    return number_label(entry["series"], entry["number"], thai)
