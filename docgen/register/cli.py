"""``docgen issue`` and ``docgen register init|list|reserve|cancel|show|export``.

Every failure is a bilingual message and a non-zero exit code, never a traceback.
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from ..errors import DocgenError, InputError
from ..i18n import N_, Msg, tr
from ..thai.dates import format_date
from . import service, store
from .errors import RegisterError
from ..thai.dates import bangkok
from .keys import SeriesKey, normalize_series, parse_count, parse_number

EXIT_OK, EXIT_FAIL = 0, 1


def status_text(entry: dict) -> str:
    """The entry's status in the chosen language(s): ``ค้าง/pending`` in both (docgen/messages.py
    status-…); the printed register's own Thai words are in register/query.py."""
    from ..i18n import coded_tag
    return coded_tag(f"status-{state(entry)}")


def column(code: str) -> str:
    """A column's or field's name (``column-…`` in docgen/messages.py) in the chosen language(s)."""
    from ..i18n import coded_tag
    return coded_tag(f"column-{code}")


def state(entry: dict) -> str:
    """The status an officer sees: an issued letter marked as sent is "sent"."""
    return "sent" if entry["status"] == "issued" and entry.get("sent_at") else entry["status"]


# ---------------------------------------------------------------- helpers

def _engine(args, letter=None, create: bool = False):
    """The register named by --db, $DOCGEN_DATABASE_URL, the profile (--profile or the
    letter's) or docgen.toml (docgen/config.py); never a default file.  It must exist, except
    for ``register init`` (``create``): no command touches the database before that check, so
    none creates an SQLite file as a side effect."""
    profile = getattr(args, "profile", None)
    location = service.locate(args.db, letter=letter, profile=profile if letter is None else None)
    engine = store.make_engine(location, timeout=args.db_timeout)
    if not create:
        store.require_register(engine)
    return engine


def display_width(text: str) -> int:
    """Terminal columns: Thai vowel and tone marks take none.

    >>> display_width("เรื่อง"), display_width("ที่")
    (4, 1)
    """
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """Cut to ``width`` columns (… when cut) and pad with spaces."""
    text = " ".join(str(text or "").split())
    if display_width(text) > width:
        out = ""
        for c in text:
            if display_width(out + c) > width - 1:
                break
            out += c
        text = out + "…"
    return text + " " * (width - display_width(text))


def type_name(entry: dict) -> str:
    """The entry's document type by its Thai name (หนังสือภายนอก, คำสั่ง …); for a number
    reserved in a type's own series, that type; "" when not known (a reserved letter number)."""
    from .export import type_name as name
    return name(entry)


COLUMNS = (("number", 14), ("type", 16), ("ref", 22), ("date", 18), ("to", 24), ("subject", 40),
           ("status", 16), ("note", 30))


def table(rows: list[dict]) -> str:
    heads = [(column(code), width) for code, width in COLUMNS]
    heads = [(h, max(w, display_width(h))) for h, w in heads]
    lines = [" ".join(fit(h, w) for h, w in heads).rstrip()]
    lines.append(" ".join("-" * w for _, w in heads))
    for e in rows:
        date = format_date(_date(e["letter_date"]), "arabic") if e.get("letter_date") else ""
        cells = (f"{e['year']} {service.label(e)}", type_name(e), e["ref_text"], date, e.get("recipient"),
                 e.get("subject"), status_text(e), e.get("reason") or e.get("note"))
        lines.append(" ".join(fit(c, w) for c, (_, w) in zip(cells, heads)).rstrip())
    return "\n".join(lines)


def _date(iso: str):
    import datetime as dt
    return dt.date.fromisoformat(iso)


def _key(args, engine, number_text: str, letter=None) -> tuple[SeriesKey, int]:
    """NUMBER + --series/--year/--prefix/--profile (or the letter's profile) → (key, number)."""
    series = getattr(args, "series", None)
    if letter is not None and not series and parse_number(number_text)[0] is None:
        series = service.prepare(letter, bangkok().date()).series      # a circular's ว series
    return service.number_key(engine, number_text, series=series, year=getattr(args, "year", None),
                              prefix=getattr(args, "prefix", None),
                              profile=getattr(args, "profile", None) or letter)


