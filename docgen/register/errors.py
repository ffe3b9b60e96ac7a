"""RegisterError: one bilingual message (Thai — English) from docgen.messages."""
from __future__ import annotations

from ..errors import DocgenError
from ..messages import MESSAGES


class RegisterError(DocgenError):
    """A register problem the user can act on; ``str()`` is "Thai — English"."""

    def __init__(self, code: str, **kw):
        self.code, self.kw = code, kw
        th, en = MESSAGES[code]
        super().__init__(f"{th.format(**kw)} — {en.format(**kw)}")
