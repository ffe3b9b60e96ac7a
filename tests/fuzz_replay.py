"""Replay fuzz cases outside pytest and print what happened:

    .venv/bin/python -m tests.fuzz_replay tests/corpus/*.json          # one line per case
    .venv/bin/python -m tests.fuzz_replay -v output/fuzz-found/x.json   # + stdout/stderr, opens

The same worker, hooks and invariants as ``tests/test_fuzz.py``.
"""
from __future__ import annotations

import argparse
import sys
import json
import tempfile
from pathlib import Path

from tests.test_fuzz import Worker, _make_canary, signature, violations


class _kept(str):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="fuzz_replay")
    ap.add_argument("cases", nargs="+", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep each case's folder (printed)")
    args = ap.parse_args(argv)
    sys.stdout.reconfigure(errors="backslashreplace")
    bad = 0
    with (tempfile.TemporaryDirectory(prefix="docgen-fuzz-") if not args.keep
          else _kept(tempfile.mkdtemp(prefix="docgen-fuzz-"))) as tmp:
        base = Path(tmp)
        _make_canary(base)
        worker = Worker(base)
        try:
            for path in args.cases:
                case = json.loads(path.read_text(encoding="utf-8"))
                if args.keep:
                    case["_keep"] = True
                result = worker.run(case, timeout=case.get("timeout") or 20)
                problems = violations(case, result, worker)
                bad += bool(problems)
                state = "FAIL" if problems else "ok"
                print(f"{state:4} {path.stem}: exit {result.get('exit')} {result.get('seconds')} s"
                      + (f" — {signature(problems)}" if problems else ""))
                if args.verbose or (problems and len(args.cases) == 1):
                    for p in problems:
                        print(f"     {p}")
                    print("     stderr:", (result.get("stderr") or "")[-1500:].replace("\n", "\n     "))
                    print("     stdout:", (result.get("stdout") or "")[-800:].replace("\n", "\n     "))
                    print("     new files:", result.get("new_files"))
                    print("     opens:", [p for p in result.get("opens") or [] if "/weasyprint-" not in p][:20])
                if args.keep:
                    print("     kept:", result.get("case_dir"))
        finally:
            worker.close()
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
