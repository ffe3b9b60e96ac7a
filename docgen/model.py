"""Model stage: validated, typed letter.  Every problem names its field.

``validate(letter, profile, profile_dir)`` returns ``(Letter | None, Problems)``:
the Letter is None when any problem is an error.
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import data, geometry, limits
from .errors import Problems
from .i18n import FieldName, Msg
from .assets import Image  # noqa: F401  (annotations)
from .thai import dates as thai_dates
from .thai.address import AddressForm, classify, near_position, sentence_verb
from .thai.digits import to_arabic_digits
from .thai.text import char_kind, find_invisible, forbidden_char, normalize_text, shown

ACTING_FORMS = ("ปฏิบัติราชการแทน", "รักษาราชการแทน", "รักษาการแทน", "ปฏิบัติหน้าที่แทน", "รักษาการในตำแหน่ง")
SALUTATIONS = ("เรียน", "กราบเรียน", "นมัสการ", "กราบทูล", "ขอประทานกราบทูล")   # ภาคผนวก ๒ (regulation.md §5.2, §5.3)
# Every bound is in the limit table, data/limits.yaml (docgen.limits); these names are kept
# for the code that imports them and are read from it.
SUBJECT_LIMIT, SUBJECT_WARN = limits.get("text.subject"), limits.get("text.subject_warn")
MAX_NUMBER = limits.get("number.max")          # the largest running number a ที่ line may carry (register too)
TEXT_LIMIT = limits.get("text.field")
BODY_LIMIT = limits.get("counts.body")          # top-level body entries (a 40-page letter has ~300)
BLOCK_LIMIT = limits.get("counts.blocks")       # paragraphs + items in all (YAML aliases can multiply a small file)
MAX_LEVELS = limits.get("counts.item_levels")
_MARKUP = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>|<!\[CDATA\[|<\?xml|<!--|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
_URL = re.compile(r"\b(?:file|javascript|data|ftp|vbscript):\S*|\bhttps?://\S+|\\\\[\w.$-]+\\\S*")
_WHOLE = re.compile(r"\s*[0-9๐-๙]{1,30}\s*")   # a running number typed as text: "74", "๗๔" (bounded: int() refuses 4,300+ digits)
_PATH = re.compile(r"(?:^|[\s\"'(=])(\.\.[/\\]\S*|/(?:etc|proc|sys|dev|root|home|tmp|var|usr)/\S*)")

# Fields a letter file may hold; profile fields may also appear in the letter (it overrides them).
PROFILE_FIELDS = {"agency", "ref_prefix", "sender", "owner_unit", "phone", "fax", "email",
                  "signer", "emblem", "seal", "digits", "layout", "year_start", "register", "numbering"}
OFFICE_ONLY = {"register", "numbering"}   # profile fields a letter may not override (docgen/config.py)
LETTER_FIELDS = {"type", "profile", "urgency", "secrecy", "number", "circular", "date", "subject",
                 "to", "salutation", "closing", "salutation_override", "references", "enclosures", "body", "purpose",
                 "signer", "owner_unit", "phone", "fax", "email", "copies_to",
                 # the parts of the other types (data/doctypes.yaml)
                 "issuer", "edition", "preamble", "clauses", "meeting", "session", "place",
                 "present", "absent", "attending", "start", "end", "agenda", "recorder", "checker",
                 "photo"} | PROFILE_FIELDS
# Fields about the file and how it is printed or numbered, not parts of a document: every type
# takes them.  The others are the document's parts, and each type declares which it has
# (data/doctypes.yaml).
FILE_FIELDS = {"type", "profile", "layout", "digits", "register", "numbering"}
NUMBERING_MODES = ("letter", "own", "none")     # profile `numbering: {<type>: …}` (data/doctypes.yaml)
DOCUMENT_FIELDS = LETTER_FIELDS - FILE_FIELDS
SIGNER_FIELDS = {"name", "position", "acting", "principal"}
ATTENDEE_FIELDS = {"name", "position", "reason"}
CLAUSE_FIELDS = {"text", "items"}
AGENDA_FIELDS = {"title", "body", "items", "resolution"}
REFERENCE_FIELDS = {"agency", "urgency", "number", "date", "text"}


@dataclass
class Reference:
    text: str | None = None          # free text, kept as written
    agency: str | None = None
    urgency: str | None = None
    number: str | None = None
    date: dt.date | None = None


@dataclass
class Item:
    text: str
    items: list["Item"] = field(default_factory=list)


@dataclass
class ItemList:
    items: list[Item]
    start: int = 1


@dataclass
class Signer:
    name: str
    position: list[str]
    acting: str | None = None
    principal: str | None = None


@dataclass
class Clause:
    """A clause of a ระเบียบ/ข้อบังคับ: "ข้อ ๑ text", its sub-items "(๑) …"."""
    text: str
    items: list[str] = field(default_factory=list)


@dataclass
class Attendee:
    """One line of a meeting's attendance: name, position, and (absent) the reason."""
    name: str
    position: str | None = None
    reason: str | None = None


@dataclass
class AgendaItem:
    """ระเบียบวาระ: a title, what was reported or discussed, and the resolution (มติ)."""
    title: str
    body: list = field(default_factory=list)      # of str | ItemList, as Letter.body
    resolution: str | None = None


