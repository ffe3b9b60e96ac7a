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


# ---------------------------------------------------------------- the library API (docgen.render, docgen.check)

@dataclass(frozen=True)
class Rendered:
    """A rendered letter held in memory: ``pdf`` / ``docx`` bytes (None for a format not
    asked for), the warnings, and the composed letter (every printed string)."""
    composed: _compose.ComposedLetter
    problems: list
    pdf: bytes | None = None
    docx: bytes | None = None

    def write(self, folder: str | Path, stem: str = "letter") -> dict[str, Path]:
        """Write ``<stem>.pdf`` / ``<stem>.docx`` into ``folder``: every format or none."""
        from .output import atomic_write
        folder = Path(folder)
        written: dict[str, Path] = {}
        try:
            for fmt in FORMATS:
                data = getattr(self, fmt)
                if data is not None:
                    target = folder / f"{clean_stem(stem)}.{fmt}"
                    atomic_write(target, data)
                    written[fmt] = target
        except BaseException:
            for path in written.values():
                path.unlink(missing_ok=True)
            raise
        return written


def _letter_and_base(letter, base) -> tuple[dict, Path]:
    """A letter given as a mapping (relative paths start at ``base``, default the working
    folder) or as a file path (relative paths start at its folder)."""
    if isinstance(letter, (str, Path)):
        path = Path(letter)
        return _input.read_mapping(path), path.parent
    if not isinstance(letter, dict):
        raise TypeError("letter must be a mapping or a path to a YAML/JSON file")
    return dict(letter), Path(base) if base is not None else Path.cwd()


def _validated(letter, profile, base, today):
    raw, base = _letter_and_base(letter, base)
    if profile is None:
        return validate_mapping(raw, base, None, today)
    if isinstance(profile, (str, Path)):            # a profile file the application names
        ppath = Path(profile)
        prof, pdir = _input.read_profile(ppath), ppath.parent
    elif isinstance(profile, dict):
        prof, pdir = dict(profile), base
    else:
        raise TypeError("profile must be a mapping, a path to a YAML/JSON file, or None")
    raw.pop("profile", None)                        # the profile given here is the one used
    return _model.validate(raw, prof, base if raw.get("emblem") else pdir, today=today)


def check_letter(letter, profile=None, base=None, today: dt.date | None = None) -> list:
    """Every problem of a letter (errors and warnings, ``Problem``: field, code, severity, th,
    en); never raises for bad input.

    >>> import docgen
    >>> [p.field for p in docgen.check({"type": "external"}) if p.severity == "error"][:3]
    ['subject', 'to', 'body']
    """
    try:
        _, problems = _validated(letter, profile, base, today)
    except InputError as e:
        return list(e.problems)
    return list(problems.items)


def render_letter(letter, profile=None, formats=FORMATS, base=None,
                  today: dt.date | None = None) -> Rendered:
    """Render a letter (a mapping or a file path) with an optional profile (a mapping or a
    file path) into bytes; InputError names every bad field.  Relative paths in a mapping
    (the emblem) start at ``base`` (default: the working folder) and stay inside the asset
    fence.  Prints nothing and never exits.

    >>> import docgen
    >>> out = docgen.render("examples/02_memo.yaml", formats=("docx",))   # doctest: +SKIP
    >>> out.docx[:2], out.pdf                                             # doctest: +SKIP
    (b'PK', None)
    """
    import shutil
    import tempfile
    from . import render as _render
    formats = tuple(formats)
    _render.prepare(formats)
    with _render.deadline():
        model, problems = _validated(letter, profile, base, today)
        if model is None:
            raise InputError(problems.errors + problems.warnings)
        composed = _compose.compose(model)
        folder = Path(tempfile.mkdtemp(prefix="docgen-render-"))
        try:
            paths = render(composed, folder, "letter", formats)
            data = {fmt: paths[fmt].read_bytes() for fmt in formats}
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return Rendered(composed, list(problems.warnings), data.get("pdf"), data.get("docx"))
