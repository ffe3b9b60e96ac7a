"""Batch: one decision (มติ, notice) to many recipients, numbered from one register.

recipients (CSV | XLSX | group:NAME) → placeholders filled per row → the normal flow
(model → compose → render) in worker processes → register records → manifest.
"""

from ..messages import MESSAGES as _MESSAGES

_MESSAGES.update({
    "recipients-no-position": ("รายชื่อผู้รับต้องมีคอลัมน์ตำแหน่ง (position/ตำแหน่ง) พบ: {headers}",
                               "the recipient list needs a position column (position/ตำแหน่ง); found: {headers}"),
    "recipient-no-position": ("แถว {row}: ไม่มีตำแหน่งผู้รับ ข้ามแถวนี้", "row {row}: no recipient position; row skipped"),
    "recipient-class": ("แถว {row}: ไม่รู้จักประเภท '{value}' (ใช้ เรียน/กราบเรียน/นมัสการ หรือชื่อประเภทใน data/forms_of_address.yaml)",
                        "row {row}: unknown class '{value}' (use เรียน/กราบเรียน/นมัสการ or a class key of data/forms_of_address.yaml)"),
    "recipients-empty": ("รายชื่อผู้รับว่างเปล่า", "the recipient list is empty"),
    "recipients-format": ("ไม่รองรับรายชื่อผู้รับชนิด {ext} (ใช้ .csv หรือ .xlsx หรือ group:ชื่อกลุ่ม)",
                          "unsupported recipient list {ext} (use .csv, .xlsx or group:NAME)"),
    "circular-placeholders": ("หนังสือเวียนใช้ข้อความเดียวกันทุกฉบับ ใส่ {{{{ recipient.… }}}} ได้เฉพาะใน to (พบใน {field})",
                              "a circular carries one text for all: {{{{ recipient.… }}}} may appear only in to (found in {field})"),
    "group-unknown": ("ไม่รู้จักกลุ่ม '{name}' มี: {groups}", "unknown group '{name}'; available: {groups}"),
})
