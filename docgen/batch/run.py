"""Run a batch: one notice, many recipients, numbered from the register, resumable.

Resuming rests on the register: every letter of a batch is claimed with a content hash
made of the batch id, the recipient's row and the filled letter.  Re-running the same
command finds those claims again: ``issued`` letters are not rendered again (their files
are on disk, named in the register), ``pending`` ones (a crash mid-render) are rendered
again with the SAME number.  No letter ever gets a second number.  Files are written
under temporary names and renamed, so a crash leaves no half file.

Circular mode claims ONE ว number for the whole batch (the register row holds the file
copy); the copies to each recipient share that number and date.

A dry run (``preview``) and ``check`` go through the same reading, filling and validation
(``_open``, ``_checked_rows``) but never open the register: ``preview`` renders unnumbered
drafts of the first rows into the batch folder's ``preview/``, ``check`` renders nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import api, data
from .. import input as _input
from ..render import STAGING_PREFIX
from ..errors import DocgenError, InputError, MessageError, Problem
from ..output import atomic_path, atomic_write, clean_stem, fit_name, safe_stem, sha256_file
from ..register import service, store
from ..register.errors import register_text
from ..register.keys import CIRCULAR
from ..thai.dates import bangkok
from . import executor as _executor
from . import manifest, placeholders, recipients
from .circular import FILE_COPY_TO
from .progress import Progress

MODES = ("letters", "circular")
STATE = "batch.json"
CLAIM_CHUNK = 8          # letters numbered per register transaction (one commit, not eight)
PREVIEW_LIMIT = 5        # drafts a dry run renders by default (--limit N)
PREVIEW_DIR = "preview"  # a dry run's drafts: this subfolder of the batch folder


@dataclass
class Options:
    notice: Path
    to: str
    mode: str = "letters"
    jobs: int | None = None
    out_dir: Path | None = None
    formats: tuple[str, ...] = ("pdf", "docx")
    merge: bool = False
    zip: bool = False
    by: str | None = None
    db: str | None = None
    now: dt.datetime | None = None
    progress: bool | None = None
    dry_run: bool = False            # drafts of the first ``limit`` rows; the register is never opened
    limit: int = PREVIEW_LIMIT


@dataclass
class Summary:
    batch_id: str
    out_dir: Path
    ok: int = 0
    failed: int = 0
    reused: int = 0
    rows: list[dict] = field(default_factory=list)
    bad_rows: list[tuple[int, Problem]] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    # rows that failed validation or lack a placeholder's column: (row, recipient, problem)
    row_problems: list[tuple[int, str, Problem]] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)     # placeholders with no column in the sheet
    previews: list[Path] = field(default_factory=list)  # a dry run's drafts

    @property
    def warnings(self) -> int:
        """How many warnings the letters (or checked rows) carry, in all."""
        return sum(len(r.get("warnings") or ()) for r in self.rows)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.bad_rows else 0


class BatchError(MessageError):
    """A coded message (docgen/messages.py): ``BatchError("mode-choice", value=…)``."""


def _sha(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def batch_id(notice_raw: dict, profile: dict, recipients_bytes: bytes, mode: str) -> str:
    return _sha(json.dumps(notice_raw, ensure_ascii=False, sort_keys=True, default=str),
                json.dumps(profile, ensure_ascii=False, sort_keys=True, default=str),
                recipients_bytes, mode)[:16]


def _read_state(out_dir: Path, bid: str) -> dict | None:
    """The batch folder's ``batch.json`` if there is one (it must be this batch's); never writes."""
    path = out_dir / STATE
    if not path.exists():
        return None
    state = json.loads(path.read_text(encoding="utf-8"))
    if state.get("batch_id") != bid:
        raise BatchError("batch-folder-other", path=str(out_dir), batch=str(state.get("batch_id")))
    return state


def _state(out_dir: Path, bid: str, mode: str, today: dt.date) -> dict:
    """The batch's fixed facts (id, date): written on the first run, read on a resume."""
    state = _read_state(out_dir, bid)
    if state is not None:
        return state
    state = {"batch_id": bid, "mode": mode, "date": today.isoformat(),
             "created": bangkok().isoformat(timespec="seconds")}
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(out_dir / STATE, json.dumps(state, ensure_ascii=False, indent=1).encode())
    return state