@dataclass
class Letter:
    type: str
    subject: str
    to: str
    body: list  # of str | ItemList
    signer: Signer
    date: dt.date
    address: AddressForm
    salutation: str
    closing: str | None
    purpose: str | None
    agency: str = ""
    ref_prefix: str = ""
    number: int | None = None
    circular: bool = False
    urgency: str | None = None
    secrecy: str | None = None
    references: list[Reference] = field(default_factory=list)
    enclosures: list[str] = field(default_factory=list)
    sender: list[str] = field(default_factory=list)
    owner_unit: list[str] = field(default_factory=list)
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    copies_to: list[str] = field(default_factory=list)
    emblem: "Image | None" = None    # validated by docgen/assets.py: the bytes both renderers use
    digits: str = "thai"
    geometry: dict = field(default_factory=dict)
    year_start: str = "calendar"
    source: dict = field(default_factory=dict)   # the merged input, for the PDF attachment
    # numbering (data/doctypes.yaml `numbering:`, the profile's `numbering:`)
    series: str | None = "ปกติ"     # the register series (docgen.register.keys), None: not numbered
    ref_format: str = "letter"      # letter | year | edition (docgen.thai.refnum)
    ref_year: int | None = None     # the register year of the number (set by the register), else the date's
    # the parts of the other document types (data/doctypes.yaml)
    issuer: str | None = None       # คำสั่ง/ประกาศ/ระเบียบ … + issuer (default: agency)
    edition: str | None = None      # ฉบับที่ …
    preamble: list = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    meeting: str | None = None
    session: str | None = None      # ครั้งที่ ๓/๒๕๖๗
    place: str | None = None
    present: list[Attendee] = field(default_factory=list)
    absent: list[Attendee] = field(default_factory=list)
    attending: list[Attendee] = field(default_factory=list)
    start: dt.time | None = None
    end: dt.time | None = None
    agenda: list[AgendaItem] = field(default_factory=list)
    recorder: Signer | None = None
    checker: Signer | None = None
    seal: "Image | None" = None
    photo: "Image | None" = None


@dataclass(frozen=True)
class TypeFields:
    """What a document type's declaration says about the letter file's fields."""
    required: frozenset       # the letter or its profile must give them
    has: frozenset            # required + allowed; any other document field the type does not have


def _declared(key: str, spec: dict) -> tuple[frozenset, frozenset, frozenset]:
    """(required, allowed, forbidden) of one declaration; a name docgen does not know, or one
    listed twice, is a fault of the data (not of a letter): ValueError."""
    lists = []
    for part in ("required", "allowed", "forbidden"):
        names = ((spec or {}).get("fields") or {}).get(part) or []
        unknown = [n for n in names if n not in DOCUMENT_FIELDS]
        if unknown:
            raise ValueError(f"data/doctypes.yaml: {key}.fields.{part} names no document field: {unknown}")
        lists.append(frozenset(names))
    required, allowed, forbidden = lists
    if (required & allowed) or (required | allowed) & forbidden:
        raise ValueError(f"data/doctypes.yaml: {key}.fields lists a field twice: "
                         f"{sorted((required & allowed) | ((required | allowed) & forbidden))}")
    return required, allowed, forbidden


def type_fields(dtype: str | None) -> TypeFields:
    """The fields a document type requires and has, from its declaration (data/doctypes.yaml
    ``fields:``).  Without a known type: what every type requires, and what any type has (so
    the rest of the letter is still checked while its ``type`` is wrong).

    >>> f = type_fields("memo")
    >>> "owner_unit" in f.required, "closing" in f.has, "sender" in f.has, "phone" in f.has
    (True, False, False, True)
    >>> sorted(type_fields(None).required)          # a wrong `type`: what every type requires (nothing)
    []
    """
    doctypes = data.doctypes()
    chosen = {dtype: doctypes[dtype]} if dtype in doctypes else doctypes
    declared = [_declared(k, spec) for k, spec in chosen.items()]
    required = frozenset.intersection(*(r for r, _, _ in declared)) if declared else frozenset()
    has = frozenset().union(*(r | a for r, a, _ in declared))
    return TypeFields(required, has)


def refused_fields(problems: Problems) -> set[str]:
    return {p.field for p in problems.errors}


def _given(value) -> bool:
    """A field given a value: an empty one (null, "", [], {}) says the part is not there."""
    return not (value is None or (isinstance(value, (str, list, dict)) and not value))


