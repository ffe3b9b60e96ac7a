"""Messages in Thai and English from gettext catalogs.

The catalogs are ``docgen/locale/<th|en>/LC_MESSAGES/docgen.po``, extracted from the source by
``pybabel`` (``scripts/messages.sh``) and compiled to ``.mo`` when the package is built
(``setup.py``) and by ``scripts/setup.sh`` for a checkout.  Two kinds of entries:

* **coded messages** — ``M_("file-missing", "file not found: {path}")`` in ``docgen/messages.py``:
  the code is the gettext context (``msgctxt``), the English text the ``msgid``.  A
  ``Problem`` or ``MessageError`` names its code; ``text(code, lang, **kw)`` formats it.
* **plain strings** of the command line (help, "OK", progress): ``tr("OK")`` gives the text
  in the chosen language(s) now; ``N_("…")`` marks one for extraction and translates later.

An argument of a message may itself be translatable: a ``Msg`` (a coded message with its own
arguments, e.g. "a list" in "must be text (got a list)") or a ``FieldName`` (a field's dotted
path, printed with its Thai label in Thai: ``ต้องระบุ ผู้รับ (to)``).  Nothing is glued: each
sentence is one catalog entry; an argument is a value or a whole phrase.

The language is ``th``, ``en`` or ``both`` (Thai — English, the default): ``--lang`` on the
command line (``use``), else ``$DOCGEN_LANG``, else the locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``th…`` → th, ``en…`` → en, anything else → both).

>>> text("file-missing", "th", path="a.yaml")
'ไม่พบไฟล์ a.yaml'
>>> text("file-missing", "en", path="a.yaml")
'file not found: a.yaml'
>>> text("required", "th", field=FieldName("to"))
'ต้องระบุ ผู้รับ (to)'
>>> text("required", "en", field=FieldName("signer.name"))
'signer.name is required'
>>> with use("en"):
...     message("file-missing", path="a.yaml")
'file not found: a.yaml'
>>> with use("both"):
...     message("file-missing", path="a.yaml")
'ไม่พบไฟล์ a.yaml — file not found: a.yaml'
"""
from __future__ import annotations

import contextlib
import functools
import gettext
import io
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources

DOMAIN = "docgen"
LANGUAGES = ("th", "en")
CHOICES = ("th", "en", "both")
SEPARATOR = " — "                  # between the Thai and the English text in "both"
FIELD_PREFIX = "field:"            # code of a field's label: M_("field:to", "recipient")

_chosen: ContextVar[str | None] = ContextVar("docgen_lang", default=None)


def M_(code: str, msgid: str) -> tuple[str, str]:
    """Mark a coded message for extraction (``pybabel -k M_:1c,2``); gives (code, msgid)."""
    return code, msgid


def N_(msgid: str) -> str:
    """Mark a plain string for extraction; it is translated where it is shown (``tr``)."""
    return msgid


# ---- which language ------------------------------------------------------------------------

def from_locale(environ=None) -> str:
    """The language the environment asks for.

    >>> from_locale({"LANG": "th_TH.UTF-8"}), from_locale({"LANG": "en_GB.UTF-8"})
    ('th', 'en')
    >>> from_locale({"LANG": "C.UTF-8"}), from_locale({}), from_locale({"DOCGEN_LANG": "en", "LANG": "th_TH"})
    ('both', 'both', 'en')
    """
    env = os.environ if environ is None else environ
    chosen = (env.get("DOCGEN_LANG") or "").strip().lower()
    if chosen in CHOICES:
        return chosen
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(name) or "").strip().lower()
        if value:
            first = value.split(":")[0]
            return "th" if first.startswith("th") else "en" if first.startswith("en") else "both"
    return "both"


def language() -> str:
    """``th``, ``en`` or ``both``: what ``use`` set, else the environment's choice."""
    return _chosen.get() or from_locale()


@contextlib.contextmanager
def use(lang: str):
    """Messages in ``lang`` (th, en or both) inside the block."""
    if lang not in CHOICES:
        raise ValueError(f"language must be one of {CHOICES}, not {lang!r}")
    token = _chosen.set(lang)
    try:
        yield
    finally:
        _chosen.reset(token)


def set_language(lang: str | None) -> None:
    """Choose the language for the rest of this context (the command line's ``--lang``)."""
    if lang is not None and lang not in CHOICES:
        raise ValueError(f"language must be one of {CHOICES}, not {lang!r}")
    _chosen.set(lang)


def languages(lang: str | None = None) -> tuple[str, ...]:
    lang = lang or language()
    return LANGUAGES if lang == "both" else (lang,)


# ---- the catalogs --------------------------------------------------------------------------

def _locale_dir():
    return resources.files("docgen") / "locale"


class CatalogMissing(RuntimeError):
    """The compiled catalogs are not there (a checkout that was never built): a setup error."""


