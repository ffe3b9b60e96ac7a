"""Buddhist-era dates: format and parse.

External letter: "๓๐ พฤษภาคม ๒๕๖๗" (day without leading zero, full month, B.E.);
memo: the same after the label "วันที่"; references: "ลงวันที่ …" (regulation.md §4.5).
"""
import datetime as _dt
import re
from zoneinfo import ZoneInfo

from .digits import to_arabic_digits, localize_digits

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)


def be_year(d: _dt.date) -> int:
    """Buddhist-era year of a date.

    >>> be_year(_dt.date(2024, 5, 30))
    2567
    """
    return d.year + BE_OFFSET


def format_date(d: _dt.date, digits: str = "thai", abbreviated: bool = False, era: bool = False) -> str:
    """The official date text; ``era``: "พ.ศ." before the year, as orders, announcements and
    rules print it ("สั่ง ณ วันที่ ๑ มิถุนายน พ.ศ. ๒๕๖๗").

    >>> format_date(_dt.date(2024, 6, 1), era=True)
    '๑ มิถุนายน พ.ศ. ๒๕๖๗'

    >>> format_date(_dt.date(2024, 5, 30))
    '๓๐ พฤษภาคม ๒๕๖๗'
    >>> format_date(_dt.date(2024, 6, 5), digits="arabic")
    '5 มิถุนายน 2567'
    >>> format_date(_dt.date(2024, 6, 3), abbreviated=True)
    '๓ มิ.ย. ๒๕๖๗'
    """
    month = (THAI_MONTHS_ABBR if abbreviated else THAI_MONTHS)[d.month - 1]
    year = f"พ.ศ. {be_year(d)}" if era else str(be_year(d))
    return localize_digits(f"{d.day} {month} {year}", digits)


_TIME = re.compile(r"^\s*(\d{1,2})\s*[.:]\s*(\d{2})\s*(?:น\.?)?\s*$")


def parse_time(text: str) -> _dt.time | None:
    """A clock time from "09.30", "9.30", "09:30", "๐๙.๓๐ น."; None when it is not one.

    >>> parse_time("9.30"), parse_time("๑๓:๐๕ น.")
    (datetime.time(9, 30), datetime.time(13, 5))
    >>> parse_time("25.00"), parse_time("เก้าโมง")
    (None, None)
    """
    m = _TIME.match(to_arabic_digits(str(text)))
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return _dt.time(int(m.group(1)), int(m.group(2)))


def format_time(t: _dt.time, digits: str = "thai") -> str:
    """Hours and minutes with a full stop, two-digit hour (regulation.md §7), without "น."
    (the phrase that prints it adds it).

    >>> format_time(_dt.time(9, 30)), format_time(_dt.time(13, 5), "arabic")
    ('๐๙.๓๐', '13.05')
    """
    return localize_digits(f"{t.hour:02d}.{t.minute:02d}", digits)


def bangkok(now: _dt.datetime | None = None) -> _dt.datetime:
    """``now`` (default: the clock) as an aware Asia/Bangkok datetime; naive means Bangkok.

    >>> bangkok(_dt.datetime(2024, 12, 31, 17, 30, tzinfo=_dt.timezone.utc)).isoformat()
    '2025-01-01T00:30:00+07:00'
    """
    now = now or _dt.datetime.now(tz=BANGKOK)
    if now.tzinfo is None:
        now = now.replace(tzinfo=BANGKOK)
    return now.astimezone(BANGKOK)


def today_bangkok(now: _dt.datetime | None = None) -> _dt.date:
    """Today's date in Asia/Bangkok (the server may run in UTC).

    >>> today_bangkok(_dt.datetime(2024, 5, 30, 20, 0, tzinfo=_dt.timezone.utc))
    datetime.date(2024, 5, 31)
    """
    return bangkok(now).date()


_ALL_MONTHS = {name: i + 1 for i, name in enumerate(THAI_MONTHS)}
_ALL_MONTHS.update({name: i + 1 for i, name in enumerate(THAI_MONTHS_ABBR)})
_ALL_MONTHS.update({name.replace(".", ""): i + 1 for i, name in enumerate(THAI_MONTHS_ABBR)})
_THAI_DATE = re.compile(          # "30 พฤษภาคม 2567", "วันที่ 30 พ.ค.2567", "30 พ.ค. พ.ศ. 67"
    r"^\s*(?:วันที่\s*)?(\d{1,2})\s*([^\d\s]+?)\s*(?:พ\.\s*ศ\.\s*)?(\d{4}|\d{2})\s*$"
)

_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4}|\d{2})\s*$")   # 30/5/2567


def _month_number(name: str) -> int | None:
    return _ALL_MONTHS.get(name) or _ALL_MONTHS.get(name.replace(".", ""))


class DateParseError(ValueError):
    """A date that cannot be read or does not exist; ``reason`` is a key."""

    def __init__(self, reason: str, text: str):
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text


