"""A document type is a declaration (issue 10, first slice): data/doctypes.yaml says which
fields each type requires, allows and forbids, and docgen/model.py reads it.  `type:` takes the
English key or the Thai name; the composed letter and the register keep the key.
"""
from __future__ import annotations

import ast
import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

import docgen
from docgen import api, cli, data, i18n, model
from docgen.compose import compose
from tests.conftest import EXAMPLES, pdftotext, write_letter

TODAY = dt.date(2024, 6, 1)
TYPES = data.doctypes()
ROOT = data.ROOT


def _example_of(key: str) -> Path:
    """The first bundled example of a type (every type ships one)."""
    for path in EXAMPLES:
        if data.doctype_key(yaml.safe_load(path.read_text(encoding="utf-8"))["type"]) == key:
            return path
    raise AssertionError(f"no example of type {key} in examples/")


def _profile_of(path: Path) -> dict:
    letter = yaml.safe_load(path.read_text(encoding="utf-8"))
    profile = yaml.safe_load((path.parent / letter["profile"]).read_text(encoding="utf-8"))
    profile.pop("emblem", None)
    return profile


def _merged(key: str) -> dict:
    """The type's example with the profile's fields that the type has written into the letter
    (no profile): removing a field removes it from both."""
    path = _example_of(key)
    letter = yaml.safe_load(path.read_text(encoding="utf-8"))
    letter.pop("profile")
    has = model.type_fields(key).has | model.FILE_FIELDS
    return {**{k: v for k, v in _profile_of(path).items() if k in has}, **letter}


def _validate(letter: dict, profile: dict | None = None):
    return model.validate(copy.deepcopy(letter), profile or {}, None, today=TODAY)


def _errors(problems, field: str) -> list:
    return [p for p in problems.errors if p.field == field]


def _declared(key: str) -> dict[str, set]:
    f = TYPES[key].get("fields") or {}
    return {part: set(f.get(part) or []) for part in ("required", "allowed", "forbidden")}


# A value for every document field, valid where the field belongs: a refusal below is the
# type's, never the value's (test_each_sample_is_valid_where_it_belongs).
SAMPLE = {
    "agency": "สำนักงาน ก.พ.ร.", "ref_prefix": "นร 1200", "sender": ["สำนักงาน ก.พ.ร.", "ถนนพิษณุโลก กทม. 10300"],
    "owner_unit": ["กองบริหารทรัพยากรบุคคล"], "phone": "0 2356 9999", "fax": "0 2281 8155",
    "email": "saraban@opdc.go.th", "signer": {"name": "นางสาวมาลี ตัวอย่าง", "position": "ผู้อำนวยการกอง"},
    "emblem": None, "year_start": "calendar", "urgency": "ด่วน", "secrecy": "ลับ", "number": 12,
    "circular": True, "date": "2024-05-30", "subject": "ทดสอบ", "to": "เลขาธิการ ก.พ.ร.",
    "salutation": "เรียน", "closing": "ขอแสดงความนับถือ", "salutation_override": False,
    "references": ["หนังสือสำนักงาน ก.พ.ร. ที่ นร 1200/60 ลงวันที่ 2 พฤษภาคม 2567"],
    "enclosures": ["แบบรายงาน จำนวน 1 ชุด"], "body": ["ข้อความ"], "purpose": "โปรดทราบ",
    "copies_to": ["สำนักงบประมาณ"],
    # the parts of the other types
    "issuer": "สำนักงาน ก.พ.ร.", "edition": 2, "preamble": ["โดยที่เป็นการสมควร"],
    "clauses": ["ระเบียบนี้เรียกว่า", {"text": "ให้ผู้ขอระบุ", "items": ["ชื่อ", "วัน เวลา"]}],
    "meeting": "คณะทำงาน", "session": "3/2567", "place": "ห้องประชุม 1",
    "present": [{"name": "นายก ตัวอย่าง", "position": "ประธาน"}, "นายข ตัวอย่าง"],
    "absent": [{"name": "นายค ตัวอย่าง", "position": "กรรมการ", "reason": "ติดราชการ"}],
    "attending": ["นางสาวง ตัวอย่าง"], "start": "09.30", "end": "12.00",
    "agenda": [{"title": "เรื่องแจ้งเพื่อทราบ", "body": "ประธานแจ้ง", "resolution": "รับทราบ"}],
    "recorder": {"name": "นางสาวจ ตัวอย่าง", "position": "เลขานุการ"},
    "checker": {"name": "นายฉ ตัวอย่าง", "position": "ผู้อำนวยการ"},
    "seal": None, "photo": None,
}


