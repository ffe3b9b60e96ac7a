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
from .thai import format_date, format_phone, item_label, localize_digits, ref_line
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

    LABELS: ClassVar[dict] = {
        "subject": "เรื่อง", "references": "อ้างถึง", "enclosures": "สิ่งที่ส่งมาด้วย",
        "copies_to": "สำเนาส่ง", "unit": "ส่วนราชการ", "distribution": "บัญชีรายชื่อผู้รับ"}

    @property
    def blocks(self) -> list["PrintBlock"]:
        """The letter's blocks in print order, from the type's ``blocks:`` declaration.

        Built on access (microseconds), so a part set after compose (a circular's
        distribution list, ``batch/circular.py``) is in them."""
        return [b for name in self.doctype_spec["blocks"] for b in BUILDERS[name](self)]

    @property
    def ref_text(self) -> str:
        return f"{self.ref_label} {self.ref_value}"

    def printed_texts(self) -> list[str]:
        """Every string the letter prints, in reading order (renderer-independent).

        Tests compare these with the text extracted from both the PDF and the DOCX.
        """
        out = []
        if self.secrecy:
            out.append(self.secrecy)
        if self.urgency:
            out.append(self.urgency)
        if "unit_row" in self.doctype_spec["blocks"]:
            out += [self.doctype_spec["name_th"], self.LABELS["unit"], self.unit_line]
        out.append(self.ref_text)
        out += self.sender_lines
        out.append(f"{self.date_label} {self.date_text}".strip())
        out.append(f"{self.LABELS['subject']} {self.subject}")
        out.append(f"{self.salutation} {self.recipient}")
        for key in ("references", "enclosures"):
            if getattr(self, key):
                out.append(self.LABELS[key])
                out += [f"{e.label} {e.text}".strip() for e in getattr(self, key)]
        out += [b.full_text for b in self.body]
        if self.purpose:
            out.append(self.purpose)
        if self.closing:
            out.append(self.closing)
        out.append(self.signer_name)
        out += self.signer_lines
        out += self.contact_lines
        if self.copies_to:
            out.append(self.LABELS["copies_to"])
            out += [f"{e.label} {e.text}".strip() for e in self.copies_to]
        if self.distribution:
            out.append(self.LABELS["distribution"])
            out += [f"{e.label} {e.text}".strip() for e in self.distribution]
        return [t for t in out if t]

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


def compose(letter: Letter) -> ComposedLetter:
    d = letter.digits
    spec = data.doctypes()[letter.type]
    loc = lambda s: localize_digits(s, d)  # noqa: E731

    signer_lines = [loc(p) for p in letter.signer.position]
    if letter.signer.acting:
        signer_lines[-1] = f"{signer_lines[-1]} {letter.signer.acting}"
        signer_lines.append(loc(letter.signer.principal))

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

    ref_value = ref_line(letter.ref_prefix, letter.number, letter.circular, d, label=False)
    # the purpose verb follows the salutation: the table's verb, or the overriding salutation
    verb = letter.salutation if letter.salutation != letter.address.salutation \
        else (letter.address.purpose_verb or letter.salutation)
    purpose = purpose_sentence(letter.purpose, verb) if letter.purpose else None
    composed = ComposedLetter(
        doctype=letter.type, doctype_spec=spec, digits=d,
        ref_label="ที่", ref_value=ref_value,
        date_label=spec.get("date_label", ""), date_text=format_date(letter.date, d),
        subject=loc(letter.subject), salutation=letter.salutation, recipient=loc(letter.to),
        body=_body(letter.body, d),
        signer_name=f"({letter.signer.name})", signer_lines=signer_lines,
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
    )
    composed.meta = {"title": metadata_text(composed.subject), "author": metadata_text(letter.agency),
                     "keywords": metadata_text(composed.ref_text),
                     "subject": metadata_text(f"{spec['name_th']}: {composed.subject}")}
    return composed


Document = ComposedLetter          # the name of the block model (../shared/design.md); one class


# ---- the blocks ---------------------------------------------------------------------------
# Small frozen records in print order, their fields too; every string final.  ``kind`` names the partial that
# prints it (templates/html/blocks/<kind>.html).  A new kind: a dataclass here, a builder in
# BUILDERS, a partial (and, in the DOCX slice, a builder there).

@dataclass(frozen=True)
class PrintBlock:
    kind: ClassVar[str] = ""


