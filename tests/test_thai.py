"""Thai rules (docgen/thai) proved against the spec (regulation.md §4, §5, §7).

Expected outputs are hard-coded from the spec text so that a wrong rule fails;
the forms-of-address *list* is read from data/ (docgen.data), never copied here.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docgen import data
from docgen.thai import (THAI_MONTHS, classify, find_invisible, format_date, format_phone,
                         item_label, localize_digits, normalize_text, parse_date, ref_line,
                         to_arabic_digits, to_thai_digits, today_bangkok)
from docgen.thai.address import near_position, purpose_sentence, recipient_key, sentence_verb
from docgen.thai.dates import THAI_MONTHS_ABBR, DateParseError

UTC = dt.timezone.utc


# --- digits (§7) -------------------------------------------------------------------------

def test_digits_both_ways():
    assert to_thai_digits("0123456789") == "๐๑๒๓๔๕๖๗๘๙"
    assert to_arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert to_arabic_digits(to_thai_digits("ที่ นร 1200/ว 74")) == "ที่ นร 1200/ว 74"
    assert localize_digits("ปี ๒๕๖๗ ข้อ 3", "arabic") == "ปี 2567 ข้อ 3"


@pytest.mark.parametrize("token", [
    "saraban2@opdc.go.th", "first.last+2024@mail.go.th", "https://www.opdc.go.th/a/2567?id=74",
    "http://example.go.th/2567", "www.example2567.go.th", "COVID-19", "PDF/A-3b", "ISO9001", "A4", "4K",
])
def test_digits_leave_emails_urls_and_latin_tokens(token):
    text = f"ส่ง {token} ภายใน 7 วัน"
    assert localize_digits(text) == f"ส่ง {token} ภายใน ๗ วัน"


def test_digits_reject_unknown_style():
    with pytest.raises(ValueError):
        localize_digits("1", "roman")


# --- dates (§4.5) ------------------------------------------------------------------------

def test_format_date_official_text():
    assert format_date(dt.date(2024, 5, 30)) == "๓๐ พฤษภาคม ๒๕๖๗"          # [REAL]
    assert format_date(dt.date(2020, 1, 31)) == "๓๑ มกราคม ๒๕๖๓"            # [S56]
    assert format_date(dt.date(2024, 6, 3)) == "๓ มิถุนายน ๒๕๖๗"            # no leading zero
    assert format_date(dt.date(2024, 6, 3), "arabic") == "3 มิถุนายน 2567"
    assert format_date(dt.date(2024, 5, 30), abbreviated=True) == "๓๐ พ.ค. ๒๕๖๗"


@pytest.mark.parametrize("month", range(1, 13))
def test_dates_round_trip_every_month_full_and_abbreviated(month):
    d = dt.date(2024, month, 28)
    for abbreviated in (False, True):
        for digits in ("thai", "arabic"):
            assert parse_date(format_date(d, digits, abbreviated)) == (d, [])


@pytest.mark.parametrize("text,expected", [
    ("2024-05-30", dt.date(2024, 5, 30)),
    ("2024-5-3", dt.date(2024, 5, 3)),
    ("30 พฤษภาคม 2567", dt.date(2024, 5, 30)),
    ("๓๐ พฤษภาคม ๒๕๖๗", dt.date(2024, 5, 30)),
    ("วันที่ ๓๐ พฤษภาคม พ.ศ. ๒๕๖๗", dt.date(2024, 5, 30)),
    ("30 พ.ค. 2567", dt.date(2024, 5, 30)),
    ("30 พ.ค.2567", dt.date(2024, 5, 30)),
    ("30 พค 2567", dt.date(2024, 5, 30)),
    ("30 พ.ค. 67", dt.date(2024, 5, 30)),            # two-digit B.E. year [S56]
    ("1 มกราคม 2568", dt.date(2025, 1, 1)),
    (dt.date(2024, 5, 30), dt.date(2024, 5, 30)),
])
def test_parse_date(text, expected):
    assert parse_date(text) == (expected, [])


def test_parse_date_be_ce_confusion_warns_and_corrects():
    assert parse_date("2567-05-30") == (dt.date(2024, 5, 30), ["be-as-ce"])
    assert parse_date("30 พฤษภาคม 2024") == (dt.date(2024, 5, 30), ["ce-as-be"])


@pytest.mark.parametrize("text,reason", [
    ("31 กุมภาพันธ์ 2567", "impossible"),
    ("29 กุมภาพันธ์ 2566", "impossible"),          # 2023: not a leap year
    ("2023-02-29", "impossible"),
    ("31 เมษายน 2567", "impossible"),
    ("2024-13-01", "impossible"),
    ("0 มกราคม 2567", "impossible"),
    ("1 มกรา 2567", "unknown-month"),
    ("1 January 2567", "unknown-month"),
    ("30/05/2567", "unreadable"),
    ("1 มกราคม 567", "unreadable"),                 # a typo, not 24 C.E.
    ("พรุ่งนี้", "unreadable"),
    ("", "unreadable"),
])
def test_parse_date_refuses(text, reason):
    with pytest.raises(DateParseError) as e:
        parse_date(text)
    assert e.value.reason == reason


def test_leap_year_29_february():
    assert parse_date("29 กุมภาพันธ์ 2567") == (dt.date(2024, 2, 29), [])
    assert parse_date("2024-02-29") == (dt.date(2024, 2, 29), [])
    with pytest.raises(DateParseError):
        parse_date("29 กุมภาพันธ์ 2566")


def test_month_names_match_the_spec():
    assert THAI_MONTHS[0] == "มกราคม" and THAI_MONTHS[4] == "พฤษภาคม" and THAI_MONTHS[11] == "ธันวาคม"
    assert THAI_MONTHS_ABBR[1] == "ก.พ." and THAI_MONTHS_ABBR[3] == "เม.ย." and len(set(THAI_MONTHS_ABBR)) == 12


def test_today_is_bangkok_today():
    # 23:30 UTC is 06:30 the next morning in Bangkok (UTC+7)
    assert today_bangkok(dt.datetime(2024, 2, 28, 23, 30, tzinfo=UTC)) == dt.date(2024, 2, 29)
    assert today_bangkok(dt.datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == dt.date(2025, 1, 1)
    assert today_bangkok(dt.datetime(2024, 5, 30, 16, 59, tzinfo=UTC)) == dt.date(2024, 5, 30)
    assert today_bangkok(dt.datetime(2024, 5, 30, 17, 0, tzinfo=UTC)) == dt.date(2024, 5, 31)
    assert today_bangkok(dt.datetime(2024, 5, 30, 23, 30)) == dt.date(2024, 5, 30)   # naive = Bangkok
    assert isinstance(today_bangkok(), dt.date)


# --- phones (§7) -------------------------------------------------------------------------

@pytest.mark.parametrize("given,expected", [
    ("023569999", "0 2356 9999"),                          # landline 1-4-4
    ("02-356-9999", "0 2356 9999"),
    ("(02) 356-9999", "0 2356 9999"),                      # no brackets
    ("0 2356 9999", "0 2356 9999"),                        # already grouped
    ("053112345", "0 5311 2345"),
    ("0812345678", "08 1234 5678"),                        # mobile 2-4-4
    ("081-234-5678", "08 1234 5678"),
    ("08 1234 5678", "08 1234 5678"),
    ("023569999 ต่อ 8866", "0 2356 9999 ต่อ 8866"),        # extension
    ("0 2356 9999 ต่อ 8866 (ทิพย์รัตน์) และ 8942 (อารีญา)",
     "0 2356 9999 ต่อ 8866 (ทิพย์รัตน์) และ 8942 (อารีญา)"),
    ("0 2248 1234-39", "0 2248 1234-39"),                  # a range keeps its hyphen
    ("02-248-1234-39", "0 2248 1234-39"),
    ("0 2356 9999, 0812345678", "0 2356 9999, 08 1234 5678"),
    ("1111", "1111"),                                      # hotline: left alone
])
def test_phone_grouping(given, expected):
    assert format_phone(given, "arabic") == expected
    assert format_phone(given) == to_thai_digits(expected)


def test_phone_from_thai_digits():
    assert format_phone("๐๒๓๕๖๙๙๙๙ ต่อ ๘๘๖๖") == "๐ ๒๓๕๖ ๙๙๙๙ ต่อ ๘๘๖๖"


# --- the ที่ line (§4.1) and item labels (§4.10) --------------------------------------------

def test_ref_line():
    assert ref_line("นร 1200", 74) == "ที่ นร ๑๒๐๐/๗๔"                       # [REAL]
    assert ref_line("นร 1200", 74, circular=True) == "ที่ นร ๑๒๐๐/ว ๗๔"      # [REAL]
    assert ref_line("มท 0201.2", 1590, circular=True) == "ที่ มท ๐๒๐๑.๒/ว ๑๕๙๐"   # [S35]
    assert ref_line("ทม 0501.1.13", 136, circular=True, digits="arabic") == "ที่ ทม 0501.1.13/ว 136"  # [S49]
    assert ref_line(" นร 1200 ", 74, label=False) == "นร ๑๒๐๐/๗๔"


def test_ref_line_draft_leaves_the_number_blank():
    assert ref_line("นร 1200", None) == "ที่ นร ๑๒๐๐/"
    assert ref_line("นร 1200", None, circular=True) == "ที่ นร ๑๒๐๐/ว "


def test_item_labels():
    assert item_label((1,)) == "๑."
    assert item_label((2, 1)) == "๒.๑"
    assert item_label((1, 1, 1)) == "๑.๑.๑"
    assert item_label((12,)) == "๑๒."
    assert item_label((3, 2), "arabic") == "3.2"


# --- text hygiene --------------------------------------------------------------------------

def test_normalize_text():
    assert normalize_text("ทน\u0e4d\u0e32") == ("ทนำ", ["sara-am"])
    assert normalize_text("ก\u200bข\u202e") == ("กข", ["invisible"])
    assert normalize_text("a\x07b") == ("ab", ["control"])
    assert normalize_text("  เรียน \u00a0 ท่าน ") == ("เรียน ท่าน", [])
    assert normalize_text("<script>&amp;</w:t>") == ("<script>&amp;</w:t>", [])   # markup is text
    assert find_invisible("\u200f\u2066x\ufeff") == ["RIGHT-TO-LEFT MARK", "LRI", "BYTE ORDER MARK"]


# --- forms of address (§5, ภาคผนวก ๒) -----------------------------------------------------------

TABLE = data.address_table()


def _class(key):
    return next(row for row in TABLE if row["key"] == key)


def test_the_table_has_the_14_high_positions_with_kraab_rian():
    positions = _class("high_office")["positions"]
    assert len(positions) >= 14
    # spot checks hard-coded from regulation.md §5.3 (the list itself is data)
    for p in ("ประธานองคมนตรี", "นายกรัฐมนตรี", "ประธานศาลฎีกา", "รัฐบุรุษ",
              "ประธานกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ"):
        assert p in positions


@pytest.mark.parametrize("position", _class("high_office")["positions"])
def test_every_high_position_takes_kraab_rian(position):
    form = classify(position, TABLE)
    assert (form.salutation, form.closing, form.purpose_verb, form.refuse) == \
        ("กราบเรียน", "ขอแสดงความนับถืออย่างยิ่ง", "กราบเรียน", False)


@pytest.mark.parametrize("recipient", [
    "นายกรัฐมนตรี", "ฯพณฯ นายกรัฐมนตรี", "นายก รัฐมนตรี", "นายกรัฐมนตรี (นายสมมุติ ตัวอย่าง)",
    "ประธานกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ",
])
def test_kraab_rian_variants(recipient):
    assert classify(recipient, TABLE).salutation == "กราบเรียน"


@pytest.mark.parametrize("recipient", [
    "รองนายกรัฐมนตรี", "ปลัดกระทรวงมหาดไทย", "ปลัดกระทรวงสาธารณสุข", "ปลัดกระทรวง ทุกกระทรวง",
    "รัฐมนตรีว่าการกระทรวงการคลัง", "เลขาธิการคณะรัฐมนตรี", "อธิบดีกรมการปกครอง",
    "ผู้ว่าราชการจังหวัดเชียงใหม่", "รองประธานรัฐสภา", "ประธานกรรมการการเลือกตั้งประจำจังหวัดเชียงใหม่",
    "นายสมชาย ใจดี", "กรมพระธรรมนูญ",
])
def test_ordinary_positions_take_rian(recipient):
    form = classify(recipient, TABLE)
    assert (form.salutation, form.closing, form.purpose_verb, form.refuse) == \
        ("เรียน", "ขอแสดงความนับถือ", "เรียน", False)


@pytest.mark.parametrize("recipient,closing", [
    ("พระครูสมุห์สมชาย", "ขอนมัสการด้วยความเคารพ"),
    ("เจ้าอาวาสวัดพระสิงห์", "ขอนมัสการด้วยความเคารพ"),
    ("พระมหาสมชาย ปญฺญาวโร", "ขอนมัสการด้วยความเคารพ"),
    ("พระราชวรมุนี", "ขอนมัสการด้วยความเคารพอย่างสูง"),
    ("เจ้าคณะจังหวัดเชียงใหม่", "ขอนมัสการด้วยความเคารพอย่างสูง"),
    ("สมเด็จพระพุฒาจารย์", "ขอนมัสการด้วยความเคารพอย่างยิ่ง"),
    ("สมเด็จพระราชาคณะ", "ขอนมัสการด้วยความเคารพอย่างยิ่ง"),
])
def test_monks(recipient, closing):
    form = classify(recipient, TABLE)
    assert (form.salutation, form.closing, form.purpose_verb, form.refuse) == \
        ("นมัสการ", closing, "นมัสการ", False)


@pytest.mark.parametrize("recipient", [
    "พระบาทสมเด็จพระเจ้าอยู่หัว", "สมเด็จพระนางเจ้าสุทิดา พัชรสุธาพิมลลักษณ พระบรมราชินี",
    "สมเด็จพระกนิษฐาธิราชเจ้า กรมสมเด็จพระเทพรัตนราชสุดาฯ สยามบรมราชกุมารี", "พระมหากษัตริย์",
    "หม่อมเจ้าสมมุติ", "สมเด็จพระไม่มีในตาราง",     # the Supreme Patriarch has forms (test_address.py)
])
def test_royal_addressees_are_refused(recipient):
    assert classify(recipient, TABLE).refuse


def test_every_class_is_documented_and_complete():
    keys = [row["key"] for row in TABLE]
    assert keys[-1] == "default" and keys[0] == "royal" and len(set(keys)) == len(keys)
    for row in TABLE:
        assert row.get("en") and row.get("source"), row["key"]
        if not row.get("refuse"):
            assert row["salutation"] in ("เรียน", "กราบเรียน", "นมัสการ", "กราบทูล", "ขอประทานกราบทูล")
            assert row["closing"].startswith(("ขอ", "ควรมิควรแล้วแต่จะโปรด")) and row["purpose_verb"]


def test_recipient_key_and_near_position():
    assert recipient_key("ฯพณฯ  นายกรัฐมนตรี ( นายสมมุติ )") == "นายกรัฐมนตรี"
    near = near_position("นายกรัฐมนตรี นายสมมุติ ตัวอย่าง", TABLE)
    assert near and near[0] == "นายกรัฐมนตรี" and near[1].salutation == "กราบเรียน"
    assert near_position("รองนายกรัฐมนตรี", TABLE) is None


@pytest.mark.parametrize("purpose,verb,expected", [
    ("โปรดพิจารณาดำเนินการต่อไป", "เรียน", "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป"),   # [REAL]
    ("เพื่อโปรดทราบ", "กราบเรียน", "จึงกราบเรียนมาเพื่อโปรดทราบ"),
    ("โปรดทราบ", "นมัสการ", "จึงนมัสการมาเพื่อโปรดทราบ"),
    ("จึงเรียนมาเพื่อโปรดทราบ", "กราบเรียน", "จึงเรียนมาเพื่อโปรดทราบ"),     # kept as written
    ("เรียนมาเพื่อโปรดทราบ", "เรียน", "จึงเรียนมาเพื่อโปรดทราบ"),            # verb not doubled
])
def test_purpose_sentence(purpose, verb, expected):
    assert purpose_sentence(purpose, verb) == expected


@pytest.mark.parametrize("sentence,verb", [
    ("จึงเรียนมาเพื่อโปรดทราบ", "เรียน"),
    ("จึงกราบเรียนมาเพื่อโปรดทราบ", "กราบเรียน"),
    ("จึงขอกราบเรียนมาเพื่อโปรดพิจารณา", "กราบเรียน"),
    ("จึงนมัสการมาเพื่อโปรดทราบ", "นมัสการ"),
    ("จึง เรียน มาเพื่อโปรดทราบ", "เรียน"),
    ("จึงแจ้งมาเพื่อทราบ", None),
    ("โปรดพิจารณา", None),
])
def test_sentence_verb(sentence, verb):
    assert sentence_verb(sentence) == verb


# --- urgency and secrecy (§4.13) --------------------------------------------------------------

def test_urgency_and_secrecy_classes():
    assert data.urgency_classes() == ["ด่วนที่สุด", "ด่วนมาก", "ด่วน"]
    assert data.secrecy_classes() == ["ลับที่สุด", "ลับมาก", "ลับ"]
    assert "ปกปิด" not in data.secrecy_classes()          # not a class under the 2544 regulation
    for name in ("urgency", "secrecy"):
        for row in data.load(name)["classes"]:
            assert row.get("en"), row


def test_word_prefixes_answer_as_pythainlps_trie():
    """The fast dictionary gives newmm the same answers as pythainlp's own trie, so the
    same words: checked on every Thai run of the examples and the reference data."""
    import re
    from pythainlp.tokenize import word_dict_trie, word_tokenize

    from docgen.thai.words import default_dictionary, tokenizer
    root = Path(__file__).resolve().parent.parent
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(root.glob("examples/*.yaml"))
                   + sorted(root.glob("data/**/*.yaml")))
    runs = sorted(set(re.findall(r"[\u0e00-\u0e7f]+", text)))
    assert len(runs) > 300
    trie, fast = word_dict_trie(), default_dictionary()
    assert len(fast) == len(trie)
    for run in runs:
        for i in range(len(run)):
            assert fast.prefixes(run, i) == trie.prefixes(run, i), (run, i)
        assert list(tokenizer()(run)) == word_tokenize(run, engine="newmm", keep_whitespace=False)