# --- the declarations -----------------------------------------------------------------------

def test_the_declarations_classify_every_document_field_once():
    assert set(SAMPLE) == model.DOCUMENT_FIELDS
    for key, spec in TYPES.items():
        d = _declared(key)
        listed = [n for part in d.values() for n in part]
        assert len(listed) == len(set(listed)) and set(listed) <= model.DOCUMENT_FIELDS, key   # at most once
        assert "requires" not in spec and "closing" not in spec           # the ad-hoc keys are gone
        assert spec["name_th"] and (ROOT / "templates" / "html" / spec["html"]).is_file()
        assert (ROOT / "templates" / "docx" / spec["docx"]).is_file()
        f = model.type_fields(key)
        assert f.required == d["required"] and f.has == d["required"] | d["allowed"]


def test_what_the_regulation_says_of_the_two_types():
    """ข้อ 11 / แบบที่ ๑ and ข้อ 12 / แบบที่ ๒ (regulation.md §2.2, §2.3)."""
    external, memo = _declared("external"), _declared("memo")
    assert {"sender", "to", "subject", "body", "signer"} <= external["required"]
    assert "closing" in external["allowed"]                 # คำลงท้าย, from ภาคผนวก ๒ when not given
    assert "owner_unit" in memo["required"]                 # the ส่วนราชการ line
    assert {"closing", "sender", "fax", "email"} <= memo["forbidden"]
    assert "phone" in memo["allowed"]                       # "… plus its phone number, if any"


def test_a_declaration_naming_no_field_is_a_fault_of_the_data(monkeypatch):
    real = data.load
    monkeypatch.setattr(data, "load", lambda name: {"x": {"name_th": "ก", "fields": {"required": ["subjet"]}}}
                        if name == "doctypes" else real(name))
    with pytest.raises(ValueError, match="subjet"):
        model.type_fields("x")
    monkeypatch.setattr(data, "load", lambda name: {"x": {"name_th": "ก", "fields": {
        "required": ["subject"], "forbidden": ["subject"]}}} if name == "doctypes" else real(name))
    with pytest.raises(ValueError, match="twice"):
        model.type_fields("x")


def test_model_py_has_no_per_type_branch():
    """What a type has is data: no string of model.py's code is a type's key or Thai name."""
    tree = ast.parse((ROOT / "docgen" / "model.py").read_text(encoding="utf-8"))
    names = set(TYPES) | {s["name_th"] for s in TYPES.values()}
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in names]
    assert not found


# --- required, allowed, forbidden -----------------------------------------------------------

@pytest.mark.parametrize("key", sorted(TYPES))
def test_each_example_base_is_clean(key):
    letter, problems = _validate(_merged(key))
    assert letter is not None and letter.type == key, [str(p) for p in problems.errors]


@pytest.mark.parametrize("key,field", [(k, f) for k in sorted(TYPES) for f in sorted(_declared(k)["required"])])
def test_each_required_field_is_required(key, field):
    letter = _merged(key)
    letter.pop(field, None)
    result, problems = _validate(letter)
    assert result is None
    (p,) = _errors(problems, field)
    assert p.code == "required"
    assert p.en == f"{field} is required"
    assert p.th.startswith("ต้องระบุ") and f"({field})" in p.th


@pytest.mark.parametrize("key,field", [(k, f) for k in sorted(TYPES) for f in sorted(_declared(k)["allowed"])])
def test_an_allowed_field_may_be_left_out(key, field):
    letter = _merged(key)
    letter.pop(field, None)
    result, problems = _validate(letter)
    assert result is not None and not _errors(problems, field), [str(p) for p in problems.errors]