@dataclass(frozen=True)
class Marks(PrintBlock):
    """The secrecy mark, top and bottom of every page."""
    kind: ClassVar[str] = "marks"
    secrecy: str


@dataclass(frozen=True)
class Emblem(PrintBlock):
    """The emblem band: the Garuda (or its placeholder), the urgency mark, the paper's heading."""
    kind: ClassVar[str] = "emblem"
    placement: str                  # "center" (กระดาษตราครุฑ) | "left" (กระดาษบันทึกข้อความ)
    urgency: str = ""
    heading: str = ""               # "บันทึกข้อความ" on the memo form, "" otherwise


@dataclass(frozen=True)
class RefLine(PrintBlock):
    """"ที่ นร ๑๒๐๐/…" with the sending agency's address beside it (the sender block)."""
    kind: ClassVar[str] = "ref_line"
    label: str
    value: str
    sender: tuple[str, ...] = ()


@dataclass(frozen=True)
class DateLine(PrintBlock):
    kind: ClassVar[str] = "date_line"
    text: str


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


@dataclass(frozen=True)
class LabeledRow(PrintBlock):
    """A label hanging before its entries: เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย, สำเนาส่ง."""
    kind: ClassVar[str] = "labeled"
    label: str
    entries: tuple[Labeled, ...]


@dataclass(frozen=True)
class Paragraph(PrintBlock):
    kind: ClassVar[str] = "paragraph"
    text: str
    gap: bool = False


@dataclass(frozen=True)
class Item(PrintBlock):
    """A numbered item of the body, "๑.๒ text", level 1–3."""
    kind: ClassVar[str] = "item"
    label: str
    text: str
    level: int


@dataclass(frozen=True)
class Signature(PrintBlock):
    """The purpose sentence, the closing and the signer, kept on one page."""
    kind: ClassVar[str] = "signature"
    purpose: str                    # "" when none
    closing: str                    # "" when the type has no คำลงท้าย
    name: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Contact(PrintBlock):
    kind: ClassVar[str] = "contact"
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Distribution(PrintBlock):
    """A circular's file copy: บัญชีรายชื่อผู้รับ, inline or on a page of its own."""
    kind: ClassVar[str] = "distribution"
    title: str
    entries: tuple[Labeled, ...]
    own_page: bool = False


def _row(label_key: str, attr: str):
    def build(c: ComposedLetter):
        entries = getattr(c, attr)
        return [LabeledRow(c.LABELS[label_key], tuple(entries))] if entries else []
    return build


def _body_blocks(c: ComposedLetter):
    return [Item(b.label, b.text, b.level) if b.kind == "item" else Paragraph(b.text, gap=i == 0)
            for i, b in enumerate(c.body)]


# the names a type's ``blocks:`` may use, each → the blocks it prints (none when the part is empty)
BUILDERS = {
    "marks": lambda c: [Marks(c.secrecy)] if c.secrecy else [],
    "emblem": lambda c: [Emblem(c.doctype_spec.get("emblem_placement", "center"), c.urgency or "",
                                c.doctype_spec["name_th"] if c.doctype_spec.get("heading") else "")],
    "ref_line": lambda c: [RefLine(c.ref_label, c.ref_value, tuple(c.sender_lines))],
    "date_line": lambda c: [DateLine(c.date_text)],
    "unit_row": lambda c: [FormRow((FormCell(c.LABELS["unit"], c.unit_line),), gap=True)],
    "ref_date_row": lambda c: [FormRow((FormCell(c.ref_label, c.ref_value),
                                        FormCell(c.date_label, c.date_text)))],
    "subject_row": lambda c: [FormRow((FormCell(c.LABELS["subject"], c.subject, wrap=True),))],
    "subject": lambda c: [LabeledRow(c.LABELS["subject"], (Labeled("", c.subject),))],
    "salutation": lambda c: [LabeledRow(c.salutation, (Labeled("", c.recipient),))],
    "references": _row("references", "references"),
    "enclosures": _row("enclosures", "enclosures"),
    "body": _body_blocks,
    "signature": lambda c: [Signature(c.purpose or "", c.closing or "", c.signer_name,
                                      tuple(c.signer_lines))],
    "contact": lambda c: [Contact(tuple(c.contact_lines))] if c.contact_lines else [],
    "copies_to": _row("copies_to", "copies_to"),
    "distribution": lambda c: [Distribution(c.LABELS["distribution"], tuple(c.distribution),
                                            c.distribution_page)] if c.distribution else [],
}
