"""Compose stage: a validated Letter → a ComposedLetter (the Document) whose every string is final.

Digits, dates, the ที่ line, forms of address, item numbers, the signer block and
contact lines are decided here, once, so the PDF and the DOCX print the same text.
Renderers only place these strings; they never change them.

``Document.blocks`` is the letter as a list of small frozen blocks in print order, made from
the type's declaration (``blocks:`` in data/doctypes.yaml, one builder per name in ``BUILDERS``):
the PDF renderer walks it, one partial per block kind (templates/html/blocks/<kind>.html).
The labels the blocks print are written here (``LABELS``) and nowhere else.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from . import data, limits
from .geometry import Geometry
from .model import ItemList, Letter, Reference
from .thai import format_date, format_phone, item_label, localize_digits
from .thai.dates import be_year, format_time
from .thai.refnum import format_ref
from .thai.address import purpose_sentence
from .assets import Image  # noqa: F401  (annotations)


@dataclass(frozen=True)
class Labeled:
    """An entry of a labelled list (อ้างถึง, สิ่งที่ส่งมาด้วย, สำเนาส่ง): "๑." + text, or "" + text."""
    label: str
    text: str


@dataclass
class Block:
    """A body block: a paragraph (level 0) or a numbered item (level 1–3)."""
    kind: str           # "para" | "item"
    text: str
    level: int = 0
    label: str = ""

    @property
    def full_text(self) -> str:
        return f"{self.label} {self.text}" if self.label else self.text


@dataclass
class ComposedLetter:
    doctype: str
    doctype_spec: dict
    digits: str
    ref_label: str                  # "ที่"
    ref_value: str                  # "นร ๑๒๐๐/ว ๗๔"
    date_label: str                 # "" (external) | "วันที่" (memo)
    date_text: str                  # "๓๐ พฤษภาคม ๒๕๖๗"
    subject: str
    salutation: str                 # "เรียน"
    recipient: str                  # "เลขาธิการคณะรัฐมนตรี"
    body: list[Block]
    signer_name: str                # "(นางสาวอ้นฟ้า เวชชาชีวะ)"
    signer_lines: list[str]
    geometry: Geometry
    urgency: str | None = None
    secrecy: str | None = None
    sender_lines: list[str] = field(default_factory=list)
    unit_line: str = ""             # memo: ส่วนราชการ value (unit + phone)
    references: list[Labeled] = field(default_factory=list)
    enclosures: list[Labeled] = field(default_factory=list)
    purpose: str | None = None
    closing: str | None = None
    contact_lines: list[str] = field(default_factory=list)
    copies_to: list[Labeled] = field(default_factory=list)
    emblem: "Image | None" = None   # the validated image (docgen.assets.Image), None → placeholder
    meta: dict = field(default_factory=dict)
    source: dict = field(default_factory=dict)
    number: int | None = None
    circular: bool = False
    date: dt.date | None = None
    distribution: list[Labeled] = field(default_factory=list)   # circular file copy: บัญชีรายชื่อผู้รับ
    distribution_page: bool = False                             # long list → a page of its own
    # the other types' parts, final (data/doctypes.yaml)
    values: dict = field(default_factory=dict)      # what a declared text may name: {issuer} …
    preamble: list[Block] = field(default_factory=list)
    clauses: list["ComposedClause"] = field(default_factory=list)
    attendance: dict = field(default_factory=dict)  # present | absent | attending → AttendeeRow tuple
    agenda: list["ComposedAgendaItem"] = field(default_factory=list)
    signers: dict = field(default_factory=dict)     # signer | recorder | checker → (name, lines)
    seal: "Image | None" = None
    photo: "Image | None" = None
    series: str | None = None                       # register series; None: not numbered

    LABELS: ClassVar[dict] = {
        "subject": "เรื่อง", "references": "อ้างถึง", "enclosures": "สิ่งที่ส่งมาด้วย",
        "copies_to": "สำเนาส่ง", "unit": "ส่วนราชการ", "distribution": "บัญชีรายชื่อผู้รับ",
        "clause": "ข้อ", "seal": "ตราชื่อส่วนราชการ (ตัวแทน)", "photo": "รูปถ่าย"}

    @property
    def blocks(self) -> list["PrintBlock"]:
        """The letter's blocks in print order, from the type's ``blocks:`` declaration.

        Built on access (microseconds), so a part set after compose (a circular's
        distribution list, ``batch/circular.py``) is in them."""
        return [b for name, params in block_entries(self.doctype_spec) for b in BUILDERS[name](self, params)]

    @property
    def ref_text(self) -> str:
        return f"{self.ref_label} {self.ref_value}" if self.ref_value.strip() else ""

    def printed_texts(self) -> list[str]:
        """Every string the letter prints, in reading order (renderer-independent): each
        block's texts.  Tests compare these with the text extracted from both the PDF and
        the DOCX."""
        return [t for b in self.blocks for t in b.texts() if t]

    def to_dict(self) -> dict:
        """JSON-ready record of the composed letter (embedded in the PDF/A)."""
        d = asdict(self)
        d.pop("geometry")
        d.pop("doctype_spec")
        d["date"] = self.date.isoformat() if self.date else None
        d["ref_text"] = self.ref_text
        return d


_META_SPACE = re.compile(r"\s+")
_META_DROP = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def metadata_text(text: str, limit: int | None = None) -> str:
    r"""A document property (title, author, keywords, subject): one line, no control
    characters, at most ``text.metadata`` characters of the limit table (python-docx refuses
    more than 255), cut with "…".  Only the metadata is cut, never the printed letter.

    >>> metadata_text("เรื่อง\nยาว   มาก"), metadata_text("ก" * 300)[-3:], len(metadata_text("ก" * 300))
    ('เรื่อง ยาว มาก', 'กก…', 255)
    """
    limit = limits.get("text.metadata") if limit is None else limit
    text = _META_DROP.sub("", _META_SPACE.sub(" ", text)).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _labeled(texts: list[str], digits: str) -> list[Labeled]:
    """One entry → unnumbered; several → ๑. ๒. … (regulation.md §4.8–4.9)."""
    if len(texts) == 1:
        return [Labeled("", localize_digits(texts[0], digits))]
    return [Labeled(item_label((i + 1,), digits), localize_digits(t, digits))
            for i, t in enumerate(texts)]


def reference_text(ref: Reference, digits: str) -> str:
    """"หนังสือ<agency> [urgency] ที่ <number> ลงวันที่ <date>" (regulation.md §4.8).

    >>> import datetime as dt
    >>> reference_text(Reference(agency="สำนักเลขาธิการคณะรัฐมนตรี", urgency="ด่วนที่สุด",
    ...     number="นร 0507/10684", date=dt.date(2024, 5, 23)), "thai")
    'หนังสือสำนักเลขาธิการคณะรัฐมนตรี ด่วนที่สุด ที่ นร ๐๕๐๗/๑๐๖๘๔ ลงวันที่ ๒๓ พฤษภาคม ๒๕๖๗'
    """
    if ref.text:
        return localize_digits(ref.text, digits)
    agency = ref.agency if ref.agency.startswith("หนังสือ") else "หนังสือ" + ref.agency
    parts = [agency]
    if ref.urgency:
        parts.append(ref.urgency)
    number = ref.number if ref.number.startswith("ที่") else "ที่ " + ref.number
    parts += [localize_digits(number, digits), "ลงวันที่", format_date(ref.date, digits)]
    return " ".join(parts)


def _body(body: list, digits: str) -> list[Block]:
    out: list[Block] = []

    def walk(items, path):
        for i, item in enumerate(items):
            p = path[:-1] + (path[-1] + i,)
            out.append(Block("item", localize_digits(item.text, digits), len(p), item_label(p, digits)))
            walk(item.items, p + (1,))

    for entry in body:
        if isinstance(entry, ItemList):
            walk(entry.items, (entry.start,))
        else:
            out.append(Block("para", localize_digits(entry, digits)))
    return out


@dataclass(frozen=True)
class AttendeeRow:
    """One line of an attendance list: "๑.", name, position, and a note (the reason)."""
    label: str
    name: str
    position: str = ""
    note: str = ""


@dataclass(frozen=True)
class ComposedClause:
    label: str                       # "ข้อ ๑"
    text: str
    items: tuple[Labeled, ...] = ()  # "(๑)" …


@dataclass(frozen=True)
class ComposedAgendaItem:
    title: str                       # "ระเบียบวาระที่ ๑ เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"
    body: tuple[Block, ...]
    resolution: str                  # "" when none


def _signer_lines(signer, loc) -> tuple[str, list[str]]:
    """"(name)" and the position lines (the acting line and the principal's position)."""
    lines = [loc(p) for p in signer.position]
    if signer.acting:
        lines[-1] = f"{lines[-1]} {signer.acting}"
        lines.append(loc(signer.principal))
    return f"({signer.name})", lines


def _attendance(people, loc, digits: str) -> tuple[AttendeeRow, ...]:
    return tuple(AttendeeRow(item_label((i + 1,), digits), loc(a.name), loc(a.position or ""),
                             loc(a.reason or "")) for i, a in enumerate(people))


def compose(letter: Letter) -> ComposedLetter:
    d = letter.digits
    spec = data.doctypes()[letter.type]
    loc = lambda s: localize_digits(s, d) if s else ""  # noqa: E731

    signers = {k: _signer_lines(who, loc) for k, who in
               (("signer", letter.signer), ("recorder", letter.recorder), ("checker", letter.checker)) if who}
    signer_name, signer_lines = signers.get("signer", ("", []))

    phone = format_phone(letter.phone, d) if letter.phone else None
    contact, unit_line = [], ""
    if "unit_row" in spec["blocks"]:      # owner unit + phone on the ส่วนราชการ row, not below
        unit_line = " ".join(loc(u) for u in letter.owner_unit)
        if phone:
            unit_line += f" โทร. {phone}"
    else:
        contact = [loc(u) for u in letter.owner_unit]
        if phone:
            contact.append(f"โทร. {phone}")
        if letter.fax:
            contact.append(f"โทรสาร {format_phone(letter.fax, d)}")
        if letter.email:
            contact.append(f"ไปรษณีย์อิเล็กทรอนิกส์ {letter.email}")

    ref_value = format_ref(letter.ref_format, letter.ref_prefix, letter.number, letter.circular,
                           letter.ref_year or be_year(letter.date), d) \
        if letter.series or letter.ref_format == "edition" else ""
    # the purpose verb follows the salutation: the table's verb, or the overriding salutation
    purpose = None
    if letter.purpose:
        verb = letter.salutation if letter.salutation != letter.address.salutation \
            else (letter.address.purpose_verb or letter.salutation)
        purpose = purpose_sentence(letter.purpose, verb)
    phrases = spec.get("phrases") or {}
    agenda = [ComposedAgendaItem(
        f"{fill(phrases.get('agenda', '{n}'), {'n': localize_digits(str(i + 1), d)})} {loc(a.title)}",
        tuple(_body(a.body, d)), loc(a.resolution or "")) for i, a in enumerate(letter.agenda)]
    composed = ComposedLetter(
        doctype=letter.type, doctype_spec=spec, digits=d,
        ref_label="ที่", ref_value=ref_value,
        date_label=spec.get("date_label", ""), date_text=format_date(letter.date, d),
        subject=loc(letter.subject), salutation=letter.salutation or "", recipient=loc(letter.to),
        body=_body(letter.body, d),
        signer_name=signer_name, signer_lines=signer_lines,
        geometry=letter.geometry, urgency=letter.urgency, secrecy=letter.secrecy,
        sender_lines=[loc(s) for s in letter.sender],      # empty for a type without `sender`
        unit_line=unit_line,
        references=_labeled([reference_text(r, d) for r in letter.references], d),
        enclosures=_labeled(letter.enclosures, d),
        purpose=loc(purpose) if purpose else None,
        closing=letter.closing,
        contact_lines=contact,
        copies_to=_labeled(letter.copies_to, d),
        emblem=letter.emblem,
        source=letter.source, number=letter.number, circular=letter.circular, date=letter.date,
        preamble=_body(letter.preamble, d),
        clauses=[ComposedClause(f"{ComposedLetter.LABELS['clause']} {localize_digits(str(i + 1), d)}",
                                loc(c.text),
                                tuple(Labeled(f"({localize_digits(str(j + 1), d)})", loc(t))
                                      for j, t in enumerate(c.items)))
                 for i, c in enumerate(letter.clauses)],
        attendance={k: _attendance(getattr(letter, k), loc, d) for k in ("present", "absent", "attending")},
        agenda=agenda, signers=signers, seal=letter.seal, photo=letter.photo, series=letter.series,
    )
    composed.values = {
        **{f"label_{k}": v for k, v in ComposedLetter.LABELS.items()},    # "{label_subject}" = เรื่อง
        "name_th": spec["name_th"], "issuer": loc(letter.issuer or letter.agency), "agency": loc(letter.agency),
        "subject": composed.subject, "to": composed.recipient, "ref": composed.ref_text,
        "number": localize_digits(str(letter.number), d) if letter.number is not None else "",
        "edition": loc(letter.edition), "year": localize_digits(str(be_year(letter.date)), d),
        "date": composed.date_text, "date_be": format_date(letter.date, d, era=True),
        "meeting": loc(letter.meeting), "session": loc(letter.session), "place": loc(letter.place),
        "start": format_time(letter.start, d) if letter.start else "",
        "end": format_time(letter.end, d) if letter.end else "",
    }
    title = composed.subject or fill("{name_th}{meeting}", composed.values) or spec["name_th"]
    composed.meta = {"title": metadata_text(title), "author": metadata_text(letter.agency or ""),
                     "keywords": metadata_text(composed.ref_text),
                     "subject": metadata_text(f"{spec['name_th']}: {title}")}
    return composed


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(text: str) -> list[str]:
    """The values a declared text names.

    >>> placeholders("(ฉบับที่ {edition})")
    ['edition']
    """
    return _PLACEHOLDER.findall(text)


def fill(text: str, values: dict) -> str:
    """A declared text (data/doctypes.yaml) with its values put in; "" when a value it names is
    empty (the part is not there).  Only the declared text is read for {…}: a value is never
    read again, so a user's "{x}" prints as typed.

    >>> fill("(ฉบับที่ {edition})", {"edition": "๒"}), fill("(ฉบับที่ {edition})", {"edition": ""})
    ('(ฉบับที่ ๒)', '')
    >>> fill("เรื่อง {subject}", {"subject": "{edition}"})
    'เรื่อง {edition}'
    """
    names = placeholders(text)
    if any(not values.get(n) for n in names):
        return ""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


Document = ComposedLetter          # the name of the block model (../shared/design.md); one class


# ---- the blocks ---------------------------------------------------------------------------
# Small frozen records in print order, their fields too; every string final.  ``kind`` names the
# PDF partial that prints it (templates/html/blocks/<kind>.html) and the DOCX builder
# (scripts/make_docx_templates.py: one per kind).  ``texts()``: what it prints, in reading order.
# A new kind: a dataclass here, a builder in BUILDERS, a partial and a DOCX builder.

@dataclass(frozen=True)
class PrintBlock:
    kind: ClassVar[str] = ""

    def texts(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class Marks(PrintBlock):
    """The secrecy mark, top and bottom of every page."""
    kind: ClassVar[str] = "marks"
    secrecy: str

    def texts(self):
        return (self.secrecy,)


@dataclass(frozen=True)
class Emblem(PrintBlock):
    """The emblem band: the Garuda (or its placeholder), the urgency mark, the paper's heading."""
    kind: ClassVar[str] = "emblem"
    placement: str                  # "center" (กระดาษตราครุฑ) | "left" (กระดาษบันทึกข้อความ)
    urgency: str = ""
    heading: str = ""               # "บันทึกข้อความ" on the memo form, "" otherwise

    def texts(self):
        return (self.urgency, self.heading)


@dataclass(frozen=True)
class Urgency(PrintBlock):
    """The urgency mark on its own line, for a sheet without the emblem band."""
    kind: ClassVar[str] = "urgency"
    text: str

    def texts(self):
        return (self.text,)


@dataclass(frozen=True)
class Heading(PrintBlock):
    """A line centred on the text column: "คำสั่งสำนักนายกรัฐมนตรี", "ที่ ๑๒/๒๕๖๗", "เรื่อง …"."""
    kind: ClassVar[str] = "heading"
    text: str
    bold: bool = False

    def texts(self):
        return (self.text,)


@dataclass(frozen=True)
class Rule(PrintBlock):
    """The short centred line under the headings (geometry ``rule.width``)."""
    kind: ClassVar[str] = "rule"


@dataclass(frozen=True)
class RefLine(PrintBlock):
    """"ที่ นร ๑๒๐๐/…" with the sending agency's address beside it (the sender block)."""
    kind: ClassVar[str] = "ref_line"
    label: str
    value: str
    sender: tuple[str, ...] = ()

    def texts(self):
        return (f"{self.label} {self.value}", *self.sender)


@dataclass(frozen=True)
class DateLine(PrintBlock):
    kind: ClassVar[str] = "date_line"
    text: str
    align: str = "date"             # "date": at header.date_x | "signature": centred on signature.axis_x

    def texts(self):
        return (self.text,)


@dataclass(frozen=True)
class FormCell:
    label: str
    text: str
    wrap: bool = False              # long user text that may break between words (ZWSP)


@dataclass(frozen=True)
class FormRow(PrintBlock):
    """A row of a printed form (บันทึกข้อความ): bold labels on a dotted line, one or two cells."""
    kind: ClassVar[str] = "form_row"
    cells: tuple[FormCell, ...]
    gap: bool = False

    def texts(self):
        return tuple(f"{c.label} {c.text}".strip() for c in self.cells)


@dataclass(frozen=True)
class LabeledRow(PrintBlock):
    """A label hanging before its entries: เรื่อง, เรียน, ถึง, อ้างถึง, สิ่งที่ส่งมาด้วย, สำเนาส่ง."""
    kind: ClassVar[str] = "labeled"
    label: str
    entries: tuple[Labeled, ...]

    def texts(self):
        if len(self.entries) == 1 and not self.entries[0].label:
            return (f"{self.label} {self.entries[0].text}",)
        return (self.label, *(f"{e.label} {e.text}".strip() for e in self.entries))


@dataclass(frozen=True)
class Paragraph(PrintBlock):
    kind: ClassVar[str] = "paragraph"
    text: str
    gap: bool = False

    def texts(self):
        return (self.text,)


@dataclass(frozen=True)
class Item(PrintBlock):
    """A numbered item of the body, "๑.๒ text", level 1–3."""
    kind: ClassVar[str] = "item"
    label: str
    text: str
    level: int

    def texts(self):
        return (f"{self.label} {self.text}",)


@dataclass(frozen=True)
class Clause(PrintBlock):
    """A clause of a rule: "ข้อ ๑ text", then its sub-items "(๑) text" below it."""
    kind: ClassVar[str] = "clause"
    label: str
    text: str
    items: tuple[Labeled, ...] = ()

    def texts(self):
        return (f"{self.label} {self.text}", *(f"{e.label} {e.text}" for e in self.items))


@dataclass(frozen=True)
class Attendees(PrintBlock):
    """An attendance list: its title, then "๑." name and position in columns (and a note)."""
    kind: ClassVar[str] = "attendees"
    title: str
    rows: tuple[AttendeeRow, ...]

    def texts(self):
        return (self.title, *(t for r in self.rows for t in (f"{r.label} {r.name}", r.position, r.note)))


@dataclass(frozen=True)
class AgendaTitle(PrintBlock):
    """"ระเบียบวาระที่ ๑ …", bold, flush left."""
    kind: ClassVar[str] = "agenda_title"
    text: str

    def texts(self):
        return (self.text,)


@dataclass(frozen=True)
class Resolution(PrintBlock):
    """"มติที่ประชุม" (bold) and the resolution, indented as a body paragraph."""
    kind: ClassVar[str] = "resolution"
    label: str
    text: str

    def texts(self):
        return (f"{self.label} {self.text}",)


@dataclass(frozen=True)
class Signature(PrintBlock):
    """The purpose sentence, the closing and the signer, kept on one page; ``role``: the
    signer's part (ผู้จดรายงานการประชุม) under the position."""
    kind: ClassVar[str] = "signature"
    purpose: str                    # "" when none
    closing: str                    # "" when the type has no คำลงท้าย
    name: str
    lines: tuple[str, ...]
    role: str = ""

    def texts(self):
        return (self.purpose, self.closing, self.name, *self.lines, self.role)


@dataclass(frozen=True)
class SignOff(PrintBlock):
    """Lines centred on the signature axis with no space to sign (แถลงการณ์: the issuer, the date)."""
    kind: ClassVar[str] = "sign_off"
    lines: tuple[str, ...]

    def texts(self):
        return self.lines


@dataclass(frozen=True)
class Seal(PrintBlock):
    """The agency's seal (red) centred on the signature axis, space for the initials beside it;
    ``image`` None → a labelled placeholder of the seal's size."""
    kind: ClassVar[str] = "seal"
    placeholder: str
    image: "Image | None" = None

    def texts(self):
        return () if self.image else (self.placeholder,)


@dataclass(frozen=True)
class Photo(PrintBlock):
    """The certified person's photograph at photo.width × photo.height."""
    kind: ClassVar[str] = "photo"
    image: "Image"
    alt: str


@dataclass(frozen=True)
class Contact(PrintBlock):
    kind: ClassVar[str] = "contact"
    lines: tuple[str, ...]

    def texts(self):
        return self.lines


@dataclass(frozen=True)
class Distribution(PrintBlock):
    """A circular's file copy: บัญชีรายชื่อผู้รับ, inline or on a page of its own."""
    kind: ClassVar[str] = "distribution"
    title: str
    entries: tuple[Labeled, ...]
    own_page: bool = False

    def texts(self):
        return (self.title, *(f"{e.label} {e.text}".strip() for e in self.entries))


def block_entries(spec: dict) -> list[tuple[str, dict]]:
    """A type's ``blocks:`` as (builder name, parameters); a name no builder has, or a
    parameter it does not take, is a fault of the data (ValueError)."""
    out = []
    for entry in spec["blocks"]:
        name, params = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        params = params or {}
        if name not in BUILDERS:
            raise ValueError(f"data/doctypes.yaml: no block builder {name!r} (docgen/compose.py BUILDERS)")
        unknown = set(params) - PARAMETERS.get(name, set())
        if unknown:
            raise ValueError(f"data/doctypes.yaml: block {name!r} takes no {sorted(unknown)}")
        out.append((name, params))
    return out


def _row(label_key: str, attr: str):
    def build(c: ComposedLetter, _p):
        entries = getattr(c, attr)
        return [LabeledRow(c.LABELS[label_key], tuple(entries))] if entries else []
    return build


def _paragraphs(blocks: list[Block], gap: bool = True) -> list[PrintBlock]:
    return [Item(b.label, b.text, b.level) if b.kind == "item" else Paragraph(b.text, gap=gap and i == 0)
            for i, b in enumerate(blocks)]


def _heading(c: ComposedLetter, p: dict):
    text = fill(p.get("text", ""), c.values)
    return [Heading(text, bool(p.get("bold")))] if text else []


def _signature(c: ComposedLetter, p: dict):
    who = p.get("who", "signer")
    if who not in c.signers:
        return []
    name, lines = c.signers[who]
    own = who == "signer"           # the purpose and the closing belong to the letter's signer
    return [Signature(c.purpose or "" if own else "", c.closing or "" if own else "", name, tuple(lines),
                      p.get("role", ""))]


def _agenda(c: ComposedLetter, _p):
    out: list[PrintBlock] = []
    resolution = (c.doctype_spec.get("phrases") or {}).get("resolution", "")
    for a in c.agenda:
        out.append(AgendaTitle(a.title))
        out += _paragraphs(list(a.body), gap=False)
        if a.resolution:
            out.append(Resolution(resolution, a.resolution))
    return out


def _line(c: ComposedLetter, p: dict, make):
    text = fill(p.get("text", ""), c.values)
    return [make(text)] if text else []


# the names a type's ``blocks:`` may use, each → the blocks it prints (none when the part is empty)
BUILDERS = {
    "marks": lambda c, p: [Marks(c.secrecy)] if c.secrecy else [],
    "urgency": lambda c, p: [Urgency(c.urgency)] if c.urgency else [],
    "emblem": lambda c, p: [Emblem(c.doctype_spec.get("emblem_placement", "center"), c.urgency or "",
                                   c.doctype_spec["name_th"] if c.doctype_spec.get("heading") else "")],
    "heading": _heading,
    "rule": lambda c, p: [Rule()],
    "ref_line": lambda c, p: [RefLine(c.ref_label, c.ref_value, tuple(c.sender_lines))],
    "date_line": lambda c, p: [DateLine(fill(p.get("text", "{date}"), c.values), p.get("align", "date"))],
    "unit_row": lambda c, p: [FormRow((FormCell(c.LABELS["unit"], c.unit_line),), gap=True)],
    "ref_date_row": lambda c, p: [FormRow((FormCell(c.ref_label, c.ref_value),
                                           FormCell(c.date_label, c.date_text)))],
    "subject_row": lambda c, p: [FormRow((FormCell(c.LABELS["subject"], c.subject, wrap=True),))],
    "subject": lambda c, p: [LabeledRow(c.LABELS["subject"], (Labeled("", c.subject),))] if c.subject else [],
    "salutation": lambda c, p: [LabeledRow(c.salutation, (Labeled("", c.recipient),))] if c.recipient else [],
    "labeled": lambda c, p: [LabeledRow(p.get("label", ""), (Labeled("", text),))]
    if (text := fill(p.get("text", ""), c.values)) else [],
    "paragraph": lambda c, p: _line(c, p, lambda t: Paragraph(t, gap=True)),
    "references": _row("references", "references"),
    "enclosures": _row("enclosures", "enclosures"),
    "body": lambda c, p: _paragraphs(c.body),
    "preamble": lambda c, p: _paragraphs(c.preamble),
    "clauses": lambda c, p: [Clause(k.label, k.text, k.items) for k in c.clauses],
    "attendees": lambda c, p: [Attendees(p.get("title", ""), rows)]
    if (rows := c.attendance.get(p.get("list", ""), ())) else [],
    "agenda": _agenda,
    "signature": _signature,
    "sign_off": lambda c, p: [SignOff(lines)]
    if (lines := tuple(t for t in (fill(x, c.values) for x in p.get("lines", ())) if t)) else [],
    "seal": lambda c, p: [Seal(c.LABELS["seal"], c.seal)],
    "photo": lambda c, p: [Photo(c.photo, c.LABELS["photo"])] if c.photo else [],
    "contact": lambda c, p: [Contact(tuple(c.contact_lines))] if c.contact_lines else [],
    "copies_to": _row("copies_to", "copies_to"),
    "distribution": lambda c, p: [Distribution(c.LABELS["distribution"], tuple(c.distribution),
                                               c.distribution_page)] if c.distribution else [],
}
# the parameters each builder reads from its entry in ``blocks:`` (others are refused)
PARAMETERS = {"heading": {"text", "bold"}, "labeled": {"label", "text"}, "paragraph": {"text"},
              "date_line": {"text", "align"}, "attendees": {"title", "list"},
              "signature": {"who", "role"}, "sign_off": {"lines"}}
