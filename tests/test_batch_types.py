"""`docgen batch` for the types sent to many recipients (issue 10): หนังสือภายนอก, บันทึกข้อความ,
หนังสือประทับตรา and หนังสือรับรอง (data/doctypes.yaml `batch: true`); any other type is refused
by name before anything is read from the sheet or written."""
from __future__ import annotations

import shutil

import pytest

from docgen import data
from docgen.cli import main

from .conftest import pdftotext, squash
from tests.test_register_support import make_register

EXAMPLES = data.ROOT / "examples"


def _cli(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_the_declared_batch_types_are_the_ones_sent_to_many():
    assert sorted(k for k, s in data.doctypes().items() if s.get("batch")) == \
        ["certificate", "external", "memo", "stamped"]


def test_a_stamped_batch_addresses_each_copy_with_to_and_no_salutation(tmp_path, capsys):
    out = tmp_path / "out"
    rc, _, err = _cli(capsys, "batch", EXAMPLES / "batch" / "stamped.yaml", "--to",
                      EXAMPLES / "batch" / "recipients.csv", "--dry-run", "--limit", "2", "--jobs", "1",
                      "--format", "pdf", "-o", out)
    assert rc == 0, err
    drafts = sorted((out / "preview").glob("*.pdf"))
    assert len(drafts) == 2
    text = squash(pdftotext(drafts[0], "-raw"))
    assert squash("ถึง ปลัดกระทรวงการคลัง") in text and "เรียน" not in text
    assert squash("จำนวน ๒ เล่ม") in text and "ขอแสดงความนับถือ" not in text


def test_a_certificate_batch_fills_each_person_and_numbers_them_in_the_letter_series(tmp_path, capsys):
    url = make_register(tmp_path)
    out = tmp_path / "out"
    rc, _, err = _cli(capsys, "batch", EXAMPLES / "batch" / "certificates.yaml", "--to",
                      EXAMPLES / "batch" / "certified.csv", "--db", url, "--jobs", "1",
                      "--format", "pdf", "-o", out)
    assert rc == 0, err
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 3
    texts = [squash(pdftotext(p, "-raw")) for p in pdfs]
    for person, text in zip(["นายสมศักดิ์ ใจดี", "นางสาวมาลี ตัวอย่าง", "นายวีระ ตัวอย่าง"], texts):
        assert squash(person) in text
        assert squash("หนังสือรับรอง") in text and "ถึง" not in text.split("หนังสือรับรอง")[0]
    refs = sorted(next(w for w in t.split("ที่")[1:2]) for t in texts)
    assert len(set(refs)) == 3                                   # three numbers, one each


@pytest.mark.parametrize("example", ["07_order.yaml", "11_statement.yaml", "15_minutes.yaml"])
def test_a_type_not_sent_to_many_is_refused_by_name(tmp_path, capsys, example):
    shutil.copytree(EXAMPLES / "profiles", tmp_path / "profiles")
    notice = tmp_path / example
    shutil.copy(EXAMPLES / example, notice)
    out = tmp_path / "out"
    rc, stdout, err = _cli(capsys, "batch", notice, "--to", EXAMPLES / "batch" / "recipients.csv",
                           "--dry-run", "--jobs", "1", "-o", out)
    assert rc != 0
    spec = data.doctypes()[data.doctype_key(notice.read_text(encoding="utf-8").split("type:")[1].split()[0])]
    assert spec["name_th"] in err and "docgen batch takes" in err and "stamped (หนังสือประทับตรา)" in err
    assert "Traceback" not in err and not out.exists()