@pytest.mark.parametrize("field", sorted(SAMPLE))
def test_each_sample_is_valid_where_it_belongs(field):
    key = next(k for k in sorted(TYPES) if field in model.type_fields(k).has)
    letter = {**_merged(key), field: SAMPLE[field]}
    _, problems = _validate(letter)
    assert not problems.errors, [str(p) for p in problems.errors]


@pytest.mark.parametrize("key,field", [(k, f) for k in sorted(TYPES)
                                       for f in sorted(model.DOCUMENT_FIELDS - model.type_fields(k).has)
                                       if SAMPLE[f] is not None])      # an image path: tests/test_blocks.py
def test_a_field_the_type_does_not_have_is_refused_naming_field_and_type(key, field):
    name_th = TYPES[key]["name_th"]
    result, problems = _validate({**_merged(key), field: SAMPLE[field]})
    assert result is None
    assert [p.field for p in problems.errors] == [field]
    (p,) = problems.errors
    assert p.code == "doctype-no-field"
    assert p.en == f"a {name_th} ({key}) has no field '{field}'; remove it from the letter"
    label = i18n.field_label(field)
    assert label and p.th.startswith(f"หนังสือประเภท {name_th} ({key}) ไม่มีช่อง {label} ({field})")


def test_a_memo_with_a_closing_is_refused_in_both_languages(tmp_path):
    path = write_letter(tmp_path, (ROOT / "examples" / "02_memo.yaml").read_text(encoding="utf-8")
                        + "closing: ขอแสดงความนับถือ\n")
    code, out, err = _cli(["check", str(path)])
    assert code == 1
    assert "[closing] หนังสือประเภท บันทึกข้อความ (memo) ไม่มีช่อง คำลงท้าย (closing)" in err + out
    assert "a บันทึกข้อความ (memo) has no field 'closing'" in err + out


def test_an_empty_value_is_no_field():
    """`closing: null` (as in the README's template) says the part is not there."""
    for value in (None, "", []):
        result, problems = _validate({**_merged("memo"), "closing": value, "fax": value})
        assert result is not None and not problems.errors


def test_the_profile_may_give_what_the_type_does_not_have():
    """One profile serves every type: its sender, fax and e-mail are unused in a memo, and
    not errors (the letter's own ones are: above)."""
    profile = _profile_of(_example_of("memo"))
    assert all(profile.get(k) for k in ("sender", "fax", "email"))
    result, problems = _validate(_merged("memo"), profile)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert (result.sender, result.fax, result.email) == ([], None, None)
    assert not {"sender", "fax", "email"} & set(result.source)        # nor in the attached letter
    composed = docgen.compose.compose(result)
    assert composed.sender_lines == [] and composed.contact_lines == []


# --- `type:` by key or Thai name ------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(TYPES))
def test_type_takes_the_key_or_the_thai_name(key):
    name_th = TYPES[key]["name_th"]
    for given in (key, name_th, f"  {name_th} ", f" {key} ", key.upper()):
        result, problems = _validate({**_merged(key), "type": given})
        assert result is not None and result.type == key, (given, [str(p) for p in problems.errors])


def test_an_unknown_type_lists_the_keys_and_the_thai_names():
    result, problems = _validate({**_merged("external"), "type": "คำแถลง"})
    assert result is None
    (p,) = _errors(problems, "type")
    allowed = " | ".join(f"{k} ({s['name_th']})" for k, s in TYPES.items())
    assert p.code == "choice" and allowed in p.th and allowed in p.en
    assert "external (หนังสือภายนอก)" in p.en and "memo (บันทึกข้อความ)" in p.en
    assert not [q for q in problems.errors if q.field != "type"]     # the rest is checked, and fine


