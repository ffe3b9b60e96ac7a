"""The small, version-pinned adaptation of WeasyPrint for Thai (rendering.md §2–3).

1. Justification: WeasyPrint stretches only U+0020/U+00A0.  Thai has no spaces
   between words, so we put ZWSP (U+200B) at word boundaries at render time and
   teach WeasyPrint to count and stretch ZWSP too.
2. Continuation markers in one layout pass: ``layout_document`` lays out every page
   (``make_all_pages``), then adds the margin boxes in a last loop (``make_margin_boxes``).
   Both names are looked up in ``weasyprint.layout`` at call time, so wrappers replace them:
   the first keeps the laid-out pages, the second, on the loop's first call, reads the first
   line of every page, and the bottom-right margin box of page n gets the marker for page
   n+1 (``marker_for_pages``, set per render).  The body is laid out once; the markers are
   made from the final pages, so they cannot disagree with them.

(An earlier third patch raised ``split_first_line``'s ``ratio = 4`` shortcut by rewriting its
source with ``exec``.  It changed no line of any example nor any test, so it was deleted.)

Both touch WeasyPrint internals, so this module refuses any other version, and
``check_version`` refuses a WeasyPrint whose source no longer has the shape relied on.

Scope: ``install()`` only puts wrappers in place; each of them calls the shipped function
unchanged unless ``active()`` is on, and ``docgen.render.pdf`` turns it on around its own
layout and write only.  An application that uses WeasyPrint itself in the same process gets
WeasyPrint as shipped (``tests/test_weasy_scope.py``).  No source is rewritten or exec'd.

3. Speed only: pydyf deflates every PDF stream at zlib level 9.  Level 6 makes a letter's
   PDF 0.4 % larger and 1.4 ms (9 %) faster to write.  Applied only where pydyf's source
   still says ``compressobj(level=9)``; otherwise pydyf is left as it is.

4. No programs at start-up: importing WeasyPrint loads Pango, HarfBuzz and fontconfig
   through cffi, which asks ``ctypes.util.find_library`` for every name WeasyPrint tries
   ('libgobject-2.0-0', 'gobject-2.0-0', …) before it reaches the soname
   ('libgobject-2.0.so.0').  On Linux ``find_library`` runs ``ldconfig``, ``gcc`` and ``ld``
   (about 210 programs, 0.2 s of every cold start; a hardened server has no compiler).
   WeasyPrint tries its names in order and skips the ones that fail, and its list holds the
   Linux sonames, which ``dlopen`` finds itself (ld.so.cache, LD_LIBRARY_PATH).  So while
   docgen imports WeasyPrint (and only then) ``find_library`` answers "not found" without
   running anything, and each library is loaded by its soname.  Applied only for the pinned
   version and only while its ``text/ffi.py`` still lists those sonames
   (``tests/test_hostile_render.py`` runs a render and asserts that no program is started).
"""
from __future__ import annotations

import contextlib
import copy
import importlib.metadata
import importlib.util
import inspect
import re as _re
import sys
import zlib as _zlib
from contextvars import ContextVar
from pathlib import Path

PINNED_VERSION = "70.0"
# the sonames WeasyPrint 70's text/ffi.py tries (after names only find_library resolves)
SONAMES = ("libgobject-2.0.so.0", "libpango-1.0.so.0", "libharfbuzz.so.0",
           "libfontconfig.so.1", "libpangoft2-1.0.so.0")


def _ffi_source() -> str | None:
    """WeasyPrint's text/ffi.py as installed, read without importing WeasyPrint."""
    spec = importlib.util.find_spec("weasyprint")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "text" / "ffi.py"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def soname_loading_applies() -> bool:
    """Linux, the pinned WeasyPrint, and its ffi.py still tries every soname we rely on."""
    if not sys.platform.startswith("linux") or "weasyprint.text.ffi" in sys.modules:
        return False
    try:
        if importlib.metadata.version("weasyprint") != PINNED_VERSION:
            return False
    except importlib.metadata.PackageNotFoundError:
        return False
    src = _ffi_source()
    return src is not None and "def _dlopen(ffi, *names" in src and all(f"'{n}'" in src for n in SONAMES)


