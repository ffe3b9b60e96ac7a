"""Agency images (the emblem): the asset fence, and the decode check both renderers rely on.

**The fence** (docs/decisions.md "Asset fence").  A file named by a letter or a profile is
read only if the file actually opened, every symbolic link resolved (``os.path.realpath``),
is a regular file under the folder of the file that names it (the letter's folder, or the
profile's folder when the profile names it) or under a folder listed in docgen.toml's
``[assets] allowed`` (``config.asset_folders``).  The path as written must stay inside those
folders too: no URL, and no absolute or ``../`` path unless it lies in an allowed folder.

There is no gap between the check and the read: the path is resolved and checked first
(so a file outside is not even opened), then opened (``O_NONBLOCK``: a FIFO never blocks),
then the real path of the *open descriptor* (``/proc/self/fd/N``, or ``fstat`` compared with
the resolved path where there is no ``/proc``) is checked again, and the bytes are read from
that descriptor only.  A link swapped between the two checks is refused, not read.

**The image.**  The bytes are decoded with Pillow before anything uses them: PNG or JPEG
only, at most ``image.bytes`` bytes, ``image.side`` pixels a side and ``image.pixels`` pixels
in all (checked from the header, before the pixels are decompressed), one frame, decoded to
the last pixel.  A plain 8-bit RGB/RGBA PNG is kept byte for byte; anything else (JPEG, CMYK,
palette, grey, 16-bit, an EXIF orientation, a pHYs Word cannot use, bytes after the end) is
re-encoded as a PNG (RGB or RGBA) of the same pixels, upright.  The result, an ``Image``, is
what the model keeps and what **both** renderers use: the PDF through its URL fetcher under
``Image.url`` (a ``docgen-asset:`` URL no other fetcher resolves), the DOCX as the picture's
bytes.  No renderer opens the file again, so both print the same validated image or, when
it is unusable (an error naming ``emblem``), neither prints anything.
"""
from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

from . import limits
from .errors import Problems

URL_SCHEME = "docgen-asset"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_PROC_FD = "/proc/self/fd"


class Image(str):
    """A validated image.  As a ``str`` it is the real path of the file it was read from (so
    code that prints or records the emblem's path keeps working); the pixels travel in
    ``data``: PNG or JPEG bytes that decode completely, the same for every renderer."""

    def __new__(cls, real_path: str, data: bytes, width: int, height: int, mime: str = "image/png"):
        self = super().__new__(cls, real_path)
        self.data, self.width, self.height, self.mime = data, width, height, mime
        self.sha256 = hashlib.sha256(data).hexdigest()
        return self

    def __str__(self) -> str:          # str(image) keeps the image (compose does str(emblem))
        return self

    def __getnewargs__(self):          # copy, deepcopy (dataclasses.asdict) and pickle
        return (str.__str__(self), self.data, self.width, self.height, self.mime)

    @property
    def path(self) -> str:
        return str.__str__(self)

    @property
    def url(self) -> str:
        """The fixed internal URL the PDF's URL fetcher serves these bytes under."""
        return f"{URL_SCHEME}:{self.sha256}.{'png' if self.mime == 'image/png' else 'jpg'}"

    def __repr__(self) -> str:
        return f"Image({self.path!r}, {self.width}×{self.height}, {self.mime}, sha256={self.sha256[:12]}…)"


def validated(value) -> Image | None:
    """The validated image a composed letter carries (None: the placeholder).  Renderers call
    this, never ``open()``: a plain path here means the model was bypassed."""
    if value is None or value == "":
        return None
    if not isinstance(value, Image):
        raise TypeError("the emblem must be a validated docgen.assets.Image (model.validate), "
                        f"not {type(value).__name__}: renderers never read image files themselves")
    return value


# ---- the fence ----------------------------------------------------------------------

class AssetError(Exception):
    """A file or image docgen will not use: ``code`` and ``kw`` for the message catalogue."""

    def __init__(self, code: str, **kw):
        self.code, self.kw = code, kw
        super().__init__(code)


def inside(real: str, roots) -> bool:
    """Whether a real path is one of ``roots`` or below one of them."""
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _fd_realpath(fd: int, resolved: str) -> str:
    """The real path of the file open on ``fd``."""
    link = f"{_PROC_FD}/{fd}"
    try:
        return os.path.realpath(os.readlink(link))
    except OSError:                      # no /proc: the resolved path must be that very file
        st, here = os.fstat(fd), os.stat(resolved)
        if (st.st_dev, st.st_ino) != (here.st_dev, here.st_ino):
            raise AssetError("emblem-unreadable", detail="the file changed while it was opened") from None
        return resolved


