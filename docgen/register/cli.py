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
STATUS_TH = {"pending": "ค้าง/pending", "issued": "ออกแล้ว/issued",
             "reserved": "จอง/reserved", "cancelled": "ยกเลิก/cancelled"}
SEARCH_LIMIT = 200


# ---------------------------------------------------------------- helpers

def _engine(args):
    return store.make_engine(args.db, timeout=args.db_timeout)


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
                 e.get("subject"), STATUS_TH[e["status"]], e.get("reason") or e.get("note"))
        lines.append(" ".join(fit(c, w) for c, (_, w) in zip(cells, COLUMNS)).rstrip())
    return "\n".join(lines)


def _date(iso: str):
    import datetime as dt
    return dt.date.fromisoformat(iso)


def _key(args, engine, number_text: str) -> tuple[SeriesKey, int]:
    """NUMBER + --series/--year/--prefix/--profile → (key, number)."""
    series_in_number, number = parse_number(number_text)
    series = normalize_series(args.series) if args.series else (series_in_number or normalize_series(None))
    if args.series and series_in_number and series_in_number != series:
        raise RegisterError("series-unknown", value=f"{args.series} / {number_text}",
                            allowed=series_in_number)
    prefix, year_start = service.resolve_prefix(engine, args.prefix, args.profile)
    year = parse_year(args.year) if args.year else register_year(bangkok(), year_start)
    return SeriesKey(prefix, series, year), number


def _show(entry: dict) -> str:
    fields = [
        ("ที่", entry["ref_text"]), ("เลขทะเบียนส่ง", f"{service.label(entry)} (ปี {entry['year']})"),
        ("สถานะ", STATUS_TH[entry["status"]]),
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
    return "\n".join(f"{k}: {v}" for k, v in fields if v)


# ---------------------------------------------------------------- commands

def cmd_issue(args) -> int:
    from ..cli import parse_formats, print_problems
    formats = parse_formats(args.format)
    engine = _engine(args)
    failed = 0
    for name in args.files:
        try:
            result = service.issue(engine, name, args.output, formats, by=args.by, new=args.new,
                                   action=args.action, note=args.note)
        except InputError as e:
            print_problems(e.problems, name)
            failed += 1
            continue
        except DocgenError as e:
            print(f"docgen: {name}: {e}", file=sys.stderr)
            failed += 1
            continue
        print_problems(result.warnings, name)
        e = result.entry
        verb = {"issued": "ออกเลข/issued", "resumed": "ทำต่อ/resumed",
                "existing": "ออกไปแล้ว/already issued"}[result.outcome]
        print(f"{name}: {verb} {e['ref_text']} (เลขทะเบียนส่ง {service.label(e)}/{e['year']})")
        for fmt, f in sorted(e["files"].items()):
            print(f"{name} → {f['path']}")
    return EXIT_FAIL if failed else EXIT_OK


def cmd_init(args) -> int:
    engine = _engine(args)
    version = store.init_schema(engine, service.stamp())
    print(f"ทะเบียนพร้อมใช้ / register ready: {store.shown(engine)} (schema {version})")
    return EXIT_OK


def _filters(args, engine) -> dict:
    search = " ".join((args.search or "").split()) or None
    if search and len(search) > SEARCH_LIMIT:
        raise RegisterError("search-long", length=len(search), limit=SEARCH_LIMIT)
    prefix = None
    if args.prefix or args.profile:
        prefix, _ = service.resolve_prefix(engine, args.prefix, args.profile)
    return dict(year=parse_year(args.year) if args.year else None,
                series=normalize_series(args.series) if args.series else None,
                search=search, prefix=prefix, status=args.status)


def cmd_list(args) -> int:
    engine = _engine(args)
    rows = service.entries(engine, **_filters(args, engine))
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
    key, number = _key(args, engine, args.number)
    entry = service.cancel(engine, key, number, args.reason, by=args.by)
    print(f"ยกเลิก/cancelled {entry['ref_text']} (ปี {entry['year']}): {entry['reason']}")
    return EXIT_OK


def cmd_show(args) -> int:
    engine = _engine(args)
    key, number = _key(args, engine, args.number)
    print(_show(service.find(engine, key, number)))
    return EXIT_OK


def cmd_export(args) -> int:
    from . import export
    fmt = (args.format or "").lower()
    if fmt not in export.FORMATS:
        raise RegisterError("export-format", value=args.format)
    engine = _engine(args)
    filters = _filters(args, engine)
    rows = service.entries(engine, **filters)
    target = Path(args.output) if args.output else Path(f"register-{filters['year'] or 'all'}.{fmt}")
    export.write(fmt, rows, target, title_year=filters["year"])
    print(f"{len(rows)} รายการ/rows → {target}")
    return EXIT_OK


# ---------------------------------------------------------------- parser

def _db_options(p) -> None:
    p.add_argument("--db", metavar="URL", help="sqlite:///FILE or postgresql://… "
                   "(default: $DOCGEN_DATABASE_URL, else sqlite:///docgen.db)")
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
    p.add_argument("--by", help="who issues it (default: $USER)")
    p.add_argument("--action", help="การปฏิบัติ column")
    p.add_argument("--note", help="หมายเหตุ column")
    _db_options(p)
    p.set_defaults(func=cmd_issue)

    reg = sub.add_parser("register", help="the outgoing register (ทะเบียนหนังสือส่ง)")
    rsub = reg.add_subparsers(dest="register_command", required=True, metavar="COMMAND")

    p = rsub.add_parser("init", help="create or upgrade the register (idempotent)")
    _db_options(p)
    p.set_defaults(func=cmd_init)

    p = rsub.add_parser("list", help="show the register as a table")
    _number_options(p)
    p.add_argument("--search", metavar="TEXT", help="text in the subject, recipient or ที่")
    p.add_argument("--status", choices=store.STATUSES)
    _db_options(p)
    p.set_defaults(func=cmd_list)

    p = rsub.add_parser("reserve", help="จองเลข: reserve N consecutive numbers (1–1000)")
    p.add_argument("count", metavar="N")
    _number_options(p, year=False)
    p.add_argument("--reason", help="why (printed in หมายเหตุ)")
    p.add_argument("--by", help="who reserves (default: $USER)")
    _db_options(p)
    p.set_defaults(func=cmd_reserve)

    p = rsub.add_parser("cancel", help="cancel (burn) a number; it is never reused")
    p.add_argument("number", metavar="NUMBER", help="74, ว 74 or ว74")
    p.add_argument("--reason", help="why (required; printed in หมายเหตุ)")
    p.add_argument("--by", help="who cancels (default: $USER)")
    _number_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_cancel)

    p = rsub.add_parser("show", help="every field of one register entry")
    p.add_argument("number", metavar="NUMBER", help="74, ว 74 or ว74")
    _number_options(p)
    _db_options(p)
    p.set_defaults(func=cmd_show)

    p = rsub.add_parser("export", help="the register as CSV, XLSX or the printed PDF")
    p.add_argument("--format", required=True, help="csv, xlsx or pdf")
    p.add_argument("-o", "--output", metavar="FILE")
    _number_options(p)
    p.add_argument("--search", metavar="TEXT")
    p.add_argument("--status", choices=store.STATUSES)
    _db_options(p)
    p.set_defaults(func=cmd_export)
