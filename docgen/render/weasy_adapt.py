"""The small, version-pinned adaptation of WeasyPrint for Thai (rendering.md §2–3).

1. Justification: WeasyPrint stretches only U+0020/U+00A0.  Thai has no spaces
   between words, so we put ZWSP (U+200B) at word boundaries at render time and
   teach WeasyPrint to count and stretch ZWSP too.
2. Line breaking: ``split_first_line`` first lays out ``text[:max_width/font_size*4]``
   characters, a Latin-tuned shortcut that cuts Thai words so libthai segments the
   cut-off word wrongly (ประ|สิทธิภาพ).  We disable the shortcut.
3. Page introspection for the continuation marker reads ``page._page_box``.

All three touch WeasyPrint internals, so this module refuses any other version and
``tests/test_weasy_adapt.py`` fails loudly if the patched source changes.
"""
from __future__ import annotations

import inspect
import re as _re

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline, preferred
from weasyprint.text import line_break

PINNED_VERSION = "70.0"
ZWSP = "\u200b"
_RATIO_LINE = "    ratio = 4  #"
_ORIGINAL_SPLIT = line_break.split_first_line     # kept to re-check the source after install
_installed = False


class WeasyPrintVersionError(RuntimeError):
    pass


class _ReProxy:
    """``Layout.set_text`` applies word/letter spacing at ``re.finditer(' |\\xa0')``; add ZWSP."""

    def __getattr__(self, name):
        return getattr(_re, name)

    @staticmethod
    def finditer(pattern, string, *args, **kwargs):
        if pattern == " |\u00a0".encode():
            pattern = " |\u00a0|\u200b".encode()
        return _re.finditer(pattern, string, *args, **kwargs)


def _count_expandable_spaces(box) -> int:
    """Justification opportunities: spaces, NBSP and ZWSP (not trailing ones)."""
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
    src = inspect.getsource(_ORIGINAL_SPLIT)
    if _RATIO_LINE not in src:
        raise WeasyPrintVersionError("WeasyPrint split_first_line changed: the ratio shortcut is gone")
    if not hasattr(inline, "count_expandable_spaces"):
        raise WeasyPrintVersionError("WeasyPrint inline.count_expandable_spaces is gone")
    if "finditer" not in inspect.getsource(line_break.Layout.set_text):
        raise WeasyPrintVersionError("WeasyPrint Layout.set_text no longer uses re.finditer")


def install() -> None:
    """Apply the adaptation once per process (idempotent)."""
    global _installed
    if _installed:
        return
    check_version()
    line_break.re = _ReProxy()
    inline.count_expandable_spaces = _count_expandable_spaces
    src = inspect.getsource(_ORIGINAL_SPLIT)
    code = compile(src.replace(_RATIO_LINE, "    ratio = 10**6  #"), line_break.__file__, "exec")
    exec(code, line_break.__dict__)
    patched = line_break.__dict__["split_first_line"]
    inline.split_first_line = preferred.split_first_line = patched
    _installed = True


def page_lines(page) -> list:
    """Main-flow line boxes of a rendered page (margin boxes and fixed boxes skipped)."""
    out = []

    def walk(box):
        if isinstance(box, boxes.MarginBox):
            return
        style = getattr(box, "style", None)
        if style is not None and style["position"] == "fixed":
            return
        if isinstance(box, boxes.LineBox):
            out.append(box)
            return
        for child in getattr(box, "children", []):
            walk(child)

    walk(page._page_box)
    return out


def line_text(line) -> str:
    return "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)).replace(ZWSP, "")
