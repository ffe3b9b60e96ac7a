"""The block model (issue 10): compose gives each letter its blocks in print order, from the
type's declaration (data/doctypes.yaml `blocks:`); the PDF prints them in that order, one
partial per block kind, and no label is written in a template."""
from __future__ import annotations

import dataclasses
import re

import pytest

from docgen import compose, data
from docgen.assets import Image
from docgen.data import TEMPLATES_DIR

from .conftest import pdftotext, squash

HTML = TEMPLATES_DIR / "html"


def block_texts(block) -> list[str]:
    """The strings a block prints, in field order (entries: "๑. text")."""
    out = []
    for f in dataclasses.fields(block):
        value = getattr(block, f.name)
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if isinstance(v, str) and not isinstance(v, Image):      # an Image is its path, not printed
                out.append(v)
            elif isinstance(v, compose.Labeled):
                out.append(f"{v.label} {v.text}".strip())
            elif isinstance(v, compose.FormCell):
                out += [v.label, v.text]
    return [t for t in out if t and t not in ("center", "left", "date", "signature")]   # placement words


def test_every_declared_block_has_a_builder_and_a_partial():
    for key, spec in data.doctypes().items():
        assert spec["blocks"], key
        for name, _params in compose.block_entries(spec):       # raises for a name no builder has
            assert name in compose.BUILDERS, (key, name)
    kinds = {cls.kind for cls in compose.PrintBlock.__subclasses__()}
    for kind in kinds:
        assert (HTML / "blocks" / f"{kind}.html").is_file(), kind
    assert {p.stem for p in (HTML / "blocks").glob("*.html")} == kinds


def test_blocks_are_frozen_and_final(pdf_examples):
    composed, _ = pdf_examples["06_three_pages"]
    blocks = composed.blocks
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(blocks[0], dataclasses.fields(blocks[0])[0].name, "x")
    assert all(not re.search("[0-9]", t) for b in blocks for t in block_texts(b)), \
        "Thai digits are applied in compose"


def test_no_label_is_written_in_a_template():
    labels = set(compose.ComposedLetter.LABELS.values()) | {"เรียน", "ที่", "วันที่"}
    for path in [HTML / "page.html", *(HTML / "blocks").glob("*.html")]:
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for label in labels:
            assert not re.search(rf"(?<![ก-๙]){label}(?![ก-๙])", text), (path.name, label)


@pytest.mark.parametrize("stem", ["01_external_references", "02_memo", "06_three_pages"])
def test_pdf_prints_the_blocks_in_order(pdf_examples, stem):
    composed, path = pdf_examples[stem]
    text = squash(pdftotext(path, "-raw"))
    at = 0
    for block in composed.blocks:
        if block.kind in ("marks", "emblem"):     # fixed/absolute: painted where the page puts them
            continue
        for t in block_texts(block):
            found = text.find(squash(t), at)
            assert found >= 0, (block.kind, t)
            at = found + len(squash(t))


def test_a_distribution_set_after_compose_is_a_block(pdf_examples):
    from docgen.batch.circular import attach_distribution
    composed, _ = pdf_examples["03_circular"]
    composed = dataclasses.replace(composed)
    attach_distribution(composed, ["ผู้ว่าราชการจังหวัดเชียงใหม่", "ผู้ว่าราชการจังหวัดลำปาง"])
    last = composed.blocks[-1]
    assert last.kind == "distribution" and [e.label for e in last.entries] == ["๑.", "๒."]