def letter_for(raw: dict, rec: recipients.Recipient) -> dict:
    """The notice filled for one recipient (placeholders as data; salutation from the class)."""
    letter = placeholders.fill(raw, rec.values())
    has = _type_has(raw)
    if not raw.get("to") and "to" in has:         # a certificate has no addressee: the row fills its text
        letter["to"] = rec.position
    if rec.klass and "salutation" in has:
        # like a letter's own `salutation:`: checked against the table, and a contradiction is
        # that row's error unless the notice says salutation_override: true
        from ..data import address_table
        row = next(r for r in address_table() if r["key"] == rec.klass)
        letter["salutation"] = row.get("salutation")
    return letter


def _type_has(raw: dict) -> frozenset:
    """The fields the notice's type has (every field when its type is wrong: the model says so)."""
    from ..model import type_fields
    return type_fields(data.doctype_key(str(raw.get("type") or ""))).has


def _missing_placeholders(raw: dict, rec: recipients.Recipient) -> list[str]:
    values = rec.values()
    return sorted(n for n in placeholders.names_in(raw) if n not in values)


def _stem(rec: recipients.Recipient, number: int | None) -> str:
    """"0002-สำนักงาน_ก.พ.ร.-5": row, recipient (its dots kept), number; made safe once, whole."""
    who = (rec.agency or rec.position)[:50].replace("/", "_").replace("\\", "_")
    return clean_stem(f"{rec.row:04d}-{who}" + (f"-{number}" if number else ""))


def _row(rec, status, ref="", number=None, date="", files=None, sha=None, error="",
         warnings=None) -> dict:
    files, sha = files or {}, sha or {}
    return {"row": rec.row, "recipient": rec.position, "agency": rec.agency, "ref": ref,
            "number": number, "date": date, "pdf": files.get("pdf", ""), "pdf_sha256": sha.get("pdf", ""),
            "docx": files.get("docx", ""), "docx_sha256": sha.get("docx", ""),
            "status": status, "error": error, "warnings": list(warnings or ())}


def _warnings(problems) -> list[dict]:
    """A letter's warnings as manifest entries ({field, code, severity, th, en})."""
    return [p.to_dict() for p in problems.warnings]


def _record(engine, entry: dict, result: dict, out_dir: Path, now, resume: bool = True) -> dict:
    """A worker's staged files → the register (issued) and their final names, together.
    A batch folder is the batch's own: a file at a letter's name is its killed try's."""
    return service.record(engine, entry, result["paths"], result["ref_text"], out_dir, now,
                          resume=resume)


def _open(notice: Path, to: str, mode: str):
    """What a run, a dry run and a check share: the notice read and its mode applied, the
    recipients opened (streamed), the batch id.  Refuses bad input before anything is written."""
    if mode not in MODES:
        raise BatchError("mode-choice", value=str(mode)[:40])
    raw = _input.read_mapping(notice)
    _, profile, _ = _input.with_profile(raw, notice.parent)
    dtype = data.doctype_key(str(raw.get("type") or ""))
    if dtype is not None and not data.doctypes()[dtype].get("batch"):
        kinds = [f"{k} ({s['name_th']})" for k, s in data.doctypes().items() if s.get("batch")]
        raise BatchError("batch-doctype", type=dtype, type_name=data.doctypes()[dtype]["name_th"],
                         allowed=" | ".join(kinds))
    rows_iter = recipients.load(to)                 # raises InputError for a bad source
    rec_bytes = recipients.source_bytes(to)
    if mode == "circular":
        raw = {**raw, "circular": True}
        # a circular is one text under one number: copies may differ only in their addressing
        outside_to = sorted(k for k, v in raw.items() if k != "to" and placeholders.names_in(v))
        if outside_to:                  # refused before anything is written or numbered
            raise InputError([Problem(k, "circular-placeholders", "error", (("field", k),))
                              for k in outside_to], str(notice))
    return raw, rows_iter, batch_id(raw, profile, rec_bytes, mode)


def _batch_dir(opts: Options, notice: Path, bid: str) -> Path:
    return Path(opts.out_dir) if opts.out_dir else Path("output") / f"{safe_stem(notice.name)}-{bid[:8]}"


