"""``docgen batch NOTICE --to RECIPIENTS [--mode letters|circular] [--jobs N] [-o DIR]``."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError


def cmd_batch(args) -> int:
    from ..cli import parse_formats, print_problems
    from . import run
    opts = run.Options(notice=Path(args.notice), to=args.to, mode=args.mode, jobs=args.jobs,
                       out_dir=Path(args.output) if args.output else None,
                       formats=parse_formats(args.format), merge=args.merge, zip=args.zip,
                       by=args.by, db=args.db)
    try:
        summary = run.run(opts)
    except InputError as e:
        print_problems(e.problems, e.source)
        return 1
    for row, problem in summary.bad_rows:
        print(f"{args.to}: แถว/row {row}: {problem}", file=sys.stderr)
    for r in summary.rows:
        if r["status"] == "failed":
            print(f"{args.to}: แถว/row {r['row']} ({r['recipient']}): {r['error']}", file=sys.stderr)
    failed = summary.failed + len(summary.bad_rows)
    print(f"ชุด/batch {summary.batch_id}: สำเร็จ/succeeded {summary.ok} "
          f"(ทำไว้แล้ว/already done {summary.reused}), ไม่สำเร็จ/failed {failed} → {summary.out_dir}")
    for key in ("merged", "zip"):
        if key in summary.extra:
            print(f"{key}: {summary.extra[key]}")
    return summary.exit_code


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
    p.add_argument("--db", metavar="URL", help="register database (default $DOCGEN_DATABASE_URL or sqlite:///docgen.db)")
    p.add_argument("--by", metavar="NAME", help="who issues the batch (default $USER)")
    p.set_defaults(func=cmd_batch)
