"""The fuzzing suite's worker: runs docgen cases in ONE persistent process under audit hooks.

Audit hooks (``sys.addaudithook``) cannot be removed, so they are installed once, here, in a
process of their own, and ``tests/test_fuzz.py`` sends this process one case per line on
stdin and reads one JSON answer per line.  A case (the format of ``tests/corpus/*.json``)::

    {"name": "...", "category": "letter",
     "files": {"letter.json": {"text": "..."},           # written as UTF-8
               "emblem.png": {"b64": "..."},              # bytes
               "profiles/": {"copy": "examples/profiles"},# a folder of the repository, copied
               "e.png": {"symlink": "{canary}/secret.png"},   # {canary} {case} {root} expanded
               "big.csv": {"concat": [["ก", 50000], ["\n", 1]]},  # long runs, written as UTF-8
               "fifo.png": {"fifo": true}, "out/": {"mkdir": true}},
     "setup": [["register", "init", "--prefix", "นร 1200"]],   # optional, must exit 0
     "argv": ["render", "letter.json", "-o", "out"],     # docgen.cli.main(argv), cwd = the case
     "env": {"DOCGEN_DATABASE_URL": "..."},               # optional
     "out": "out",                                        # the output folder (default "out")
     "outputs": "all-or-nothing" | "pairs" | "none",      # what may be left (default all-or-nothing)
     "expect_exit": [0, 1], "expect_field": "emblem"}     # optional expectations

The answer: exit code, stdout/stderr (cut), seconds, the case's peak RSS, every path opened
(its realpath) outside the interpreter's prefixes, every program spawned, the files left in
the case folder, and for PDF/DOCX outputs the result of opening them (pikepdf, python-docx,
every XML part parsed with lxml and scanned for control characters).  The invariants are
judged by ``tests/test_fuzz.py`` (``violations``), not here.

Control messages: ``{"op": "ping"}`` → ``{"ok": true}``.  The first line written is
``{"ready": ..., "startup_spawns": [...], "startup_opens": [...]}``: what importing docgen
and warming its caches did, under the same hooks.
"""
from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import resource
import shutil
import sys
import time
import traceback

# ---------------------------------------------------------------- the hooks (installed first)

_RECORD = {"on": False, "opens": [], "spawns": [], "network": []}
_SPAWN_EVENTS = {"os.exec", "os.posix_spawn", "os.spawn", "subprocess.Popen", "os.system",
                 "os.forkpty", "pty.spawn"}
_NET_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request"}
_STARTUP = {"opens": [], "spawns": [], "network": []}


def _hook(event, args):
    if event == "open":
        path = args[0] if args else None
        if isinstance(path, int) or path is None:
            return
        try:
            path = os.fsdecode(path)
        except Exception:
            return
        target = _RECORD["opens"] if _RECORD["on"] else _STARTUP["opens"]
        if len(target) < 20000:
            try:
                cwd = os.getcwd()
            except OSError:
                cwd = "/"
            target.append((path, cwd))
    elif event in _SPAWN_EVENTS:
        target = _RECORD["spawns"] if _RECORD["on"] else _STARTUP["spawns"]
        try:
            what = " ".join(os.fsdecode(a) if isinstance(a, (str, bytes)) else repr(a)
                            for a in args[:2])[:300]
        except Exception:
            what = repr(args)[:300]
        target.append(f"{event}: {what}")
    elif event in _NET_EVENTS:
        target = _RECORD["network"] if _RECORD["on"] else _STARTUP["network"]
        if len(target) < 100:
            target.append(f"{event}: {repr(args[1:3] if event == 'socket.connect' else args[:2])[:200]}")

# ---------------------------------------------------------------- the worker proper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_CTRL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CTRL_ATTR = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
_HEX = re.compile(r"^(?:[0-9A-Fa-f]{6}|auto)$")
_PREFIXES = tuple(sorted({os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                                        sys.base_exec_prefix)}))


