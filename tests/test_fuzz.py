"""Hostile input never crashes docgen, never leaves a half file, never reads outside its assets
(issue 13): a property-based fuzzing suite (Hypothesis) and the corpus of inputs that once failed.

Every case runs in ONE persistent worker process (``tests/fuzz_worker.py``) whose audit hooks see
every file opened and every program spawned; the invariants are judged here (``violations``):

* exit code 0 or 1 (2 only for a command line malformed on purpose), never a traceback, never
  docgen's "internal error, please report";
* on failure nothing left in the output folder (no .part file, no staging folder); on success both
  files open (pikepdf: ≥ 1 page; python-docx) and every DOCX XML part is well-formed with no control
  character in an attribute or a text;
* no open of a path inside the canary folder (secret files outside the case folder) or of
  /etc/passwd, however it is reached (symlinks, "..", absolute paths); no program spawned; no
  network connection outside the register commands.

Two modes:

* CI (the default run): a fixed seed (``derandomize=True``), a bounded number of examples per
  category, no Hypothesis database; the corpus ``tests/corpus/*.json`` is replayed.
* ``pytest -m fuzz tests/test_fuzz.py``: random seeds and ``DOCGEN_FUZZ_EXAMPLES`` examples per
  category (default 500); every failing input is saved in ``output/fuzz-found/`` in the corpus'
  format, ready to be copied into ``tests/corpus/``.

Per category the inputs tried, the failures, the longest case and the peak memory are written to
``benchmarks/results/fuzz.md`` and printed at the end.  See docs/fuzzing.md.
"""
from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import fuzz_cases

try:                 # Hypothesis's own files (constants cache …) out of the repository's root
    from hypothesis.configuration import set_hypothesis_home_dir
    set_hypothesis_home_dir(str(Path(__file__).resolve().parent.parent / "output" / ".hypothesis"))
except ImportError:  # pragma: no cover - the `test` extra installs it
    pass

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
CASE_TIMEOUT = float(os.environ.get("DOCGEN_FUZZ_TIMEOUT") or 20)
MEMORY_MB = int(os.environ.get("DOCGEN_FUZZ_MEMORY_MB") or 3072)
LONG_EXAMPLES = int(os.environ.get("DOCGEN_FUZZ_EXAMPLES") or 500)
FOUND = Path(os.environ.get("DOCGEN_FUZZ_FOUND") or ROOT / "output" / "fuzz-found")
REPORT = ROOT / "benchmarks" / "results" / "fuzz.md"

# examples per category in CI mode: the whole file in about 3 minutes on a 2-core machine
CI_EXAMPLES = {"letter": 400, "profile": 200, "layout": 250, "emblem": 150, "sheet": 150, "dburl": 150,
               "filename": 120, "cli": 80}


# ---------------------------------------------------------------- the worker

