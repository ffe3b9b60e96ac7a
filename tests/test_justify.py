"""Thai justification (issue 11): a justified line takes its extra width between characters
(grapheme clusters), as Word's thaiDistribute does, never as gaps between Thai words.

Measured on the PDF (PyMuPDF character boxes): on every justified body line, the gap at a
Thai word boundary (docgen's own tokenizer cuts the line) is at most the gap inside a Thai
word on the same line plus 0.2 mm; the white of a real space is at most 1.5 times the space;
the last line of a paragraph is not justified; and the text layer (pdftotext) holds every
word of the source, with no space the source lacks.
"""
from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pymupdf as fitz
import pytest

from docgen import api
from docgen.render import pdf as pdf_render
from docgen.render import weasy_adapt

from .conftest import MM, ROOT, pdftotext

EXAMPLES = {name: ROOT / "examples" / f"{name}.yaml"
            for name in ("01_external_references", "06_three_pages", "07_order")}
TOLERANCE_MM = 0.2
SPACE_LIMIT = 1.5
ZWSP = "\u200b"


@lru_cache(maxsize=1)
def _tokenize():
    from docgen.thai.words import tokenizer
    return tokenizer()


def _is_thai(c: str) -> bool:
    return "\u0e00" <= c <= "\u0e7f"


def _starts_cluster(c: str) -> bool:
    return unicodedata.category(c) not in ("Mn", "Me", "Mc") and c not in "\u0e33\u0eb3"


@dataclass
class LineGaps:
    text: str
    right: float                                         # right ink edge (pt)
    in_word: list[float] = field(default_factory=list)   # gaps (mm) between clusters of a word
    boundary: list[float] = field(default_factory=list)  # gaps (mm) at Thai word boundaries
    spaces: list[float] = field(default_factory=list)    # white of a space / its width


def _word_starts(text: str) -> set[int]:
    """Character offsets where a Thai word starts after another Thai word (no space between)."""
    starts, offset = set(), 0
    for chunk in text.split(" "):
        pos = offset
        for i, word in enumerate(_tokenize()(chunk) if chunk else []):
            if i:
                starts.add(pos)
            pos += len(word)
        offset += len(chunk) + 1
    return starts


def line_gaps(chars) -> LineGaps:
    """Gaps between the grapheme clusters of one PDF line (PyMuPDF rawdict chars)."""
    chars = [c for c in chars if c["c"] != ZWSP]
    text = "".join(c["c"] for c in chars)
    clusters = []                    # [first index, start x, end x]
    for i, c in enumerate(chars):
        x0, x1 = c["bbox"][0], c["bbox"][2]
        if clusters and not _starts_cluster(c["c"]):
            clusters[-1][2] = max(clusters[-1][2], x1)
        else:
            clusters.append([i, x0, x1])
    out = LineGaps(text, max((c["bbox"][2] for c in chars if not c["c"].isspace()), default=0))
    starts = _word_starts(text)
    for k in range(1, len(clusters)):
        (i0, _, end0), (i1, start1, _) = clusters[k - 1], clusters[k]
        a, b = text[i0], text[i1]
        if a == " " or b == " ":
            continue
        if _is_thai(a) and _is_thai(b):
            gap = (start1 - end0) / MM
            (out.boundary if i1 in starts else out.in_word).append(gap)
    for k in range(1, len(clusters) - 1):
        i, x0, x1 = clusters[k]
        if text[i] == " " and text[clusters[k - 1][0]] != " " and text[clusters[k + 1][0]] != " ":
            out.spaces.append((clusters[k + 1][1] - clusters[k - 1][2]) / (x1 - x0))
    return out


def render(example: Path, target_dir: Path):
    """(composed letter, PDF path), rendered as ``docgen render`` does."""
    r = api.render_file(example, target_dir, formats=("pdf",))
    return r.composed, r.paths["pdf"]


def lines_near_margin(composed, target, within: float) -> list[tuple[LineGaps, float]]:
    """(gaps, how far in pt it ends from the right text margin) of every text line that ends
    within ``within`` pt of that margin."""
    g = composed.geometry
    right = (g["page"]["width"] - g["margin"]["right"]) * MM
    out = []
    for page in fitz.open(target):
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                gaps = line_gaps([c for s in line["spans"] for c in s["chars"]])
                if abs(gaps.right - right) < within:
                    out.append((gaps, gaps.right - right))
    return out