def _peak_reset() -> None:
    """Reset the kernel's peak-RSS mark of this process (Linux ≥ 4.0), so VmHWM is per case."""
    with contextlib.suppress(OSError):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")


def _peak_kb() -> int:
    with contextlib.suppress(OSError):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _expand(text: str, case_dir: str, canary: str) -> str:
    return text.replace("{canary}", canary).replace("{case}", case_dir).replace("{root}", ROOT)


def _materialise(case: dict, case_dir: str, canary: str) -> None:
    for rel, spec in (case.get("files") or {}).items():
        path = os.path.join(case_dir, _expand(rel, case_dir, canary))
        os.makedirs(os.path.dirname(path.rstrip("/")) or case_dir, exist_ok=True)
        if "copy" in spec:
            shutil.copytree(os.path.join(ROOT, spec["copy"]), path.rstrip("/"), dirs_exist_ok=True)
        elif "symlink" in spec:
            os.symlink(_expand(spec["symlink"], case_dir, canary), path)
        elif "b64" in spec:
            with open(path, "wb") as f:
                f.write(base64.b64decode(spec["b64"]))
        elif "mkdir" in spec:
            os.makedirs(path, exist_ok=True)
        elif "fifo" in spec:
            os.mkfifo(path)
        else:
            text = spec.get("text", "")
            if "concat" in spec:         # [[piece, times], ...]: a long run kept short in the corpus
                text = "".join(piece * times for piece, times in spec["concat"])
            if spec.get("expand"):
                text = _expand(text, case_dir, canary)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)


def _snapshot(case_dir: str) -> set[str]:
    found = set()
    for dirpath, dirnames, filenames in os.walk(case_dir):
        rel = os.path.relpath(dirpath, case_dir)
        for name in dirnames + filenames:
            p = os.path.normpath(os.path.join(rel, name))
            if name in dirnames and not os.path.islink(os.path.join(dirpath, name)):
                found.add(p + "/")
            else:
                found.add(p)
    return found


def _check_docx(path: str) -> list[str]:
    import zipfile

    import docx
    from lxml import etree
    bad = []
    try:
        docx.Document(path)
    except Exception as e:
        return [f"python-docx cannot open it: {type(e).__name__}: {str(e)[:200]}"]
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            data = z.read(info)
            try:
                root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
            except etree.XMLSyntaxError as e:
                bad.append(f"{info.filename}: not well-formed XML: {str(e)[:200]}")
                continue
            for el in root.iter():
                for text, where in ((el.text, "text"), (el.tail, "tail")):
                    if text and _CTRL_TEXT.search(text):
                        bad.append(f"{info.filename}: a control character in {where} of "
                                   f"<{etree.QName(el).localname if isinstance(el.tag, str) else el.tag}>: "
                                   f"{text[:80]!r}")
                if not isinstance(el.tag, str):
                    continue
                for name, value in el.attrib.items():
                    local = etree.QName(name).localname
                    tag = etree.QName(el).localname
                    if _CTRL_ATTR.search(value):
                        bad.append(f"{info.filename}: a control character in <{tag} {local}=>: {value[:80]!r}")
                    elif tag == "color" and local == "val" and not _HEX.match(value):
                        bad.append(f"{info.filename}: <color val={value[:40]!r}> is not RRGGBB")
                    elif tag == "rFonts" and value != value.strip():
                        bad.append(f"{info.filename}: <rFonts {local}={value[:40]!r}> has outer white space")
                if len(bad) > 20:
                    return bad
    return bad


_PLACEHOLDERS: set[str] = set()        # sha256 of the DOCX's own placeholder image(s)


def _mostly_white(im) -> bool:
    """The fuzz suite's emblems are solid dark or transparent fills; docgen's placeholder is white."""
    grey = im.convert("L")
    hist = grey.histogram()
    return hist[255] > 0.5 * sum(hist)


