"""Register exports: CSV (UTF-8 with BOM), XLSX and the printed ทะเบียนหนังสือส่ง (PDF).

Every file is written to a temporary name and renamed, so a failure leaves no partial
output.  The PDF is an HTML table (Jinja autoescape) laid out by WeasyPrint: landscape
A4, TH SarabunPSK, Thai digits, ``thead`` repeated on every page, rows never split
across pages and lines broken only between Thai words; only the project's fonts and
templates can be loaded (no network).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from ..data import FONTS_DIR, TEMPLATES_DIR
from ..output import atomic_path, atomic_write, spreadsheet_safe
from ..thai.dates import format_date
from ..thai.digits import localize_digits, to_thai_digits
from .keys import NORMAL, number_label, series_doctype

FORMATS = ("csv", "xlsx", "pdf")
HTML_DIR = TEMPLATES_DIR / "html"
TITLE = "ทะเบียนหนังสือส่ง"

# The printed columns (regulation.md §6.1; แบบที่ ๑๔), and the document type (ประเภท) beside
# the number: one register numbers letters, orders, stamped letters … each in its series.
PRINTED = (
    ("registered", "วันที่ลงทะเบียน"), ("number", "เลขทะเบียนส่ง"), ("doctype", "ประเภท"), ("ref", "ที่"),
    ("letter_date", "ลงวันที่"), ("agency", "จาก"), ("recipient", "ถึง"), ("subject", "เรื่อง"),
    ("action", "การปฏิบัติ"), ("note", "หมายเหตุ"),
)
# CSV: every stored field (search_text, derived from the others, left out), then the type's
# Thai name (type_name).
DATA_COLUMNS = ("prefix", "year", "series", "number", "ref_text", "status", "letter_date", "agency",
                "recipient", "subject", "action", "note", "reason", "issued_by", "issued_at",
                "updated_at", "source", "content_hash", "batch_id", "files",
                "doctype", "revision", "sent_at", "sent_by", "type_name")

# XLSX: the register as officers keep it — the form's columns in its order (แบบที่ ๑๔,
# regulation.md §6.1), then the register's own facts, set apart (grey heads, a thick rule).
XLSX_FORM = (("registered", "ทะเบียนหนังสือส่ง วันที่", 15), ("number", "เลขทะเบียนส่ง", 11),
             ("ref", "ที่", 20), ("letter_date", "ลงวันที่", 15), ("agency", "จาก", 24),
             ("recipient", "ถึง", 30), ("subject", "เรื่อง", 50), ("action", "การปฏิบัติ", 20),
             ("note", "หมายเหตุ", 30))
XLSX_EXTRA = (("state", "สถานะ", 13), ("doctype", "ประเภท", 15), ("series", "ชุดเลข", 8),
              ("year", "ปี พ.ศ. (ทะเบียน)", 10), ("revision", "ฉบับแก้ไข", 9),
              ("sent_at", "วันที่ส่ง", 15), ("sent_by", "ผู้ส่ง", 14), ("issued_by", "ผู้ออกเลข", 14))
# A real date shown as "๓๐ พฤษภาคม ๒๕๖๗": Excel's locale tag [$-XXCCLLLL] with LLLL 041E Thai,
# CC 07 the Thai Buddhist calendar and XX D0 Thai digits, which LibreOffice honours too (it
# shows "[$-th-TH,107]" as a bare serial number, so that one is not used).  Numbers keep
# their value (sortable, filterable) and are shown in Thai digits the same way.
XLSX_DATE = "[$-D07041E]d mmmm yyyy;@"
XLSX_NUMBER = "[$-D00041E]0"
XLSX_FONT = ("TH SarabunPSK", 14)        # the Cabinet's font; 14 pt reads like 11 pt Calibri
_STATUS_NOTE = {"cancelled": "ยกเลิก", "reserved": "จองเลข", "pending": "ค้างดำเนินการ"}


def remark(entry: dict) -> str:
    """หมายเหตุ as printed: the status of a number that is not a plain issued letter.

    >>> remark({"status": "cancelled", "reason": "พิมพ์ผิด", "note": None})
    'ยกเลิก: พิมพ์ผิด'
    >>> remark({"status": "issued", "reason": None, "note": "ส่งทางไปรษณีย์"})
    'ส่งทางไปรษณีย์'
    """
    if entry["status"] == "issued":
        return entry.get("note") or ""
    head = _STATUS_NOTE[entry["status"]]
    why = entry.get("reason") or ""
    return f"{head}: {why}" if why else head


def type_name(entry: dict) -> str:
    """The entry's document type by its Thai name; a number reserved in a type's own series
    is that type's; "" when not known (a letter number reserved for a letter made elsewhere)."""
    from .query import doctype_name
    key = entry.get("doctype") or series_doctype(entry.get("series") or "")
    return doctype_name(key) if key else ""