def justified_lines(composed, target) -> list[LineGaps]:
    """Body lines that reach the right text margin (within 1 pt) and have Thai to measure."""
    return [gaps for gaps, _ in lines_near_margin(composed, target, 1.0) if gaps.in_word]


def violations(lines: list[LineGaps]) -> list[str]:
    bad = []
    for ln in lines:
        inside = statistics.median(ln.in_word)      # (a kerned pair makes a single gap negative)
        if ln.boundary and max(ln.boundary) > inside + TOLERANCE_MM:
            bad.append(f"word gap {max(ln.boundary):.2f} mm > {inside:.2f} + {TOLERANCE_MM}: {ln.text}")
        if ln.spaces and max(ln.spaces) > SPACE_LIMIT + 0.01:
            bad.append(f"space {max(ln.spaces):.2f}× its width: {ln.text}")
    return bad


def stats(lines: list[LineGaps]) -> dict:
    boundary = [g for ln in lines for g in ln.boundary]
    in_word = [g for ln in lines for g in ln.in_word]
    spaces = [g for ln in lines for g in ln.spaces]
    return {"lines": len(lines),
            "boundary_mm": (min(boundary), statistics.median(boundary), max(boundary)) if boundary else None,
            "in_word_mm": (min(in_word), statistics.median(in_word), max(in_word)) if in_word else None,
            "space_ratio": (min(spaces), statistics.median(spaces), max(spaces)) if spaces else None,
            "excess_mm": max((max(ln.boundary) - statistics.median(ln.in_word) for ln in lines if ln.boundary),
                             default=0.0)}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("justify")
    return {name: render(path, out) for name, path in EXAMPLES.items()}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_justified_lines_spread_between_characters(rendered, name):
    lines = justified_lines(*rendered[name])
    assert len(lines) >= 3, name
    assert violations(lines) == []
    # the line really is stretched between its characters (not only at spaces)
    assert statistics.median(g for ln in lines for g in ln.in_word) > 0.01


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_last_line_of_a_paragraph_is_not_justified(rendered, name):
    """In the layout: the last line of every justified paragraph keeps its natural spacing
    and stops short of the right margin."""
    from weasyprint.formatting_structure import boxes
    composed, _ = rendered[name]
    document, _ = pdf_render.layout(composed)
    checked = 0
    for page in document.pages:
        for line in weasy_adapt.page_lines(page):
            if line.style["text_align_all"] != "justify" or line.element is None:
                continue
            full = "".join(line.element.itertext()).replace(ZWSP, "")
            text = weasy_adapt.line_text(line)
            if not text.strip() or not " ".join(full.split()).endswith(" ".join(text.split())):
                continue
            texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
            assert all(b.style["letter_spacing"] == "normal" and not b.justification_spacing
                       for b in texts), text
            checked += 1
    assert checked >= 3


def _source_phrases(composed) -> list[str]:
    """Every space-separated piece of Thai text the letter's HTML body prints (ZWSP, docgen's
    render-time word boundaries, removed)."""
    import html
    import re
    body = pdf_render.build_html(composed).split("<body", 1)[1]
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body)).replace(ZWSP, "")
    return [piece for piece in text.split() if any(_is_thai(c) for c in piece)]


def text_layer_problems(composed, target) -> list[str]:
    """What the text layer (``pdftotext -raw``) gets wrong against the letter's own text."""
    raw = pdftotext(target, "-raw")
    problems = ["ZWSP in the text layer"] if ZWSP in raw else []
    pieces = _source_phrases(composed)
    whole = set(pieces)
    joined = " ".join(raw.split("\n"))
    lines = [ln.split() for ln in raw.splitlines()
             if ln.strip() and not ln.strip().endswith("...")]      # (continuation markers)
    # every piece is found by a plain search, as printed or cut where a line (or page) breaks
    for p in pieces:
        if p not in joined and not any(
                any(ln[-1] == p[:i] for ln in lines) and any(ln[0] == p[i:] for ln in lines)
                for i in range(1, len(p))):
            problems.append(f"not found: {p}")
    # no space the source lacks: on a line, every word is a whole piece of the source, but
    # the first (the end of a piece cut by the line break) and the last (its start)
    for ln in lines:
        if len(ln) < 2:
            continue                                # page furniture: page numbers, marks
        for i, word in enumerate(ln):
            if not any(_is_thai(c) for c in word) or word in whole:
                continue
            if (i == 0 and any(p.endswith(word) for p in pieces)) or \
                    (i == len(ln) - 1 and any(p.startswith(word) for p in pieces)):
                continue
            problems.append(f"space the source lacks: …{' '.join(ln[max(i - 1, 0):i + 2])}…")
    return problems


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_text_layer_has_every_source_word_and_no_extra_space(rendered, name):
    composed, target = rendered[name]
    assert len(_source_phrases(composed)) >= 30
    assert text_layer_problems(composed, target) == []
    if name == "01_external_references":        # a repeated word: every occurrence found
        raw = pdftotext(target, "-raw").replace("\n", "")
        source = " ".join(_source_phrases(composed))
        assert raw.count("ตัวชี้วัด") == source.count("ตัวชี้วัด") >= 4


