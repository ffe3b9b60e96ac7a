"""Circular mode (หนังสือเวียน): one ว number, a copy per recipient, and a file copy that
carries the distribution list (บัญชีรายชื่อผู้รับ), inline when short, as its own page when long."""
from __future__ import annotations

from ..compose import ComposedLetter, Labeled
from ..thai import item_label, localize_digits

INLINE_LIMIT = 5          # more recipients than this → the list goes on a page of its own
FILE_COPY_TO = "ผู้รับตามบัญชีรายชื่อแนบท้าย"


def attach_distribution(composed: ComposedLetter, names: list[str]) -> None:
    """Put the numbered distribution list on a composed (file-copy) letter."""
    d = composed.digits
    composed.distribution = [Labeled(item_label((i + 1,), d), localize_digits(n, d))
                             for i, n in enumerate(names)]
    composed.distribution_page = len(names) > INLINE_LIMIT
