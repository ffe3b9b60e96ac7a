"""The command line in Thai, English or both (``--lang``, ``$DOCGEN_LANG``, ``$LANG``), its
``--help`` in every command, and ``--json`` (docs/cli.md) — issue 9."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from docgen import cli, i18n
from docgen.data import ROOT
from tests.conftest import write_letter
from tests.test_input import GOOD
from tests.test_register_support import make_register, use_fake_renderer

THAI = re.compile("[\u0e00-\u0e7f]")
PYTHON_TYPES = re.compile(r"\b(dict|str|int|float|bool|NoneType|None|PosixPath|Traceback)\b|<class ")
DOCGEN = Path(sys.executable).parent / "docgen"
BATCH = ROOT / "examples" / "batch"


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def letter(tmp_path, change=None, name="letter.yaml") -> Path:
    data = {k: v for k, v in {**GOOD, **(change or {})}.items() if v is not None}
    return write_letter(tmp_path, yaml.safe_dump(data, allow_unicode=True), name)


# ---- --lang ---------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["after", "before", "equals"])
def test_check_in_each_language(tmp_path, capsys, where):
    bad = letter(tmp_path, {"subject": None})
    outputs = {}
    for lang in i18n.CHOICES:
        argv = {"after": ["check", "--lang", lang, bad], "before": ["--lang", lang, "check", bad],
                "equals": ["check", bad, f"--lang={lang}"]}[where]
        code, out, err = run(capsys, *argv)
        assert code == 1 and err == ""
        outputs[lang] = out
    th, en, both = outputs["th"], outputs["en"], outputs["both"]
    assert "ผิดพลาด [subject] ต้องระบุ เรื่อง (subject)" in th
    assert "subject is required" not in th and "error" not in th
    assert "error [subject] subject is required" in en and not THAI.search(en.replace(str(bad), ""))
    assert "ผิดพลาด/error [subject] ต้องระบุ เรื่อง (subject) — subject is required" in both


def test_ok_and_warnings_in_each_language(tmp_path, capsys):
    good = letter(tmp_path, {"subject": "<b>ทดสอบ</b>"})
    code, out, _ = run(capsys, "check", good, "--lang", "th")
    n = out.count("คำเตือน [")
    assert code == 0 and n >= 2 and out.endswith(f"{good}: ใช้ได้ มีคำเตือน {n} รายการ\n")
    assert run(capsys, "check", good, "--lang", "en")[1].endswith(f"{good}: OK with {n} warning(s)\n")
    out = run(capsys, "check", good)[1]
    assert out.endswith(f"{good}: ใช้ได้ มีคำเตือน {n} รายการ — OK with {n} warning(s)\n")
    assert out.count("คำเตือน/warning [") == n


def test_main_restores_the_language(tmp_path, capsys):
    bad = letter(tmp_path, {"subject": None})
    before = i18n.language()
    run(capsys, "check", "--lang", "en", bad)
    assert i18n.language() == before
    with i18n.use("th"):
        run(capsys, "--lang", "en", "check", bad)
        assert i18n.language() == "th"
        _, out, _ = run(capsys, "check", bad)              # no --lang: the language in force
        assert "ต้องระบุ" in out and "required" not in out
    assert i18n.language() == before


def test_a_bad_lang_is_a_usage_error(capsys):
    code, out, err = run(capsys, "check", "--lang", "fr", "x.yaml")
    assert code == 2 and "--lang" in err and "ใช้คำสั่งไม่ถูกต้อง" in err and "wrong use of the command" in err


def _env(**set_) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return {**env, "PYTHONIOENCODING": "utf-8", **set_}


@pytest.mark.parametrize("env, expect", [
    ({"LANG": "th_TH.UTF-8"}, "th"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "both"),
    ({"LANG": "th_TH.UTF-8", "DOCGEN_LANG": "en"}, "en"),
    ({"LANG": "en_US.UTF-8", "DOCGEN_LANG": "th"}, "th"),
    ({"LC_ALL": "th_TH.UTF-8", "DOCGEN_LANG": "both"}, "both"),
])
def test_language_from_the_environment_in_a_subprocess(tmp_path, env, expect):
    bad = letter(tmp_path, {"subject": None})
    proc = subprocess.run([str(DOCGEN), "check", str(bad)], env=_env(**env), capture_output=True,
                          encoding="utf-8", timeout=120, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    th, en = "ต้องระบุ เรื่อง (subject)", "subject is required"
    assert (th in out, en in out) == {"th": (True, False), "en": (False, True), "both": (True, True)}[expect], out
    # --lang wins over the environment
    proc = subprocess.run([str(DOCGEN), "--lang", "th", "check", str(bad)], env=_env(**env),
                          capture_output=True, encoding="utf-8", timeout=120, cwd=tmp_path)
    assert th in proc.stdout and en not in proc.stdout


# ---- --help ---------------------------------------------------------------------------------

def _commands(parser, path=()):
    """Every command path of the parser: (), ("check",), ("register", "list"), …"""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, cli.argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, path + (name,))


def _english_helps(parser) -> list[str]:
    texts = [parser.description] + [a.help for a in parser._actions]
    return [" ".join(t.split()) for t in texts if t and t != cli.argparse.SUPPRESS]


with i18n.use("en"):
    COMMANDS = [(path, _english_helps(p)) for path, p in _commands(cli.build_parser())]


def test_every_command_is_covered():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "render", "check", "demo", "issue", "batch", "register", "register list",
            "register init", "register export", "register sent"} <= names
    assert len(names) == 14


@pytest.mark.parametrize("path, english", COMMANDS, ids=[" ".join(p) or "docgen" for p, _ in COMMANDS])
def test_help_in_each_language(capsys, path, english):
    shown = {}
    for lang in i18n.CHOICES:
        code, out, err = run(capsys, *path, "--help", "--lang", lang)
        assert code == 0 and err == "", err
        shown[lang] = " ".join(out.split())
    th, en, both = shown["th"], shown["en"], shown["both"]
    assert english, path
    for text in english:                        # the description and every option's help
        assert text in en and text in both, (path, text)
        assert text not in th, (path, text)
    assert not THAI.search(en), path
    assert THAI.search(th) and THAI.search(both)
    assert en.startswith("usage: ") and "show this help message and exit" in en
    assert th.startswith("วิธีใช้: ") and "แสดงคำอธิบายนี้แล้วจบการทำงาน" in th and "usage" not in th
    assert both.startswith("วิธีใช้ — usage: ")
    assert "show this help message and exit" not in th and "options:" not in th
    assert "--lang" in en                       # --lang works on every command
    if path:
        assert "--lang" in th.split("ตัวเลือก:")[1]


def test_help_before_the_command_is_in_the_chosen_language(capsys):
    code, out, _ = run(capsys, "--lang", "th", "batch", "--help")
    assert code == 0 and "ผู้รับหลายราย" in out and "recipients" not in out
    code, out, _ = run(capsys, "--lang", "en", "register", "list", "-h")
    assert code == 0 and not THAI.search(out)


def test_help_from_the_environment(tmp_path):
    proc = subprocess.run([str(DOCGEN), "register", "--help"], env=_env(LANG="th_TH.UTF-8"),
                          capture_output=True, encoding="utf-8", timeout=120, cwd=tmp_path)
    assert proc.returncode == 0 and "ทะเบียนหนังสือส่ง" in proc.stdout and "outgoing register" not in proc.stdout


# ---- --json ---------------------------------------------------------------------------------

PROBLEM_KEYS = {"field", "code", "severity", "th", "en"}


def as_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    doc = json.loads(out)                        # stdout is one JSON document, nothing else
    assert doc["exit_code"] == code and doc["ok"] is (code == 0)
    assert not PYTHON_TYPES.search(out), out
    return code, doc, err


def _problems(items):
    for p in items:
        assert set(p) == PROBLEM_KEYS and p["severity"] in ("error", "warning") and THAI.search(p["th"])
    return items


@pytest.mark.parametrize("lang", i18n.CHOICES)
def test_check_json(tmp_path, capsys, lang):
    bad = letter(tmp_path, {"subject": ["a", "b"], "to": {"x": 1}}, "bad.yaml")
    good = letter(tmp_path, {"subject": "<b>ก</b>"}, "good.yaml")
    code, doc, err = as_json(capsys, "check", bad, good, "--lang", lang)
    assert code == 1 and err == "" and doc["command"] == "check"
    first, second = doc["files"]
    assert first["file"] == str(bad) and first["ok"] is False and first["errors"] == 2
    assert {p["field"] for p in _problems(first["problems"])} >= {"subject", "to"}
    assert second["ok"] is True and second["errors"] == 0 and second["warnings"] == len(second["problems"])
    assert {p["code"] for p in _problems(second["problems"])} >= {"markup", "emblem-missing"}
    subject = next(p for p in first["problems"] if p["field"] == "subject")
    assert subject["code"] == "type" and "รายการ" in subject["th"] and "a list" in subject["en"]
    assert run(capsys, "check", bad, good)[0] == code           # the same exit code without --json


def test_check_against_a_sheet_json(tmp_path, capsys):
    code, doc, _ = as_json(capsys, "check", BATCH / "notice.yaml", "--to", BATCH / "recipients.csv")
    (item,) = doc["files"]
    assert code == 0 and item["ok"] and item["recipients"] == str(BATCH / "recipients.csv")
    assert item["counts"]["ok"] == 5 and item["counts"]["bad_rows"] == 0 and len(item["rows"]) == 5
    assert "out_dir" not in item


def test_render_json(tmp_path, capsys, monkeypatch):
    use_fake_renderer(monkeypatch)
    good = letter(tmp_path, name="good.yaml")
    bad = letter(tmp_path, {"date": "31 กุมภาพันธ์ 2567"}, "bad.yaml")
    out_dir = tmp_path / "out"
    code, doc, err = as_json(capsys, "render", good, bad, "-o", out_dir, "--format", "pdf")
    assert code == 1 and err == "" and doc["command"] == "render"
    ok, failed = doc["files"]
    assert ok["ok"] and ok["outputs"] == {"pdf": str(out_dir / "good.pdf")} and Path(ok["outputs"]["pdf"]).is_file()
    assert "emblem-missing" in [p["code"] for p in _problems(ok["problems"])]
    assert {p["severity"] for p in ok["problems"]} == {"warning"}
    assert not failed["ok"] and failed["outputs"] == {} and failed["problems"][0]["field"] == "date"


def test_render_json_unwritable_output(tmp_path, capsys):
    (tmp_path / "plain").write_text("a file, not a folder")
    code, doc, _ = as_json(capsys, "render", letter(tmp_path), "-o", tmp_path / "plain" / "out", "--format", "pdf")
    (item,) = doc["files"]
    assert code == 1 and item["error"]["code"] == "output-unwritable" and set(item["error"]) == {"code", "th", "en"}


def test_issue_and_register_list_json(tmp_path, capsys, monkeypatch):
    use_fake_renderer(monkeypatch)
    db = make_register(tmp_path)
    src = letter(tmp_path, {"number": None})
    code, doc, err = as_json(capsys, "issue", src, "-o", tmp_path / "out", "--format", "pdf", "--db", db,
                             "--by", "สมศรี")
    assert code == 0 and err == "" and doc["command"] == "issue"
    (item,) = doc["files"]
    assert item["ok"] and item["outcome"] == "issued" and item["number"] == 1 and item["label"] == "1"
    assert item["ref"] == "ที่ นร ๑๒๐๐/๑" and item["series"] == "ปกติ" and item["prefix"] == "นร 1200"
    assert Path(item["outputs"]["pdf"]).is_file() and len(item["sha256"]["pdf"]) == 64
    _problems(item["problems"])
    code, doc, _ = as_json(capsys, "issue", src, "-o", tmp_path / "out", "--format", "pdf", "--db", db)
    assert doc["files"][0]["outcome"] == "existing" and doc["files"][0]["number"] == 1

    code, doc, err = as_json(capsys, "register", "list", "--db", db)
    assert code == 0 and err == "" and doc["command"] == "register list" and doc["count"] == 1
    (entry,) = doc["entries"]
    assert entry["ref_text"] == "ที่ นร ๑๒๐๐/๑" and entry["state"] == "issued" and entry["issued_by"] == "สมศรี"
    assert entry["files"]["pdf"]["path"] == item["outputs"]["pdf"] and "search_text" not in entry
    code, doc, _ = as_json(capsys, "register", "list", "--db", db, "--status", "cancelled")
    assert code == 0 and doc["count"] == 0 and doc["entries"] == []


def test_register_list_text_in_each_language(tmp_path, capsys, monkeypatch):
    use_fake_renderer(monkeypatch)
    db = make_register(tmp_path)
    assert run(capsys, "issue", letter(tmp_path, {"number": None}), "-o", tmp_path / "out", "--format", "pdf",
               "--db", db)[0] == 0
    _, th, _ = run(capsys, "register", "list", "--db", db, "--lang", "th")
    _, en, _ = run(capsys, "register", "list", "--db", db, "--lang", "en")
    _, both, _ = run(capsys, "register", "list", "--db", db)
    assert "สถานะ" in th and "ออกแล้ว" in th and "(1 รายการ)" in th and "issued" not in th
    assert "status" in en and "issued" in en and "(1 row(s))" in en and "ออกแล้ว" not in en
    assert "สถานะ/status" in both and "ออกแล้ว/issued" in both and "(1 รายการ — 1 row(s))" in both


def test_batch_json(tmp_path, capsys, monkeypatch):
    use_fake_renderer(monkeypatch)
    db = make_register(tmp_path)
    argv = ("batch", BATCH / "notice.yaml", "--to", BATCH / "recipients.csv", "-o", tmp_path / "b",
            "--format", "pdf", "--jobs", "1", "--db", db)
    code, doc, err = as_json(capsys, *argv)
    assert code == 0 and doc["command"] == "batch" and doc["dry_run"] is False and doc["mode"] == "letters"
    assert err == ""                             # no progress bar, no warnings outside the JSON
    assert doc["counts"] == {"ok": 5, "failed": 0, "reused": 0, "bad_rows": 0, "warnings": 5,
                             "letters_with_warnings": 5}
    assert len(doc["batch_id"]) == 16 and doc["out_dir"] == str(tmp_path / "b")
    assert [r["number"] for r in doc["rows"]] == [1, 2, 3, 4, 5]
    row = doc["rows"][0]
    assert row["status"] == "ok" and Path(row["pdf"]).is_file() and row["ref"].startswith("ที่ นร ๑๒๐๐/")
    _problems(row["warnings"])
    code, again, _ = as_json(capsys, *argv)               # resumed: nothing new
    assert code == 0 and again["counts"]["reused"] == 5 and again["batch_id"] == doc["batch_id"]


def test_batch_dry_run_json_with_bad_rows(tmp_path, capsys):
    sheet = tmp_path / "r.csv"
    sheet.write_text("position,agency\nปลัดกระทรวงการคลัง,กระทรวงการคลัง\n,กระทรวงแรงงาน\n", encoding="utf-8")
    code, doc, err = as_json(capsys, "batch", BATCH / "notice.yaml", "--to", sheet, "--dry-run", "--limit", "0",
                             "-o", tmp_path / "b")
    assert code == 1 and doc["dry_run"] is True and doc["counts"]["bad_rows"] == 1
    (bad,) = doc["bad_rows"]
    assert bad["row"] == 3 and set(bad) == PROBLEM_KEYS | {"row"} and bad["code"] == "recipient-no-position"
    assert run(capsys, "batch", BATCH / "notice.yaml", "--to", sheet, "--dry-run", "--limit", "0",
               "-o", tmp_path / "b")[0] == code


def test_errors_of_the_whole_run_in_json(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.delenv("DOCGEN_DATABASE_URL", raising=False)
    code, doc, _ = as_json(capsys, "register", "list")
    assert code == 1 and doc["error"]["code"] == "register-unconfigured"
    assert set(doc["error"]) == {"code", "th", "en"} and "ยังไม่ได้กำหนดทะเบียน" in doc["error"]["th"]
    code, doc, _ = as_json(capsys, "render", "--format", "xls", "x.yaml")
    assert code == 2 and doc["error"]["code"] == "format-choice"
    code, doc, _ = as_json(capsys, "check")                  # argparse: FILE is missing
    assert code == 2 and doc["error"]["code"] == "usage-error" and doc["command"] == "check"
    code, doc, _ = as_json(capsys, "batch", tmp_path / "none.yaml", "--to", BATCH / "recipients.csv", "--dry-run")
    assert code == 1 and doc["error"]["code"] == "file-missing" and doc["problems"][0]["field"] == "file"
    code, doc, _ = as_json(capsys, "batch", BATCH / "notice.yaml", "--to", BATCH / "recipients.csv", "--limit", "2")
    assert code == 2 and doc["error"]["code"] == "limit-without-dry-run"


# ---- no Python type names, whatever the language ---------------------------------------------

@pytest.mark.parametrize("lang", i18n.CHOICES)
def test_no_python_type_names_in_the_output(tmp_path, capsys, lang):
    bad = letter(tmp_path, {"subject": ["a"], "to": {"x": 1}, "body": 5, "signer": "x", "date": True,
                            "references": "r", "attachments": 3.5})
    code, out, err = run(capsys, "check", bad, "--lang", lang)
    assert code == 1 and out
    assert not PYTHON_TYPES.search((out + err).replace(str(bad), "")), out
