"""DOCX output: open the real files (python-docx, the raw XML parts, LibreOffice → PDF)
and check them against the composed letter and the geometry (data/layout.yaml)."""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from docgen import api
from docgen.data import TEMPLATES_DIR
from docgen.render.docx import prints_emblem, render_docx
from docgen.render.docx_layout import BODY_STYLES

from .conftest import EXAMPLES, libreoffice_to_pdf, pdftotext, squash, write_letter

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
THAI = re.compile("[\u0e00-\u0e7f]")
STEMS = [p.stem for p in EXAMPLES]


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def emu(mm: float) -> int:
    return round(mm * 36000)


def part(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def text_parts(path: Path) -> dict[str, etree._Element]:
    """document.xml and every header/footer part, parsed."""
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist()
                 if n == "word/document.xml" or re.fullmatch(r"word/(header|footer)\d+\.xml", n)]
        return {n: etree.fromstring(z.read(n)) for n in names}


def docx_text(path: Path) -> str:
    """Paragraphs, table cells, headers and footers of every section, joined."""
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        out += [c.text for row in t.rows for c in row.cells]
    for s in d.sections:
        for hf in (s.header, s.first_page_header, s.footer, s.first_page_footer):
            out += [p.text for p in hf.paragraphs]
    return "\n".join(out)


def run_text(r) -> str:
    return "".join(t.text or "" for t in r.iter(q("t")))


def style_ids(path: Path) -> dict[str, str]:
    """style name → style id, from styles.xml."""
    styles = part(path, "word/styles.xml")
    return {s.find(q("name")).get(q("val")): s.get(q("styleId")) for s in styles.iter(q("style"))}


@pytest.fixture(scope="session")
def docx_examples(tmp_path_factory):
    """{example stem: (ComposedLetter, docx path)} for every bundled example."""
    out = tmp_path_factory.mktemp("docx")
    result = {}
    for src in EXAMPLES:
        composed, _ = api.compose_file(src)
        target = out / f"{src.stem}.docx"
        render_docx(composed, target)
        result[src.stem] = (composed, target)
    return result


# ---- text ----------------------------------------------------------------------------

@pytest.mark.parametrize("stem", STEMS)
def test_every_printed_text_is_in_the_docx(docx_examples, stem):
    composed, path = docx_examples[stem]
    text = squash(docx_text(path))
    for expected in composed.printed_texts():
        assert squash(expected) in text, expected


def test_no_template_tags_left(docx_examples):
    for _, path in docx_examples.values():
        for name, root in text_parts(path).items():
            xml = etree.tostring(root, encoding="unicode")
            assert "{{" not in xml and "{%" not in xml, name


# ---- Thai run marking, fonts, settings -----------------------------------------------

@pytest.mark.parametrize("stem", STEMS)
def test_thai_runs_are_complex_script(docx_examples, stem):
    composed, path = docx_examples[stem]
    family = composed.geometry["font"]["family"]
    thai_runs = 0
    for name, root in text_parts(path).items():
        for r in root.iter(q("r")):
            rpr = r.find(q("rPr"))
            if THAI.search(run_text(r)):
                thai_runs += 1
                assert rpr is not None and rpr.find(q("cs")) is not None, (name, run_text(r))
                fonts = rpr.find(q("rFonts"))
                for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                    assert fonts.get(q(slot)) == family, (name, slot, run_text(r))
            if rpr is None:
                continue
            sz, szcs = rpr.find(q("sz")), rpr.find(q("szCs"))
            if sz is not None:
                assert szcs is not None and szcs.get(q("val")) == sz.get(q("val")), run_text(r)
            if rpr.find(q("b")) is not None:
                assert rpr.find(q("bCs")) is not None, run_text(r)
    # every text that prints Thai is at least one run; the short types print fewer than eleven
    assert thai_runs >= min(11, len([t for t in composed.printed_texts() if THAI.search(t)]))


def test_size_twins_in_styles(docx_examples):
    _, path = docx_examples["01_external_references"]
    styles = part(path, "word/styles.xml")
    for rpr in styles.iter(q("rPr")):
        sz, szcs = rpr.find(q("sz")), rpr.find(q("szCs"))
        if sz is not None:
            assert szcs is not None and szcs.get(q("val")) == sz.get(q("val"))


@pytest.mark.parametrize("stem", STEMS)
def test_no_theme_fonts_no_noproof_compat_15(docx_examples, stem):
    _, path = docx_examples[stem]
    with zipfile.ZipFile(path) as z:
        for name in ("word/document.xml", "word/styles.xml"):
            xml = z.read(name).decode()
            assert not re.search(r"w:(ascii|hAnsi|eastAsia)Theme=|w:cstheme=", xml), name
        for name in z.namelist():
            if name.endswith(".xml"):
                assert "noProof" not in z.read(name).decode(), name
    settings = part(path, "word/settings.xml")
    modes = [c.get(q("val")) for c in settings.iter(q("compatSetting"))
             if c.get(q("name")) == "compatibilityMode"]
    assert modes == ["15"]
    # CT_Settings order: compat before rsids
    children = [c.tag for c in settings]
    if q("rsids") in children:
        assert children.index(q("compat")) < children.index(q("rsids"))


