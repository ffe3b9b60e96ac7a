"""Reference data from ``data/`` (read once per process)."""
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
TEMPLATES_DIR = ROOT / "templates"
FONTS_DIR = ROOT / "fonts"


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
