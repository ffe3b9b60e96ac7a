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
LETTER_SERIES = (NORMAL, CIRCULAR)     # the agency's letter series (external, memo, stamped …)
# The series of their own a register holds: a type declared `numbering: {series: own}`
# (คำสั่ง), or one a profile separates (`numbering: {announcement: own}`): each is named by
# the type's Thai name (docgen/model.py series_of), so any type's name is a series name.
ORDER, ANNOUNCEMENT, STAMPED, CERTIFICATE = "คำสั่ง", "ประกาศ", "หนังสือประทับตรา", "หนังสือรับรอง"
SERIES = (NORMAL, CIRCULAR, ORDER, ANNOUNCEMENT, STAMPED, CERTIFICATE)    # the ones named in messages
_ALIASES = {"ปกติ": NORMAL, "normal": NORMAL, "letter": NORMAL, "ว": CIRCULAR, "ว.": CIRCULAR,
            "circular": CIRCULAR}
MAX_RESERVE = 1000


@dataclass(frozen=True)
class SeriesKey:
    """One running sequence: agency prefix + series + register year (B.E.)."""
    prefix: str
    series: str
    year: int


def series_of(circular: bool) -> str:
    """The letter series: ปกติ, or ว for a circular (a type's own series: ``model.series``)."""
    return CIRCULAR if circular else NORMAL


def _own_series() -> dict[str, str]:
    """{word: series} for the series of a type's own: each type's key and Thai name
    (data/doctypes.yaml), spaces dropped, lower case."""
    from ..data import doctypes
    out = {}
    for key, spec in doctypes().items():
        name = (spec or {}).get("name_th") or key
        for word in (key, name):
            out["".join(str(word).lower().split())] = name
    return out


def series_doctype(series: str) -> str | None:
    """The document type whose own series ``series`` is (None for the letter series).

    >>> series_doctype("คำสั่ง"), series_doctype("ปกติ"), series_doctype("หนังสือประทับตรา")
    ('order', None, 'stamped')
    """
    if series in LETTER_SERIES:
        return None
    from ..data import doctypes
    for key, spec in doctypes().items():
        if ((spec or {}).get("name_th") or key) == series:
            return key
    return None


def series_numbering(series: str) -> dict:
    """The ``numbering:`` declaration of the series' type ({} for the letter series): its
    ``ref`` format and a forced ``year_start`` (คำสั่ง: calendar)."""
    key = series_doctype(series)
    if key is None:
        return {}
    from ..data import doctypes
    return dict((doctypes()[key] or {}).get("numbering") or {})


def normalize_series(text: str | None) -> str:
    """A series name from user text: ปกติ/normal, ว/circular, or a type's own series by its
    Thai name or key (order → คำสั่ง, announcement → ประกาศ, stamped → หนังสือประทับตรา …).

    >>> normalize_series("ว"), normalize_series(" normal "), normalize_series(None)
    ('ว', 'ปกติ', 'ปกติ')
    >>> normalize_series("order"), normalize_series("คำสั่ง"), normalize_series("Stamped"), normalize_series("certificate")
    ('คำสั่ง', 'คำสั่ง', 'หนังสือประทับตรา', 'หนังสือรับรอง')
    >>> normalize_series("announcement"), normalize_series("หนังสือ ประทับตรา")
    ('ประกาศ', 'หนังสือประทับตรา')
    >>> normalize_series("x")
    Traceback (most recent call last):
    ...
    docgen.register.errors.RegisterError: ไม่รู้จักชุดเลขทะเบียน 'x' ใช้ได้: ปกติ | ว | คำสั่ง | ประกาศ | หนังสือประทับตรา | หนังสือรับรอง — unknown number series 'x'; use one of: ปกติ | ว | คำสั่ง | ประกาศ | หนังสือประทับตรา | หนังสือรับรอง
    """
    if text is None:
        return NORMAL
    key = str(text).strip()
    word = "".join(key.lower().split())
    series = _ALIASES.get(key) or _ALIASES.get(word) or _own_series().get(word)
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


_NUMBER = re.compile(r"^\s*(?:([\u0e01-\u0e4ea-zA-Z][\u0e01-\u0e4ea-zA-Z ]*?)\.?\s*)?(\d{1,7})\s*$")


def parse_number(text: str) -> tuple[str | None, int]:
    """(series or None, number) from "74", "ว 74", "ว74", "ว ๗๔", "คำสั่ง 12".

    >>> parse_number("74"), parse_number("ว 74"), parse_number("ว74"), parse_number("ว ๗๔")
    ((None, 74), ('ว', 74), ('ว', 74), ('ว', 74))
    >>> parse_number("คำสั่ง ๑๒"), parse_number("order 12")
    (('คำสั่ง', 12), ('คำสั่ง', 12))
    >>> parse_number("74; DROP TABLE x")
    Traceback (most recent call last):
    ...
    docgen.register.errors.RegisterError: อ่านเลขทะเบียน '74; DROP TABLE x' ไม่ได้ ใช้ เช่น 74, ว 74 หรือ ว74 — cannot read the register number '74; DROP TABLE x'; write e.g. 74, ว 74 or ว74
    """
    m = _NUMBER.match(to_arabic_digits(str(text)))
    if not m or int(m.group(2)) < 1:
        raise RegisterError("number-unreadable", value=str(text)[:40])
    return (normalize_series(m.group(1)) if m.group(1) else None), int(m.group(2))


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
    """"74", "ว 74" or a series of a type's own "คำสั่ง 12" (register column เลขทะเบียนส่ง).

    >>> number_label("ว", 74), number_label("ปกติ", 74, thai=True), number_label("คำสั่ง", 12)
    ('ว 74', '๗๔', 'คำสั่ง 12')
    """
    text = str(number) if series == NORMAL else f"{series} {number}"
    return to_thai_digits(text) if thai else text


def number_tag(series: str, number: int) -> str:
    """The series and number in an output file's name: "74", "ว9", "คำสั่ง12".

    >>> number_tag("ปกติ", 74), number_tag("ว", 9), number_tag("หนังสือประทับตรา", 3)
    ('74', 'ว9', 'หนังสือประทับตรา3')
    """
    return str(number) if series == NORMAL else f"{''.join(series.split())}{number}"


def register_ref(fmt: str, prefix: str, number: int, circular: bool, year: int,
                 digits: str = "thai") -> str:
    """The ที่ the register records for a number, by the type's ref format (data/doctypes.yaml
    ``numbering.ref``; docgen.thai.refnum.format_ref) in the register year: "ที่ นร ๑๒๐๐/๗๔",
    an order's "ที่ ๑๒/๒๕๖๗", a numbered announcement's "ฉบับที่ ๓".

    >>> register_ref("letter", "นร 1200", 74, True, 2567), register_ref("year", "นร 1200", 1, False, 2567)
    ('ที่ นร ๑๒๐๐/ว ๗๔', 'ที่ ๑/๒๕๖๗')
    >>> register_ref("edition", "นร 1200", 3, False, 2567, "arabic")
    'ฉบับที่ 3'
    """
    from ..thai.refnum import format_ref
    value = format_ref(fmt or "letter", prefix, number, circular, year, digits)
    return f"{'ฉบับที่' if fmt == 'edition' else 'ที่'} {value}"