def whole_number(value) -> int | None:
    """A whole number given as an int or as text in Arabic or Thai digits; None otherwise.
    The value is stored, never its digits: Thai digits are only how it is printed.

    >>> whole_number(74), whole_number("74"), whole_number("๗๔"), whole_number(" ๐๗๔ ")
    (74, 74, 74, 74)
    >>> [whole_number(v) for v in ("๗๔ก", "-3", "7.5", "", "७४", "๙" * 5000, True, 7.0, None)]
    [None, None, None, None, None, None, None, None, None]
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        return int(to_arabic_digits(value.strip()))
    return None


def _did_you_mean(name: str, choices) -> str | None:
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def kind(value) -> Msg:
    """What a wrong value is, in words a letter writer knows — never a Python type name.

    >>> [kind(v).text("th") for v in (None, True, 5, "ab", [1], {"a": 1}, object())]
    ['ค่าว่าง', 'ค่า true/false', 'ตัวเลข 5', "ข้อความ 'ab'", 'รายการ', 'ชุดข้อมูลแบบ ชื่อ: ค่า', 'ค่าชนิดอื่น']
    >>> kind([1]).text("en"), kind(10**30).text("en")
    ('a list', 'a huge number')
    """
    if value is None:
        return Msg("got-null")
    if isinstance(value, bool):
        return Msg("got-bool")
    if isinstance(value, int):
        return Msg.of("got-number", value=value) if value.bit_length() <= 64 else Msg("got-big-number")
    if isinstance(value, float):
        return Msg.of("got-number", value=str(value)) if len(str(value)) <= 20 else Msg("got-big-number")
    if isinstance(value, str):
        return Msg.of("got-text", value=shown(value, 30))
    if isinstance(value, list):
        return Msg("got-list")
    if isinstance(value, dict):
        return Msg("got-mapping")
    return Msg("got-other")


def _key(k) -> str:
    """A mapping key as a field name may print it (docgen.thai.text.shown)."""
    return shown(k, 60)


class _V:
    """Validation helpers bound to one Problems collection."""

    def __init__(self, problems: Problems):
        self.p = problems

    def type_error(self, fld, expected, value):
        self.p.error(fld, "type", expected=Msg(f"type-{expected}"), got=kind(value))

    def hygiene(self, fld, raw: str, multiline=False) -> bool:
        """Refuse a character no text may hold (docgen.thai.text.forbidden_char), naming the
        field and the position; True when the text is clean."""
        bad = forbidden_char(raw, multiline)
        if bad is None:
            return True
        position, char, count = bad
        self.p.error(fld, f"char-{char_kind(char)}", position=position, char=f"U+{ord(char):04X}", count=count)
        return False

    def text(self, fld, value, required=False, limit=None, multiline=False) -> str | None:
        """A text field: one line unless ``multiline`` (body paragraphs and items), at most
        ``limit`` characters (default ``text.line`` of the limit table)."""
        limit = limits.get("text.line") if limit is None else limit
        if value is None or value == "":
            if required:
                self.p.error(fld, "required", field=FieldName(fld))
            return None
        if (isinstance(value, bool) or not isinstance(value, (str, int, float))
                or (isinstance(value, float) and not math.isfinite(value))
                or (isinstance(value, int) and value.bit_length() > 64)):
            self.type_error(fld, "text", value)
            return None
        raw = str(value)
        if not self.hygiene(fld, raw, multiline):
            return None
        if multiline:
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        names = find_invisible(raw)
        text, changes = normalize_text(raw)
        if "invisible" in changes:
            self.p.warn(fld, "invisible", names=", ".join(sorted(set(names))))
        if "sara-am" in changes:
            self.p.warn(fld, "sara-am")
        markup = _MARKUP.search(text)
        if markup:
            self.p.warn(fld, "markup", snippet=markup.group(0)[:40])
        url = _URL.search(text)
        if url and not fld.endswith("email"):
            self.p.warn(fld, "url-in-text", snippet=url.group(0)[:60])
        path = _PATH.search(text)
        if path:
            self.p.warn(fld, "path-in-text", snippet=path.group(1)[:60])
        if len(text) > limit:
            self.p.error(fld, "too-long", length=len(text), limit=limit)
            return None
        if required and not text:
            self.p.error(fld, "required", field=FieldName(fld))
            return None
        return text

    def lines(self, fld, value, required=False, limit=None) -> list[str]:
        """A text or a list of texts → list of lines (blank entries are left out; a required
        list whose every entry is blank is missing)."""
        if value is None or value == [] or value == "":
            if required:
                self.p.error(fld, "required", field=FieldName(fld))
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            self.type_error(fld, "list", value)
            return []
        if len(value) > limits.get("counts.list_entries"):
            self.p.error(fld, "too-many", count=len(value), limit=limits.get("counts.list_entries"))
            return []
        out, errors = [], len(self.p.errors)
        for i, v in enumerate(value):
            t = self.text(f"{fld}[{i + 1}]", v, limit=limit)
            if t:
                out.append(t)
        if required and not out and len(self.p.errors) == errors:
            self.p.error(fld, "required", field=FieldName(fld))
        return out

    def choice(self, fld, value, allowed, required=False) -> str | None:
        if value is None or value == "":
            if required:
                self.p.error(fld, "required", field=FieldName(fld))
            return None
        t = self.text(fld, value)
        if t is not None and t not in allowed:
            self.p.error(fld, "choice", value=t, allowed=" | ".join(allowed))
            return None
        return t

    def date(self, fld, value, required=False) -> dt.date | None:
        if value is None or value == "":
            if required:
                self.p.error(fld, "required", field=FieldName(fld))
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, dt.date)) or (
                isinstance(value, int) and value.bit_length() > 64):
            self.type_error(fld, "date", value)
            return None
        if isinstance(value, str) and not self.hygiene(fld, value):
            return None
        try:
            d, warnings = thai_dates.parse_date(value)
        except thai_dates.DateParseError as e:
            code = {"impossible": "date-impossible", "unknown-month": "date-month"}.get(e.reason, "date-unreadable")
            self.p.error(fld, code, value=shown(value))
            return None
        for w in warnings:
            if w == "be-as-ce":
                self.p.warn(fld, "date-be-as-ce", year=d.year + 543)
            else:
                self.p.warn(fld, "date-ce-as-be", year=d.year, be=d.year + 543)
        return d

    def unknown(self, fld_prefix, mapping: dict, known: set, letter_only: set = frozenset()):
        """An error for each key of ``mapping`` not in ``known``: a close known name suggested,
        or (in a profile) a letter's own field named as such."""
        for k in mapping:
            if k not in known:
                key = _key(k)
                name = f"{fld_prefix}.{key}" if fld_prefix else key
                if k in letter_only:
                    self.p.error(name, "unknown-field-letter", name=key)
                elif (close := _did_you_mean(key, known)) is not None:
                    self.p.error(name, "unknown-field-suggest", name=key, suggestion=close)
                else:
                    self.p.error(name, "unknown-field", name=key)


