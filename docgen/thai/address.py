"""Forms of address (ภาคผนวก ๒): salutation, closing and purpose verb agree.

The table lives in ``data/forms_of_address.yaml``; these functions take it as an
argument so they stay pure.
"""
import re
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class AddressForm:
    key: str
    salutation: str        # คำขึ้นต้น: เรียน | กราบเรียน | นมัสการ | กราบทูล | ขอประทานกราบทูล
    closing: str           # คำลงท้าย
    purpose_verb: str      # "จึง<verb>มาเพื่อ…"
    refuse: bool = False


# A verb comes before any verb it ends with ("กราบเรียน" ends with "เรียน",
# "ขอประทานกราบทูล" with "กราบทูล"): `sentence_verb` takes the first that fits.
ADDRESS_VERBS = ("ขอประทานกราบทูล", "กราบทูล", "กราบเรียน", "นมัสการ", "เรียน")
# "ฯพณฯ" and the polite "ท่าน" before a position ("ท่านนายกรัฐมนตรี"), once or repeated;
# not the title "ท่านผู้หญิง", which begins a personal name.
_HONORIFIC = re.compile(r"^\s*(?:(?:ฯ\s*พณ\s*ฯ|พณฯ|ท่าน(?!\s*ผู้หญิง))\s*)+")
_PARENS = re.compile(r"\([^()]*\)")


def _squash(s: str) -> str:
    return "".join(s.split())


def _clean(recipient: str) -> str:
    """The recipient without "ฯพณฯ"/"ท่าน" before it and without parenthesised parts (spaces kept)."""
    return _PARENS.sub(" ", _HONORIFIC.sub("", recipient))


def recipient_key(recipient: str) -> str:
    """The recipient as matched against the table: no "ฯพณฯ" or "ท่าน" before it,
    no "(personal name)", no spaces.

    >>> recipient_key("ฯพณฯ นายกรัฐมนตรี")
    'นายกรัฐมนตรี'
    >>> recipient_key("ท่าน นายกรัฐมนตรี"), recipient_key("ท่านนายกรัฐมนตรี")
    ('นายกรัฐมนตรี', 'นายกรัฐมนตรี')
    >>> recipient_key("ท่านผู้หญิงสมศรี ใจดี")
    'ท่านผู้หญิงสมศรีใจดี'
    >>> recipient_key("นายกรัฐมนตรี (นายสมมุติ ตัวอย่าง)")
    'นายกรัฐมนตรี'
    >>> recipient_key("ปลัดกระทรวง ทุกกระทรวง")
    'ปลัดกระทรวงทุกกระทรวง'
    """
    return _squash(_clean(recipient))


def _longest(word: str, starts) -> str:
    return max((t for t in starts if word.startswith(t)), key=len, default="")