def read_fenced(path: str | Path, roots, max_bytes: int) -> tuple[bytes, str]:
    """``(bytes, real path)`` of ``path`` if the file opened is a regular file under one of
    ``roots`` (real paths); AssetError otherwise.  Nothing outside is read (see the module doc)."""
    path = os.fspath(path)
    roots = tuple(roots)
    if not inside(os.path.realpath(path), roots):
        raise AssetError("emblem-outside")                    # never opened
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        import errno
        if e.errno == errno.ELOOP:
            raise AssetError("emblem-loop") from None
        if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):
            raise AssetError("emblem-notfound") from None
        raise AssetError("emblem-unreadable", detail=e.strerror or type(e).__name__) from None
    try:
        real = _fd_realpath(fd, os.path.realpath(path))
        if not inside(real, roots):                          # swapped after the first check
            raise AssetError("emblem-outside")
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise AssetError("emblem-not-file")
        if st.st_size > max_bytes:
            raise AssetError("emblem-bytes", size=st.st_size, limit=max_bytes)
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:                                  # grew while read
            raise AssetError("emblem-bytes", size=f"> {max_bytes}", limit=max_bytes)
        return b"".join(chunks), real
    except OSError as e:
        raise AssetError("emblem-unreadable", detail=e.strerror or type(e).__name__) from None
    finally:
        os.close(fd)


# ---- the decode check ---------------------------------------------------------------

def _png_header(data: bytes) -> tuple[int, int, int, int] | None:
    """(width, height, bit depth, colour type) from a PNG's IHDR, None if it has none."""
    if len(data) < 29 or data[12:16] != b"IHDR":
        return None
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, depth, colour


_STRICT = threading.Lock()


@contextmanager
def _strict_decoding():
    """Pillow refuses truncated data while the image is decoded here.  WeasyPrint sets
    ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole process when it is imported (so
    a cut-off file would decode as a half-grey picture); docgen checks with the default back,
    briefly and under a lock.  WeasyPrint itself only ever loads images validated here."""
    from PIL import ImageFile
    with _STRICT:
        before, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _png_chunks_ok(data: bytes) -> str | None:
    """None if the PNG's chunks are whole, with good CRCs, up to IEND; else what is wrong."""
    import zlib
    pos, n, view = 8, len(data), memoryview(data)
    while pos + 12 <= n:
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > n:
            return f"chunk {kind!r} cut short"
        if zlib.crc32(view[pos + 4:end - 4]) != struct.unpack(">I", data[end - 4:end])[0]:
            return f"chunk {kind!r} has a bad checksum"
        if kind == b"IEND":
            return None
        pos = end
    return "no IEND chunk (the file is cut short)"


def _check_pixels(width: int, height: int) -> None:
    side, most = limits.get("image.side"), limits.get("image.pixels")
    if width < 1 or height < 1 or width > side or height > side or width * height > most:
        raise AssetError("emblem-pixels", width=width, height=height, side=side, limit=most)


_CACHE_LOCK = threading.Lock()
# (sha256 of a file's bytes, limits) → decode()'s answer: a batch validates the same emblem
# for every row, and it is read through the fence every time but decoded once
_DECODED: dict[tuple, tuple] = {}
_DECODED_MAX = 8


def decode(data: bytes) -> tuple[bytes, int, int, str]:
    """``(bytes, width, height, mime)`` of an image both renderers can use (the module doc
    says which are kept and which re-encoded); AssetError when it cannot be used.  The same
    bytes always give the same answer, so it is remembered per content hash."""
    key = (hashlib.sha256(data).hexdigest(), limits.get("image.side"), limits.get("image.pixels"))
    known = _DECODED.get(key)
    if known is None:
        try:
            known = ("ok", _decode(data))
        except AssetError as e:
            known = ("error", e.code, e.kw)
        with _CACHE_LOCK:
            while len(_DECODED) >= _DECODED_MAX:
                _DECODED.pop(next(iter(_DECODED)))
            _DECODED[key] = known
    if known[0] == "error":
        raise AssetError(known[1], **known[2])
    return known[1]


def _decode(data: bytes) -> tuple[bytes, int, int, str]:
    from PIL import Image as PILImage
    from PIL import ImageOps

    if not (data.startswith(PNG_MAGIC) or data.startswith(JPEG_MAGIC)):
        raise AssetError("emblem-format")
    is_png = data.startswith(PNG_MAGIC)
    header = _png_header(data) if is_png else None
    if is_png and header is None:
        raise AssetError("emblem-decode", detail="no PNG header (IHDR)")
    if header:
        _check_pixels(header[0], header[1])               # before Pillow allocates anything
        broken = _png_chunks_ok(data)
        if broken:
            raise AssetError("emblem-decode", detail=broken)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")               # DecompressionBombWarning: checked below
            im = PILImage.open(io.BytesIO(data), formats=("PNG",) if is_png else ("JPEG",))
        _check_pixels(*im.size)
        frames = getattr(im, "n_frames", 1)
        if frames != 1:
            raise AssetError("emblem-frames", frames=frames)
        with _strict_decoding():
            im.load()                                     # every pixel: truncated data fails here
    except AssetError:
        raise
    except PILImage.DecompressionBombError as e:          # a JPEG header beyond Pillow's own guard
        raise AssetError("emblem-pixels", width="?", height="?", side=limits.get("image.side"),
                         limit=limits.get("image.pixels")) from e
    except Exception as e:                                # any failure to decode: unusable
        raise AssetError("emblem-decode", detail=" ".join(f"{type(e).__name__}: {e}".split())[:120]) from None

    try:
        orientation = im.getexif().get(0x0112, 1)
    except Exception:                                     # unreadable EXIF: no orientation
        orientation = 1
    dpi = im.info.get("dpi", (72, 72))
    try:                                                  # python-docx: int(round(dpi)) divides
        dpi_ok = all(round(float(d)) >= 1 for d in dpi)
    except (TypeError, ValueError, OverflowError):
        dpi_ok = False
    if (is_png and header[2] == 8 and header[3] in (2, 6) and orientation in (None, 1) and dpi_ok
            and data.endswith(_PNG_END) and im.mode in ("RGB", "RGBA")):
        return data, im.width, im.height, "image/png"     # already what both renderers want

    try:
        if orientation not in (None, 1):
            im = ImageOps.exif_transpose(im)
        if im.mode.startswith("I"):                       # 16-bit grey: scale, never clip
            im = im.point(lambda v: v / 257).convert("L")
        alpha = im.mode in ("RGBA", "LA", "La", "RGBa", "PA") or "transparency" in im.info
        im = im.convert("RGBA" if alpha else "RGB")
        out = io.BytesIO()
        im.save(out, "PNG", compress_level=6)             # no metadata: pixels only
    except Exception as e:
        raise AssetError("emblem-decode", detail=" ".join(f"{type(e).__name__}: {e}".split())[:120]) from None
    return out.getvalue(), im.width, im.height, "image/png"


