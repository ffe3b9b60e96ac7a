"""``docgen batch NOTICE --to RECIPIENTS [--mode letters|circular] [--jobs N] [-o DIR]``
(``--dry-run [--limit N]``: unnumbered drafts of the first rows, the register untouched)."""
from __future__ import annotations

import sys
from pathlib import Path

from .. import i18n
from ..errors import InputError
from ..i18n import N_, message, tag, tr


def row_line(sheet: str, row: int, text, who: str | None = None) -> str:
    """``sheet: แถว/row 6 (recipient): <problem>`` — the row's label in the chosen language(s)."""
    label = tag(N_("row")) + f" {row}" + (f" ({who})" if who is not None else "")
    return f"{sheet}: {label}: {text}"


def warning_line(w: dict) -> str:
    """A warning kept as a dict ({field, code, severity, th, en}) printed like a Problem."""
    return i18n.problem_line(w.get("severity", "warning"), w["field"], w)


def report_rows(summary, to: str, stream=None) -> None:
    """Every bad row of the sheet, in sheet order: row number, recipient, field, bilingual message.
    The placeholders with no column in the sheet come first, once."""
    stream = stream or sys.stderr
    if summary.missing:
        names = ", ".join("{{ recipient.%s }}" % n for n in sorted(summary.missing))
        print(f"{to}: {message('recipients-missing-columns', names=names)}", file=stream)
    lines = [(row, row_line(to, row, problem)) for row, problem in summary.bad_rows]
    lines += [(row, row_line(to, row, problem, who)) for row, who, problem in summary.row_problems]
    with_problems = {row for row, _, _ in summary.row_problems}
    lines += [(r["row"], row_line(to, r["row"], r["error"], r["recipient"]))
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
                    print(f"{source}: {warning_line(w)}", file=stream)
                continue
            print(row_line(to, r["row"], warning_line(w), r["recipient"]), file=stream)


def summary_dict(summary) -> dict:
    """A batch's result as JSON (docs/cli.md): counts, the rows with their problems, the bad
    rows of the sheet, the placeholders with no column, the files made."""
    problems: dict[int, list] = {}
    for row, _, p in summary.row_problems:
        problems.setdefault(row, []).append(p.to_dict())
    rows = [{**r, "problems": problems.get(r["row"], [])} for r in summary.rows]
    counts = {"ok": summary.ok, "failed": summary.failed, "reused": summary.reused,
              "bad_rows": len(summary.bad_rows), "warnings": summary.warnings,
              "letters_with_warnings": sum(1 for r in summary.rows if r.get("status") == "ok" and r.get("warnings"))}
    return {"batch_id": summary.batch_id, "out_dir": str(summary.out_dir), "counts": counts,
            "missing_columns": sorted(summary.missing),
            "bad_rows": [{"row": row, **p.to_dict()} for row, p in summary.bad_rows],
            "rows": rows, "previews": [str(p) for p in summary.previews], **summary.extra}


def check_against(args) -> int:
    """``check NOTICE --to SHEET``: the notice filled and validated for every row of the sheet,
    by the batch's own code (docgen.batch.run.check); each bad row reported."""
    from ..cli import EXIT_INVALID, EXIT_OK, print_problems, problem_dicts, report
    from . import run
    doc = report(args)
    files = doc.setdefault("files", []) if doc is not None else []
    bad = 0
    for name in args.files:
        try:
            summary = run.check(name, args.to, args.mode)
        except InputError as e:
            files.append({"file": name, "recipients": args.to, "ok": False, "problems": problem_dicts(e.problems)})
            if doc is None:
                print_problems(e.problems, e.source or name, sys.stdout)
            bad += 1
            continue
        n_bad = summary.failed + len(summary.bad_rows)
        bad += bool(n_bad)
        if doc is not None:
            result = summary_dict(summary)
            for key in ("out_dir", "previews", "batch_dir"):       # a check writes nothing
                result.pop(key, None)
            files.append({"file": name, "recipients": args.to, "ok": not n_bad, "problems": [], **result})
            continue
        report_rows(summary, args.to, sys.stdout)
        report_warnings(summary, args.to, name, sys.stdout)
        print(f"{name} + {args.to}: "
              + tr("good rows {good}, bad rows {bad}, warnings {warnings}",
                   good=summary.ok, bad=n_bad, warnings=summary.warnings))
    return EXIT_INVALID if bad else EXIT_OK


def _bad_count(summary) -> int:
    return summary.failed + len(summary.bad_rows)


def _preview(args, opts) -> int:
    from ..cli import print_problems, report
    from . import run
    doc = report(args)
    try:
        summary = run.preview(opts)
    except InputError as e:
        if doc is not None:
            raise                   # main(): the run's error, with the file and its problems
        print_problems(e.problems, e.source)
        return 1
    if doc is not None:
        doc.update(dry_run=True, notice=args.notice, recipients=args.to, mode=args.mode, **summary_dict(summary))
        return summary.exit_code
    report_rows(summary, args.to)
    report_warnings(summary, args.to, args.notice)
    rows_with = sum(1 for r in summary.rows if r["status"] == "ok" and r["warnings"])
    drafts = sum(1 for r in summary.rows if r["pdf"] or r["docx"]) + ("file_copy" in summary.extra)
    print(tr("dry run {batch}: good rows {good}, bad rows {bad}, warnings {warnings} (in {letters} letters); "
             "drafts {drafts} → {folder} (no number taken, register not used)",
             batch=summary.batch_id, good=summary.ok, bad=_bad_count(summary), warnings=summary.warnings,
             letters=rows_with, drafts=drafts, folder=str(summary.out_dir)))
    return summary.exit_code


def cmd_batch(args) -> int:
    from ..cli import UsageError, parse_formats, print_problems, report
    from . import run
    doc = report(args)
    if args.limit is not None and not args.dry_run:
        raise UsageError("limit-without-dry-run")
    opts = run.Options(notice=Path(args.notice), to=args.to, mode=args.mode, jobs=args.jobs,
                       out_dir=Path(args.output) if args.output else None,
                       formats=parse_formats(args.format), merge=args.merge, zip=args.zip,
                       by=args.by, db=args.db, dry_run=args.dry_run,
                       limit=run.PREVIEW_LIMIT if args.limit is None else args.limit,
                       progress=False if doc is not None else None)
    if args.dry_run:
        return _preview(args, opts)
    try:
        summary = run.run(opts)
    except InputError as e:
        if doc is not None:
            raise                   # main(): the run's error, with the file and its problems
        print_problems(e.problems, e.source)
        return 1
    if doc is not None:
        doc.update(dry_run=False, notice=args.notice, recipients=args.to, mode=args.mode, **summary_dict(summary))
        return summary.exit_code
    report_rows(summary, args.to)
    rows_with = sum(1 for r in summary.rows if r.get("warnings"))
    print(tr("batch {batch}: succeeded {ok} (already done {reused}), failed {failed}, warnings {warnings} "
             "(in {letters} letters; see manifest.csv) → {folder}",
             batch=summary.batch_id, ok=summary.ok, reused=summary.reused, failed=_bad_count(summary),
             warnings=summary.warnings, letters=rows_with, folder=str(summary.out_dir)))
    if "merged" in summary.extra:
        print(tr("one PDF of all letters: {path}", path=summary.extra["merged"]))
    if "zip" in summary.extra:
        print(tr("the batch folder as one .zip: {path}", path=summary.extra["zip"]))
    return summary.exit_code


def _limit(text: str) -> int:
    import argparse
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(tr("must be a whole number from 0 (got '{value}')", value=str(text)[:40]))
    return n


def add_commands(sub) -> None:
    from ..cli import json_option
    text = tr("one notice to many recipients: numbered, rendered, registered, resumable")
    p = sub.add_parser("batch", help=text, description=text)
    p.add_argument("notice", metavar="NOTICE",
                   help=tr("a letter file; its text may use {{{{ recipient.position }}}} etc."))
    p.add_argument("--to", required=True, metavar="RECIPIENTS",
                   help=tr("a .csv or .xlsx sheet, or group:ministries / group:provinces"))
    p.add_argument("--mode", choices=("letters", "circular"), default="letters",
                   help=tr("letters: a number per recipient; circular: one circular number for all "
                           "(default letters)"))
    p.add_argument("--jobs", type=int, default=None, metavar="N", help=tr("worker processes (default: all cores)"))
    p.add_argument("-o", "--output", metavar="DIR",
                   help=tr("the batch folder (default output/<notice>-<batch id>)"))
    p.add_argument("--format", default="pdf,docx", help=tr("pdf, docx or pdf,docx (default)"))
    p.add_argument("--merge", action="store_true", help=tr("also one print-ready PDF of all letters"))
    p.add_argument("--zip", action="store_true", help=tr("also one .zip of the batch folder"))
    p.add_argument("--db", metavar="URL", help=tr("register database (default $DOCGEN_DATABASE_URL, the profile's "
                                                  "register:, or docgen.toml; see docs/register.md)"))
    p.add_argument("--by", metavar="NAME", help=tr("who issues the batch (default $USER)"))
    p.add_argument("--dry-run", action="store_true",
                   help=tr("check every row and render unnumbered drafts of the first rows into the batch "
                           "folder's preview/; the register is not used (no number is taken)"))
    p.add_argument("--limit", type=_limit, default=None, metavar="N",
                   help=tr("with --dry-run: drafts of the first N good rows (default 5; 0: check only)"))
    json_option(p)
    p.set_defaults(func=cmd_batch)