def run(opts: Options, executor: _executor.Executor | None = None, engine=None) -> Summary:
    """Run the batch (or its dry run: ``preview``).  ``engine``: a register already open (the
    library's ``docgen.Register``), used as is and left open; by default the register is
    located from ``opts.db``, the notice's profile or docgen.toml, and closed at the end."""
    if opts.dry_run:
        return preview(opts, executor)
    now = bangkok(opts.now)
    notice = Path(opts.notice)
    raw, rows_iter, bid = _open(notice, opts.to, opts.mode)
    out_dir = _batch_dir(opts, notice, bid)
    service.check_renderers(opts.formats)
    owned = engine is None
    if owned:
        engine = store.make_engine(service.locate(opts.db, letter=notice))
    try:                                # no register, no batch folder: nothing is written before
        store.require_register(engine)
        state = _state(out_dir, bid, opts.mode, now.date())
    except BaseException:
        if owned:
            engine.dispose()
        raise
    letter_date = state["date"] if not raw.get("date") else raw["date"]
    raw = {**raw, "date": letter_date}
    by = service.who(opts.by)
    summary = Summary(bid, out_dir)
    progress = Progress(recipients.count(opts.to) if opts.progress is not False else None,
                        enabled=opts.progress)
    staging = out_dir / ".staging"
    _sweep(out_dir)                                  # leftovers of a killed run
    staging.mkdir(parents=True, exist_ok=True)
    ex = executor or _executor.make(opts.jobs)
    try:
        if opts.mode == "letters":
            _run_letters(engine, ex, opts, raw, rows_iter, bid, out_dir, staging, now, by, summary, progress)
        else:
            _run_circular(engine, ex, opts, raw, rows_iter, bid, out_dir, staging, now, by, summary, progress)
    finally:
        ex.close()
        progress.close()
        shutil.rmtree(staging, ignore_errors=True)
        if owned:
            engine.dispose()
    for row_no, problem in summary.bad_rows:          # every row of the sheet is in the manifest
        summary.rows.append(_row(recipients.Recipient(row_no, ""), "skipped", error=str(problem)))
    meta = {"batch_id": bid, "mode": opts.mode, "notice": str(notice), "recipients": opts.to,
            "date": letter_date, "ok": summary.ok, "failed": summary.failed, "warnings": summary.warnings,
            "bad_rows": [{"row": r, **p.to_dict()} for r, p in summary.bad_rows], **summary.extra}
    manifest.write(out_dir, meta, summary.rows)
    if opts.merge:
        summary.extra["merged"] = str(merge_pdfs(out_dir, summary.rows))
    if opts.zip:
        summary.extra["zip"] = str(zip_batch(out_dir))
    return summary


def _sweep(out_dir: Path) -> None:
    """Remove what a killed run left: the staging folder, ``.docgen-render-*`` staging of
    interrupted renders (circular copies render into the batch folder) and ``.*.part`` files."""
    shutil.rmtree(out_dir / ".staging", ignore_errors=True)
    for tmp in out_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(tmp, ignore_errors=True)
    for tmp in out_dir.glob(".*.part"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)


def _validate(letter: dict, notice: Path, today: dt.date, number: int = 1):
    model, problems = api.validate_mapping(letter, notice.parent, {"number": number}, today)
    return model, problems


def _used_in(raw: dict, name: str) -> str:
    """The first field of the notice that uses ``{{ recipient.<name> }}``."""
    return next((k for k, v in raw.items() if name in placeholders.names_in(v)), "recipient")


def _good_rows(raw, rows_iter, summary, progress):
    """The sheet's usable recipients; bad rows and rows lacking a placeholder's column are
    recorded in the summary (and the manifest) and skipped."""
    for rec in rows_iter:
        if isinstance(rec, recipients.BadRow):
            summary.bad_rows.append((rec.row, rec.problem))
            continue
        missing = _missing_placeholders(raw, rec)
        if missing:
            summary.missing.update(missing)
            _fail(summary, rec, problems=[
                Problem(_used_in(raw, n), "recipient-placeholder-missing", "error",
                        (("row", rec.row), ("name", n))) for n in missing])
            progress.step(False)
            continue
        yield rec


