"""Command line: ``docgen render|check|demo`` (+ commands contributed by other modules).

Exit codes: 0 success, 1 invalid input (the message names the field), 2 usage error.
Other modules add commands by exposing ``add_commands(subparsers)``; list them in
``COMMAND_MODULES``.

Every word shown is a catalog entry (docgen/i18n.py): ``--lang th|en|both`` (before or after
the command; default ``$DOCGEN_LANG``, then the locale, else both) chooses the language of the
messages and of ``--help``.  ``--json`` (check, render, issue, batch, register list) prints one
JSON document on stdout instead of the text (docs/cli.md); the exit codes stay the same.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
from pathlib import Path

from . import i18n
from .errors import DocgenError, InputError, MessageError, Problem, os_error
from .i18n import tr

PROG = "docgen"
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
COMMAND_MODULES: list[str] = []      # e.g. "docgen.register.cli" — each has add_commands(sub)
COMMAND_MODULES.append("docgen.register.cli")
COMMAND_MODULES.append("docgen.batch.cli")
LANG_OPTION, JSON_OPTION = "--lang", "--json"


class UsageError(MessageError):
    """Wrong command-line use (exit code 2): a coded message (docgen/messages.py)."""


def parse_formats(text: str) -> tuple[str, ...]:
    fmts = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in fmts if f not in ("pdf", "docx")]
    if bad or not fmts:
        raise UsageError("format-choice", value=str(text)[:40])
    return fmts


def print_problems(problems: list[Problem], source: str = "", stream=None) -> None:
    from .thai.text import shown
    stream = stream or sys.stderr
    prefix = f"{shown(str(source), 400)}: " if source else ""     # a file name is user text too
    for p in problems:
        print(f"{prefix}{p}", file=stream)


# ---- --json ---------------------------------------------------------------------------------

def report(args) -> dict | None:
    """The JSON document of this run (``--json``), or None when the text is printed."""
    return getattr(args, "report", None)


def problem_dicts(problems) -> list[dict]:
    return [p.to_dict() for p in problems]


def error_dict(e: BaseException) -> dict:
    """An error of a whole file or run as JSON: {code, th, en} (a coded message)."""
    if isinstance(e, OSError):
        e = os_error(e)
    if isinstance(e, MessageError):
        return {"code": e.code, "th": e.th, "en": e.en}
    if isinstance(e, InputError) and e.problems:
        first = (e.problems and [p for p in e.problems if p.severity == "error"] or e.problems)[0]
        return {"code": first.code, "th": first.th, "en": first.en, "field": first.field}
    if isinstance(e, DocgenError):
        with i18n.use("th"):
            th = str(e)
        with i18n.use("en"):
            en = str(e)
        return {"code": None, "th": th, "en": en}
    detail = internal_detail(e)
    return {"code": "internal-error", "th": i18n.text("internal-error", "th", detail=detail),
            "en": i18n.text("internal-error", "en", detail=detail)}


def write_json(doc: dict, stream) -> None:
    """One JSON document, UTF-8 whatever the stream's encoding."""
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    buffer = getattr(stream, "buffer", None)
    if encoding != "utf8" and buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)
        stream.flush()


