"""Pure rules of the register: series, register year, NUMBER text.  No I/O, no clock.

Numbers run through the calendar year (regulation.md §4.1) and restart at 1 on
1 January, Asia/Bangkok; a profile with ``year_start: fiscal`` restarts on 1 October
instead (the fiscal year B.E. is the B.E. year of the following 30 September).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..thai.dates import bangkok, be_year
from ..thai.digits import to_arabic_digits, to_thai_digits
from .errors import RegisterError

NORMAL, CIRCULAR = "ปกติ", "ว"
SERIES = (NORMAL, CIRCULAR)           # later: "คำสั่ง", "ประกาศ" (own ref format; not yet issued)
_ALIASES = {"ปกติ": NORMAL, "normal": NORMAL, "ว": CIRCULAR, "ว.": CIRCULAR, "circular": CIRCULAR}
MAX_RESERVE = 1000


@dataclass(frozen=True)
class SeriesKey:
    """One running sequence: agency prefix + series + register year (B.E.)."""
    prefix: str
    series: str
    year: int


def series_of(circular: bool) -> str:
    return CIRCULAR if circular else NORMAL


def normalize_series(text: str | None) -> str:
    """A series name from user text.

    >>> normalize_series("ว"), normalize_series(" normal "), normalize_series(None)
    ('ว', 'ปกติ', 'ปกติ')
    >>> normalize_series("x")
    Traceback (most recent call last):
    ...
    docgen.register.errors.RegisterError: ไม่รู้จักชุดเลขทะเบียน 'x' ใช้ได้: ปกติ | ว — unknown number series 'x'; use one of: ปกติ | ว
    """
    if text is None:
        return NORMAL
    key = str(text).strip()
    series = _ALIASES.get(key) or _ALIASES.get(key.lower())
    if series is None:
        raise RegisterError("series-unknown", value=key[:40], allowed=" | ".join(SERIES))
    return series


def normalize_prefix(text: str | None) -> str:
    """The sequence key of an agency prefix: Arabic digits, single spaces.

    >>> normalize_prefix(" นร  ๑๒๐๐ ")
    'นร 1200'
    """
    prefix = " ".join(to_arabic_digits(str(text or "")).split())
    if not prefix:
        raise RegisterError("prefix-empty")
    return prefix


def register_year(now: dt.datetime, year_start: str = "calendar") -> int:
    """The B.E. register year in force at ``now`` (Bangkok time).

    >>> utc = dt.timezone.utc
    >>> register_year(dt.datetime(2024, 12, 31, 16, 59, tzinfo=utc))   # 23:59 in Bangkok
    2567
    >>> register_year(dt.datetime(2024, 12, 31, 17, 1, tzinfo=utc))    # 00:01 on 1 January
    2568
    >>> register_year(dt.datetime(2024, 9, 30, 23, 59), "fiscal"), register_year(dt.datetime(2024, 10, 1), "fiscal")
    (2567, 2568)
    """
    day = bangkok(now).date()
    if year_start == "fiscal":
        return be_year(day) + (1 if day.month >= 10 else 0)
    return be_year(day)


def parse_year(text) -> int:
    """A B.E. year from user text (Thai or Arabic digits).

    >>> parse_year("๒๕๖๗")
    2567
    """
    t = to_arabic_digits(str(text)).strip()
    if not re.fullmatch(r"\d{4}", t) or not 2400 <= int(t) <= 2800:
        raise RegisterError("year-unreadable", value=str(text)[:40])
    return int(t)


_NUMBER = re.compile(r"^\s*(?:(ว)\.?\s*)?(\d{1,7})\s*$")


def parse_number(text: str) -> tuple[str | None, int]:
    """(series or None, number) from "74", "ว 74", "ว74", "ว ๗๔".

    >>> parse_number("74"), parse_number("ว 74"), parse_number("ว74"), parse_number("ว ๗๔")
    ((None, 74), ('ว', 74), ('ว', 74), ('ว', 74))
    >>> parse_number("74; DROP TABLE x")
    Traceback (most recent call last):
    ...
    docgen.register.errors.RegisterError: อ่านเลขทะเบียน '74; DROP TABLE x' ไม่ได้ ใช้ เช่น 74, ว 74 หรือ ว74 — cannot read the register number '74; DROP TABLE x'; write e.g. 74, ว 74 or ว74
    """
    m = _NUMBER.match(to_arabic_digits(str(text)))
    if not m or int(m.group(2)) < 1:
        raise RegisterError("number-unreadable", value=str(text)[:40])
    return m.group(1), int(m.group(2))


def parse_count(text) -> int:
    """How many numbers to reserve: a whole number from 1 to 1000.

    >>> parse_count("3")
    3
    """
    t = to_arabic_digits(str(text)).strip()
    if not re.fullmatch(r"\d{1,4}", t) or not 1 <= int(t) <= MAX_RESERVE:
        raise RegisterError("count-range", low=1, high=MAX_RESERVE, value=str(text)[:40])
    return int(t)


def number_label(series: str, number: int, thai: bool = False) -> str:
    """"74" or "ว 74" (register column เลขทะเบียนส่ง).

    >>> number_label("ว", 74), number_label("ปกติ", 74, thai=True)
    ('ว 74', '๗๔')
    """
    text = f"ว {number}" if series == CIRCULAR else str(number)
    return to_thai_digits(text) if thai else text
