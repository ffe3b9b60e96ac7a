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
from .keys import number_label

FORMATS = ("csv", "xlsx", "pdf")
HTML_DIR = TEMPLATES_DIR / "html"
TITLE = "ทะเบียนหนังสือส่ง"

# The printed columns (regulation.md §6.1; แบบที่ ๑๔).
PRINTED = (
    ("registered", "วันที่ลงทะเบียน"), ("number", "เลขทะเบียนส่ง"), ("ref", "ที่"),
    ("letter_date", "ลงวันที่"), ("agency", "จาก"), ("recipient", "ถึง"), ("subject", "เรื่อง"),
    ("action", "การปฏิบัติ"), ("note", "หมายเหตุ"),
)
# Machine-readable exports: every stored field.
DATA_COLUMNS = ("prefix", "year", "series", "number", "ref_text", "status", "letter_date", "agency",
                "recipient", "subject", "action", "note", "reason", "issued_by", "issued_at",
                "updated_at", "source", "content_hash", "batch_id", "files")
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
        "ref": to_thai_digits(ref[4:] if ref.startswith("ที่ ") else ref),
        "letter_date": letter_date,
        **text,
        "note": localize_digits(remark(entry), "thai"),
    }


def _data_row(entry: dict) -> list:
    files = "; ".join(f"{fmt}={f['path']} sha256={f['sha256']}" for fmt, f in sorted(entry["files"].items()))
    return [files if c == "files" else entry.get(c) for c in DATA_COLUMNS]


def to_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(DATA_COLUMNS)
    for e in rows:
        w.writerow([spreadsheet_safe(v) if v is not None else "" for v in _data_row(e)])
    return buf.getvalue().encode("utf-8-sig")


def write_xlsx(rows: list[dict], target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    ws.append(list(DATA_COLUMNS))
    for e in rows:
        ws.append([None] * len(DATA_COLUMNS))
        for col, value in enumerate(_data_row(e), start=1):
            cell = ws.cell(row=ws.max_row, column=col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"          # never a formula, whatever the text says
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
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


def build_html(rows: list[dict], title_year: int | None, printed_at: dt.datetime) -> str:
    env = _env()
    fonts = {"regular": (FONTS_DIR / "THSarabunPSK-Regular.ttf").resolve().as_uri(),
             "bold": (FONTS_DIR / "THSarabunPSK-Bold.ttf").resolve().as_uri()}
    stamp = f"พิมพ์เมื่อ {format_date(printed_at.date())} เวลา {to_thai_digits(printed_at.strftime('%H.%M'))} น."
    css = env.get_template("register.css").render(fonts=fonts, printed=stamp.replace('"', ""))
    title = f"{TITLE} ประจำปี พ.ศ. {to_thai_digits(title_year)}" if title_year else TITLE
    prefixes = sorted({e["prefix"] for e in rows})
    subtitle = to_thai_digits(" · ".join(prefixes))
    columns = [{"key": k, "head": h} for k, h in PRINTED]
    data = [{"status": e["status"], "cells": printed_cells(e)} for e in rows]
    from markupsafe import Markup
    return env.get_template("register.html").render(
        title=title, subtitle=subtitle, columns=columns, rows=data, css=Markup(css))


def layout(rows: list[dict], title_year: int | None = None, printed_at: dt.datetime | None = None):
    """The laid-out WeasyPrint document of the printed register."""
    from weasyprint.text.fonts import FontConfiguration
    from ..thai.dates import bangkok
    weasyprint = _weasy()
    html = build_html(rows, title_year, bangkok(printed_at))
    doc = weasyprint.HTML(string=html, base_url=str(HTML_DIR) + "/",
                          url_fetcher=project_fetcher((FONTS_DIR, HTML_DIR)))
    return doc.render(font_config=FontConfiguration())


def write_pdf(rows: list[dict], target: Path, title_year: int | None = None,
              printed_at: dt.datetime | None = None) -> None:
    atomic_write(target, layout(rows, title_year, printed_at).write_pdf())


def write(fmt: str, rows: list[dict], target: Path, title_year: int | None = None) -> None:
    if fmt == "csv":
        atomic_write(target, to_csv(rows))
    elif fmt == "xlsx":
        write_xlsx(rows, target)
    else:
        write_pdf(rows, target, title_year)
