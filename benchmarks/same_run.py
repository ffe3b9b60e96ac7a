"""Speed against an earlier commit, in ONE run on this machine (issue 10: "do not slow the old
types down: the external letter's warm render and the batch benchmark must stay within 5 %").

The machine's speed drifts between sessions (benchmarks/results/startup.md), so the old code is
measured beside the new, alternately: a git worktree of ``--base`` (default: the commit before
issue 10's types) and this checkout, each ``--rounds`` times:
  * warm render of examples/01_external_references.yaml, PDF + DOCX, median of 30 (in-process);
  * ``docgen batch`` of 200 notices, PDF + DOCX, wall time (batch_bench.docgen_batch).
Writes benchmarks/results/same_run.md.

    .venv/bin/python benchmarks/same_run.py [--base ca8f495] [--rounds 3]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")

WARM = r"""
import sys, time, tempfile, statistics
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from docgen import api
c, _ = api.compose_file(Path(sys.argv[1]) / "examples/01_external_references.yaml")
out = Path(tempfile.mkdtemp())
for i in range(3):
    api.render(c, out, f"w{i}", ("pdf", "docx"))
ts = []
for i in range(30):
    t = time.perf_counter(); api.render(c, out, f"r{i}", ("pdf", "docx")); ts.append(time.perf_counter() - t)
print(statistics.median(ts))
"""

BATCH = r"""
import sys, shutil, tempfile, importlib.util
from pathlib import Path
root = Path(sys.argv[1])
sys.path.insert(0, str(root / "benchmarks"))
spec = importlib.util.spec_from_file_location("bb", root / "benchmarks" / "batch_bench.py")
bb = importlib.util.module_from_spec(spec); spec.loader.exec_module(bb)
bb.DOCGEN = [sys.executable, "-c", "import sys; sys.path.insert(0, %r); from docgen.cli import main; "
             "sys.exit(main())" % str(root)]
with tempfile.TemporaryDirectory() as tmp:
    work = Path(tmp)
    shutil.copytree(root / "examples" / "profiles", work / "profiles")
    (work / "notice.yaml").write_text(bb.NOTICE, encoding="utf-8")
    print(bb.docgen_batch(work, 200)[0])
"""


def measure(code: str, tree: Path) -> float:
    out = subprocess.run([PY, "-c", code, str(tree)], check=True, capture_output=True, text=True, cwd="/")
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="ca8f495")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old), args.base],
                       check=True)
        try:
            got = {"warm": {"base": [], "now": []}, "batch": {"base": [], "now": []}}
            for _ in range(args.rounds):
                for name, tree in (("base", old), ("now", ROOT)):
                    got["warm"][name].append(measure(WARM, tree))
                    got["batch"][name].append(measure(BATCH, tree))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
    rows = []
    for what, label, unit in (("warm", "external letter, warm, PDF + DOCX (median of 30)", "s"),
                              ("batch", "docgen batch, 200 notices, PDF + DOCX", "s")):
        b, n = statistics.mean(got[what]["base"]), statistics.mean(got[what]["now"])
        runs = lambda xs: ", ".join(f"{x:.3f}" if what == "warm" else f"{x:.1f}" for x in xs)  # noqa: E731
        rows.append(f"| {label} | {runs(got[what]['base'])} (mean {b:.3f}) | {runs(got[what]['now'])} "
                    f"(mean {n:.3f}) | {100 * (n - b) / b:+.1f} % | {'PASS' if n <= b * 1.05 else 'FAIL'} |")
    text = "\n".join([
        "# Same-run speed check against an earlier commit", "",
        f"Base `{args.base}` and this checkout, measured alternately in one run ({args.rounds} rounds) "
        f"on {time.strftime('%Y-%m-%d')}; aim: at most 5 % slower (issue 10).", "",
        "| measure | base | now | change | aim |", "|---|---|---|---|---|", *rows, "",
        f"Run: `.venv/bin/python benchmarks/same_run.py --base {args.base} --rounds {args.rounds}`.", ""])
    (ROOT / "benchmarks" / "results" / "same_run.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
