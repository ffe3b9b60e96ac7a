"""Input stage: read a letter file (YAML/JSON) and its agency profile into plain data.

The letter's own fields override the profile's.  Nothing is validated here beyond
"is it a readable mapping"; validation is the model stage's job.
"""
import json
from pathlib import Path

import yaml

from .errors import InputError, Problem, Problems

SUFFIXES = {".yaml": "YAML", ".yml": "YAML", ".json": "JSON"}


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (we parse them ourselves) and refuses duplicate keys."""


def _no_dates(loader, node):
    return loader.construct_scalar(node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _no_dates)


def read_mapping(path: Path, field: str = "file") -> dict:
    """A YAML/JSON file as a dict, or InputError naming the file."""
    problems = Problems()
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        problems.error(field, "file-format", ext=path.suffix or "(none)")
        raise InputError(problems.items, str(path))
    if not path.is_file():
        problems.error(field, "file-missing", path=str(path))
        raise InputError(problems.items, str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        problems.error(field, "file-unreadable", detail=str(e))
        raise InputError(problems.items, str(path)) from None
    return parse_mapping(text, kind, field, str(path))


def parse_mapping(text: str, kind: str, field: str = "file", source: str = "") -> dict:
    problems = Problems()
    try:
        value = json.loads(text) if kind == "JSON" else yaml.load(text, Loader=_UniqueKeyLoader)
    except (yaml.YAMLError, json.JSONDecodeError) as e:
        detail = " ".join(str(e).split())[:300]
        problems.error(field, "file-syntax", kind=kind, detail=detail)
        raise InputError(problems.items, source) from None
    if not isinstance(value, dict):
        problems.error(field, "not-mapping")
        raise InputError(problems.items, source)
    return value


def load_letter(path: str | Path) -> tuple[dict, dict, Path]:
    """(letter fields, profile fields, profile folder) for a letter file.

    The profile path is relative to the letter file.  Returns the raw letter
    (without the ``profile`` key resolved) and the raw profile.
    """
    path = Path(path)
    letter = read_mapping(path)
    return with_profile(letter, path.parent)


def with_profile(letter: dict, base: Path) -> tuple[dict, dict, Path]:
    profile, profile_dir = {}, base
    ref = letter.get("profile")
    if ref is not None:
        if not isinstance(ref, str) or "://" in ref or ref.startswith("file:"):
            raise InputError([Problem("profile", "path-unsafe", "error", (("value", str(ref)),))])
        ppath = (base / ref)
        if not ppath.is_file():
            raise InputError([Problem("profile", "profile-missing", "error", (("value", ref),))])
        profile = read_mapping(ppath, field="profile")
        profile_dir = ppath.parent
    return letter, profile, profile_dir
