"""Thai language rules: small pure functions, each with doctests.

Nothing here reads files, the clock or the environment, except where a
function takes those as arguments.  Values are stored as written (Arabic
digits, ISO dates); these functions turn them into what a Thai official
letter prints.
"""
from .digits import to_thai_digits, to_arabic_digits, localize_digits
from .dates import THAI_MONTHS, format_date, parse_date, be_year, today_bangkok
from .phone import format_phone
from .text import normalize_text, find_invisible, zwsp_segment
from .refnum import ref_line
from .numbering import item_label
from .address import AddressForm, classify, near_position, purpose_sentence, sentence_verb

__all__ = [
    "to_thai_digits", "to_arabic_digits", "localize_digits",
    "THAI_MONTHS", "format_date", "parse_date", "be_year", "today_bangkok",
    "format_phone", "normalize_text", "find_invisible", "zwsp_segment",
    "ref_line", "item_label",
]
