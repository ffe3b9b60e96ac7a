"""Issue 13, limits and text hygiene: hostile values reach the model, which answers with a
field-named bilingual problem, quickly, and never lets them through to compose or the
renderers (docgen/model.py, docgen/geometry.py, docgen/limits.py + data/limits.yaml,
docgen/thai/text.py, docgen/thai/digits.py, docgen/compose.py metadata, docgen/render/docx.py).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from docgen import api, compose, data, geometry, limits, model
from docgen.errors import InputError, Problems
from docgen.thai import digits as thai_digits
from tests.conftest import write_letter

TODAY = dt.date(2024, 6, 1)
THAI = re.compile(r"[\u0e01-\u0e5b]")
GOOD = {
    "type": "external", "profile": "profiles/opdc.yaml", "number": 74, "date": "2024-05-30",
    "subject": "ทดสอบ", "to": "เลขาธิการคณะรัฐมนตรี", "body": ["ข้อความ"], "purpose": "โปรดทราบ",
}
# characters no XML 1.0 text or attribute may hold (Word refuses the file), and the ones
# the issue forbids on top: C1 controls, non-characters
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def letter_file(tmp_path: Path, letter: dict, name: str = "letter.json") -> Path:
    """A JSON letter (its \\u escapes carry any code point, lone surrogates included)."""
    return write_letter(tmp_path, json.dumps(letter, ensure_ascii=True), name)


def check(tmp_path: Path, letter: dict) -> Problems:
    return api.check(letter_file(tmp_path, letter), today=TODAY)


def assert_printable(problems: Problems) -> None:
    """Every message is bilingual and can be printed (a lone surrogate in a message is a
    UnicodeEncodeError in the CLI)."""
    for p in problems.items:
        assert THAI.search(p.th) and re.search(r"[A-Za-z]{3}", p.en), str(p)
        str(p).encode("utf-8")
        p.field.encode("utf-8")


def errors_at(problems: Problems, field: str) -> list:
    return [p for p in problems.errors if p.field == field]


# --- 1. one limit table ---------------------------------------------------------------------

def _deep_items(levels: int):
    node = ["ข้อ"]
    for _ in range(levels - 1):
        node = [{"text": "ข้อ", "items": node}]
    return [{"items": node}]


# (limit key, the value to set it to, change to the letter beyond it, field, code)
LIMITED = [
    ("text.subject", 20, {"subject": "ก" * 21}, "subject", "too-long"),
    ("text.short", 20, {"to": "เลขาธิการคณะรัฐมนตรี" + "ก" * 10}, "to", "too-long"),
    ("text.field", 20, {"body": ["ก" * 21]}, "body[1]", "too-long"),
    ("text.line", 20, {"enclosures": ["ก" * 21]}, "enclosures[1]", "too-long"),
    ("text.contact", 5, {"phone": "0 2356 9999"}, "phone", "too-long"),
    ("text.purpose", 5, {"purpose": "โปรดพิจารณา"}, "purpose", "too-long"),
    ("text.agency", 5, {"agency": "สำนักงาน ก.พ.ร."}, "agency", "too-long"),
    ("text.short", 5, {"signer": {"name": "นางสาวสมหญิง ตัวอย่าง", "position": "x"}}, "signer.name", "too-long"),
    ("counts.list_entries", 3, {"copies_to": ["ก"] * 4}, "copies_to", "too-many"),
    ("counts.list_entries", 3, {"references": ["ก"] * 4}, "references", "too-many"),
    ("counts.body", 3, {"body": ["ก"] * 4}, "body", "too-many"),
    ("counts.item_levels", 2, {"body": _deep_items(3)}, "body[1].items[1].items[1].items", "too-deep"),
    ("counts.item_start", 5, {"body": [{"start": 6, "items": ["ก"]}]}, "body[1].start", "number-range"),
    ("number.max", 50, {"number": 74}, "number", "number-range"),
]


@pytest.mark.parametrize("key,value,change,field,code", LIMITED, ids=[f"{c[0]}-{c[3]}" for c in LIMITED])
def test_every_model_bound_is_read_from_the_limit_table(tmp_path, monkeypatch, key, value, change, field, code):
    """Lower one entry of data/limits.yaml: the model follows it (no second copy in code)."""
    assert check(tmp_path, {**GOOD, **change}).errors == [], "the letter is valid at the shipped limits"
    real = limits.get
    monkeypatch.setattr(limits, "get", lambda path: value if path == key else real(path))
    problems = check(tmp_path, {**GOOD, **change})
    assert code in {p.code for p in errors_at(problems, field)}, [str(p) for p in problems.items]
    assert_printable(problems)


def test_the_limit_table_holds_every_layout_range():
    for kind in ("mm", "page", "emblem_height", "pt", "gap_pt", "line_height", "gap_lines"):
        low, high = limits.get(f"layout.{kind}")
        assert 0 <= low < high
    assert limits.get("text.metadata") == 255          # python-docx's limit for a core property


def _nested(depth: int) -> list:
    node = ["x"]
    for _ in range(depth):
        node = [node]
    return node


def _shared(text: str, copies: int) -> list:
    """What a YAML alias chain gives the model: one object referenced many times."""
    return [text] * copies


@pytest.mark.parametrize("change,code", [
    ({"body": _shared("ก" * 19000, 2000)}, "letter-too-large"),               # 38 M characters
    ({"enclosures": _shared("ก" * 1900, 199), "copies_to": _shared("ก" * 1900, 199),
      "sender": _shared("ก" * 1900, 199)}, "letter-too-large"),              # 1.1 M, every list in bounds
    ({"register": list(range(300000))}, "letter-too-many"),                  # a field the model never reads
    ({"register": {"a": _nested(30)}}, "file-too-deep"),
])
def test_a_multiplied_letter_is_refused_quickly_by_the_model(change, code):
    """The input layer bounds YAML aliases; the model bounds the total again (an API caller,
    a batch placeholder or a profile can bring the same)."""
    start = time.perf_counter()
    letter, problems = model.validate({**GOOD, **change}, {}, None, today=TODAY)
    elapsed = time.perf_counter() - start
    assert letter is None and code in {p.code for p in problems.errors}, [str(p) for p in problems.errors]
    assert elapsed < 1.0, elapsed
    assert_printable(problems)


def test_the_forty_page_letter_is_within_the_total():
    para = "สำนักงาน ก.พ.ร. ขอเรียนว่า ได้ดำเนินการร่วมกับส่วนราชการเจ้าภาพหลักแล้ว " * 6
    body = [para] * 300
    _, problems = model.validate({**GOOD, "body": body, "agency": "ก", "ref_prefix": "นร 1",
                                  "sender": ["ก"], "signer": {"name": "นายก ข", "position": "x"}},
                                 {}, None, today=TODAY)
    assert not problems.errors, [str(p) for p in problems.errors]


# --- 2. text hygiene at the model boundary --------------------------------------------------

def _at(path: str, value) -> dict:
    """A change to GOOD that puts ``value`` at the text field ``path``."""
    signer = {"name": "นายก ข", "position": ["รองอธิบดี"]}
    ref = {"agency": "สำนักงบประมาณ", "number": "นร 0701/1", "date": "2024-05-01"}
    return {
        "subject": {"subject": value}, "to": {"to": value}, "purpose": {"purpose": value},
        "closing": {"closing": value}, "salutation": {"salutation": value},
        "urgency": {"urgency": value}, "secrecy": {"secrecy": value}, "digits": {"digits": value},
        "year_start": {"year_start": value}, "date": {"date": value}, "type": {"type": value},
        "agency": {"agency": value}, "ref_prefix": {"ref_prefix": value},
        "phone": {"phone": value}, "fax": {"fax": value}, "email": {"email": value},
        "body[2]": {"body": ["ก", value]},
        "body[1].items[1]": {"body": [{"items": [value]}]},
        "body[1].items[1].text": {"body": [{"items": [{"text": value}]}]},
        "body[1].items[1].items[1]": {"body": [{"items": [{"text": "ก", "items": [value]}]}]},
        "references[1]": {"references": [value]},
        "references[1].text": {"references": [{"text": value}]},
        "references[1].agency": {"references": [{**ref, "agency": value}]},
        "references[1].number": {"references": [{**ref, "number": value}]},
        "references[1].urgency": {"references": [{**ref, "urgency": value}]},
        "references[1].date": {"references": [{**ref, "date": value}]},
        "enclosures[1]": {"enclosures": [value]}, "copies_to[2]": {"copies_to": ["ก", value]},
        "sender[1]": {"sender": [value]}, "owner_unit[1]": {"owner_unit": [value]},
        "signer.name": {"signer": {**signer, "name": value}},
        "signer.position[1]": {"signer": {**signer, "position": [value]}},
        "signer.acting": {"signer": {**signer, "acting": value, "principal": "อธิบดี"}},
        "signer.principal": {"signer": {**signer, "acting": "ปฏิบัติราชการแทน", "principal": value}},
    }[path]


TEXT_FIELDS = ["subject", "to", "purpose", "closing", "salutation", "urgency", "secrecy", "digits",
               "year_start", "date", "type", "agency", "ref_prefix", "phone", "fax", "email", "body[2]",
               "body[1].items[1]", "body[1].items[1].text", "body[1].items[1].items[1]", "references[1]",
               "references[1].text", "references[1].agency", "references[1].number",
               "references[1].urgency", "references[1].date", "enclosures[1]", "copies_to[2]",
               "sender[1]", "owner_unit[1]", "signer.name", "signer.position[1]", "signer.acting",
               "signer.principal"]
MULTILINE = {"body[2]", "body[1].items[1]", "body[1].items[1].text", "body[1].items[1].items[1]"}
# (character, code): each class, cycled over the fields so that every field meets several
BAD_CHARS = [("\ud800", "char-surrogate"), ("\udfff", "char-surrogate"), ("\uffff", "char-noncharacter"),
             ("\ufdd0", "char-noncharacter"), ("\U0010fffe", "char-noncharacter"), ("\x00", "char-control"),
             ("\x07", "char-control"), ("\x1b", "char-control"), ("\x7f", "char-control"),
             ("\x85", "char-control"), ("\x9f", "char-control"), ("\x0c", "char-control")]
CASES = [(f, *BAD_CHARS[(i * 5 + k) % len(BAD_CHARS)]) for i, f in enumerate(TEXT_FIELDS) for k in range(3)]


@pytest.mark.parametrize("field,char,code", CASES, ids=[f"{f}-U+{ord(c):04X}" for f, c, _ in CASES])
def test_a_forbidden_character_in_any_text_field_is_an_error_naming_field_and_position(tmp_path, field, char, code):
    problems = check(tmp_path, {**GOOD, **_at(field, "ทดสอบ" + char + "ข")})
    hits = errors_at(problems, field)
    assert [p.code for p in hits] == [code], [str(p) for p in problems.items]
    assert hits[0].kw["position"] == 6 and hits[0].kw["char"] == f"U+{ord(char):04X}"
    assert f"U+{ord(char):04X}" in hits[0].th and "position 6" in hits[0].en
    assert_printable(problems)


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("char,code", [("\n", "char-line-break"), ("\t", "char-tab"), ("\r", "char-line-break")])
def test_tab_and_line_break_only_where_a_field_allows_them(tmp_path, field, char, code):
    problems = check(tmp_path, {**GOOD, **_at(field, "ทดสอบ" + char + "ข")})
    got = [p.code for p in errors_at(problems, field)]
    if field in MULTILINE:
        assert not any(c.startswith("char-") for c in got), [str(p) for p in problems.items]
    else:
        assert got == [code], [str(p) for p in problems.items]


def test_a_line_break_around_a_one_line_field_is_not_an_error(tmp_path):
    """`subject: >` (a YAML folded scalar) ends with a line break: it is trimmed as before."""
    letter, problems = api.load(letter_file(tmp_path, {**GOOD, "subject": "ทดสอบ\n", "to": "\tเลขาธิการคณะรัฐมนตรี\r\n"}),
                                today=TODAY)
    assert not problems.errors and letter.subject == "ทดสอบ" and letter.to == "เลขาธิการคณะรัฐมนตรี"


@settings(derandomize=True, max_examples=40, deadline=None)
@given(field=st.sampled_from(TEXT_FIELDS), char=st.sampled_from([c for c, _ in BAD_CHARS]),
       before=st.text(alphabet="กขค abc123", max_size=12), after=st.text(alphabet="กขค abc", max_size=5))
def test_the_position_is_where_the_character_is(field, char, before, after):
    value = "ก" + before + char + after
    _, problems = model.validate({**GOOD, "agency": "ก", "ref_prefix": "นร 1", "sender": ["ก"],
                                  "signer": {"name": "นายก ข", "position": "x"}, **_at(field, value)},
                                 {}, None, today=TODAY)
    (hit,) = [p for p in problems.errors if p.field == field and p.code.startswith("char-")]
    assert hit.kw["position"] == len(before) + 2 and hit.kw["count"] == 1


def test_forbidden_characters_in_keys_and_unread_values_are_errors_that_print(tmp_path):
    problems = check(tmp_path, {**GOOD, "x\ud800": 1, "signer": {"name": "นายก ข", "position": "x",
                                                                "n\x1bme": "y"},
                                "register": "sqlite:///x\x07.db", "profile": "profiles/opdc.yaml"})
    fields = {(p.field, p.code) for p in problems.errors}
    assert ("x\\uD800", "unknown-field") in fields and ("signer.n\\u001Bme", "unknown-field") in fields
    assert ("register", "unknown-field") in fields       # office-only: a letter may not set it
    assert_printable(problems)


def test_the_profile_passes_the_same_hygiene(tmp_path):
    profile = yaml.safe_load((data.ROOT / "examples" / "profiles" / "opdc.yaml").read_text(encoding="utf-8"))
    write_letter(tmp_path, "x: 1\n")          # copies the example profiles
    bad = {**profile, "agency": "สำนักงาน\x08 ก.พ.ร.", "sender": ["ก", "ข\uffff"],
           "register": "sqlite:///x\x01.db", "signer": {"name": "นาย\ud800ก", "position": "x"}}
    (tmp_path / "profiles" / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    problems = check(tmp_path, {**GOOD, "profile": "profiles/bad.json"})
    fields = {(p.field, p.code) for p in problems.errors}
    assert {("agency", "char-control"), ("sender[2]", "char-noncharacter"), ("register", "char-control"),
            ("signer.name", "char-surrogate")} <= fields, fields
    assert_printable(problems)


def test_values_echoed_in_messages_never_carry_a_forbidden_character(tmp_path):
    problems = check(tmp_path, {**GOOD, "number": "7\ud8004", "type": "x\ud800", "urgency": "ด่วน\ud800",
                                "body": [{"start": "\ud800", "items": ["ก"]}], "circular": "x\ud800",
                                "salutation_override": "\udfff", "layout": {"x\ud800": 1}, "emblem": "a\ud800.png"})
    assert {"number", "type", "urgency", "body[1].start", "circular", "salutation_override",
            "layout.x\\uD800", "emblem"} <= {p.field for p in problems.errors}
    assert_printable(problems)


def test_check_on_the_command_line_prints_a_surrogate_error_and_exits_1(tmp_path):
    path = letter_file(tmp_path, {**GOOD, "subject": "ก\ud800", "x\ud800y": 1})
    r = subprocess.run([sys.executable, "-m", "docgen", "check", str(path)], capture_output=True,
                       text=True, cwd=tmp_path, timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "U+D800" in r.stdout + r.stderr


def _docx_strings(path: Path):
    """Every attribute value and text of every XML part of a DOCX."""
    from lxml import etree
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(z.read(name))
                for el in root.iter():
                    if isinstance(el.tag, str):
                        yield name, el.tag, el.text or ""
                        yield name, el.tag, el.tail or ""
                        for k, v in el.attrib.items():
                            yield name, k, v


def test_allowed_unusual_text_renders_and_every_docx_string_is_xml_text(tmp_path):
    """What the model lets through is printable: tabs and line breaks in the body, bidi
    overrides and invisible characters (removed with a warning), emoji, private use."""
    import docx
    import pikepdf
    letter = {**GOOD, "subject": "ทดสอบ \u202eRLO\u202c \U0001F600 \ue000 & <b>",
              "body": ["ย่อหน้า\tมีแท็บ\nและขึ้นบรรทัด\r\nใหม่", {"items": ["ข้อ\u200bหนึ่ง", {"text": "ข้อสอง\n", "items": ["ก"]}]}],
              "layout": {"font": {"family": "TH SarabunPSK"}, "marks": {"color": "#CC0000"}},
              "urgency": "ด่วน"}
    result = api.render_file(letter_file(tmp_path, letter), tmp_path / "out", formats=("pdf", "docx"), today=TODAY)
    for name, where, text in _docx_strings(result.paths["docx"]):
        assert not XML_BAD.search(text), (name, where, text)
    docx.Document(result.paths["docx"])
    with pikepdf.open(result.paths["pdf"]) as pdf:
        assert len(pdf.pages) >= 1


# --- 3. layout values ------------------------------------------------------------------------

LAYOUT = [
    ("nan margin", "margin:\n    left: .nan", "layout.margin.left", "layout-value"),
    ("inf margin", "margin:\n    left: .inf", "layout.margin.left", "layout-range"),
    ("-inf margin", "margin:\n    left: -.inf", "layout.margin.left", "layout-value"),
    ("10**300 margin", f"margin:\n    left: {10 ** 300}", "layout.margin.left", "layout-range"),
    ("1e300 mm page", "page:\n    width: 1.0e+300", "layout.page.width", "layout-range"),
    ("tiny font", "font:\n    size_pt: 1.0e-300", "layout.font.size_pt", "layout-range"),
    ("tiny length", "body:\n    item_step: 1.0e-300", "layout.body.item_step", "layout-range"),
    ("huge font", "font:\n    size_pt: 5000", "layout.font.size_pt", "layout-range"),
    ("negative", "margin:\n    top: -5", "layout.margin.top", "layout-value"),
    ("zero", "margin:\n    top: 0", "layout.margin.top", "layout-value"),
    ("bool", "margin:\n    top: true", "layout.margin.top", "layout-value"),
    ("text", "margin:\n    top: '25'", "layout.margin.top", "layout-value"),
    ("line height", "line_height: 100", "layout.line_height", "layout-range"),
    ("gap lines huge", "signature:\n    gap_lines: 1000000", "layout.signature.gap_lines", "layout-count"),
    ("gap lines fraction", "signature:\n    gap_lines: 2.5", "layout.signature.gap_lines", "layout-count"),
    ("gap lines 10**300", f"signature:\n    gap_lines: {10 ** 300}", "layout.signature.gap_lines", "layout-count"),
    ("emblem 3000 mm", "emblem:\n    external: {height: 3000}", "layout.emblem.external.height", "layout-range"),
    ("emblem off the page", "emblem:\n    external: {top: 200, height: 90}", "layout.emblem.external.height", "layout-fit"),
    ("margins across", "margin: {left: 150, right: 40}", "layout.margin.left", "layout-text-area"),
    ("margins down", "margin: {top: 150, bottom: 120}", "layout.margin.top", "layout-text-area"),
    ("sender_x past the text", "header:\n    sender_x: 400", "layout.header.sender_x", "layout-fit"),
    ("signature past the text", "signature:\n    width: 300", "layout.signature.width", "layout-fit"),
    ("item steps past the text", "body:\n    item_step: 60", "layout.body.item_step", "layout-fit"),
    ("signature space", "font:\n    size_pt: 40\nline_height: 2\nsignature:\n    gap_lines: 20",
     "layout.signature.gap_lines", "layout-fit"),
    ("page number low", "page_number:\n    top: 200", "layout.page_number.top", "layout-fit"),
    ("family newline", 'font:\n    family: "TH SarabunPSK\\n"', "layout.font.family", "layout-text"),
    ("colour newline", 'marks:\n    color: "#FF0000\\n"', "layout.marks.color", "layout-text"),
    ("align newline", 'emblem:\n    memo: {align: "left\\n"}', "layout.emblem.memo.align", "layout-text"),
    ("family control", 'font:\n    family: "TH\\x01Sarabun"', "layout.font.family", "layout-text"),
]


@pytest.mark.parametrize("name,yaml_layout,field,code", LAYOUT, ids=[c[0] for c in LAYOUT])
def test_a_layout_value_outside_its_range_is_a_field_named_error(tmp_path, name, yaml_layout, field, code):
    text = yaml.safe_dump({k: v for k, v in GOOD.items()}, allow_unicode=True)
    text += "layout:\n  " + yaml_layout.replace("\n", "\n  ") + "\n"
    start = time.perf_counter()
    problems = api.check(write_letter(tmp_path, text), today=TODAY)
    assert time.perf_counter() - start < 2
    assert code in {p.code for p in errors_at(problems, field)}, [str(p) for p in problems.items]
    assert_printable(problems)
    with pytest.raises(InputError):
        api.render_file(write_letter(tmp_path, text), tmp_path / "out", today=TODAY)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_shipped_layout_is_within_the_table():
    problems = Problems()
    geometry.build(copy.deepcopy(data.load("layout")), problems)
    assert not problems.items, [str(p) for p in problems.items]


_IN_RANGE = st.fixed_dictionaries({}, optional={
    "margin": st.fixed_dictionaries({}, optional={k: st.floats(0.5, 60) for k in ("left", "right", "top", "bottom")}),
    "font": st.fixed_dictionaries({}, optional={"size_pt": st.floats(4, 40)}),
    "line_height": st.floats(0.8, 3),
    "signature": st.fixed_dictionaries({}, optional={"gap_lines": st.integers(0, 20), "axis_x": st.floats(0.5, 150)}),
    "emblem": st.fixed_dictionaries({}, optional={"external": st.fixed_dictionaries({}, optional={
        "height": st.floats(3, 100), "top": st.floats(0.5, 40)})}),
    "block_gap_pt": st.floats(0.5, 72),
})


@settings(derandomize=True, max_examples=6, deadline=None)
@given(layout=_IN_RANGE)
def test_a_layout_the_model_accepts_renders_both_formats_with_pages(tmp_path_factory, layout):
    """Anything geometry.build accepts renders: a PDF with pages and a DOCX that opens."""
    import docx
    import pikepdf
    problems = Problems()
    geometry.build(layout, problems)
    for p in problems.items:
        assert p.field.startswith("layout.") and p.code.startswith("layout-"), str(p)
    if problems.errors:
        return
    tmp = tmp_path_factory.mktemp("layout")
    result = api.render_file(letter_file(tmp, {**GOOD, "layout": layout}), tmp / "out", today=TODAY)
    with pikepdf.open(result.paths["pdf"]) as pdf:
        assert len(pdf.pages) >= 1
    docx.Document(result.paths["docx"])


@pytest.mark.parametrize("layout", [
    {"signature": {"gap_lines": 20}},
    {"emblem": {"external": {"height": 100, "top": 40}}},
    {"font": {"size_pt": 4}, "line_height": 0.8, "block_gap_pt": 0.5},
    {"page": {"width": 600, "height": 600}, "margin": {"left": 0.5, "right": 0.5, "top": 0.5, "bottom": 0.5}},
])
def test_the_ends_of_the_ranges_render_quickly(tmp_path, layout):
    """The former hangs at the top of their new ranges: seconds, not minutes or gigabytes."""
    start = time.perf_counter()
    result = api.render_file(letter_file(tmp_path, {**GOOD, "layout": layout}), tmp_path / "out", today=TODAY)
    assert time.perf_counter() - start < 15
    assert result.paths["pdf"].stat().st_size > 1000 and result.paths["docx"].stat().st_size > 1000


# --- 4. localize_digits is linear ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a" * 20000, "a" * 20000 + "1", "ก" * 20000 + "1", "1" * 20000, "a-" * 10000 + "1", "a." * 10000 + "@1",
    "_" * 20000 + "1", "a@" + "b" * 20000 + "1", "x1-" * 7000, "ตัวชี้วัด 2567 COVID-19 a@b.com " * 2000,
], ids=lambda t: f"{t[:6]!r}x{len(t)}")
def test_localize_digits_is_linear(text):
    start = time.perf_counter()
    thai_digits.localize_digits(text)
    assert time.perf_counter() - start < 0.5


def _reference_localize(text: str) -> str:
    """The former implementation: ``_KEEP.finditer`` (quadratic, exact)."""
    out, pos = [], 0
    for m in thai_digits._KEEP.finditer(text):
        out.append(thai_digits.to_thai_digits(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(thai_digits.to_thai_digits(text[pos:]))
    return "".join(out)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(st.text(alphabet="aZ19ก_.+-@/: wht pfั", max_size=24)
       | st.builds(lambda a, b: a + b, st.sampled_from(["http://", "www.", "ftp://", "a@b.c", "COVID-"]),
                   st.text(alphabet="aZ19ก_.+-@/: ", max_size=16)))
def test_localize_digits_keeps_what_the_former_rule_kept(text):
    assert thai_digits.localize_digits(text) == _reference_localize(text)


# --- 5. wrong shapes are field-named errors, never a crash later ------------------------------

SHAPES = [
    ({"references": [{}]}, "references[1].agency", "required"),
    ({"references": [{"agency": None}]}, "references[1].agency", "required"),
    ({"references": [{"text": " "}]}, "references[1].text", "required"),
    ({"references": [{"text": "\u200b"}]}, "references[1].text", "required"),
    ({"references": [{"text": ["a"]}]}, "references[1].text", "type"),
    ({"references": ["ก", {}, ["x"], None]}, "references[3]", "type"),
    ({"references": ["ก", {}, ["x"], None]}, "references[4]", "required"),
    ({"references": [{"agency": [], "number": {}, "date": 5}]}, "references[1].agency", "type"),
    ({"references": {"agency": None}}, "references[1].agency", "required"),
    ({"signer": ["นายก ข", "x"]}, "signer", "type"),
    ({"signer": "นายก ข"}, "signer", "type"),
    ({"signer": {"name": "นายก ข", "position": {"a": 1}}}, "signer.position", "type"),
    ({"signer": {"name": "นายก ข", "position": [None]}}, "signer.position", "required"),
    ({"signer": {"name": "นายก ข", "position": [" ", "\u200b"]}}, "signer.position", "required"),
    ({"signer": {"name": "นายก ข", "position": [["x"]]}}, "signer.position[1]", "type"),
    ({"signer": {"name": {"a": 1}, "position": "x"}}, "signer.name", "type"),
    ({"signer": {"name": "นายก ข", "position": "x", "acting": ["x"], "principal": "y"}}, "signer.acting", "type"),
    ({"body": [{"items": [{"text": {"a": 1}}]}]}, "body[1].items[1].text", "type"),
    ({"body": [{"items": [None]}]}, "body[1].items[1]", "required"),
    ({"body": [{"items": [[]]}]}, "body[1].items[1]", "type"),
    ({"body": [{"items": [True]}]}, "body[1].items[1]", "type"),
    ({"body": [{"items": "ก"}]}, "body[1].items", "type"),
    ({"body": [{"items": ["ก"], "start": "3"}]}, "body[1].start", "number-range"),
    ({"body": [{"items": ["ก"], "start": 2.5}]}, "body[1].start", "number-range"),
    ({"body": [{"items": ["ก"], "start": 10 ** 400}]}, "body[1].start", "number-range"),
    ({"body": [["ก"]]}, "body[1]", "type"),
    ({"body": [None]}, "body[1]", "required"),
    ({"body": [float("inf")]}, "body[1]", "type"),
    ({"body": {"a": 1}}, "body", "type"),
    ({"subject": ["a"]}, "subject", "type"),
    ({"subject": 10 ** 400}, "subject", "type"),
    ({"to": {"a": 1}}, "to", "type"),
    ({"sender": [None, " "]}, "sender", "required"),
    ({"copies_to": [{"a": 1}]}, "copies_to[1]", "type"),
    ({"enclosures": {"a": 1}}, "enclosures", "type"),
    ({"owner_unit": [["x"]]}, "owner_unit[1]", "type"),
    ({"number": [74]}, "number", "number-range"),
    ({"number": 10 ** 400}, "number", "number-range"),
    ({"date": {"a": 1}}, "date", "type"),
    ({"date": 10 ** 400}, "date", "type"),
    ({"layout": ["x"]}, "layout", "type"),
]


@pytest.mark.parametrize("change,field,code", SHAPES, ids=[f"{c[1]}-{c[2]}-{i}" for i, c in enumerate(SHAPES)])
def test_a_value_of_the_wrong_shape_is_a_field_named_error(tmp_path, change, field, code):
    letter = {**GOOD, "agency": "ก", "ref_prefix": "นร 1", "sender": ["ก"],
              "signer": {"name": "นายก ข", "position": "x"}, **change}
    result, problems = model.validate(letter, {}, None, today=TODAY)
    assert code in {p.code for p in errors_at(problems, field)}, [str(p) for p in problems.items]
    assert result is None
    assert_printable(problems)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(field=st.sampled_from(["references", "signer", "body", "enclosures", "copies_to", "sender", "subject",
                              "to", "number", "date", "purpose", "owner_unit", "phone"]),
       value=st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                          lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.sampled_from(["text", "items", "agency", "number", "date", "name",
                                                             "position", "start", "x"]), inner, max_size=3),
                          max_leaves=8))
def test_any_shape_in_any_field_is_an_error_or_composes(field, value):
    letter = {**GOOD, "agency": "ก", "ref_prefix": "นร 1", "sender": ["ก"],
              "signer": {"name": "นายก ข", "position": "x"}, field: value}
    result, problems = model.validate(letter, {}, None, today=TODAY)
    assert (result is None) == bool(problems.errors)
    for p in problems.items:
        assert p.field and p.th and p.en
        str(p).encode("utf-8")
    if result is not None:
        compose.compose(result)


# --- 6. document properties ------------------------------------------------------------------

def test_a_long_subject_cuts_the_metadata_never_the_letter(tmp_path):
    import docx
    import pikepdf
    subject = "แนวทางการจัดทำรายงานการประเมินตนเอง" * 8          # 288 characters (≤ text.subject)
    agency = "สำนักงานคณะกรรมการพัฒนาระบบราชการ" * 8             # 272 characters
    assert 255 < len(subject) <= limits.get("text.subject") and len(agency) <= limits.get("text.agency")
    result = api.render_file(letter_file(tmp_path, {**GOOD, "subject": subject, "agency": agency}),
                             tmp_path / "out", today=TODAY)
    core = docx.Document(result.paths["docx"]).core_properties
    for value in (core.title, core.subject, core.author, core.keywords):
        assert len(value) <= 255 and not XML_BAD.search(value)
    assert core.title.endswith("…") and subject.startswith(core.title[:-1])
    assert core.author.endswith("…") and agency.startswith(core.author[:-1])
    text = "".join(p.text for p in docx.Document(result.paths["docx"]).paragraphs)
    assert subject in text.replace("\u200b", "")
    assert result.composed.subject == subject                  # the printed subject is whole
    with pikepdf.open(result.paths["pdf"]) as pdf:
        assert len(pdf.pages) >= 1
        assert len(str(pdf.open_metadata().get("dc:title", ""))) <= 255


def test_metadata_text_is_one_clean_line():
    assert compose.metadata_text("ก\n\tข\x07ค" + "ง" * 300) == ("ก ขค" + "ง" * 250 + "…")
    assert compose.metadata_text("") == ""


# --- small units -----------------------------------------------------------------------------

def test_forbidden_char_finds_every_noncharacter():
    from docgen.thai.text import forbidden_char
    nonchars = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [chr(p << 16 | x) for p in range(17) for x in (0xFFFE, 0xFFFF)]
    assert len(nonchars) == 66
    assert all(forbidden_char("ก" + c) == (2, c, 1) for c in nonchars)
    assert forbidden_char("ก\ufffdข\ue000\U0001F600") is None     # replacement char, private use, emoji
