"""Render stage: one module per output format, each ``render_<fmt>(composed, target)``.

Renderers place the composed strings; they never change them.  Both read page
geometry from ``composed.geometry`` (data/layout.yaml + profile overrides).

``render_all`` is how docgen writes a letter: every format of it, or none (see below), within
the render time budget (``deadline``).
"""
from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
import sys as _sys
import types as _types

from ..errors import MessageError

BUDGET_ENV = "DOCGEN_RENDER_SECONDS"
STAGING_PREFIX = ".docgen-render-"


def get(fmt: str):
    """The renderer function for a format (imported lazily: WeasyPrint is slow to import)."""
    if fmt == "pdf":
        from .pdf import render_pdf
        return render_pdf
    if fmt == "docx":
        from .docx import render_docx
        return render_docx
    raise ValueError(f"unknown format {fmt!r}; use pdf or docx")


def prepare(formats) -> dict:
    """The renderer of each format, its one-time loading done (WeasyPrint, fonts, the word
    list): never counted in a render's time budget, nor cut off half-way by it."""
    renderers = {fmt: get(fmt) for fmt in formats}
    if "pdf" in renderers:
        from .pdf import warm_up
        warm_up()
    return renderers


# ---- errors -------------------------------------------------------------------------

class RenderError(MessageError):
    """A render that failed for a reason of its own (no pages, over its time budget …).
    Picklable, so a batch worker's error reaches the driver intact."""

    def __reduce__(self):
        return (_rebuild, (type(self), self.code, self.kw))


def _rebuild(cls, code, kw):
    return cls(code, **kw) if cls is RenderError else cls(**kw)


class RenderTimeout(RenderError):
    """The render took longer than its budget and was stopped."""

    def __init__(self, seconds: float | str):
        super().__init__("render-timeout", seconds=_fmt_seconds(seconds))


def _fmt_seconds(seconds) -> str:
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        return str(seconds)
    return f"{s:g}"


# ---- the time budget ----------------------------------------------------------------
#
# One document (every format, compose included where the caller wraps it) gets
# ``budget_seconds()``: the --timeout option (``budget_override``), else $DOCGEN_RENDER_SECONDS,
# else data/limits.yaml ``render.seconds``.  In a process's main thread the render is STOPPED
# when the budget runs out: SIGALRM (setitimer) raises ``RenderTimeout`` inside the render, at
# the next Python instruction (a single long C call, if any, finishes first).  Batch workers are
# processes, so each worker's render has its own alarm.  In any other thread no signal can be
# delivered (nor while the application runs an interval timer of its own, which docgen leaves
# alone): the render runs to its end and is then refused (``RenderTimeout``, nothing left) if it
# took longer than the budget.  See docs/decisions.md "Render time budget".

_override: float | None = None
_state = threading.local()


