"""Start-up benchmark (issue 9): ``import docgen`` ≤ 0.3 s, cold ``docgen render`` ≤ 1.5 s.

Both are measured from an INSTALLED WHEEL, as a user gets docgen: the wheel is built from this
checkout, installed with its dependencies into a clean venv in a temporary folder outside the
repository (no system site-packages), and every command runs as a new process from another
temporary folder, so nothing of the repository can be imported.

    .venv/bin/python benchmarks/startup_bench.py [--runs 7] [--venv PATH]

``--venv PATH`` keeps the venv there (made if missing) so a second run skips installing the
dependencies; the freshly built wheel is always reinstalled into it.  Measured, N times each,
interleaved, wall time of the whole process (nothing subtracted):

* ``python -c pass`` (the interpreter alone, for reference);
* ``python -c "import docgen"``;
* ``docgen render 01_external_references.yaml -o OUT --format pdf,docx`` (a new OUT each run;
  ``$XDG_CONFIG_HOME`` points at an empty folder, so no user ``docgen.toml`` names a register).

One untimed run of each comes first (it fills the OS file cache and fontconfig's cache, as any
earlier use would have).  ``-X importtime`` of both shows what is imported.  Writes
benchmarks/results/startup.md; exits 1 if a median is over its limit.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import _report  # noqa: E402  (benchmarks/_report.py, next to this script)

ROOT = Path(__file__).resolve().parent.parent
LETTER = "01_external_references.yaml"          # 2 pages, as in render_bench.py
LIMIT_IMPORT, LIMIT_RENDER = 0.3, 1.5           # seconds, medians (issue 9)
RENDERING = ("weasyprint", "docx", "docxtpl", "pythainlp", "jinja2", "fontTools", "PIL")
NOT_FOR_RENDER = ("sqlalchemy", "openpyxl", "psycopg", "tqdm")     # register, export, batch only


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _env() -> dict[str, str]:
    """The caller's environment without anything that could point Python at the repository."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DOCGEN_")) and k != "PIP_REQUIRE_VIRTUALENV"}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cmd, cwd, env) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"startup_bench: {' '.join(map(str, cmd))} failed ({done.returncode}):\n"
                 f"{(done.stderr or done.stdout)[-2000:]}")
    return done


def build_wheel(dist: Path, env) -> Path:
    pip = ROOT / ".venv" / "bin" / "pip"
    _run([pip, "wheel", "-q", "--no-deps", "-w", dist, "."], ROOT, env)
    (wheel,) = dist.glob("docgen-*.whl")
    return wheel


def make_venv(venv: Path, wheel: Path, env) -> None:
    """A clean venv (no system site-packages) with the wheel and its dependencies."""
    if _inside(venv, ROOT):
        sys.exit(f"startup_bench: the venv must be outside the repository ({venv})")
    if not (venv / "bin" / "python").exists():
        _run([shutil.which("python3") or sys.executable, "-m", "venv", venv], None, env)
    cfg = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    if "include-system-site-packages = true" in cfg.replace("True", "true"):
        sys.exit(f"startup_bench: {venv} sees the system site-packages; a clean venv is needed")
    pip = venv / "bin" / "pip"
    _run([pip, "install", "-q", "--force-reinstall", "--no-deps", wheel], None, env)   # this build
    _run([pip, "install", "-q", wheel], None, env)                                     # + its dependencies
    _run([pip, "check"], None, env)


def timed(cmd, cwd, env, cpu: list | None = None) -> float:
    """Wall time of one new process; its CPU time (user + system) is appended to ``cpu``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    _run(cmd, cwd, env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def parse_importtime(stderr: str) -> list[tuple[int, str, int, int]]:
    """``-X importtime`` lines as (depth, module, self µs, cumulative µs), in print order."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, cum, name = line.split(":", 1)[1].split("|", 2)
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2        # "| " then 2 spaces a level
        rows.append((depth, name.strip(), int(self_us), int(cum)))
    return rows