def test_guard_the_old_zwsp_stretching_fails_the_gap_check(tmp_path, monkeypatch):
    """docgen's former justification (ZWSP counted and stretched like a space, with WeasyPrint's
    shipped add_word_spacing) fails the gap check and the text-layer check."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    weasy_adapt.install()
    example = EXAMPLES["06_three_pages"]
    good = justified_lines(*render(example, tmp_path / "with"))
    assert violations(good) == []

    def old_count(box):          # docgen's former count: spaces, NBSP and ZWSP
        if isinstance(box, boxes.TextBox):
            text = box.text.rstrip(ZWSP + " ")
            return text.count(" ") + text.count("\u00a0") + text.count(ZWSP)
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            return sum(old_count(c) for c in box.children)
        return 0

    import re

    class OldRe:                 # docgen's former set_text hook: ZWSP stretched like a space
        def __getattr__(self, name):
            return getattr(re, name)

        @staticmethod
        def finditer(pattern, string, *args, **kwargs):
            if pattern == " |\u00a0".encode():
                pattern = " |\u00a0|\u200b".encode()
            return re.finditer(pattern, string, *args, **kwargs)

    monkeypatch.setattr(inline, "count_expandable_spaces", old_count)
    monkeypatch.setattr(inline, "add_word_spacing", weasy_adapt._ORIGINAL_ADD_WORD_SPACING)
    monkeypatch.setattr(line_break, "re", OldRe())
    old = justified_lines(*render(example, tmp_path / "old"))
    assert len(old) >= 5 and len(violations(old)) >= len(old) // 2
    # and pdftotext reads the wide gaps as spaces: words are cut, "ตัวชี้วัด" is not found
    assert text_layer_problems(*render(EXAMPLES["01_external_references"], tmp_path / "old"))


def test_guard_shipped_justification_stretches_spaces(tmp_path, monkeypatch):
    """WeasyPrint as shipped puts a justified line's extra width into its spaces only."""
    from weasyprint.layout import inline
    weasy_adapt.install()
    monkeypatch.setattr(inline, "count_expandable_spaces", weasy_adapt._ORIGINAL_COUNT)
    monkeypatch.setattr(inline, "add_word_spacing", weasy_adapt._ORIGINAL_ADD_WORD_SPACING)
    lines = justified_lines(*render(EXAMPLES["06_three_pages"], tmp_path))
    assert any("space" in v for v in violations(lines))


def _right_edges(composed, target) -> list[float]:
    """How far (mm) each body line that ends within 1 mm of the right margin ends from it."""
    return [off / MM for _, off in lines_near_margin(composed, target, 1 * MM)]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_justified_lines_end_on_the_margin(rendered, name):
    edges = _right_edges(*rendered[name])
    assert len(edges) >= 3 and max(abs(e) for e in edges) < 0.25


def test_guard_lines_end_short_without_whole_unit_advances(tmp_path, monkeypatch):
    """WeasyPrint writes int(kerning): without ``_whole_units`` a letter-spaced line is drawn
    up to 0.5 mm shorter than it was laid out."""
    from weasyprint.draw import text as draw_text
    weasy_adapt.install()
    monkeypatch.setattr(draw_text, "draw_first_line", weasy_adapt._ORIGINAL_DRAW_FIRST_LINE)
    edges = _right_edges(*render(EXAMPLES["07_order"], tmp_path))
    assert max(abs(e) for e in edges) > 0.25