# ---- commands -------------------------------------------------------------------------------

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
    doc = report(args)
    files = doc.setdefault("files", []) if doc is not None else []
    failed = 0
    for name in args.files:
        src = Path(name)
        item = {"file": name, "ok": False, "outputs": {}, "problems": []}
        files.append(item)
        refused = hinted(src, [])          # a batch notice: `to:` is a {{ recipient.… }} placeholder
        if refused:
            item["problems"] = problem_dicts(refused)
            if doc is None:
                print_problems(refused, name)
            failed += 1
            continue
        try:
            result = api.render_file(src, _output_dir(args.output, src.parent), formats)
            result.problems.items.extend(_register_warning(src, result))
        except InputError as e:
            problems = hinted(src, e.problems)          # no `to:`: maybe a batch notice
            item["problems"] = problem_dicts(problems)
            if doc is None:
                print_problems(problems, name)
            failed += 1
            continue
        except (DocgenError, OSError) as e:     # one bad file does not stop the others
            item["error"] = error_dict(e)
            if doc is None:
                print(f"{name}: {os_error(e) if isinstance(e, OSError) else e}", file=sys.stderr)
            failed += 1
            continue
        except Exception as e:                  # a bug of ours: this file fails (nothing written), not the rest
            if os.environ.get("DOCGEN_DEBUG"):
                raise
            item["error"] = error_dict(e)
            if doc is None:
                print(f"{name}: {internal_error(e)}", file=sys.stderr)
            failed += 1
            continue
        item.update(ok=True, outputs={fmt: str(path) for fmt, path in result.paths.items()},
                    problems=problem_dicts(result.problems.warnings))
        if doc is None:
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
    doc = report(args)
    files = doc.setdefault("files", []) if doc is not None else []
    bad = 0
    for name in args.files:
        items = hinted(name, api.check(name).items)    # a batch notice checked alone: say --to SHEET
        errors = [p for p in items if p.severity == "error"]
        warnings = len(items) - len(errors)
        files.append({"file": name, "ok": not errors, "errors": len(errors), "warnings": warnings,
                      "problems": problem_dicts(items)})
        if errors:
            bad += 1
        if doc is not None:
            continue
        print_problems(items, name, sys.stdout)
        if errors:
            continue
        if not warnings:
            print(f"{name}: " + tr("OK"))
        else:
            print(f"{name}: " + tr("OK with {count} warning(s)", count=warnings))
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


# ---- the parser -----------------------------------------------------------------------------

class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with the usage line's own word in the chosen language(s)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:
            prefix = tr("usage") + ": "
        super().add_usage(usage, actions, groups, prefix)


class CommandLineError(Exception):
    """argparse found the command line wrong: ``main`` reports it (text or JSON), exit 2."""

    def __init__(self, parser: argparse.ArgumentParser, detail: str):
        super().__init__(detail)
        self.parser, self.detail = parser, detail


class Parser(argparse.ArgumentParser):
    """Every docgen command's parser: its headings, ``-h/--help`` and ``--lang`` in the chosen
    language(s); a wrong command line raises ``CommandLineError`` instead of exiting."""

    def __init__(self, *args, **kw):
        kw.setdefault("formatter_class", HelpFormatter)
        kw["add_help"] = False
        super().__init__(*args, **kw)
        self._positionals.title = tr("positional arguments")
        self._optionals.title = tr("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=tr("show this help message and exit"))
        self.add_argument(LANG_OPTION, choices=i18n.CHOICES, default=argparse.SUPPRESS,
                          help=tr("language of the messages and of this help: th, en or both "
                                  "(default: $DOCGEN_LANG, then $LANG; otherwise both)"))

    def error(self, message):
        raise CommandLineError(self, message)


def json_option(p) -> None:
    p.add_argument(JSON_OPTION, action="store_true",
                   help=tr("print the result as one JSON document on stdout (see docs/cli.md)"))


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description=tr("Thai official letters → DOCX + PDF/A"))
    from . import __version__
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help=tr("show the version and exit"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                title=tr("commands"))

    text = tr("render letter files to PDF and DOCX (drafts; never touches the register)")
    p = sub.add_parser("render", help=text, description=text)
    p.add_argument("files", nargs="+", metavar="FILE", help=tr("letter files (.yaml, .yml or .json)"))
    p.add_argument("-o", "--output", metavar="DIR", help=tr("output folder (default: beside each input)"))
    p.add_argument("--format", default="pdf,docx", help=tr("pdf, docx or pdf,docx (default)"))
    json_option(p)
    p.set_defaults(func=cmd_render)

    text = tr("report every error and doubtful value of letter files, naming the field")
    p = sub.add_parser("check", help=text, description=text)
    p.add_argument("files", nargs="+", metavar="FILE", help=tr("letter files (.yaml, .yml or .json)"))
    p.add_argument("--to", metavar="RECIPIENTS",
                   help=tr("a batch notice: check it for every row of this .csv/.xlsx sheet or group:NAME"))
    p.add_argument("--mode", choices=("letters", "circular"), default="letters",
                   help=tr("with --to: the batch mode to check for (default letters)"))
    json_option(p)
    p.set_defaults(func=cmd_check)

    text = tr("render the bundled examples into output/")
    p = sub.add_parser("demo", help=text, description=text)
    p.add_argument("-o", "--output", metavar="DIR", help=tr("output folder (default: output)"))
    p.add_argument("--format", default="pdf,docx", help=tr("pdf, docx or pdf,docx (default)"))
    p.set_defaults(func=cmd_demo)

    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    for name in TIMED_COMMANDS:                     # the render time budget (issue 13)
        if name in sub.choices:
            sub.choices[name].add_argument(
                "--timeout", type=_seconds, default=None, metavar="SECONDS",
                help=tr("stop a letter's render after this many seconds (default: $DOCGEN_RENDER_SECONDS "
                        "or data/limits.yaml render.seconds, 60)"))
    return parser


