"""manifest.csv and manifest.json of a batch: one row per recipient, written atomically."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..output import atomic_write, spreadsheet_safe

COLUMNS = ["row", "recipient", "agency", "ref", "number", "date", "pdf", "pdf_sha256",
           "docx", "docx_sha256", "status", "error"]


def write(out_dir: Path, meta: dict, rows: list[dict]) -> tuple[Path, Path]:
    rows = sorted(rows, key=lambda r: (r.get("row") or 0, r.get("recipient") or ""))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([spreadsheet_safe("" if r.get(c) is None else r.get(c)) for c in COLUMNS])
    csv_path, json_path = out_dir / "manifest.csv", out_dir / "manifest.json"
    atomic_write(csv_path, buf.getvalue().encode("utf-8-sig"))
    atomic_write(json_path, json.dumps({**meta, "letters": rows}, ensure_ascii=False, indent=1).encode())
    return csv_path, json_path
