"""Python API: the whole flow, left to right.

    letter file → input.read_mapping + with_profile → model.validate → compose.compose → render.<fmt> → files

>>> from docgen import api
>>> result = api.render_file("examples/02_memo.yaml", "output")     # doctest: +SKIP
>>> result.paths["pdf"]                                             # doctest: +SKIP
PosixPath('output/02_memo.pdf')
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import compose as _compose
from . import input as _input
from . import model as _model
from .errors import InputError, Problems
from .output import clean_stem, safe_stem

FORMATS = ("pdf", "docx")


@dataclass
class RenderResult:
    source: Path | None
    composed: _compose.ComposedLetter
    problems: Problems
    paths: dict[str, Path] = field(default_factory=dict)


def validate_mapping(letter: dict, base: Path, overrides: dict | None = None,
                     today: dt.date | None = None):
    """Validate an in-memory letter mapping whose relative paths start at ``base``."""
    letter = {**letter, **(overrides or {})}
    letter, profile, profile_dir = _input.with_profile(letter, base)
    # a path (the emblem) is relative to the file that names it: the letter or its profile
    asset_base = base if letter.get("emblem") else profile_dir
    return _model.validate(letter, profile, asset_base, today=today)


def load(path: str | Path, overrides: dict | None = None, today: dt.date | None = None):
    """(Letter | None, Problems) for a letter file; ``overrides`` replace fields (number, date…)."""
    path = Path(path)
    raw = _input.read_mapping(path)
    return validate_mapping(raw, path.parent, overrides, today)


def check(path: str | Path, today: dt.date | None = None) -> Problems:
    """Every problem of a letter file (errors and warnings); never raises for bad input."""
    try:
        _, problems = load(path, today=today)
    except InputError as e:
        problems = Problems(list(e.problems))
    return problems


def compose_mapping(letter: dict, base: Path, overrides: dict | None = None,
                    today: dt.date | None = None) -> tuple[_compose.ComposedLetter, Problems]:
    model, problems = validate_mapping(letter, base, overrides, today)
    if model is None:
        raise InputError(problems.errors + problems.warnings)
    return _compose.compose(model), problems


def compose_file(path: str | Path, overrides: dict | None = None,
                 today: dt.date | None = None) -> tuple[_compose.ComposedLetter, Problems]:
    """Composed letter for a file, or InputError naming every bad field."""
    path = Path(path)
    return compose_mapping(_input.read_mapping(path), path.parent, overrides, today)


def render(composed: _compose.ComposedLetter, out_dir: str | Path, stem: str,
           formats=FORMATS) -> dict[str, Path]:
    """Write ``<stem>.pdf`` / ``<stem>.docx`` into ``out_dir``: every format or none.

    Both are rendered into a staging folder and moved onto their names only when both
    succeeded; a failure leaves no new file (``render.render_all``).  The render runs within
    the time budget (``render.deadline``; ``RenderTimeout`` when exceeded — in a thread other
    than the main thread it cannot be stopped, only refused when it ends: docs/decisions.md).
    """
    from . import render as _render
    out_dir = Path(out_dir)
    targets = {fmt: out_dir / f"{clean_stem(stem)}.{fmt}" for fmt in formats}
    return _render.render_all(composed, targets)


def render_file(path: str | Path, out_dir: str | Path | None = None, formats=FORMATS,
                overrides: dict | None = None, today: dt.date | None = None,
                stem: str | None = None) -> RenderResult:
    """Validate, compose and render one letter file; raises InputError on bad input.
    Compose and render share one time budget (``RenderTimeout``)."""
    from . import render as _render
    path, formats = Path(path), tuple(formats)
    _render.prepare(formats)                      # one-time loading: outside the budget
    with _render.deadline():
        composed, problems = compose_file(path, overrides, today)
        out_dir = Path(out_dir) if out_dir is not None else path.parent
        paths = render(composed, out_dir, stem or safe_stem(path.name), formats)
    return RenderResult(path, composed, problems, paths)
