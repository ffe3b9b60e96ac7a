"""Build templates/docx/page.docx, the DOCX template of every document type (python-docx).

    .venv/bin/python scripts/make_docx_templates.py

``page.docx`` prints every document type: its body walks ``blocks`` (``ComposedLetter.blocks``,
docgen/compose.py) with one small builder below per block kind (``BLOCK_BUILDERS``), as the
PDF's page.html includes one partial per kind.

The templates are ordinary Word files with docxtpl (Jinja) tags; docs/docx-templates.md lists
every placeholder.  Lengths are NOT written here: every ``DG …`` style and the page set-up
come from ``docgen.render.docx_layout.apply_layout`` with the default geometry
(data/layout.yaml), and the renderer applies the letter's geometry again on every render.
Run this script again after changing the template structure, and commit the .docx files.
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from docgen import compose, data  # noqa: E402
from docgen.geometry import build  # noqa: E402
from docgen.render.docx_layout import apply_layout, drop_derived_parts, normalize_package  # noqa: E402

OUT = data.TEMPLATES_DIR / "docx"


class Writer:
    """Appends paragraphs to a container (document body, table cell, header, footer)."""

    def __init__(self, container):
        self.c = container
        self.fresh = list(container.paragraphs)      # a new header/cell has one empty paragraph

    def p(self, style: str, *runs):
        """A paragraph of ``style``; each run is "text" or ("text", "character style")."""
        para = self.fresh.pop(0) if self.fresh else self.c.add_paragraph()
        para.style = style
        for run in runs:
            text, cstyle = (run, None) if isinstance(run, str) else run
            para.add_run(text, style=cstyle)
        return para

    def tag(self, tag: str, style: str = "Normal"):
        """A paragraph holding only a ``{%p … %}`` tag (docxtpl removes the paragraph)."""
        return self.p(style, tag)


def page_field(para, sample: str) -> None:
    """"- {PAGE} -" with the field instruction PAGE \\* THAIARABIC and a cached result."""
    def run(*children):
        r = OxmlElement("w:r")
        for child in children:
            r.append(child)
        para._p.append(r)

    def el(tag, **attrs):
        e = OxmlElement(tag)
        for k, v in attrs.items():
            e.set(qn(k), v)
        return e

    para.add_run("- ")
    run(el("w:fldChar", **{"w:fldCharType": "begin"}))
    instr = el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = r" PAGE \* THAIARABIC "
    run(instr)
    run(el("w:fldChar", **{"w:fldCharType": "separate"}))
    t = el("w:t")
    t.text = sample
    run(t)
    run(el("w:fldChar", **{"w:fldCharType": "end"}))
    para.add_run(" -")


def furniture(doc) -> None:
    """Secrecy mark at top and bottom centre of every page; "- ๒ -" on pages 2+."""
    section = doc.sections[0]
    for part in (section.first_page_header, section.header,
                 section.first_page_footer, section.footer):
        part.is_linked_to_previous = False
        w = Writer(part)
        w.tag("{%p if secrecy %}")
        w.p("DG Mark", ("{{ secrecy }}", "DG Secrecy"))
        w.tag("{%p endif %}")
        if part is section.header:
            page_field(w.p("DG Page Number"), "๒")


def new_document():
    doc = docx.Document()
    g = build()
    apply_layout(doc, g)          # creates the DG styles (lengths from data/layout.yaml)
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc, g


def b_marks(w: Writer, doc) -> None:
    """Nothing in the body: the secrecy mark is in every header and footer (``furniture``)."""


def b_emblem(w: Writer, doc) -> None:
    w.tag('{%p if b.placement == "left" %}')
    # the memo form: the Garuda at the top left, the urgency beside it, the heading centred
    w.p("DG Memo Emblem", "{{ emblem }} ", ("{{ b.urgency }}", "DG Urgency"), "\t",
        ("{{ b.heading }}", "DG Memo Heading"))
    w.tag("{%p else %}")
    # กระดาษตราครุฑ: the urgency at the left, the Garuda on the centre tab
    w.p("DG Emblem", ("{{ b.urgency }}", "DG Urgency"), "\t{{ emblem }}")
    w.tag("{%p if b.heading %}")
    w.p("DG Heading", ("{{ b.heading }}", "DG Strong"))
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")


def b_urgency(w: Writer, doc) -> None:
    w.p("DG Urgency Line", ("{{ b.text }}", "DG Urgency"))


def b_heading(w: Writer, doc) -> None:
    w.tag("{%p if b.bold %}")
    w.p("DG Heading", ("{{ b.text }}", "DG Strong"))
    w.tag("{%p else %}")
    w.p("DG Heading", "{{ b.text }}")
    w.tag("{%p endif %}")


def b_rule(w: Writer, doc) -> None:
    w.p("DG Rule")


def b_ref_line(w: Writer, doc) -> None:
    w.tag("{%p if b.sender %}")
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    Writer(left).p("DG Ref", "{{ b.label }} {{ b.value }}")
    ws = Writer(right)
    ws.tag("{%p for line in b.sender %}", "DG Sender")
    ws.p("DG Sender", "{{ line }}")
    ws.tag("{%p endfor %}", "DG Sender")
    w.tag("{%p else %}")
    w.p("DG Ref", "{{ b.label }} {{ b.value }}")
    w.tag("{%p endif %}")


def b_date_line(w: Writer, doc) -> None:
    w.tag('{%p if b.align == "signature" %}')
    w.p("DG Date Signature", "{{ b.text }}")
    w.tag("{%p else %}")
    w.p("DG Date", "{{ b.text }}")
    w.tag("{%p endif %}")


def b_form_row(w: Writer, doc) -> None:
    w.tag("{%p if b.cells|length > 1 %}")
    w.p("DG Memo Ref Date", ("{{ b.cells[0].label }}", "DG Memo Label"), " {{ b.cells[0].text }}\t",
        ("{{ b.cells[1].label }}", "DG Memo Label"), " {{ b.cells[1].text }}\t")
    w.tag("{%p else %}")
    w.p("DG Memo Field", ("{{ b.cells[0].label }}", "DG Memo Label"), " {{ b.cells[0].text }}\t")
    w.tag("{%p endif %}")


def b_labeled(w: Writer, doc) -> None:
    """One unnumbered entry on the label's line; numbered entries each on a line of its own."""
    w.tag("{%p if b.entries|length == 1 and not b.entries[0].label %}")
    keep_p(w, "DG Label", "{{ b.label }}\t{{ b.entries[0].text }}", when="in_tail")
    w.tag("{%p else %}")
    w.tag("{%p for e in b.entries %}")
    w.tag("{%p if loop.first %}")
    keep_p(w, "DG List First", "{{ b.label }}\t{{ e.label }}\t{{ e.text }}", when="in_tail")
    w.tag("{%p else %}")
    keep_p(w, "DG List", "\t{{ e.label }}\t{{ e.text }}", when="in_tail")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def keep_p(w: Writer, style: str, *runs, when: str = "keep") -> None:
    """``style``, or its "… Keep" twin (kept with the next paragraph) when ``when`` holds."""
    w.tag(f"{{%p if {when} %}}")
    w.p(f"{style} Keep", *runs)
    w.tag("{%p else %}")
    w.p(style, *runs)
    w.tag("{%p endif %}")


