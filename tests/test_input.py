"""Bad input, file level and field level: a clear bilingual problem naming the field,
never a traceback (docgen/input.py, docgen/model.py, docgen/messages.py)."""
from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import time
from pathlib import Path

import pytest
import yaml

from docgen import api, compose, model
from docgen.errors import InputError
from docgen.input import MAX_BYTES, parse_mapping, read_mapping
from tests.conftest import write_letter

TODAY = dt.date(2024, 6, 1)
GOOD = {
    "type": "external", "profile": "profiles/opdc.yaml", "number": 74, "date": "2024-05-30",
    "subject": "ทดสอบ", "to": "เลขาธิการคณะรัฐมนตรี", "body": ["ข้อความ"], "purpose": "โปรดทราบ",
}
THAI = re.compile(r"[\u0e01-\u0e5b]")


def problems_of(tmp_path, letter: dict | str, name="letter.yaml"):
    text = letter if isinstance(letter, str) else yaml.safe_dump(letter, allow_unicode=True)
    return api.check(write_letter(tmp_path, text, name), today=TODAY)


def fields(problems, severity="error"):
    return {p.field for p in problems.items if p.severity == severity}


# --- messages ---------------------------------------------------------------------------------

def test_the_good_letter_is_valid(tmp_path):
    problems = problems_of(tmp_path, GOOD)
    assert not problems.errors, [str(p) for p in problems.errors]


# --- file level ------------------------------------------------------------------------------

@pytest.mark.parametrize("content,code,field", [
    (b"type: external\nsubject: [unclosed\n", "file-syntax-at", "file"),
    (b"type: external\n\tsubject: x\n", "file-syntax-tab", "file"),
    ("subject: ขอเชิญประชุม: วาระที่ 1\n".encode(), "yaml-colon", "file"),          # unquoted colon
    ("subject: \"ขอเชิญประชุม\nto: x\n".encode(), "yaml-quote", "file"),              # quote never closed
    ("body:\n  - ข้อหนึ่ง\n - ข้อสอง\n".encode(), "yaml-indent", "file"),              # items out of line
    (b"- a\n- b\n", "not-mapping", "file"),
    (b"just text\n", "not-mapping", "file"),
    (b"", "file-empty", "file"),
    (b"   \n\n", "file-empty", "file"),
    (b"# only a comment\n", "file-empty", "file"),
    (b"type: external\nsubject: a\nsubject: b\n", "duplicate-key", "subject"),
    (b"signer:\n  name: a\n  position: b\n  name: c\n", "duplicate-key", "signer.name"),
    (b"body:\n  - items:\n      - {text: a, text: b}\n", "duplicate-key", "body[1].items[1].text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file-binary", "file"),
    ("subject: ทดสอบ\n".encode("cp874"), "file-encoding-tis620", "file"),          # TIS-620
    ("subject: ทดสอบ\n".encode("utf-16"), "file-encoding-utf16", "file"),
    (b"subject: caf\xe9\n", "file-encoding-tis620", "file"),   # 0xE9 is a Thai tone mark in cp874
    (b"subject: \x80\x81\n", "file-encoding", "file"),
    (b"type: !!python/object/apply:os.system ['echo hi']\n", "yaml-special", "file"),
    (b"a: 1\n---\nb: 2\n", "file-syntax-at", "file"),
    (b"number: " + b"9" * 5000 + b"\n", "file-syntax", "file"),
    (b"body: " + b"[" * 5000 + b"]" * 5000 + b"\n", "file-too-deep", "file"),
    (b"a: &a [*a]\n", "file-recursive", "a[1]"),
])
def test_bad_yaml_files(tmp_path, content, code, field):
    path = tmp_path / "letter.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_mapping(path)
    (problem,) = e.value.problems
    assert (problem.code, problem.field, problem.severity) == (code, field, "error")
    assert THAI.search(problem.th) and problem.en