def _items(v: _V, fld: str, value, level: int, budget: list[int]) -> list[Item]:
    if not isinstance(value, list):
        v.type_error(fld, "list", value)
        return []
    if level > limits.get("counts.item_levels"):
        v.p.error(fld, "too-deep", limit=limits.get("counts.item_levels"))
        return []
    out = []
    for i, entry in enumerate(value):
        f = f"{fld}[{i + 1}]"
        budget[0] -= 1
        if budget[0] < 0:
            v.p.error(fld, "too-many", count=f"> {limits.get('counts.blocks')}", limit=limits.get("counts.blocks"))
            return out
        if isinstance(entry, dict):
            v.unknown(f, entry, {"text", "items"})
            text = v.text(f"{f}.text", entry.get("text"), required=True, limit=limits.get("text.field"),
                          multiline=True)
            subs_raw = entry.get("items")
            subs = _items(v, f"{f}.items", subs_raw, level + 1, budget) if subs_raw not in (None, []) else []
            if text:
                out.append(Item(text, subs))
        else:
            text = v.text(f, entry, required=True, limit=limits.get("text.field"), multiline=True)
            if text:
                out.append(Item(text))
    return out


def _body(v: _V, value, required=True, fld: str = "body", budget: list[int] | None = None) -> list:
    """Paragraphs and numbered item lists (``body``, ``preamble``, an agenda item's ``body``);
    ``budget``: blocks left for the whole document (shared by its parts)."""
    if value is None or value == [] or value == "":
        if required:
            v.p.error(fld, "required", field=FieldName(fld))
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        v.type_error(fld, "list", value)
        return []
    if len(value) > limits.get("counts.body"):
        v.p.error(fld, "too-many", count=len(value), limit=limits.get("counts.body"))
        return []
    out = []
    budget = [limits.get("counts.blocks")] if budget is None else budget
    errors = len(v.p.errors)
    for i, entry in enumerate(value):
        f = f"{fld}[{i + 1}]"
        budget[0] -= 1
        if isinstance(entry, dict):
            v.unknown(f, entry, {"items", "start"})
            start, high = entry.get("start", 1), limits.get("counts.item_start")
            if not isinstance(start, int) or isinstance(start, bool) or not 1 <= start <= high:
                v.p.error(f"{f}.start", "number-range", low=1, high=high, value=shown(start))
                start = 1
            if entry.get("items") in (None, []):
                v.p.error(f"{f}.items", "required", field=FieldName(f"{f}.items"))
                continue
            items = _items(v, f"{f}.items", entry.get("items"), 1, budget)
            if items:
                out.append(ItemList(items, start))
        else:
            t = v.text(f, entry, required=True, limit=limits.get("text.field"), multiline=True)
            if t:
                out.append(t)
    if not out and len(v.p.errors) == errors:
        v.p.error(fld, "empty")
    return out


def _reference(v: _V, fld: str, value) -> Reference | None:
    """A reference: free text, or a mapping of agency, number and date (+ urgency).  A
    mapping that gives ``text`` is free text; otherwise all three parts are required."""
    if isinstance(value, dict):
        v.unknown(fld, value, REFERENCE_FIELDS)
        if value.get("text") not in (None, ""):
            t = v.text(f"{fld}.text", value["text"], required=True)
            return Reference(text=t) if t else None
        short = limits.get("text.short")
        agency = v.text(f"{fld}.agency", value.get("agency"), required=True, limit=short)
        urgency = v.choice(f"{fld}.urgency", value.get("urgency"), data.urgency_classes())
        number = v.text(f"{fld}.number", value.get("number"), required=True, limit=short)
        date = v.date(f"{fld}.date", value.get("date"), required=True)
        if agency and number and date:
            return Reference(agency=agency, urgency=urgency, number=number, date=date)
        return None
    t = v.text(fld, value, required=True)
    return Reference(text=t) if t else None


def _signer(v: _V, value, required=True, fld: str = "signer") -> Signer | None:
    """A signer (or a meeting's ``recorder``/``checker``): name, position lines, acting form."""
    if not isinstance(value, dict):
        if value is None:
            if required:
                v.p.error(fld, "required", field=FieldName(fld))
        else:
            v.type_error(fld, "mapping", value)
        return None
    v.unknown(fld, value, SIGNER_FIELDS)
    short = limits.get("text.short")
    name = v.text(f"{fld}.name", value.get("name"), required=True, limit=short)
    if name:
        name = name.strip("()").strip()
        if not name:
            v.p.error(f"{fld}.name", "required", field=FieldName(f"{fld}.name"))
    position = v.lines(f"{fld}.position", value.get("position"), required=True)
    acting = v.choice(f"{fld}.acting", value.get("acting"), ACTING_FORMS)
    principal = v.text(f"{fld}.principal", value.get("principal"), limit=short)
    if acting and not principal and value.get("principal") in (None, ""):      # not when it is refused
        v.p.error(f"{fld}.principal", "acting-principal", given=acting)
    if principal and not acting and value.get("acting") in (None, ""):
        v.p.error(f"{fld}.acting", "principal-without-acting")
    if name and position:
        return Signer(name, position, acting, principal)
    return None