def _checked_rows(raw, rows_iter, notice: Path, today: dt.date, summary, progress):
    """(recipient, filled letter, model, problems) for every usable row, validated as its letter
    will be rendered; a row whose letter is invalid is recorded as failed and skipped."""
    for rec in _good_rows(raw, rows_iter, summary, progress):
        letter = letter_for(raw, rec)
        model, problems = _validate(letter, notice, today)
        if model is None:
            _fail(summary, rec, problems=problems.errors)
            progress.step(False)
            continue
        problems.items.extend(placeholders.empty_warnings(raw, rec.values(), rec.row))
        yield rec, letter, model, problems


def _fail(summary, rec, error: str = "", problems=(), **kw):
    """A failed row; its problems (fields, bilingual messages) are kept for the report."""
    summary.failed += 1
    summary.row_problems.extend((rec.row, rec.position, p) for p in problems)
    summary.rows.append(_row(rec, "failed", error=error or "; ".join(str(p) for p in problems), **kw))


def _run_letters(engine, ex, opts, raw, rows_iter, bid, out_dir, staging, now, by, summary, progress):
    notice = Path(opts.notice)
    pending: dict[int, tuple] = {}

    def claimed(chunk):
        """Number a few letters in one register transaction; yield the ones to render."""
        claims = service.claim_many(engine, [p for _, _, p, _ in chunk], now, by, note=f"batch {bid}",
                                    batch_id=bid)
        for (rec, letter, _, warnings), (entry, outcome) in zip(chunk, claims):
            if outcome == "existing" and all(Path(f["path"]).is_file() for f in (entry["files"] or {}).values()):
                files = {k: v["path"] for k, v in entry["files"].items()}
                sha = {k: v["sha256"] for k, v in entry["files"].items()}
                summary.ok += 1
                summary.reused += 1
                summary.rows.append(_row(rec, "ok", entry["ref_text"], entry["number"], entry["letter_date"],
                                         files, sha, warnings=warnings))
                progress.step(True)
                continue
            task_staging = staging / str(entry["id"])
            pending[entry["id"]] = (rec, entry)
            yield {"id": entry["id"], "letter": letter, "base": str(notice.parent),
                   "overrides": {"number": entry["number"], "date": entry["letter_date"]},
                   "out_dir": str(task_staging), "stem": _stem(rec, entry["number"]),
                   "formats": list(opts.formats), "today": now.date().isoformat()}

    def tasks():
        chunk = []
        for rec, letter, model, problems in _checked_rows(raw, rows_iter, notice, now.date(), summary, progress):
            chash = _sha(bid, rec.key(), json.dumps(letter, ensure_ascii=False, sort_keys=True, default=str))
            chunk.append((rec, letter, service.prepared_from(notice, letter, model, chash), _warnings(problems)))
            if len(chunk) == CLAIM_CHUNK:
                yield from claimed(chunk)
                chunk = []
        if chunk:
            yield from claimed(chunk)

    for task, result in ex.run(_executor.render_task, tasks()):
        rec, entry = pending.pop(task["id"])
        if isinstance(result, BaseException):
            err = service.burn(engine, entry, now, result)
            _fail(summary, rec, str(err), ref=entry["ref_text"], number=entry["number"])
            progress.step(False)
            continue
        try:
            current = _record(engine, entry, result, out_dir, now)
        except DocgenError as e:
            _fail(summary, rec, str(e), ref=entry["ref_text"], number=entry["number"])
            progress.step(False)
            continue
        files = {k: v["path"] for k, v in current["files"].items()}
        sha = {k: v["sha256"] for k, v in current["files"].items()}
        summary.ok += 1
        summary.rows.append(_row(rec, "ok", current["ref_text"], current["number"], current["letter_date"],
                                 files, sha, warnings=result.get("warnings")))
        progress.step(True)


def _file_copy(raw: dict, notice: Path, today: dt.date):
    """A circular's file copy (the register's document): (letter, model); InputError if invalid."""
    file_to = raw.get("to") if raw.get("to") and not placeholders.names_in(raw.get("to")) else FILE_COPY_TO
    file_letter = {**placeholders.fill(raw, {}), "to": file_to}
    model, problems = _validate(file_letter, notice, today)
    if model is None:
        raise InputError(problems.errors, str(notice))
    return file_letter, model


