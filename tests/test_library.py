"""The library API for e-saraban systems (issue 9): docgen.render / docgen.check with mappings or
paths, bytes out, nothing printed, nothing read outside the fence, a light `import docgen`."""
from __future__ import annotations

import io
import subprocess
import sys

import docx
import pikepdf
import pytest
import yaml

import docgen
from docgen.data import EXAMPLES_DIR

PROFILE = yaml.safe_load((EXAMPLES_DIR / "profiles" / "opdc.yaml").read_text(encoding="utf-8"))
LETTER = {"type": "external", "date": "2026-11-30", "subject": "ขอเชิญประชุมคณะทำงาน",
          "to": "ปลัดกระทรวงการคลัง", "body": ["ด้วยสำนักงาน ก.พ.ร. จะจัดประชุมคณะทำงาน"],
          "purpose": "โปรดพิจารณา", "number": 12}


def test_mappings_in_bytes_out(capsys):
    out = docgen.render(LETTER, PROFILE)
    assert isinstance(out, docgen.Rendered) and out.pdf[:5] == b"%PDF-" and out.docx[:2] == b"PK"
    with pikepdf.open(io.BytesIO(out.pdf)) as pdf:
        assert len(pdf.pages) == 1 and "letter.json" in pdf.attachments
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.docx)).paragraphs)
    assert "ขอเชิญประชุมคณะทำงาน" in text and out.composed.ref_text == "ที่ นร ๑๒๐๐/๑๒"
    assert [p.code for p in out.problems] == ["emblem-missing"]       # warnings, typed
    assert capsys.readouterr() == ("", "")                              # the API never prints


def test_one_format_and_write(tmp_path):
    out = docgen.render(LETTER, PROFILE, formats=("docx",))
    assert out.pdf is None and out.docx
    paths = out.write(tmp_path / "x", "ถึง สลค. รายงาน")
    assert [p.name for p in paths.values()] == ["ถึง_สลค._รายงาน.docx"] and paths["docx"].read_bytes() == out.docx


def test_paths_work_too_and_the_letter_names_its_profile(tmp_path):
    out = docgen.render(EXAMPLES_DIR / "02_memo.yaml", formats=("pdf",))
    assert out.pdf and out.composed.doctype == "memo"
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "opdc.yaml").write_text(yaml.safe_dump(PROFILE, allow_unicode=True), encoding="utf-8")
    mapping = {**LETTER, "profile": "profiles/opdc.yaml"}
    assert docgen.render(mapping, base=tmp_path, formats=("docx",)).composed.sender_lines
    assert docgen.render(LETTER, tmp_path / "profiles" / "opdc.yaml", formats=("docx",)).docx


def test_bad_input_is_a_list_of_problems_or_an_input_error():
    problems = docgen.check({**LETTER, "date": "31 กุมภาพันธ์ 2567", "secrecy": "ลับสุดยอด"}, PROFILE)
    assert {p.field for p in problems if p.severity == "error"} == {"date", "secrecy"}
    assert all(p.th and p.en for p in problems)
    with pytest.raises(docgen.InputError) as e:
        docgen.render({**LETTER, "subject": ""}, PROFILE)
    assert [p.field for p in e.value.problems if p.severity == "error"] == ["subject"]
    with pytest.raises(TypeError):
        docgen.render(["not", "a", "letter"])


def test_a_relative_emblem_starts_at_base_and_stays_in_the_fence(tmp_path, emblem_png):
    (tmp_path / "emblem.png").write_bytes(emblem_png.read_bytes())
    out = docgen.render({**LETTER, "emblem": "emblem.png"}, PROFILE, base=tmp_path, formats=("docx",))
    assert not out.problems
    problems = docgen.check({**LETTER, "emblem": "../../../../etc/passwd"}, PROFILE, base=tmp_path)
    assert [p.field for p in problems if p.severity == "error"] == ["emblem"]


def test_render_is_the_package_and_the_function():
    import docgen.render as package
    assert docgen.render is package and callable(docgen.render)
    assert package(LETTER, PROFILE, formats=("docx",)).docx


def test_import_docgen_is_light():
    code = ("import sys, time; t = time.perf_counter(); import docgen; d = time.perf_counter() - t; "
            "print(int('weasyprint' in sys.modules), int('docx' in sys.modules), f'{d:.3f}')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[:2] == ["0", "0"], out            # the rendering stack loads on first use