def _cli(argv) -> tuple[int, str, str]:
    import contextlib
    import io
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), i18n.use("both"):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def test_a_thai_type_name_renders_the_same_letter(tmp_path):
    """`docgen render` of the memo example with `type: บันทึกข้อความ` prints what `type: memo`
    prints; the composed letter keeps the key."""
    src = (ROOT / "examples" / "02_memo.yaml").read_text(encoding="utf-8")
    assert "\ntype: memo\n" in src
    texts = {}
    for stem, given in (("key", "memo"), ("thai", " บันทึกข้อความ ")):
        path = write_letter(tmp_path, src.replace("\ntype: memo\n", f"\ntype: '{given}'\n"), f"{stem}.yaml")
        code, out, err = _cli(["render", str(path), "-o", str(tmp_path / stem), "--format", "pdf"])
        assert code == 0, out + err
        texts[stem] = pdftotext(tmp_path / stem / f"{stem}.pdf", "-layout")
        composed, _ = api.compose_file(path, today=TODAY)
        assert composed.doctype == "memo" and composed.to_dict()["doctype"] == "memo"
    assert "บันทึกข้อความ" in texts["key"] and "ส่วนราชการ" in texts["key"]
    assert texts["thai"] == texts["key"]


def test_the_register_records_the_key(tmp_path):
    memo = _merged("memo")
    memo["type"] = "บันทึกข้อความ"
    memo.pop("number")
    reg = docgen.Register.init(f"sqlite:///{tmp_path / 'reg.db'}", prefix=memo["ref_prefix"])
    try:
        done = reg.issue(memo, {}, out=tmp_path / "out", formats=("pdf",), base=tmp_path)
        assert done.entry.doctype == "memo"
        assert [e.number for e in reg.entries(doctype="บันทึกข้อความ")] == [done.number]
    finally:
        reg.close()


# --- a type from data alone -----------------------------------------------------------------

TOY = {"notice": {
    "name_th": "คำแจ้งความ", "paper": "กระดาษตราครุฑ", "html": "page.html", "docx": "page.docx",
    "emblem": "external", "date_label": "",
    "blocks": ["emblem", "ref_line", "date_line", "subject", "enclosures", "body", "signature"],
    "fields": {"required": ["agency", "ref_prefix", "subject", "body", "signer", "enclosures"],
               "allowed": ["date", "number", "purpose", "to"],
               "forbidden": ["closing", "references"]}}}


@pytest.fixture
def toy(monkeypatch):
    """A copy of the declarations with one more type, as docgen.data loads them."""
    real = data.load
    monkeypatch.setattr(data, "load", lambda name: {**copy.deepcopy(real(name)), **TOY}
                        if name == "doctypes" else real(name))
    base = {"type": "คำแจ้งความ", "subject": "ทดสอบ", "body": ["ข้อความ"], "enclosures": ["แบบ จำนวน 1 ชุด"]}
    profile = {k: SAMPLE[k] for k in ("agency", "ref_prefix", "sender", "owner_unit", "phone", "fax",
                                      "email", "signer")}
    return base, profile


def test_a_toy_type_validates_from_data_alone(toy):
    base, profile = toy
    result, problems = _validate(base, profile)
    assert result is not None and result.type == "notice", [str(p) for p in problems.errors]
    # the profile's sender, owner unit, phone … are not the toy's: unused, not errors
    assert (result.sender, result.owner_unit, result.phone, result.to) == ([], [], None, None)
    assert {p.code for p in problems.warnings} == {"draft-number", "no-purpose"}   # no emblem: not its part


def test_a_toy_type_requires_what_it_declares(toy):
    base, profile = toy
    result, problems = _validate({k: v for k, v in base.items() if k != "enclosures"}, profile)
    assert result is None and [p.code for p in _errors(problems, "enclosures")] == ["required"]


@pytest.mark.parametrize("field", ["closing", "references", "copies_to", "sender", "urgency"])
def test_a_toy_type_refuses_what_it_does_not_have(toy, field):
    base, profile = toy
    result, problems = _validate({**base, field: SAMPLE[field]}, profile)
    assert result is None
    (p,) = problems.errors
    assert (p.field, p.code) == (field, "doctype-no-field")
    assert "คำแจ้งความ (notice)" in p.th and "คำแจ้งความ (notice)" in p.en and f"'{field}'" in p.en


