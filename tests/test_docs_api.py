"""docs/api.md's examples are doctests: run in an empty working folder (where the page creates
its own SQLite register, as it tells an application to), with no register configured."""
from __future__ import annotations

import doctest

from docgen.data import ROOT

API_MD = ROOT / "docs" / "api.md"


def test_docs_api_examples_run(nowhere):
    work = nowhere
    result = doctest.testfile(str(API_MD), module_relative=False, report=True, verbose=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                              encoding="utf-8")
    assert result.attempted >= 30, result          # the page's examples, not an empty run
    assert result.failed == 0, result
    # what the page did is real: its register, its letters, its batch
    assert (work / "office.db").is_file() and not (work / "elsewhere.db").exists()
    assert sorted(p.name for p in (work / "outbox").glob("letter-12.*")) == ["letter-12.docx", "letter-12.pdf"]
    assert len(list((work / "batch").glob("0*.pdf"))) == 5 and (work / "batch" / "manifest.csv").is_file()
