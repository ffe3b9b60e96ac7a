"""The message catalogs (docgen/locale/<th|en>/LC_MESSAGES/docgen.po) against the source.

* every message the source can show — ``M_(code, msgid)`` in docgen/messages.py, ``tr("…")`` and
  ``N_("…")`` anywhere in docgen — is in both catalogs, translated (not empty, not fuzzy), with
  the same placeholders;
* no user-facing string bypasses the catalogs: text printed, raised or given to argparse is a
  catalog entry, and Thai text outside the catalogs is only document content (phrases the
  regulation prints) in the modules listed below;
* the catalogs compile, and the built wheel carries the compiled ones (scripts/check_wheel.sh).
"""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages import pofile
from babel.messages.extract import extract_from_dir

import docgen
from docgen import i18n
from docgen.errors import Problem
from docgen.messages import MESSAGES

ROOT = Path(docgen.__file__).resolve().parent
LOCALE = ROOT / "locale"
THAI = re.compile("[\u0e00-\u0e7f]")
KEYWORDS = {"M_": ((1, "c"), 2), "tr": None, "N_": None}


def _catalog(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "docgen.po", "rb") as f:
        return pofile.read_po(f)


def _extracted() -> list[tuple[str | None, str, str]]:
    """(context, msgid, where) of every message in the source, as pybabel extracts it."""
    out = [(context, message, f"{filename}:{lineno}")
           for filename, lineno, message, _comments, context in extract_from_dir(
               str(ROOT.parent), method_map=[("docgen/**.py", "python")], keywords=KEYWORDS)]
    assert out
    return out


EXTRACTED = _extracted()
CATALOGS = {lang: _catalog(lang) for lang in i18n.LANGUAGES}


def _names(template: str) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(template) if n}


def test_extraction_finds_every_coded_message():
    coded = {c for c, _, _ in EXTRACTED if c}
    assert coded == set(MESSAGES)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_message_is_in_the_catalog_translated(lang):
    cat = CATALOGS[lang]
    missing, untranslated = [], []
    for context, msgid, where in EXTRACTED:
        entry = cat.get(msgid, context=context)
        if entry is None:
            missing.append(f"{where} {context or ''} {msgid!r}")
        elif not entry.string or entry.fuzzy:
            untranslated.append(f"{where} {context or ''} {msgid!r}")
    assert not missing, f"not in {lang}.po (run scripts/messages.sh): {missing}"
    assert not untranslated, f"no {lang} text (write it in {lang}.po): {untranslated}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    bad = [(m.context, m.id) for m in CATALOGS[lang] if m.id and m.string and _names(m.id) != _names(m.string)]
    assert not bad


def test_thai_catalog_is_thai():
    cat = CATALOGS["th"]
    not_thai = [(m.context, m.string) for m in cat if m.id and not THAI.search(m.string)
                and m.context not in LATIN_IN_THAI]
    assert not not_thai


# Thai messages whose Thai is the same as the English (units, names of formats)
LATIN_IN_THAI = {"field:email"}


def test_no_stale_entries():
    """A catalog entry that no source line uses is dead text a translator would maintain."""
    used = {(c, m) for c, m, _ in EXTRACTED}
    for lang, cat in CATALOGS.items():
        stale = [(m.context, m.id) for m in cat if m.id and (m.context, m.id) not in used]
        assert not stale, f"{lang}.po: {stale} (run scripts/messages.sh)"


