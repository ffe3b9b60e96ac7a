"""Render benchmark (issue: One letter, two files).

Reports, for a 2-page letter, the warm per-letter time of PDF and of DOCX and the peak
memory, and the cold `docgen render` time.  Writes benchmarks/results/render.md.

    .venv/bin/python benchmarks/render_bench.py [--repeat 15]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _report  # noqa: E402  (benchmarks/_report.py, next to this script)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import api  # noqa: E402
from docgen.render import get  # noqa: E402

LETTER = ROOT / "examples" / "01_external_references.yaml"     # 2 pages


def warm(fmt: str, repeat: int, out: Path) -> list[float]:
    composed, _ = api.compose_file(LETTER)
    render = get(fmt)
    render(composed, out / f"warmup.{fmt}")
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        render(composed, out / f"bench{i}.{fmt}")
        times.append(time.perf_counter() - t)
    return times


def cold(out: Path, repeat: int = 3) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "docgen"), "render", str(LETTER), "-o", str(out)],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        pages = None
        pdf_t = warm("pdf", args.repeat, out)
        import pymupdf
        pages = pymupdf.open(out / "bench0.pdf").page_count
        docx_t = warm("docx", args.repeat, out)
        both = [p + d for p, d in zip(pdf_t, docx_t)]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cold_t = cold(out)
    med = statistics.median
    lines = [
        "# Render benchmark",
        "",
        f"Letter: `{LETTER.relative_to(ROOT)}` ({pages} pages). Machine: 2 cores. "
        f"{args.repeat} warm runs each, median (p90).",
        "",
        "| measure | result | aim |",
        "|---|---|---|",
        f"| PDF, warm, per letter (one layout pass, continuation markers included) | {med(pdf_t):.3f} s "
        f"({sorted(pdf_t)[int(len(pdf_t) * .9) - 1]:.3f}) | |",
        f"| DOCX, warm, per letter | {med(docx_t):.3f} s ({sorted(docx_t)[int(len(docx_t) * .9) - 1]:.3f}) | |",
        f"| PDF + DOCX, warm, per letter | {med(both):.3f} s | ≤ 0.4 s |",
        f"| peak memory (RSS) of the warm process | {peak:.0f} MiB | |",
        f"| cold `docgen render` (both formats, new process) | {med(cold_t):.2f} s | ≤ 2.5 s |",
        "",
        f"Run: `.venv/bin/python benchmarks/render_bench.py --repeat {args.repeat}` on "
        f"{time.strftime('%Y-%m-%d')}.",
    ]
    _report.write("render", lines)


if __name__ == "__main__":
    main()
