"""Text hygiene for Thai input: invisible characters, ํ+า typed for ำ, and
render-time word boundaries (ZWSP) for justification.

ZWSP is inserted only when rendering the PDF, never stored (spec README §3).
"""
import re
import unicodedata

# Zero-width and bidi-control characters that hide in copied text.
INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER", "\u2060": "WORD JOINER", "\ufeff": "BYTE ORDER MARK",
    "\u00ad": "SOFT HYPHEN",
    "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
}
_INVISIBLE_RE = re.compile("[" + "".join(INVISIBLE) + "]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def find_invisible(text: str) -> list[str]:
    """Names of invisible characters present in the text.

    >>> find_invisible("ก\u200bข\u202e")
    ['ZERO WIDTH SPACE', 'RLO']
    >>> find_invisible("ปกติ")
    []
    """
    return [INVISIBLE[c] for c in _INVISIBLE_RE.findall(text)]


def normalize_text(text: str) -> tuple[str, list[str]]:
    """NFC, ํ+า → ำ, invisible and control characters removed, runs of spaces folded.

    Returns the text and the list of changes made (keys), so the caller can warn.

    >>> normalize_text("น\u0e4d\u0e32")
    ('น\u0e33', ['sara-am'])
    >>> normalize_text("ก\u200bข")
    ('กข', ['invisible'])
    >>> normalize_text("  เรียน   ท่าน  ")
    ('เรียน ท่าน', [])
    """
    changes = []
    out = unicodedata.normalize("NFC", text)
    if "\u0e4d\u0e32" in out:
        out = out.replace("\u0e4d\u0e32", "\u0e33")
        changes.append("sara-am")
    if _INVISIBLE_RE.search(out):
        out = _INVISIBLE_RE.sub("", out)
        changes.append("invisible")
    if _CONTROL_RE.search(out):
        out = _CONTROL_RE.sub("", out)
        changes.append("control")
    out = re.sub(r"[ \t\u00a0]+", " ", out).strip()
    return out, changes


# Characters no text field may hold, whatever it is (they crash lxml and WeasyPrint, or Word
# refuses the file): C0 controls but tab, line feed and carriage return, DEL and the C1
# controls, surrogates (a lone half of a UTF-16 pair, e.g. a YAML "\ud800"), and the 66
# non-characters (U+FDD0–U+FDEF and the last two code points of every plane).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS + "]")
_FORBIDDEN_ONE_LINE = re.compile(_FORBIDDEN.pattern[:-1] + "\t\n\r]")
_EDGE_SPACE = " \t\n\r"


def char_kind(c: str) -> str:
    r"""What a forbidden character is: ``surrogate``, ``noncharacter``, ``line-break``, ``tab``
    or ``control``.

    >>> [char_kind(c) for c in ("\ud800", "\uffff", "\ufdd0", "\n", "\t", "\x00", "\x85")]
    ['surrogate', 'noncharacter', 'noncharacter', 'line-break', 'tab', 'control', 'control']
    """
    code = ord(c)
    if 0xD800 <= code <= 0xDFFF:
        return "surrogate"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return "noncharacter"
    if c in "\n\r":
        return "line-break"
    return "tab" if c == "\t" else "control"


def forbidden_char(text: str, multiline: bool = False) -> tuple[int, str, int] | None:
    r"""The first character a text field may not hold: (position from 1, character, how many
    such characters in all), or None.

    One-line fields (``multiline=False``) hold no tab or line break either, except around the
    text (a YAML block scalar ends with a line break); multi-line fields (body paragraphs and
    items) may hold tabs and line breaks (LF, CR LF or CR).

    >>> forbidden_char("เรื่อง\ud800ทดสอบ")
    (7, '\ud800', 1)
    >>> forbidden_char("ก\nข"), forbidden_char("ก\nข", multiline=True), forbidden_char(" กข\n")
    ((2, '\n', 1), None, None)
    >>> forbidden_char("ก\r\nข", multiline=True), forbidden_char("ก\rข"), forbidden_char("ก\x0bข", multiline=True)
    (None, (2, '\r', 1), (2, '\x0b', 1))
    >>> forbidden_char("ก\x00ข\uffff")
    (2, '\x00', 2)
    """
    rx = _FORBIDDEN if multiline else _FORBIDDEN_ONE_LINE
    first = rx.search(text)
    if first is None and not multiline:
        return None
    if multiline:
        hits = [m.start() for m in rx.finditer(text)]
    else:
        start = len(text) - len(text.lstrip(_EDGE_SPACE))
        end = len(text.rstrip(_EDGE_SPACE))
        hits = [m.start() for m in rx.finditer(text)
                if not (text[m.start()] in _EDGE_SPACE and not start <= m.start() < end)]
    if not hits:
        return None
    i = min(hits)
    return i + 1, text[i], len(hits)


def shown(value, limit: int = 60) -> str:
    r"""A value as it may be quoted in a message: forbidden and invisible characters written
    as ``\uXXXX``, at most ``limit`` characters (then "…"), never a crash (a 5,000-digit
    number is "a number of 5000 digits").

    >>> shown("x\ud800y\n"), shown("ก" * 70)[-3:], shown(10 ** 5000)
    ('x\\uD800y\\u000A', 'กก…', 'a number of 5001 digits')
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        return f"a number of {_digits(value)} digits"
    text = value if isinstance(value, str) else str(value)
    cut = text[:limit]
    out = "".join(f"\\u{ord(c):04X}" if (ord(c) <= 0xFFFF and (_FORBIDDEN_ONE_LINE.match(c) or c in INVISIBLE))
                  else f"\\U{ord(c):08X}" if _FORBIDDEN.match(c) else c for c in cut)
    return out + ("…" if len(text) > limit else "")


def _digits(value: int) -> int:
    """Decimal digits of a huge int without ``str()`` (refused past 4,300 digits)."""
    import math
    n = abs(value)
    d = int(n.bit_length() * math.log10(2)) + 1
    return d if n >= 10 ** (d - 1) else d - 1


_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
ZWSP = "\u200b"


def zwsp_segment(text: str, tokenize=None) -> str:
    """Put ZWSP between Thai words (pythainlp newmm) inside Thai runs only.

    >>> zwsp_segment("ขอแสดงความนับถือ", tokenize=lambda s: ["ขอ", "แสดง", "ความนับถือ"])
    'ขอ\u200bแสดง\u200bความนับถือ'
    >>> zwsp_segment("e-mail abc", tokenize=lambda s: [s])
    'e-mail abc'
    """
    if tokenize is None:
        from .words import tokenizer
        tokenize = tokenizer()
    return _THAI_RUN.sub(lambda m: ZWSP.join(tokenize(m.group(0))), text)