def test_yaml_error_names_the_line(tmp_path):
    path = tmp_path / "letter.yaml"
    path.write_text("type: external\nsubject: ok\nto: [x\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_mapping(path)
    assert "line 4" in e.value.problems[0].en or "line 3" in e.value.problems[0].en


def test_duplicate_keys_all_reported_with_lines(tmp_path):
    with pytest.raises(InputError) as e:
        parse_mapping("a: 1\nb: 2\na: 3\nb: 4\n", "YAML")
    assert [(p.field, p.kw["first"], p.kw["second"]) for p in e.value.problems] == [("a", 1, 3), ("b", 2, 4)]


def test_yaml_merge_keys_are_not_duplicates():
    assert parse_mapping("base: &b {x: 1}\nother:\n  <<: *b\n  x: 2\n", "YAML")["other"] == {"x": 2}


def test_yaml_dates_stay_text():
    assert parse_mapping("date: 2024-05-30\n", "YAML") == {"date": "2024-05-30"}


def test_alias_bomb_is_cheap():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    start = time.perf_counter()
    for text in (bomb, bomb.replace("i: &i", "body: &i")):      # 9^9 nodes once expanded: refused
        with pytest.raises(InputError) as e:                     # while loading (issue 13)
            parse_mapping(text, "YAML")
        assert e.value.problems[0].code == "file-expanded"
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("content,code,field", [
    ('{"type": "external", "type": "memo"}', "duplicate-key-json", "type"),
    ('{"signer": {"name": "a", "name": "b"}}', "duplicate-key-json", "signer.name"),
    ('{"type": "external",}', "file-syntax-at", "file"),
    ("[1, 2]", "not-mapping", "file"),
    ('{"number": ' + "9" * 5000 + "}", "file-syntax", "file"),
    ('{"body": ' + "[" * 100000 + "]" * 100000 + "}", "file-too-deep", "file"),
])
def test_bad_json_files(tmp_path, content, code, field):
    path = tmp_path / "letter.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_mapping(path)
    (problem,) = e.value.problems
    assert (problem.code, problem.field) == (code, field)


def test_json_letter_is_accepted(tmp_path):
    problems = problems_of(tmp_path, json.dumps(GOOD, ensure_ascii=False), "letter.json")
    assert not problems.errors


@pytest.mark.parametrize("name,code", [("letter.txt", "file-format"), ("letter", "file-format")])
def test_wrong_suffix(tmp_path, name, code):
    (tmp_path / name).write_text("a: 1")
    with pytest.raises(InputError) as e:
        read_mapping(tmp_path / name)
    assert e.value.problems[0].code == code


def test_missing_and_oversized_files(tmp_path):
    with pytest.raises(InputError) as e:
        read_mapping(tmp_path / "nope.yaml")
    assert e.value.problems[0].code == "file-missing"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"subject: " + b"x" * (MAX_BYTES + 10))
    with pytest.raises(InputError) as e:
        read_mapping(big)
    assert e.value.problems[0].code == "file-too-large"


@pytest.mark.parametrize("profile,code", [
    ("nope.yaml", "profile-missing"),
    ("profiles", "profile-missing"),                 # a folder
    ("https://example.go.th/profile.yaml", "profile-unsafe"),
    ("file:///etc/passwd", "profile-unsafe"),
    (["a"], "type"),
])
def test_bad_profile_reference(tmp_path, profile, code):
    problems = problems_of(tmp_path, {**GOOD, "profile": profile})
    assert [(p.field, p.code) for p in problems.errors] == [("profile", code)]