@pytest.mark.parametrize("stem", STEMS)
def test_body_paragraphs_thai_distribute_never_in_cells(docx_examples, stem):
    composed, path = docx_examples[stem]
    ids = style_ids(path)
    body_ids = {ids[n] for n in BODY_STYLES}
    root = part(path, "word/document.xml")
    body_paras = [p for p in root.iter(q("p"))
                  if p.find("w:pPr/w:pStyle", NS) is not None
                  and p.find("w:pPr/w:pStyle", NS).get(q("val")) in body_ids]
    # body paragraphs and items (of the body, a preamble, an agenda), clauses and their
    # items, resolutions, the purpose sentence
    blocks = composed.blocks
    expected = sum(1 for b in blocks if b.kind in ("paragraph", "item", "resolution")) \
        + sum(1 + len(b.items) for b in blocks if b.kind == "clause") \
        + sum(1 for b in blocks if b.kind == "signature" and b.purpose)
    assert len(body_paras) == expected
    if composed.doctype in ("external", "memo"):
        assert expected == len(composed.body) + (1 if composed.purpose else 0)
    for p in body_paras:
        assert p.find("w:pPr/w:jc", NS).get(q("val")) == "thaiDistribute"
    for tc in root.iter(q("tc")):
        for jc in tc.iter(q("jc")):
            assert jc.get(q("val")) not in ("thaiDistribute", "distribute")
    styles = part(path, "word/styles.xml")
    for style in styles.iter(q("style")):
        if style.get(q("styleId")) in body_ids:
            assert style.find("w:pPr/w:jc", NS).get(q("val")) == "thaiDistribute"


# ---- page set-up, header, page numbers -------------------------------------------------

@pytest.mark.parametrize("stem", STEMS)
def test_section_from_geometry(docx_examples, stem):
    composed, path = docx_examples[stem]
    g = composed.geometry
    sect = part(path, "word/document.xml").find("w:body/w:sectPr", NS)
    mar, size = sect.find(q("pgMar")), sect.find(q("pgSz"))
    for side in ("left", "right", "bottom"):
        assert int(mar.get(q(side))) == twips(g["margin"][side]), side
    # the top margin is the Garuda's top (page 1 starts with it); pages 2+ start at margin.top
    # below a header that reaches that far (header distance + its lines + space after)
    # (a type without the emblem band, on กระดาษธรรมดา: page 1 starts at margin.top too)
    emblem = g["emblem"][composed.doctype_spec["emblem"]]
    top = emblem["top"] if prints_emblem(composed) else g["margin"]["top"]
    assert int(mar.get(q("top"))) == twips(top)
    d = docx.Document(str(path))
    after = d.styles["DG Page Number"].paragraph_format.space_after.pt
    header_mm = int(mar.get(q("header"))) * 25.4 / 1440 + (after + g["font"]["size_pt"] * g["line_height"]) * 25.4 / 72
    if composed.secrecy:
        header_mm += g["marks"]["secrecy_size_pt"] * 25.4 / 72
    assert abs(header_mm - g["margin"]["top"]) < 0.3
    assert int(size.get(q("w"))) == twips(g["page"]["width"])
    assert int(size.get(q("h"))) == twips(g["page"]["height"])
    assert abs(int(mar.get(q("footer"))) - twips(g["marks"]["secrecy_bottom"])) <= 1
    assert sect.find(q("titlePg")) is not None
    # pgNumType after pgMar, before cols (schema order)
    tags = [c.tag for c in sect]
    assert q("pgNumType") in tags
    assert tags.index(q("pgMar")) < tags.index(q("pgNumType")) < tags.index(q("cols"))
    assert sect.find(q("pgNumType")).get(q("fmt")) == "thaiNumbers"


