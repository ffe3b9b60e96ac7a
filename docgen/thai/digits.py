"""Thai and Arabic digits.

Cabinet resolution of 2 May 2543 (regulation.md §7): Thai digits throughout the
letter; e-mail addresses, URLs and Latin terms stay as they are.
"""
import re

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Tokens whose digits must not change: e-mail addresses, URLs, and words that
# mix Latin letters with digits (COVID-19, PDF/A-3b, ISO9001, A4).  The rule is this
# alternation scanned left to right (``re.finditer``); ``_protected`` finds the same
# tokens in linear time (``finditer`` itself retries every position of a long run:
# 20,000 Latin letters took 12 s).  ``tests/test_thai.py`` compares the two.
_KEEP = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"          # e-mail
    r"|(?:https?|ftp)://\S+|www\.\S+"         # URL
    r"|[A-Za-z][A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*[0-9][A-Za-z0-9]*"  # Latin word with digits
    r"|[0-9]+[A-Za-z][A-Za-z0-9]*"            # 3b, 4K
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*[0-9][A-Za-z0-9]*")
_NUM_LATIN = re.compile(r"[0-9]+[A-Za-z][A-Za-z0-9]*")
_EMAIL_RUN = re.compile(r"[\w.+-]+")                     # where an e-mail attempt looks
_CHAIN = re.compile(r"[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*")  # where a Latin-word attempt looks
_DIGIT_RUN = re.compile(r"[0-9]+")
_CHUNK = re.compile(r"\S+")
_ASCII_DIGIT = re.compile(r"[0-9]")
_CANDIDATE = re.compile(r"[\w.+-]")                      # every token starts with one


def _chunk_tokens(text: str, start: int, stop: int):
    r"""``_KEEP.finditer`` over ``text[start:stop]`` (one run without spaces), in linear time.

    Each alternative, once it fails at a position, fails at every later position of the
    same run (an e-mail's run of ``[\w.+-]``, a Latin word's chain of segments, a run of
    digits): the later attempt sees a suffix of what the first one saw.  Those failures
    are remembered, so no run is scanned twice."""
    pos = start
    email_fails = latin_fails = num_fails = -1          # attempts before these fail
    while pos < stop:
        m = _CANDIDATE.search(text, pos, stop)
        if not m:
            return
        pos = m.start()
        c = text[pos]
        if pos >= email_fails:
            hit = _EMAIL.match(text, pos, stop)
            if hit:
                yield hit.span()
                pos = hit.end()
                continue
            email_fails = _EMAIL_RUN.match(text, pos, stop).end()
        if c in "hfw":
            hit = _URL.match(text, pos, stop)
            if hit:
                yield hit.span()
                pos = hit.end()
                continue
        if c.isascii() and c.isalpha() and pos >= latin_fails:
            hit = _LATIN.match(text, pos, stop)
            if hit:
                yield hit.span()
                pos = hit.end()
                continue
            latin_fails = _CHAIN.match(text, pos, stop).end()
        if "0" <= c <= "9" and pos >= num_fails:
            hit = _NUM_LATIN.match(text, pos, stop)
            if hit:
                yield hit.span()
                pos = hit.end()
                continue
            num_fails = _DIGIT_RUN.match(text, pos, stop).end()
        pos += 1


def _protected(text: str):
    """(start, end) of every token whose digits stay, as ``_KEEP.finditer`` finds them.

    No token spans a space, so only the runs between spaces that hold an Arabic digit
    are scanned.

    >>> [text[a:b] for text in ["COVID-19 และ saraban2@opdc.go.th ปี 2567"] for a, b in _protected(text)]
    ['COVID-19', 'saraban2@opdc.go.th']
    """
    for chunk in _CHUNK.finditer(text):
        if _ASCII_DIGIT.search(text, chunk.start(), chunk.end()):
            yield from _chunk_tokens(text, chunk.start(), chunk.end())


def to_thai_digits(text: str) -> str:
    """Replace every Arabic digit by the Thai digit.

    >>> to_thai_digits("ที่ นร 1200/ว 74")
    'ที่ นร ๑๒๐๐/ว ๗๔'
    >>> to_thai_digits(2567)
    '๒๕๖๗'
    """
    return str(text).translate(_TO_THAI)


def to_arabic_digits(text: str) -> str:
    """Replace every Thai digit by the Arabic digit.

    >>> to_arabic_digits("๓๐ พฤษภาคม ๒๕๖๗")
    '30 พฤษภาคม 2567'
    """
    return str(text).translate(_TO_ARABIC)


def localize_digits(text: str, style: str = "thai") -> str:
    """Digits of running text in the agency's style, leaving protected tokens alone.

    ``style`` is ``"thai"`` or ``"arabic"``.

    >>> localize_digits("โทร. 0 2356 9999 ต่อ 8866")
    'โทร. ๐ ๒๓๕๖ ๙๙๙๙ ต่อ ๘๘๖๖'
    >>> localize_digits("ส่งที่ saraban2@opdc.go.th ภายใน 7 วัน")
    'ส่งที่ saraban2@opdc.go.th ภายใน ๗ วัน'
    >>> localize_digits("ดู https://example.go.th/a/2567 และ COVID-19 ปี 2567")
    'ดู https://example.go.th/a/2567 และ COVID-19 ปี ๒๕๖๗'
    >>> localize_digits("ปี ๒๕๖๗", "arabic")
    'ปี 2567'
    """
    if style == "arabic":
        return to_arabic_digits(text)
    if style != "thai":
        raise ValueError(f"digits style must be 'thai' or 'arabic', not {style!r}")
    if not _ASCII_DIGIT.search(text):
        return text
    out, pos = [], 0
    for start, end in _protected(text):
        out.append(to_thai_digits(text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(to_thai_digits(text[pos:]))
    return "".join(out)