def test_profile_that_is_a_list_or_has_letter_fields(tmp_path):
    write_letter(tmp_path, "x: 1", "unused.yaml")
    (tmp_path / "profiles" / "list.yaml").write_text("- a\n", encoding="utf-8")
    problems = problems_of(tmp_path, {**GOOD, "profile": "profiles/list.yaml"})
    assert [(p.field, p.code) for p in problems.errors] == [("profile", "not-mapping")]
    text = (tmp_path / "profiles" / "opdc.yaml").read_text(encoding="utf-8")
    (tmp_path / "profiles" / "bad.yaml").write_text(text + "subject: x\nagencyy: y\n", encoding="utf-8")
    problems = problems_of(tmp_path, {**GOOD, "profile": "profiles/bad.yaml"})
    by_field = {p.field: p for p in problems.errors}
    assert "letter file" in by_field["profile.subject"].en
    assert "did you mean 'agency'" in by_field["profile.agencyy"].en


# --- field level -----------------------------------------------------------------------------

def deep_items(levels):
    item = {"text": "x"}
    for _ in range(levels - 1):
        item = {"text": "x", "items": [item]}
    return [{"items": [item]}]


ERRORS = [
    ("missing subject", {"subject": None}, "subject", "required"),
    ("missing to", {"to": ""}, "to", "required"),
    ("missing type", {"type": None}, "type", "required"),
    ("unknown type", {"type": "letter"}, "type", "choice"),
    ("type is a list", {"type": ["external"]}, "type", "type"),
    ("typo", {"subjet": "x"}, "subjet", "unknown-field-suggest"),
    ("list for text", {"subject": ["a", "b"]}, "subject", "type"),
    ("mapping for text", {"to": {"a": 1}}, "to", "type"),
    ("bool for text", {"subject": True}, "subject", "type"),
    ("text for items list", {"body": [{"items": "abc"}]}, "body[1].items", "type"),
    ("mapping for list", {"copies_to": {"a": 1}}, "copies_to", "type"),
    ("mapping for body", {"body": {"a": 1}}, "body", "type"),
    ("list for signer", {"signer": ["a"]}, "signer", "type"),
    ("number for circular", {"circular": 1}, "circular", "type"),
    ("text for circular", {"circular": "yes"}, "circular", "type"),
    ("bad ISO date", {"date": "2024-13-01"}, "date", "date-impossible"),
    ("31 February", {"date": "31 กุมภาพันธ์ 2567"}, "date", "date-impossible"),
    ("29 February 2566", {"date": "29 กุมภาพันธ์ 2566"}, "date", "date-impossible"),
    ("unreadable date", {"date": "พรุ่งนี้"}, "date", "date-unreadable"),
    ("unknown month", {"date": "1 Jan 2567"}, "date", "date-month"),
    ("list date", {"date": ["x"]}, "date", "type"),
    ("unknown urgency", {"urgency": "ด่วนๆ"}, "urgency", "choice"),
    ("unknown secrecy", {"secrecy": "ปกปิด"}, "secrecy", "choice"),
    ("emblem http", {"emblem": "http://example.go.th/garuda.png"}, "emblem", "path-unsafe"),
    ("emblem file url", {"emblem": "file:///etc/passwd"}, "emblem", "path-unsafe"),
    ("emblem ../", {"emblem": "../garuda.png"}, "emblem", "path-unsafe"),
    ("emblem absolute", {"emblem": "/etc/passwd"}, "emblem", "path-unsafe"),
    ("emblem missing file", {"emblem": "garuda.png"}, "emblem", "emblem-notfound"),
    ("emblem not an image", {"emblem": "letter.yaml"}, "emblem", "emblem-format"),
    ("emblem list", {"emblem": ["a"]}, "emblem", "type"),
    ("emblem name too long", {"emblem": "x" * 5000 + ".png"}, "emblem", "emblem-notfound"),
    ("emblem NUL", {"emblem": "a\x00.png"}, "emblem", "char-control"),      # refused before any file is looked up
    ("empty body", {"body": []}, "body", "required"),
    ("blank body", {"body": ""}, "body", "required"),
    ("blank paragraph", {"body": ["ok", ""]}, "body[2]", "required"),
    ("2,000-character subject", {"subject": "ก" * 2000}, "subject", "too-long"),
    ("items 4 levels deep", {"body": deep_items(4)}, "body[1].items[1].items[1].items[1].items", "too-deep"),
    ("item without text", {"body": ["a", "b", {"items": ["x", {"items": []}]}]}, "body[3].items[2].text", "required"),
    ("item typo", {"body": [{"items": [{"txt": "a"}]}]}, "body[1].items[1].txt", "unknown-field-suggest"),
    ("items list missing", {"body": [{"start": 3}]}, "body[1].items", "required"),
    ("bad start", {"body": [{"start": 0, "items": ["a"]}]}, "body[1].start", "number-range"),
    ("negative number", {"number": -1}, "number", "number-range"),
    ("huge number", {"number": 10 ** 30}, "number", "number-range"),
    ("text number", {"number": "๗๔ก"}, "number", "number-range"),      # "๗๔"/"74" are accepted (test_address.py)
    ("zero text number", {"number": "0"}, "number", "number-range"),
    ("negative text number", {"number": "-3"}, "number", "number-range"),
    ("fraction number", {"number": 7.5}, "number", "number-range"),
    ("bool number", {"number": True}, "number", "number-range"),
    ("royal addressee", {"to": "พระบาทสมเด็จพระเจ้าอยู่หัว"}, "to", "royal-by-hand"),
    ("unlisted สมเด็จพระ", {"to": "สมเด็จพระใครก็ไม่รู้"}, "to", "royal-title-unlisted"),
    ("salutation contradicts the table", {"salutation": "กราบเรียน"}, "salutation", "salutation-contradicts"),
    ("closing contradicts the table", {"closing": "ด้วยความเคารพ"}, "closing", "closing-contradicts"),
    ("override not true/false", {"salutation_override": "yes"}, "salutation_override", "type"),
    ("acting without principal", {"signer": {"name": "นายก ข", "position": "รองอธิบดี",
                                             "acting": "ปฏิบัติราชการแทน"}}, "signer.principal", "acting-principal"),
    ("principal without acting", {"signer": {"name": "นายก ข", "position": "รองอธิบดี",
                                             "principal": "อธิบดี"}}, "signer.acting", "principal-without-acting"),
    ("unknown acting form", {"signer": {"name": "นายก ข", "position": "รองอธิบดี", "acting": "แทน",
                                        "principal": "อธิบดี"}}, "signer.acting", "choice"),
    ("signer typo", {"signer": {"name": "นายก ข", "postion": "x"}}, "signer.postion", "unknown-field-suggest"),
    ("signer name only parentheses", {"signer": {"name": "()", "position": "x"}}, "signer.name", "required"),
    ("signer without position", {"signer": {"name": "นายก ข"}}, "signer.position", "required"),
    ("reference date", {"references": [{"agency": "ก", "number": "นร 1/1", "date": "2024-05-01"},
                                       {"agency": "ก", "number": "นร 1/2", "date": "2024-02-30"}]},
     "references[2].date", "date-impossible"),
    ("reference without agency", {"references": [{"number": "1", "date": "2024-05-01"}]},
     "references[1].agency", "required"),
    ("reference urgency", {"references": [{"agency": "ก", "number": "1", "date": "2024-05-01",
                                           "urgency": "ด่วนๆ"}]}, "references[1].urgency", "choice"),
    ("bad salutation word", {"salutation": "สวัสดี"}, "salutation", "choice"),
    ("layout text", {"layout": "big"}, "layout", "type"),
    ("layout value", {"layout": {"margin": {"left": -5}}}, "layout.margin.left", "layout-value"),
    ("digits", {"digits": "roman"}, "digits", "choice"),
]