def _doctype(v: _V, value) -> str | None:
    """The document type's key from ``type:``: its key or its Thai name (data/doctypes.yaml),
    spaces around it ignored; None (with an error) when it is missing or names no type."""
    if value is None or value == "":
        v.p.error("type", "required", field=FieldName("type"))
        return None
    if not isinstance(value, str):
        v.type_error("type", "text", value)
        return None
    text = v.text("type", value)
    if text is None:
        return None
    key = data.doctype_key(text)
    if key is None:
        names = [f"{k} ({(spec or {}).get('name_th') or k})" for k, spec in data.doctypes().items()]
        v.p.error("type", "choice", value=shown(text.strip()), allowed=" | ".join(names))
    return key


def _entries(v: _V, fld: str, value, required: bool) -> list | None:
    """A list field's entries (a single entry may be given alone); None when refused."""
    if value is None or value == [] or value == "":
        if required:
            v.p.error(fld, "required", field=FieldName(fld))
        return []
    if not isinstance(value, list):
        value = [value]
    if len(value) > limits.get("counts.list_entries"):
        v.p.error(fld, "too-many", count=len(value), limit=limits.get("counts.list_entries"))
        return None
    return value


def _clauses(v: _V, value, required: bool, budget: list[int]) -> list[Clause]:
    """``clauses:`` of a ระเบียบ/ข้อบังคับ: each a text, or {text, items: [sub-item, …]}."""
    out = []
    for i, entry in enumerate(_entries(v, "clauses", value, required) or []):
        f = f"clauses[{i + 1}]"
        budget[0] -= 1
        if budget[0] < 0:
            v.p.error("clauses", "too-many", count=f"> {limits.get('counts.blocks')}", limit=limits.get("counts.blocks"))
            break
        subs = []
        if isinstance(entry, dict):
            v.unknown(f, entry, CLAUSE_FIELDS)
            text = v.text(f"{f}.text", entry.get("text"), required=True, limit=TEXT_LIMIT, multiline=True)
            for j, sub in enumerate(_entries(v, f"{f}.items", entry.get("items"), False) or []):
                budget[0] -= 1
                t = v.text(f"{f}.items[{j + 1}]", sub, required=True, limit=TEXT_LIMIT, multiline=True)
                if t:
                    subs.append(t)
        else:
            text = v.text(f, entry, required=True, limit=TEXT_LIMIT, multiline=True)
        if text:
            out.append(Clause(text, subs))
    return out


def _attendees(v: _V, fld: str, value, required: bool) -> list[Attendee]:
    """A meeting's attendance list: each "name" or {name, position, reason}."""
    out, short = [], limits.get("text.short")
    for i, entry in enumerate(_entries(v, fld, value, required) or []):
        f = f"{fld}[{i + 1}]"
        if isinstance(entry, dict):
            v.unknown(f, entry, ATTENDEE_FIELDS)
            name = v.text(f"{f}.name", entry.get("name"), required=True, limit=short)
            position = v.text(f"{f}.position", entry.get("position"), limit=short)
            reason = v.text(f"{f}.reason", entry.get("reason"), limit=short)
        else:
            name, position, reason = v.text(f, entry, required=True, limit=short), None, None
        if name:
            out.append(Attendee(name, position, reason))
    return out


def _agenda(v: _V, value, required: bool, budget: list[int]) -> list[AgendaItem]:
    """``agenda:`` of the minutes: each {title, body and/or items, resolution}."""
    out = []
    for i, entry in enumerate(_entries(v, "agenda", value, required) or []):
        f = f"agenda[{i + 1}]"
        budget[0] -= 1
        if not isinstance(entry, dict):
            v.type_error(f, "mapping", entry)
            continue
        v.unknown(f, entry, AGENDA_FIELDS)
        title = v.text(f"{f}.title", entry.get("title"), required=True, limit=limits.get("text.subject"))
        body = _body(v, entry.get("body"), required=False, fld=f"{f}.body", budget=budget)
        if entry.get("items") not in (None, []):
            items = _items(v, f"{f}.items", entry.get("items"), 1, budget)
            if items:
                body.append(ItemList(items))
        resolution = v.text(f"{f}.resolution", entry.get("resolution"), limit=TEXT_LIMIT, multiline=True)
        if title:
            out.append(AgendaItem(title, body, resolution))
    return out


def _time(v: _V, fld: str, value, required: bool) -> dt.time | None:
    """A clock time: "09.30", "9.30", "09:30", "๐๙.๓๐", with or without "น." (regulation.md §7)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 23:
        value = f"{value}.00"            # YAML reads 9 as a number
    text = v.text(fld, value, required=required, limit=limits.get("text.contact"))
    if text is None:
        return None
    t = thai_dates.parse_time(text)
    if t is None:
        v.p.error(fld, "time-unreadable", value=shown(text))
    return t


def _numbering(v: _V, value) -> dict[str, str]:
    """The profile's ``numbering:`` — {type (key or Thai name): letter | own | none}."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        v.type_error("numbering", "mapping", value)
        return {}
    out = {}
    for k, mode in value.items():
        key = data.doctype_key(str(k))
        if key is None:
            v.p.error(f"numbering.{_key(k)}", "choice", value=shown(k), allowed=" | ".join(data.doctypes()))
            continue
        chosen = v.choice(f"numbering.{_key(k)}", mode, NUMBERING_MODES)
        if chosen:
            out[key] = chosen
    return out


