"""Page geometry: ``data/layout.yaml`` merged with a profile's ``layout:`` overrides.

The single source both renderers read.  Values are millimetres unless the key
ends in ``_pt`` (points) or is a plain ratio/count (``line_height``, ``gap_lines``).
Every number has a range in the limit table (``layout`` in data/limits.yaml, ``_range``),
and the merged page must leave room for the text (``_check_page``): nothing the renderers
receive can hang them, eat memory or give a page-less PDF.
"""
import copy
import re

from . import data, limits
from .errors import Problems
from .i18n import Msg
from .thai.text import shown

# Text values of the layout, each with the only shapes it may take: they reach the PDF's CSS
# and the DOCX styles, so nothing else may pass (a "colour" like "red; } p {display:none}"
# would otherwise rewrite the stylesheet).  Matched with ``fullmatch``: ``$`` would accept
# a final line break ("#FF0000\n"), which Word refuses in an attribute.
TEXT_VALUES = {
    "family": (re.compile(r"[A-Za-z0-9][A-Za-z0-9 ]{0,40}"), "a font name in Latin letters, e.g. TH SarabunPSK"),
    "align": (re.compile(r"left|center|right"), "left | center | right"),
    "color": (re.compile(r"#[0-9A-Fa-f]{6}"), "#RRGGBB, e.g. #FF0000"),
}

# the unit (a phrase of the catalogs) of each kind of number
_UNITS = {
    "mm": "unit-mm", "page": "unit-mm", "emblem_height": "unit-mm", "pt": "unit-pt", "gap_pt": "unit-pt",
    "line_height": "unit-times-font", "gap_lines": "unit-lines",
}


def _range(path: str) -> str:
    """The kind of a layout number (its range in ``layout`` of the limit table).

    >>> [_range(p) for p in ("margin.left", "page.width", "emblem.memo.height", "font.size_pt",
    ...                      "block_gap_pt", "line_height", "signature.gap_lines")]
    ['mm', 'page', 'emblem_height', 'pt', 'gap_pt', 'line_height', 'gap_lines']
    """
    key = path.rsplit(".", 1)[-1]
    if key in ("line_height", "gap_lines"):
        return key
    if key == "block_gap_pt":
        return "gap_pt"
    if key.endswith("_pt"):
        return "pt"
    if path.startswith("page."):
        return "page"
    if path.startswith("emblem.") and key == "height":
        return "emblem_height"
    return "mm"


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
        name = shown(key, 60)
        path = f"{prefix}.{name}" if prefix else name
        if not isinstance(key, str) or key not in base:
            problems.error(f"layout.{path}", "layout-key", key=path)
        elif isinstance(base[key], dict):
            if isinstance(value, dict):
                _merge(base[key], value, problems, path)
            else:
                problems.error(f"layout.{path}", "layout-value", key=path)
        elif key in TEXT_VALUES:
            shape, allowed = TEXT_VALUES[key]
            if isinstance(value, str) and shape.fullmatch(value):
                base[key] = value
            else:
                problems.error(f"layout.{path}", "layout-text", key=path, allowed=allowed)
        elif (isinstance(value, bool) or not isinstance(value, (int, float)) or value != value
              or value <= 0 and not (value == 0 and _range(path) == "gap_lines")):
            problems.error(f"layout.{path}", "layout-value", key=path)      # also nan, and negatives
        else:
            kind = _range(path)
            low, high = limits.get(f"layout.{kind}")
            if kind == "gap_lines":
                if not (isinstance(value, int) or value.is_integer()) or not low <= value <= high:
                    problems.error(f"layout.{path}", "layout-count", key=path, low=low, high=high,
                                   value=shown(value))
                    continue
                value = int(value)
            elif not low <= value <= high:                   # inf, 10**300, 1e-300
                problems.error(f"layout.{path}", "layout-range", key=path, low=low, high=high,
                               unit=Msg(_UNITS[kind]), value=shown(value))
                continue
            base[key] = value


def _check_page(g: dict, problems: Problems) -> None:
    """The merged page must hold its parts: margins that leave ``layout.text_min`` mm of
    text both ways, a line and the signature space that fit the text height, positions and
    widths inside the text width, the emblem and the marks in the top half of the page."""
    minimum = limits.get("layout.text_min")
    page, margin = g["page"], g["margin"]
    width = page["width"] - margin["left"] - margin["right"]
    height = page["height"] - margin["top"] - margin["bottom"]
    for side, field, a, b, left, size in (
            ("side-left-right", "layout.margin.left", "left", "right", width, page["width"]),
            ("side-top-bottom", "layout.margin.top", "top", "bottom", height, page["height"])):
        if left < minimum:
            problems.error(field, "layout-text-area", side=Msg(side),
                           margins=f"{margin[a]:g} + {margin[b]:g}", left=f"{left:g}", page=f"{size:g}",
                           minimum=minimum)
            return
    mm = lambda v: round(v, 1)  # noqa: E731

    def fit(path, value, limit, what: Msg):
        if value > limit:
            problems.error(f"layout.{path}", "layout-fit", key=path, value=f"{mm(value):g}",
                           limit=f"{mm(limit):g}", what=what, unit=Msg("unit-mm"))

    across = Msg("fit-text-width")
    for path in ("header.sender_x", "header.date_x", "header.label_width", "body.first_line_indent",
                 "signature.axis_x", "signature.width", "rule.width", "attendees.name_x",
                 "attendees.position_x", "seal.size", "photo.width"):
        section, key = path.split(".")
        fit(path, g[section][key], width, across)
    levels = limits.get("counts.item_levels")
    fit("body.item_step", g["body"]["first_line_indent"] + levels * g["body"]["item_step"], width,
        Msg.of("fit-item-levels", levels=levels))
    line_mm = g["font"]["size_pt"] * g["line_height"] * 25.4 / 72
    fit("line_height", line_mm, height / 2, Msg("fit-half-text"))
    fit("signature.gap_lines", g["signature"]["gap_lines"] * line_mm, height,
        Msg("fit-text-height"))
    half = Msg("fit-half-page")
    for kind, spec in g["emblem"].items():
        fit(f"emblem.{kind}.height", spec["top"] + spec["height"], page["height"] / 2,
            half)
    for path in ("marks.secrecy_top", "marks.secrecy_bottom", "page_number.top",
                 "page_number.top_with_secrecy"):
        section, key = path.split(".")
        fit(path, g[section][key], page["height"] / 2, half)


def build(overrides: dict | None = None, problems: Problems | None = None) -> Geometry:
    """Defaults from data/layout.yaml with ``overrides`` applied (validated)."""
    g = copy.deepcopy(data.load("layout"))
    problems = problems if problems is not None else Problems()
    if overrides:
        errors = len(problems.errors)
        _merge(g, overrides, problems, "")
        if len(problems.errors) == errors:
            _check_page(g, problems)
    return Geometry(g)