def parse_date(value, numeric: bool = False) -> tuple[_dt.date, list[str]]:
    """Read an ISO (C.E.) or Thai-text (B.E.) date; return it and warnings.

    ``numeric=True`` also reads the Thai day/month/B.E.-year form "30/5/2567" (a filter's
    date); a letter's date never is, a numeric date being too easily misread.

    Warnings are keys: ``"be-as-ce"`` when an ISO year looks like B.E.
    (2567-05-30 typed for 2024-05-30), ``"ce-as-be"`` when a Thai-text year
    looks like C.E. (30 พฤษภาคม 2024).  Impossible dates raise DateParseError.

    >>> parse_date("2024-05-30")
    (datetime.date(2024, 5, 30), [])
    >>> parse_date("๓๐ พฤษภาคม ๒๕๖๗")
    (datetime.date(2024, 5, 30), [])
    >>> parse_date("30 พ.ค. 2567")
    (datetime.date(2024, 5, 30), [])
    >>> parse_date("30 พฤษภาคม 2024")
    (datetime.date(2024, 5, 30), ['ce-as-be'])
    >>> parse_date("2567-05-30")
    (datetime.date(2024, 5, 30), ['be-as-ce'])
    >>> parse_date("วันที่ 29 ก.พ.2567")          # leap year, abbreviated month, no space
    (datetime.date(2024, 2, 29), [])
    >>> parse_date("1 มกราคม 567")                # a three-digit year is a typo, not 24 C.E.
    Traceback (most recent call last):
    ...
    docgen.thai.dates.DateParseError: unreadable: '1 มกราคม 567'
    >>> parse_date("31 กุมภาพันธ์ 2567")
    Traceback (most recent call last):
    ...
    docgen.thai.dates.DateParseError: impossible: '31 กุมภาพันธ์ 2567'
    >>> parse_date("๓๐/๕/๒๕๖๗", numeric=True), parse_date("30/05/67", numeric=True)
    ((datetime.date(2024, 5, 30), []), (datetime.date(2024, 5, 30), []))
    >>> parse_date("30/5/2024", numeric=True)
    (datetime.date(2024, 5, 30), ['ce-as-be'])
    >>> parse_date("30/5/2567")
    Traceback (most recent call last):
    ...
    docgen.thai.dates.DateParseError: unreadable: '30/5/2567'
    """
    if isinstance(value, _dt.datetime):
        return value.date(), []
    if isinstance(value, _dt.date):
        return value, []
    text = to_arabic_digits(str(value)).strip()
    warnings: list[str] = []
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
    if iso:
        y, m, d = (int(g) for g in iso.groups())
        if y > 2400:
            warnings.append("be-as-ce")
            y -= BE_OFFSET
    else:
        th = _THAI_DATE.match(text)
        slashed = _NUMERIC_DATE.match(text) if numeric else None
        if slashed:
            d, m, y = (int(g) for g in slashed.groups())
        elif not th:
            raise DateParseError("unreadable", str(value))
        else:
            d, month_name, y = int(th.group(1)), th.group(2), int(th.group(3))
            m = _month_number(month_name)
            if m is None:
                raise DateParseError("unknown-month", str(value))
        if y < 100:                       # two-digit B.E. year: ๖๗ → 2567
            y += 2500
        if 1900 <= y <= 2200:
            warnings.append("ce-as-be")
        else:
            y -= BE_OFFSET
    try:
        return _dt.date(y, m, d), warnings
    except ValueError:
        raise DateParseError("impossible", str(value)) from None


_MONTH_ISO = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")                 # 2569-11
_MONTH_SLASH = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{4}|\d{2})\s*$")        # 11/2569
_MONTH_NAMED = re.compile(r"^\s*(?:เดือน\s*)?([^\d\s]+?)\s*(?:พ\.\s*ศ\.\s*)?(\d{4}|\d{2})\s*$")


def parse_month(value) -> tuple[int, int]:
    """A month of the year from user text: (C.E. year, month).

    The year is B.E. ("2569-11", "11/2569", "พฤศจิกายน 2569", "พ.ย. ๖๙"); a four-digit year
    below 2400 is read as C.E. ("2026-11").  Unreadable text raises DateParseError.

    >>> parse_month("2569-11"), parse_month("๒๕๖๙-๑๑"), parse_month("พฤศจิกายน 2569")
    ((2026, 11), (2026, 11), (2026, 11))
    >>> parse_month("พ.ย. ๖๙"), parse_month("11/2569"), parse_month("2026-11")
    ((2026, 11), (2026, 11), (2026, 11))
    >>> parse_month("2569-13")
    Traceback (most recent call last):
    ...
    docgen.thai.dates.DateParseError: impossible: '2569-13'
    >>> parse_month("หน้าฝน 2569")
    Traceback (most recent call last):
    ...
    docgen.thai.dates.DateParseError: unknown-month: 'หน้าฝน 2569'
    """
    text = to_arabic_digits(str(value)).strip()
    iso, slash, named = _MONTH_ISO.match(text), _MONTH_SLASH.match(text), _MONTH_NAMED.match(text)
    if iso:
        y, m = int(iso.group(1)), int(iso.group(2))
    elif slash:
        m, y = int(slash.group(1)), int(slash.group(2))
    elif named:
        m, y = _month_number(named.group(1)), int(named.group(2))
        if m is None:
            raise DateParseError("unknown-month", str(value))
    else:
        raise DateParseError("unreadable", str(value))
    if y < 100:                           # two-digit B.E. year: ๖๙ → 2569
        y += 2500
    if y > 2400:
        y -= BE_OFFSET
    if not 1 <= m <= 12 or not 1800 <= y <= 2300:
        raise DateParseError("impossible", str(value))
    return y, m
