"""Recipient lists: CSV, XLSX or a named group in ``data/groups/`` (streamed, row by row).

Columns (Thai or English headers, any order): position (required), agency, address,
class (optional: a forms-of-address class or a salutation word; otherwise derived from
the position), and any extra columns, usable as ``{{ recipient.<header> }}``.
Empty rows are ignored; a bad row is reported with its row number and skipped.

A sheet is read whole and bounded (``batch.*`` of the limit table) BEFORE anything is
numbered, so a sheet docgen cannot read is refused as a whole (a sheet error, exit 1) and
never stops a batch half-way:

* CSV: UTF-8 (with or without BOM); UTF-16, TIS-620/Windows-874 and NUL bytes are refused
  with a hint to save it as "CSV UTF-8" (a legacy Thai code page cannot be told apart
  reliably from other 8-bit text, so it is never guessed); at most ``batch.csv_bytes``.
* XLSX: checked as a zip before openpyxl sees it (at most ``batch.xlsx_bytes`` on disk and
  ``batch.xlsx_unzipped_bytes`` unzipped, as the zip declares: Python's zipfile never
  inflates a member past its declared size); a workbook with macros (``vbaProject.bin``) is
  refused whatever its extension; only the cells a row really has are looked at (the
  sheet's declared dimension is ignored), at most ``batch.xlsx_cells``; a formula gives
  the value the spreadsheet saved with it, and is never evaluated (one never calculated
  reads as empty).
* more than ``batch.rows`` rows, or a header of more than ``batch.csv_row_cells`` columns,
  is a sheet error; a row with more cells than that, or a cell longer than
  ``batch.csv_field_bytes`` (UTF-8), is that row's error: it is reported and skipped.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from .. import input as _input
from .. import limits
from ..data import DATA_DIR, address_table
from ..thai.text import char_kind, forbidden_char
from ..errors import InputError, Problem

HEADERS = {
    "position": {"position", "ตำแหน่ง", "to", "ถึง", "เรียน", "ผู้รับ"},
    "agency": {"agency", "หน่วยงาน", "ส่วนราชการ"},
    "address": {"address", "ที่อยู่"},
    "class": {"class", "rank", "ชั้น", "ประเภท", "คำขึ้นต้น"},
}
_ALIAS = {alias.casefold(): key for key, aliases in HEADERS.items() for alias in aliases}
GROUPS_DIR = DATA_DIR / "groups"
_NAME = re.compile(r"^[\w\u0e00-\u0e7f]+$")


@dataclass
class Recipient:
    row: int                         # the sheet's row number (header = row 1)
    position: str
    agency: str = ""
    address: str = ""
    klass: str | None = None         # a key of data/forms_of_address.yaml
    extra: dict = field(default_factory=dict)

    def values(self) -> dict:
        """What ``{{ recipient.NAME }}`` may use."""
        return {**self.extra, "position": self.position, "agency": self.agency,
                "address": self.address, "class": self.klass or ""}

    def key(self) -> str:
        """Identity of this recipient within a batch (for resuming)."""
        return f"{self.row}:{self.position}:{self.agency}"


@dataclass
class BadRow:
    row: int
    problem: Problem


def _problem(fld: str, code: str, **kw) -> Problem:
    return Problem(fld, code, "error", tuple(kw.items()))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()[:10]
    return " ".join(str(value).split())


def class_for(value: str) -> str | None:
    """A class key from a class key or a salutation word; None if unknown.

    >>> class_for("กราบเรียน"), class_for("high_office"), class_for("ท่าน")
    ('high_office', 'high_office', None)
    """
    table = address_table()
    for row in table:
        if value == row["key"] and not row.get("refuse"):
            return row["key"]
    for row in table:
        if value and value == row.get("salutation"):
            return row["key"]
    return None


def _rows_from(headers: list, rows: Iterator[tuple[int, list]], source: str):
    max_cells, max_bytes = limits.get("batch.csv_row_cells"), limits.get("batch.csv_field_bytes")
    headers = _trimmed(headers)
    if len(headers) > max_cells:
        raise InputError([_problem("recipients", "recipients-header-cells", count=len(headers),
                                   limit=max_cells)], source)
    names = [_cell(h)[:200] for h in headers]
    keys = []
    for i, name in enumerate(names):
        key = _ALIAS.get(name.casefold(), name)
        if key and not _NAME.match(key):
            key = re.sub(r"[^\w\u0e00-\u0e7f]+", "_", key).strip("_")
        keys.append(key or f"col{i + 1}")
    if "position" not in keys:
        raise InputError([_problem("recipients", "recipients-no-position",
                                   headers=", ".join(n for n in names if n) or "(none)")], source)
    for rownum, cells in rows:
        if isinstance(cells, BadRow):
            yield cells
            continue
        cells = _trimmed(cells)
        if len(cells) > max_cells:
            yield BadRow(rownum, _problem(f"row {rownum}", "recipient-row-cells", row=rownum,
                                          count=len(cells), limit=max_cells))
            continue
        values = [_cell(c) for c in cells]
        if not any(values):
            continue                                    # empty rows are ignored
        big = next(((i, n) for i, v in enumerate(values)
                    if (n := len(v.encode("utf-8", "surrogatepass"))) > max_bytes), None)
        if big is not None:
            i, size = big
            name = keys[i] if i < len(keys) else f"col{i + 1}"
            yield BadRow(rownum, _problem(f"row {rownum}.{name}", "recipient-field-large", row=rownum,
                                          name=name, size=size, limit=max_bytes))
            continue
        dirty = next(((i, bad) for i, v in enumerate(values) if (bad := forbidden_char(v))), None)
        if dirty is not None:          # the same text hygiene as the model's (a circular's list too)
            i, (position, char, count) = dirty
            name = keys[i] if i < len(keys) else f"col{i + 1}"
            yield BadRow(rownum, _problem(f"row {rownum}.{name}", f"char-{char_kind(char)}",
                                          position=position, char=f"U+{ord(char):04X}", count=count))
            continue
        rec = dict(zip(keys, values + [""] * (len(keys) - len(values))))
        if not rec.get("position"):
            yield BadRow(rownum, _problem(f"row {rownum}.position", "recipient-no-position", row=rownum))
            continue
        klass = None
        if rec.get("class"):
            klass = class_for(rec["class"])
            if klass is None:
                yield BadRow(rownum, _problem(f"row {rownum}.class", "recipient-class", row=rownum,
                                              value=rec["class"]))
                continue
        extra = {k: v for k, v in rec.items() if k not in HEADERS}
        yield Recipient(rownum, rec["position"], rec.get("agency", ""), rec.get("address", ""),
                        klass, extra)


def _trimmed(cells) -> list:
    """A row without its trailing empty cells (a formatted column is not data)."""
    cells = list(cells)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return cells


def _sheet_bytes(path: Path, limit: int) -> bytes:
    """The sheet's bytes (a regular file, read once, bounded), or a sheet error naming --to."""
    try:
        return _input.read_bytes(path, "--to", limit, source=str(path))
    except InputError as e:
        if e.problems and e.problems[0].code == "file-too-large":
            raise InputError([_problem("--to", "recipients-too-large", **e.problems[0].kw)],
                             str(path)) from None
        raise


