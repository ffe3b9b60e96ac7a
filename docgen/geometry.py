"""Page geometry: ``data/layout.yaml`` merged with a profile's ``layout:`` overrides.

The single source both renderers read.  Values are millimetres unless the key
ends in ``_pt`` (points) or is a plain ratio/count (``line_height``, ``gap_lines``).
"""
import copy
import re

from . import data
from .errors import Problems

# Text values of the layout, each with the only shapes it may take: they reach the PDF's CSS
# and the DOCX styles, so nothing else may pass (a "colour" like "red; } p {display:none}"
# would otherwise rewrite the stylesheet).
TEXT_VALUES = {
    "family": (re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ]{0,40}$"), "a font name in Latin letters, e.g. TH SarabunPSK"),
    "align": (re.compile(r"^(left|center|right)$"), "left | center | right"),
    "color": (re.compile(r"^#[0-9A-Fa-f]{6}$"), "#RRGGBB, e.g. #FF0000"),
}


class Geometry(dict):
    """Nested dict with helpers: ``g.mm("signature.axis_x")``, ``g.pt("font.size_pt")``."""

    def get_path(self, path: str):
        node = self
        for part in path.split("."):
            node = node[part]
        return node

    def mm(self, path: str) -> float:
        return float(self.get_path(path))

    def pt(self, path: str) -> float:
        return float(self.get_path(path))

    @property
    def text_width(self) -> float:
        return self["page"]["width"] - self["margin"]["left"] - self["margin"]["right"]



def _merge(base: dict, over: dict, problems: Problems, prefix: str) -> None:
    for key, value in over.items():
        path = f"{prefix}.{key}" if prefix else key
        if key not in base:
            problems.error(f"layout.{path}", "layout-key", key=path)
        elif isinstance(base[key], dict):
            if isinstance(value, dict):
                _merge(base[key], value, problems, path)
            else:
                problems.error(f"layout.{path}", "layout-value", key=path)
        elif key in TEXT_VALUES:
            shape, allowed = TEXT_VALUES[key]
            if isinstance(value, str) and shape.match(value):
                base[key] = value
            else:
                problems.error(f"layout.{path}", "layout-text", key=path, allowed=allowed)
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            problems.error(f"layout.{path}", "layout-value", key=path)
        else:
            base[key] = value


def build(overrides: dict | None = None, problems: Problems | None = None) -> Geometry:
    """Defaults from data/layout.yaml with ``overrides`` applied (validated)."""
    g = copy.deepcopy(data.load("layout"))
    problems = problems if problems is not None else Problems()
    if overrides:
        _merge(g, overrides, problems, "")
    return Geometry(g)