def printed_cells(entry: dict) -> dict[str, str]:
    """One printed row, Thai digits throughout."""
    reg = dt.date.fromisoformat(entry["issued_at"][:10])
    letter_date = (format_date(dt.date.fromisoformat(entry["letter_date"]), abbreviated=True)
                   if entry.get("letter_date") else "")
    ref = entry["ref_text"]
    text = {k: localize_digits(entry.get(k) or "", "thai") for k in ("agency", "recipient", "subject", "action")}
    return {
        "registered": format_date(reg, abbreviated=True),
        "number": number_label(entry["series"], entry["number"], thai=True),
        "doctype": type_name(entry),
        "ref": to_thai_digits(ref[4:] if ref.startswith("ที่ ") else ref),
        "letter_date": letter_date,
        **text,
        "note": localize_digits(remark(entry), "thai"),
    }


def _data_row(entry: dict) -> list:
    files = "; ".join(f"{fmt}={f['path']} sha256={f['sha256']}" for fmt, f in sorted(entry["files"].items()))
    derived = {"files": files, "type_name": type_name(entry)}
    return [derived[c] if c in derived else entry.get(c) for c in DATA_COLUMNS]


def to_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(DATA_COLUMNS)
    for e in rows:
        w.writerow([spreadsheet_safe(v) if v is not None else "" for v in _data_row(e)])
    return buf.getvalue().encode("utf-8-sig")


def _day(text) -> dt.datetime | None:
    """An ISO date or timestamp's day as a naive datetime (an Excel date); None if unreadable."""
    try:
        d = dt.date.fromisoformat(str(text or "")[:10])
    except ValueError:
        return None
    return dt.datetime(d.year, d.month, d.day)


def xlsx_cells(entry: dict) -> dict:
    """One XLSX row: dates as datetimes, the number as an integer (ว numbers as text "ว ๙")."""
    from .query import STATE_TH, state_of
    ref = entry["ref_text"]
    registered = _day(entry.get("issued_at"))
    sent = _day(entry.get("sent_at"))
    return {
        "registered": registered or entry.get("issued_at"),
        "number": (entry["number"] if entry["series"] == NORMAL
                   else number_label(entry["series"], entry["number"], thai=True)),
        "ref": ref[4:] if ref.startswith("ที่ ") else ref,
        "letter_date": _day(entry.get("letter_date")) or entry.get("letter_date"),
        **{k: entry.get(k) for k in ("agency", "recipient", "subject", "action")},
        "note": remark(entry),
        "state": STATE_TH[state_of(entry)],
        "doctype": type_name(entry) or None,
        "series": entry["series"], "year": entry["year"], "revision": entry.get("revision"),
        "sent_at": sent or entry.get("sent_at"), "sent_by": entry.get("sent_by"),
        "issued_by": entry.get("issued_by"),
    }


