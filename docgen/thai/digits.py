"""Thai and Arabic digits.

Cabinet resolution of 2 May 2543 (regulation.md §7): Thai digits throughout the
letter; e-mail addresses, URLs and Latin terms stay as they are.
"""
import re

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Tokens whose digits must not change: e-mail addresses, URLs, and words that
# mix Latin letters with digits (COVID-19, PDF/A-3b, ISO9001, A4).
_KEEP = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"          # e-mail
    r"|(?:https?|ftp)://\S+|www\.\S+"         # URL
    r"|[A-Za-z][A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*[0-9][A-Za-z0-9]*"  # Latin word with digits
    r"|[0-9]+[A-Za-z][A-Za-z0-9]*"            # 3b, 4K
)


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
    out, pos = [], 0
    for m in _KEEP.finditer(text):
        out.append(to_thai_digits(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(to_thai_digits(text[pos:]))
    return "".join(out)