def series_of(dtype: str, circular: bool, numbering: dict[str, str]) -> str | None:
    """The register series a document of ``dtype`` takes: the letter series (ปกติ, ว when
    circular), a series of its own (its Thai name), or None (not numbered).

    >>> series_of("external", True, {}), series_of("order", False, {}), series_of("announcement", False, {})
    ('ว', 'คำสั่ง', None)
    >>> series_of("stamped", False, {}), series_of("stamped", False, {"stamped": "own"})
    ('ปกติ', 'หนังสือประทับตรา')
    """
    spec = data.doctypes()[dtype]
    # undeclared: numbered in the letter series when the type has a number at all
    default = "letter" if "number" in type_fields(dtype).has else "none"
    mode = numbering.get(dtype) or (spec.get("numbering") or {}).get("series", default)
    if mode == "none":
        return None
    if mode == "own":
        return spec["name_th"]
    return "ว" if circular else "ปกติ"


def _image(v: _V, fld: str, value, base: Path) -> "Image | None":
    """An optional image (``seal``, ``photo``) inside the asset fence (docgen/assets.py)."""
    from .assets import optional_image
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        v.type_error(fld, "text", value)
        return None
    if not v.hygiene(fld, value):
        return None
    return optional_image(v.p, fld, value, base)


def _emblem(v: _V, value, base: Path) -> "Image | None":
    """The validated emblem image: the asset fence and the decode check are docgen/assets.py."""
    from .assets import emblem
    if value not in (None, "") and not isinstance(value, str):
        v.type_error("emblem", "text", value)
        return None
    return emblem(v.p, value, base)


def _scan(v: _V, merged: dict, extra: list) -> list[tuple[str, str]] | None:
    """Bound the whole input before any field is read: characters (keys too), values and
    depth from the limit table, every YAML alias counted each time it is used, so a small
    file that expands to millions of values is refused in a few milliseconds.  Returns each
    key and text with its field name (for ``_hygiene``), or None when the input is refused.
    ``extra``: more (field, value) pairs that count towards the bounds only."""
    max_chars, max_values = limits.get("text.total"), limits.get("files.expanded_nodes")
    max_depth = limits.get("files.depth")
    chars = values = 0
    texts: list[tuple[str, str]] = []
    stack = [(_key(k), val, 1, True) for k, val in reversed(merged.items())]
    stack = [(fld, val, 1, False) for fld, val in extra] + stack
    while stack:
        fld, node, depth, keep = stack.pop()
        values += 1
        if values > max_values:
            v.p.error(_FIELD_STEP.split(fld, maxsplit=1)[0], "letter-too-many", limit=max_values)
            return None
        if depth > max_depth:
            v.p.error(fld, "file-too-deep", limit=max_depth)
            return None
        if isinstance(node, (dict, list)) and values + len(stack) + len(node) > max_values:
            v.p.error(_FIELD_STEP.split(fld, maxsplit=1)[0], "letter-too-many", limit=max_values)
            return None           # every value pending will be counted: refuse before walking them
        if isinstance(node, str):
            chars += len(node)
            if keep:
                texts.append((fld, node))
        elif isinstance(node, dict):
            for k, val in reversed(node.items()):
                if isinstance(k, str):
                    chars += len(k)
                    if keep:
                        texts.append((f"{fld}.{_key(k)}", k))
                stack.append((f"{fld}.{_key(k)}", val, depth + 1, keep))
        elif isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                stack.append((f"{fld}[{i + 1}]", node[i], depth + 1, keep))
        if chars > max_chars:
            v.p.error(_FIELD_STEP.split(fld, maxsplit=1)[0], "letter-too-large", limit=max_chars)
            return None
    return texts


_FIELD_STEP = re.compile(r"[.\[]")     # where a field name steps into a part: signer.name, body[2]


def _hygiene(v: _V, texts: list[tuple[str, str]]) -> None:
    """Forbidden characters in what no field check read: keys, and values the model passes
    on unread (``profile``, ``register``, the merged input attached to the PDF).  A field
    already refused is not reported again."""
    refused = {p.field for p in v.p.errors}
    for fld, text in texts:
        if fld in refused or any(fld[:m.start()] in refused for m in _FIELD_STEP.finditer(fld)):
            continue
        if not v.hygiene(fld, text, multiline=True):
            refused.add(fld)


