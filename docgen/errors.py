"""Problems found in input, reported in Thai and English, naming the field."""
from dataclasses import dataclass, field

from . import i18n
from .i18n import FieldName, Msg

__all__ = ["Problem", "Problems", "DocgenError", "InputError", "MessageError", "FieldName", "Msg",
           "os_error", "reading"]


class Coded:
    """The texts of a coded message (``code``, ``kw``): ``text(lang)``, ``th``, ``en``."""

    def text(self, lang: str) -> str:
        """The message in ``lang`` (th or en)."""
        return i18n.text(self.code, lang, **self.kw)

    @property
    def th(self) -> str:
        return self.text("th")

    @property
    def en(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Problem(Coded):
    field: str            # dotted path: "signer.name", "references[2].date"
    code: str             # key into messages.MESSAGES (the catalogs' msgctxt)
    severity: str         # "error" | "warning"
    args: tuple = ()      # (name, value) pairs for the message; a value may be a Msg or FieldName

    @property
    def kw(self) -> dict:
        return dict(self.args)

    def __str__(self) -> str:
        """One line in the chosen language(s) (docgen.i18n.language): the severity, the field's
        path, the message — ``ผิดพลาด/error [to] ต้องระบุ ผู้รับ (to) — to is required``."""
        return i18n.problem_line(self.severity, self.field, {x: self.text(x) for x in i18n.languages()})

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
        super().__init__(problems)

    def __str__(self) -> str:
        """Every problem, one per line, in the chosen language(s)."""
        return "\n".join(str(p) for p in self.problems)


class MessageError(Coded, DocgenError):
    """An error from the message catalogue; ``str()`` is "Thai — English"."""

    def __init__(self, code: str, **kw):
        self.code, self.kw = code, kw
        super().__init__(code)

    def __str__(self) -> str:
        """The message in the chosen language(s): "Thai — English" by default."""
        return i18n.message(self.code, **self.kw)


def os_error(e: OSError, action: str | None = None) -> MessageError:
    """A file-system error as a bilingual message that says what docgen was doing: reading an
    input ("cannot read …") or writing an output ("cannot write …").

    ``action`` is "read" or "write"; without it, an error marked by ``reading`` (raised while
    an input was read) is a read, any other a write.  Inputs are read through
    ``docgen.input.read_bytes``, which turns every OSError into a field-named InputError, so
    an OSError that reaches the CLI unmarked comes from writing an output.

    >>> import errno
    >>> str(os_error(OSError(errno.ENAMETOOLONG, "File name too long", "x.yaml"), "read")).split(" — ")[1]
    "cannot read 'x.yaml': File name too long"
    >>> str(os_error(reading(OSError(errno.EISDIR, "Is a directory", "x.csv")))).split(" — ")[1]
    "cannot read 'x.csv': Is a directory"
    >>> str(os_error(OSError(errno.ENOSPC, "No space left on device", "o.pdf"))).split(" — ")[1]
    "cannot write 'o.pdf': No space left on device"
    """
    action = action or getattr(e, "docgen_action", None) or "write"
    code = "file-read-error" if action == "read" else "output-unwritable"
    path = e.filename if e.filename is not None else "?"
    return MessageError(code, path=str(path), detail=e.strerror or str(e))


def reading(e: OSError) -> OSError:
    """Mark an OSError as raised while reading an input (for ``os_error``); returns it."""
    e.docgen_action = "read"
    return e
