"""RegisterError: one bilingual message (Thai — English) from docgen.messages."""
from __future__ import annotations

from ..errors import MessageError


class RegisterError(MessageError):
    """A register problem the user can act on; ``str()`` is "Thai — English"."""
