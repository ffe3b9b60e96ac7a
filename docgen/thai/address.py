"""Forms of address (ภาคผนวก ๒): salutation, closing and purpose verb agree.

The table lives in ``data/forms_of_address.yaml``; these functions take it as an
argument so they stay pure.
"""
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class AddressForm:
    key: str
    salutation: str        # คำขึ้นต้น: เรียน | กราบเรียน | นมัสการ
    closing: str           # คำลงท้าย
    purpose_verb: str      # "จึง<verb>มาเพื่อ…"
    refuse: bool = False


ADDRESS_VERBS = ("กราบเรียน", "นมัสการ", "เรียน")    # longest first: "กราบเรียน" ends with "เรียน"
_HONORIFIC = re.compile(r"^\s*(?:ฯพณฯ|ฯ\s*พณ\s*ฯ|พณฯ)\s*")
_PARENS = re.compile(r"\([^()]*\)")


def _squash(s: str) -> str:
    return "".join(s.split())


def recipient_key(recipient: str) -> str:
    """The recipient as matched against the table: no "ฯพณฯ", no "(personal name)", no spaces.

    >>> recipient_key("ฯพณฯ นายกรัฐมนตรี")
    'นายกรัฐมนตรี'
    >>> recipient_key("นายกรัฐมนตรี (นายสมมุติ ตัวอย่าง)")
    'นายกรัฐมนตรี'
    >>> recipient_key("ปลัดกระทรวง ทุกกระทรวง")
    'ปลัดกระทรวงทุกกระทรวง'
    """
    return _squash(_PARENS.sub(" ", _HONORIFIC.sub("", recipient)))


def classify(recipient: str, table: list[dict]) -> AddressForm:
    """The address class of a recipient's position or name.

    ``positions`` match the whole title (ignoring spaces, "ฯพณฯ" and a personal
    name in parentheses); ``prefixes`` match its beginning.  Rows are tried in
    order; the row with key ``default`` applies when none matches.

    >>> t = [{"key": "royal", "refuse": True, "prefixes": ["พระบาทสมเด็จพระ"]},
    ...      {"key": "high", "salutation": "กราบเรียน", "closing": "ขอแสดงความนับถืออย่างยิ่ง",
    ...       "purpose_verb": "กราบเรียน", "positions": ["นายกรัฐมนตรี"]},
    ...      {"key": "monk", "salutation": "นมัสการ", "closing": "ขอนมัสการด้วยความเคารพ",
    ...       "purpose_verb": "นมัสการ", "prefixes": ["พระครู"]},
    ...      {"key": "default", "salutation": "เรียน", "closing": "ขอแสดงความนับถือ", "purpose_verb": "เรียน"}]
    >>> classify("นายกรัฐมนตรี", t).salutation
    'กราบเรียน'
    >>> classify("ฯพณฯ นายก รัฐมนตรี (นายสมมุติ ตัวอย่าง)", t).salutation
    'กราบเรียน'
    >>> classify("รองนายกรัฐมนตรี", t).salutation
    'เรียน'
    >>> classify("พระครูสมุห์ตัวอย่าง", t).closing
    'ขอนมัสการด้วยความเคารพ'
    >>> classify("พระบาทสมเด็จพระเจ้าอยู่หัว", t).refuse
    True
    """
    name = recipient_key(recipient)
    default = None
    for row in table:
        if row["key"] == "default":
            default = row
            continue
        hit = any(name == _squash(p) for p in row.get("positions", ()) or ()) or any(
            name.startswith(_squash(p)) for p in row.get("prefixes", ()) or ())
        if hit:
            return _form(row)
    if default is None:
        raise ValueError("forms-of-address table has no 'default' class")
    return _form(default)


def near_position(recipient: str, table: list[dict]) -> tuple[str, AddressForm] | None:
    """A listed position the recipient *begins with* but is not exactly — a likely
    "นายกรัฐมนตรี นายสมมุติ" (name without parentheses).  None when nothing is near.

    >>> t = [{"key": "high", "salutation": "กราบเรียน", "positions": ["นายกรัฐมนตรี"]},
    ...      {"key": "default", "salutation": "เรียน"}]
    >>> near_position("นายกรัฐมนตรี นายสมมุติ ตัวอย่าง", t)[0]
    'นายกรัฐมนตรี'
    >>> near_position("รองนายกรัฐมนตรี", t) is None
    True
    >>> near_position("นายกรัฐมนตรี", t) is None
    True
    """
    name = recipient_key(recipient)
    for row in table:
        for p in row.get("positions", ()) or ():
            if name != _squash(p) and name.startswith(_squash(p)):
                return p, _form(row)
    return None


def _form(row: dict) -> AddressForm:
    return AddressForm(row["key"], row.get("salutation", ""), row.get("closing", ""),
                       row.get("purpose_verb", ""), bool(row.get("refuse", False)))


def purpose_sentence(purpose: str, verb: str) -> str:
    """The closing purpose sentence; the verb follows the salutation.

    A short purpose ("โปรดพิจารณา") becomes "จึงเรียนมาเพื่อโปรดพิจารณา"; a full
    sentence starting with "จึง" is kept as written; one that starts with its own
    verb ("เรียนมาเพื่อ…") only gains "จึง".

    >>> purpose_sentence("โปรดพิจารณาดำเนินการต่อไป", "เรียน")
    'จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป'
    >>> purpose_sentence("เพื่อโปรดทราบ", "กราบเรียน")
    'จึงกราบเรียนมาเพื่อโปรดทราบ'
    >>> purpose_sentence("จึงเรียนมาเพื่อโปรดทราบ และขอขอบคุณ", "เรียน")
    'จึงเรียนมาเพื่อโปรดทราบ และขอขอบคุณ'
    >>> purpose_sentence("กราบเรียนมาเพื่อโปรดทราบ", "กราบเรียน")
    'จึงกราบเรียนมาเพื่อโปรดทราบ'
    >>> purpose_sentence("โปรดพิจารณา", "นมัสการ")
    'จึงนมัสการมาเพื่อโปรดพิจารณา'
    """
    text = purpose.strip()
    if text.startswith("จึง"):
        return text
    if any(text.startswith(v + "มา") for v in ADDRESS_VERBS):
        return "จึง" + text
    if text.startswith("เพื่อ"):
        text = text[len("เพื่อ"):]
    return f"จึง{verb}มาเพื่อ{text}"


def sentence_verb(sentence: str) -> str | None:
    """The address verb (เรียน, กราบเรียน, นมัสการ) a written purpose sentence uses,
    to check it against the salutation; None when it uses none of them.

    >>> sentence_verb("จึงกราบเรียนมาเพื่อโปรดทราบ")
    'กราบเรียน'
    >>> sentence_verb("จึงขอเรียนมาเพื่อโปรดพิจารณา")
    'เรียน'
    >>> sentence_verb("นมัสการมาเพื่อโปรดทราบ")
    'นมัสการ'
    >>> sentence_verb("จึงแจ้งมาเพื่อทราบ") is None
    True
    >>> sentence_verb("ขอได้โปรดพิจารณา") is None
    True
    """
    text = _squash(sentence)
    if "มาเพื่อ" not in text:
        return None
    head = text[:text.index("มาเพื่อ")]
    for verb in ADDRESS_VERBS:
        if head.endswith(verb):
            return verb
    return None