def write_xlsx(rows: list[dict], target: Path, title: str = TITLE) -> None:
    """The register sheet: Thai heads (frozen, with an autofilter), real B.E.-displayed dates,
    text cells stored as text (never a formula, whatever the text says)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    columns = XLSX_FORM + XLSX_EXTRA
    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    ws.append([head for _, head, _ in columns])
    rule = Side(style="medium")
    first_extra = len(XLSX_FORM) + 1
    for col, (_, _, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col)
        extra = col >= first_extra
        cell.font = Font(name=XLSX_FONT[0], size=XLSX_FONT[1], bold=True, italic=extra,
                         color="555555" if extra else None)
        cell.fill = PatternFill("solid", fgColor="EEEEEE" if extra else "DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if col == first_extra:
            cell.border = Border(left=rule)
        ws.column_dimensions[get_column_letter(col)].width = width
    top = Alignment(wrap_text=True, vertical="top")
    body = Font(name=XLSX_FONT[0], size=XLSX_FONT[1])
    for r, entry in enumerate(rows, start=2):
        values = xlsx_cells(entry)
        for col, (key, _, _) in enumerate(columns, start=1):
            value = values[key]
            cell = ws.cell(row=r, column=col)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"          # never a formula, whatever the text says
            else:
                cell.value = value
            if isinstance(value, dt.datetime):
                cell.number_format = XLSX_DATE
            elif isinstance(value, int):
                cell.number_format = XLSX_NUMBER
            cell.font = body
            cell.alignment = top
            if col == first_extra:
                cell.border = Border(left=rule)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # the printout is the form (แบบที่ ๑๔), its nine columns across one page's width
    ws.print_area = f"A1:{get_column_letter(len(XLSX_FORM))}{max(len(rows) + 1, 2)}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddHeader.center.text = title.replace("&", "&&")
    with atomic_path(target) as tmp:
        wb.save(tmp)


@lru_cache(maxsize=1)
def _env():
    import jinja2
    from ..thai.text import zwsp_segment
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HTML_DIR)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["z"] = lambda s: zwsp_segment(str(s))
    return env


def _weasy():
    """WeasyPrint with the project's Thai adaptation (docgen.render.pdf sets both up)."""
    from ..render import pdf
    return pdf._weasy()[0]


def project_fetcher(roots):
    """The letters' asset fence: only the project's fonts and templates, no network."""
    from ..render.pdf import project_fetcher as fence
    return fence(roots)


def build_html(rows: list[dict], title_year: int | None, printed_at: dt.datetime,
               filters: str = "") -> str:
    env = _env()
    fonts = {"regular": (FONTS_DIR / "THSarabunPSK-Regular.ttf").resolve().as_uri(),
             "bold": (FONTS_DIR / "THSarabunPSK-Bold.ttf").resolve().as_uri()}
    stamp = f"พิมพ์เมื่อ {format_date(printed_at.date())} เวลา {to_thai_digits(printed_at.strftime('%H.%M'))} น."
    css = env.get_template("register.css").render(fonts=fonts, printed=stamp.replace('"', ""))
    title = f"{TITLE} ประจำปี พ.ศ. {to_thai_digits(title_year)}" if title_year else TITLE
    prefixes = sorted({e["prefix"] for e in rows})
    subtitle = to_thai_digits(" · ".join(prefixes + ([filters] if filters else [])))
    columns = [{"key": k, "head": h} for k, h in PRINTED]
    data = [{"status": e["status"], "cells": printed_cells(e)} for e in rows]
    from markupsafe import Markup
    return env.get_template("register.html").render(
        title=title, subtitle=subtitle, columns=columns, rows=data, css=Markup(css))


def layout(rows: list[dict], title_year: int | None = None, printed_at: dt.datetime | None = None,
           filters: str = ""):
    """The laid-out WeasyPrint document of the printed register (``filters``: what was asked)."""
    from ..render.pdf import new_font_config      # a font folder docgen sweeps if killed
    from ..thai.dates import bangkok
    weasyprint = _weasy()
    html = build_html(rows, title_year, bangkok(printed_at), filters)
    doc = weasyprint.HTML(string=html, base_url=str(HTML_DIR) + "/",
                          url_fetcher=project_fetcher((FONTS_DIR, HTML_DIR)))
    return doc.render(font_config=new_font_config())


def write_pdf(rows: list[dict], target: Path, title_year: int | None = None,
              printed_at: dt.datetime | None = None, filters: str = "") -> None:
    from ..api import RENDER_LOCK
    from ..render import weasy_adapt
    # WeasyPrint (Pango, fontconfig) is not safe in threads: one docgen render at a time
    with RENDER_LOCK, weasy_adapt.active():          # docgen's own render: its adaptation on
        atomic_write(target, layout(rows, title_year, printed_at, filters).write_pdf())


def write(fmt: str, rows: list[dict], target: Path, title_year: int | None = None, query=None) -> None:
    """``rows`` as ``fmt``; ``query`` (a RegisterQuery) is named in the PDF's and XLSX's title."""
    filters = query.describe() if query is not None else ""
    if fmt == "csv":
        atomic_write(target, to_csv(rows))
    elif fmt == "xlsx":
        title = f"{TITLE} ประจำปี พ.ศ. {title_year}" if title_year else TITLE
        write_xlsx(rows, target, to_thai_digits(f"{title} {filters}".strip()))
    else:
        write_pdf(rows, target, title_year, filters=filters)
