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


def year_ref(number: int | None, year: int, digits: str = "thai") -> str:
    """The ที่ of an order: the running number, "/", the B.E. year (regulation.md §2.5); a
    draft leaves the number blank.

    >>> year_ref(12, 2567), year_ref(None, 2567, "arabic")
    ('๑๒/๒๕๖๗', '   /2567')
    """
    running = "   " if number is None else str(number)
    return localize_digits(f"{running}/{year}", digits)


def format_ref(fmt: str, prefix: str, number: int | None, circular: bool, year: int,
               digits: str = "thai") -> str:
    """The ที่ value a type prints, by its declared format (data/doctypes.yaml
    ``numbering.ref``): ``letter`` "นร ๑๒๐๐/๗๔", ``year`` "๑๒/๒๕๖๗", ``edition`` the number
    alone (for "ฉบับที่ …"; "" when there is none).

    >>> format_ref("letter", "นร 1200", 74, True, 2567), format_ref("year", "นร 1200", 12, False, 2567)
    ('นร ๑๒๐๐/ว ๗๔', '๑๒/๒๕๖๗')
    >>> format_ref("edition", "", 3, False, 2567), format_ref("edition", "", None, False, 2567)
    ('๓', '')
    """
    if fmt == "year":
        return year_ref(number, year, digits)
    if fmt == "edition":
        return "" if number is None else localize_digits(str(number), digits)
    return ref_line(prefix, number, circular, digits, label=False)