def _run_circular(engine, ex, opts, raw, rows_iter, bid, out_dir, staging, now, by, summary, progress):
    notice = Path(opts.notice)
    file_letter, model = _file_copy(raw, notice, now.date())
    p = service.prepared_from(notice, file_letter, model, _sha(bid, "circular"))
    entry, outcome = service.claim(engine, p, now, by, note=register_text("note-batch-circular", batch=bid), batch_id=bid)
    number, date = entry["number"], entry["letter_date"]
    summary.extra.update({"number": number, "ref": entry["ref_text"]})
    names: list[str] = []

    def copies():
        for rec, letter, _, problems in _checked_rows(raw, rows_iter, notice, now.date(), summary, progress):
            names.append(letter.get("to") or rec.position)
            stem = _stem(rec, None)
            finals = {f: out_dir / f"{stem}.{f}" for f in opts.formats}
            if all(p.is_file() for p in finals.values()):         # done in an earlier run
                summary.ok += 1
                summary.reused += 1
                summary.rows.append(_row(rec, "ok", entry["ref_text"], number, date,
                                         {f: str(p.resolve()) for f, p in finals.items()},
                                         {f: sha256_file(p) for f, p in finals.items()},
                                         warnings=_warnings(problems)))
                progress.step(True)
                continue
            yield {"rec": rec, "letter": letter, "base": str(notice.parent),
                   "overrides": {"number": number, "date": date}, "out_dir": str(out_dir),
                   "stem": stem, "formats": list(opts.formats), "today": now.date().isoformat()}

    def strip(task_iter):
        for t in task_iter:
            rec = t.pop("rec")
            t["id"] = rec.row
            recs[rec.row] = rec
            yield t

    recs: dict[int, recipients.Recipient] = {}
    for task, result in ex.run(_executor.render_task, strip(copies())):
        rec = recs.pop(task["id"])
        if isinstance(result, BaseException):
            _fail(summary, rec, " ".join(str(result).split())[:300], ref=entry["ref_text"], number=number)
            progress.step(False)
            continue
        summary.ok += 1
        summary.rows.append(_row(rec, "ok", result["ref_text"], number, date,
                                 {f: str(Path(p).resolve()) for f, p in result["paths"].items()},
                                 result["sha256"], warnings=result.get("warnings")))
        progress.step(True)

    # the file copy with the distribution list: the register row's document
    if entry["status"] != "issued":
        task = {"letter": file_letter, "base": str(notice.parent),
                "overrides": {"number": number, "date": date}, "out_dir": str(staging / "file-copy"),
                "stem": f"0000-file-copy-{CIRCULAR}{number}", "formats": list(opts.formats),
                "today": now.date().isoformat(), "distribution": names}
        try:
            result = _executor.render_task(task)
            entry = _record(engine, entry, result, out_dir, now)
        except Exception as e:
            raise service.burn(engine, entry, now, e) from None
    summary.extra["file_copy"] = {k: v["path"] for k, v in (entry["files"] or {}).items()}


