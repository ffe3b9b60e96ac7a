"""DOCX renderer: composed letter → docxtpl template (templates/docx) → Thai-correct DOCX.

* The template is an ordinary Word file an agency may edit; its placeholders are listed in
  docs/docx-templates.md.  The context is built here from the ComposedLetter: every string
  is final, this module never changes text.  The shipped ``page.docx`` prints every type by
  walking ``blocks`` (``ComposedLetter.blocks``), one builder per block kind
  (scripts/make_docx_templates.py), as the PDF's page.html does; the flat names stay in the
  context for agency templates made from the former per-type templates.
* Autoescape is on: ``& < > "`` in user text stay text, and ``{{ }}`` typed by a user
  prints literally (values are inserted once, never rendered again).
* Post-processing (python-docx/lxml): page set-up and ``DG …`` styles from the geometry
  (``docx_layout.apply_layout``), Thai runs marked complex script with named fonts and
  ``szCs``/``bCs`` twins, no theme fonts, compatibilityMode 15, thaiDistribute on body
  paragraphs only, the page-number field and ``pgNumType``, core properties.
* Compiled once, rendered many times: per (template, geometry, secrecy, emblem image: its
  content hash and the validated bytes from the model, docgen/assets.py) the template
  is laid out, its text parts (body, headers, footers, footnotes) are patched and compiled
  as docxtpl would, the emblem's image and relationships are put in place, and every other
  part is serialized and deflated once (``_Compiled``).  A letter renders only its text
  parts, post-processes them and appends them to a copy of that zip: 5.5 ms instead of
  11 ms.  ``tests/test_docx.py`` checks that the parts equal a plain docxtpl render byte
  for byte.  (A part whose source names ``emblem`` gets the image relationship even if a
  condition hides the emblem: unused, harmless; a letter that prints no emblem block gets
  none.)
* The seal and the photograph vary per letter, so they are *slots*: the compiled template
  holds the picture's drawing (its size and format are the compile key, ``_image_slots``)
  over a stand-in image part, and every letter writes its own image bytes into that part's
  zip member (``_slot_images``).  A letter with neither compiles and renders as before.
* Word paginates a DOCX itself, so there is no continuation marker (คำต่อ) here.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import docx
import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import parse_xml
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from markupsafe import Markup

from ..assets import validated
from ..compose import ComposedLetter, PrintBlock, metadata_text
from ..geometry import Geometry
from ..data import FONTS_DIR, TEMPLATES_DIR
from ..output import atomic_path
from .docx_layout import BODY_STYLES, CHAR_STYLES, apply_layout, character_specs, drop_derived_parts, \
    fix_rpr, normalize_package, strip_theme_fonts, TABLE_STYLES, table_widths, twips

DOCX_DIR = TEMPLATES_DIR / "docx"
THAI = re.compile("[\u0e00-\u0e7f]")
PLACEHOLDER_RATIO = 0.85        # width/height of the stand-in emblem (same box as the PDF's)
IMAGE_NAMES = ("emblem", "seal", "photo")      # the pictures a template prints: {{ emblem }} …
_SECT_AFTER_PGNUM = [qn(f"w:{t}") for t in (
    "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
    "rtlGutter", "docGrid", "printerSettings", "sectPrChange")]

_PPR_AFTER_SPACING = {qn(f"w:{t}") for t in (
    "ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()}

_TBLPR_ORDER = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
                "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
                "tblDescription tblPrChange").split()


# ---- cached per process ---------------------------------------------------------------

@lru_cache(maxsize=16)
def _template_bytes(path: str, mtime_ns: int, size: int) -> bytes:
    """The template file's bytes, read once per process (keyed by path and mtime)."""
    return Path(path).read_bytes()