def _docx_images(path: str) -> list[list[int]]:
    """(width, height) of every image in word/media except docgen's own placeholder."""
    import hashlib
    import zipfile

    from PIL import Image
    sizes = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.startswith("word/media/"):
                continue
            data = z.read(name)
            if hashlib.sha256(data).hexdigest() in _PLACEHOLDERS:
                continue
            try:
                with Image.open(io.BytesIO(data)) as im:
                    size = list(im.size)
                    if size[0] * size[1] <= 4_000_000 and _mostly_white(im):
                        continue         # docgen's placeholder (a dashed box on white), drawn per geometry
                    sizes.append(size)
            except Exception:
                sizes.append([-1, -1])
    return sorted(sizes)


def _pdf_images(path: str) -> list[list[int]]:
    import pikepdf
    with pikepdf.open(path) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        masks = {o.get("/SMask").objgen for o in images if o.get("/SMask") is not None}
        return sorted([int(o.get("/Width", -1)), int(o.get("/Height", -1))] for o in images
                      if o.objgen not in masks)       # an alpha channel (SMask) is not another image


def _learn_placeholders() -> None:
    import hashlib
    import tempfile
    import zipfile

    from docgen import api
    with tempfile.TemporaryDirectory() as tmp:
        for example in ("01_external_references", "02_memo"):
            r = api.render_file(os.path.join(ROOT, "examples", example + ".yaml"), tmp, formats=("docx",))
            with zipfile.ZipFile(r.paths["docx"]) as z:
                _PLACEHOLDERS.update(hashlib.sha256(z.read(n)).hexdigest()
                                     for n in z.namelist() if n.startswith("word/media/"))


def _check_pdf(path: str) -> list[str]:
    import pikepdf
    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) < 1:
                return ["the PDF has no pages"]
    except Exception as e:
        return [f"pikepdf cannot open it: {type(e).__name__}: {str(e)[:200]}"]
    return []


def _opened_outside(raw: list[tuple[str, str]]) -> list[str]:
    out, seen = [], set()
    for path, cwd in raw:
        full = path if os.path.isabs(path) else os.path.join(cwd, path)
        if full in seen:
            continue
        seen.add(full)
        try:
            real = os.path.realpath(full)
        except Exception:
            real = full
        if real.startswith(_PREFIXES):
            continue                    # the interpreter's own files (stdlib, site-packages)
        if real not in out:
            out.append(real)
    return out


