"""The limit table (``data/limits.yaml``): one place for every bound on the input.

>>> get("text.subject")
300
>>> get("layout.mm")
[0.5, 600]
"""
from __future__ import annotations

from . import data


def get(path: str):
    """The limit at a dotted path of ``data/limits.yaml`` (KeyError names an unknown one)."""
    node = data.load("limits")
    for part in path.split("."):
        node = node[part]
    return node