@pytest.mark.parametrize("stem", STEMS)
def test_default_header_has_thai_page_field(docx_examples, stem):
    _, path = docx_examples[stem]
    d = docx.Document(str(path))
    section = d.sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element
    instr = "".join(i.text for i in header.iter(q("instrText")))
    assert instr.split() == ["PAGE", "\\*", "THAIARABIC"]
    kinds = [f.get(q("fldCharType")) for f in header.iter(q("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    text = "".join(p.text for p in section.header.paragraphs)
    assert squash(text).endswith("-๒-")
    first = "".join(p.text for p in section.first_page_header.paragraphs)
    assert "PAGE" not in etree.tostring(section.first_page_header._element, encoding="unicode")
    assert "๒" not in first


def test_arabic_digits_letter_has_plain_page_field(tmp_path):
    src = (EXAMPLES[0].parent / "02_memo.yaml").read_text(encoding="utf-8")
    path = write_letter(tmp_path, src + "\ndigits: arabic\n")
    composed, _ = api.compose_file(path)
    assert composed.digits == "arabic"
    target = tmp_path / "memo.docx"
    render_docx(composed, target)
    header = docx.Document(str(target)).sections[0].header._element
    assert "".join(i.text for i in header.iter(q("instrText"))).split() == ["PAGE"]
    sect = part(target, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find(q("pgNumType")) is None


@pytest.mark.parametrize("stem", STEMS)
def test_emblem_inline_at_exact_height(docx_examples, stem):
    composed, path = docx_examples[stem]
    key = composed.doctype_spec["emblem"]
    if not prints_emblem(composed):
        pytest.skip(f"{composed.doctype} prints no emblem")
    root = part(path, "word/document.xml")
    inlines = list(root.iter("{%s}inline" % NS["wp"]))   # the emblem first, then a seal, a photo
    assert len(inlines) == 1 + sum(1 for b in composed.blocks if b.kind in ("seal", "photo"))
    cy = int(inlines[0].find("wp:extent", NS).get("cy"))
    assert cy == emu(composed.geometry["emblem"][key]["height"])
    assert cy == (1080000 if key == "external" else 540000)     # 3 cm / 1.5 cm (ข้อ 71, 76)
    para = inlines[0].getparent().getparent().getparent()
    assert para.tag == q("p")
    if key == "external":       # centred: a centre tab at the middle of the text column
        ids = style_ids(path)
        assert para.find("w:pPr/w:pStyle", NS).get(q("val")) == ids["DG Emblem"]
        tab = part(path, "word/styles.xml").xpath(
            f"//w:style[@w:styleId='{ids['DG Emblem']}']//w:tab", namespaces=NS)[0]
        assert tab.get(q("val")) == "center"
        assert int(tab.get(q("pos"))) == twips(composed.geometry.text_width / 2)


def test_placeholder_emblem_is_labelled(docx_examples):
    from PIL import Image
    _, path = docx_examples["01_external_references"]
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1
        img = Image.open(z.open(media[0]))
    assert img.width < img.height                      # an upright box, not a stretched image


def test_agency_emblem_is_used(tmp_path, emblem_png):
    shutil.copy(emblem_png, tmp_path / "emblem.png")
    src = EXAMPLES[0].read_text(encoding="utf-8") + "\nemblem: emblem.png\n"
    composed, _ = api.compose_file(write_letter(tmp_path, src))
    target = tmp_path / "out.docx"
    render_docx(composed, target)
    with zipfile.ZipFile(target) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert z.read(media[0]) == emblem_png.read_bytes()
    cy = int(next(part(target, "word/document.xml").iter("{%s}extent" % NS["wp"])).get("cy"))
    assert cy == emu(composed.geometry["emblem"]["external"]["height"])


def test_seal_and_photo_are_the_letters_own(tmp_path, emblem_png):
    """The seal and the photo vary per letter: each letter's package holds its own bytes (the
    compiled template only holds their drawing), fitted into seal.size / photo.width × height,
    and the result still equals a plain docxtpl render."""
    from PIL import Image
    shutil.copy(emblem_png, tmp_path / "photo.png")
    Image.open(emblem_png).transpose(Image.Transpose.ROTATE_90).save(tmp_path / "other.png")
    by_name = {p.stem: p for p in EXAMPLES}
    for stem, field, box in (("14_certificate", "photo", ("photo", "width", "height")),
                             ("13_stamped", "seal", ("seal", "size", "size"))):
        for image in ("photo.png", "other.png"):
            src = by_name[stem].read_text(encoding="utf-8") + f"\n{field}: {image}\n"
            composed, _ = api.compose_file(write_letter(tmp_path, src, f"{stem}-{image}.yaml"))
            target = tmp_path / f"{stem}-{image}.docx"
            render_docx(composed, target)
            with zipfile.ZipFile(target) as z:
                media = {z.read(n) for n in z.namelist() if n.startswith("word/media/")}
            assert (tmp_path / image).read_bytes() in media, (stem, image)
            g = composed.geometry
            w_mm, h_mm = g[box[0]][box[1]], g[box[0]][box[2]]
            px = Image.open(tmp_path / image).size
            scale = min(w_mm / px[0], h_mm / px[1])
            extents = [(int(e.get("cx")), int(e.get("cy")))
                       for e in part(target, "word/document.xml").iter("{%s}extent" % NS["wp"])]
            assert (emu(round(px[0] * scale, 3)), emu(round(px[1] * scale, 3))) in extents, (stem, extents)
            _assert_same_as_docxtpl(composed, target, DOCX_TEMPLATES / composed.doctype_spec["docx"])


# ---- marks ----------------------------------------------------------------------------

@pytest.mark.parametrize("stem", [s for s in STEMS if s in ("01_external_references", "05_acting",
                                                             "06_three_pages")])
def test_urgency_red_and_large(docx_examples, stem):
    composed, path = docx_examples[stem]
    assert composed.urgency
    g = composed.geometry
    root = part(path, "word/document.xml")
    runs = [r for r in root.iter(q("r")) if run_text(r) == composed.urgency]
    assert len(runs) == 1
    rpr = runs[0].find(q("rPr"))
    assert rpr.find(q("color")).get(q("val")).upper() == g["marks"]["color"].lstrip("#").upper()
    assert int(rpr.find(q("sz")).get(q("val"))) >= 2 * g["marks"]["urgency_size_pt"] >= 64
    assert rpr.find(q("b")) is not None
    # above ที่: the urgency paragraph comes before the ref paragraph
    paras = [p for p in root.iter(q("p"))]
    texts = ["".join(run_text(r) for r in p.iter(q("r"))) for p in paras]
    at_urgency = texts.index(composed.urgency)
    at_ref = next(i for i, t in enumerate(texts) if t.startswith(composed.ref_label))
    assert at_urgency < at_ref


def test_secrecy_top_and_bottom_of_every_page(docx_examples):
    composed, path = docx_examples["06_three_pages"]
    assert composed.secrecy
    g = composed.geometry
    section = docx.Document(str(path)).sections[0]
    for hf in (section.first_page_header, section.header, section.first_page_footer, section.footer):
        runs = [r for r in hf._element.iter(q("r")) if run_text(r) == composed.secrecy]
        assert len(runs) == 1, hf
        rpr = runs[0].find(q("rPr"))
        assert rpr.find(q("color")).get(q("val")).upper() == g["marks"]["color"].lstrip("#").upper()
        assert rpr.find(q("cs")) is not None
        para = hf.paragraphs[0]
        align = para.alignment or para.style.paragraph_format.alignment
        assert align == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER


def test_no_secrecy_leaves_headers_valid(docx_examples):
    _, path = docx_examples["01_external_references"]
    for name, root in text_parts(path).items():
        if "header" in name or "footer" in name:
            assert root.find(q("p")) is not None, name


# ---- layout from geometry --------------------------------------------------------------

def test_styles_follow_geometry(docx_examples):
    composed, path = docx_examples["01_external_references"]
    g = composed.geometry
    ids = style_ids(path)
    styles = part(path, "word/styles.xml")

    def ind(name):
        return styles.xpath(f"//w:style[@w:styleId='{ids[name]}']/w:pPr/w:ind", namespaces=NS)[0]

    lw, step, first = g["header"]["label_width"], g["body"]["item_step"], g["body"]["first_line_indent"]
    assert int(ind("DG Label").get(q("hanging"))) == twips(lw)
    assert int(ind("DG Body").get(q("firstLine"))) == twips(first)
    for level in (1, 2, 3):
        assert int(ind(f"DG Item {level}").get(q("firstLine"))) == twips(first + (level - 1) * step)
    assert int(ind("DG Date").get(q("left"))) == twips(g["header"]["date_x"])
    # signature block: centred, its box centred on signature.axis_x
    left, right = int(ind("DG Signature").get(q("left"))), int(ind("DG Signature").get(q("right")))
    centre = left + (twips(g.text_width) - left - right) / 2
    assert abs(centre - twips(g["signature"]["axis_x"])) <= 1
    keep = styles.xpath(f"//w:style[@w:styleId='{ids['DG Purpose']}']/w:pPr/w:keepNext", namespaces=NS)
    assert keep


def test_profile_layout_override_reaches_the_docx(tmp_path):
    src = EXAMPLES[0].read_text(encoding="utf-8")
    src += "\nlayout: {margin: {left: 25}, signature: {axis_x: 95}, emblem: {external: {height: 25}}}\n"
    composed, _ = api.compose_file(write_letter(tmp_path, src))
    target = tmp_path / "override.docx"
    render_docx(composed, target)
    sect = part(target, "word/document.xml").find("w:body/w:sectPr", NS)
    assert int(sect.find(q("pgMar")).get(q("left"))) == twips(25)
    cy = int(next(part(target, "word/document.xml").iter("{%s}extent" % NS["wp"])).get("cy"))
    assert cy == emu(25)
    ids = style_ids(target)
    ind = part(target, "word/styles.xml").xpath(
        f"//w:style[@w:styleId='{ids['DG Signature']}']/w:pPr/w:ind", namespaces=NS)[0]
    tw = twips(210 - 25 - composed.geometry["margin"]["right"])
    left, right = int(ind.get(q("left"))), int(ind.get(q("right")))
    assert abs(left + (tw - left - right) / 2 - twips(95)) <= 1


def test_ref_and_sender_share_a_line(docx_examples):
    composed, path = docx_examples["01_external_references"]
    d = docx.Document(str(path))
    cells = d.tables[0].rows[0].cells
    assert cells[0].text == composed.ref_text
    assert [p.text for p in cells[1].paragraphs] == composed.sender_lines
    grid = part(path, "word/document.xml").find(".//w:tblGrid", NS)
    assert int(grid[0].get(q("w"))) == twips(composed.geometry["header"]["sender_x"])


def test_labelled_lists_one_per_line(docx_examples):
    composed, path = docx_examples["01_external_references"]
    d = docx.Document(str(path))
    texts = [p.text for p in d.paragraphs]
    for key in ("references", "enclosures", "copies_to"):
        entries = getattr(composed, key)
        assert len(entries) > 1
        first = f"{composed.LABELS[key]}\t{entries[0].label}\t{entries[0].text}"
        assert first in texts
        for e in entries[1:]:
            assert f"\t{e.label}\t{e.text}" in texts


def test_memo_head(docx_examples):
    composed, path = docx_examples["02_memo"]
    g = composed.geometry
    d = docx.Document(str(path))
    texts = [p.text for p in d.paragraphs]
    # the Garuda at the top left and the heading centred on the same line (printed form)
    line = next(p for p in d.paragraphs if composed.doctype_spec["name_th"] in p.text)
    assert line.style.name == "DG Memo Emblem"
    assert line._p.xpath(".//w:drawing")                                  # the emblem is on it
    (heading,) = [r for r in line.runs if r.text == composed.doctype_spec["name_th"]]
    assert heading.style.name == "DG Memo Heading"
    assert heading.style.font.bold and heading.style.font.size.pt == g["memo"]["heading_size_pt"]
    tab = line.style.paragraph_format.tab_stops[0]
    assert tab.alignment == docx.enum.text.WD_TAB_ALIGNMENT.CENTER
    assert abs(tab.position.mm - (g["page"]["width"] - g["margin"]["left"] - g["margin"]["right"]) / 2) < 0.5
    refdate = next(p for p in d.paragraphs if p.text.startswith(composed.ref_label + " "))
    assert composed.date_label in refdate.text and composed.date_text in refdate.text
    label_runs = [r for r in refdate.runs if r.text in (composed.ref_label, composed.date_label)]
    assert len(label_runs) == 2
    for r in label_runs:
        assert r.font.bold and r.font.size.pt == g["memo"]["label_size_pt"]
    tabs = refdate.style.paragraph_format.tab_stops
    assert [t.leader for t in tabs] == [docx.enum.text.WD_TAB_LEADER.DOTS] * 2
    assert not composed.closing and composed.closing not in texts


def test_core_properties(docx_examples):
    composed, path = docx_examples["01_external_references"]
    props = docx.Document(str(path)).core_properties
    assert props.title == composed.meta["title"]
    assert props.author == composed.meta["author"]
    assert props.keywords == composed.meta["keywords"]
    assert props.language == "th-TH"


def test_no_template_only_parts(docx_examples):
    """No thumbnail of the template's page and no Word-2010 stylesWithEffects copy: they
    describe the template, not the letter (and cost a 438 kB part per letter)."""
    for _, path in docx_examples.values():
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            rels = z.read("_rels/.rels").decode() + z.read("word/_rels/document.xml.rels").decode()
        assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n], names
        assert "thumbnail" not in rels and "stylesWithEffects" not in rels
        assert docx.Document(str(path)).paragraphs       # still a package python-docx opens


@pytest.mark.parametrize("stem", STEMS)
def test_compiled_template_prints_what_docxtpl_prints(docx_examples, stem):
    """The renderer compiles a template once and re-renders only its text parts; the same
    letter rendered the plain docxtpl way (open, render, post-process, save) must give
    byte-identical document, header, footer and footnote parts, and the same core.xml."""
    composed, ours = docx_examples[stem]
    _assert_same_as_docxtpl(composed, ours, DOCX_TEMPLATES / composed.doctype_spec["docx"])


DOCX_TEMPLATES = TEMPLATES_DIR / "docx"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_FOOTNOTES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {_W}>'
              '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
              '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
              '</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">'
              'เชิงอรรถ {{ subject }} {_{ literal }_}</w:t></w:r></w:p></w:footnote></w:footnotes>')


def _edge_template(tmp_path: Path) -> Path:
    """page.docx plus what the bundled template lacks: a ``{_{`` escape in the body, a
    footnote that uses the context, the emblem in a header, a templated core property."""
    src, out = DOCX_TEMPLATES / "page.docx", tmp_path / "edge.docx"
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    doc = members["word/document.xml"].decode()
    extra = ('<w:p><w:r><w:t xml:space="preserve">ตัวอักษร {_{ x }_} {_% y %_} {{ subject }}</w:t></w:r>'
             '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    i = doc.rindex("<w:sectPr")
    members["word/document.xml"] = (doc[:i] + extra + doc[i:]).encode()
    members["word/footnotes.xml"] = _FOOTNOTES.encode()
    rels = members["word/_rels/document.xml.rels"].decode().replace(
        "</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    members["word/_rels/document.xml.rels"] = rels.encode()
    ct = members["[Content_Types].xml"].decode().replace(
        "</Types>", '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
    members["[Content_Types].xml"] = ct.encode()
    hdr = members["word/header1.xml"].decode()
    i = hdr.rindex("</w:hdr>")
    members["word/header1.xml"] = (hdr[:i] + '<w:p><w:r><w:t>{{ emblem }}</w:t></w:r></w:p>'
                                   + hdr[i:]).encode()
    core = members["docProps/core.xml"].decode()
    assert "<dc:description></dc:description>" in core
    members["docProps/core.xml"] = core.replace(
        "<dc:description></dc:description>",
        "<dc:description></dc:description><dc:identifier>{{ subject }}</dc:identifier>").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, blob in members.items():
            z.writestr(n, blob)
    return out


def test_compiled_template_equivalence_covers_escapes_footnotes_header_emblem(tmp_path):
    composed, _ = api.compose_file(EXAMPLES[0])
    template = _edge_template(tmp_path)
    ours = tmp_path / "edge-ours.docx"
    render_docx(composed, ours, template=template)
    with zipfile.ZipFile(ours) as z:
        assert "word/footnotes.xml" in z.namelist()
        foot = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
        assert "{_{" not in body and "{{ x }}" in body and "{% y %}" in body   # escapes resolved
        assert "{{ literal }}" in foot and "เชิงอรรถ" in foot
        headers = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"word/header\d+\.xml", n)]
        assert any("<wp:inline" in h or "<w:drawing" in h for h in headers)    # the header emblem
    _assert_same_as_docxtpl(composed, ours, template)


def _assert_same_as_docxtpl(composed, ours: Path, template: Path) -> None:
    import io

    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from docgen.render import docx as r
    r.check_docxtpl_version()
    laid_out = r.laid_out_template(template, composed)
    tpl = DocxTemplate(io.BytesIO(laid_out))
    height = r._emblem_key(composed)[2]
    emblem = InlineImage(tpl, io.BytesIO(r.placeholder_png(height)), height=Mm(height))
    context = r.build_context(composed, emblem, r.docxtpl_images(tpl, composed))
    tpl.render(context, jinja_env=r._jinja_env(), autoescape=True)
    bands = [rel.target_part for rel in tpl.docx.part.rels.values()
             if rel.reltype.endswith(("/header", "/footer"))]
    compiled = r._compiled(laid_out, r._emblem_key(composed))
    r.postprocess(tpl.docx.element.body, [b.element for b in bands], composed, compiled.ids)
    plain = ours.with_name(f"{ours.stem}-plain.docx")
    tpl.save(str(plain))
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(plain) as b:
        names = [n for n in b.namelist()
                 if re.fullmatch(r"word/(document|header\d+|footer\d+|footnotes)\.xml", n)]
        assert len(names) >= 3
        for name in names:
            assert a.read(name) == b.read(name), name
        assert sorted(a.namelist()) == sorted(b.namelist())
        # core.xml: what docxtpl rendered from the template's properties, with docgen's own
        # metadata set over it (as _core_xml does), equals ours but for the timestamps
        expected = docx.Document(str(plain)).core_properties
        got = docx.Document(str(ours)).core_properties
    from docgen.compose import metadata_text
    for name in r._TEMPLATED_PROPS:
        setattr(expected, name, metadata_text(getattr(expected, name)))
    for name in ("title", "author", "keywords", "subject"):
        setattr(expected, name, metadata_text(composed.meta.get(name, "")))
    expected.language, expected.last_modified_by, expected.comments = "th-TH", "docgen", ""
    for name in ("author", "category", "comments", "content_status", "identifier", "keywords",
                 "language", "last_modified_by", "revision", "subject", "title", "version"):
        assert getattr(got, name) == getattr(expected, name), name
    assert got.created == got.modified


# ---- escaping, user templates, atomic writes -----------------------------------------

NASTY = 'ทดสอบ </w:t><w:t>x & <script>alert(1)</script> &amp; "quoted" \'single\''
TAGS = "{{ subject }} {% if true %}ไม่ควรประเมิน{% endif %} {#c#} {_{ x }_} {_% y %_}"


def test_escaping_and_literal_template_syntax(tmp_path):
    src = EXAMPLES[0].read_text(encoding="utf-8")
    composed, _ = api.compose_file(write_letter(tmp_path, src))
    composed = dataclasses.replace(
        composed, subject=NASTY, recipient=TAGS, purpose="บรรทัดหนึ่ง\nบรรทัดสอง",
        sender_lines=composed.sender_lines + ["<w:p>", "a & b"])
    target = tmp_path / "nasty.docx"
    render_docx(composed, target)
    d = docx.Document(str(target))          # parses: nothing corrupted
    text = docx_text(target)
    assert squash(NASTY) in squash(text)
    assert TAGS in text                     # printed literally, not evaluated
    assert "ไม่ควรประเมิน" in text and "{#c#}" in text
    assert "บรรทัดหนึ่ง" in text and "บรรทัดสอง" in text
    assert "<w:p>" in text and "a & b" in text
    assert any(p.text.startswith("เรื่อง\t" + "ทดสอบ </w:t>") for p in d.paragraphs)


def test_escaping_through_the_validated_input(tmp_path):
    src = EXAMPLES[0].read_text(encoding="utf-8").replace(
        "to: เลขาธิการคณะรัฐมนตรี", "to: 'เลขาธิการ {{ to }} {% raw %} <b>&amp;</b> \"x\"'")
    composed, _ = api.compose_file(write_letter(tmp_path, src))
    target = tmp_path / "in.docx"
    render_docx(composed, target)
    assert squash(composed.recipient) in squash(docx_text(target))
    assert "{{ to }}" in docx_text(target)


def test_user_template_with_same_placeholders(tmp_path, docx_examples):
    """A modified copy of the template (added line, restyled body) renders the same letter."""
    composed, _ = docx_examples["01_external_references"]
    user = tmp_path / "agency.docx"
    d = docx.Document(str(TEMPLATES_DIR / "docx" / "page.docx"))
    d.paragraphs[0].insert_paragraph_before("แม่แบบของหน่วยงาน: {{ ref_text }} / {{ author }}")
    d.paragraphs[0].insert_paragraph_before("ป้าย {_{ ไม่ใช่ตัวแปร }_}")     # docxtpl's brace escape
    d.styles["DG Body"].font.italic = True
    d.save(user)
    target = tmp_path / "from_user.docx"
    render_docx(composed, target, template=user)
    text = docx_text(target)
    assert f"แม่แบบของหน่วยงาน: {composed.ref_text} / {composed.meta['author']}" in text
    assert "ป้าย {{ ไม่ใช่ตัวแปร }}" in text
    for expected in composed.printed_texts():
        assert squash(expected) in squash(text), expected
    out = docx.Document(str(target))
    assert out.styles["DG Body"].font.italic                      # the user's change is kept
    added = next(p for p in out.paragraphs if p.text.startswith("แม่แบบของหน่วยงาน"))
    assert all(r._r.rPr.find(q("cs")) is not None for r in added.runs if THAI.search(r.text))


def test_emblem_in_a_user_header(tmp_path, docx_examples):
    """An agency template may put {{ emblem }} in a header: the image is related to that
    header (as docxtpl relates it), not to the body."""
    composed, _ = docx_examples["01_external_references"]
    user = tmp_path / "header-emblem.docx"
    d = docx.Document(str(TEMPLATES_DIR / "docx" / "page.docx"))
    d.sections[0].header.add_paragraph("ตรา {{ emblem }}")
    d.save(user)
    target = tmp_path / "out.docx"
    render_docx(composed, target, template=user)
    with zipfile.ZipFile(target) as z:
        header = next(n for n in z.namelist() if re.fullmatch(r"word/header\d+\.xml", n)
                      and b"<w:drawing>" in z.read(n))
        rid = re.search(rb'r:embed="(rId\d+)"', z.read(header)).group(1).decode()
        rels = etree.fromstring(z.read(header.replace("word/", "word/_rels/") + ".rels"))
        target_of = {r.get("Id"): r.get("Target") for r in rels}
        assert target_of[rid].startswith("media/") and "word/" + target_of[rid] in z.namelist()


def test_failed_render_leaves_no_file(tmp_path, docx_examples, monkeypatch):
    """Saving fails half-way: neither the target nor its temporary file may remain."""
    from docgen.render import docx as docx_render
    composed, _ = docx_examples["01_external_references"]

    def half_then_crash(data, target):
        with open(target, "wb") as f:
            f.write(data[:100])
        raise OSError("disk full")
    monkeypatch.setattr(docx_render, "_write_package", half_then_crash)
    target = tmp_path / "out" / "letter.docx"
    with pytest.raises(OSError):
        render_docx(composed, target)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_atomic_write_leaves_only_the_target(tmp_path, docx_examples):
    composed, _ = docx_examples["02_memo"]
    target = tmp_path / "memo.docx"
    render_docx(composed, target)
    render_docx(composed, target)           # overwrite in place
    assert [p.name for p in tmp_path.iterdir()] == ["memo.docx"]
    assert zipfile.is_zipfile(target)


def test_api_renders_docx(tmp_path):
    r = api.render_file(EXAMPLES[0], tmp_path, formats=("docx",))
    assert r.paths["docx"].suffix == ".docx" and r.paths["docx"].exists()


# ---- LibreOffice: the DOCX opens, keeps every text and paginates like the PDF -----------

@pytest.fixture(scope="session")
def libreoffice_pdfs(docx_examples, tmp_path_factory):
    """Every example DOCX → PDF in ONE soffice call, TH SarabunPSK made visible via fontconfig."""
    out = libreoffice_to_pdf([p for _, p in docx_examples.values()], tmp_path_factory.mktemp("lo"), timeout=120)
    return {stem: out / f"{stem}.pdf" for stem in docx_examples}


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.parametrize("stem", STEMS)
def test_libreoffice_text_and_pages(libreoffice_pdfs, docx_examples, stem):
    composed, _ = docx_examples[stem]
    pdf = libreoffice_pdfs[stem]
    assert pdf.exists(), "soffice produced no PDF"
    # -raw: content-stream order; the default x-sorted mode can put a zero-width tone mark
    # after the next consonant ("คูม่ ือ"), an extraction artefact (see test_pdf.py)
    text = squash(pdftotext(pdf, "-raw"))
    for expected in composed.printed_texts():
        assert squash(expected) in text, expected
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "THSarabunPSK" in fonts, "LibreOffice substituted the font"


def test_libreoffice_pages_match_our_pdf(libreoffice_pdfs, docx_examples, request):
    try:
        from docgen.render import pdf as _pdf  # noqa: F401
    except ImportError:
        pytest.skip("pdf renderer not available")
    pdf_examples = request.getfixturevalue("pdf_examples")
    for stem in docx_examples:
        lo, ours = _pages(libreoffice_pdfs[stem]), _pages(pdf_examples[stem][1])
        assert abs(lo - ours) <= 1, (stem, lo, ours)
    assert _pages(libreoffice_pdfs["02_memo"]) == 1
    assert _pages(libreoffice_pdfs["06_three_pages"]) == 3


def test_libreoffice_places_the_garuda_and_page_two_like_the_pdf(libreoffice_pdfs, docx_examples):
    """In a real office program the Garuda starts `emblem.top` (15 mm) from the edge at its exact
    height, and pages 2+ start their text at `margin.top`, as in our PDF."""
    import pymupdf
    mm = 72 / 25.4
    for stem, (composed, _) in docx_examples.items():
        g = composed.geometry
        spec = g["emblem"][composed.doctype_spec["emblem"]]
        doc = pymupdf.open(libreoffice_pdfs[stem])
        images = sorted(doc[0].get_image_info(), key=lambda i: i["bbox"][1])
        assert sum(len(page.get_image_info()) for page in doc) == prints_emblem(composed) + sum(
            1 for b in composed.blocks if b.kind in ("seal", "photo")), stem
        if prints_emblem(composed):
            img = images[0]                     # the topmost: the Garuda (a seal, a photo lie below)
            top, height = img["bbox"][1] / mm, (img["bbox"][3] - img["bbox"][1]) / mm
            assert abs(top - spec["top"]) < 0.5 and abs(height - spec["height"]) < 0.2, (stem, top, height)
        pages = list(doc) if not prints_emblem(composed) else list(doc)[1:]
        # a page that opens with a signature (no closing before it: a meeting's recorder)
        # starts with its blank lines: the signer's name is the first text, gap_lines lower
        gap_mm = g["signature"]["gap_lines"] * g["line_height"] * g["font"]["size_pt"] / mm
        names = {name for name, _ in composed.signers.values()}
        for page in pages:                  # with no Garuda, page 1 too starts at margin.top
            lines = [(line["bbox"][1] / mm, "".join(s["text"] for s in line["spans"]).strip())
                     for b in page.get_text("dict")["blocks"] for line in b.get("lines", [])]
            body, text = min((t, x) for t, x in lines if x and t > g["margin"]["top"] - 2)
            if squash(text) in {squash(n) for n in names} and abs(body - g["margin"]["top"] - gap_mm) < 2:
                continue
            assert abs(body - g["margin"]["top"]) < 2, (stem, body)