@pytest.mark.parametrize("name,change,field,code", ERRORS, ids=[e[0] for e in ERRORS])
def test_field_errors(tmp_path, name, change, field, code):
    letter = {**GOOD, **change}
    letter = {k: v for k, v in letter.items() if v is not None or k not in GOOD or k in change}
    problems = problems_of(tmp_path, letter)
    hits = [p for p in problems.errors if p.field == field]
    assert hits, [str(p) for p in problems.items]
    assert code in {p.code for p in hits}
    for p in hits:
        assert THAI.search(p.th) and p.en and p.field in str(p)


def test_unknown_field_suggests(tmp_path):
    (p,) = [p for p in problems_of(tmp_path, {**GOOD, "subjet": "x"}).errors]
    assert "did you mean 'subject'" in p.en and "หมายถึง 'subject'" in p.th


def test_recipient_is_not_a_letter_field(tmp_path):
    """Batch fills {{ recipient.* }} placeholders before validation; a `recipient:` key is a typo."""
    (p,) = problems_of(tmp_path, {**GOOD, "recipient": {"position": "x"}}).errors
    assert p.field == "recipient" and p.code in ("unknown-field", "unknown-field-suggest")


WARNINGS = [
    ("script tag", {"subject": "<script>alert(1)</script>"}, "subject", "markup"),
    ("docx xml", {"body": ["ก</w:t><w:t>ข"]}, "body[1]", "markup"),
    ("html entity", {"to": "ก&amp;ข"}, "to", "markup"),
    ("url in text", {"body": ["ดู http://evil.example/x"]}, "body[1]", "url-in-text"),
    ("file url in text", {"enclosures": ["file:///etc/passwd"]}, "enclosures[1]", "url-in-text"),
    ("path in text", {"body": ["ดูไฟล์ ../../secret.txt"]}, "body[1]", "path-in-text"),
    ("zero width", {"subject": "ทด\u200bสอบ"}, "subject", "invisible"),
    ("rtl override", {"signer": {"name": "นาย\u202eก ข", "position": "x"}}, "signer.name", "invisible"),
    ("sara am", {"subject": "การด\u0e4d\u0e32เนินงาน"}, "subject", "sara-am"),
    ("salutation override", {"salutation": "กราบเรียน", "salutation_override": True}, "salutation", "salutation-mismatch"),
    ("closing override", {"closing": "ด้วยความเคารพ", "salutation_override": True}, "closing", "closing-mismatch"),
    ("purpose verb", {"purpose": "จึงกราบเรียนมาเพื่อโปรดทราบ"}, "purpose", "purpose-mismatch"),
    ("purpose verb to a monk", {"to": "พระครูสมุห์สมชาย", "purpose": "จึงเรียนมาเพื่อโปรดทราบ"},
     "purpose", "purpose-mismatch"),
    ("untitled name after a กราบเรียน position", {"to": "นายกรัฐมนตรี สมมุติ"}, "to", "to-near-position"),
    ("non-name before a กราบเรียน position", {"to": "ที่ปรึกษา นายกรัฐมนตรี"}, "to", "to-ends-with-position"),
    ("long subject", {"subject": "ก" * 200}, "subject", "long"),
    ("no number", {"number": None}, "number", "draft-number"),
    ("far date", {"date": "2020-01-01"}, "date", "date-far"),
    ("B.E. in ISO", {"date": "2567-05-30"}, "date", "date-be-as-ce"),
    ("C.E. in Thai", {"date": "30 พฤษภาคม 2024"}, "date", "date-ce-as-be"),
]