def b_paragraph(w: Writer, doc) -> None:
    w.tag("{%p if b.gap %}")
    w.p("DG Gap")
    w.tag("{%p endif %}")
    keep_p(w, "DG Body", "{{ b.text }}")


def b_item(w: Writer, doc) -> None:
    for level in (1, 2, 3):
        w.tag(f"{{%p {'if' if level == 1 else 'elif'} b.level == {level} %}}" if level < 3 else "{%p else %}")
        keep_p(w, f"DG Item {level}", "{{ b.label }} {{ b.text }}")
    w.tag("{%p endif %}")


def b_clause(w: Writer, doc) -> None:
    keep_p(w, "DG Clause", "{{ b.label }} {{ b.text }}")
    w.tag("{%p for e in b.items %}")
    keep_p(w, "DG Clause Item", "{{ e.label }} {{ e.text }}", when="keep and loop.revindex <= 2")
    w.tag("{%p endfor %}")


def b_attendees(w: Writer, doc) -> None:
    """The title, then a borderless table "๑." | name | position (and the note): the columns
    (attendees.name_x, attendees.position_x) are set by the renderer, so a long name or
    position wraps inside its column instead of running into the next."""
    w.p("DG Attendees Title", "{{ b.title }}")
    table = doc.add_table(rows=3, cols=3)
    table.autofit = False
    first, row, last = table.rows
    Writer(first.cells[0]).p("DG Attendee", "{%tr for r in b.rows %}")
    label, name, position = row.cells
    Writer(label).p("DG Attendee", "{{ r.label }}")
    Writer(name).p("DG Attendee", "{{ r.name }}")
    Writer(position).p("DG Attendee", "{{ r.position }}{% if r.note %} {{ r.note }}{% endif %}")
    Writer(last.cells[0]).p("DG Attendee", "{%tr endfor %}")


def b_agenda_title(w: Writer, doc) -> None:
    w.p("DG Agenda Title", "{{ b.text }}")


def b_resolution(w: Writer, doc) -> None:
    keep_p(w, "DG Resolution", ("{{ b.label }}", "DG Strong"), " {{ b.text }}")


def b_signature(w: Writer, doc) -> None:
    w.tag("{%p if b.purpose %}")
    w.p("DG Purpose", "{{ b.purpose }}")
    w.tag("{%p endif %}")
    w.tag("{%p if b.closing %}")
    w.p("DG Closing", "{{ b.closing }}")
    w.tag("{%p endif %}")
    w.tag("{%p for _ in signature_gap %}")
    w.p("DG Signature")
    w.tag("{%p endfor %}")
    w.p("DG Signature", "{{ b.name }}")
    w.tag("{%p for line in b.lines %}")
    w.p("DG Signature", "{{ line }}")
    w.tag("{%p endfor %}")
    w.tag("{%p if b.role %}")
    w.p("DG Signature", "{{ b.role }}")
    w.tag("{%p endif %}")