@contextlib.contextmanager
def no_spawn_library_lookup():
    """``ctypes.util.find_library`` finds nothing and runs nothing, for the duration only."""
    import ctypes.util
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _import_weasyprint() -> None:
    if soname_loading_applies():
        with no_spawn_library_lookup():
            import weasyprint.text.ffi  # noqa: F401  (loads the libraries by soname)
    else:
        import weasyprint.text.ffi  # noqa: F401


_import_weasyprint()

import pydyf  # noqa: E402
import weasyprint  # noqa: E402
import weasyprint.layout  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout import inline  # noqa: E402
from weasyprint.text import line_break  # noqa: E402

ZWSP = "\u200b"
_ORIGINAL_RE = line_break.re
_ORIGINAL_COUNT = inline.count_expandable_spaces
_ORIGINAL_ZLIB = pydyf.zlib
_ORIGINAL_LAYOUT_DOCUMENT = weasyprint.layout.layout_document
_ORIGINAL_MAKE_ALL_PAGES = weasyprint.layout.make_all_pages
_ORIGINAL_MAKE_MARGIN_BOXES = weasyprint.layout.make_margin_boxes
_MARGIN_LOOP = "    # Add margin boxes\n"
_PAGES_CALL = "pages = list(make_all_pages(context, root_box, html, pages))"
_MARGIN_CALL = "children.extend(make_margin_boxes(context, page, state))"
MARKER_BOX = "@bottom-right"
# set per render: a function (first line of every page) -> {page number (1-based): marker text}
marker_for_pages: ContextVar = ContextVar("docgen_marker_for_pages", default=None)
# True only inside ``active()``, i.e. during a docgen render: every patched function checks it
# and otherwise does exactly what the shipped WeasyPrint/pydyf function does.  A ContextVar,
# so a render in one thread (or asyncio task) never switches the patches on in another.
_active: ContextVar[bool] = ContextVar("docgen_weasy_active", default=False)
_installed = False


class WeasyPrintVersionError(RuntimeError):
    pass


def is_active() -> bool:
    return _active.get()


@contextlib.contextmanager
def active():
    """Switch docgen's adaptation on for the current context (one docgen render) only."""
    install()
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


class _ReProxy:
    """``Layout.set_text`` applies word/letter spacing at ``re.finditer(' |\\xa0')``; during a
    docgen render, ZWSP too.  (``re`` is looked up in line_break's globals at call time, so a
    module proxy replaces it: no source rewriting.)"""

    def __getattr__(self, name):
        return getattr(_re, name)

    @staticmethod
    def finditer(pattern, string, *args, **kwargs):
        if pattern == " |\u00a0".encode() and _active.get():
            pattern = " |\u00a0|\u200b".encode()
        return _re.finditer(pattern, string, *args, **kwargs)


STREAM_LEVEL = 6
_PYDYF_LEVEL = "zlib.compressobj(level=9)"


class _ZlibProxy:
    """pydyf's ``zlib``; during a docgen render, streams are deflated at ``STREAM_LEVEL``."""

    def __getattr__(self, name):
        return getattr(_zlib, name)

    @staticmethod
    def compressobj(level=-1, *args, **kwargs):
        return _zlib.compressobj(STREAM_LEVEL if _active.get() else level, *args, **kwargs)


def _count_expandable_spaces(box) -> int:
    """Justification opportunities: spaces, NBSP and, in a docgen render, ZWSP (not trailing)."""
    if not _active.get():
        return _ORIGINAL_COUNT(box)
    if isinstance(box, boxes.TextBox):
        text = box.text.rstrip(ZWSP + " ")
        return text.count(" ") + text.count("\u00a0") + text.count(ZWSP)
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(_count_expandable_spaces(child) for child in box.children)
    return 0