def _csv_text(raw: bytes, source: str) -> str:
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([_problem("--to", "recipients-binary")], source)
    return _input.decode(raw, "--to", source)            # UTF-16 / TIS-620: save as UTF-8


def _csv(path: Path):
    raw = _sheet_bytes(path, limits.get("batch.csv_bytes"))
    text = _csv_text(raw, str(path))
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)    # each cell is bounded per row (csv_field_bytes)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader)
    except StopIteration:
        raise InputError([_problem("recipients", "recipients-empty")], str(path)) from None
    except csv.Error as e:
        raise InputError([_problem("recipients", "file-unreadable", detail=str(e)[:200])], str(path)) from None
    return headers, _bounded(_csv_rows(reader), str(path))


def _csv_rows(reader):
    rownum = 1
    while True:
        rownum += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:                # a malformed record: that row's error
            row = BadRow(rownum, _problem(f"row {rownum}", "recipient-csv-syntax", row=rownum,
                                          detail=str(e)[:200]))
        yield rownum, row


def _bounded(rows, source: str) -> list:
    """Every row, read now (before anything is numbered): more than ``batch.rows`` is a sheet
    error."""
    limit, out = limits.get("batch.rows"), []
    for rownum, row in rows:
        if isinstance(row, BadRow) or any(c not in (None, "") for c in row):
            if len(out) >= limit:
                raise InputError([_problem("recipients", "recipients-too-many-rows", limit=limit)], source)
            out.append((rownum, row))
    return out


_MACRO_TYPE = "macroenabled"


