"""Problems found in input, reported in Thai and English, naming the field."""
from dataclasses import dataclass, field

from .messages import MESSAGES


@dataclass(frozen=True)
class Problem:
    field: str            # dotted path: "signer.name", "references[2].date"
    code: str             # key into messages.MESSAGES
    severity: str         # "error" | "warning"
    args: tuple = ()      # (name, value) pairs for the message templates

    @property
    def kw(self) -> dict:
        return dict(self.args)

    @property
    def th(self) -> str:
        return MESSAGES[self.code][0].format(**self.kw)

    @property
    def en(self) -> str:
        return MESSAGES[self.code][1].format(**self.kw)

    def __str__(self) -> str:
        tag = "ผิดพลาด/error" if self.severity == "error" else "คำเตือน/warning"
        return f"{tag} [{self.field}] {self.th} — {self.en}"

    def to_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "severity": self.severity,
                "th": self.th, "en": self.en}


@dataclass
class Problems:
    """Collects problems while validating; raise at the end if any is an error."""
    items: list[Problem] = field(default_factory=list)

    def error(self, fld: str, code: str, **kw) -> None:
        self.items.append(Problem(fld, code, "error", tuple(kw.items())))

    def warn(self, fld: str, code: str, **kw) -> None:
        self.items.append(Problem(fld, code, "warning", tuple(kw.items())))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]


class DocgenError(Exception):
    """Base of every error docgen reports to the user (never a traceback)."""


class InputError(DocgenError):
    """The input is invalid; ``problems`` names every field at fault."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = problems
        self.source = source
        super().__init__("\n".join(str(p) for p in problems))


class MessageError(DocgenError):
    """An error from the message catalogue; ``str()`` is "Thai — English"."""

    def __init__(self, code: str, **kw):
        self.code, self.kw = code, kw
        th, en = MESSAGES[code]
        super().__init__(f"{th.format(**kw)} — {en.format(**kw)}")


def os_error(e: OSError) -> MessageError:
    """A file-system error (unwritable folder, full disk …) as a bilingual message."""
    return MessageError("output-unwritable", path=e.filename or "?", detail=e.strerror or str(e))
