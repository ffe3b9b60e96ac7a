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