def validate(letter: dict, profile: dict | None = None, profile_dir: Path | None = None,
             today: dt.date | None = None, letter_dir: Path | None = None) -> tuple[Letter | None, Problems]:
    """Check a letter (with its profile) and build the typed Letter.  An image path (emblem,
    seal, photo) is relative to the file that names it: ``letter_dir`` when the letter gives
    it (default: ``profile_dir``), else ``profile_dir``."""
    problems = Problems()
    v = _V(problems)
    profile = profile or {}
    v.unknown("profile", profile, PROFILE_FIELDS, LETTER_FIELDS)
    v.unknown("", letter, LETTER_FIELDS - OFFICE_ONLY)
    merged = {**{k: val for k, val in profile.items() if k in PROFILE_FIELDS}, **letter}
    texts = _scan(v, merged, [("profile.layout", profile.get("layout"))] if "layout" in letter else [])
    if texts is None:
        return None, problems
    layout = {}
    for where, src in (("profile.layout", profile), ("layout", letter)):
        part = src.get("layout")
        if part is None:
            continue
        if not isinstance(part, dict):
            v.type_error(where, "mapping", part)
            continue
        layout = {**layout, **part}
    base = profile_dir or Path(".")

    def base_of(name: str) -> Path:
        return letter_dir if letter_dir is not None and _given(letter.get(name)) else base
    today = today or thai_dates.today_bangkok()

    dtype = _doctype(v, merged.get("type"))
    fields = type_fields(dtype)
    need = fields.required.__contains__          # need("to"): the type requires it
    if dtype is not None:
        # the letter's own fields that its type does not have; a profile serves every type,
        # so what it gives that this type does not have is left unused
        name_th = data.doctypes()[dtype].get("name_th") or dtype
        for k, value in letter.items():
            if k in DOCUMENT_FIELDS and k not in fields.has and _given(value):
                problems.error(k, "doctype-no-field", field=FieldName(k), type=dtype, type_name=name_th)
        unused = {k for k in merged if k in DOCUMENT_FIELDS and k not in fields.has}
        # parts the type takes from the letter only, never from the profile (ข่าว: a signer)
        unused |= {k for k in data.doctypes()[dtype].get("letter_only") or () if k not in letter}
        merged = {k: val for k, val in merged.items() if k not in unused}
        texts = [(f, t) for f, t in texts if _FIELD_STEP.split(f, maxsplit=1)[0] not in unused]

    subject = v.text("subject", merged.get("subject"), required=need("subject"), limit=limits.get("text.subject"))
    if subject and len(subject) > limits.get("text.subject_warn"):
        problems.warn("subject", "long", length=len(subject))
    to = v.text("to", merged.get("to"), required=need("to"), limit=limits.get("text.short"))
    body = _body(v, merged.get("body"), required=need("body"))
    signer = _signer(v, merged.get("signer"), required=need("signer"))
    urgency = v.choice("urgency", merged.get("urgency"), data.urgency_classes(), required=need("urgency"))
    secrecy = v.choice("secrecy", merged.get("secrecy"), data.secrecy_classes(), required=need("secrecy"))
    digits = v.choice("digits", merged.get("digits", "thai"), ("thai", "arabic")) or "thai"
    year_start = v.choice("year_start", merged.get("year_start", "calendar"), ("calendar", "fiscal")) or "calendar"

    circular = merged.get("circular", False)
    if not isinstance(circular, bool):
        v.type_error("circular", "bool", circular)
        circular = False
    number = merged.get("number")
    if number is not None:
        value, high = whole_number(number), limits.get("number.max")
        if value is None or not 1 <= value <= high:
            problems.error("number", "number-range", low=1, high=high, value=shown(number))
            value = None
        number = value
    elif need("number"):
        problems.error("number", "required", field=FieldName("number"))

    date = v.date("date", merged.get("date"), required=need("date"))
    if date is None and merged.get("date") in (None, "") and "date" in fields.has:
        date = today
    if date and abs((date - today).days) > 366:
        problems.warn("date", "date-far", value=date.isoformat())

    agency = v.text("agency", merged.get("agency"), required=need("agency"), limit=limits.get("text.agency"))
    ref_prefix = v.text("ref_prefix", merged.get("ref_prefix"), required=need("ref_prefix"),
                        limit=limits.get("text.ref_prefix"))
    sender = v.lines("sender", merged.get("sender"), required=need("sender"))
    owner_unit = v.lines("owner_unit", merged.get("owner_unit"), required=need("owner_unit"))
    contact = limits.get("text.contact")
    phone = v.text("phone", merged.get("phone"), required=need("phone"), limit=contact)
    fax = v.text("fax", merged.get("fax"), required=need("fax"), limit=contact)
    email = v.text("email", merged.get("email"), required=need("email"), limit=contact)
    copies_to = v.lines("copies_to", merged.get("copies_to"), required=need("copies_to"))
    enclosures = v.lines("enclosures", merged.get("enclosures"), required=need("enclosures"))
    refs_raw = merged.get("references") or []
    if not refs_raw and need("references"):
        problems.error("references", "required", field=FieldName("references"))
    references = []
    if not isinstance(refs_raw, list):
        refs_raw = [refs_raw]
    if len(refs_raw) > limits.get("counts.list_entries"):
        problems.error("references", "too-many", count=len(refs_raw), limit=limits.get("counts.list_entries"))
        refs_raw = []
    for i, r in enumerate(refs_raw):
        ref = _reference(v, f"references[{i + 1}]", r)
        if ref:
            references.append(ref)

    # forms of address
    address = None
    salutation = closing = None
    override = merged.get("salutation_override", False)
    if override is None:
        override = False
    elif not isinstance(override, bool):
        v.type_error("salutation_override", "bool", override)
        override = False
    if to:
        table = data.address_table()
        names = data.load("forms_of_address").get("personal_names")
        address = classify(to, table, names)
        near = near_position(to, table, names)
        if address.refuse:
            # regulation.md §5.1: royal letters go through สำนักราชเลขาธิการ/สำนักพระราชวัง, by hand
            problems.error("to", "royal-title-unlisted" if address.key == "royal_unlisted"
                           else "royal-by-hand", to=to)
        else:
            if near and near.form.salutation != address.salutation:
                problems.warn("to", "to-near-position" if near.where == "start" else "to-ends-with-position",
                              to=to, position=near.position, salutation=near.form.salutation,
                              used=address.salutation)
            # a salutation or closing that contradicts ภาคผนวก ๒ is an error unless the letter
            # says salutation_override: true (then it is used, with a warning)
            salutation = address.salutation if "salutation" in fields.has else None
            given = v.choice("salutation", merged.get("salutation"), SALUTATIONS)
            if given and given != address.salutation:
                if override:
                    problems.warn("salutation", "salutation-mismatch", given=given, to=to,
                                  expected=address.salutation)
                    salutation = given
                else:
                    problems.error("salutation", "salutation-contradicts", given=given, to=to,
                                   expected=address.salutation)
            closing = address.closing if "closing" in fields.has else None      # คำลงท้าย: the type has one
            given_closing = v.text("closing", merged.get("closing"), limit=limits.get("text.closing"))
            if given_closing and given_closing != address.closing:
                if override:
                    problems.warn("closing", "closing-mismatch", given=given_closing,
                                  expected=address.closing)
                    closing = given_closing
                else:
                    problems.error("closing", "closing-contradicts", given=given_closing, to=to,
                                   expected=address.closing)
    purpose = v.text("purpose", merged.get("purpose"), required=need("purpose"), limit=limits.get("text.purpose"))
    if purpose is None and not problems.errors and "purpose" in fields.has:
        problems.warn("purpose", "no-purpose")
    if purpose and salutation:
        verb = sentence_verb(purpose)
        if verb and verb != salutation:
            problems.warn("purpose", "purpose-mismatch", given=verb, expected=salutation)

    # the parts of the other document types: each read only when the type has it
    has = fields.has.__contains__
    short = limits.get("text.short")
    budget = [limits.get("counts.blocks")]
    issuer = v.text("issuer", merged.get("issuer"), required=need("issuer"), limit=limits.get("text.agency"))
    edition = merged.get("edition")
    if edition is not None and whole_number(edition) is not None:
        edition = str(whole_number(edition))
    edition = v.text("edition", edition, required=need("edition"), limit=limits.get("text.contact"))
    preamble = _body(v, merged.get("preamble"), required=need("preamble"), fld="preamble", budget=budget) \
        if has("preamble") else []
    clauses = _clauses(v, merged.get("clauses"), need("clauses"), budget) if has("clauses") else []
    meeting = v.text("meeting", merged.get("meeting"), required=need("meeting"), limit=limits.get("text.subject"))
    session = merged.get("session")
    session = v.text("session", str(session) if isinstance(session, int) and not isinstance(session, bool)
                     else session, required=need("session"), limit=limits.get("text.contact"))
    place = v.text("place", merged.get("place"), required=need("place"), limit=short)
    present, absent, attending = (_attendees(v, k, merged.get(k), need(k)) if has(k) else []
                                  for k in ("present", "absent", "attending"))
    start, end = (_time(v, k, merged.get(k), need(k)) if has(k) else None for k in ("start", "end"))
    agenda = _agenda(v, merged.get("agenda"), need("agenda"), budget) if has("agenda") else []
    recorder, checker = (_signer(v, merged.get(k), required=need(k), fld=k) if has(k) else None
                         for k in ("recorder", "checker"))
    seal = _image(v, "seal", merged.get("seal"), base_of("seal")) if has("seal") else None
    photo = _image(v, "photo", merged.get("photo"), base_of("photo")) if has("photo") else None
    series, ref_format = None, "letter"
    if dtype is not None:
        numbering = _numbering(v, profile.get("numbering"))
        declared = data.doctypes()[dtype].get("numbering") or {}
        series = series_of(dtype, circular, numbering)
        ref_format = declared.get("ref", "letter")
        year_start = declared.get("year_start", year_start)     # คำสั่ง: calendar years always
        if series is not None and number is None and "number" not in refused_fields(problems):
            problems.warn("number", "draft-number")
        if series is not None and not ref_prefix and "ref_prefix" not in refused_fields(problems):
            problems.error("ref_prefix", "required", field=FieldName("ref_prefix"))

    raw_emblem = merged.get("emblem")
    if "emblem" not in fields.has:
        emblem = None              # a type without the Garuda: nothing to open, nothing missing
    elif isinstance(raw_emblem, str) and not v.hygiene("emblem", raw_emblem):
        emblem = None              # a path with a control character or a surrogate is never opened
    else:
        emblem = _emblem(v, raw_emblem, base_of("emblem"))
    geo = geometry.build(layout, problems)
    refused = {p.field for p in problems.errors}
    for k in sorted(fields.required - refused):      # the ones no reader above requires itself
        if not _given(merged.get(k)):
            problems.error(k, "required", field=FieldName(k))
    _hygiene(v, texts)

    if problems.errors:
        return None, problems
    source = {k: (val.isoformat() if isinstance(val, dt.date) else val) for k, val in merged.items()}
    return Letter(
        type=dtype, subject=subject, to=to, body=body, signer=signer, date=date,
        address=address, salutation=salutation, closing=closing, purpose=purpose,
        agency=agency, ref_prefix=ref_prefix, number=number, circular=circular,
        urgency=urgency, secrecy=secrecy, references=references, enclosures=enclosures,
        sender=sender, owner_unit=owner_unit, phone=phone, fax=fax, email=email,
        copies_to=copies_to, emblem=emblem, digits=digits, geometry=geo,
        year_start=year_start, source=source, series=series, ref_format=ref_format,
        issuer=issuer, edition=edition, preamble=preamble, clauses=clauses, meeting=meeting,
        session=session, place=place, present=present, absent=absent, attending=attending,
        start=start, end=end, agenda=agenda, recorder=recorder, checker=checker, seal=seal,
        photo=photo,
    ), problems
