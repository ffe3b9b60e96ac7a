"""DOCX styles and page set-up, computed from the geometry (data/layout.yaml + profile).

One function, :func:`apply_layout`, writes every length of the letter into a python-docx
``Document``: the section (page size, margins, header/footer distances) and the ``DG …``
paragraph and character styles the templates use.  ``scripts/make_docx_templates.py``
calls it with the default geometry when it builds ``templates/docx/*.docx``, and the
renderer calls it again with ``composed.geometry`` on every render, so a profile's
``layout:`` overrides reach the DOCX and no length lives in a template or in this code.

>>> from docgen.geometry import build
>>> specs = paragraph_specs(build())
>>> specs["DG Closing"]["left"] + (build().text_width - specs["DG Closing"]["left"]
...     - specs["DG Closing"]["right"]) / 2      # the block's centre lies on signature.axis_x
100.0
>>> twips(30)                                    # margin.left in twentieths of a point
1701
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..geometry import Geometry

# paragraph styles whose paragraphs are body text: justified with thaiDistribute
BODY_STYLES = ("DG Body", "DG Item 1", "DG Item 2", "DG Item 3", "DG Purpose",
               "DG Clause", "DG Clause Item", "DG Resolution")
# body styles that have a "… Keep" twin: the same paragraph kept with the next one, which the
# template gives the last two body paragraphs before the closing blocks (docs/decisions.md
# "Pagination": the signature's page holds at least two lines of body text)
KEEP_TWINS = ("DG Body", "DG Item 1", "DG Item 2", "DG Item 3", "DG Clause", "DG Clause Item",
              "DG Resolution")
BODY_STYLES += tuple(f"{name} Keep" for name in KEEP_TWINS)
# label rows with a "… Keep" twin (kept whole and with the next row): สำเนาส่ง and the inline
# distribution list after the signature use them, เรื่อง … สิ่งที่ส่งมาด้วย above the body do not
LABEL_TWINS = ("DG Label", "DG List First", "DG List")
# character styles whose properties are also written on each run (direct formatting),
# so every reader (Word, LibreOffice, Google Docs) shows the mark red and large
CHAR_STYLES = ("DG Urgency", "DG Secrecy", "DG Memo Label", "DG Memo Heading")

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "thai": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY}
_TAB = {"left": WD_TAB_ALIGNMENT.LEFT, "center": WD_TAB_ALIGNMENT.CENTER,
        "right": WD_TAB_ALIGNMENT.RIGHT}
_LEADER = {None: WD_TAB_LEADER.SPACES, "dot": WD_TAB_LEADER.DOTS}
RULE_PT = 0.75          # the thickness of DG Rule's line (a hairline, as the PDF's 1px border)
_PBDR_AFTER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
               "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def twips(mm: float) -> int:
    """Millimetres → twentieths of a point (OOXML page and indent unit)."""
    return round(mm * 1440 / 25.4)


def header_distance(g: Geometry, secrecy: bool) -> float:
    """Top edge → header: the secrecy mark's distance when there is one, else the page number's."""
    return g.mm("marks.secrecy_top") if secrecy else g.mm("page_number.top")


def line_pt(g: Geometry, size_pt: float | None = None) -> float:
    """One line in points: ``line_height`` × the font size, as the PDF sets it.

    Not Word's "multiple" spacing: that multiplies the font's own line (1.31 em for TH
    SarabunPSK's win metrics), which would make the DOCX taller than the PDF.
    """
    return g["line_height"] * (size_pt or g.pt("font.size_pt"))


def paragraph_specs(g: Geometry) -> dict[str, dict]:
    """Every ``DG …`` paragraph style as plain numbers (mm / pt) from the geometry."""
    tw = g.text_width
    gap = g.pt("block_gap_pt")
    lw, step = g.mm("header.label_width"), g.mm("body.item_step")
    first = g.mm("body.first_line_indent")
    axis, width = g.mm("signature.axis_x"), g.mm("signature.width")
    sig = {"left": axis - width / 2, "right": tw - axis - width / 2, "align": "center"}
    rule = g.mm("rule.width")
    specs = {
        # emblem line: the urgency mark (if any) at the left, a centre tab, the emblem
        "DG Emblem": {"align": "left", "single": True, "after": gap, "tabs": [("center", tw / 2, None)]},
        "DG Ref": {"align": "left"},
        "DG Sender": {"align": "left"},
        "DG Date": {"left": g.mm("header.date_x"), "before": gap},
        "DG Label": {"left": lw, "hanging": lw, "before": gap, "tabs": [("left", lw, None)]},
        "DG List First": {"left": lw + step, "hanging": lw + step, "before": gap,
                          "tabs": [("left", lw, None), ("left", lw + step, None)]},
        "DG List": {"left": lw + step, "hanging": lw + step,
                    "tabs": [("left", lw, None), ("left", lw + step, None)]},
        # an empty line of block_gap_pt: kept with the paragraph it spaces (never alone at a
        # page's foot, and the sign-off's and contact block's gap stays with them)
        "DG Gap": {"exact_pt": gap, "keep_next": True},
        "DG Body": {"first": first, "align": "thai"},
        "DG Purpose": {"first": first, "align": "thai", "before": gap, "keep_next": True},
        "DG Closing": {**sig, "before": gap, "keep_next": True, "keep_lines": True},
        "DG Signature": {**sig, "keep_next": True, "keep_lines": True},
        # the closing blocks are one chain of keep-with-next (Word and LibreOffice then never
        # split the signature, the contact block and สำเนาส่ง, nor leave one alone on a page)
        "DG Contact": {"align": "left", "keep_next": True, "keep_lines": True},
        # circular file copy: บัญชีรายชื่อผู้รับ, inline (short) or on a page of its own (long)
        "DG Distribution Title": {"align": "center", "before": gap, "keep_next": True, "bold": True},
        "DG Distribution Page": {"align": "center", "keep_next": True, "bold": True, "page_break": True},
        # the Garuda at the top left and "บันทึกข้อความ" centred on the same line, as on the
        # printed form; the line grows with the image (the PDF aligns the heading the same way)
        "DG Memo Emblem": {"align": "left", "single": True, "after": gap,
                           "tabs": [("center", tw / 2, None)]},
        "DG Memo Field": {"align": "left", "tabs": [("right", tw, "dot")],
                          "line_size_pt": g.pt("memo.label_size_pt")},
        "DG Memo Ref Date": {"align": "left", "line_size_pt": g.pt("memo.label_size_pt"),
                             "tabs": [("left", g.mm("header.date_x"), "dot"), ("right", tw, "dot")]},
        # the secrecy mark's line is exactly its size (the PDF sets line-height: 1), so the
        # first page's header ends above the Garuda
        "DG Mark": {"align": "center", "exact_pt": g.pt("marks.secrecy_size_pt")},
        "DG Page Number": {"align": "center"},
        # ---- the other document types' blocks (templates/docx/page.docx) ----
        # the urgency mark on a line of its own (a sheet without the emblem band)
        "DG Urgency Line": {"align": "left", "single": True, "after": gap},
        # a heading centred on the text column (bold: the run's DG Strong)
        "DG Heading": {"align": "center", "keep_next": True},
        # the short line under the headings: an empty paragraph whose bottom border runs
        # between indents that centre `rule.width` on the text column
        "DG Rule": {"left": (tw - rule) / 2, "right": (tw - rule) / 2, "exact_pt": gap, "after": gap,
                    "border_bottom_pt": RULE_PT},
        # "สั่ง ณ วันที่ …", "ให้ไว้ ณ วันที่ …": centred on the signature axis
        "DG Date Signature": {**sig, "before": gap, "keep_next": True, "keep_lines": True},
        # a rule's clause "ข้อ ๑ …" as a body paragraph; its sub-items one item_step deeper
        "DG Clause": {"first": first, "align": "thai"},
        "DG Clause Item": {"first": first + step, "align": "thai"},
        # a meeting: the attendance lists' titles and rows (a borderless table whose column
        # widths come from attendees.name_x / position_x), the agenda items, the resolutions
        "DG Attendees Title": {"align": "left", "before": gap, "keep_next": True, "bold": True},
        "DG Attendee": {"align": "left"},
        "DG Agenda Title": {"align": "left", "before": gap, "keep_next": True, "bold": True},
        "DG Resolution": {"first": first, "align": "thai"},
        # the seal on the signature axis (the line grows with the image), its placeholder label
        "DG Seal": {**sig, "single": True, "before": gap, "keep_next": True},
        "DG Seal Label": {**sig, "keep_next": True, "color": g.get_path("marks.color")},
        # หนังสือรับรอง: the person's photograph, flush left (the line grows with the image)
        "DG Photo": {"align": "left", "single": True, "before": gap, "keep_next": True},
    }
    for level in (1, 2, 3):
        specs[f"DG Item {level}"] = {"first": first + (level - 1) * step, "align": "thai"}
    for name in KEEP_TWINS:
        specs[f"{name} Keep"] = {**specs[name], "keep_next": True}
    for name in LABEL_TWINS:
        specs[f"{name} Keep"] = {**specs[name], "keep_next": True, "keep_lines": True}
    return specs


def character_specs(g: Geometry) -> dict[str, dict]:
    color = g.get_path("marks.color")
    return {
        "DG Urgency": {"bold": True, "size_pt": g.pt("marks.urgency_size_pt"), "color": color},
        "DG Secrecy": {"bold": True, "size_pt": g.pt("marks.secrecy_size_pt"), "color": color},
        "DG Memo Label": {"bold": True, "size_pt": g.pt("memo.label_size_pt")},
        "DG Memo Heading": {"bold": True, "size_pt": g.pt("memo.heading_size_pt")},
        # bold in a line of the body's size: a heading, the label of a resolution
        "DG Strong": {"bold": True},
    }


def _style(doc, name: str, kind):
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = doc.styles["Normal"]
        style.quick_style = True
        return style


def _font(font, spec: dict) -> None:
    if "bold" in spec:
        font.bold = spec["bold"]
    if "size_pt" in spec:
        font.size = Pt(spec["size_pt"])
    if "color" in spec:
        font.color.rgb = RGBColor.from_string(spec["color"].lstrip("#").upper())


def _paragraph(pf, spec: dict, g: Geometry) -> None:
    pf.left_indent = Mm(spec.get("left", 0))
    pf.right_indent = Mm(spec.get("right", 0))
    if "hanging" in spec:
        pf.first_line_indent = -Mm(spec["hanging"])
    else:
        pf.first_line_indent = Mm(spec.get("first", 0))
    pf.space_before = Pt(spec.get("before", 0))
    pf.space_after = Pt(spec.get("after", 0))
    if spec.get("single"):                  # lines holding an image: grow with it
        pf.line_spacing = 1.0
    else:                                   # line_height is a multiple of the font SIZE
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spec.get("exact_pt") or line_pt(g, spec.get("line_size_pt")))
    pf.alignment = _ALIGN[spec.get("align", "left")]
    pf.keep_with_next = spec.get("keep_next", False)
    pf.keep_together = spec.get("keep_lines", False)
    pf.page_break_before = spec.get("page_break", False)
    pf.widow_control = True
    pf.tab_stops.clear_all()
    for align, pos, leader in spec.get("tabs", []):
        pf.tab_stops.add_tab_stop(Mm(pos), _TAB[align], _LEADER[leader])
    _bottom_border(pf._element.get_or_add_pPr(), spec.get("border_bottom_pt"))


def _bottom_border(ppr, width_pt: float | None) -> None:
    """A single bottom border ``width_pt`` thick (none: no border), in schema order."""
    for el in ppr.findall(qn("w:pBdr")):
        ppr.remove(el)
    if not width_pt:
        return
    pbdr = ppr.makeelement(qn("w:pBdr"), {})
    pbdr.append(pbdr.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): str(round(width_pt * 8)),
                                                  qn("w:space"): "0", qn("w:color"): "000000"}))
    ppr.insert_element_before(pbdr, *_PBDR_AFTER)


TABLE_STYLES = ("DG Ref", "DG Attendee")       # the styles ``table_widths`` sizes tables by


def table_widths(g: Geometry) -> dict[str, list[float]]:
    """Column widths (mm) of the borderless tables, by the style of their paragraphs: the
    ที่ / sender table (``header.sender_x``) and an attendance list ("๑." | name | position)."""
    tw = g.text_width
    name_x, position_x = g.mm("attendees.name_x"), g.mm("attendees.position_x")
    return {"DG Ref": [g.mm("header.sender_x"), tw - g.mm("header.sender_x")],
            "DG Attendee": [name_x, position_x - name_x, tw - position_x]}


EMPTY_LINE_PT = 1      # the height of a header/footer line that holds nothing


def page_number_space_before(g: Geometry, secrecy: bool) -> float:
    """Points before the page number under the secrecy mark, so that it starts at
    ``page_number.top_with_secrecy`` as in the PDF (0 without a mark: the header starts at
    ``page_number.top``)."""
    if not secrecy:
        return 0.0
    mark_end_mm = g.mm("marks.secrecy_top") + g.pt("marks.secrecy_size_pt") * 25.4 / 72
    return max(0.0, (g.mm("page_number.top_with_secrecy") - mark_end_mm) * 72 / 25.4)


def header_space_after(g: Geometry, secrecy: bool) -> float:
    """Points after the page number so that the header of pages 2+ ends at ``margin.top``.

    The section's top margin is the Garuda's top (page 1 starts with it, as the regulation
    places it); Word and LibreOffice push the body below a header that reaches further down,
    so pages 2+ start their text at ``margin.top``, as the PDF does.
    """
    used_mm = header_distance(g, secrecy) + line_pt(g) * 25.4 / 72
    if secrecy:
        used_mm += (g.pt("marks.secrecy_size_pt") + page_number_space_before(g, secrecy)) * 25.4 / 72
    return max(0.0, (g.mm("margin.top") - used_mm) * 72 / 25.4)


def apply_layout(doc, g: Geometry, secrecy: bool = False, emblem: str | None = "external") -> None:
    """Write page set-up and every ``DG …`` style of ``doc`` from geometry ``g``.

    Styles missing from a user's template are created; only the properties listed in
    ``paragraph_specs``/``character_specs`` are overwritten, everything else is kept.
    The top margin is the top of the ``emblem`` (see ``header_space_after``), or
    ``margin.top`` for a letter that prints no emblem (``emblem`` None: กระดาษธรรมดา).
    """
    family, size = g.get_path("font.family"), g.pt("font.size_pt")
    normal = doc.styles["Normal"]
    normal.font.name = family
    normal.font.size = Pt(size)
    npf = normal.paragraph_format
    npf.space_before, npf.space_after = Pt(0), Pt(0)
    npf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    npf.line_spacing = Pt(line_pt(g))
    for name, spec in paragraph_specs(g).items():
        style = _style(doc, name, WD_STYLE_TYPE.PARAGRAPH)
        _paragraph(style.paragraph_format, spec, g)
        _font(style.font, spec)
    for name, spec in character_specs(g).items():
        _font(_style(doc, name, WD_STYLE_TYPE.CHARACTER).font, spec)
    doc.styles["DG Page Number"].paragraph_format.space_before = Pt(page_number_space_before(g, secrecy))
    doc.styles["DG Page Number"].paragraph_format.space_after = Pt(header_space_after(g, secrecy))
    if not secrecy:     # the empty mark lines must not push page 1's Garuda down
        doc.styles["DG Mark"].paragraph_format.line_spacing = Pt(EMPTY_LINE_PT)
    top = g.mm(f"emblem.{emblem}.top") if emblem else g.mm("margin.top")

    for section in doc.sections:
        section.page_width, section.page_height = Mm(g.mm("page.width")), Mm(g.mm("page.height"))
        section.left_margin, section.right_margin = Mm(g.mm("margin.left")), Mm(g.mm("margin.right"))
        section.top_margin, section.bottom_margin = Mm(top), Mm(g.mm("margin.bottom"))
        section.header_distance = Mm(header_distance(g, secrecy))
        section.footer_distance = Mm(g.mm("marks.secrecy_bottom"))
        section.gutter = 0
        section.different_first_page_header_footer = True
    # exact twips for the margins (Mm() rounds through EMU; Word works in twips)
    for pgmar in doc.element.body.iter(qn("w:pgMar")):
        for side in ("left", "right", "bottom"):
            pgmar.set(qn(f"w:{side}"), str(twips(g.mm(f"margin.{side}"))))
        pgmar.set(qn("w:top"), str(twips(top)))
    for pgsz in doc.element.body.iter(qn("w:pgSz")):
        pgsz.set(qn("w:w"), str(twips(g.mm("page.width"))))
        pgsz.set(qn("w:h"), str(twips(g.mm("page.height"))))


# ---- package-wide normalisation (styles.xml, settings.xml) --------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RPR_ORDER = [qn(f"w:{t}") for t in (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange").split()]
_RPR_INDEX = {tag: i for i, tag in enumerate(RPR_ORDER)}
_THEME_ATTRS = {qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")}


def strip_theme_fonts(root) -> None:
    """Delete asciiTheme/hAnsiTheme/eastAsiaTheme/cstheme anywhere below ``root``
    (in Word a theme font overrides the named font: rendering.md §4 pitfall)."""
    for el in root.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS & set(el.attrib):
            del el.attrib[attr]


_RFONTS, _CS, _NOPROOF = qn("w:rFonts"), qn("w:cs"), qn("w:noProof")
_SLOTS = [qn(f"w:{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")]
_TWINS = [(qn(f"w:{a}"), qn(f"w:{b}")) for a, b in (("b", "bCs"), ("i", "iCs"), ("sz", "szCs"))]


def fix_rpr(rpr, family: str, complex_script: bool) -> None:
    """Named fonts in all four slots, complex-script twins (bCs, iCs, szCs), ``<w:cs/>``
    when the run holds Thai, no ``noProof``; children put back in schema order."""
    fonts = rpr.find(_RFONTS)
    if fonts is None:
        fonts = rpr.makeelement(_RFONTS, {})
        rpr.append(fonts)
    for attr in _THEME_ATTRS.intersection(fonts.attrib):
        del fonts.attrib[attr]
    for slot in _SLOTS:
        fonts.set(slot, family)
    for latin, twin in _TWINS:
        src = rpr.find(latin)
        if src is None:
            continue
        old = rpr.find(twin)
        if old is not None:
            rpr.remove(old)
        rpr.append(rpr.makeelement(twin, dict(src.attrib)))
    for el in rpr.findall(_NOPROOF):
        rpr.remove(el)
    if complex_script and rpr.find(_CS) is None:
        rpr.append(rpr.makeelement(_CS, {}))
    keys = [_RPR_INDEX.get(el.tag, len(_RPR_INDEX)) for el in rpr]
    if keys != sorted(keys):
        rpr[:] = sorted(rpr, key=lambda el: _RPR_INDEX.get(el.tag, len(_RPR_INDEX)))


def normalize_package(doc, family: str) -> None:
    """styles.xml: no theme fonts, Thai defaults; settings.xml: compatibilityMode 15."""
    styles = doc.styles.element
    strip_theme_fonts(styles)
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    for slot in ("val", "eastAsia", "bidi"):
        lang.set(qn(f"w:{slot}"), "th-TH")
    for r in styles.iter(qn("w:rPr")):
        fix_rpr(r, family, complex_script=False)

    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = settings.makeelement(qn("w:compat"), {})
        after = [settings.find(qn(f"w:{t}")) for t in ("rsids", "mathPr", "attachedSchema",
                 "themeFontLang", "clrSchemeMapping", "decimalSymbol", "listSeparator")]
        after = sorted((el for el in after if el is not None), key=settings.index)
        if after:
            after[0].addprevious(compat)      # CT_Settings order: compat comes before rsids
        else:
            settings.append(compat)
    for el in compat.findall(qn("w:compatSetting")):
        if el.get(qn("w:name")) == "compatibilityMode":
            compat.remove(el)
    mode = compat.makeelement(qn("w:compatSetting"), {
        qn("w:name"): "compatibilityMode", qn("w:uri"): "http://schemas.microsoft.com/office/word",
        qn("w:val"): "15"})
    compat.insert(0, mode)
    for el in list(settings.iter(qn("w:noProof"))):
        el.getparent().remove(el)


# Parts a template may carry that describe the TEMPLATE, not the letter, and that Word
# rebuilds itself: Word 2010's stylesWithEffects (438 kB in python-docx's default template,
# loaded, copied and compressed again for every letter) and the package thumbnail (a
# picture of the template's first page, which would misrepresent the letter).
DERIVED_PARTS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)


def drop_derived_parts(doc) -> None:
    """Remove the template-only parts listed in ``DERIVED_PARTS`` from the package."""
    for owner in (doc.part, doc.part.package):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype in DERIVED_PARTS:
                del owner.rels[rid]