class Worker:
    """The persistent worker: one JSON case per line in, one JSON answer per line out."""

    def __init__(self, base: Path):
        self.base = base
        self.work = base / "work"
        self.canary = base / "canary"
        self.log = base / "worker.log"
        self.counter = 0
        self.restarts = 0
        self.ready: dict = {}
        self.max_rss_kb = 0
        self.max_children_kb = 0
        self.proc = None
        self._start()

    def _start(self):
        env = dict(os.environ, DOCGEN_FUZZ_MEMORY_MB=str(MEMORY_MB),
                   DOCGEN_FUZZ_DUMP_AFTER=str(max(1.0, CASE_TIMEOUT - 2)),
                   DOCGEN_RENDER_SECONDS=os.environ.get("DOCGEN_RENDER_SECONDS", "15"),
                   PYTHONFAULTHANDLER="1", PYTHONHASHSEED="0")
        env.pop("DOCGEN_DATABASE_URL", None)
        env.pop("DOCGEN_DEBUG", None)
        self._logf = open(self.log, "ab")
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fuzz_worker.py")),
                                      str(self.work), str(self.canary)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._logf,
                                     cwd=str(self.work), env=env, text=True, encoding="utf-8")
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(self.proc, self.lines), daemon=True).start()
        line = self.lines.get(timeout=120)
        if line is None:
            raise RuntimeError(f"the fuzz worker did not start; see {self.log}:\n{self._log_tail()}")
        self.ready = json.loads(line)

    @staticmethod
    def _read(proc, lines):
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def _log_tail(self, n=4000) -> str:
        try:
            return self.log.read_bytes()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def _kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()            # the worker we started, by its handle
            self.proc.wait(10)
        self._logf.close()

    def run(self, case: dict, timeout: float = CASE_TIMEOUT) -> dict:
        self.counter += 1
        case = dict(case, _dir=f"c{self.counter}")
        log_at = self.log.stat().st_size if self.log.exists() else 0
        t0 = time.perf_counter()
        try:
            self.proc.stdin.write(json.dumps(case, ensure_ascii=True) + "\n")
            self.proc.stdin.flush()
            line = self.lines.get(timeout=timeout)
        except (queue.Empty, BrokenPipeError, OSError):
            line = "timeout"
        if line is None or line == "timeout":
            seconds = time.perf_counter() - t0
            self._kill()
            dump = self.log.read_bytes()[log_at:][-3000:].decode("utf-8", "replace")
            self.restarts += 1
            self._start()
            what = "timeout" if line == "timeout" else "worker died"
            return {"name": case.get("name"), "timeout" if line == "timeout" else "died": True,
                    "seconds": round(seconds, 2), "exit": None, "stderr": "", "stdout": "",
                    "log": dump, "what": what}
        result = json.loads(line)
        result["case_dir"] = str(self.work / case["_dir"])
        self.max_rss_kb = max(self.max_rss_kb, result.get("maxrss_self_kb", 0))
        self.max_children_kb = max(self.max_children_kb, result.get("maxrss_children_kb", 0))
        return result

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self._kill()


def _make_canary(base: Path) -> Path:
    canary = base / "canary"
    canary.mkdir(parents=True)
    (canary / fuzz_cases.SECRET_PNG).write_bytes(fuzz_cases.png(60, 70, color=(200, 0, 0)))
    (canary / "secret.txt").write_text("SECRET-CANARY\n")
    (canary / "secret.yaml").write_text("agency: SECRET-CANARY\n")
    (base / "work").mkdir()
    return canary


class Stats:
    """Per category: inputs tried, failures, the longest case, the peak RSS of a case."""

    def __init__(self):
        self.rows: dict[str, dict] = {}
        self.failures: list[tuple[str, str, list[str]]] = []
        self.t0 = time.perf_counter()

    def add(self, category: str, case: dict, result: dict, problems: list[str], worker=None):
        row = self.rows.setdefault(category, {"tried": 0, "failed": 0, "max_s": 0.0, "max_case": "",
                                              "peak_kb": 0, "timeouts": 0, "signatures": {}, "opens": set(),
                                              "exit0": 0})
        row["tried"] += 1
        row["exit0"] += result.get("exit") == 0
        s = result.get("seconds") or 0
        if s >= row["max_s"]:
            row["max_s"], row["max_case"] = s, case.get("name") or ""
        row["peak_kb"] = max(row["peak_kb"], result.get("peak_kb") or 0)
        row["timeouts"] += bool(result.get("timeout"))
        if worker is not None:
            row["opens"].update(unexpected_opens(result, worker, result.get("case_dir") or str(worker.work)))
        if problems:
            row["failed"] += 1
            sig = signature(problems)
            row["signatures"][sig] = row["signatures"].get(sig, 0) + 1
            self.failures.append((category, case.get("name") or "", problems))


# ---------------------------------------------------------------- the invariants

_TRACE = re.compile(r"Traceback \(most recent call last\)")
_INTERNAL = re.compile(r"internal error, please report: (\w+)")
_EXC_LINE = re.compile(r"^(\w+(?:\.\w+)*(?:Error|Exception|Exit|Interrupt|Warning)): ", re.M)
_ALLOWED_DEV = {"/dev/null", "/dev/urandom", "/dev/random", "/dev/tty", "/dev/shm"}


