"""The small, version-pinned adaptation of WeasyPrint for Thai (rendering.md §2–3).

1. Justification distributes between characters (grapheme clusters), as Word's
   ``thaiDistribute`` does.  WeasyPrint stretches only U+0020/U+00A0, and Thai has no spaces
   between words; docgen puts ZWSP (U+200B) at Thai word boundaries at render time, for line
   breaking.  (docgen once stretched ZWSP like a space: gaps of 0.5-1.7 mm between Thai
   words that read as spaces, and that pdftotext turned into spaces.)  WeasyPrint justifies a
   line in ``justify_line``: ``count_expandable_spaces(line)`` opportunities, then
   ``add_word_spacing(context, line, extra / count, 0)``; both names are looked up in
   ``inline``'s globals at call time.  In a docgen render:

   * the opportunities are the line's grapheme clusters, ZWSP not counted (``clusters``);
   * ``add_word_spacing`` gives every text box of the line one share as its letter spacing
     (``style['letter_spacing']``: a Pango attribute, applied between clusters, so a Thai mark
     stays on its base; a real space is a cluster like any other).  The box's ZWSPs are
     dropped from its text first (a ZWSP is a cluster: every word boundary would get the
     spacing twice), but a trailing one (where the line breaks) is kept.  Its layout is
     re-made as it will be drawn and its width measured, so positions on the line are
     exact; if Pango's clusters were not ``clusters``', the share is corrected once.  The
     share is capped so that a space stays within ``1 + SPACE_STRETCH`` times its width;
   * ``draw_first_line`` (looked up in ``draw.text`` at call time) writes each glyph's advance
     as a whole number of 1/1000 em (``int(kerning)``, truncated): with a fraction of a unit
     on every cluster a line would be drawn up to 0.5 mm short of the margin.  Its glyph
     widths are first set so that ``int`` gives the nearest unit (``_whole_units``).

   The last line of a paragraph is never justified (``text-align: justify`` means
   ``text-align-last: start``: WeasyPrint's own rule).  No character is added to the text,
   and the gaps stay far below a space, so ``pdftotext`` finds no space the source lacks
   (``tests/test_justify.py``).
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
import sys
import unicodedata
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
from weasyprint.draw import text as draw_text  # noqa: E402
from weasyprint.text import line_break  # noqa: E402
from weasyprint.text.ffi import FROM_UNITS, ffi, pango  # noqa: E402

ZWSP = "\u200b"
_ORIGINAL_COUNT = inline.count_expandable_spaces
_ORIGINAL_ADD_WORD_SPACING = inline.add_word_spacing
_ORIGINAL_DRAW_FIRST_LINE = draw_text.draw_first_line
_ORIGINAL_ZLIB = pydyf.zlib
_ORIGINAL_LAYOUT_DOCUMENT = weasyprint.layout.layout_document
_ORIGINAL_MAKE_ALL_PAGES = weasyprint.layout.make_all_pages
_ORIGINAL_MAKE_MARGIN_BOXES = weasyprint.layout.make_margin_boxes
_GLYPH_INFO = 20          # sizeof(PangoGlyphInfo): guint32 glyph, 3 × gint geometry, attr
_KERNING = "kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size"
_JUSTIFY_CALLS = "add_word_spacing(context, line, extra_width / nb_spaces, 0)"
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


STREAM_LEVEL = 6
_PYDYF_LEVEL = "zlib.compressobj(level=9)"


class _ZlibProxy:
    """pydyf's ``zlib``; during a docgen render, streams are deflated at ``STREAM_LEVEL``."""

    def __getattr__(self, name):
        return getattr(_zlib, name)

    @staticmethod
    def compressobj(level=-1, *args, **kwargs):
        return _zlib.compressobj(STREAM_LEVEL if _active.get() else level, *args, **kwargs)


# Grapheme clusters (Unicode's extended grapheme clusters, as Pango's cursor positions, for the
# scripts docgen prints): a character starts one unless it is a mark.  (Pango spaces Thai
# SARA AM as a cluster of its own.)
_NOT_A_CLUSTER = frozenset({"Mn", "Me", "Mc"})
_NOT_COUNTED = frozenset(ZWSP)
# a real space is never widened beyond (1 + SPACE_STRETCH) times its natural width
SPACE_STRETCH = 0.5
# px: a line whose spaced boxes miss the measure by more gets its share corrected once
FIT = 0.25