def is_personal_name(words: list[str], names: dict) -> bool:
    """Whether whitespace-separated ``words`` read as one person's name: one or more
    titles (``names["titles"]``: นาย, พลเอก, พล.อ., ดร., …, alone or glued to what
    follows), then one or two name words (given name, surname; "ณ อยุธยา" belongs
    to the surname).  A word that begins with a position word
    (``names["position_words"]``: รอง, ผู้ช่วย, นายอำเภอ, …) is never part of a
    name, unless a longer title begins it (รองศาสตราจารย์ is a title).

    >>> n = {"titles": ["นาย", "นางสาว", "นาง", "พลเอก", "พล.อ.", "ดร.", "รองศาสตราจารย์"],
    ...      "position_words": ["รอง", "ผู้ช่วย", "นายกเทศมนตรี"]}
    >>> is_personal_name(["พลเอก", "ประยุทธ์", "จันทร์โอชา"], n)
    True
    >>> is_personal_name(["พล.อ.ประยุทธ์", "จันทร์โอชา"], n), is_personal_name(["นางสาวสมศรี"], n)
    (True, True)
    >>> is_personal_name(["รองศาสตราจารย์", "ดร.สมชาย", "ทองดี", "ณ", "อยุธยา"], n)
    True
    >>> is_personal_name(["สมชาย", "ใจดี"], n)          # no title: not confidently a name
    False
    >>> is_personal_name(["นายสมชาย", "ใจดี", "ที่ปรึกษา"], n)   # three name words
    False
    >>> is_personal_name(["นายสมชาย", "รอง"], n), is_personal_name(["นายกเทศมนตรี"], n)
    (False, False)
    >>> is_personal_name(["พลเอก"], n)                  # a title and no name
    False
    """
    titles, stops = names.get("titles") or (), names.get("position_words") or ()
    if any(len(_longest(w, stops)) > len(_longest(w, titles)) for w in words):
        return False
    words, i, seen = list(words), 0, 0
    while i < len(words):
        title = _longest(words[i], titles)
        if not title:
            break
        seen += 1
        words[i] = words[i][len(title):]
        if not words[i]:
            i += 1
    rest = " ".join(words[i:]).replace(" ณ ", "ณ").split()
    return seen > 0 and 1 <= len(rest) <= 2


def _position(key: str, table: list[dict]) -> tuple[str, dict] | None:
    for row in table:
        for p in row.get("positions", ()) or ():
            if key == _squash(p):
                return p, row
    return None


def named_position(recipient: str, table: list[dict], names: dict | None) -> tuple[str, AddressForm] | None:
    """A listed position written together with a personal name, at a word boundary:
    "<name> <position>", "<position> <name>" or "<name> (<position>)", where <name> is
    a title and a name (`is_personal_name`).  A position that is only the end of a
    longer word ("ผู้ช่วยเลขานุการนายกรัฐมนตรี") or follows words that are not a name
    ("ที่ปรึกษา นายกรัฐมนตรี") is not one.  None when there is none.

    >>> t = [{"key": "high", "salutation": "กราบเรียน", "positions": ["นายกรัฐมนตรี", "ประธานศาลฎีกา"]},
    ...      {"key": "default", "salutation": "เรียน"}]
    >>> n = {"titles": ["นาย", "พลเอก", "พล.อ."], "position_words": ["รอง", "ผู้ช่วย"]}
    >>> named_position("พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี", t, n)[0]
    'นายกรัฐมนตรี'
    >>> named_position("ฯพณฯ นายสมชาย ใจดี ประธานศาล ฎีกา", t, n)[0]
    'ประธานศาลฎีกา'
    >>> named_position("นายกรัฐมนตรี นายสมมุติ ตัวอย่าง", t, n)[0]
    'นายกรัฐมนตรี'
    >>> named_position("พล.อ.ประยุทธ์ จันทร์โอชา (นายกรัฐมนตรี)", t, n)[0]
    'นายกรัฐมนตรี'
    >>> [named_position(r, t, n) for r in ("รองนายกรัฐมนตรี", "นายสมชาย รองนายกรัฐมนตรี",
    ...   "นายสมชาย ใจดี ผู้ช่วยเลขานุการนายกรัฐมนตรี", "ที่ปรึกษา นายกรัฐมนตรี",
    ...   "นายสมชาย รอง นายกรัฐมนตรี", "นายกรัฐมนตรี")]
    [None, None, None, None, None, None]
    """
    if not names:
        return None
    words = _clean(recipient).split()
    for k in range(1, len(words)):
        head, tail = words[:k], words[k:]
        for pos, name in ((tail, head), (head, tail)):
            hit = _position("".join(pos), table)
            if hit and is_personal_name(name, names):
                return hit[0], _form(hit[1])
    for group in _PARENS.findall(_HONORIFIC.sub("", recipient)):
        hit = _position(_squash(group[1:-1]), table)
        if hit and is_personal_name(words, names):
            return hit[0], _form(hit[1])
    return None


