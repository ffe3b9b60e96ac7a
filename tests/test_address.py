"""Input officers really type (issue 8): running numbers in Thai digits, recipients written with
"ท่าน" or a personal name beside the position, salutations that contradict ภาคผนวก ๒, and the
Supreme Patriarch (regulation.md §5.1-§5.3).  Every test goes through a real letter file."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from docgen import api
from docgen.errors import InputError
from tests.conftest import pdftotext, squash, write_letter

TODAY = dt.date(2024, 6, 1)
GOOD = {
    "type": "external", "profile": "profiles/opdc.yaml", "number": 74, "date": "2024-05-30",
    "subject": "ทดสอบ", "to": "เลขาธิการคณะรัฐมนตรี", "body": ["ข้อความ"], "purpose": "โปรดทราบ",
}
THAI = re.compile(r"[\u0e01-\u0e5b]")
HIGH = ("กราบเรียน", "ขอแสดงความนับถืออย่างยิ่ง", "จึงกราบเรียนมาเพื่อโปรดทราบ")
RIAN = ("เรียน", "ขอแสดงความนับถือ", "จึงเรียนมาเพื่อโปรดทราบ")


def letter_file(tmp_path, change=None, text=None):
    letter = {k: v for k, v in {**GOOD, **(change or {})}.items() if v is not None}
    return write_letter(tmp_path, text if text is not None else yaml.safe_dump(letter, allow_unicode=True))


def check(tmp_path, change=None, text=None):
    return api.check(letter_file(tmp_path, change, text), today=TODAY)


def composed(tmp_path, change=None, text=None):
    return api.compose_file(letter_file(tmp_path, change, text), today=TODAY)


def codes(problems, field, severity):
    return {p.code for p in problems.items if p.field == field and p.severity == severity}


def address_of(tmp_path, to, **change):
    c, problems = composed(tmp_path, {"to": to, **change})
    return (c.salutation, c.closing, c.purpose), problems


# --- 1. the running number -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["number: ๗๔", "number: '๗๔'", "number: '74'", "number: 74", "number: ' ๗๔ '"])
def test_number_in_thai_or_arabic_digits_is_the_value_74(tmp_path, text):
    src = yaml.safe_dump({k: v for k, v in GOOD.items() if k != "number"}, allow_unicode=True) + text + "\n"
    letter, problems = api.load(letter_file(tmp_path, text=src), today=TODAY)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert letter.number == 74 and type(letter.number) is int
    c, _ = composed(tmp_path, text=src)
    assert c.number == 74 and c.ref_value.endswith("/๗๔")


@pytest.mark.parametrize("value", ["๗๔ก", "0", "๐", "-3", "7.5", "๗ ๔", "", True, 0, 10 ** 8, "๑๐๐๐๐๐๐๐",
                                   "๙" * 5000])
def test_bad_numbers_are_a_field_named_bilingual_error(tmp_path, value):
    problems = check(tmp_path, {"number": value})
    if value == "":
        return        # an empty number is a draft (no number), as before
    (p,) = [p for p in problems.errors if p.field == "number"]
    assert p.code == "number-range" and THAI.search(p.th) and "whole number" in p.en
    assert "number" in str(p)


# --- 2. recipients written as officers write them --------------------------------------------

@pytest.mark.parametrize("to", [
    "ท่านนายกรัฐมนตรี", "ท่าน นายกรัฐมนตรี", "ฯพณฯ ท่านนายกรัฐมนตรี",
    "พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี", "พล.อ. ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี",
    "พล.อ.ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี", "ฯพณฯ พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี",
    "นายสมชาย ใจดี ประธานศาลฎีกา", "นาย สมชาย ใจดี ประธานศาลฎีกา", "นายสมชาย ใจดี ประธานศาล ฎีกา",
    "พลตำรวจเอก ดร. สมชาย ใจดี ประธานวุฒิสภา", "ศาสตราจารย์ ดร.สมศรี ใจงาม ประธานศาลรัฐธรรมนูญ",
    "นางสาวสมศรี ใจงาม ผู้ตรวจการแผ่นดิน", "นายกรณ์ จาติกวณิช นายกรัฐมนตรี",       # นายกรณ์ is นาย + กรณ์
    "นายสมชาย ทองดี ณ อยุธยา นายกรัฐมนตรี", "ท่านผู้หญิงสมศรี ใจงาม ประธานรัฐสภา",
    "นายกรัฐมนตรี นายสมมุติ ตัวอย่าง", "นายกรัฐมนตรี (พลเอก ประยุทธ์ จันทร์โอชา)",
    "พลเอก ประยุทธ์ จันทร์โอชา (นายกรัฐมนตรี)",
])
def test_a_high_position_with_honorific_or_name_takes_kraab_rian(tmp_path, to):
    got, problems = address_of(tmp_path, to)
    assert got == HIGH
    assert not codes(problems, "to", "warning"), [str(p) for p in problems.items]   # recognised: no doubt left


@pytest.mark.parametrize("to", [
    "รองนายกรัฐมนตรี", "ท่านรองนายกรัฐมนตรี", "ผู้ช่วยเลขานุการนายกรัฐมนตรี", "ที่ปรึกษานายกรัฐมนตรี",
    "เลขาธิการนายกรัฐมนตรี", "รัฐมนตรีประจำสำนักนายกรัฐมนตรี", "นายสมชาย ใจดี รองนายกรัฐมนตรี",
    "พลเอก ประวิตร วงษ์สุวรรณ รองนายกรัฐมนตรี", "นายสมชาย ใจดี ที่ปรึกษานายกรัฐมนตรี",
    "นายชวน หลีกภัย อดีตนายกรัฐมนตรี", "ว่าที่นายกรัฐมนตรี", "รักษาราชการแทนนายกรัฐมนตรี",
    "นายสมชาย ใจดี รองประธานศาลฎีกา", "ประธานกรรมการการเลือกตั้งประจำจังหวัดเชียงใหม่",
])
def test_other_positions_stay_rian(tmp_path, to):
    got, problems = address_of(tmp_path, to)
    assert got == RIAN
    assert not problems.errors


@pytest.mark.parametrize("to,code", [
    # a listed position at a word boundary after words that are not a personal name: เรียน, and a warning
    ("ที่ปรึกษา นายกรัฐมนตรี", "to-ends-with-position"),
    ("นายสมชาย ใจดี ผู้ช่วยเลขานุการ นายกรัฐมนตรี", "to-ends-with-position"),
    ("นายสมชาย รอง นายกรัฐมนตรี", "to-ends-with-position"),
    ("นายสมชาย ใจดี อดีต นายกรัฐมนตรี", "to-ends-with-position"),
    ("นายสมชาย ว่าที่ นายกรัฐมนตรี", "to-ends-with-position"),
    ("สมชาย ใจดี นายกรัฐมนตรี", "to-ends-with-position"),                # no title: not surely a name
    # a listed position followed by something that is not a personal name
    ("นายกรัฐมนตรี สมมุติ", "to-near-position"),
    ("นายกรัฐมนตรีคนที่ ๓๐", "to-near-position"),
])
def test_doubtful_recipients_take_rian_with_a_warning_naming_the_position(tmp_path, to, code):
    got, problems = address_of(tmp_path, to)
    assert got == RIAN
    (w,) = [p for p in problems.warnings if p.field == "to"]
    assert w.code == code and "นายกรัฐมนตรี" in w.th and "กราบเรียน" in w.en and THAI.search(w.th)


def test_the_recipient_is_printed_as_written(tmp_path):
    c, _ = composed(tmp_path, {"to": "พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี"})
    assert "กราบเรียน พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี" in c.printed_texts()


# --- 3. a salutation or closing that contradicts ภาคผนวก ๒ ------------------------------------

@pytest.mark.parametrize("change,field,expected", [
    ({"salutation": "กราบเรียน"}, "salutation", "เรียน"),
    ({"salutation": "นมัสการ"}, "salutation", "เรียน"),
    ({"closing": "ด้วยความเคารพ"}, "closing", "ขอแสดงความนับถือ"),
    ({"closing": "ขอแสดงความนับถืออย่างยิ่ง"}, "closing", "ขอแสดงความนับถือ"),
    ({"to": "นายกรัฐมนตรี", "salutation": "เรียน"}, "salutation", "กราบเรียน"),
    ({"to": "พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี", "closing": "ขอแสดงความนับถือ"}, "closing",
     "ขอแสดงความนับถืออย่างยิ่ง"),
    ({"to": "สมเด็จพระสังฆราช", "salutation": "นมัสการ"}, "salutation", "กราบทูล"),
    ({"salutation": "กราบเรียน", "salutation_override": False}, "salutation", "เรียน"),
])
def test_a_contradiction_is_an_error_naming_the_field_and_the_override(tmp_path, change, field, expected):
    problems = check(tmp_path, change)
    (p,) = [p for p in problems.errors if p.field == field]
    assert p.code == f"{field}-contradicts"
    assert expected in p.th and expected in p.en
    assert "salutation_override: true" in p.th and "salutation_override: true" in p.en
    with pytest.raises(InputError):
        composed(tmp_path, change)


def test_a_salutation_that_agrees_with_the_table_is_fine(tmp_path):
    for change in ({"salutation": "เรียน", "closing": "ขอแสดงความนับถือ"},
                   {"to": "ท่านนายกรัฐมนตรี", "salutation": "กราบเรียน", "closing": "ขอแสดงความนับถืออย่างยิ่ง"}):
        problems = check(tmp_path, change)
        assert not problems.errors and not codes(problems, "salutation", "warning")


def test_the_override_uses_the_given_forms_and_keeps_a_warning(tmp_path):
    change = {"salutation": "กราบเรียน", "closing": "ขอแสดงความนับถืออย่างยิ่ง", "salutation_override": True}
    c, problems = composed(tmp_path, change)
    assert not problems.errors
    assert (c.salutation, c.closing, c.purpose) == HIGH        # the purpose verb follows the salutation
    assert codes(problems, "salutation", "warning") == {"salutation-mismatch"}
    assert codes(problems, "closing", "warning") == {"closing-mismatch"}


def test_the_override_without_a_contradiction_changes_nothing(tmp_path):
    c, problems = composed(tmp_path, {"salutation_override": True})
    assert (c.salutation, c.closing, c.purpose) == RIAN and not problems.errors


@pytest.mark.parametrize("value", ["true", "yes", 1, ["x"]])
def test_the_override_must_be_true_or_false(tmp_path, value):
    problems = check(tmp_path, {"salutation": "กราบเรียน", "salutation_override": value})
    fields = {p.field: p for p in problems.errors}
    assert fields["salutation_override"].code == "type"
    assert "true or false" in fields["salutation_override"].en
    assert fields["salutation"].code == "salutation-contradicts"      # a bad override overrides nothing


def test_a_memo_still_has_no_closing(tmp_path):
    """A memo has no คำลงท้าย [S27]: one given is refused by name (data/doctypes.yaml), not
    dropped with a warning as before (docs/decisions.md "Fields of each type")."""
    problems = check(tmp_path, {"type": "memo", "closing": "ด้วยความเคารพ"})
    assert codes(problems, "closing", "error") == {"doctype-no-field"}
    assert not codes(problems, "closing", "warning")
    c, problems = composed(tmp_path, {"type": "memo"})
    assert c.closing is None and not problems.errors


# --- 4. the Supreme Patriarch, monks and royalty (regulation.md §5.1, §5.2) ---------------------

SANGHARAJA = [
    ("สมเด็จพระสังฆราชเจ้า กรมหลวงวชิรญาณวงศ์", "ขอประทานกราบทูล", "ควรมิควรแล้วแต่จะโปรดเกล้าโปรดกระหม่อม"),
    ("สมเด็จพระสังฆราชเจ้า", "ขอประทานกราบทูล", "ควรมิควรแล้วแต่จะโปรดเกล้าโปรดกระหม่อม"),
    ("สมเด็จพระสังฆราช", "กราบทูล", "ควรมิควรแล้วแต่จะโปรด"),
    ("สมเด็จพระอริยวงศาคตญาณ สมเด็จพระสังฆราช สกลมหาสังฆปริณายก", "กราบทูล", "ควรมิควรแล้วแต่จะโปรด"),
]


@pytest.mark.parametrize("to,salutation,closing", SANGHARAJA)
def test_the_supreme_patriarch_gets_the_forms_of_5_2(tmp_path, to, salutation, closing):
    c, problems = composed(tmp_path, {"to": to})
    assert not problems.errors
    assert (c.salutation, c.closing) == (salutation, closing)
    assert c.purpose == f"จึง{salutation}มาเพื่อโปรดทราบ"
    assert f"{salutation} {to}" in c.printed_texts()


def test_the_supreme_patriarch_salutation_may_be_written_and_checked(tmp_path):
    c, problems = composed(tmp_path, {"to": "สมเด็จพระสังฆราช", "salutation": "กราบทูล",
                                      "closing": "ควรมิควรแล้วแต่จะโปรด",
                                      "purpose": "จึงกราบทูลมาเพื่อโปรดทราบ"})
    assert not problems.errors and (c.salutation, c.purpose) == ("กราบทูล", "จึงกราบทูลมาเพื่อโปรดทราบ")
    assert not [p for p in problems.warnings if p.field in ("salutation", "closing", "purpose")]
    problems = check(tmp_path, {"to": "สมเด็จพระสังฆราช", "purpose": "จึงเรียนมาเพื่อโปรดทราบ"})
    assert "purpose-mismatch" in codes(problems, "purpose", "warning")


@pytest.mark.parametrize("to,closing", [
    ("สมเด็จพระพุฒาจารย์", "ขอนมัสการด้วยความเคารพอย่างยิ่ง"),
    ("พระราชวรมุนี", "ขอนมัสการด้วยความเคารพอย่างสูง"),
    ("พระครูสมุห์สมชาย", "ขอนมัสการด้วยความเคารพ"),
])
def test_other_monks_keep_their_rows(tmp_path, to, closing):
    got, problems = address_of(tmp_path, to)
    assert got == ("นมัสการ", closing, "จึงนมัสการมาเพื่อโปรดทราบ") and not problems.errors


@pytest.mark.parametrize("to,code", [
    ("พระบาทสมเด็จพระเจ้าอยู่หัว", "royal-by-hand"),
    ("สมเด็จพระนางเจ้าสุทิดา พัชรสุธาพิมลลักษณ พระบรมราชินี", "royal-by-hand"),
    ("สมเด็จพระกนิษฐาธิราชเจ้า กรมสมเด็จพระเทพรัตนราชสุดาฯ สยามบรมราชกุมารี", "royal-by-hand"),
    ("หม่อมเจ้าสมมุติ", "royal-by-hand"),
    ("ท่านพระบาทสมเด็จพระเจ้าอยู่หัว", "royal-by-hand"),
    ("สมเด็จพระไม่มีในตาราง", "royal-title-unlisted"),
])
def test_royalty_is_refused_with_the_true_reason(tmp_path, to, code):
    problems = check(tmp_path, {"to": to})
    (p,) = [p for p in problems.errors if p.field == "to"]
    assert p.code == code
    assert "สำนักราชเลขาธิการ" in p.th and "สำนักพระราชวัง" in p.th and "ร่างด้วยมือ" in p.th
    assert "drafted by hand" in p.en and "สำนักราชเลขาธิการ" in p.en and "§5.1" in p.en
    assert to in p.th and to in p.en


def test_a_sangharaja_letter_renders_its_forms_in_the_pdf(tmp_path):
    to = "สมเด็จพระสังฆราชเจ้า กรมหลวงวชิรญาณวงศ์"
    result = api.render_file(letter_file(tmp_path, {"to": to}), tmp_path, formats=("pdf",), today=TODAY)
    text = squash(pdftotext(result.paths["pdf"]))
    for printed in (f"ขอประทานกราบทูล {to}", "ควรมิควรแล้วแต่จะโปรดเกล้าโปรดกระหม่อม",
                    "จึงขอประทานกราบทูลมาเพื่อโปรดทราบ"):
        assert squash(printed) in text


def test_a_long_salutation_stays_on_one_line_in_the_pdf(tmp_path):
    to = "สมเด็จพระสังฆราชเจ้า กรมหลวงวชิรญาณวงศ์"
    result = api.render_file(letter_file(tmp_path, {"to": to}), tmp_path, formats=("pdf",), today=TODAY)
    assert f"ขอประทานกราบทูล {to}" in pdftotext(result.paths["pdf"], "-raw").splitlines()