@lru_cache(maxsize=32)
def _laid_out(path: str, mtime_ns: int, size: int, geometry_json: str, secrecy: bool,
              emblem: str | None) -> bytes:
    """The template with page set-up and DG styles written from the geometry, once per
    (template, geometry, secrecy, emblem): the styles do not depend on the letter's text.
    ``emblem`` None: the letter prints no emblem, its page 1 starts at ``margin.top``."""
    doc = docx.Document(io.BytesIO(_template_bytes(path, mtime_ns, size)))
    g = Geometry(json.loads(geometry_json))
    apply_layout(doc, g, secrecy=secrecy, emblem=emblem)
    normalize_package(doc, g.get_path("font.family"))       # styles and settings: letter-independent
    drop_derived_parts(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def prints_emblem(composed: ComposedLetter, blocks: list[PrintBlock] | None = None) -> bool:
    """Whether the letter prints the emblem band (its type declares an ``emblem`` block)."""
    return any(b.kind == "emblem" for b in (composed.blocks if blocks is None else blocks))


def laid_out_template(path: Path, composed: ComposedLetter, blocks: list[PrintBlock] | None = None) -> bytes:
    st = Path(path).stat()
    emblem = composed.doctype_spec.get("emblem", composed.doctype) \
        if prints_emblem(composed, blocks) else None
    return _laid_out(str(Path(path).resolve()), st.st_mtime_ns, st.st_size,
                     json.dumps(composed.geometry, sort_keys=True), bool(composed.secrecy), emblem)


@lru_cache(maxsize=8)
def placeholder_png(height_mm: float) -> bytes:
    """A clearly labelled stand-in for the Garuda (none is redistributable), drawn at
    300 dpi for an emblem ``height_mm`` high: dashed box, "ตราครุฑ (ตัวแทน) / emblem placeholder"."""
    from PIL import Image, ImageDraw, ImageFont
    h = round(height_mm / 25.4 * 300)
    w = round(h * PLACEHOLDER_RATIO)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    grey, dash, stroke = (102, 102, 102), max(4, h // 30), max(2, h // 120)
    for x in range(0, w, 2 * dash):
        draw.line([(x, 0), (min(x + dash, w), 0)], grey, stroke)
        draw.line([(x, h - 1), (min(x + dash, w), h - 1)], grey, stroke)
    for y in range(0, h, 2 * dash):
        draw.line([(0, y), (0, min(y + dash, h))], grey, stroke)
        draw.line([(w - 1, y), (w - 1, min(y + dash, h))], grey, stroke)
    font = ImageFont.truetype(str(FONTS_DIR / "THSarabunPSK-Regular.ttf"), max(10, h // 7))
    lines = ["ตราครุฑ", "(ตัวแทน)", "emblem", "placeholder"]
    step = h // (len(lines) + 1)
    for i, line in enumerate(lines):
        draw.text((w / 2, step * (i + 1)), line, fill=grey, font=font, anchor="mm")
    out = io.BytesIO()
    img.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


@lru_cache(maxsize=8)
def seal_placeholder_png(size_mm: float, color: str = "#CC0000") -> bytes:
    """The stand-in for the agency's seal, drawn at 300 dpi ``size_mm`` wide and high: a dashed
    circle in ``color`` (the marks' red).  Its label (ตราชื่อส่วนราชการ (ตัวแทน)) is printed
    as text under it (style DG Seal Label), so it is read, searched and copied like the PDF's."""
    from PIL import Image, ImageDraw
    side = round(size_mm / 25.4 * 300)
    img = Image.new("RGB", (side, side), "white")
    draw = ImageDraw.Draw(img)
    red, stroke = color, max(2, side // 100)
    steps = 48
    for i in range(0, steps, 2):                         # a dashed circle, one arc per dash
        draw.arc((stroke, stroke, side - 1 - stroke, side - 1 - stroke), i * 360 / steps,
                 (i + 1) * 360 / steps, red, stroke)
    out = io.BytesIO()
    img.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


@lru_cache(maxsize=8)
def _stand_in(name: str, ext: str) -> bytes:
    """A 1×1 image that holds a slot's part in the compiled template (a letter writes its own
    bytes over it); a colour of its own per slot, so two slots never share one part."""
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (1, 1), tuple(IMAGE_NAMES.index(name) * 40 + i for i in range(3))).save(
        out, "JPEG" if ext == "jpg" else "PNG")
    return out.getvalue()


class _CachingEnvironment(jinja2.Environment):
    """Keeps what it compiled: a template's core properties are rendered as Jinja for every
    letter (as docxtpl does), and compiling the same small source again costs more than
    rendering it."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        tpl = self._compiled.get(source)
        if tpl is None:
            if len(self._compiled) > 256:
                self._compiled.clear()
            tpl = self._compiled[source] = super().from_string(source)
        return tpl


@lru_cache(maxsize=1)
def _jinja_env() -> jinja2.Environment:
    return _CachingEnvironment(autoescape=True)


# docxtpl's escapes for literal braces in a *template* ("{_{" → "{{") are resolved before
# Jinja runs, not in the rendered output, so a user's text that happens to contain "{_{" is
# printed as typed (docxtpl 0.20.2 would turn it into "{{").
_ESCAPES = (("{_{", "{{ '{{' }}"), ("}_}", "{{ '}}' }}"), ("{_%", "{{ '{%' }}"), ("%_}", "{{ '%}' }}"))


@lru_cache(maxsize=64)
def _patched_xml(src_xml: str) -> str:
    """docxtpl's clean-up of a template part (regexes over the whole XML, ~5 ms), then our
    escapes.  A part of one template is the same string every time: once per process."""
    src_xml = DocxTemplate.patch_xml(None, src_xml)     # docxtpl's method never reads self
    for escaped, literal in _ESCAPES:
        src_xml = src_xml.replace(escaped, literal)
    return src_xml


# ---- the compiled template (once per template, geometry and emblem) --------------------

_NEWLINE_P = re.compile(r"<w:p([ >])")
_UNNEWLINE_P = re.compile(r"\n<w:p([ >])")
_BAND_TYPES = {RT.HEADER: "header", RT.FOOTER: "footer"}
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# the core properties docxtpl renders as templates (the others it leaves as they are)
_TEMPLATED_PROPS = ("author", "comments", "identifier", "language", "subject", "title")


@dataclass
class _Part:
    """One templated XML part: its compiled Jinja source and how to read the result."""
    member: str                       # zip member name ("word/header1.xml")
    kind: str                         # "body" | "header" | "footer" | "footnotes"
    template: jinja2.Template
    source_lines: list[str]           # for error context
    encoding: str = "utf-8"
    images: dict = field(default_factory=dict)   # name → the drawing XML ``{{ name }}`` prints here


@dataclass
class _Compiled:
    """A laid-out template, compiled: every part no letter changes is serialized and
    deflated once (``static_zip``); the body, headers, footers and footnotes are compiled
    Jinja; the emblem's image and relationships are in place.  A letter then only renders
    and post-processes its templated parts and appends them to a copy of ``static_zip``."""
    static_zip: bytes
    document_shell: bytes             # document.xml with an empty body
    parts: list[_Part]
    core_member: str
    core_blob: bytes
    core_content_type: str
    ids: dict = field(default_factory=dict)      # style ids the post-processing needs
    slots: dict = field(default_factory=dict)    # seal | photo → the zip member its bytes go to


def _compile_part(tpl: DocxTemplate, owner, kind: str, xml: str, images: dict) -> _Part:
    """Patch and compile one part's XML as docxtpl would.  For each picture of ``images``
    (name → InlineImage factory) that its source names, the image is related to ``owner``
    (the part being compiled) now, once, and the drawing XML docxtpl's InlineImage would
    print is kept (footnotes cannot hold a picture)."""
    source = _NEWLINE_P.sub(r"\n<w:p\1", _patched_xml(xml))
    drawings = {}
    if kind != "footnotes":
        for name, make in images.items():
            if name in source:
                tpl.current_rendering_part = owner
                drawings[name] = make(tpl)._insert_image()
    return _Part(owner.partname.membername, kind, _jinja_env().from_string(source), source.splitlines(),
                 _xml_encoding(xml), drawings)


def _xml_encoding(xml: str) -> str:
    m = re.match(r'<\?xml[^?]+\bencoding="([^"]+)"', xml, re.I)
    return m.group(1) if m else "utf-8"


# The compiled path re-implements docxtpl's render (patch_xml, the newline rules, escapes,
# fix_tables, fix_docpr_ids, the core properties, InlineImage) for this version only.
DOCXTPL_PINNED = "0.20.2"


class DocxtplVersionError(RuntimeError):
    pass


def check_docxtpl_version() -> None:
    """Refuse a docxtpl other than the one the compiled path re-implements (like weasy_adapt
    refuses another WeasyPrint): its output would silently drift from docxtpl's."""
    import docxtpl
    found = getattr(docxtpl, "__version__", None)
    if found != DOCXTPL_PINNED:
        raise DocxtplVersionError(
            f"docgen's compiled DOCX templates re-implement docxtpl {DOCXTPL_PINNED}, found "
            f"{found}; re-check docgen/render/docx.py against tests/test_docx.py::"
            "test_compiled_template_prints_what_docxtpl_prints")


@lru_cache(maxsize=16)
def _compiled(laid_out: bytes, emblem_key: tuple, slots: tuple = (), emblem: bool = True) -> _Compiled:
    """``emblem_key``: ``_emblem_key``; ``slots``: ``_image_slots`` (the seal's and the photo's
    format and size); ``emblem`` False: the letter prints no emblem, no part gets its image."""
    check_docxtpl_version()
    tpl = DocxTemplate(io.BytesIO(laid_out))
    tpl.render_init()
    doc = tpl.docx
    _, image_bytes, height = emblem_key         # the validated image's bytes (never its file)

    images = {}
    if emblem:
        images["emblem"] = lambda t: InlineImage(t, io.BytesIO(image_bytes or placeholder_png(height)),
                                                 height=Mm(height))
    for name, ext, width_mm, height_mm in slots:
        images[name] = lambda t, n=name, e=ext, w=width_mm, h=height_mm: InlineImage(
            t, io.BytesIO(_stand_in(n, e)), width=Mm(w), height=Mm(h))

    sources = [(doc.part, "body", tpl.get_xml())]
    for rel in doc.part.rels.values():
        if rel.reltype in _BAND_TYPES and not rel.is_external and rel.target_part.blob:
            sources.append((rel.target_part, _BAND_TYPES[rel.reltype], tpl.get_part_xml(rel.target_part)))
    for part in doc.part.package.iter_parts():
        if part.content_type == _FOOTNOTES_CT:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            sources.append((part, "footnotes", blob))
    parts = [_compile_part(tpl, owner, kind, xml, images) for owner, kind, xml in sources]
    # the zip member each slot's image part is saved as (python-docx shares one part per image)
    slot_members = {}
    for (owner, _, _), p in zip(sources, parts):
        for name, drawing in p.images.items():
            if name != "emblem" and name not in slot_members:
                rid = re.search(r'r:embed="([^"]+)"', drawing).group(1)
                slot_members[name] = owner.rels[rid].target_part.partname.membername

    full = io.BytesIO()
    doc.save(full)                                # relationships and content types now final
    core = doc.part.package._core_properties_part
    dynamic = {p.member for p in parts} | {core.partname.membername} | set(slot_members.values())
    static = io.BytesIO()
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(static, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name not in dynamic:
                dst.writestr(name, src.read(name))
    root = copy.deepcopy(doc.element)
    root.body.clear()
    ids = {"char": _style_ids(doc, set(CHAR_STYLES)), "body": set(_style_ids(doc, set(BODY_STYLES))),
           "mark": next(iter(_style_ids(doc, {"DG Mark"})), None),
           "tables": _style_ids(doc, set(TABLE_STYLES))}
    return _Compiled(static.getvalue(), serialize_part_xml(root), parts, core.partname.membername,
                     core.blob, core.content_type, ids, slot_members)


def _render_part(part: _Part, context: dict) -> str:
    """docxtpl's render of one part: Jinja, then its newline and listing rules."""
    try:
        xml = part.template.render({**context, **{n: Markup(part.images.get(n, "")) for n in IMAGE_NAMES}})
    except TemplateError as exc:
        if getattr(exc, "lineno", None) is not None:
            line = max(exc.lineno - 4, 0)
            exc.docx_context = [re.sub(r"<[^>]+>", "", x) for x in part.source_lines[line:line + 7]]
        raise
    return DocxTemplate.resolve_listing(None, _UNNEWLINE_P.sub(r"<w:p\1", xml))   # never reads self


def _core_xml(compiled: _Compiled, c: ComposedLetter, context: dict) -> bytes:
    core = CorePropertiesPart.load(PackURI("/" + compiled.core_member), compiled.core_content_type,
                                   compiled.core_blob, None)
    props = core.core_properties
    # every property through metadata_text: one line, no control character, at most 255
    # characters (python-docx raises past that), also what a template's own property renders
    for name in _TEMPLATED_PROPS:
        setattr(props, name, metadata_text(_jinja_env().from_string(getattr(props, name)).render(context)))
    props.title = metadata_text(c.meta.get("title", ""))
    props.author = metadata_text(c.meta.get("author", ""))
    props.keywords = metadata_text(c.meta.get("keywords", ""))
    props.subject = metadata_text(c.meta.get("subject", ""))
    props.language = "th-TH"
    props.created = props.modified = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.last_modified_by = "docgen"
    props.comments = ""
    return core.blob


# ---- context --------------------------------------------------------------------------

def _entries(items) -> list[dict]:
    return [{"label": e.label, "text": e.text} for e in items]


def build_context(c: ComposedLetter, emblem, images: dict | None = None,
                  blocks: list[PrintBlock] | None = None) -> dict:
    """The template context: ``blocks`` (the letter's print blocks, read as attributes:
    ``b.kind``, ``b.text`` …) and the flat ASCII names → final strings (docs/docx-templates.md).
    ``emblem`` and ``images`` (seal, photo): what ``{{ emblem }}`` … print in a plain docxtpl
    render; the compiled path supplies its own drawings."""
    labels = c.LABELS
    return {
        "blocks": c.blocks if blocks is None else blocks,
        "seal": "", "photo": "", **(images or {}),
        "doctype": c.doctype, "doctype_name": c.doctype_spec["name_th"], "digits": c.digits,
        "emblem": emblem, "urgency": c.urgency or "", "secrecy": c.secrecy or "",
        "ref_label": c.ref_label, "ref_value": c.ref_value, "ref_text": c.ref_text,
        "sender_lines": list(c.sender_lines),
        "unit_label": labels["unit"], "unit_line": c.unit_line,
        "date_label": c.date_label, "date_text": c.date_text,
        "subject_label": labels["subject"], "subject": c.subject,
        "salutation": c.salutation, "recipient": c.recipient,
        "references_label": labels["references"], "references": _entries(c.references),
        "enclosures_label": labels["enclosures"], "enclosures": _entries(c.enclosures),
        "body": [{"kind": b.kind, "level": b.level, "label": b.label, "text": b.text,
                  "full_text": b.full_text} for b in c.body],
        "purpose": c.purpose or "", "closing": c.closing or "",
        "signature_gap": [""] * int(c.geometry["signature"]["gap_lines"]),
        "signer_name": c.signer_name, "signer_lines": list(c.signer_lines),
        "contact_lines": list(c.contact_lines),
        "copies_to_label": labels["copies_to"], "copies_to": _entries(c.copies_to),
        "distribution_label": labels["distribution"], "distribution": _entries(c.distribution),
        "distribution_page": c.distribution_page,
        "title": c.meta.get("title", ""), "author": c.meta.get("author", ""),
        "keywords": c.meta.get("keywords", ""),
    }


# ---- post-processing ------------------------------------------------------------------

def _style_ids(doc, names) -> dict[str, str]:
    """style id → name for the named styles (read from styles.xml directly: fast)."""
    out = {}
    for style in doc.styles.element.iterchildren(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in names:
            out[style.get(qn("w:styleId"))] = name.get(qn("w:val"))
    return out


def _fix_runs(root, family: str, char_ids: dict, char_specs: dict) -> None:
    for r in root.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            rpr = r.makeelement(qn("w:rPr"), {})
            r.insert(0, rpr)
        rstyle = rpr.find(qn("w:rStyle"))
        spec = char_specs.get(char_ids.get(rstyle.get(qn("w:val")))) if rstyle is not None else None
        if spec:                            # marks: direct formatting too, for every reader
            for tag in ("b", "color", "sz"):
                for el in rpr.findall(qn(f"w:{tag}")):
                    rpr.remove(el)
            if spec.get("bold"):
                rpr.append(rpr.makeelement(qn("w:b"), {}))
            if "color" in spec:
                rpr.append(rpr.makeelement(qn("w:color"), {qn("w:val"): spec["color"].lstrip("#").upper()}))
            rpr.append(rpr.makeelement(qn("w:sz"), {qn("w:val"): str(round(spec["size_pt"] * 2))}))
        text = "".join(t.text or "" for t in r.iter(qn("w:t"), qn("w:instrText")))
        fix_rpr(rpr, family, bool(THAI.search(text)))
        for t in r.iter(qn("w:t")):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _fix_paragraphs(root, body_ids: set) -> None:
    """thaiDistribute on body paragraphs (direct), never inside table cells."""
    for p in root.iter(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        in_cell = any(a.tag == qn("w:tc") for a in p.iterancestors())
        jc = ppr.find(qn("w:jc")) if ppr is not None else None
        if in_cell:
            if jc is not None and jc.get(qn("w:val")) in ("thaiDistribute", "distribute"):
                jc.set(qn("w:val"), "left")
            continue
        if style is not None and style.get(qn("w:val")) in body_ids:
            if jc is None:
                jc = ppr.makeelement(qn("w:jc"), {})
                # CT_PPr order: jc follows ind/spacing/contextualSpacing/mirrorIndents/suppressOverlap
                later = [ppr.find(qn(f"w:{t}")) for t in ("textDirection", "textAlignment",
                         "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")]
                later = sorted((e for e in later if e is not None), key=ppr.index)
                if later:
                    later[0].addprevious(jc)
                else:
                    ppr.append(jc)
            jc.set(qn("w:val"), "thaiDistribute")


def _ensure_paragraphs(root, mark_style: str | None) -> None:
    """A header, footer or table cell emptied by ``{%p if %}`` still needs one paragraph.

    In a header or footer it takes the mark style, whose line is 1 pt when there is no
    secrecy mark: an empty Normal line (19 pt) would push page 1's Garuda down."""
    is_band = root.tag in (qn("w:hdr"), qn("w:ftr"))
    containers = [root] if is_band else list(root.iter(qn("w:tc")))
    for el in containers:
        if el.find(qn("w:p")) is None and el.find(qn("w:tbl")) is None:
            p = el.makeelement(qn("w:p"), {})
            if is_band and mark_style:
                ppr = p.makeelement(qn("w:pPr"), {})
                ppr.append(ppr.makeelement(qn("w:pStyle"), {qn("w:val"): mark_style}))
                p.append(ppr)
            el.append(p)


def _page_field(root, thai: bool) -> None:
    """PAGE field: ``\\* THAIARABIC`` and a Thai cached result with Thai digits, else plain."""
    for instr in root.iter(qn("w:instrText")):
        if "PAGE" not in (instr.text or "").split():
            continue
        instr.text = r" PAGE \* THAIARABIC " if thai else " PAGE "
        run = instr.getparent()
        state = None
        for sib in run.itersiblings():
            fld = sib.find(qn("w:fldChar"))
            if fld is not None:
                kind = fld.get(qn("w:fldCharType"))
                if kind == "separate":
                    state = "result"
                    continue
                if kind == "end":
                    break
            if state == "result":
                for t in sib.iter(qn("w:t")):
                    t.text = "๒" if thai else "2"


def _section(body, c: ComposedLetter) -> None:
    thai = c.digits == "thai"
    for sect in body.iter(qn("w:sectPr")):
        for el in sect.findall(qn("w:pgNumType")):
            sect.remove(el)
        if thai:
            num = sect.makeelement(qn("w:pgNumType"), {qn("w:fmt"): "thaiNumbers"})
            later = sorted((e for e in sect if e.tag in _SECT_AFTER_PGNUM), key=sect.index)
            if later:
                later[0].addprevious(num)
            else:
                sect.append(num)


def _ref_table(body, c: ComposedLetter, table_ids: dict) -> None:
    """The borderless tables, known by their first paragraph's style (the ที่ / sender table:
    DG Ref, an attendance list: DG Attendee): column widths from the geometry
    (``docx_layout.table_widths``), fixed layout, no borders, no cell margins.  ``table_ids``:
    style id → style name."""
    by_style = {name: [twips(w) for w in ws] for name, ws in table_widths(c.geometry).items()}
    for tbl in body.iter(qn("w:tbl")):
        first_style = tbl.find(f".//{qn('w:pStyle')}")
        if first_style is None or first_style.get(qn("w:val")) not in table_ids:
            continue
        widths = by_style[table_ids[first_style.get(qn("w:val"))]]
        tblpr = tbl.find(qn("w:tblPr"))
        for tag in ("tblStyle", "tblW", "tblInd", "tblBorders", "tblLayout", "tblCellMar", "tblLook"):
            for el in tblpr.findall(qn(f"w:{tag}")):
                tblpr.remove(el)
        mk = tblpr.makeelement
        tblpr.append(mk(qn("w:tblW"), {qn("w:w"): str(sum(widths)), qn("w:type"): "dxa"}))
        tblpr.append(mk(qn("w:tblInd"), {qn("w:w"): "0", qn("w:type"): "dxa"}))
        borders = mk(qn("w:tblBorders"), {})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(mk(qn(f"w:{side}"), {qn("w:val"): "nil"}))
        tblpr.append(borders)
        tblpr.append(mk(qn("w:tblLayout"), {qn("w:type"): "fixed"}))
        mar = mk(qn("w:tblCellMar"), {})
        for side in ("top", "left", "bottom", "right"):
            mar.append(mk(qn(f"w:{side}"), {qn("w:w"): "0", qn("w:type"): "dxa"}))
        tblpr.append(mar)
        rank = {qn(f"w:{t}"): i for i, t in enumerate(_TBLPR_ORDER)}
        tblpr[:] = sorted(tblpr, key=lambda el: rank.get(el.tag, len(rank)))
        grid = tbl.find(qn("w:tblGrid"))
        for col, w in zip(grid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), str(w))
        for tr in tbl.findall(qn("w:tr")):
            for tc, w in zip(tr.findall(qn("w:tc")), widths):
                tcpr = tc.find(qn("w:tcPr"))
                if tcpr is None:
                    tcpr = tc.makeelement(qn("w:tcPr"), {})
                    tc.insert(0, tcpr)
                for el in tcpr.findall(qn("w:tcW")):
                    tcpr.remove(el)
                tcw = tcpr.makeelement(qn("w:tcW"), {qn("w:w"): str(w), qn("w:type"): "dxa"})
                cnf = tcpr.find(qn("w:cnfStyle"))      # CT_TcPr: cnfStyle, then tcW
                if cnf is not None:
                    cnf.addnext(tcw)
                else:
                    tcpr.insert(0, tcw)


def _flush_top(body) -> None:
    """A letter without the emblem band starts at ``margin.top`` with its first line: no
    space before its first paragraph (the PDF drops that margin at the page's top too)."""
    first = next((el for el in body if el.tag in (qn("w:p"), qn("w:tbl"))), None)
    if first is not None and first.tag == qn("w:p"):
        ppr = first.find(qn("w:pPr"))
        if ppr is None:
            ppr = first.makeelement(qn("w:pPr"), {})
            first.insert(0, ppr)
        spacing = ppr.find(qn("w:spacing"))
        if spacing is None:
            spacing = ppr.makeelement(qn("w:spacing"), {})
            later = sorted((e for e in ppr if e.tag in _PPR_AFTER_SPACING), key=ppr.index)
            if later:
                later[0].addprevious(spacing)
            else:
                ppr.append(spacing)
        spacing.set(qn("w:before"), "0")


def postprocess(body, bands, c: ComposedLetter, ids: dict) -> None:
    """Thai-correct runs and paragraphs in the rendered body and every header and footer;
    page-number format and the ที่ table from the geometry.  ``ids``: the template's style
    ids (``_Compiled.ids``)."""
    g = c.geometry
    family = g.get_path("font.family")
    _section(body, c)
    if not prints_emblem(c):
        _flush_top(body)
    _ref_table(body, c, ids["tables"])
    specs = character_specs(g)
    for root in (body, *bands):
        strip_theme_fonts(root)
        _ensure_paragraphs(root, ids["mark"])
        _fix_runs(root, family, ids["char"], specs)
        _fix_paragraphs(root, ids["body"])
        _page_field(root, c.digits == "thai")


# ---- entry point ----------------------------------------------------------------------

def _emblem_key(composed: ComposedLetter) -> tuple:
    """(content hash, bytes, height mm) of the emblem the model validated (docgen/assets.py),
    the same bytes the PDF prints; (None, None, height) for the labelled placeholder."""
    spec = composed.geometry["emblem"][composed.doctype_spec.get("emblem", composed.doctype)]
    height = float(spec["height"])
    image = validated(composed.emblem)
    if image is None:
        return (None, None, height)                      # the labelled placeholder
    return (image.sha256, image.data, height)


def _fit(image, box_w: float, box_h: float) -> tuple[float, float]:
    """(width, height) mm of ``image`` (pixels) fitted into box_w × box_h, its proportions kept."""
    scale = min(box_w / image.width, box_h / image.height)
    return round(image.width * scale, 3), round(image.height * scale, 3)


def _slot_images(composed: ComposedLetter, blocks: list[PrintBlock]) -> dict[str, tuple]:
    """The seal and photo this letter prints: name → (bytes, ext, width mm, height mm).
    The seal fits a ``seal.size`` square (no image: the drawn placeholder, that square),
    the photo ``photo.width`` × ``photo.height``; both are the validated bytes
    (docgen/assets.py), the ones the PDF prints."""
    g = composed.geometry
    out = {}
    for b in blocks:
        if b.kind == "seal" and "seal" not in out:
            size = g.mm("seal.size")
            image = validated(b.image)
            if image is None:
                png = seal_placeholder_png(size, g.get_path("marks.color"))
                out["seal"] = (png, "png", size, size)
            else:
                out["seal"] = (image.data, _ext(image), *_fit(image, size, size))
        elif b.kind == "photo" and "photo" not in out:
            image = validated(b.image)
            if image is not None:
                box = g.mm("photo.width"), g.mm("photo.height")
                out["photo"] = (image.data, _ext(image), *_fit(image, *box))
    return out


def _ext(image) -> str:
    return "jpg" if image.mime == "image/jpeg" else "png"


def _image_slots(images: dict[str, tuple]) -> tuple:
    """The compile key of the slots: (name, ext, width mm, height mm), never the bytes."""
    return tuple((name, ext, w, h) for name, (_, ext, w, h) in images.items())


def docxtpl_images(tpl: DocxTemplate, composed: ComposedLetter) -> dict:
    """The seal and the photo as docxtpl InlineImages on ``tpl``: what a plain docxtpl render
    of this letter prints for ``{{ seal }}`` and ``{{ photo }}`` (tests; agency scripts)."""
    return {name: InlineImage(tpl, io.BytesIO(data), width=Mm(w), height=Mm(h))
            for name, (data, _, w, h) in _slot_images(composed, composed.blocks).items()}


def _write_package(data: bytes, target: Path) -> None:
    with open(target, "wb") as f:
        f.write(data)


def render_docx(composed: ComposedLetter, target: Path, template: Path | None = None) -> None:
    """Write ``target`` (atomically) from ``template`` or the doctype's template."""
    path = Path(template) if template is not None else DOCX_DIR / composed.doctype_spec["docx"]
    blocks = composed.blocks
    images = _slot_images(composed, blocks)
    emblem = prints_emblem(composed, blocks)
    compiled = _compiled(laid_out_template(path, composed, blocks), _emblem_key(composed),
                         _image_slots(images), emblem)
    context = build_context(composed, None, blocks=blocks)
    members: dict[str, bytes] = {}
    for name, member in compiled.slots.items():          # this letter's seal / photo bytes
        members[member] = images[name][0]
    body, bands = None, []
    for part in compiled.parts:
        xml = _render_part(part, context)
        if part.kind == "body":
            body = DocxTemplate.fix_tables(None, xml)            # never reads self
            for n, el in enumerate(body.xpath("//wp:docPr", namespaces=nsmap), start=1001):
                el.attrib["id"] = str(n)                         # docxtpl's fix_docpr_ids
        elif part.kind == "footnotes":
            members[part.member] = xml.encode("utf-8")
        else:
            bands.append((part.member, parse_xml(xml.encode(part.encoding))))
    postprocess(body, [root for _, root in bands], composed, compiled.ids)
    document = parse_xml(compiled.document_shell)
    document.replace(document.find(qn("w:body")), body)
    members[compiled.parts[0].member] = serialize_part_xml(document)
    for member, root in bands:
        members[member] = serialize_part_xml(root)
    members[compiled.core_member] = _core_xml(compiled, composed, context)
    package = io.BytesIO(compiled.static_zip)
    with zipfile.ZipFile(package, "a", zipfile.ZIP_DEFLATED) as z:
        for member, blob in members.items():
            z.writestr(member, blob)
    with atomic_path(Path(target)) as tmp:
        _write_package(package.getvalue(), tmp)
