"""Output stage helpers: safe file names and atomic writes (temporary name, then rename)."""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

_SAFE = re.compile(r"[^\w\u0e00-\u0e7f.-]+")


STEM_BYTES = 150          # a stem's UTF-8 length: room for "-r12.docx" and more, well within 255 bytes
NAME_BYTES = 255          # one file-name component on every common file system
TMP_PREFIX = ".docgen-tmp-"   # temporary files: ".docgen-tmp-XXXXXXXX.pdf.part" (batch sweeps ".*.part")


def clean_stem(text: str) -> str:
    """A file stem made safe as it is: no path parts, no leading dots, only safe characters.
    Dots inside are kept ("ก.พ.ร."); the stem is cut to ``STEM_BYTES`` bytes of UTF-8.

    >>> clean_stem("นร1200-74-2567-ถึง_สลค._รายงานผล")
    'นร1200-74-2567-ถึง_สลค._รายงานผล'
    >>> clean_stem("../x/.hidden name")
    'hidden_name'
    >>> len(clean_stem("ก" * 200).encode())
    150
    """
    stem = Path(text.replace("\\", "/")).name
    stem = _SAFE.sub("_", stem).strip("._")
    cut = stem.encode("utf-8")[:STEM_BYTES].decode("utf-8", "ignore")
    return cut.rstrip("._") or "letter"


def fit_name(stem: str, suffix: str) -> str:
    """``stem + suffix`` cut (in the stem, on a character boundary) to ``NAME_BYTES`` of UTF-8:
    for names built from a name the user chose (``-o FOLDER`` + ".zip").

    >>> len(fit_name("ก" * 85, ".zip").encode())
    253
    >>> fit_name("batch.2567", ".zip")
    'batch.2567.zip'
    """
    room = NAME_BYTES - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
    return (cut or "docgen") + suffix


def safe_stem(name: str) -> str:
    """The safe stem of a FILE NAME: its extension dropped, then ``clean_stem``.
    Give it a file name, never a stem (a stem's last dot is not an extension).

    >>> safe_stem("../../etc/passwd")
    'passwd'
    >>> safe_stem("หนังสือ ถึง สลค.yaml")
    'หนังสือ_ถึง_สลค'
    >>> safe_stem("ถึง สลค. รายงานผล.yaml")
    'ถึง_สลค._รายงานผล'
    >>> safe_stem("...")
    'letter'
    """
    stem = Path(name.replace("\\", "/")).name
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    return clean_stem(stem)


def place(staged: Path, final: Path) -> None:
    """Move a finished file onto its final name, never over an existing file
    (a hard link fails if the name exists; where links are not supported, check then rename)."""
    try:
        os.link(staged, final)
    except FileExistsError:
        raise
    except OSError:
        if final.exists():
            raise FileExistsError(17, "File exists", str(final)) from None
        os.replace(staged, final)
        return
    os.unlink(staged)


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any exception the temporary file is removed, so a crash never leaves a half file.
    The temporary name is short whatever the target's (``.docgen-tmp-XXXXXXXX.pdf.part``: a fixed
    prefix, a random part, the target's extension), so a target whose name fits in 255 bytes
    always has a temporary name that fits too.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    ext = target.suffix if len(target.suffix.encode()) <= 16 else ""
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=f"{ext}.part", dir=target.parent)
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