def _under(path: str, folder: str) -> bool:
    folder = folder.rstrip("/") + "/"
    return path == folder[:-1] or path.startswith(folder)


def forbidden_opens(result: dict, worker: Worker) -> list[str]:
    canary = os.path.realpath(worker.canary)
    return [p for p in result.get("opens") or []
            if _under(p, canary) or p in ("/etc/passwd", "/etc/shadow", "/dev/zero")]


def unexpected_opens(result: dict, worker: Worker, case_dir: str) -> list[str]:
    """Opens outside the allowed set that are not secrets (reported, not failed)."""
    allowed = [os.path.realpath(case_dir), str(ROOT / "data"), str(ROOT / "fonts"), str(ROOT / "templates"),
               str(ROOT / "docgen"), "/usr/share/zoneinfo", "/usr/share/fonts", "/etc/fonts"]
    out = []
    for p in result.get("opens") or []:
        if any(_under(p, a) for a in allowed) or p in _ALLOWED_DEV or p == "/etc/localtime":
            continue
        if os.path.basename(p) == "docgen.toml" and _under(case_dir, os.path.dirname(p)):
            continue                 # the config lookup: the working folder upwards
        out.append(p)
    return out


def violations(case: dict, result: dict, worker: Worker) -> list[str]:
    """Every invariant the case broke, each as "kind: detail" (the kind is the signature)."""
    if result.get("harness_error"):
        return [f"harness error: {result['harness_error'].strip().splitlines()[-1]}"]
    if result.get("timeout"):
        last = [ln.strip() for ln in (result.get("log") or "").splitlines() if ln.strip().startswith("File ")]
        where = " ← ".join(last[:3]) if last else "no stack dumped"
        return [f"hang: no answer after {result['seconds']:.0f} s ({where})"]
    if result.get("died"):
        return [f"worker died: {(result.get('log') or '').strip().splitlines()[-1:] or '?'}"]
    problems = []
    out_text = (result.get("stdout") or "") + (result.get("stderr") or "")
    rc = result.get("exit")
    allowed_exit = case.get("expect_exit") or [0, 1]
    if _TRACE.search(out_text):
        m = _EXC_LINE.findall(out_text)
        problems.append(f"traceback: {m[-1] if m else '?'}")
    m = _INTERNAL.search(out_text)
    if m:
        detail = out_text[m.end():].strip().splitlines()[0][:160] if out_text[m.end():].strip() else ""
        problems.append(f"internal error: {m.group(1)} {detail}".rstrip())
    if rc not in allowed_exit:
        problems.append(f"exit {rc} (allowed {allowed_exit})")
    for setup in result.get("setup") or []:
        if setup["exit"] != 0:
            problems.append(f"setup failed: {' '.join(setup['argv'])} → {setup['exit']}: {setup['stderr'][-200:]}")
    if case.get("expect_field") and (rc != 0 or case.get("field_required")):
        if f"[{case['expect_field']}" not in out_text:
            problems.append(f"field not named: expected [{case['expect_field']}…] in the message")
    if case.get("expect_text") and case["expect_text"] not in out_text:
        problems.append(f"not reported: expected {case['expect_text']!r} in the output (an error or a warning)")
    if case.get("min_pdfs") and rc == 0:
        pdfs = [p for p in result.get("new_files") or [] if p.endswith(".pdf")]
        if len(pdfs) < case["min_pdfs"]:
            problems.append(f"output overwritten: {len(pdfs)} PDF(s) for {case['min_pdfs']} inputs")
    if case.get("max_seconds") and (result.get("seconds") or 0) > case["max_seconds"]:
        problems.append(f"slow: {result['seconds']:.1f} s > {case['max_seconds']} s")
    for spawn in result.get("spawns") or []:
        problems.append(f"spawned a process: {spawn[:120]}")
    if case.get("category") != "dburl":
        for net in result.get("network") or []:
            if "'file:" in net:
                continue              # WeasyPrint's own url fetcher reading fonts/ and templates/
            problems.append(f"network access: {net[:120]}")
    for p in forbidden_opens(result, worker):
        problems.append(f"read outside the assets: {p}")
    problems += _output_problems(case, result)
    return problems


