"""Phone numbers grouped as Thai practice writes them (regulation.md §7).

Landline 0 + 8 digits: 1-4-4 ("0 2356 9999"); mobile 0 + 9 digits: 2-4-4
("08 1234 5678"); extension "ต่อ"; no brackets; a hyphen only for a range.
"""
import re

from .digits import localize_digits, to_arabic_digits

_NUMBER = re.compile(r"(?<![\d-])(?:\(0\d{1,2}\)|0)[\d \-]{6,12}\d(?![\d])")


def _group(digits: str) -> str:
    if len(digits) == 9:        # landline 0 2356 9999
        return f"{digits[0]} {digits[1:5]} {digits[5:]}"
    if len(digits) == 10:       # mobile 08 1234 5678
        return f"{digits[:2]} {digits[2:6]} {digits[6:]}"
    return digits


def format_phone(text: str, digits: str = "thai") -> str:
    """Group each phone number in the text and localise its digits.

    >>> format_phone("023569999 ต่อ 8866")
    '๐ ๒๓๕๖ ๙๙๙๙ ต่อ ๘๘๖๖'
    >>> format_phone("0 2356 9999 ต่อ 8866 (ทิพย์รัตน์)", digits="arabic")
    '0 2356 9999 ต่อ 8866 (ทิพย์รัตน์)'
    >>> format_phone("081-234-5678")
    '๐๘ ๑๒๓๔ ๕๖๗๘'
    >>> format_phone("0 2248 1234-39")
    '๐ ๒๒๔๘ ๑๒๓๔-๓๙'
    >>> format_phone("(02) 356-9999", digits="arabic")     # no brackets in official style
    '0 2356 9999'
    >>> format_phone("1111")                              # a hotline is not a phone number to group
    '๑๑๑๑'
    """
    text = to_arabic_digits(text)

    def fix(m: re.Match) -> str:
        raw = m.group(0)
        plain = re.sub(r"[ \-()]", "", raw)
        if len(plain) in (9, 10):
            return _group(plain)
        return raw

    # keep a trailing range "-39" out of the number itself
    text = re.sub(r"(?<![\d-])(?:\(0\d{1,2}\)|0)[\d \-]{6,12}\d(?=-\d{1,2}\b)|" + _NUMBER.pattern, fix, text)
    return localize_digits(text, digits)