def classify(recipient: str, table: list[dict], names: dict | None = None) -> AddressForm:
    """The address class of a recipient's position or name.

    ``positions`` match the whole title (ignoring spaces, "ฯพณฯ"/"ท่าน" before it
    and a personal name in parentheses); ``prefixes`` match its beginning.  Rows
    are tried in order.  When none matches and ``names`` (the table's
    ``personal_names``) is given, a position written with a personal name counts
    (`named_position`).  The row with key ``default`` applies otherwise.

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
    >>> classify("ท่านนายกรัฐมนตรี", t).salutation
    'กราบเรียน'
    >>> n = {"titles": ["นาย", "พลเอก"], "position_words": ["รอง"]}
    >>> classify("พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี", t, n).salutation
    'กราบเรียน'
    >>> classify("นายสมชาย ใจดี รองนายกรัฐมนตรี", t, n).salutation
    'เรียน'
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
    named = named_position(recipient, table, names)
    if named:
        return named[1]
    if default is None:
        raise ValueError("forms-of-address table has no 'default' class")
    return _form(default)


class Near(NamedTuple):
    position: str
    form: AddressForm
    where: str          # "start": the recipient begins with it; "end": ends with it (at a word boundary)


def near_position(recipient: str, table: list[dict], names: dict | None = None) -> Near | None:
    """A listed position the recipient *begins with* but is not exactly (a likely
    "นายกรัฐมนตรี สมมุติ", a name without a title or parentheses), or, with
    ``names``, one it *ends with* after words that are not a personal name
    ("ที่ปรึกษา นายกรัฐมนตรี").  None when nothing is near, and None when
    `named_position` recognises the position with a personal name.

    >>> t = [{"key": "high", "salutation": "กราบเรียน", "positions": ["นายกรัฐมนตรี"]},
    ...      {"key": "default", "salutation": "เรียน"}]
    >>> near_position("นายกรัฐมนตรี นายสมมุติ ตัวอย่าง", t)[:1]
    ('นายกรัฐมนตรี',)
    >>> n = {"titles": ["นาย"], "position_words": []}
    >>> near_position("นายกรัฐมนตรี นายสมมุติ ตัวอย่าง", t, n) is None    # recognised
    True
    >>> near_position("ที่ปรึกษา นายกรัฐมนตรี", t, n).where
    'end'
    >>> [near_position(r, t, n) for r in ("รองนายกรัฐมนตรี", "ผู้ช่วยเลขานุการนายกรัฐมนตรี", "นายกรัฐมนตรี")]
    [None, None, None]
    """
    if named_position(recipient, table, names):
        return None
    name = recipient_key(recipient)
    for row in table:
        for p in row.get("positions", ()) or ():
            if name != _squash(p) and name.startswith(_squash(p)):
                return Near(p, _form(row), "start")
    if names:
        words = _clean(recipient).split()
        for k in range(1, len(words)):
            hit = _position("".join(words[k:]), table)
            if hit:
                return Near(hit[0], _form(hit[1]), "end")
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
    >>> purpose_sentence("โปรดทราบ", "ขอประทานกราบทูล")
    'จึงขอประทานกราบทูลมาเพื่อโปรดทราบ'
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
    """The address verb (`ADDRESS_VERBS`) a written purpose sentence uses,
    to check it against the salutation; None when it uses none of them.

    >>> sentence_verb("จึงกราบเรียนมาเพื่อโปรดทราบ")
    'กราบเรียน'
    >>> sentence_verb("จึงขอเรียนมาเพื่อโปรดพิจารณา")
    'เรียน'
    >>> sentence_verb("นมัสการมาเพื่อโปรดทราบ")
    'นมัสการ'
    >>> sentence_verb("จึงขอประทานกราบทูลมาเพื่อโปรดทราบ"), sentence_verb("จึงกราบทูลมาเพื่อโปรดทราบ")
    ('ขอประทานกราบทูล', 'กราบทูล')
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
