"""Numbered items ๑. / ๑.๑ / ๑.๑.๑ (regulation.md §4.10)."""
from .digits import localize_digits


def item_label(path: tuple[int, ...], digits: str = "thai") -> str:
    """Label of an item from its position path (1-based).

    Top level ends with a full stop; deeper levels do not.

    >>> item_label((1,))
    '๑.'
    >>> item_label((2, 1))
    '๒.๑'
    >>> item_label((2, 1, 3), digits="arabic")
    '2.1.3'
    >>> item_label((10,))
    '๑๐.'
    """
    text = ".".join(str(n) for n in path)
    if len(path) == 1:
        text += "."
    return localize_digits(text, digits)
