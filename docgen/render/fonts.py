"""WeasyPrint font folders that docgen owns, and their removal.

WeasyPrint's ``FontConfiguration`` copies every ``@font-face`` into a ``weasyprint-*`` folder
of the temporary directory and removes it only in ``__del__``, which never runs for the
configuration docgen keeps for the whole process, nor in a batch worker (it leaves through
``os._exit``).  docgen's configurations therefore name their folder
``docgen-fonts-<pid>-<host>-…``, and:

* this process removes the folders it created at exit (``atexit``), a batch worker at its
  exit (``at_worker_exit``: multiprocessing's finalizers, which run before ``os._exit``);
* ``sweep()`` removes the folders of processes that are gone (a killed worker or batch):
  only folders of this user, made on this host, whose process id no longer exists.
  The batch calls it when its pool starts and closes; the first configuration of a process
  calls it too.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import socket
import stat
import tempfile
from functools import lru_cache
from pathlib import Path

PREFIX = "docgen-fonts-"
_owned: dict[str, int] = {}          # folder → the process id that created it


@lru_cache(maxsize=1)
def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def new_folder() -> Path:
    """A new font folder of this process (removed at its exit)."""
    pid = os.getpid()
    path = tempfile.mkdtemp(prefix=f"{PREFIX}{pid}-{_host()}-")
    _owned[path] = pid
    return Path(path)


def cleanup() -> None:
    """Remove the font folders this process created (not those a forked parent made)."""
    pid = os.getpid()
    for path, owner in list(_owned.items()):
        if owner == pid:
            shutil.rmtree(path, ignore_errors=True)
            _owned.pop(path, None)


atexit.register(cleanup)


def at_worker_exit() -> None:
    """In a multiprocessing worker: remove its font folders when it exits normally."""
    from multiprocessing import util
    util.Finalize(None, cleanup, exitpriority=10)


def _alive(pid: int, made: float) -> bool:
    """Whether the process that made a folder (at ``made``, epoch seconds) may still run.
    On Linux, a zombie (a killed worker whose parent died too, not yet reaped) is gone, and
    a process that started after the folder was made only reuses the number."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True                  # someone else's process, or cannot tell: keep it
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        if fields[0] in ("Z", "X"):
            return False
        btime = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                     if line.startswith("btime "))
        started = btime + int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return started <= made + 2   # (btime is whole seconds)
    except (OSError, ValueError, IndexError, StopIteration):
        return True


def sweep(tmp: str | os.PathLike | None = None) -> list[Path]:
    """Remove the font folders left by docgen processes that no longer run; returns them."""
    root = Path(tmp or tempfile.gettempdir())
    removed: list[Path] = []
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        candidates = list(root.glob(f"{PREFIX}*"))
    except OSError:
        return removed
    for path in candidates:
        parts = path.name[len(PREFIX):].split("-")
        if len(parts) < 3 or not parts[0].isdigit() or parts[1] != _host():
            continue
        pid = int(parts[0])
        try:
            st = path.lstat()
        except OSError:
            continue
        if pid == os.getpid() or _alive(pid, st.st_ctime):
            continue
        if not stat.S_ISDIR(st.st_mode) or (uid is not None and st.st_uid != uid):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


@lru_cache(maxsize=1)
def _config_class():
    from weasyprint.text.fonts import FontConfiguration

    class DocgenFontConfiguration(FontConfiguration):
        """WeasyPrint's configuration, with its font folder made by ``new_folder``."""

        def add_font_face(self, rule_descriptors, url_fetcher):
            if self._folder is None:                 # WeasyPrint makes it here, lazily, too
                self._folder = new_folder()
            return super().add_font_face(rule_descriptors, url_fetcher)

        def __del__(self):
            folder = self._folder
            super().__del__()
            try:
                if folder and _owned.get(str(folder)) == os.getpid():
                    _owned.pop(str(folder), None)
            except (AttributeError, TypeError):      # interpreter shutdown: module globals gone
                pass

    return DocgenFontConfiguration


_swept = False


def font_config():
    """A new ``FontConfiguration`` whose folder docgen removes (see the module's docstring)."""
    global _swept
    if not _swept:
        _swept = True
        sweep()
    return _config_class()()