def test_catalogs_compile_and_load():
    for lang in i18n.LANGUAGES:
        po = LOCALE / lang / "LC_MESSAGES" / "docgen.po"
        assert i18n.compile_po(po.read_bytes())[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
    assert i18n.text("required", "th", field=i18n.FieldName("to")) == "ต้องระบุ ผู้รับ (to)"
    assert i18n.text("required", "en", field=i18n.FieldName("to")) == "to is required"


def test_a_problem_in_each_language():
    p = Problem("to", "required", "error", (("field", i18n.FieldName("to")),))
    with i18n.use("th"):
        assert str(p) == "ผิดพลาด [to] ต้องระบุ ผู้รับ (to)"
    with i18n.use("en"):
        assert str(p) == "error [to] to is required"
    with i18n.use("both"):
        assert str(p) == "ผิดพลาด/error [to] ต้องระบุ ผู้รับ (to) — to is required"
    assert p.to_dict() == {"field": "to", "code": "required", "severity": "error",
                           "th": "ต้องระบุ ผู้รับ (to)", "en": "to is required"}


def test_language_from_the_environment(monkeypatch):
    for name in ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert i18n.language() == "both"
    monkeypatch.setenv("LANG", "th_TH.UTF-8")
    assert i18n.language() == "th"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert i18n.language() == "en"
    monkeypatch.setenv("DOCGEN_LANG", "both")
    assert i18n.language() == "both"
    with i18n.use("th"):
        assert i18n.language() == "th"


# ---- nothing bypasses the catalogs ---------------------------------------------------------

# Modules whose Thai literals are document content (what the regulation prints, the register's
# own columns and values, recipient-sheet headings) or Thai-language rules, not messages.
CONTENT_MODULES = {
    "messages.py", "i18n.py", "compose.py", "model.py",
    "thai/", "render/", "batch/recipients.py", "batch/circular.py",
    "register/export.py", "register/keys.py", "register/query.py", "register/store.py",
}
# calls whose text arguments reach the user as they are
SHOWN = {"print", "write", "ArgumentParser", "add_parser", "add_argument", "add_argument_group",
         "UsageError", "BatchError", "DocgenError", "ArgumentTypeError", "SystemExit", "exit"}
SHOWN_KEYWORDS = {"help", "description", "epilog", "version", "title"}
# calls that take a catalog entry
CATALOG_CALLS = {"tr", "N_", "M_", "message", "text", "Msg", "of"}
WORDS = re.compile(r"[A-Za-z\u0e00-\u0e7f]{2,}")


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _name(func) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal_words(node) -> list[str]:
    """Words in string literals of ``node`` that are not inside a catalog call."""
    found = []

    def walk(n):
        if isinstance(n, ast.Call) and _name(n.func) in CATALOG_CALLS:
            return
        if isinstance(n, ast.Subscript):          # row["ref_text"]: a key, not text
            walk(n.value)
            return
        if isinstance(n, ast.Call) and _name(n.func) in ("get", "getattr"):
            walk(n.func)
            return
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and WORDS.search(n.value):
            found.append(n.value)
        for child in ast.iter_child_nodes(n):
            walk(child)
    walk(node)
    return found


def _docstrings(tree) -> set[int]:
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.body:
            first = n.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def test_no_shown_string_bypasses_the_catalog():
    bypass = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in SHOWN:
                continue
            if _name(node.func) == "write" and not _writes_to_a_terminal(node):
                continue
            values = list(node.args) + [k.value for k in node.keywords
                                        if k.arg in SHOWN_KEYWORDS or _name(node.func) != "add_argument"]
            if _name(node.func) in ("add_argument", "add_parser"):    # add_parser("issue", …): the
                values = [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]   # command's name
            for value in values:
                if value is (node.args[:1] or [None])[0] and _is_code(value):
                    continue                # UsageError("format-choice", …): a message's code, not text
                for words in _literal_words(value):
                    bypass.append(f"{rel}:{node.lineno}: {words[:60]!r}")
    assert not bypass, "user-facing text outside the catalogs (use docgen.i18n.tr / a MESSAGES code):\n" + "\n".join(bypass)


def _is_code(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in MESSAGES


def _writes_to_a_terminal(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and _name(func.value) in ("stderr", "stdout", "stream")


def test_thai_text_only_in_catalogs_and_content():
    found = []
    for rel, tree in _modules():
        if any(rel == m or (m.endswith("/") and rel.startswith(m)) for m in CONTENT_MODULES):
            continue
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                    and THAI.search(node.value) and len(node.value) > 1):     # "\u0e01" <= c: a range
                found.append(f"{rel}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "Thai text outside the catalogs:\n" + "\n".join(found)


def test_no_catalog_call_inside_an_f_string():
    """pybabel does not look inside f-strings: ``f"{tr('OK')}"`` would never reach the catalogs."""
    inside = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                inside += [f"{rel}:{n.lineno}" for n in ast.walk(node)
                           if isinstance(n, ast.Call) and _name(n.func) in ("tr", "N_", "M_")]
    assert not inside


def test_the_checks_above_can_fail():
    tree = ast.parse('print("done: ok")\nparser.add_argument("-x", help="the x")\nprint(tr("fine"))\n')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) in SHOWN]
    words = [w for c in calls for v in list(c.args) + [k.value for k in c.keywords if k.arg == "help"]
             for w in _literal_words(v)]
    assert words == ["done: ok", "the x"]


# ---- no Python type names, field names in Thai ----------------------------------------------

def test_type_errors_name_no_python_type(tmp_path):
    from docgen import api
    letter = {"type": "external", "subject": ["a"], "to": {"x": 1}, "body": 5, "purpose": None,
              "signer": "x", "date": True, "references": "r", "attachments": 3.5}
    problems = api.check_letter(letter, {"agency": "ก", "ref_prefix": "นร 1", "sender": ["ก"]}, base=tmp_path)
    assert problems
    for p in problems:           # Thai never quotes an English type; English says "a list", not "dict"
        assert not re.search(r"\b(list|dict|mapping|str|int|float|bool|NoneType|None|null)\b", p.th), p.th
        assert not re.search(r"\b(dict|str|int|float|bool|NoneType|None)\b", p.en), p.en
    assert any("ข้อความ" in p.th and "รายการ" in p.th for p in problems if p.field == "subject")


def test_required_names_the_field_in_thai(tmp_path):
    from docgen import api
    problems = api.check_letter({"type": "external", "subject": "ก", "body": ["ข"]},
                                {"agency": "ก", "ref_prefix": "นร 1", "sender": ["ก"]}, base=tmp_path)
    (to,) = [p for p in problems if p.field == "to" and p.code == "required"]
    assert to.th == "ต้องระบุ ผู้รับ (to)" and to.en == "to is required"