def clusters(text: str) -> int:
    """Grapheme clusters of a text, ZWSP not counted: where a justified line takes its extra
    width (a space is a cluster like any other).

    >>> clusters("ที่ดำเนิน"), clusters("ab c"), clusters("ขอ\u200bแสดง"), clusters("e\u0301t")
    (6, 4, 6, 2)
    """
    kept = text.translate(_DROP_THAI_MARKS_AND_ZWSP)
    if not kept.translate(_DROP_COMMON):  # (Latin-1, Thai, punctuation: no other mark)
        return len(kept)
    category = unicodedata.category
    return sum(1 for c in text if c not in _NOT_COUNTED and category(c) not in _NOT_A_CLUSTER)


_DROP_THAI_MARKS_AND_ZWSP = dict.fromkeys([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F),
                                           0x200B])
_DROP_COMMON = dict.fromkeys([*range(0x100), *range(0x0E00, 0x0E80), *range(0x2000, 0x2070)])


def _count_expandable_spaces(box) -> int:
    """Justification opportunities: in a docgen render, the grapheme clusters (``clusters``)."""
    if not _active.get():
        return _ORIGINAL_COUNT(box)
    if isinstance(box, boxes.TextBox):
        return clusters(box.text)
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(_count_expandable_spaces(child) for child in box.children)
    return 0


def _add_word_spacing(context, box, justification_spacing, x_advance):
    """add_word_spacing; in a docgen render, ``justification_spacing`` (the share of one
    cluster) is given to the line's text boxes as letter spacing between clusters."""
    if not _active.get() or not isinstance(box, boxes.LineBox):
        return _ORIGINAL_ADD_WORD_SPACING(context, box, justification_spacing, x_advance)
    counts = [(b, clusters(b.text)) for b in _flow_text_boxes(box)]
    texts = [b for b, n in counts if n]
    if not texts:
        return x_advance
    counted = sum(n for _, n in counts)
    extra = justification_spacing * counted
    # The spacing after the line's last cluster (CSS letter-spacing follows every letter) and
    # after a ZWSP where the line breaks (a cluster too) hang beyond the measure, so that the
    # last glyph ends on it: ``hang`` shares more than ``extra``.
    hang = 1 + texts[-1].text.endswith(ZWSP)
    cap = _space_cap(context, texts)
    spacing = min(extra / max(counted - hang, 1), cap)
    made = [_spaced(context, b, spacing) for b in texts]
    got = sum(m[2] - b.width for b, m in zip(texts, made))
    if spacing < cap and got > 0 and abs(got - extra - hang * spacing) > FIT:
        # Pango's clusters are not exactly ``clusters``': correct the share once
        spacing = min(extra / max(got / spacing - hang, 1), cap)
        made = [_spaced(context, b, spacing) for b in texts]
    for b, (text, style, width, layout) in zip(texts, made):
        b.docgen_natural_width = b.width
        b.text, b.style, b.width, b.pango_layout = text, style, width, layout
        b.justification_spacing, b.docgen_spaced = 0, True
    return _place(box, x_advance)


def _flow_text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _flow_text_boxes(child)


def _spaced(context, box, spacing):
    """(text, style, width, layout) of a text box with ``spacing`` between its clusters.
    Its ZWSPs are dropped (a ZWSP is a cluster: a word boundary would get the spacing twice),
    except a trailing one, where the line breaks."""
    text = box.text
    if ZWSP in text:
        text = text.replace(ZWSP, "") + (ZWSP if text.endswith(ZWSP) else "")
    style = box.style.copy()              # a style may be shared by several boxes
    style["letter_spacing"] = spacing
    layout = line_break.create_layout(text, style, context, None, 0)
    width, _ = line_break.line_size(layout.get_first_line()[0], style)
    layout.deactivate()
    return text, style, width, layout


