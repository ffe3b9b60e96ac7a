"""``{{ recipient.NAME }}`` placeholders in a notice: filled as data, never evaluated.

Only this exact form is replaced, by plain string substitution; the value is never
parsed as a template, so a recipient named "{{ 7*7 }}" prints as typed.  Any other
``{{ … }}`` in the notice is left as written (it is text too).
"""
from __future__ import annotations

import re

from ..errors import Problem

PLACEHOLDER = re.compile(r"\{\{\s*recipient\.([^\s{}]+?)\s*\}\}")


def names_in(value) -> set[str]:
    """Placeholder names used anywhere in a (nested) letter mapping.

    >>> sorted(names_in({"to": "{{ recipient.position }}", "body": ["ที่ {{recipient.agency}}"]}))
    ['agency', 'position']
    """
    if isinstance(value, str):
        return set(PLACEHOLDER.findall(value))
    if isinstance(value, dict):
        return set().union(*(names_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(names_in(v) for v in value)) if value else set()
    return set()


def fill(value, values: dict):
    """A copy of ``value`` with every ``{{ recipient.NAME }}`` replaced by ``values[NAME]``.

    >>> fill({"to": "{{ recipient.position }}", "n": 3}, {"position": "{{ 7*7 }} <b>"})
    {'to': '{{ 7*7 }} <b>', 'n': 3}
    """
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), value)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


def empty_warnings(raw: dict, values: dict, row: int) -> list[Problem]:
    """A warning for each placeholder the notice uses whose column this row leaves empty
    ("จำนวน {{ recipient.count }} คน" would print "จำนวน  คน"), naming the column and the
    first field that uses it.  A warning, not an error: the letter is made and the row's
    warning is listed by ``check --to``, ``--dry-run`` and the manifest (a column with no
    header at all is an error, ``recipient-placeholder-missing``; an empty position is one too).

    >>> [p.kw["name"] for p in empty_warnings({"body": ["จำนวน {{ recipient.n }} คน"]}, {"n": ""}, 3)]
    ['n']
    >>> empty_warnings({"body": ["{{ recipient.n }}"]}, {"n": "5"}, 3)
    []
    """
    used = names_in(raw)
    out = []
    for name in sorted(used):
        if name in values and not str(values[name]).strip():
            field = next((k for k, v in raw.items() if name in names_in(v)), "recipient")
            out.append(Problem(field, "recipient-placeholder-empty", "warning",
                               (("row", row), ("name", name), ("field", field))))
    return out


def batch_hint(raw: dict) -> Problem | None:
    """For a notice checked or rendered as ONE letter: a batch notice (``to:`` missing, or a
    ``{{ recipient.… }}`` placeholder) is filled per row of a sheet and needs ``--to SHEET``.

    >>> batch_hint({"to": "{{ recipient.position }}"}).code, batch_hint({}).code
    ('batch-notice-to', 'batch-notice-no-to')
    >>> batch_hint({"to": "ปลัดกระทรวงการคลัง"}) is None
    True
    """
    to = raw.get("to")
    if to is None or (isinstance(to, (str, list)) and not to):
        return Problem("to", "batch-notice-no-to", "error")
    if names_in(to):
        return Problem("to", "batch-notice-to", "error")
    return None


def hinted(path, problems: list[Problem]) -> list[Problem]:
    """The problems of a letter file checked or rendered ALONE, with the batch hint when the
    file is a batch notice: "to is required" becomes the hint, and a placeholder ``to`` (which
    would print as typed) comes first as an error.  A file that cannot be read is left to the
    caller's own report."""
    from .. import input as _input
    from ..errors import InputError
    try:
        hint = batch_hint(_input.read_mapping(path))
    except (InputError, OSError):
        return list(problems)
    if hint is None:
        return list(problems)
    if hint.code == "batch-notice-to":
        return [hint, *problems]
    return [hint if (p.field, p.code) == ("to", "required") else p for p in problems]