def _show(entry: dict, revisions: list[dict] = ()) -> str:
    from ..i18n import coded_tag
    fields = [
        ("ref", entry["ref_text"]),
        ("register-number", f"{service.label(entry)} ({column('year')} {entry['year']})"),
        ("status", status_text(entry)),
        ("type", " ".join(x for x in (type_name(entry), f"({entry['doctype']})" if entry.get("doctype") else "") if x)),
        ("sent", " ".join(x for x in (entry.get("sent_at"), entry.get("sent_by")) if x)),
        ("date", format_date(_date(entry["letter_date"])) if entry.get("letter_date") else ""),
        ("from", entry.get("agency")), ("to", entry.get("recipient")), ("subject", entry.get("subject")),
        ("action", entry.get("action")), ("note", entry.get("note")),
        ("reason", entry.get("reason")), ("by", entry.get("issued_by")),
        ("at", entry.get("issued_at")), ("updated", entry.get("updated_at")),
        ("source", entry.get("source")), ("content-hash", entry.get("content_hash")),
        ("batch", entry.get("batch_id")),
    ]
    lines = [f"{column(k)}: {v}" for k, v in fields if v]
    for fmt, f in sorted(entry["files"].items()):
        lines.append(f"{fmt}: {f['path']}  sha256 {f['sha256']}")
    if revisions:
        lines.append(f"{column('revisions')} ({len(revisions)}):")
    for r in revisions:
        current = f" ← {column('current')}" if r["revision"] == entry.get("revision") else ""
        pending = f" ({coded_tag('status-pending')})" if r["status"] == "pending" else ""
        lines.append(f"  r{r['revision']}{pending}{current}: {r['made_at']} {r.get('made_by') or ''}"
                     f"{' — ' + r['reason'] if r.get('reason') else ''}")
        lines.append(f"     {column('content-hash')}: {r.get('content_hash') or ''}")
        for fmt, f in sorted(r["files"].items()):
            lines.append(f"     {fmt}: {f['path']}  sha256 {f['sha256']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- commands

OUTCOMES = {       # what `docgen issue` did with a letter: one whole sentence each
    "issued": N_("issued {ref} (register number {number}/{year})"),
    "resumed": N_("resumed {ref} (register number {number}/{year})"),
    "existing": N_("already issued {ref} (register number {number}/{year})"),
    "revised": N_("revised r{revision} {ref} (register number {number}/{year})"),
    "unchanged": N_("unchanged {ref} (register number {number}/{year})"),
}


def entry_dict(entry: dict) -> dict:
    """A register entry as JSON (docs/cli.md): its columns, its status as the officer sees it
    (``state``: an issued letter marked as sent is "sent") and its label (``ว 1``)."""
    out = {k: v for k, v in entry.items() if k != "search_text"}
    out["state"] = state(entry)
    out["label"] = service.label(entry)
    out["type_name"] = type_name(entry)
    return out


def cmd_issue(args) -> int:
    from ..cli import parse_formats
    formats = parse_formats(args.format)
    if args.revise and len(args.files) != 1:
        raise RegisterError("revise-one")
    failed = 0
    engines: dict = {}
    try:
        for name in args.files:
            failed += _issue_one(args, name, formats, engines)
    finally:
        for engine in engines.values():
            engine.dispose()
    return EXIT_FAIL if failed else EXIT_OK


def _issue_one(args, name: str, formats, engines: dict) -> int:
    from ..cli import PROG, error_dict, print_problems, problem_dicts, report
    doc = report(args)
    item = {"file": name, "ok": False}
    if doc is not None:
        doc.setdefault("files", []).append(item)
    try:
        location = service.locate(args.db, letter=name)
        engine = engines.get(location)
        if engine is None:
            engine = engines[location] = store.make_engine(location, timeout=args.db_timeout)
        if args.revise:
            key, number = _key(args, engine, args.revise, letter=name)
            result = service.revise(engine, key, number, name, args.output, formats,
                                    reason=args.reason, by=args.by)
        else:
            result = service.issue(engine, name, args.output, formats, by=args.by, new=args.new,
                                   action=args.action, note=args.note)
    except InputError as e:
        item["problems"] = problem_dicts(e.problems)
        if doc is None:
            print_problems(e.problems, name)
        return 1
    except DocgenError as e:
        item["error"] = error_dict(e)
        if doc is None:
            print(f"{PROG}: {name}: {e}", file=sys.stderr)
        return 1
    e = result.entry
    item.update(ok=True, outcome=result.outcome, ref=e["ref_text"], prefix=e["prefix"], series=e["series"],
                doctype=e.get("doctype"), type_name=type_name(e), year=e["year"], number=e["number"], label=service.label(e), revision=e.get("revision"),
                outputs={fmt: f["path"] for fmt, f in sorted(e["files"].items())},
                sha256={fmt: f["sha256"] for fmt, f in sorted(e["files"].items())},
                problems=problem_dicts(result.warnings))
    if doc is not None:
        return 0
    print_problems(result.warnings, name)
    print(f"{name}: {type_name(e)}: " + tr(OUTCOMES[result.outcome], ref=e["ref_text"], number=service.label(e),
                           year=e["year"], revision=e.get("revision")))
    for fmt, f in sorted(e["files"].items()):
        print(f"{name} → {f['path']}")
    return 0


def cmd_init(args) -> int:
    engine = _engine(args, create=True)
    version, facts = service.init_register(engine, args.prefix, args.profile, args.multi_agency)
    serves = Msg("agency-multi") if facts.get("multi_agency") == "1" else facts.get("prefix", "?")
    print(tr("register ready: {url} (schema {version}; agency {agency}; from {source})",
             url=store.shown(engine), version=version, agency=serves, source=engine.docgen_source))
    return EXIT_OK


def _filters(args, engine):
    """The list/export options as a ``query.RegisterQuery`` (bad values: RegisterError)."""
    from . import query
    prefix = None
    if args.prefix or args.profile:
        prefix, _ = service.resolve_prefix(engine, args.prefix, args.profile)
    return query.parse(year=args.year, series=args.series, prefix=prefix, status=args.status,
                       doctype=args.type, date_from=args.date_from, date_to=args.date_to,
                       month=args.month, to_agency=args.to_agency, search=args.search)


def cmd_list(args) -> int:
    from ..cli import report
    engine = _engine(args)
    rows = service.entries(engine, query=_filters(args, engine))
    doc = report(args)
    if doc is not None:
        doc.update(count=len(rows), entries=[entry_dict(e) for e in rows])
        return EXIT_OK
    print(table(rows))
    print("(" + tr("{count} row(s)", count=len(rows)) + ")")
    return EXIT_OK


def cmd_reserve(args) -> int:
    count = parse_count(args.count)
    series = normalize_series(args.series)
    engine = _engine(args)
    prefix, year_start = service.resolve_prefix(engine, args.prefix, args.profile)
    rows = service.reserve(engine, prefix, series, count, args.reason, by=args.by, year_start=year_start)
    first, last = rows[0], rows[-1]
    span = service.label(first) if count == 1 else f"{service.label(first)}–{last['number']}"
    print(tr("reserved {numbers} ({prefix}, year {year}): {first} … {last}", numbers=span, prefix=prefix,
             year=first["year"], first=first["ref_text"], last=last["ref_text"]))
    return EXIT_OK


def cmd_cancel(args) -> int:
    if not " ".join((args.reason or "").split()):
        raise RegisterError("reason-required")
    engine = _engine(args)
    if args.batch:
        if args.number:
            raise RegisterError("cancel-batch-number")
        rows = service.cancel_batch(engine, args.batch, args.reason, by=args.by)
        for entry in rows:
            print(tr("cancelled {ref} (year {year})", ref=entry["ref_text"], year=entry["year"]))
        print(tr("batch {batch}: {count} numbers cancelled: {reason}", batch=args.batch, count=len(rows),
                 reason=args.reason))
        return EXIT_OK
    if not args.number:
        raise RegisterError("cancel-what")
    key, number = _key(args, engine, args.number)
    entry = service.cancel(engine, key, number, args.reason, by=args.by)
    print(tr("cancelled {ref} (year {year}): {reason}", ref=entry["ref_text"], year=entry["year"],
             reason=entry["reason"]))
    return EXIT_OK


def cmd_show(args) -> int:
    engine = _engine(args)
    key, number = _key(args, engine, args.number)
    entry = service.find(engine, key, number)
    print(_show(entry, service.revisions(engine, entry)))
    return EXIT_OK


def cmd_sent(args) -> int:
    engine = _engine(args)
    key, number = _key(args, engine, args.number)
    on = None
    if args.date:
        from ..thai.dates import DateParseError, parse_date
        try:
            on, _ = parse_date(args.date)
        except DateParseError:
            raise RegisterError("sent-date", value=str(args.date)[:40]) from None
    entry = service.mark_sent(engine, key, number, on, by=args.by)
    print(tr("sent {ref} (year {year}) on {date}", ref=entry["ref_text"], year=entry["year"],
             date=entry["sent_at"]))
    return EXIT_OK


def cmd_export(args) -> int:
    from . import export
    fmt = (args.format or "").lower()
    if fmt not in export.FORMATS:
        raise RegisterError("export-format", value=args.format)
    engine = _engine(args)
    q = _filters(args, engine)
    rows = service.entries(engine, query=q)
    span = (f"{q.month[0] + 543}-{q.month[1]:02d}" if q.month else q.year) or "all"
    target = Path(args.output) if args.output else Path(f"register-{span}.{fmt}")
    export.write(fmt, rows, target, title_year=q.year, query=q)
    print(tr("{count} row(s) → {path}", count=len(rows), path=str(target)))
    return EXIT_OK


# ---------------------------------------------------------------- parser

def _db_options(p) -> None:
    p.add_argument("--db", metavar="URL", help=tr("sqlite:///FILE or postgresql://… (default: "
                   "$DOCGEN_DATABASE_URL, the profile's register:, then docgen.toml; see docs/register.md)"))
    p.add_argument("--db-timeout", type=float, default=None, metavar="SECONDS",
                   help=tr("how long to wait for a locked register (default 30, $DOCGEN_DB_TIMEOUT)"))


def _number_options(p, year=True) -> None:
    p.add_argument("--series", help=tr("number series: normal (default), circular, or a type's own: "
                                       "order, announcement, stamped, certificate (or its Thai name)"))
    if year:
        p.add_argument("--year", help=tr("B.E. year (default: the current register year)"))
    p.add_argument("--prefix", help=tr("the agency's ref_prefix, as in its profile"))
    p.add_argument("--profile", metavar="FILE", help=tr("agency profile (its ref_prefix and year_start)"))


def _parser(sub, name: str, text: str):
    return sub.add_parser(name, help=text, description=text)


NUMBER_HELP = N_("the register number, e.g. 74 (a circular's: 74 with --series circular)")


def add_commands(sub) -> None:
    from ..cli import json_option
    p = _parser(sub, "issue", tr("take the next register number, render DOCX+PDF, record it"))
    p.add_argument("files", nargs="+", metavar="FILE", help=tr("letter files (.yaml, .yml or .json)"))
    p.add_argument("-o", "--output", metavar="DIR", help=tr("output folder (default: beside each input)"))
    p.add_argument("--format", default="pdf,docx", help=tr("pdf, docx or pdf,docx (default)"))
    p.add_argument("--new", action="store_true", help=tr("a new number even if this content was issued"))
    p.add_argument("--revise", metavar="NUMBER",
                   help=tr("a correction: re-render under this issued, unsent number (e.g. 74)"))
    p.add_argument("--reason", help=tr("why the letter is revised (kept with the revision)"))
    p.add_argument("--year", help=tr("with --revise: the number's B.E. register year (default: current)"))
    p.add_argument("--by", help=tr("who issues it (default: $USER)"))
    p.add_argument("--action", help=tr("the register's action column"))
    p.add_argument("--note", help=tr("the register's note column"))
    _db_options(p)
    json_option(p)
    p.set_defaults(func=cmd_issue)

    reg = _parser(sub, "register", tr("the outgoing register: init, list, reserve, cancel, show, sent, export"))
    rsub = reg.add_subparsers(dest="register_command", required=True, metavar="COMMAND",
                              title=tr("commands"))

    p = _parser(rsub, "init", tr("create or upgrade the register (idempotent); the only command that creates one"))
    p.add_argument("--prefix", help=tr("the agency ref_prefix this register serves, as in its profile"))
    p.add_argument("--profile", metavar="FILE", help=tr("the agency profile (its ref_prefix and register:)"))
    p.add_argument("--multi-agency", action="store_true",
                   help=tr("one register shared by several agencies (accepts every ref_prefix)"))
    _db_options(p)
    p.set_defaults(func=cmd_init)

    p = _parser(rsub, "list", tr("show the register as a table (filters: see docs/register.md)"))
    _number_options(p)
    _filter_options(p)
    _db_options(p)
    json_option(p)
    p.set_defaults(func=cmd_list)

    p = _parser(rsub, "reserve", tr("reserve N consecutive numbers (1–1000)"))
    p.add_argument("count", metavar="N", help=tr("how many numbers (1–1000)"))
    _number_options(p, year=False)
    p.add_argument("--reason", help=tr("why (printed in the note column)"))
    p.add_argument("--by", help=tr("who reserves (default: $USER)"))
    _db_options(p)
    p.set_defaults(func=cmd_reserve)

    p = _parser(rsub, "cancel", tr("cancel (burn) a number, or every number of a batch; never reused"))
    p.add_argument("number", metavar="NUMBER", nargs="?", help=tr(NUMBER_HELP))
    p.add_argument("--batch", metavar="ID", help=tr("cancel every number of this batch in one transaction"))
    p.add_argument("--reason", help=tr("why (required; printed in the note column)"))
    p.add_argument("--by", help=tr("who cancels (default: $USER)"))
    _number_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_cancel)

    p = _parser(rsub, "show", tr("every field of one register entry, with its revisions"))
    p.add_argument("number", metavar="NUMBER", help=tr(NUMBER_HELP))
    _number_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_show)

    p = _parser(rsub, "sent", tr("mark an issued letter as sent (then it can only be cancelled, not revised)"))
    p.add_argument("number", metavar="NUMBER", help=tr(NUMBER_HELP))
    p.add_argument("--date", help=tr("the day it was sent (default today, Asia/Bangkok); ISO or Thai"))
    p.add_argument("--by", help=tr("who sent it (default: $USER)"))
    _number_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_sent)

    p = _parser(rsub, "export", tr("the register as CSV, XLSX or the printed PDF"))
    p.add_argument("--format", required=True, help=tr("csv, xlsx or pdf"))
    p.add_argument("-o", "--output", metavar="FILE", help=tr("the file to write (default: register-<year>.<format>)"))
    _number_options(p)
    _filter_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_export)


def _filter_options(p) -> None:
    """The filters of ``register list`` and ``register export`` (docgen/register/query.py)."""
    p.add_argument("--from", dest="date_from", metavar="DATE",
                   help=tr("letter date on or after DATE: 2024-05-30, 30/5/2567 (B.E.) or a Thai date"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=tr("letter date on or before DATE (same forms)"))
    p.add_argument("--month", metavar="MONTH",
                   help=tr("letter date in this month: 2569-11 (B.E. year-month) or a Thai month and year"))
    p.add_argument("--to-agency", metavar="TEXT", help=tr("text in the recipient (the to column)"))
    p.add_argument("--status", metavar="STATUS",
                   help=tr("pending, issued, sent, reserved or cancelled (or the Thai word)"))
    p.add_argument("--type", metavar="TYPE", help=tr("document type: external, memo … (or its Thai name)"))
    p.add_argument("--search", metavar="TEXT", help=tr("a word in the subject, recipient, ref or agency "
                   "(found inside unsegmented Thai; Thai or Arabic digits)"))