def test_a_toy_type_is_named_like_the_others(toy):
    base, profile = toy
    for given in ("notice", " คำแจ้งความ ", "ค\u0e4d\u0e32แจ้งความ"):      # ำ typed as ํ + า too
        result, problems = _validate({**base, "type": given}, profile)
        assert result is not None and result.type == "notice", given
    _, problems = _validate({**base, "type": "x"}, profile)
    (p,) = _errors(problems, "type")
    assert "notice (คำแจ้งความ)" in p.en and "memo (บันทึกข้อความ)" in p.en
    # the old types are untouched by the new one
    result, problems = _validate(_merged("memo"))
    assert result is not None and result.type == "memo"


# --- the examples ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_checks_clean(path):
    problems = api.check(path, today=TODAY)
    assert not problems.errors, [str(p) for p in problems.errors]


def test_docgen_check_of_the_examples(tmp_path):
    code, out, err = _cli(["check", *map(str, EXAMPLES)])
    assert code == 0, out + err


def test_every_type_ships_an_example():
    for key in TYPES:
        assert _example_of(key)


# --- the parts of the other types (issue 10, third slice) ----------------------------------

def _problem_codes(problems) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems.errors]


@pytest.mark.parametrize("key,field,value,expected", [
    ("minutes", "start", "เก้าโมงครึ่ง", ("start", "time-unreadable")),
    ("minutes", "end", "25.00", ("end", "time-unreadable")),
    ("minutes", "present", [{"name": "นายก", "xyz": "x"}], ("present[1].xyz", "unknown-field")),
    ("minutes", "present", [{"position": "ประธาน"}], ("present[1].name", "required")),
    ("minutes", "agenda", ["เรื่องแจ้ง"], ("agenda[1]", "type")),
    ("minutes", "agenda", [{"body": "ข้อความ"}], ("agenda[1].title", "required")),
    ("minutes", "recorder", {"name": "นางสาวจ"}, ("recorder.position", "required")),
    ("regulation", "clauses", [{"text": "ข้อความ", "item": ["x"]}], ("clauses[1].item", "unknown-field-suggest")),
    ("regulation", "clauses", [{"items": ["x"]}], ("clauses[1].text", "required")),
    ("regulation", "preamble", [{"items": "x"}], ("preamble[1].items", "type")),
    ("certificate", "photo", "no-such-photo.png", ("photo", "image-notfound")),
    ("certificate", "photo", "/etc/passwd", ("photo", "path-unsafe")),
])
def test_a_bad_part_is_refused_naming_its_field(key, field, value, expected):
    result, problems = _validate({**_merged(key), field: value})
    assert result is None
    assert expected in _problem_codes(problems), [str(p) for p in problems.errors]
    (p,) = [p for p in problems.errors if (p.field, p.code) == expected]
    assert p.th and p.en and p.th != p.en and "Traceback" not in p.en


def test_times_are_values_and_print_with_a_full_stop():
    result, _ = _validate({**_merged("minutes"), "start": "9:30", "end": "๑๒.๐๐ น."})
    assert (result.start, result.end) == (dt.time(9, 30), dt.time(12, 0))
    texts = compose(result).printed_texts()
    assert "เริ่มประชุมเวลา ๐๙.๓๐ น." in texts and "เลิกประชุมเวลา ๑๒.๐๐ น." in texts


def test_the_image_messages_name_the_image_not_the_emblem():
    _, problems = _validate({**_merged("certificate"), "photo": "no-such-photo.png"})
    (p,) = _errors(problems, "photo")
    assert "รูปถ่าย (photo)" in p.th or "photo" in p.th
    assert "ตราครุฑ" not in p.th and "emblem" not in p.en