def _output_problems(case: dict, result: dict) -> list[str]:
    mode = case.get("outputs") or "all-or-nothing"
    new = [p for p in result.get("new_files") or [] if not p.startswith(".config")]
    out = (case.get("out") or "out").rstrip("/")
    problems = []
    temp = [p for p in new if p.endswith((".part", ".tmp")) or any(
        part.startswith(".") and part not in (".", "..") for part in Path(p.rstrip("/")).parts)]
    if temp:
        problems.append(f"temporary file left: {temp[:3]}")
    files = [p for p in new if not p.endswith("/")]
    in_out = [p for p in files if p == out or p.startswith(out + "/")]
    if mode == "any":
        pass
    elif mode == "none":
        made = [p for p in files if not p.endswith(("-wal", "-shm", "-journal"))]
        if made:
            problems.append(f"file written by a command that writes none: {made[:3]}")
    elif mode == "all-or-nothing" and result.get("exit") != 0:
        if in_out:
            problems.append(f"half file left on failure: {in_out[:3]}")
    else:                      # success, or "pairs" (batch: the good rows' letters stay)
        stems: dict[str, set] = {}
        for p in in_out:
            if p.endswith((".pdf", ".docx")) and "/merged" not in p:
                stem, ext = p.rsplit(".", 1)
                stems.setdefault(stem, set()).add(ext)
        fmts = _formats(case)
        half = [s for s, exts in stems.items() if exts != fmts and not s.endswith("merged")]
        if half:
            problems.append(f"half file left: {sorted(half)[:3]} has {sorted(stems[half[0]])} of {sorted(fmts)}")
        if mode == "all-or-nothing" and result.get("exit") == 0 and not stems and _renders(case):
            problems.append("exit 0 but no file written")
    for stem, imgs in (result.get("images") or {}).items():
        if imgs["pdf"] != imgs["docx"]:
            problems.append(f"emblem differs: the PDF has images {imgs['pdf'][:3]}, the DOCX {imgs['docx'][:3]}")
    for path, bad in (result.get("checks") or {}).items():
        for b in bad[:3]:
            kind = "pdf" if path.endswith(".pdf") else "docx"
            problems.append(f"{kind} broken: {b}")
    return problems


def _formats(case: dict) -> set[str]:
    argv = case.get("argv") or []
    for i, a in enumerate(argv):
        if a == "--format" and i + 1 < len(argv):
            return {f.strip() for f in argv[i + 1].split(",") if f.strip()}
        if a.startswith("--format="):
            return {f.strip() for f in a.split("=", 1)[1].split(",") if f.strip()}
    return {"pdf", "docx"}


def _renders(case: dict) -> bool:
    return bool(case.get("argv")) and case["argv"][0] in ("render", "issue")


_PRIORITY = ["harness error", "worker died", "hang", "traceback", "internal error", "read outside the assets",
             "spawned a process", "network access", "half file left on failure", "half file left",
             "temporary file left", "pdf broken", "docx broken", "emblem differs", "output overwritten",
             "file written by a command that writes none", "slow"]


def signature(problems: list[str]) -> str:
    """The kind of the most telling problem plus what identifies it (its exception type, its detail)."""
    def rank(p):
        kind = p.partition(": ")[0]
        return _PRIORITY.index(kind) if kind in _PRIORITY else len(_PRIORITY)
    kind, _, detail = min(problems, key=rank).partition(": ")
    if kind in ("traceback", "internal error"):
        return f"{kind}: {detail.split()[0] if detail else '?'}"
    if kind in ("docx broken", "pdf broken", "spawned a process", "network access", "harness error"):
        return f"{kind}: {re.sub(r'[0-9]+', 'N', detail)[:70]}"
    if kind.startswith("exit"):
        return kind.split(" (")[0]
    return kind


