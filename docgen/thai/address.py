"""Forms of address (ภาคผนวก ๒): salutation, closing and purpose verb agree.

The table lives in ``data/forms_of_address.yaml``; these functions take it as an
argument so they stay pure.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class AddressForm:
    key: str
    salutation: str        # คำขึ้นต้น: เรียน | กราบเรียน | นมัสการ
    closing: str           # คำลงท้าย
    purpose_verb: str      # "จึง<verb>มาเพื่อ…"
    refuse: bool = False


def _squash(s: str) -> str:
    return "".join(s.split())


def classify(recipient: str, table: list[dict]) -> AddressForm:
    """The address class of a recipient's position or name.

    >>> t = [{"key": "royal", "refuse": True, "prefixes": ["พระบาทสมเด็จพระ"]},
    ...      {"key": "high", "salutation": "กราบเรียน", "closing": "ขอแสดงความนับถืออย่างยิ่ง",
    ...       "purpose_verb": "กราบเรียน", "positions": ["นายกรัฐมนตรี"]},
    ...      {"key": "monk", "salutation": "นมัสการ", "closing": "ขอนมัสการด้วยความเคารพ",
    ...       "purpose_verb": "นมัสการ", "prefixes": ["พระครู"]},
    ...      {"key": "default", "salutation": "เรียน", "closing": "ขอแสดงความนับถือ", "purpose_verb": "เรียน"}]
    >>> classify("นายกรัฐมนตรี", t).salutation
    'กราบเรียน'
    >>> classify("รองนายกรัฐมนตรี", t).salutation
    'เรียน'
    >>> classify("พระครูสมุห์ตัวอย่าง", t).closing
    'ขอนมัสการด้วยความเคารพ'
    >>> classify("พระบาทสมเด็จพระเจ้าอยู่หัว", t).refuse
    True
    """
    name = _squash(recipient)
    default = None
    for row in table:
        if row["key"] == "default":
            default = row
            continue
        hit = any(name == _squash(p) for p in row.get("positions", ())) or any(
            name.startswith(_squash(p)) for p in row.get("prefixes", ()))
        if hit:
            return _form(row)
    if default is None:
        raise ValueError("forms-of-address table has no 'default' class")
    return _form(default)


def _form(row: dict) -> AddressForm:
    return AddressForm(row["key"], row.get("salutation", ""), row.get("closing", ""),
                       row.get("purpose_verb", ""), bool(row.get("refuse", False)))


def purpose_sentence(purpose: str, verb: str) -> str:
    """The closing purpose sentence; the verb follows the salutation.

    A short purpose ("โปรดพิจารณา") becomes "จึงเรียนมาเพื่อโปรดพิจารณา"; a full
    sentence starting with "จึง" is kept as written.

    >>> purpose_sentence("โปรดพิจารณาดำเนินการต่อไป", "เรียน")
    'จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป'
    >>> purpose_sentence("เพื่อโปรดทราบ", "กราบเรียน")
    'จึงกราบเรียนมาเพื่อโปรดทราบ'
    >>> purpose_sentence("จึงเรียนมาเพื่อโปรดทราบ และขอขอบคุณ", "เรียน")
    'จึงเรียนมาเพื่อโปรดทราบ และขอขอบคุณ'
    """
    text = purpose.strip()
    if text.startswith("จึง"):
        return text
    if text.startswith("เพื่อ"):
        text = text[len("เพื่อ"):]
    return f"จึง{verb}มาเพื่อ{text}"


def sentence_verb(sentence: str) -> str | None:
    """The verb a written "จึง…มาเพื่อ" sentence uses, to check it against the salutation.

    >>> sentence_verb("จึงกราบเรียนมาเพื่อโปรดทราบ")
    'กราบเรียน'
    >>> sentence_verb("ขอได้โปรดพิจารณา") is None
    True
    """
    if sentence.startswith("จึง") and "มาเพื่อ" in sentence:
        return sentence[len("จึง"):sentence.index("มาเพื่อ")].strip() or None
    return None
