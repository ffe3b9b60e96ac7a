"""The questions officers ask of the register: one typed filter, read from user text.

``parse(...)`` turns the text of ``docgen register list/export`` options (Thai or Arabic
digits, B.E. or ISO dates, Thai status and type words) into a frozen ``RegisterQuery``;
every bad value is a bilingual RegisterError naming its option.  ``RegisterQuery.where()``
is the SQL (SQLAlchemy Core, bound parameters only) that ``store.list_entries`` applies,
identical on SQLite and PostgreSQL.

Text filters are normalised exactly like the stored ``search_text`` (``store.search_text``:
spaces and ZWSP dropped, ำ made one character, Arabic digits), so a word is found inside
unsegmented Thai whichever way it was typed, and matched with ``LIKE`` with ``%`` and
``_`` escaped.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa

from ..thai.dates import BE_OFFSET, THAI_MONTHS, DateParseError, parse_date, parse_month
from ..thai.digits import to_thai_digits
from .errors import RegisterError

TEXT_LIMIT = 200                       # characters of a --search / --to-agency text

# Thai words of each state (the first is the one printed in the exports)
STATE_TH = {"pending": "ค้างดำเนินการ", "issued": "ออกแล้ว", "sent": "ส่งแล้ว",
            "reserved": "จองเลข", "cancelled": "ยกเลิก"}
_STATE_WORDS = {
    "pending": ("pending", "ค้าง", "ค้างดำเนินการ"),
    "issued": ("issued", "ออกแล้ว", "ออกเลขแล้ว"),
    "sent": ("sent", "ส่งแล้ว"),
    "reserved": ("reserved", "จอง", "จองเลข"),
    "cancelled": ("cancelled", "ยกเลิก", "canceled"),
}


@dataclasses.dataclass(frozen=True)
class RegisterQuery:
    """Which register rows to show; None = no condition.  Values are already normalised."""
    year: int | None = None                 # register year (B.E.) of the number
    series: str | None = None
    prefix: str | None = None
    status: str | None = None               # one of store.STATES
    doctype: str | None = None              # data/doctypes.yaml key
    date_from: dt.date | None = None        # ลงวันที่ from … (inclusive)
    date_to: dt.date | None = None          # … to (inclusive)
    month: tuple[int, int] | None = None    # (C.E. year, month) of ลงวันที่
    to_agency: str | None = None            # normalised text inside ถึง
    search: str | None = None               # normalised text inside search_text

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """ลงวันที่ bounds: --from/--to and --month together (their intersection)."""
        first, last = self.date_from, self.date_to
        if self.month:
            y, m = self.month
            start = dt.date(y, m, 1)
            end = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
            first = max(first, start) if first else start
            last = min(last, end) if last else end
        return first, last

    def where(self) -> list:
        """The SQL conditions (bound parameters) on ``register_entry``."""
        from .store import entries as t
        out = []
        for col, value in ((t.c.year, self.year), (t.c.series, self.series),
                           (t.c.prefix, self.prefix), (t.c.doctype, self.doctype)):
            if value is not None:
                out.append(col == value)
        if self.status in ("issued", "sent"):
            out.append(t.c.status == "issued")
            out.append(t.c.sent_at.is_(None) if self.status == "issued" else t.c.sent_at.is_not(None))
        elif self.status is not None:
            out.append(t.c.status == self.status)
        first, last = self.date_range()
        if first is not None:
            out.append(t.c.letter_date >= first.isoformat())     # ISO text sorts as dates
        if last is not None:
            out.append(t.c.letter_date <= last.isoformat())
        if self.to_agency:
            out.append(normalised(t.c.recipient).icontains(self.to_agency, autoescape=True))
        if self.search:
            out.append(t.c.search_text.icontains(self.search, autoescape=True))
        return out

    def describe(self) -> str:
        """The filters in Thai (Thai digits), for the title of an export; "" when none."""
        parts = []
        if self.month:
            y, m = self.month
            parts.append(f"เดือน{THAI_MONTHS[m - 1]} {y + BE_OFFSET}")
        if self.date_from or self.date_to:
            from ..thai.dates import format_date
            a = format_date(self.date_from, "arabic") if self.date_from else "…"
            b = format_date(self.date_to, "arabic") if self.date_to else "…"
            parts.append(f"ลงวันที่ {a} – {b}")
        if self.status:
            parts.append(f"สถานะ {STATE_TH[self.status]}")
        if self.doctype:
            parts.append(f"ประเภท {doctype_name(self.doctype)}")
        if self.series:
            parts.append(f"ชุด {self.series}")
        if self.to_agency:
            parts.append(f"ถึง “{self.to_agency}”")
        if self.search:
            parts.append(f"ค้น “{self.search}”")
        return to_thai_digits(" · ".join(parts))


def normalised(col):
    """SQL: the column normalised as ``store.search_text`` normalises text (both backends)."""
    expr = col
    pairs = [(c, "") for c in (" ", "\t", "\n", "\r", "\u00a0", "\u200b")]
    pairs.append(("\u0e4d\u0e32", "\u0e33"))
    pairs += [(chr(0x0E50 + i), str(i)) for i in range(10)]
    for old, new in pairs:
        expr = sa.func.replace(expr, old, new)
    return expr


def state_of(entry: dict) -> str:
    """The state an officer sees: "sent" is an issued letter marked as sent.

    >>> state_of({"status": "issued", "sent_at": "2024-06-01"}), state_of({"status": "issued"})
    ('sent', 'issued')
    """
    if entry["status"] == "issued" and entry.get("sent_at"):
        return "sent"
    return entry["status"]


# ---------------------------------------------------------------- parsing user text

def _key(text: str) -> str:
    return "".join(str(text).replace("\u0e4d\u0e32", "\u0e33").lower().split())


def parse_status(text, option: str = "--status") -> str:
    """A state from English or Thai words.

    >>> parse_status("ส่งแล้ว"), parse_status("ยกเลิก"), parse_status(" Pending ")
    ('sent', 'cancelled', 'pending')
    """
    key = _key(text)
    for state, words in _STATE_WORDS.items():
        if key in words:
            return state
    allowed = ", ".join(f"{s}/{words[1]}" for s, words in _STATE_WORDS.items())
    raise RegisterError("filter-status", option=option, value=str(text)[:40], allowed=allowed)


def doctype_name(key: str) -> str:
    from ..data import doctypes
    return (doctypes().get(key) or {}).get("name_th") or key


def parse_doctype(text, option: str = "--type") -> str:
    """A document type key from its key or Thai name (data/doctypes.yaml).

    >>> parse_doctype("memo"), parse_doctype("หนังสือภายนอก")
    ('memo', 'external')
    """
    from ..data import doctype_key, doctypes
    key = doctype_key(text)          # the same rule as a letter's `type:` (docgen/model.py)
    if key is not None:
        return key
    allowed = ", ".join(f"{k}/{(v or {}).get('name_th') or k}" for k, v in doctypes().items())
    raise RegisterError("filter-type", option=option, value=str(text)[:40], allowed=allowed)


def parse_day(text, option: str) -> dt.date:
    """A letter date: ISO, Thai text with a B.E. year, or D/M/B.E.-year; Thai digits too.

    >>> parse_day("๓๐ พฤษภาคม ๒๕๖๗", "--from"), parse_day("30/5/2567", "--to")
    (datetime.date(2024, 5, 30), datetime.date(2024, 5, 30))
    """
    try:
        return parse_date(" ".join(str(text).split()), numeric=True)[0]
    except DateParseError as e:
        code = "filter-date-impossible" if e.reason == "impossible" else "filter-date"
        raise RegisterError(code, option=option, value=str(text)[:40]) from None


def parse_month_text(text, option: str = "--month") -> tuple[int, int]:
    """(C.E. year, month) from "2569-11", "๒๕๖๙-๑๑", "พฤศจิกายน 2569".

    >>> parse_month_text("พฤศจิกายน ๒๕๖๙")
    (2026, 11)
    """
    try:
        return parse_month(" ".join(str(text).split()))
    except DateParseError:
        raise RegisterError("filter-month", option=option, value=str(text)[:40]) from None


def parse_text(text, option: str, limit: int = TEXT_LIMIT) -> str | None:
    """Search text normalised like the stored search_text; None when nothing is left.

    >>> parse_text(" ตัวชี้ วัด ๑๐๐ ", "--search")
    'ตัวชี้วัด100'
    """
    from .store import search_text
    if text is None:
        return None
    shown = " ".join(str(text).split())
    if len(shown) > limit:
        raise RegisterError("filter-long", option=option, length=len(shown), limit=limit)
    return search_text(shown) or None


def parse(*, year=None, series=None, prefix=None, status=None, doctype=None, date_from=None,
          date_to=None, month=None, to_agency=None, search=None) -> RegisterQuery:
    """A RegisterQuery from option text (None or "" = no condition); ints and dates pass as is."""
    from .keys import normalize_prefix, normalize_series, parse_year

    def given(v):
        return v is not None and str(v).strip() != ""

    q = RegisterQuery(
        year=parse_year(year) if given(year) else None,
        series=normalize_series(series) if given(series) else None,
        prefix=normalize_prefix(prefix) if given(prefix) else None,
        status=parse_status(status) if given(status) else None,
        doctype=parse_doctype(doctype) if given(doctype) else None,
        date_from=(date_from if isinstance(date_from, dt.date) else
                   parse_day(date_from, "--from") if given(date_from) else None),
        date_to=(date_to if isinstance(date_to, dt.date) else
                 parse_day(date_to, "--to") if given(date_to) else None),
        month=(tuple(month) if isinstance(month, tuple) else
               parse_month_text(month) if given(month) else None),
        to_agency=parse_text(to_agency, "--to-agency"),
        search=parse_text(search, "--search"),
    )
    if q.date_from and q.date_to and q.date_from > q.date_to:
        raise RegisterError("filter-range", start=str(date_from), end=str(date_to))
    return q
