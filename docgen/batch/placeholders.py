"""``{{ recipient.NAME }}`` placeholders in a notice: filled as data, never evaluated.

Only this exact form is replaced, by plain string substitution; the value is never
parsed as a template, so a recipient named "{{ 7*7 }}" prints as typed.  Any other
``{{ … }}`` in the notice is left as written (it is text too).
"""
from __future__ import annotations

import re

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