# ---- the emblem field ---------------------------------------------------------------

def _allowed() -> tuple[str, ...]:
    """The configured ``[assets] allowed`` folders, absolute (ConfigError if unusable)."""
    from .config import asset_folders
    folders, _ = asset_folders()
    return tuple(os.path.abspath(f) for f in folders)


def load_image(value: str, base: str | Path, allowed=None) -> Image:
    """The image a letter or profile names as ``value`` (relative to ``base``, the folder of
    the file that names it), fenced and decoded; AssetError (or ConfigError) otherwise.
    ``allowed``: the extra folders (default: docgen.toml's ``[assets] allowed``, read only
    when the path leaves ``base``)."""
    raw = value.strip()
    if len(raw.encode("utf-8", "surrogatepass")) > limits.get("files.path_bytes") or "\x00" in raw:
        raise AssetError("emblem-notfound")
    try:
        os.fsencode(raw)                              # a lone surrogate names no file
    except UnicodeError:
        raise AssetError("emblem-notfound") from None
    if "://" in raw or raw.lower().startswith(("file:", "data:", URL_SCHEME + ":")):
        raise AssetError("path-unsafe")
    base_abs = os.path.abspath(os.fspath(base))
    full = os.path.normpath(os.path.join(base_abs, raw))
    extra = None if allowed is None else tuple(os.path.abspath(a) for a in allowed)

    def extra_folders() -> tuple[str, ...]:          # docgen.toml is read only when needed
        nonlocal extra
        if extra is None:
            extra = _allowed()
        return extra

    p = Path(raw)
    if p.is_absolute() or ".." in p.parts:            # as written: only into an allowed folder
        folders = extra_folders()
        if not inside(full, folders + tuple(os.path.realpath(f) for f in folders)):
            raise AssetError("path-unsafe")
    roots = (os.path.realpath(base_abs),)
    if not inside(os.path.realpath(full), roots):    # as resolved: the base or an allowed folder
        roots += tuple(os.path.realpath(f) for f in extra_folders())
    data, real = read_fenced(full, roots, limits.get("image.bytes"))
    out, width, height, mime = decode(data)
    return Image(real, out, width, height, mime)


def emblem(problems: Problems, value, base: Path) -> Image | None:
    """The ``emblem`` field: None (placeholder, with a warning) when none is given; the
    validated Image; or None with an error naming ``emblem`` when it cannot be used."""
    from .config import ConfigError
    from .i18n import Msg

    if value in (None, ""):
        problems.warn("emblem", "emblem-missing")
        return None
    shown = value.strip()[:100]
    try:
        return load_image(value, base)
    except AssetError as e:
        problems.error("emblem", e.code, value=shown, **e.kw)
    except ConfigError as e:
        problems.error("emblem", "emblem-config", value=shown, detail=Msg(e.code, tuple(e.kw.items())))
    return None


def optional_image(problems: Problems, field: str, value, base: Path) -> Image | None:
    """An image field other than the emblem (``seal``, ``photo``): None when not given (the
    type prints its placeholder or nothing), the validated Image, or None with an error naming
    ``field``.  The same fence and checks as the emblem, with the image's own messages."""
    from .config import ConfigError
    from .i18n import Msg

    if value in (None, ""):
        return None
    shown = value.strip()[:100]
    try:
        return load_image(value, base)
    except AssetError as e:
        code = "image-" + e.code.removeprefix("emblem-") if e.code.startswith("emblem-") else e.code
        problems.error(field, code, value=shown, **e.kw)
    except ConfigError as e:
        problems.error(field, "image-config", value=shown, detail=Msg(e.code, tuple(e.kw.items())))
    return None