def b_sign_off(w: Writer, doc) -> None:
    w.p("DG Gap")
    w.tag("{%p for line in b.lines %}")
    w.p("DG Signature", "{{ line }}")
    w.tag("{%p endfor %}")


def b_seal(w: Writer, doc) -> None:
    """``{{ seal }}``: the seal's picture (or its drawn placeholder), set per letter by the
    renderer; a placeholder also prints its label as text."""
    w.p("DG Seal", "{{ seal }}")
    w.tag("{%p if not b.image %}")
    w.p("DG Seal Label", "{{ b.placeholder }}")
    w.tag("{%p endif %}")


def b_photo(w: Writer, doc) -> None:
    w.p("DG Photo", "{{ photo }}")


def b_contact(w: Writer, doc) -> None:
    w.p("DG Gap")
    w.tag("{%p for line in b.lines %}")
    w.p("DG Contact", "{{ line }}")
    w.tag("{%p endfor %}")


def b_distribution(w: Writer, doc) -> None:
    w.tag("{%p if b.own_page %}")
    w.p("DG Distribution Page", "{{ b.title }}")
    w.tag("{%p else %}")
    w.p("DG Distribution Title", "{{ b.title }}")
    w.tag("{%p endif %}")
    w.tag("{%p for e in b.entries %}")
    keep_p(w, "DG List", "\t{{ e.label }}\t{{ e.text }}", when="in_tail and not b.own_page")
    w.tag("{%p endfor %}")


BLOCK_BUILDERS = {name[2:]: fn for name, fn in list(globals().items()) if name.startswith("b_")}


def block_kinds() -> set[str]:
    """Every kind compose.py can print (the PrintBlock dataclasses)."""
    todo, kinds = [compose.PrintBlock], set()
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.kind:
            kinds.add(cls.kind)
    return kinds


def page():
    missing = block_kinds() - set(BLOCK_BUILDERS)
    if missing:
        raise SystemExit(f"no DOCX builder for block kind(s) {sorted(missing)}")
    doc, g = new_document()
    w = Writer(doc)
    # pagination (docs/decisions.md "Pagination"): the last two body blocks before the closing
    # blocks take the "… Keep" styles (kept with the next paragraph), so the page holding the
    # signature holds at least two lines of body text; the closing blocks' own styles chain
    w.tag('{%p set tail = ["signature", "sign_off", "seal", "date_line", "photo", "contact", '
          '"labeled", "distribution"] %}')
    w.tag("{%p for b in blocks %}")
    w.tag("{%p set keep = blocks[loop.index0 + 1:loop.index0 + 3]|selectattr('kind', 'in', tail)|list|length > 0 %}")
    # in_tail: this block and every one after it are closing blocks (สำเนาส่ง, not เรื่อง)
    w.tag("{%p set in_tail = blocks[loop.index0:]|rejectattr('kind', 'in', tail)|list|length == 0 %}")
    printing = [k for k in BLOCK_BUILDERS if k != "marks"]   # marks: headers and footers
    for i, kind in enumerate(printing):
        w.tag(f'{{%p {"if" if i == 0 else "elif"} b.kind == "{kind}" %}}')
        BLOCK_BUILDERS[kind](w, doc)
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")
    return doc, g


KEEP_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid"}


def prune_styles(doc) -> None:
    """Drop the ~180 unused built-in styles python-docx's default template carries: a short
    style list is easier for an agency to edit, and faster to post-process on every render."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    keep = {sid for sid, s in by_id.items()
            if s.find(qn("w:name")).get(qn("w:val")) in KEEP_STYLES
            or s.find(qn("w:name")).get(qn("w:val")).startswith("DG ")}
    todo = list(keep)
    while todo:                                     # and whatever those are based on
        s = by_id[todo.pop()]
        for tag in ("basedOn", "next", "link"):
            ref = s.find(qn(f"w:{tag}"))
            if ref is not None and ref.get(qn("w:val")) in by_id and ref.get(qn("w:val")) not in keep:
                keep.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, s in by_id.items():
        if sid not in keep:
            styles.remove(s)


def finish(doc, g, name: str, title: str, emblem: str) -> Path:
    furniture(doc)
    prune_styles(doc)
    apply_layout(doc, g, emblem=emblem)
    normalize_package(doc, g.get_path("font.family"))
    drop_derived_parts(doc)          # python-docx's thumbnail and Word 2010 stylesWithEffects
    props = doc.core_properties
    props.title, props.author, props.subject = title, "docgen", "docgen template"
    props.keywords, props.comments, props.language = "", "", "th-TH"
    props.last_modified_by, props.revision = "docgen", 1
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    buf = io.BytesIO()
    doc.save(buf)
    # fixed zip timestamps: regenerating an unchanged template gives the same bytes (clean diffs)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)),
                         src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    return path


def main() -> None:
    doc, g = page()
    print(finish(doc, g, "page.docx", "หนังสือราชการ (แม่แบบ docgen)", "external"))


if __name__ == "__main__":
    main()
