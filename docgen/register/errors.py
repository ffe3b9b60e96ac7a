"""RegisterError: one bilingual message (Thai — English) from docgen.messages."""
from __future__ import annotations

from ..errors import MessageError


class RegisterError(MessageError):
    """A register problem the user can act on; ``str()`` is "Thai — English"."""


def register_text(code: str, **kw) -> str:
    """A text the register itself records (its note and reason columns): the message ``code``
    in Thai, the language of the register, whatever language the command line shows; the
    values are kept as they are (``i18n.template``, not the quoting of ``i18n.text``)."""
    from .. import i18n
    return i18n.template(code, "th").format(**kw)
