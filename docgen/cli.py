"""Command line: ``docgen render|check|demo`` (+ commands contributed by other modules).

Exit codes: 0 success, 1 invalid input (the message names the field), 2 usage error.
Other modules add commands by exposing ``add_commands(subparsers)``; list them in
``COMMAND_MODULES``.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from .errors import DocgenError, InputError, MessageError, Problem, os_error

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
COMMAND_MODULES: list[str] = []      # e.g. "docgen.register.cli" — each has add_commands(sub)
COMMAND_MODULES.append("docgen.register.cli")
COMMAND_MODULES.append("docgen.batch.cli")


class UsageError(DocgenError):
    """Wrong command-line use (exit code 2)."""


def parse_formats(text: str) -> tuple[str, ...]:
    fmts = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in fmts if f not in ("pdf", "docx")]
    if bad or not fmts:
        raise UsageError(f"--format: ใช้ pdf, docx หรือ pdf,docx / use pdf, docx or pdf,docx (got {text!r})")
    return fmts


def print_problems(problems: list[Problem], source: str = "", stream=None) -> None:
    from .thai.text import shown
    stream = stream or sys.stderr
    prefix = f"{shown(str(source), 400)}: " if source else ""     # a file name is user text too
    for p in problems:
        print(f"{prefix}{p}", file=stream)


def _output_dir(arg: str | None, default: Path) -> Path:
    return Path(arg) if arg else default


def check_collisions(files, output: str | None, formats) -> None:
    """Two inputs that would write the same output file: an error before anything is written
    (``a/letter.yaml b/letter.yaml -o out``)."""
    from .output import safe_stem
    seen: dict[Path, str] = {}
    for name in files:
        src = Path(name)
        for fmt in formats:
            # abspath, not resolve(): a name that cannot be encoded (a lone surrogate from an API
            # caller) is reported by the read that follows, not crashed on here
            target = Path(os.path.abspath(_output_dir(output, src.parent) / f"{safe_stem(src.name)}.{fmt}"))
            if target in seen and os.path.abspath(seen[target]) != os.path.abspath(src):
                raise MessageError("output-collision", a=seen[target], b=name, path=str(target))
            seen[target] = name


def _register_warning(src: Path, result) -> list[Problem]:
    """A numbered draft whose number is in the configured register as another letter."""
    if result.composed.number is None:
        return []
    try:
        from .register import service, store
        location = service.locate(None, letter=src)
        engine = store.make_engine(location, timeout=2)
        try:
            store.require_register(engine)
            p = service.prepare(src, result.composed.date)
            found = service.registered_mismatch(engine, p, result.composed.number)
        finally:
            engine.dispose()
    except DocgenError:          # no register configured or reachable: nothing to compare with
        return []
    return [found] if found else []


def cmd_render(args) -> int:
    from . import api
    from .batch.placeholders import hinted
    formats = parse_formats(args.format)
    check_collisions(args.files, args.output, formats)
    failed = 0
    for name in args.files:
        src = Path(name)
        refused = hinted(src, [])          # a batch notice: `to:` is a {{ recipient.… }} placeholder
        if refused:
            print_problems(refused, name)
            failed += 1
            continue
        try:
            result = api.render_file(src, _output_dir(args.output, src.parent), formats)
            result.problems.items.extend(_register_warning(src, result))
        except InputError as e:
            print_problems(hinted(src, e.problems), name)      # no `to:`: maybe a batch notice
            failed += 1
            continue
        except (DocgenError, OSError) as e:     # one bad file does not stop the others
            print(f"{name}: {os_error(e) if isinstance(e, OSError) else e}", file=sys.stderr)
            failed += 1
            continue
        except Exception as e:                  # a bug of ours: this file fails (nothing written), not the rest
            if os.environ.get("DOCGEN_DEBUG"):
                raise
            print(f"{name}: {internal_error(e)}", file=sys.stderr)
            failed += 1
            continue
        print_problems(result.problems.warnings, name)
        for fmt, path in result.paths.items():
            print(f"{name} → {path}")
    return EXIT_INVALID if failed else EXIT_OK


def cmd_check(args) -> int:
    from . import api
    from .batch.placeholders import hinted
    if args.to:                                     # every row of a recipient sheet, as the batch checks it
        from .batch.cli import check_against
        return check_against(args)
    bad = 0
    for name in args.files:
        items = hinted(name, api.check(name).items)    # a batch notice checked alone: say --to SHEET
        print_problems(items, name, sys.stdout)
        errors = [p for p in items if p.severity == "error"]
        warnings = len(items) - len(errors)
        if errors:
            bad += 1
        elif not warnings:
            print(f"{name}: ถูกต้อง / OK")
        else:
            print(f"{name}: ใช้ได้ มีคำเตือน {warnings} รายการ / OK with {warnings} warning(s)")
    return EXIT_INVALID if bad else EXIT_OK


def cmd_demo(args) -> int:
    from . import api
    out = _output_dir(args.output, Path("output"))
    from .data import EXAMPLES_DIR
    examples = sorted(EXAMPLES_DIR.glob("*.yaml"))
    for src in examples:
        result = api.render_file(src, out, parse_formats(args.format))
        for path in result.paths.values():
            print(f"{src.name} → {path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docgen", description="หนังสือราชการ → DOCX + PDF/A (Thai official correspondence)")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"docgen {__version__}",
                        help="รุ่นของโปรแกรม / show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("render", help="render letter files to PDF and DOCX (drafts; never touches the register)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", metavar="DIR", help="output folder (default: beside each input)")
    p.add_argument("--format", default="pdf,docx", help="pdf, docx or pdf,docx (default)")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("check", help="report every error and doubtful value, in Thai and English")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--to", metavar="RECIPIENTS",
                   help="a batch notice: check it for every row of this .csv/.xlsx sheet or group:NAME")
    p.add_argument("--mode", choices=("letters", "circular"), default="letters",
                   help="with --to: the batch mode to check for (default letters)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("demo", help="render the bundled examples into output/")
    p.add_argument("-o", "--output", metavar="DIR", help="output folder (default: output)")
    p.add_argument("--format", default="pdf,docx")
    p.set_defaults(func=cmd_demo)

    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    for name in TIMED_COMMANDS:                     # the render time budget (issue 13)
        if name in sub.choices:
            sub.choices[name].add_argument(
                "--timeout", type=_seconds, default=None, metavar="SECONDS",
                help="stop a letter's render after this many seconds (default: $DOCGEN_RENDER_SECONDS "
                     "or data/limits.yaml render.seconds, 60)")
    return parser


TIMED_COMMANDS = ("render", "issue", "batch")


def _seconds(text: str) -> float:
    from .render import parse_seconds
    try:
        return parse_seconds(text, "--timeout")
    except MessageError as e:
        raise argparse.ArgumentTypeError(str(e).replace("--timeout: ", "")) from None


def internal_error(e: BaseException) -> str:
    return (f"ข้อผิดพลาดภายใน โปรดแจ้งผู้ดูแล / internal error, please report: "
            f"{type(e).__name__}: {' '.join(str(e).split())[:300]}")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:          # argparse: --help (0) or usage error (2)
        return int(e.code or 0)
    from . import render
    timeout = getattr(args, "timeout", None)
    previous = render.set_budget(timeout) if timeout is not None else None
    try:
        if args.command in TIMED_COMMANDS:
            render.budget_seconds()         # a bad $DOCGEN_RENDER_SECONDS: one message, before any work
        return args.func(args)
    except UsageError as e:
        print(f"docgen: {e}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as e:
        print_problems(e.problems, e.source)
        return EXIT_INVALID
    except DocgenError as e:
        print(f"docgen: {e}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as e:
        print(f"docgen: {os_error(e)}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("docgen: interrupted / ยกเลิก", file=sys.stderr)
        return 130
    except Exception as e:      # a bug of ours: say so plainly, never a raw traceback
        print(f"docgen: {internal_error(e)}", file=sys.stderr)
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        return EXIT_INVALID
    finally:
        if timeout is not None:
            render.set_budget(previous)
