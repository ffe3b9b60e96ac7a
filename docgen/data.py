"""Reference data from ``data/`` (read once per process), and where docgen's assets are.

The asset folders (``data``, ``fonts``, ``templates``, ``examples``) are found with
importlib.resources under ``docgen/_assets/``: in a wheel they are real folders there; in a
source checkout (and an editable install) ``docgen/_assets/<folder>`` are links to the
repository's top-level folders.  Paths are resolved, so the asset fences compare real paths.
"""
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml


def _asset_dir(name: str) -> Path:
    path = Path(str(resources.files("docgen") / "_assets" / name)).resolve()
    if not path.is_dir():                      # a broken install: say which folder is missing
        raise FileNotFoundError(2, "docgen's assets are missing (reinstall docgen)", str(path))
    return path


DATA_DIR = _asset_dir("data")
TEMPLATES_DIR = _asset_dir("templates")
FONTS_DIR = _asset_dir("fonts")
EXAMPLES_DIR = _asset_dir("examples")
ROOT = Path(__file__).resolve().parent.parent    # the source checkout: for tests and scripts only


@lru_cache(maxsize=None)
def load(name: str):
    """Parsed ``data/<name>.yaml``."""
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def doctypes() -> dict:
    return load("doctypes")


def address_table() -> list[dict]:
    return load("forms_of_address")["classes"]


def urgency_classes() -> list[str]:
    return [c["key"] for c in load("urgency")["classes"]]


def secrecy_classes() -> list[str]:
    return [c["key"] for c in load("secrecy")["classes"]]