def preview(opts: Options, executor: _executor.Executor | None = None, _state_dir: bool = True) -> Summary:
    """A dry run: every row of the sheet read, filled and validated as the batch would
    (``_open``, ``_checked_rows``), and unnumbered drafts of the first ``opts.limit`` good rows
    rendered into ``<batch folder>/preview/`` (in circular mode also the file copy with the
    distribution list of every good row).  The register is never located or opened, nothing
    is claimed, ``batch.json`` is not written.  ``summary.rows`` holds one row per good or
    failed row (with its warnings); ``summary.ok`` counts the good rows, ``previews`` the drafts.
    """
    if opts.limit is None or opts.limit < 0:
        raise BatchError("limit-range", value=str(opts.limit)[:40])
    now = bangkok(opts.now)
    notice = Path(opts.notice)
    raw, rows_iter, bid = _open(notice, opts.to, opts.mode)
    batch_dir = _batch_dir(opts, notice, bid)
    state = _read_state(batch_dir, bid) if _state_dir else None      # a resumed batch's date
    letter_date = raw.get("date") or (state["date"] if state else now.date().isoformat())
    # a draft has no number (the ที่ line is left blank after the slash), whatever the notice says
    raw = {k: v for k, v in raw.items() if k != "number"} | {"date": letter_date}
    out_dir = batch_dir / PREVIEW_DIR
    summary = Summary(bid, out_dir, extra={"batch_dir": str(batch_dir), "date": letter_date})
    progress = Progress(None, enabled=False)
    drafts: dict[int, dict] = {}                # sheet row → its summary row, for the drafts
    names: list[str] = []
    base, today = str(notice.parent), now.date().isoformat()

    def drafts_to_render():
        for rec, letter, _, problems in _checked_rows(raw, rows_iter, notice, now.date(), summary, progress):
            summary.ok += 1
            names.append(letter.get("to") or rec.position)
            row = _row(rec, "ok", date=letter_date, warnings=_warnings(problems))
            summary.rows.append(row)
            if len(drafts) < opts.limit:        # the rest of the sheet is still checked
                drafts[rec.row] = row
                yield {"id": rec.row, "letter": letter, "base": base, "overrides": {},
                       "out_dir": str(out_dir), "stem": _stem(rec, None),
                       "formats": list(opts.formats), "today": today}

    file_letter = _file_copy(raw, notice, now.date())[0] if opts.mode == "circular" else None
    if opts.limit == 0:                         # check only: nothing is rendered or written
        for _ in drafts_to_render():
            pass
        return summary
    service.check_renderers(opts.formats)      # (resolves the renderers; no register involved)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear_previews(out_dir)
    ex = executor or _executor.make(min(opts.jobs or os.cpu_count() or 1, opts.limit))
    try:
        for task, result in ex.run(_executor.render_task, drafts_to_render()):
            row = drafts[task["id"]]
            if isinstance(result, BaseException):
                summary.ok -= 1
                summary.failed += 1
                row.update(status="failed", error=" ".join(str(result).split())[:300])
                continue
            row.update(ref=result["ref_text"], pdf=result["paths"].get("pdf", ""),
                       docx=result["paths"].get("docx", ""),
                       pdf_sha256=result["sha256"].get("pdf", ""), docx_sha256=result["sha256"].get("docx", ""))
            summary.previews.extend(Path(p) for p in result["paths"].values())
    finally:
        ex.close()
    if file_letter is not None:
        result = _executor.render_task({"letter": file_letter, "base": base, "overrides": {},
                                        "out_dir": str(out_dir), "stem": "0000-file-copy",
                                        "formats": list(opts.formats), "today": today,
                                        "distribution": names})
        summary.extra["file_copy"] = {f: p for f, p in result["paths"].items()}
        summary.previews.extend(Path(p) for p in result["paths"].values())
    return summary


def check(notice: str | Path, to: str, mode: str = "letters", now: dt.datetime | None = None) -> Summary:
    """Every row of ``to`` checked against the notice exactly as the batch checks it (a dry
    run with no drafts): nothing is rendered or written and the register is never opened.
    Bad rows are in ``bad_rows`` and ``row_problems``; each good row's warnings in ``rows``."""
    return preview(Options(notice=Path(notice), to=to, mode=mode, now=now, dry_run=True, limit=0),
                   _state_dir=False)


def _clear_previews(out_dir: Path) -> None:
    """Drafts of an earlier dry run (NNNN-….pdf|docx) and temporary files: the folder is the
    dry run's own, and stale drafts would be mistaken for this run's."""
    for pattern in ("[0-9][0-9][0-9][0-9]-*.pdf", "[0-9][0-9][0-9][0-9]-*.docx", ".*.part"):
        for old in out_dir.glob(pattern):
            old.unlink(missing_ok=True)


def merge_pdfs(out_dir: Path, rows: list[dict]) -> Path:
    """One print-ready PDF of all letters, in recipient order (not PDF/A: see docs)."""
    import pikepdf
    target = out_dir / "merged.pdf"
    with pikepdf.new() as merged:
        for r in sorted(rows, key=lambda r: r["row"]):
            if r["status"] == "ok" and r["pdf"]:
                with pikepdf.open(r["pdf"]) as src:
                    merged.pages.extend(src.pages)
        with atomic_path(target) as tmp:
            merged.save(tmp)
    return target


def zip_batch(out_dir: Path) -> Path:
    target = out_dir.parent / fit_name(out_dir.name, ".zip")   # with_suffix would cut "batch.2567"
    with atomic_path(target) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(out_dir.rglob("*")):
                rel = path.relative_to(out_dir)
                if rel.parts[0] == PREVIEW_DIR:      # a dry run's drafts are not the batch's letters
                    continue
                if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                    z.write(path, path.relative_to(out_dir.parent))
    return target
