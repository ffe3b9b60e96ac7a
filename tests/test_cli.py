"""`docgen check` (and `render` on bad input) from the command line: exit 1 for errors,
0 for warnings only, the field path in the output, never a traceback, never a file."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from docgen.cli import main
from docgen.data import ROOT
from tests.conftest import write_letter
from tests.test_input import ERRORS, GOOD, WARNINGS


def run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out + out.err


def letter_file(tmp_path, change=None, name="letter.yaml"):
    letter = {k: v for k, v in {**GOOD, **(change or {})}.items() if v is not None}
    return write_letter(tmp_path, yaml.safe_dump(letter, allow_unicode=True), name)


@pytest.mark.parametrize("name,change,field,code", ERRORS, ids=[e[0] for e in ERRORS])
def test_check_errors_exit_1_naming_the_field(tmp_path, capsys, name, change, field, code):
    rc, out = run(capsys, "check", str(letter_file(tmp_path, change)))
    assert rc == 1
    assert f"[{field}]" in out and "ผิดพลาด/error" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("name,change,field,code", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_check_warnings_exit_0_naming_the_field(tmp_path, capsys, name, change, field, code):
    rc, out = run(capsys, "check", str(letter_file(tmp_path, change)))
    assert rc == 0, out
    assert f"[{field}]" in out and "คำเตือน/warning" in out and "OK with" in out


@pytest.mark.parametrize("content,field", [
    (b"type: external\nsubject: [oops\n", "[file]"),
    (b"- a\n", "[file]"),
    (b"", "[file]"),
    (b"type: external\ntype: memo\n", "[type]"),
    (b"\x00\x01\x02garbage", "[file]"),
    ("subject: ทดสอบ\n".encode("cp874"), "[file]"),
    (b"number: " + b"9" * 5000, "[file]"),
])
def test_check_bad_files(tmp_path, capsys, content, field):
    path = tmp_path / "letter.yaml"
    path.write_bytes(content)
    rc, out = run(capsys, "check", str(path))
    assert rc == 1 and field in out and "Traceback" not in out


def test_check_json_and_several_files(tmp_path, capsys):
    import json
    good = write_letter(tmp_path, json.dumps(GOOD, ensure_ascii=False), "good.json")
    bad = letter_file(tmp_path, {"subject": None}, "bad.yaml")
    rc, out = run(capsys, "check", str(good), str(bad))
    assert rc == 1
    assert f"{bad}: ผิดพลาด/error [subject]" in out and f"{good}: " in out


def test_check_missing_file_and_profile(tmp_path, capsys):
    rc, out = run(capsys, "check", str(tmp_path / "nope.yaml"))
    assert rc == 1 and "[file]" in out
    rc, out = run(capsys, "check", str(letter_file(tmp_path, {"profile": "https://x.example/p.yaml"})))
    assert rc == 1 and "[profile]" in out


def test_render_bad_input_writes_nothing(tmp_path, capsys):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    src = letter_file(tmp_path, {"date": "31 กุมภาพันธ์ 2567"})
    rc, out = run(capsys, "render", "--format", "pdf", "-o", str(out_dir), str(src))
    assert rc == 1 and "[date]" in out and "Traceback" not in out
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("argv", [[], ["check"], ["frobnicate"], ["render", "--format", "xls", "x.yaml"],
                                  ["render", "--format", "", "x.yaml"]])
def test_usage_errors_exit_2(capsys, argv):
    rc, out = run(capsys, *argv)
    assert rc == 2 and "Traceback" not in out


def test_subprocess_no_traceback(tmp_path):
    path = tmp_path / "letter.yaml"
    path.write_bytes(b"type: [external\n")
    proc = subprocess.run([sys.executable, "-m", "docgen", "check", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "[file]" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_unwritable_output_is_a_message_per_file_not_a_traceback(tmp_path, capsys):
    """An output folder that cannot be created: each file says so, bilingual; the others go on."""
    (tmp_path / "plain").write_text("a file, not a folder")
    a = letter_file(tmp_path, name="a.yaml")
    b = letter_file(tmp_path, name="b.yaml")
    rc, out = run(capsys, "render", str(a), str(b), "-o", str(tmp_path / "plain" / "out"), "--format", "pdf")
    assert rc == 1
    assert out.count("cannot write") == 2 and out.count("ไม่ได้") >= 2
    assert "internal error" not in out and "Traceback" not in out


def test_version(capsys):
    import docgen
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"docgen {docgen.__version__}" and docgen.__version__ == "0.1.0"
