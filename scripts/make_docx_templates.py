"""Build templates/docx/external.docx and templates/docx/memo.docx (python-docx).

    .venv/bin/python scripts/make_docx_templates.py

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

from docgen import data  # noqa: E402
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


def labeled_list(w: Writer, name: str) -> None:
    """อ้างถึง / สิ่งที่ส่งมาด้วย / สำเนาส่ง: one entry on the label's line, several entries
    "๑." "๒." each on its own line after the label column."""
    w.tag(f"{{%p if {name}|length == 1 %}}")
    w.p("DG Label", f"{{{{ {name}_label }}}}\t{{{{ {name}[0].text }}}}")
    w.tag(f"{{%p elif {name} %}}")
    w.tag(f"{{%p for e in {name} %}}")
    w.tag("{%p if loop.first %}")
    w.p("DG List First", f"{{{{ {name}_label }}}}\t{{{{ e.label }}}}\t{{{{ e.text }}}}")
    w.tag("{%p else %}")
    w.p("DG List", "\t{{ e.label }}\t{{ e.text }}")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def body_and_signature(w: Writer) -> None:
    labeled_list(w, "references")
    labeled_list(w, "enclosures")
    w.tag("{%p if body %}")
    w.p("DG Gap")
    w.tag("{%p endif %}")
    w.tag("{%p for b in body %}")
    w.tag('{%p if b.kind == "item" and b.level == 1 %}')
    w.p("DG Item 1", "{{ b.label }} {{ b.text }}")
    w.tag('{%p elif b.kind == "item" and b.level == 2 %}')
    w.p("DG Item 2", "{{ b.label }} {{ b.text }}")
    w.tag('{%p elif b.kind == "item" %}')
    w.p("DG Item 3", "{{ b.label }} {{ b.text }}")
    w.tag("{%p else %}")
    w.p("DG Body", "{{ b.text }}")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")
    w.tag("{%p if purpose %}")
    w.p("DG Purpose", "{{ purpose }}")
    w.tag("{%p endif %}")
    w.tag("{%p if closing %}")
    w.p("DG Closing", "{{ closing }}")
    w.tag("{%p endif %}")
    w.tag("{%p for _ in signature_gap %}")
    w.p("DG Signature")
    w.tag("{%p endfor %}")
    w.p("DG Signature", "{{ signer_name }}")
    w.tag("{%p for line in signer_lines %}")
    w.p("DG Signature", "{{ line }}")
    w.tag("{%p endfor %}")
    w.tag("{%p if contact_lines %}")
    w.p("DG Gap")
    w.tag("{%p endif %}")
    w.tag("{%p for line in contact_lines %}")
    w.p("DG Contact", "{{ line }}")
    w.tag("{%p endfor %}")
    labeled_list(w, "copies_to")
    w.tag("{%p if distribution %}")
    w.tag("{%p if distribution_page %}")
    w.p("DG Distribution Page", "{{ distribution_label }}")
    w.tag("{%p else %}")
    w.p("DG Distribution Title", "{{ distribution_label }}")
    w.tag("{%p endif %}")
    w.tag("{%p for e in distribution %}")
    w.p("DG List", "\t{{ e.label }}\t{{ e.text }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


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


def external():
    doc, g = new_document()
    w = Writer(doc)
    w.p("DG Emblem", ("{{ urgency }}", "DG Urgency"), "\t{{ emblem }}")
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    Writer(left).p("DG Ref", "{{ ref_label }} {{ ref_value }}")
    ws = Writer(right)
    ws.tag("{%p for line in sender_lines %}", "DG Sender")
    ws.p("DG Sender", "{{ line }}")
    ws.tag("{%p endfor %}", "DG Sender")
    w.p("DG Date", "{{ date_text }}")
    w.p("DG Label", "{{ subject_label }}\t{{ subject }}")
    w.p("DG Label", "{{ salutation }}\t{{ recipient }}")
    body_and_signature(w)
    return doc, g


def memo():
    doc, g = new_document()
    w = Writer(doc)
    w.p("DG Memo Emblem", "{{ emblem }} ", ("{{ urgency }}", "DG Urgency"), "\t",
        ("{{ doctype_name }}", "DG Memo Heading"))
    w.p("DG Memo Field", ("{{ unit_label }}", "DG Memo Label"), " {{ unit_line }}\t")
    w.p("DG Memo Ref Date", ("{{ ref_label }}", "DG Memo Label"), " {{ ref_value }}\t",
        ("{{ date_label }}", "DG Memo Label"), " {{ date_text }}\t")
    w.p("DG Memo Field", ("{{ subject_label }}", "DG Memo Label"), " {{ subject }}\t")
    w.p("DG Label", "{{ salutation }}\t{{ recipient }}")
    body_and_signature(w)
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
    specs = data.doctypes()
    for key, make in (("external", external), ("memo", memo)):
        doc, g = make()
        print(finish(doc, g, specs[key]["docx"], f"{specs[key]['name_th']} (แม่แบบ docgen)",
                     specs[key]["emblem"]))


if __name__ == "__main__":
    main()