def _place(box, x_advance):
    """Move the boxes of a line by the widths the spaced text boxes gained (WeasyPrint 70's
    add_word_spacing, with the widths already set)."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        natural = getattr(box, "docgen_natural_width", None)
        if natural is not None:
            x_advance += box.width - natural
            del box.docgen_natural_width
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        previous_x_advance = x_advance
        children = box.children
        if box.style["direction"] == "rtl":
            children = children[::-1]
        for child in children:
            if child.is_in_normal_flow():
                x_advance = _place(child, x_advance)
        box.width += x_advance - previous_x_advance
    else:
        box.translate(x_advance, 0)       # atomic inline-level box
    return x_advance


def _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """draw_first_line; in a docgen render, a spaced text box is first given whole-unit glyph
    advances (``_whole_units``)."""
    if (_active.get() and getattr(textbox, "docgen_spaced", False)
            and text_overflow != "ellipsis" and block_ellipsis == "none"):
        _whole_units(stream, textbox)
    return _ORIGINAL_DRAW_FIRST_LINE(stream, textbox, text_overflow, block_ellipsis, matrix)


def _whole_units(stream, textbox) -> None:
    """WeasyPrint writes a glyph's advance as its font width plus ``int(kerning)`` (1/1000 em,
    truncated toward zero).  Letter spacing puts a fraction of a unit on every cluster, so a
    line would be drawn up to 1/1000 em a glyph (0.5 mm a line) shorter than laid out.  Each
    glyph's Pango width is set so that ``int`` yields the whole unit nearest to where the glyph
    should end, its rounding error carried to the next glyph: the line is drawn where it was
    laid out (within 1/2000 em).  (Same arithmetic as WeasyPrint 70's ``draw_first_line``.)"""
    # (draw_first_line sets this first; set now, so that it does not re-make the lines)
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    line, _ = textbox.pango_layout.get_first_line()
    run = line.runs
    previous_font, carry = None, 0.0
    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_font:
            previous_font = pango_font
            font, font_size = stream.add_font(pango_font)
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style["font_size"]
            scale = 1000 * FROM_UNITS / font_size
        glyph_string = glyph_item.glyphs
        # PangoGlyphInfo as int32s: glyph, width, x_offset, y_offset, attr (read and written in
        # place; a cdata attribute a glyph would cost most of the time)
        count = glyph_string.num_glyphs
        ints = memoryview(ffi.buffer(glyph_string.glyphs, _GLYPH_INFO * count)).cast("i")
        for i in range(0, 5 * count, 5):
            glyph_id = ints[i]
            if glyph_id == empty or glyph_id & unknown:
                continue
            logical = font.widths.get(glyph_id)
            if logical is None:
                pango.pango_font_get_glyph_extents(
                    pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                logical = font.widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
            base = logical + ints[i + 2] / font_size
            wanted = base - ints[i + 1] * scale + carry
            units = round(wanted)
            carry = wanted - units
            # the middle of the interval that int() maps to ``units``
            kerning = units - 0.5 if units < 0 else units + 0.5 if units > 0 else 0
            ints[i + 1] = round((base - kerning) / scale)


_space_widths: dict = {}


def _space_cap(context, texts) -> float:
    """The largest share that keeps the white of every real space of the line within
    (1 + SPACE_STRETCH) times the space's natural width (the space is a cluster: it gains a
    share on each side); inf when the line has no space."""
    cap = float("inf")
    for box in texts:
        if " " in box.text or "\u00a0" in box.text:
            style = box.style
            key = (style["font_family"], style["font_size"], style["font_weight"],
                   style["font_style"], style["font_stretch"], style["font_variant_caps"])
            width = _space_widths.get(key)
            if width is None:
                plain = style.copy()
                plain["letter_spacing"], plain["word_spacing"] = "normal", 0
                layout = line_break.create_layout(" ", plain, context, None, 0)
                width = line_break.line_size(layout.get_first_line()[0], plain)[0]
                layout.deactivate()
                _space_widths[key] = width
            cap = min(cap, SPACE_STRETCH * (width + (style["word_spacing"] or 0)) / 2)
    return cap


def check_version() -> None:
    if weasyprint.__version__ != PINNED_VERSION:
        raise WeasyPrintVersionError(
            f"docgen's Thai adaptation is written for WeasyPrint {PINNED_VERSION}, "
            f"found {weasyprint.__version__}; re-check docgen/render/weasy_adapt.py")
    if _JUSTIFY_CALLS not in inspect.getsource(inline.justify_line):
        raise WeasyPrintVersionError("WeasyPrint inline.justify_line no longer calls "
                                     "count_expandable_spaces and add_word_spacing")
    set_text = inspect.getsource(line_break.Layout.set_text)
    if ("self.style['letter_spacing']" not in set_text
            or "pango_attr_letter_spacing_new" not in set_text):
        raise WeasyPrintVersionError("WeasyPrint Layout.set_text no longer applies "
                                     "letter-spacing as a Pango attribute")
    draw = inspect.getsource(_ORIGINAL_DRAW_FIRST_LINE)
    if (_KERNING not in draw or "font, font_size = stream.add_font(pango_font)" not in draw
            or "draw_first_line(" not in inspect.getsource(draw_text.draw_text)):
        raise WeasyPrintVersionError("WeasyPrint draw_first_line no longer writes int(kerning)")
    if (ffi.sizeof("PangoGlyphInfo"), ffi.offsetof("PangoGlyphInfo", "geometry"),
            ffi.offsetof("PangoGlyphGeometry", "x_offset")) != (_GLYPH_INFO, 4, 4):
        raise WeasyPrintVersionError("PangoGlyphInfo is not laid out as _whole_units reads it")
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
    inline.count_expandable_spaces = _count_expandable_spaces
    inline.add_word_spacing = _add_word_spacing
    draw_text.draw_first_line = _draw_first_line
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