def parse_seconds(text, source: str = BUDGET_ENV) -> float:
    """A budget in seconds: a finite number > 0 (MessageError naming ``source`` otherwise)."""
    try:
        value = float(str(text).strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0 or value > 86400:
        raise MessageError("render-seconds-invalid", source=source, value=str(text)[:40])
    return value


def set_budget(seconds: float | None) -> float | None:
    """Set (or clear, with None) the process-wide budget override; returns the previous one."""
    global _override
    previous, _override = _override, seconds
    return previous


def budget_override() -> float | None:
    """The --timeout override in force (None: the setting decides)."""
    return _override


def budget_seconds() -> float:
    """The budget of one render, in seconds (see above for where it comes from)."""
    if _override is not None:
        return _override
    env = os.environ.get(BUDGET_ENV)
    if env is not None and env.strip():
        return parse_seconds(env, BUDGET_ENV)
    from .. import limits
    return parse_seconds(limits.get("render.seconds"), "data/limits.yaml render.seconds")


def _can_alarm() -> bool:
    """SIGALRM is ours to use: the main thread, and no one else's interval timer running
    (an application's own alarm is never moved; the render is then measured instead)."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


@contextlib.contextmanager
def deadline(seconds: float | None = None):
    """Run the block within the render budget; ``RenderTimeout`` when it is exceeded.

    Re-entrant: inside an active deadline (render_file → render) the outer one governs."""
    if getattr(_state, "active", False):
        yield
        return
    seconds = budget_seconds() if seconds is None else seconds
    _state.active = True
    start = time.monotonic()
    try:
        if _can_alarm():
            with _alarm(seconds):
                yield
        else:
            yield
            if time.monotonic() - start > seconds:
                raise RenderTimeout(seconds)
    finally:
        _state.active = False


@contextlib.contextmanager
def _alarm(seconds: float):
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:
            armed[0] = False
            raise RenderTimeout(seconds)

    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)


# ---- all or nothing -----------------------------------------------------------------

def render_all(composed, targets: dict[str, Path]) -> dict[str, Path]:
    """Write every ``{format: target}`` of one letter, or none of them.

    Each format is rendered into a staging folder beside its target (a hidden
    ``.docgen-render-*``), within one time budget.  Only when every format succeeded are the
    files moved onto their names; if a move fails, the files already moved are taken back (a
    file that was there before is restored).  Any failure leaves no new file, and a file
    docgen did not write is never removed.
    """
    targets = {fmt: Path(t) for fmt, t in targets.items()}
    renderers = prepare(targets)                       # an unknown format: before anything is written
    stages: dict[Path, Path] = {}
    made: list[Path] = []                              # output folders this render created
    try:
        staged: dict[str, Path] = {}
        with deadline():
            for fmt, target in targets.items():
                stage = stages.get(target.parent)
                if stage is None:
                    made += _make_dirs(target.parent)
                    stage = stages[target.parent] = Path(
                        tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target.parent))
                staged[fmt] = stage / target.name            # a renderer sees its file's real name
                renderers[fmt](composed, staged[fmt])
                if not staged[fmt].is_file():
                    raise RenderError("render-no-output", fmt=fmt)
        _place_all(staged, targets, stages)
    except BaseException:
        for stage in stages.values():
            shutil.rmtree(stage, ignore_errors=True)
        for folder in reversed(made):                  # only if still empty (never another's file)
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for stage in stages.values():
        shutil.rmtree(stage, ignore_errors=True)
    return targets


def _make_dirs(folder: Path) -> list[Path]:
    """``mkdir -p``; returns the folders it created, outermost first."""
    missing = []
    for f in (folder, *folder.parents):
        if f.exists():
            break
        missing.append(f)
    folder.mkdir(parents=True, exist_ok=True)
    return missing[::-1]


def _place_all(staged: dict[str, Path], targets: dict[str, Path], stages: dict[Path, Path]) -> None:
    placed: list[tuple[Path, Path | None]] = []
    try:
        for fmt, target in targets.items():
            backup = None
            if os.path.lexists(target) and not os.path.isdir(target):
                backup = stages[target.parent] / f".previous.{fmt}"
                try:
                    os.link(target, backup, follow_symlinks=False)
                except OSError:
                    backup = None
            try:
                os.replace(staged[fmt], target)
            except OSError as e:                       # name the file the user asked for
                raise OSError(e.errno, e.strerror, str(target)) from None
            placed.append((target, backup))
    except BaseException:
        for target, backup in reversed(placed):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink()
        raise


# ``docgen.render(letter, …)`` is the library's entry point (docgen/__init__.py), and
# ``docgen.render`` is also this package once anything imports it: the package is made callable
# so both spellings mean the same, whichever was imported first.
class _CallablePackage(_types.ModuleType):
    def __call__(self, letter, profile=None, formats=("pdf", "docx"), base=None, today=None):
        from ..api import render_letter
        return render_letter(letter, profile, formats, base, today)


_sys.modules[__name__].__class__ = _CallablePackage