def check_version() -> None:
    if weasyprint.__version__ != PINNED_VERSION:
        raise WeasyPrintVersionError(
            f"docgen's Thai adaptation is written for WeasyPrint {PINNED_VERSION}, "
            f"found {weasyprint.__version__}; re-check docgen/render/weasy_adapt.py")
    if "count_expandable_spaces(line)" not in inspect.getsource(inline):
        raise WeasyPrintVersionError("WeasyPrint inline.count_expandable_spaces is gone")
    if "re.finditer(" not in inspect.getsource(line_break.Layout.set_text):
        raise WeasyPrintVersionError("WeasyPrint Layout.set_text no longer uses re.finditer")
    src = inspect.getsource(_ORIGINAL_LAYOUT_DOCUMENT)
    if not (_PAGES_CALL in src and _MARGIN_LOOP in src and _MARGIN_CALL in src
            and src.index(_PAGES_CALL) < src.index(_MARGIN_LOOP) < src.index(_MARGIN_CALL)):
        raise WeasyPrintVersionError("WeasyPrint layout_document no longer adds margin boxes last")
    if "style_for(page.page_type, at_keyword)" not in inspect.getsource(_ORIGINAL_MAKE_MARGIN_BOXES):
        raise WeasyPrintVersionError("WeasyPrint make_margin_boxes no longer asks style_for")


def install() -> None:
    """Put the (inactive) wrappers in place once per process (idempotent).

    Each wrapper replaces a name that WeasyPrint/pydyf look up in a module's globals at call
    time, and calls the shipped function unchanged unless ``active()`` is on.  No source is
    rewritten or exec'd.
    """
    global _installed
    if _installed:
        return
    check_version()
    line_break.re = _ReProxy()
    inline.count_expandable_spaces = _count_expandable_spaces
    weasyprint.layout.make_all_pages = _make_all_pages
    weasyprint.layout.make_margin_boxes = _make_margin_boxes
    if _PYDYF_LEVEL in inspect.getsource(pydyf.Stream):
        pydyf.zlib = _ZlibProxy()
    _installed = True


def _make_all_pages(context, *args, **kwargs):
    """make_all_pages; in a docgen render, the laid-out pages are kept for the markers."""
    pages = _ORIGINAL_MAKE_ALL_PAGES(context, *args, **kwargs)
    if not _active.get():
        return pages
    pages = list(pages)
    context.docgen_pages = pages        # layout_document's last pass wins (repagination)
    return iter(pages)


def _collect_markers(context, pages) -> None:
    """Run once all pages are laid out, before their margin boxes are made."""
    make = marker_for_pages.get()
    context.docgen_markers = make([first_line_text(p) for p in pages]) if make else {}


def _make_margin_boxes(context, page, state):
    """make_margin_boxes, with (in a docgen render) the page's continuation marker as
    bottom-right content."""
    if not _active.get():
        return _ORIGINAL_MAKE_MARGIN_BOXES(context, page, state)
    if context.current_page == 1 or not hasattr(context, "docgen_markers"):
        # layout_document's margin-box loop starts: every page is laid out, none has margins
        _collect_markers(context, getattr(context, "docgen_pages", [page]))
    return _marked_margin_boxes(context, page, state)


def _marked_margin_boxes(context, page, state):
    text = context.docgen_markers.get(context.current_page)
    if text is None:
        yield from _ORIGINAL_MAKE_MARGIN_BOXES(context, page, state)
        return
    style_for = context.style_for

    def with_marker(page_type, pseudo_type=None):
        style = style_for(page_type, pseudo_type)
        if pseudo_type == MARKER_BOX and style is not None:
            style = copy.copy(style)              # never change the cached page style
            style["content"] = (("string", text),)
        return style

    context.style_for = with_marker
    try:
        yield from _ORIGINAL_MAKE_MARGIN_BOXES(context, page, state)
    finally:
        context.style_for = style_for


def first_line_text(box) -> str:
    """Text of the first non-empty main-flow line of a page box."""
    for line in _lines(box):
        text = line_text(line).strip()
        if text:
            return text
    return ""


def page_lines(page) -> list:
    """Main-flow line boxes of a rendered page (margin boxes and fixed boxes skipped)."""
    return list(_lines(page._page_box))


def _lines(root):
    """Main-flow line boxes under a box, in order (margin, fixed and absolute boxes skipped)."""
    out = []

    def walk(box):
        if isinstance(box, boxes.MarginBox):
            return
        style = getattr(box, "style", None)
        if style is not None and style["position"] in ("fixed", "absolute"):
            return
        if isinstance(box, boxes.LineBox):
            out.append(box)
            return
        for child in getattr(box, "children", []):
            walk(child)

    walk(root)
    return out


def line_text(line) -> str:
    return "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)).replace(ZWSP, "")