# ---------------------------------------------------------------- fixtures, report

@pytest.fixture(scope="module")
def fuzz(tmp_path_factory, request):
    base = tmp_path_factory.mktemp("fuzz")
    _make_canary(base)
    worker = Worker(base)
    stats = Stats()
    yield worker, stats
    worker.close()
    _report(worker, stats, request.config)


def _report(worker: Worker, stats: Stats, config) -> None:
    if not stats.rows:
        return
    total = time.perf_counter() - stats.t0
    long_run = "fuzz" in (config.getoption("-m") or "") and "not" not in config.getoption("-m")
    lines = ["# Fuzzing (tests/test_fuzz.py, issue 13)", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, "
             f"{'pytest -m fuzz' if long_run else 'CI mode'}: "
             f"{sum(r['tried'] for r in stats.rows.values())} inputs in {total:.0f} s; per-case timeout "
             f"{CASE_TIMEOUT:.0f} s, worker address-space limit {MEMORY_MB} MB, worker restarts {worker.restarts}.", "",
             "| category | inputs | exit 0 | failures | timeouts | longest case (s) | which | peak RSS of a case (MB) |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    for cat, r in sorted(stats.rows.items()):
        lines.append(f"| {cat} | {r['tried']} | {r['exit0']} | {r['failed']} | {r['timeouts']} | {r['max_s']:.2f} | "
                     f"{r['max_case'][:40]} | {r['peak_kb'] / 1024:.0f} |")
    lines += ["", f"Worker peak RSS (ru_maxrss, self): {worker.max_rss_kb / 1024:.0f} MB; of its children: "
                  f"{worker.max_children_kb / 1024:.0f} MB.  Start-up (import + warm-up under the hooks): "
                  f"{worker.ready.get('seconds', '?')} s, programs spawned then: {len(worker.ready.get('startup_spawns') or [])}.", ""]
    sigs = {}
    for cat, r in stats.rows.items():
        for s, n in r["signatures"].items():
            sigs.setdefault(s, []).append(f"{cat} ×{n}")
    opens = sorted({p for r in stats.rows.values() for p in r["opens"]})
    if opens:
        lines += ["Opened outside the allowed set (not secrets; reported, not failed): "
                  + ", ".join(f"`{p}`" for p in opens[:20]), ""]
    if sigs:
        lines += ["Failure signatures:", ""] + [f"* {s}: {', '.join(v)}" for s, v in sorted(sigs.items())] + [""]
    text = "\n".join(lines) + "\n"
    # the long run's figures are the recorded ones; a CI-mode run (every test run) writes to
    # output/, so running the tests never changes a tracked file
    target = REPORT if long_run else ROOT / "output" / "fuzz-ci.md"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError:
        pass
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None:
        import contextlib
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            reporter.write_line("")
            for line in lines:
                reporter.write_line(line)


def _save_found(case: dict, problems: list[str]) -> Path:
    FOUND.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(json.dumps(case, sort_keys=True, ensure_ascii=True).encode()).hexdigest()[:10]
    path = FOUND / f"{case.get('category', 'x')}-{re.sub(r'[^A-Za-z0-9]+', '-', signature(problems))[:40]}-{digest}.json"
    saved = {k: v for k, v in case.items() if not k.startswith("_")}
    saved["found"] = problems[:5]
    path.write_text(json.dumps(saved, ensure_ascii=True, indent=1), encoding="utf-8")
    return path


def _describe(found: list[tuple[dict, list[str]]], limit=12) -> str:
    by_sig: dict[str, tuple[dict, list[str], int]] = {}
    for case, problems in found:
        sig = signature(problems)
        size = len(json.dumps(case, ensure_ascii=True))
        if sig not in by_sig or size < by_sig[sig][2]:
            by_sig[sig] = (case, problems, size)
    parts = [f"{len(found)} failing input(s), {len(by_sig)} signature(s):"]
    for sig, (case, problems, _) in list(by_sig.items())[:limit]:
        shown = json.dumps({k: v for k, v in case.items() if k not in ("files",) and not k.startswith("_")},
                           ensure_ascii=True)[:400]
        files = {k: (v.get("text", "")[:300] if "text" in v else {kk: str(vv)[:80] for kk, vv in v.items()})
                 for k, v in case.get("files", {}).items() if k != "profiles/"}
        parts.append(f"\n* {sig}\n  {problems[:3]}\n  case: {shown}\n  files: {json.dumps(files, ensure_ascii=True)[:700]}")
    return "\n".join(parts)


# ---------------------------------------------------------------- start-up

def test_startup_spawns_no_process(fuzz):
    """Importing docgen and warming WeasyPrint/Pango must run no program (issue 13: gcc, ld and
    ldconfig through ctypes.util.find_library)."""
    worker, stats = fuzz
    spawned = worker.ready.get("startup_spawns") or []
    network = worker.ready.get("startup_network") or []
    assert not spawned, f"{len(spawned)} program(s) spawned at start-up, e.g. {spawned[:3]}"
    assert not network, network


def test_worker_sees_what_it_should(fuzz):
    """The harness itself: a good letter renders and passes; a read of the canary is seen."""
    worker, stats = fuzz
    good = fuzz_cases.render_case("harness-good", "harness", fuzz_cases.GOOD)
    result = worker.run(good)
    assert result.get("exit") == 0, result
    assert violations(good, result, worker) == [], result
    assert set(result["checks"]) == {"out/letter.pdf", "out/letter.docx"}
    probe = fuzz_cases.case("harness-probe", "harness", {}, ["check", "{canary}/secret.yaml"])
    result = worker.run(probe)
    assert any("read outside the assets" in p for p in violations(probe, result, worker)), result


# ---------------------------------------------------------------- the corpus

CORPUS_FILES = sorted(CORPUS.glob("*.json"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_corpus(fuzz, path):
    """Every input that once failed, replayed: it must now keep every invariant (and, where the
    case says so, name the field at fault)."""
    worker, stats = fuzz
    case = json.loads(path.read_text(encoding="utf-8"))
    result = worker.run(case, timeout=case.get("timeout") or CASE_TIMEOUT)
    problems = violations(case, result, worker)
    stats.add("corpus/" + case.get("category", "?"), case, result, problems, worker)
    assert not problems, (f"{path.name} ({case.get('class', '')}): {problems}\n"
                          f"exit {result.get('exit')}, stderr: {(result.get('stderr') or '')[-600:]}")


# ---------------------------------------------------------------- the generated inputs

def _explore(category: str, fuzz, long: bool) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    worker, stats = fuzz
    strategy = fuzz_cases.strategies()[category]
    found: list[tuple[dict, list[str]]] = []
    conf = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=False,
                phases=[Phase.explicit, Phase.generate])
    if long:
        conf.update(max_examples=LONG_EXAMPLES, derandomize=False)
    else:
        conf.update(max_examples=CI_EXAMPLES[category], derandomize=True)

    @settings(**conf)
    @given(strategy)
    def one(case):
        case = dict(case, name=f"{category}-{stats.rows.get(category, {}).get('tried', 0) + 1}")
        result = worker.run(case)
        problems = violations(case, result, worker)
        stats.add(category, case, result, problems, worker)
        if problems:
            found.append((case, problems))
            _save_found(case, problems)

    one()
    assert not found, _describe(found)


CATEGORIES = ["letter", "profile", "layout", "emblem", "sheet", "dburl", "filename", "cli"]


@pytest.mark.parametrize("category", CATEGORIES)
def test_fuzz(fuzz, category):
    """CI mode: a fixed seed and a bounded number of examples per category."""
    _explore(category, fuzz, long=False)


@pytest.mark.fuzz
@pytest.mark.parametrize("category", CATEGORIES)
def test_fuzz_long(fuzz, category):
    """Developers: ``pytest -m fuzz`` — random seeds, DOCGEN_FUZZ_EXAMPLES examples per category."""
    _explore(category, fuzz, long=True)
