"""``docgen issue`` and ``docgen register init|list|reserve|cancel|show|export``.

Every failure is a bilingual message and a non-zero exit code, never a traceback.
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from ..errors import DocgenError, InputError
from ..thai.dates import format_date
from . import service, store
from .errors import RegisterError
from ..thai.dates import bangkok
from .keys import SeriesKey, normalize_series, parse_count, parse_number, parse_year, register_year

EXIT_OK, EXIT_FAIL = 0, 1
STATUS_TH = {"pending": "ค้าง/pending", "issued": "ออกแล้ว/issued", "sent": "ส่งแล้ว/sent",
             "reserved": "จอง/reserved", "cancelled": "ยกเลิก/cancelled"}


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


COLUMNS = (("เลขที่", 8), ("ที่", 22), ("ลงวันที่", 18), ("ถึง", 24), ("เรื่อง", 40),
           ("สถานะ", 16), ("หมายเหตุ", 30))


def table(rows: list[dict]) -> str:
    lines = [" ".join(fit(h, w) for h, w in COLUMNS).rstrip()]
    lines.append(" ".join("-" * w for _, w in COLUMNS))
    for e in rows:
        date = format_date(_date(e["letter_date"]), "arabic") if e.get("letter_date") else ""
        cells = (f"{e['year']} {service.label(e)}", e["ref_text"], date, e.get("recipient"),
                 e.get("subject"), STATUS_TH[state(e)], e.get("reason") or e.get("note"))
        lines.append(" ".join(fit(c, w) for c, (_, w) in zip(cells, COLUMNS)).rstrip())
    return "\n".join(lines)


def _date(iso: str):
    import datetime as dt
    return dt.date.fromisoformat(iso)


def _key(args, engine, number_text: str, letter=None) -> tuple[SeriesKey, int]:
    """NUMBER + --series/--year/--prefix/--profile (or the letter's profile) → (key, number)."""
    series_in_number, number = parse_number(number_text)
    given = getattr(args, "series", None)
    series = normalize_series(given) if given else (series_in_number or normalize_series(None))
    if given and series_in_number and series_in_number != series:
        raise RegisterError("series-unknown", value=f"{args.series} / {number_text}",
                            allowed=series_in_number)
    if letter is not None and not given and series_in_number is None:
        series = service.prepare(letter, bangkok().date()).series      # a circular's ว series
    prefix, year_start = service.resolve_prefix(engine, getattr(args, "prefix", None),
                                                getattr(args, "profile", None) or letter)
    year = parse_year(args.year) if getattr(args, "year", None) else register_year(bangkok(), year_start)
    return SeriesKey(prefix, series, year), number


def _show(entry: dict, revisions: list[dict] = ()) -> str:
    fields = [
        ("ที่", entry["ref_text"]), ("เลขทะเบียนส่ง", f"{service.label(entry)} (ปี {entry['year']})"),
        ("สถานะ", STATUS_TH[state(entry)]), ("ประเภท/type", entry.get("doctype")),
        ("ส่งเมื่อ/sent", " ".join(x for x in (entry.get("sent_at"), entry.get("sent_by")) if x)),
        ("ลงวันที่", format_date(_date(entry["letter_date"])) if entry.get("letter_date") else ""),
        ("จาก", entry.get("agency")), ("ถึง", entry.get("recipient")), ("เรื่อง", entry.get("subject")),
        ("การปฏิบัติ", entry.get("action")), ("หมายเหตุ", entry.get("note")),
        ("เหตุผล/reason", entry.get("reason")), ("ผู้ออก/by", entry.get("issued_by")),
        ("เวลา/at", entry.get("issued_at")), ("แก้ไข/updated", entry.get("updated_at")),
        ("ต้นฉบับ/source", entry.get("source")), ("content sha256", entry.get("content_hash")),
        ("batch", entry.get("batch_id")),
    ]
    for fmt, f in sorted(entry["files"].items()):
        fields.append((fmt, f"{f['path']}  sha256 {f['sha256']}"))
    lines = [f"{k}: {v}" for k, v in fields if v]
    if revisions:
        lines.append(f"ฉบับแก้ไข/revisions ({len(revisions)}):")
    for r in revisions:
        current = " ← ฉบับปัจจุบัน/current" if r["revision"] == entry.get("revision") else ""
        pending = " (ค้าง/pending)" if r["status"] == "pending" else ""
        lines.append(f"  r{r['revision']}{pending}{current}: {r['made_at']} {r.get('made_by') or ''}"
                     f"{' — ' + r['reason'] if r.get('reason') else ''}")
        lines.append(f"     content sha256 {r.get('content_hash') or ''}")
        for fmt, f in sorted(r["files"].items()):
            lines.append(f"     {fmt}: {f['path']}  sha256 {f['sha256']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- commands

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
    from ..cli import print_problems
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
        print_problems(e.problems, name)
        return 1
    except DocgenError as e:
        print(f"docgen: {name}: {e}", file=sys.stderr)
        return 1
    print_problems(result.warnings, name)
    e = result.entry
    verb = {"issued": "ออกเลข/issued", "resumed": "ทำต่อ/resumed",
            "existing": "ออกไปแล้ว/already issued", "revised": f"แก้ไข/revised r{e['revision']}",
            "unchanged": "ไม่มีการเปลี่ยนแปลง/unchanged"}[result.outcome]
    print(f"{name}: {verb} {e['ref_text']} (เลขทะเบียนส่ง {service.label(e)}/{e['year']})")
    for fmt, f in sorted(e["files"].items()):
        print(f"{name} → {f['path']}")
    return 0


def cmd_init(args) -> int:
    engine = _engine(args, create=True)
    prefix = None
    if args.prefix or args.profile:
        prefix, _ = service.resolve_prefix(engine, args.prefix, args.profile)
    version = store.init_schema(engine, service.stamp(), prefix=prefix, multi_agency=args.multi_agency)
    with store.transaction(engine, read=True) as conn:
        facts = store.get_info(conn)
    serves = ("หลายหน่วยงาน/multi-agency" if facts.get("multi_agency") == "1"
              else facts.get("prefix", "?"))
    print(f"ทะเบียนพร้อมใช้ / register ready: {store.shown(engine)} (schema {version}; "
          f"หน่วยงาน/agency {serves}; จาก/from {engine.docgen_source})")
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
    engine = _engine(args)
    rows = service.entries(engine, query=_filters(args, engine))
    print(table(rows))
    print(f"({len(rows)} รายการ / rows)")
    return EXIT_OK


def cmd_reserve(args) -> int:
    count = parse_count(args.count)
    series = normalize_series(args.series)
    engine = _engine(args)
    prefix, year_start = service.resolve_prefix(engine, args.prefix, args.profile)
    rows = service.reserve(engine, prefix, series, count, args.reason, by=args.by, year_start=year_start)
    first, last = rows[0], rows[-1]
    span = service.label(first) if count == 1 else f"{service.label(first)}–{last['number']}"
    print(f"จองเลข/reserved {span} ({prefix}, ปี {first['year']}): {first['ref_text']} … {last['ref_text']}")
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
            print(f"ยกเลิก/cancelled {entry['ref_text']} (ปี {entry['year']})")
        print(f"ชุด/batch {args.batch}: ยกเลิก {len(rows)} เลข / {len(rows)} numbers cancelled: {args.reason}")
        return EXIT_OK
    if not args.number:
        raise RegisterError("cancel-what")
    key, number = _key(args, engine, args.number)
    entry = service.cancel(engine, key, number, args.reason, by=args.by)
    print(f"ยกเลิก/cancelled {entry['ref_text']} (ปี {entry['year']}): {entry['reason']}")
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
    print(f"ส่งแล้ว/sent {entry['ref_text']} (ปี {entry['year']}) {entry['sent_at']}")
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
    print(f"{len(rows)} รายการ/rows → {target}")
    return EXIT_OK


# ---------------------------------------------------------------- parser

def _db_options(p) -> None:
    p.add_argument("--db", metavar="URL", help="sqlite:///FILE or postgresql://… (default: "
                   "$DOCGEN_DATABASE_URL, the profile's register:, then docgen.toml; see docs/register.md)")
    p.add_argument("--db-timeout", type=float, default=None, metavar="SECONDS",
                   help="how long to wait for a locked register (default 30, $DOCGEN_DB_TIMEOUT)")


def _number_options(p, year=True) -> None:
    p.add_argument("--series", help="ปกติ (default) or ว")
    if year:
        p.add_argument("--year", help="B.E. year (default: the current register year)")
    p.add_argument("--prefix", help="agency ref_prefix, e.g. 'นร 1200'")
    p.add_argument("--profile", metavar="FILE", help="agency profile (its ref_prefix and year_start)")


def add_commands(sub) -> None:
    p = sub.add_parser("issue", help="take the next register number, render DOCX+PDF, record it")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", metavar="DIR", help="output folder (default: beside each input)")
    p.add_argument("--format", default="pdf,docx", help="pdf, docx or pdf,docx (default)")
    p.add_argument("--new", action="store_true", help="a new number even if this content was issued")
    p.add_argument("--revise", metavar="NUMBER",
                   help="a correction: re-render under this issued, unsent number (74, ว 74)")
    p.add_argument("--reason", help="why the letter is revised (kept with the revision)")
    p.add_argument("--year", help="with --revise: the number's B.E. register year (default: current)")
    p.add_argument("--by", help="who issues it (default: $USER)")
    p.add_argument("--action", help="การปฏิบัติ column")
    p.add_argument("--note", help="หมายเหตุ column")
    _db_options(p)
    p.set_defaults(func=cmd_issue)

    reg = sub.add_parser("register", help="the outgoing register (ทะเบียนหนังสือส่ง)")
    rsub = reg.add_subparsers(dest="register_command", required=True, metavar="COMMAND")

    p = rsub.add_parser("init", help="create or upgrade the register (idempotent); the only command that creates one")
    p.add_argument("--prefix", help="the agency ref_prefix this register serves, e.g. 'นร 1200'")
    p.add_argument("--profile", metavar="FILE", help="the agency profile (its ref_prefix and register:)")
    p.add_argument("--multi-agency", action="store_true",
                   help="one register shared by several agencies (accepts every ref_prefix)")
    _db_options(p)
    p.set_defaults(func=cmd_init)

    p = rsub.add_parser("list", help="show the register as a table (filters: see docs/register.md)")
    _number_options(p)
    _filter_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_list)

    p = rsub.add_parser("reserve", help="จองเลข: reserve N consecutive numbers (1–1000)")
    p.add_argument("count", metavar="N")
    _number_options(p, year=False)
    p.add_argument("--reason", help="why (printed in หมายเหตุ)")
    p.add_argument("--by", help="who reserves (default: $USER)")
    _db_options(p)
    p.set_defaults(func=cmd_reserve)

    p = rsub.add_parser("cancel", help="cancel (burn) a number, or every number of a batch; never reused")
    p.add_argument("number", metavar="NUMBER", nargs="?", help="74, ว 74 or ว74")
    p.add_argument("--batch", metavar="ID", help="cancel every number of this batch in one transaction")
    p.add_argument("--reason", help="why (required; printed in หมายเหตุ)")
    p.add_argument("--by", help="who cancels (default: $USER)")
    _number_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_cancel)

    p = rsub.add_parser("show", help="every field of one register entry, with its revisions")
    p.add_argument("number", metavar="NUMBER", help="74, ว 74 or ว74")
    _number_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_show)

    p = rsub.add_parser("sent", help="mark an issued letter as sent (then it can only be cancelled, not revised)")
    p.add_argument("number", metavar="NUMBER", help="74, ว 74 or ว74")
    p.add_argument("--date", help="the day it was sent (default today, Asia/Bangkok); ISO or Thai")
    p.add_argument("--by", help="who sent it (default: $USER)")
    _number_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_sent)

    p = rsub.add_parser("export", help="the register as CSV, XLSX or the printed PDF")
    p.add_argument("--format", required=True, help="csv, xlsx or pdf")
    p.add_argument("-o", "--output", metavar="FILE")
    _number_options(p)
    _filter_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_export)


def _filter_options(p) -> None:
    """The filters of ``register list`` and ``register export`` (docgen/register/query.py)."""
    p.add_argument("--from", dest="date_from", metavar="DATE",
                   help="ลงวันที่ on or after DATE: 2024-05-30, '30 พฤษภาคม 2567', '30 พ.ค. 2567', 30/5/2567")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="ลงวันที่ on or before DATE (same forms)")
    p.add_argument("--month", metavar="MONTH", help="ลงวันที่ in this month: 2569-11 (B.E.) or 'พฤศจิกายน 2569'")
    p.add_argument("--to-agency", metavar="TEXT", help="text in the recipient (ถึง)")
    p.add_argument("--status", metavar="STATUS", help="pending/ค้าง, issued/ออกแล้ว, sent/ส่งแล้ว, "
                   "reserved/จอง or cancelled/ยกเลิก")
    p.add_argument("--type", metavar="TYPE", help="document type: external, memo … (or its Thai name)")
    p.add_argument("--search", metavar="TEXT", help="a word in the subject, recipient, ที่ or agency "
                   "(found inside unsegmented Thai; Thai or Arabic digits)")
