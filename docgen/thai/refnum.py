"""The ที่ line: code + owner number + "/" + running number (regulation.md §4.1)."""
from .digits import localize_digits


def ref_line(prefix: str, number: int | None, circular: bool = False,
             digits: str = "thai", label: bool = True) -> str:
    """Compose "ที่ นร ๑๒๐๐/๗๔"; a circular takes "ว " before the number; no
    number (a draft) leaves the space after "/" blank.

    >>> ref_line("นร 1200", 74)
    'ที่ นร ๑๒๐๐/๗๔'
    >>> ref_line("นร 1200", 74, circular=True)
    'ที่ นร ๑๒๐๐/ว ๗๔'
    >>> ref_line("ชม 0017.2", 567, digits="arabic", label=False)
    'ชม 0017.2/567'
    >>> ref_line("นร 1200", None, circular=True)
    'ที่ นร ๑๒๐๐/ว '
    """
    running = "" if number is None else str(number)
    series = "ว " if circular else ""
    text = f"{prefix.strip()}/{series}{running}"
    if label:
        text = "ที่ " + text
    return localize_digits(text, digits)