def by_package(rows) -> list[tuple[str, float, int]]:
    """Self time summed per top-level package: (package, seconds, modules), largest first."""
    total: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for _, name, self_us, _ in rows:
        top = name.split(".")[0]
        total[top] += self_us / 1e6
        count[top] += 1
    return sorted(((p, s, count[p]) for p, s in total.items()), key=lambda r: -r[1])


def children(rows, parent: str) -> list[tuple[str, float]]:
    """The modules imported directly by ``parent`` (depth + 1, printed before it)."""
    idx = next(i for i, r in enumerate(rows) if r[1] == parent)
    depth = rows[idx][0]
    out = []
    for d, name, _, cum in reversed(rows[:idx]):
        if d <= depth:
            break
        if d == depth + 1:
            out.append((name, cum / 1e6))
    return sorted(out, key=lambda r: -r[1])


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.machine()}, {os.cpu_count()} CPU(s){f' ({model})' if model else ''}, "
            f"{platform.system()} {platform.release()}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--venv", type=Path, help="reuse (or make) the venv here; outside the repository")
    args = ap.parse_args()
    env = _env()
    med = statistics.median
    with tempfile.TemporaryDirectory(prefix="docgen-startup-") as tmp:
        tmp = Path(tmp)
        if _inside(tmp, ROOT):
            sys.exit(f"startup_bench: the temporary folder {tmp} is inside the repository")
        t0 = time.perf_counter()
        wheel = build_wheel(tmp / "dist", env)
        venv = (args.venv or tmp / "venv").absolute()
        make_venv(venv, wheel, env)
        setup_s = time.perf_counter() - t0
        py, docgen = venv / "bin" / "python", venv / "bin" / "docgen"
        work = tmp / "elsewhere"
        work.mkdir()
        env = dict(env, XDG_CONFIG_HOME=str(tmp / "config"))      # no user docgen.toml (register)
        where = _run([py, "-c", "import docgen, sys; from docgen.data import EXAMPLES_DIR; "
                                "print(docgen.__file__); print(EXAMPLES_DIR); print(sys.version.split()[0]); "
                                "print(docgen.__version__)"], work, env).stdout.splitlines()
        pkg_file, examples_dir, py_version, version = where
        if _inside(Path(pkg_file), ROOT) or not _inside(Path(pkg_file), venv):
            sys.exit(f"startup_bench: docgen was imported from {pkg_file}, not the venv")
        shutil.copytree(examples_dir, work / "examples")
        letter = work / "examples" / LETTER

        pass_cmd = [py, "-c", "pass"]
        import_cmd = [py, "-c", "import docgen"]

        def render_cmd(out: str):
            return [docgen, "render", letter, "-o", work / out, "--format", "pdf,docx"]

        first = {"pass": timed(pass_cmd, work, env), "import": timed(import_cmd, work, env),
                 "render": timed(render_cmd("first"), work, env)}
        for fmt in ("pdf", "docx"):
            if not (work / "first" / f"{Path(LETTER).stem}.{fmt}").is_file():
                sys.exit(f"startup_bench: docgen render wrote no {fmt}")
        times: dict[str, list[float]] = {"pass": [], "import": [], "render": []}
        cpu: dict[str, list[float]] = {"pass": [], "import": [], "render": []}
        load_before = os.getloadavg()[0]
        for i in range(args.runs):                    # interleaved: drift hits all three alike
            times["pass"].append(timed(pass_cmd, work, env, cpu["pass"]))
            times["import"].append(timed(import_cmd, work, env, cpu["import"]))
            times["render"].append(timed(render_cmd(f"out{i}"), work, env, cpu["render"]))
        load_after = os.getloadavg()[0]

        imp_rows = parse_importtime(_run([py, "-X", "importtime", "-c", "import docgen"], work, env).stderr)
        renv = dict(env, PYTHONPROFILEIMPORTTIME="1")
        ren_rows = parse_importtime(_run(render_cmd("importtime"), work, renv).stderr)

    docgen_row = next(r for r in imp_rows if r[1] == "docgen")
    imp_pkgs = {r[1].split(".")[0] for r in imp_rows}
    ren_names = {r[1].split(".")[0] for r in ren_rows}

    def listed(names) -> str:
        return ", ".join(f"`{n}`" for n in names) or "none"
    imp_children = children(imp_rows, "docgen")
    ren_pkgs = by_package(ren_rows)
    ren_total = sum(r[2] for r in ren_rows) / 1e6
    ok_import = med(times["import"]) <= LIMIT_IMPORT
    ok_render = med(times["render"]) <= LIMIT_RENDER
    verdict = {True: "**PASS**", False: "**FAIL**"}

    def row(label, key, limit=None):
        ts = times[key]
        res = "" if limit is None else f"≤ {limit} s | {verdict[med(ts) <= limit]}"
        return (f"| {label} | {med(ts):.3f} s | {max(ts):.3f} s | {first[key]:.3f} s | "
                f"{med(cpu[key]):.3f} s | {res or ' | '} |")

    def sh(cmd) -> str:
        return " ".join(str(c).replace(str(venv), "$VENV").replace(str(work), "$WORK")
                        if " " not in str(c) else f'"{c}"' for c in cmd)

    lines = [
        "# Start-up benchmark (issue 9)",
        "",
        f"docgen {version} from its wheel, installed with its dependencies into a clean venv outside "
        f"the repository; every command a new process, run from another temporary folder.  "
        f"Machine: {machine()}.  Python {py_version}.  {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        f"Wall time of the whole process, nothing subtracted; {args.runs} runs each, interleaved, after "
        "one untimed run of each (shown as \"first\"; it fills the OS file cache and fontconfig's). "
        "CPU: the process's user + system time (less sensitive to other load). "
        f"Load average (1 min) {load_before:.2f} before the runs, {load_after:.2f} after.",
        "",
        "| measure | median | max | first | CPU, median | limit (median) | |",
        "|---|---:|---:|---:|---:|---|---|",
        row("`python -c pass` (reference)", "pass"),
        row("`python -c \"import docgen\"`", "import", LIMIT_IMPORT),
        row(f"cold `docgen render {LETTER} --format pdf,docx` (2 pages, both files)", "render", LIMIT_RENDER),
        "",
        "Commands (`$VENV`: the venv, `$WORK`: the temporary folder, examples copied from the installed "
        "package's `docgen.data.EXAMPLES_DIR`):",
        "",
        "```",
        sh(pass_cmd),
        sh(import_cmd),
        sh(render_cmd("outN")).replace(str(letter), f"$WORK/examples/{LETTER}"),
        "```",
        "",
        f"`python -X importtime -c \"import docgen\"`: docgen's own import {docgen_row[3] / 1e6 * 1000:.1f} ms "
        f"cumulative; {len(imp_rows)} modules imported in the process (interpreter start-up included). "
        "The largest imports made directly by `docgen` (its `__init__`), cumulative:",
        "",
        "| module | cumulative |",
        "|---|---:|",
        *[f"| `{name}` | {s * 1000:.1f} ms |" for name, s in imp_children[:10]],
        "",
        f"Of the rendering stack ({listed(RENDERING)}), `import docgen` loads: "
        f"{listed([n for n in RENDERING if n in imp_pkgs])}.",
        "",
        f"`docgen render` under `PYTHONPROFILEIMPORTTIME=1`: {len(ren_rows)} modules, {ren_total:.3f} s "
        "of import time in all (the profiler adds some); self time summed per top-level package:",
        "",
        "| package | import time | modules |",
        "|---|---:|---:|",
        *[f"| `{p}` | {s * 1000:.0f} ms | {n} |" for p, s, n in ren_pkgs[:12]],
        "",
        f"Loaded by the render although it opens no register nor spreadsheet ({listed(NOT_FOR_RENDER)}): "
        f"{listed([n for n in NOT_FOR_RENDER if n in ren_names])}.",
        "",
        f"Run: `.venv/bin/python benchmarks/startup_bench.py --runs {args.runs}"
        f"{' --venv ' + str(args.venv) if args.venv else ''}` "
        f"(wheel build + install: {setup_s:.0f} s{', venv reused' if args.venv else ''}).",
    ]
    _report.write("startup", lines)
    return 0 if ok_import and ok_render else 1


if __name__ == "__main__":
    sys.exit(main())
