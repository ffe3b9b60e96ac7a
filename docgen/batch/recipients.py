"""Recipient lists: CSV, XLSX or a named group in ``data/groups/`` (streamed, row by row).

Columns (Thai or English headers, any order): position (required), agency, address,
class (optional: a forms-of-address class or a salutation word; otherwise derived from
the position), and any extra columns, usable as ``{{ recipient.<header> }}``.
Empty rows are ignored; a bad row is reported with its row number and skipped.
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

from ..data import DATA_DIR, address_table
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
    names = [_cell(h) for h in headers]
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
        values = [_cell(c) for c in cells]
        if not any(values):
            continue                                    # empty rows are ignored
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


def _csv(path: Path):
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader)
    except StopIteration:
        raise InputError([_problem("recipients", "recipients-empty")], str(path)) from None
    return headers, ((i + 2, r) for i, r in enumerate(reader))


def _xlsx(path: Path):
    import openpyxl
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:
        raise InputError([_problem("recipients", "file-unreadable", detail=str(e)[:200])], str(path)) from None
    rows = wb.worksheets[0].iter_rows(values_only=True)
    try:
        headers = list(next(rows))
    except StopIteration:
        wb.close()
        raise InputError([_problem("recipients", "recipients-empty")], str(path)) from None

    def stream():
        try:
            for i, r in enumerate(rows):
                yield i + 2, list(r)
        finally:
            wb.close()                   # read-only workbooks keep the file open until closed
    return headers, stream()


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
    return Path(spec).read_bytes()


def load(spec: str) -> Iterator[Recipient | BadRow]:
    """Stream the recipients of ``spec`` (a .csv/.xlsx path or ``group:NAME``)."""
    if spec.startswith("group:"):
        headers, rows = _group(spec[len("group:"):])
        return _rows_from(headers, rows, spec)
    path = Path(spec)
    if not path.is_file():
        raise InputError([_problem("--to", "file-missing", path=spec)], spec)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            headers, rows = _csv(path)
        elif suffix in (".xlsx", ".xlsm"):
            headers, rows = _xlsx(path)
        else:
            raise InputError([_problem("--to", "recipients-format", ext=suffix or "(none)")], spec)
    except UnicodeDecodeError as e:
        raise InputError([_problem("--to", "file-unreadable", detail=str(e)[:200])], spec) from None
    return _rows_from(headers, rows, spec)
