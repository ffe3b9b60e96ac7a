"""``docgen batch NOTICE --to RECIPIENTS [--mode letters|circular] [--jobs N] [-o DIR]``
(``--dry-run [--limit N]``: unnumbered drafts of the first rows, the register untouched)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..i18n import message


def report_rows(summary, to: str, stream=None) -> None:
    """Every bad row of the sheet, in sheet order: row number, recipient, field, bilingual message.
    The placeholders with no column in the sheet come first, once."""
    stream = stream or sys.stderr
    if summary.missing:
        names = ", ".join("{{ recipient.%s }}" % n for n in sorted(summary.missing))
        print(f"{to}: {message('recipients-missing-columns', names=names)}", file=stream)
    lines = [(row, f"{to}: แถว/row {row}: {problem}") for row, problem in summary.bad_rows]
    lines += [(row, f"{to}: แถว/row {row} ({who}): {problem}") for row, who, problem in summary.row_problems]
    with_problems = {row for row, _, _ in summary.row_problems}
    lines += [(r["row"], f"{to}: แถว/row {r['row']} ({r['recipient']}): {r['error']}")
              for r in summary.rows if r["status"] == "failed" and r["row"] not in with_problems]
    for _, line in sorted(lines, key=lambda x: x[0]):
        print(line, file=stream)


def report_warnings(summary, to: str, source: str, stream=None) -> None:
    """The good rows' warnings: those every row shares (the notice's own) once, under the
    notice's name; the others under their row."""
    stream = stream or sys.stderr
    rows = [r for r in summary.rows if r["status"] == "ok"]
    key = lambda w: (w["field"], w["code"], w["th"], w["en"])     # noqa: E731
    common = set.intersection(*({key(w) for w in r["warnings"]} for r in rows)) if rows else set()
    shown = set()
    for r in rows:
        for w in r["warnings"]:
            k = key(w)
            if k in common:
                if k not in shown:
                    shown.add(k)
                    print(f"{source}: คำเตือน/warning [{w['field']}] {w['th']} — {w['en']}", file=stream)
                continue
            print(f"{to}: แถว/row {r['row']} ({r['recipient']}): คำเตือน/warning [{w['field']}] "
                  f"{w['th']} — {w['en']}", file=stream)


def check_against(args) -> int:
    """``check NOTICE --to SHEET``: the notice filled and validated for every row of the sheet,
    by the batch's own code (docgen.batch.run.check); each bad row reported."""
    from ..cli import EXIT_INVALID, EXIT_OK, print_problems
    from . import run
    bad = 0
    for name in args.files:
        try:
            summary = run.check(name, args.to, args.mode)
        except InputError as e:
            print_problems(e.problems, e.source or name, sys.stdout)
            bad += 1
            continue
        report_rows(summary, args.to, sys.stdout)
        report_warnings(summary, args.to, name, sys.stdout)
        n_bad = summary.failed + len(summary.bad_rows)
        print(f"{name} + {args.to}: ผู้รับที่ใช้ได้/good rows {summary.ok}, มีปัญหา/bad rows {n_bad}, "
              f"คำเตือน/warnings {summary.warnings}")
        bad += bool(n_bad)
    return EXIT_INVALID if bad else EXIT_OK


def _bad_count(summary) -> int:
    return summary.failed + len(summary.bad_rows)


def _preview(args, opts) -> int:
    from . import run
    try:
        summary = run.preview(opts)
    except InputError as e:
        from ..cli import print_problems
        print_problems(e.problems, e.source)
        return 1
    report_rows(summary, args.to)
    report_warnings(summary, args.to, args.notice)
    rows_with = sum(1 for r in summary.rows if r["status"] == "ok" and r["warnings"])
    drafts = sum(1 for r in summary.rows if r["pdf"] or r["docx"]) + ("file_copy" in summary.extra)
    print(f"ร่าง/dry run {summary.batch_id}: ผู้รับที่ใช้ได้/good rows {summary.ok}, "
          f"มีปัญหา/bad rows {_bad_count(summary)}, คำเตือน/warnings {summary.warnings} "
          f"(ใน/in {rows_with} ฉบับ/letters); ร่าง/drafts {drafts} ฉบับ/letters → {summary.out_dir} "
          f"(ไม่ได้ออกเลข ไม่ได้ใช้ทะเบียน / no number taken, register not used)")
    return summary.exit_code


def cmd_batch(args) -> int:
    from ..cli import UsageError, parse_formats, print_problems
    from . import run
    if args.limit is not None and not args.dry_run:
        raise UsageError("--limit: ใช้คู่กับ --dry-run เท่านั้น / --limit goes with --dry-run only")
    opts = run.Options(notice=Path(args.notice), to=args.to, mode=args.mode, jobs=args.jobs,
                       out_dir=Path(args.output) if args.output else None,
                       formats=parse_formats(args.format), merge=args.merge, zip=args.zip,
                       by=args.by, db=args.db, dry_run=args.dry_run,
                       limit=run.PREVIEW_LIMIT if args.limit is None else args.limit)
    if args.dry_run:
        return _preview(args, opts)
    try:
        summary = run.run(opts)
    except InputError as e:
        print_problems(e.problems, e.source)
        return 1
    report_rows(summary, args.to)
    rows_with = sum(1 for r in summary.rows if r.get("warnings"))
    print(f"ชุด/batch {summary.batch_id}: สำเร็จ/succeeded {summary.ok} "
          f"(ทำไว้แล้ว/already done {summary.reused}), ไม่สำเร็จ/failed {_bad_count(summary)}, "
          f"คำเตือน/warnings {summary.warnings} (ใน/in {rows_with} ฉบับ/letters; see manifest.csv) "
          f"→ {summary.out_dir}")
    for key in ("merged", "zip"):
        if key in summary.extra:
            print(f"{key}: {summary.extra[key]}")
    return summary.exit_code


def _limit(text: str) -> int:
    import argparse
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"ต้องเป็นจำนวนเต็มตั้งแต่ 0 / must be a whole number from 0 (got {text!r})")
    return n


def add_commands(sub) -> None:
    p = sub.add_parser("batch", help="one notice to many recipients: numbered, rendered, registered, resumable")
    p.add_argument("notice", metavar="NOTICE", help="a letter file; its text may use {{ recipient.position }} etc.")
    p.add_argument("--to", required=True, metavar="RECIPIENTS",
                   help="a .csv or .xlsx sheet, or group:ministries / group:provinces")
    p.add_argument("--mode", choices=("letters", "circular"), default="letters",
                   help="letters: a number per recipient; circular: one ว number for all (default letters)")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("-o", "--output", metavar="DIR", help="the batch folder (default output/<notice>-<batch id>)")
    p.add_argument("--format", default="pdf,docx")
    p.add_argument("--merge", action="store_true", help="also one print-ready PDF of all letters")
    p.add_argument("--zip", action="store_true", help="also one .zip of the batch folder")
    p.add_argument("--db", metavar="URL", help="register database (default $DOCGEN_DATABASE_URL, the profile's "
                                               "register:, or docgen.toml; see docs/register.md)")
    p.add_argument("--by", metavar="NAME", help="who issues the batch (default $USER)")
    p.add_argument("--dry-run", action="store_true",
                   help="check every row and render unnumbered drafts of the first rows into the batch "
                        "folder's preview/; the register is not used (no number is taken)")
    p.add_argument("--limit", type=_limit, default=None, metavar="N",
                   help="with --dry-run: drafts of the first N good rows (default 5; 0: check only)")
    p.set_defaults(func=cmd_batch)