@functools.cache
def catalog(lang: str) -> gettext.GNUTranslations:
    """The compiled catalog of ``lang``.  In a checkout whose ``.po`` is newer than its ``.mo``
    (or has no ``.mo``) the ``.po`` is compiled in memory with Babel, so an edited catalog is
    never shadowed by a stale build."""
    folder = _locale_dir() / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    stale = po.is_file() and (not mo.is_file() or _mtime(po) > _mtime(mo))
    if stale:
        try:
            return gettext.GNUTranslations(io.BytesIO(compile_po(po.read_bytes())))
        except ImportError:
            if not mo.is_file():
                raise CatalogMissing(f"docgen: no compiled message catalog for {lang!r} ({mo}); "
                                     "run scripts/setup.sh or pip install the package") from None
    if not mo.is_file():
        raise CatalogMissing(f"docgen: no message catalog for {lang!r} ({mo}); reinstall docgen")
    return gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))


def _mtime(traversable) -> float:
    return os.stat(str(traversable)).st_mtime


def compile_po(data: bytes) -> bytes:
    """A ``.po`` file's bytes compiled to ``.mo`` bytes (Babel; build time and checkouts)."""
    from babel.messages import mofile, pofile
    cat = pofile.read_po(io.BytesIO(data))
    out = io.BytesIO()
    mofile.write_mo(out, cat)
    return out.getvalue()


def template(code: str, lang: str) -> str:
    """The message of ``code`` in ``lang``, unformatted."""
    from .messages import MESSAGES
    return catalog(lang).pgettext(code, MESSAGES[code])


def translate(msgid: str, lang: str) -> str:
    """A plain string (``N_``/``tr``) in ``lang``."""
    return catalog(lang).gettext(msgid)


# ---- translatable arguments ----------------------------------------------------------------

@dataclass(frozen=True)
class Msg:
    """A coded message as a value: an argument of another message, or a message kept for later.

    >>> Msg("type-list").text("th"), Msg("type-list").text("en")
    ('รายการ', 'a list')
    """
    code: str
    args: tuple = ()

    @classmethod
    def of(cls, code: str, **kw) -> "Msg":
        return cls(code, tuple(kw.items()))

    def text(self, lang: str) -> str:
        return text(self.code, lang, **dict(self.args))

    def __str__(self) -> str:
        return both(lambda lang: self.text(lang))


_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class FieldName:
    """A field's dotted path in a message: its Thai label before it in Thai.

    >>> FieldName("signer.position").text("th")
    'ตำแหน่งผู้ลงนาม (signer.position)'
    >>> FieldName("references[2].date").text("th"), FieldName("x.y").text("th")
    ('วันที่ของหนังสืออ้างถึง (references[2].date)', 'x.y')
    """
    path: str

    def text(self, lang: str) -> str:
        if lang == "en":
            return self.path
        label = field_label(self.path, lang)
        return f"{label} ({self.path})" if label else self.path

    def __str__(self) -> str:
        return self.path


def field_label(path: str, lang: str = "th") -> str:
    """The label of a dotted field path in ``lang`` (``""`` when the catalog has none): the
    whole path's own label (``signer.position``), else its last known segment's."""
    from .messages import MESSAGES
    parts = _INDEX.sub("", path).split(".")
    for i in range(len(parts)):
        code = FIELD_PREFIX + ".".join(parts[i:])
        if code in MESSAGES:
            return template(code, lang)
    return ""


def _value(v, lang: str):
    from .thai.text import shown
    if isinstance(v, (Msg, FieldName)):
        return v.text(lang)
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        return shown(v, 400)      # user text quoted back: escapes, never a giant number's digits
    return v


def text(code: str, lang: str, **kw) -> str:
    """The message ``code`` in ``lang`` (th or en) with its arguments, each made safe to print
    (``docgen.thai.text.shown``) or translated in the same language (``Msg``, ``FieldName``)."""
    return template(code, lang).format(**{k: _value(v, lang) for k, v in kw.items()})


def both(render, lang: str | None = None) -> str:
    """``render(lang)`` for the chosen language(s), joined Thai — English in ``both``."""
    return SEPARATOR.join(render(x) for x in languages(lang))


def tr(msgid: str, **kw) -> str:
    """A plain string of the command line in the chosen language(s), formatted with ``kw``."""
    return both(lambda lang: translate(msgid, lang).format(**{k: _value(v, lang) for k, v in kw.items()}))


def message(code: str, **kw) -> str:
    """A coded message in the chosen language(s)."""
    return both(lambda lang: text(code, lang, **kw))


def tag(msgid: str) -> str:
    """A short label in the chosen language(s), joined by "/" like a problem's severity:
    ``แถว/row`` in both, ``แถว`` in Thai.  ``msgid`` is marked with ``N_`` where it is written."""
    return "/".join(translate(msgid, lang) for lang in languages())


def coded_tag(code: str) -> str:
    """``tag`` of a coded message (a severity, a status, a column's name)."""
    return "/".join(text(code, lang) for lang in languages())


def problem_line(severity: str, field: str, texts) -> str:
    """One problem on one line: ``ผิดพลาด/error [to] ต้องระบุ ผู้รับ (to) — to is required``;
    ``texts`` maps each language to the message (a Problem's, or one kept in a manifest)."""
    from .thai.text import shown
    return (f"{coded_tag('severity-' + severity)} [{shown(field, 200)}] "
            + SEPARATOR.join(texts[lang] for lang in languages()))