def _zip_checked(raw: bytes, path: Path) -> None:
    """Refuse what is not a plain workbook before openpyxl opens it: not a zip, no
    workbook part, a zip bomb (declared sizes), macros."""
    import zipfile
    source = str(path)

    def refuse(detail: str):
        return InputError([_problem("--to", "recipients-not-xlsx", path=path.name, detail=detail)], source)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            members = z.infolist()
            content_types = None
            if any(i.filename == "[Content_Types].xml" for i in members):
                info = z.getinfo("[Content_Types].xml")
                if info.file_size <= 1 << 20:
                    content_types = z.read(info).decode("utf-8", "replace").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError,
            ValueError, NotImplementedError) as e:
        raise refuse(f"not a zip ({' '.join(str(e).split())[:120]})") from None
    names = {i.filename.replace("\\", "/").lower() for i in members}
    if len(members) > limits.get("batch.xlsx_members"):
        raise refuse(f"{len(members)} parts in the zip (at most {limits.get('batch.xlsx_members')})")
    total, limit = sum(i.file_size for i in members), limits.get("batch.xlsx_unzipped_bytes")
    if total > limit:
        raise InputError([_problem("--to", "recipients-xlsx-bomb", size=total, limit=limit)], source)
    if any(n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names) or (
            content_types is not None and _MACRO_TYPE in content_types):
        raise InputError([_problem("--to", "recipients-macro")], source)
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise refuse("no workbook part (xl/workbook.xml)")


def _xlsx(path: Path):
    import openpyxl
    raw = _sheet_bytes(path, limits.get("batch.xlsx_bytes"))
    _zip_checked(raw, path)
    source = str(path)
    budget = limits.get("batch.xlsx_cells")
    wb = None
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
        if not wb.worksheets:
            raise InputError([_problem("recipients", "recipients-empty")], source)
        ws = wb.worksheets[0]
        ws.reset_dimensions()      # the declared <dimension> (A1:XFD1048576) is not the data
        rows, seen, most = [], 0, limits.get("batch.rows") + 1
        for i, r in enumerate(ws.iter_rows(values_only=True)):
            seen += len(r) + 1                   # an empty row costs one look
            if seen > budget:
                raise InputError([_problem("recipients", "recipients-too-many-cells", limit=budget)], source)
            if i == 0 or any(c is not None and c != "" for c in r):
                rows.append((i + 1, r))          # the header, and rows that hold something
                if len(rows) > most:
                    raise InputError([_problem("recipients", "recipients-too-many-rows",
                                               limit=most - 1)], source)
    except InputError:
        raise
    except Exception as e:                       # openpyxl's own errors: a sheet error, never a crash
        raise InputError([_problem("recipients", "file-unreadable",
                                   detail=f"{type(e).__name__}: {' '.join(str(e).split())[:200]}")],
                         source) from None
    finally:
        if wb is not None:
            wb.close()
    if not rows:
        raise InputError([_problem("recipients", "recipients-empty")], source)
    (_, headers), body = rows[0], rows[1:]
    return list(headers), _bounded(((n, list(r)) for n, r in body), source)


def groups() -> list[str]:
    return sorted(p.stem for p in GROUPS_DIR.glob("*.yaml"))


def _group_path(name: str) -> Path:
    """The file of a named group; the name is checked before any path is built from it."""
    path = GROUPS_DIR / f"{name}.yaml" if _NAME.match(name) else None
    if path is None or not path.is_file():
        raise InputError([_problem("--to", "group-unknown", name=name, groups=", ".join(groups()))])
    return path


def _group(name: str):
    path = _group_path(name)
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["recipients"]
    headers = ["position", "agency"] + sorted({k for r in rows for k in r} - {"position", "agency"})
    return headers, ((i + 2, [r.get(h, "") for h in headers]) for i, r in enumerate(rows))


def source_bytes(spec: str) -> bytes:
    """The bytes that identify a recipient list (for the batch id)."""
    if spec.startswith("group:"):
        return spec.encode() + _group_path(spec[len("group:"):]).read_bytes()
    limit = max(limits.get("batch.csv_bytes"), limits.get("batch.xlsx_bytes"))
    return _sheet_bytes(Path(spec), limit)


def load(spec: str) -> Iterator[Recipient | BadRow]:
    """Stream the recipients of ``spec`` (a .csv/.xlsx path or ``group:NAME``)."""
    if spec.startswith("group:"):
        headers, rows = _group(spec[len("group:"):])
        return _rows_from(headers, rows, spec)
    path = Path(spec)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        headers, rows = _csv(path)
    elif suffix in (".xlsx", ".xlsm"):          # an .xlsm without macros is a plain workbook
        headers, rows = _xlsx(path)
    else:
        if not _exists(path):
            _sheet_bytes(path, 0)           # raises: not found, path too long, unreadable …
        raise InputError([_problem("--to", "recipients-format", ext=suffix[:20] or "(none)")], spec)
    return _rows_from(headers, rows, spec)


def count(spec: str) -> int:
    """How many recipient rows ``spec`` has (bad rows not counted): the batch's progress total.
    A second pass of ``load``; the sheet is bounded (``limits``: batch.csv_bytes, …)."""
    return sum(not isinstance(r, BadRow) for r in load(spec))


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False