@pytest.mark.parametrize("name,change,field,code", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_field_warnings(tmp_path, name, change, field, code):
    letter = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    problems = problems_of(tmp_path, letter)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert code in {p.code for p in problems.warnings if p.field == field}, [str(p) for p in problems.items]


def test_markup_and_urls_are_kept_as_literal_text(tmp_path):
    text = "<script>alert(1)</script> & </w:t> &amp; {{ 7*7 }} http://x.example/a"
    path = write_letter(tmp_path, yaml.safe_dump({**GOOD, "subject": text[:100], "body": [text]},
                                                 allow_unicode=True))
    letter, problems = api.load(path, today=TODAY)
    assert letter is not None and letter.body == [text] and letter.subject == text[:100]
    assert "&" in compose.compose(letter).subject


def test_invisible_and_sara_am_are_normalised(tmp_path):
    path = write_letter(tmp_path, yaml.safe_dump(
        {**GOOD, "subject": "ทด\u200bสอบ\u202e การด\u0e4d\u0e32เนินงาน"}, allow_unicode=True))
    letter, _ = api.load(path, today=TODAY)
    assert letter.subject == "ทดสอบ การดำเนินงาน"


def test_forty_page_body_validates_quickly(tmp_path):
    para = "สำนักงาน ก.พ.ร. ขอเรียนว่า ได้ดำเนินการร่วมกับส่วนราชการเจ้าภาพหลักแล้ว " * 6
    body = []
    for i in range(40):
        body += [para] * 6 + [{"items": [{"text": para, "items": [para, {"text": para, "items": [para]}]}]}]
    start = time.perf_counter()
    problems = problems_of(tmp_path, {**GOOD, "body": body})
    assert not problems.errors
    assert time.perf_counter() - start < 5


# --- never a traceback: random junk in every field ------------------------------------------

JUNK = [None, "", " ", 0, -1, 7.5, True, [], {}, [None], [[]], {"a": 1}, "x" * 25000,
        "<b>&amp;</w:t>", "\u202e\u200b", [{"items": 5}], [{"items": [{"items": [[]]}]}],
        {"name": None}, {"name": "()", "position": [1, None]}, "2024-02-30", "31 กุมภาพันธ์ 2567",
        ["ก", {"items": ["ข", {"text": "ค", "items": ["ง", {"text": "จ", "items": ["ฉ"]}]}]}],
        [{"agency": [], "number": {}, "date": 5}], "../x.png", "http://x", dt.date(2024, 1, 1)]


@pytest.mark.parametrize("seed", range(6))
def test_random_junk_never_raises(seed):
    rng = random.Random(seed)
    keys = sorted(model.LETTER_FIELDS | {"bogus"})
    base = copy.deepcopy({**GOOD, "profile": None,
                          "signer": {"name": "นายก ข", "position": "x"}, "agency": "ก",
                          "ref_prefix": "นร 1", "sender": ["ก"], "owner_unit": ["ก"]})
    for _ in range(150):
        letter = copy.deepcopy(base)
        for key in rng.sample(keys, rng.randint(1, 4)):
            letter[key] = copy.deepcopy(rng.choice(JUNK))
        if rng.random() < 0.3:
            letter["signer"] = {k: copy.deepcopy(rng.choice(JUNK)) for k in
                                rng.sample(sorted(model.SIGNER_FIELDS), rng.randint(1, 4))}
        letter.pop("profile", None)
        result, problems = model.validate(letter, {}, None, today=TODAY)
        assert (result is None) == bool(problems.errors)
        for p in problems.items:
            assert p.th and p.en and p.field
        if result is not None:
            compose.compose(result)


@pytest.mark.parametrize("layout,field", [
    ({"marks": {"color": "red; } .para { display: none } .x {"}}, "layout.marks.color"),   # CSS injection
    ({"marks": {"color": "red"}}, "layout.marks.color"),                                  # DOCX needs #RRGGBB
    ({"font": {"family": 'x"; } body { display: none } p {'}}, "layout.font.family"),
    ({"emblem": {"external": {"align": "middle"}}}, "layout.emblem.external.align"),
    ({"marks": {"color": ["#FF0000"]}}, "layout.marks.color"),
])
def test_layout_text_values_cannot_inject(tmp_path, layout, field):
    """Text values of `layout:` reach the PDF's CSS and the DOCX styles: only fixed shapes pass."""
    (p,) = problems_of(tmp_path, {**GOOD, "layout": layout}).errors
    assert (p.field, p.code) == (field, "layout-text")
    assert "e.g." in p.en or "|" in p.en


def test_layout_text_values_in_their_shape_are_used(tmp_path):
    assert not problems_of(tmp_path, {**GOOD, "layout": {"marks": {"color": "#CC0000"}}}).errors