def run_case(case: dict, work: str, canary: str) -> dict:
    case_dir = os.path.join(work, case.get("_dir") or "case")
    if os.path.lexists(case_dir):
        shutil.rmtree(case_dir, ignore_errors=True)
    os.makedirs(case_dir)
    _materialise(case, case_dir, canary)
    env_saved = dict(os.environ)
    os.environ.pop("DOCGEN_DATABASE_URL", None)
    os.environ.update({"XDG_CONFIG_HOME": os.path.join(case_dir, ".config"), "USER": "fuzz",
                       "HOME": case_dir, **{k: _expand(v, case_dir, canary)
                                            for k, v in (case.get("env") or {}).items()}})
    from docgen import cli
    result = {"name": case.get("name"), "setup": []}
    os.chdir(case_dir)
    try:
        for argv in case.get("setup") or []:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = cli.main([_expand(a, case_dir, canary) for a in argv])
            result["setup"].append({"argv": argv, "exit": rc, "stderr": err.getvalue()[-2000:]})
        before = _snapshot(case_dir)
        argv = [_expand(a, case_dir, canary) for a in case["argv"]]
        out, err = io.StringIO(), io.StringIO()
        _peak_reset()
        _RECORD.update(on=True, opens=[], spawns=[], network=[])
        t0 = time.perf_counter()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = cli.main(argv)
        except BaseException as e:       # SystemExit, a raised exception: all reach the user
            rc = e.code if isinstance(e, SystemExit) else None
            err.write("Traceback (most recent call last):\n" + "".join(traceback.format_exception(e))[-4000:])
            if isinstance(e, KeyboardInterrupt):
                rc = 130
        finally:
            seconds = time.perf_counter() - t0
            _RECORD["on"] = False
        peak = _peak_kb()
        result.update(exit=rc, seconds=round(seconds, 4), peak_kb=peak,
                      stdout=out.getvalue()[-6000:], stderr=err.getvalue()[-6000:],
                      spawns=list(_RECORD["spawns"]), network=list(_RECORD["network"]),
                      opens=_opened_outside(_RECORD["opens"]))
        after = _snapshot(case_dir)
        result["new_files"] = sorted(after - before)
        result["removed_files"] = sorted(before - after)
        checks = {}
        for rel in result["new_files"]:
            full = os.path.join(case_dir, rel)
            if rel.endswith(".pdf") and os.path.isfile(full):
                checks[rel] = _check_pdf(full)
            elif rel.endswith(".docx") and os.path.isfile(full):
                checks[rel] = _check_docx(full)
        result["checks"] = checks
        images = {}
        for rel in result["new_files"]:
            if rel.endswith(".pdf") and os.path.isfile(os.path.join(case_dir, rel[:-4] + ".docx")):
                with contextlib.suppress(Exception):
                    images[rel[:-4]] = {"pdf": _pdf_images(os.path.join(case_dir, rel)),
                                        "docx": _docx_images(os.path.join(case_dir, rel[:-4] + ".docx"))}
        result["images"] = images
    finally:
        os.chdir(work)
        os.environ.clear()
        os.environ.update(env_saved)
        if not case.get("_keep"):
            shutil.rmtree(case_dir, ignore_errors=True)
    return result


def main() -> None:
    sys.addaudithook(_hook)             # first: before docgen or any library is imported
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)                        # anything a library prints at C level goes to the log
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), encoding="utf-8", write_through=True)
    work, canary = sys.argv[1], sys.argv[2]
    limit_mb = int(os.environ.get("DOCGEN_FUZZ_MEMORY_MB") or 0)
    if limit_mb:
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    import faulthandler
    faulthandler.enable()
    t0 = time.perf_counter()
    # what every docgen process imports and warms: start-up is measured under the hooks too
    from docgen import cli
    cli.build_parser()
    from docgen.render import docx as _docx  # noqa: F401
    from docgen.render import pdf as _pdf
    with contextlib.suppress(Exception):
        _pdf.warm_up()
    with contextlib.suppress(Exception):
        _learn_placeholders()
    import docx  # noqa: F401  (the checks' own imports, outside any case)
    import pikepdf  # noqa: F401
    from lxml import etree  # noqa: F401
    proto.write(json.dumps({"ready": True, "pid": os.getpid(), "seconds": round(time.perf_counter() - t0, 3),
                            "startup_spawns": _STARTUP["spawns"], "startup_network": _STARTUP["network"],
                            "startup_opens": _opened_outside(_STARTUP["opens"])}) + "\n")
    hang_after = float(os.environ.get("DOCGEN_FUZZ_DUMP_AFTER") or 0)
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        if case.get("op") == "ping":
            proto.write(json.dumps({"ok": True}) + "\n")
            continue
        print(f"--- case {case.get('name')!r}", file=sys.stderr, flush=True)
        if hang_after:
            faulthandler.dump_traceback_later(hang_after, exit=False)
        try:
            answer = run_case(case, work, canary)
        except BaseException as e:      # the harness itself: say so, never die silently
            answer = {"name": case.get("name"), "harness_error": "".join(traceback.format_exception(e))[-3000:]}
        finally:
            if hang_after:
                faulthandler.cancel_dump_traceback_later()
        usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        usage_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        answer.update(maxrss_self_kb=usage_self, maxrss_children_kb=usage_children)
        proto.write(json.dumps(answer, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