@pytest.mark.parametrize("key,circular,numbering,series", [
    ("external", False, {}, "ปกติ"), ("external", True, {}, "ว"), ("memo", False, {}, "ปกติ"),
    ("order", False, {}, "คำสั่ง"), ("announcement", False, {}, None),
    ("announcement", False, {"announcement": "own"}, "ประกาศ"), ("announcement", False, {"ประกาศ": "own"}, "ประกาศ"),
    ("stamped", False, {}, "ปกติ"), ("stamped", False, {"stamped": "own"}, "หนังสือประทับตรา"),
    ("certificate", True, {}, "ว"), ("certificate", False, {"certificate": "own"}, "หนังสือรับรอง"),
    ("regulation", False, {}, None), ("bylaw", False, {}, None), ("statement", False, {}, None),
    ("news", False, {}, None), ("minutes", False, {}, None), ("note", False, {}, None),
    ("external", False, {"external": "none"}, None),
])
def test_each_type_takes_its_series_from_the_declaration_and_the_profile(key, circular, numbering, series):
    letter = _merged(key)
    if "circular" in model.type_fields(key).has:
        letter["circular"] = circular
    result, problems = _validate(letter, {"numbering": numbering} if numbering else None)
    assert result is not None, [str(p) for p in problems.errors]
    assert result.series == series


def test_an_order_runs_by_calendar_year_whatever_the_profile_says():
    result, _ = _validate({**_merged("order"), "year_start": "fiscal"})
    assert result is None or result.year_start == "calendar"
    result, _ = _validate(_merged("order"), {"year_start": "fiscal"})
    assert result.year_start == "calendar"


def test_a_bad_numbering_setting_is_refused_naming_it():
    _, problems = _validate(_merged("order"), {"numbering": {"order": "sometimes"}})
    assert ("numbering.order", "choice") in _problem_codes(problems)
    _, problems = _validate(_merged("order"), {"numbering": {"orders": "own"}})
    assert ("numbering.orders", "choice") in _problem_codes(problems)
    _, problems = _validate({**_merged("order"), "numbering": {"order": "none"}})
    assert ("numbering", "unknown-field-letter") in _problem_codes(problems) or \
        any(p.field == "numbering" for p in problems.errors)              # the office's, not the letter's


def test_news_prints_no_signer_unless_the_news_names_one():
    profile = {"signer": {"name": "นางสาวสมหญิง ตัวอย่าง", "position": "เลขาธิการ ก.พ.ร."}}
    news = {k: v for k, v in _merged("news").items() if k != "signer"}
    result, problems = _validate(news, profile)
    assert result is not None and result.signer is None, [str(p) for p in problems.errors]
    assert "signature" not in [b.kind for b in compose(result).blocks]
    result, _ = _validate({**news, **profile}, profile)
    assert [b.name for b in compose(result).blocks if b.kind == "signature"] == ["(นางสาวสมหญิง ตัวอย่าง)"]


def test_a_declared_text_leaves_its_block_out_when_a_value_it_names_is_empty():
    with_edition, _ = _validate(_merged("regulation"))
    without, _ = _validate({k: v for k, v in _merged("regulation").items() if k != "edition"})
    headings = lambda r: [b.text for b in compose(r).blocks if b.kind == "heading"]  # noqa: E731
    assert "(ฉบับที่ ๒)" in headings(with_edition)
    assert not [h for h in headings(without) if "ฉบับที่" in h] and len(headings(without)) == len(headings(with_edition)) - 1


def test_user_text_is_never_read_as_a_declared_text():
    result, _ = _validate({**_merged("order"), "subject": "{issuer} {date_be}", "issuer": "{ref}"})
    texts = compose(result).printed_texts()
    assert "เรื่อง {issuer} {date_be}" in texts and "คำสั่ง{ref}" in texts


def test_a_block_declaration_naming_no_builder_is_a_fault_of_the_data():
    from docgen.compose import block_entries
    with pytest.raises(ValueError, match="headline"):
        block_entries({"blocks": ["marks", {"headline": {"text": "x"}}]})
    with pytest.raises(ValueError, match="size"):
        block_entries({"blocks": [{"heading": {"text": "x", "size": 20}}]})