TIMED_COMMANDS = ("render", "issue", "batch")


def _seconds(text: str) -> float:
    from .render import parse_seconds
    try:
        return parse_seconds(text, "--timeout")
    except MessageError as e:
        detail = str(e).replace("--timeout: ", "")      # argparse names the option itself
        raise argparse.ArgumentTypeError(detail) from None


def internal_detail(e: BaseException) -> str:
    return f"{type(e).__name__}: {' '.join(str(e).split())[:300]}"


def internal_error(e: BaseException) -> str:
    return i18n.message("internal-error", detail=internal_detail(e))


def command_name(args) -> str:
    return " ".join(x for x in (getattr(args, "command", None), getattr(args, "register_command", None)) if x)


def _scan(argv: list[str]) -> tuple[str | None, bool]:
    """``--lang`` and ``--json`` as given anywhere before ``--``, read before the parser is
    built (so that ``--help`` is already in the chosen language)."""
    lang, as_json = None, False
    args = iter(argv)
    for token in args:
        if token == "--":
            break
        if token == LANG_OPTION:
            lang = next(args, None)
        elif token.startswith(LANG_OPTION + "="):
            lang = token.split("=", 1)[1]
        elif token == JSON_OPTION:
            as_json = True
    return (lang if lang in i18n.CHOICES else None), as_json


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    lang, as_json = _scan(argv)
    with i18n.use(lang or i18n.language()):      # the previous language is back on return
        return _main(argv, as_json)


def _main(argv: list[str], as_json: bool) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:          # argparse: --help or --version (0)
        return int(e.code or 0)
    except CommandLineError as e:
        error = MessageError("usage-error", detail=e.detail)
        if as_json:
            write_json({"command": " ".join(e.parser.prog.split()[1:]), "ok": False,
                        "exit_code": EXIT_USAGE, "error": error_dict(error)}, sys.stdout)
        else:
            e.parser.print_usage(sys.stderr)
            print(f"{e.parser.prog}: {error}", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "lang", None):
        i18n.set_language(args.lang)
    args.report = {"command": command_name(args)} if getattr(args, "json", False) else None
    if args.report is None:
        return _run(args)
    stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):     # nothing but the JSON document on stdout
        code = _run(args)
    doc = {"command": args.report.pop("command"), "ok": code == EXIT_OK, "exit_code": code, **args.report}
    write_json(doc, stdout)
    return code


def _run(args) -> int:
    from . import render
    doc = report(args)
    timeout = getattr(args, "timeout", None)
    previous = render.set_budget(timeout) if timeout is not None else None

    def failed(e: BaseException, text: str, code: int) -> int:
        if doc is not None:
            doc["error"] = error_dict(e)
            if isinstance(e, InputError):
                doc["problems"] = problem_dicts(e.problems)
                doc["file"] = e.source
        else:
            print(text, file=sys.stderr)
        return code

    try:
        if args.command in TIMED_COMMANDS:
            render.budget_seconds()         # a bad $DOCGEN_RENDER_SECONDS: one message, before any work
        return args.func(args)
    except UsageError as e:
        return failed(e, f"{PROG}: {e}", EXIT_USAGE)
    except InputError as e:
        if doc is None:
            print_problems(e.problems, e.source)
            return EXIT_INVALID
        return failed(e, "", EXIT_INVALID)
    except DocgenError as e:
        return failed(e, f"{PROG}: {e}", EXIT_INVALID)
    except OSError as e:
        return failed(e, f"{PROG}: {os_error(e)}", EXIT_INVALID)
    except KeyboardInterrupt:
        interrupted = MessageError("interrupted")
        return failed(interrupted, f"{PROG}: {interrupted}", 130)
    except Exception as e:      # a bug of ours: say so plainly, never a raw traceback
        code = failed(e, f"{PROG}: {internal_error(e)}", EXIT_INVALID)
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        return code
    finally:
        if timeout is not None:
            render.set_budget(previous)
