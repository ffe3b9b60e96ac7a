"""Output stage helpers: safe file names and atomic writes (temporary name, then rename)."""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

_SAFE = re.compile(r"[^\w\u0e00-\u0e7f.-]+")


def safe_stem(name: str) -> str:
    """A file stem with no path parts, no leading dots and only safe characters.

    >>> safe_stem("../../etc/passwd")
    'passwd'
    >>> safe_stem("หนังสือ ถึง สลค.yaml")
    'หนังสือ_ถึง_สลค'
    >>> safe_stem("...")
    'letter'
    """
    stem = Path(name.replace("\\", "/")).name
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = _SAFE.sub("_", stem).strip("._")
    return stem[:120] or "letter"


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any exception the temporary file is removed, so a crash never leaves a half file.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())        # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(target: Path, content: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(content)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading '.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-5"), spreadsheet_safe("ที่ นร"), spreadsheet_safe(3)
    ("'=HYPERLINK(1)", "'-5", 'ที่ นร', 3)
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
