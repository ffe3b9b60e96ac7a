"""PDF renderer: composed letter → HTML (Jinja, templates/html) → WeasyPrint → PDF/A-3b.

* HTML: the page template (the type's ``html:``, ``page.html``) walks ``composed.blocks`` in
  order and includes ``blocks/<kind>.html`` for each; no type has a template of its own.

* Fonts: the vendored TH SarabunPSK (fonts/); its text layer round-trips (rendering.md §2).
* Thai line breaks: ZWSP at word boundaries, inserted here at render time only; justification
  spreads a line's extra width over its grapheme clusters (weasy_adapt §1), not at the ZWSP.
* Continuation marker: the letter is laid out once; when every page is laid out, the
  first words of page n+1 become "/<words>..." in page n's bottom-right margin box
  (weasy_adapt's hook).  Margin boxes take no space from the body, and the markers are
  made from the final pages, so they always equal what the next page starts with.
* Only the project's own fonts and templates, and the agency's validated images (the emblem,
  a block's seal or photograph), may be loaded: their bytes come from the model
  (docgen/assets.py: fenced, decoded, normalised) under a fixed ``docgen-asset:`` URL
  (``served_images``), so the file is never opened again here;
  every other URL (network, data:, file: elsewhere) is refused.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import jinja2

from ..assets import validated
from ..compose import ComposedLetter
from ..data import FONTS_DIR, TEMPLATES_DIR
from ..output import atomic_path
from ..thai.text import zwsp_segment
from . import weasy_adapt

HTML_DIR = TEMPLATES_DIR / "html"
FONT_FILES = {
    "regular": "THSarabunPSK-Regular.ttf", "bold": "THSarabunPSK-Bold.ttf",
    "italic": "THSarabunPSK-Italic.ttf", "bolditalic": "THSarabunPSK-BoldItalic.ttf",
}
# an item or list number at the start of a line: "๓." "๑.๒" "๑.๒.๓" (a list number in its own
# inline-block is followed by its text with no space: "๓๖.ผู้ว่าราชการ…")
_LABEL = re.compile(r"^([๐-๙0-9]+(?:\.[๐-๙0-9]+)+(?=\s)|[๐-๙0-9]+(?:\.[๐-๙0-9]+)*\.|\([๐-๙0-9]+\))\s*(.*)$")
# a clause's label "ข้อ ๑๓" (compose's label) is repeated whole, like an item number
_CLAUSE = re.compile("^(" + re.escape(ComposedLetter.LABELS["clause"]) + r" [๐-๙0-9]+)\s+(.*)$")
_WHOLE_CHUNK = 8          # characters: a space-separated group this short is never cut


# ---- process-wide, loaded once ------------------------------------------------------

@lru_cache(maxsize=1)
def _weasy():
    import weasyprint
    weasy_adapt.install()
    return weasyprint, new_font_config()


def new_font_config():
    """A WeasyPrint ``FontConfiguration`` whose font folder docgen owns (``docgen.render.fonts``):
    named ``docgen-fonts-<pid>-…``, removed at process exit (a batch worker's too) and swept
    by the next run when its process was killed."""
    from . import fonts
    return fonts.font_config()


@lru_cache(maxsize=1)
def _tokenizer():
    from ..thai.words import tokenizer
    tokenize = tokenizer()
    tokenize("ขอแสดงความนับถือ")      # load the dictionary now, not mid-letter
    return tokenize


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    # auto_reload off: the templates are package assets, loaded once per process; a letter
    # includes a partial per block, and each include would otherwise stat its file again
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HTML_DIR)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             auto_reload=False)
    env.filters["z"] = lambda s: zwsp_segment(str(s), _tokenizer())
    return env


def project_fetcher(roots: tuple[Path, ...], images=()):
    """A WeasyPrint URL fetcher that serves only files under ``roots`` (the project's own
    fonts and templates) and the validated ``images`` (``assets.Image``: their bytes, from
    memory, under ``Image.url``).

    Network schemes are refused outright; a ``file:`` URL elsewhere raises.
    """
    weasyprint, _ = _weasy()
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcherResponse

    allowed_roots = tuple(r.resolve() for r in roots)
    served = {img.url: img for img in images}

    class ProjectAssetsFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if url in served:
                img = served[url]
                return URLFetcherResponse(url, img.data, {"Content-Type": img.mime})
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(r) for r in allowed_roots):
                    return super().fetch(url, headers)
            raise ValueError(f"docgen refuses to load {url[:80]!r}: only the project's own assets")

    return ProjectAssetsFetcher(allowed_protocols={"file"}, allow_redirects=False)




@lru_cache(maxsize=32)
def _stylesheet(geometry_json: str, emblem_key: str, digits: str):
    """Parsed letter CSS for one geometry (cached: parsing and font loading are costly)."""
    weasyprint, font_config = _weasy()
    g = json.loads(geometry_json)
    fonts = {k: (FONTS_DIR / v).resolve().as_uri() for k, v in FONT_FILES.items()}
    css = _env().get_template("letter.css").render(
        g=g, emblem=g["emblem"][emblem_key], fonts=fonts,
        counter_style="thai" if digits == "thai" else "decimal")
    return weasyprint.CSS(string=css, font_config=font_config, url_fetcher=project_fetcher((FONTS_DIR, HTML_DIR)),
                          base_url=str(HTML_DIR) + "/")


def warm_up() -> None:
    """Load WeasyPrint, fonts and the tokenizer now (batch workers call this once)."""
    _weasy()
    _tokenizer()


# ---- continuation markers -----------------------------------------------------------

def _words(text: str) -> list[str]:
    """The words of a text in order: a short space-separated group (ณ, ก.พ.ร., ๑๒/๒๕๖๗) is one
    word, a longer one is cut at the dictionary's word boundaries; a space stays a space."""
    out: list[str] = []
    for chunk in text.split():
        pieces = [chunk] if len(chunk) <= _WHOLE_CHUNK else _tokenizer()(chunk)
        out += [" " + pieces[0], *pieces[1:]] if out else pieces
    return out


def first_words(text: str, n_words: int = 2, max_chars: int = 18) -> str:
    """The words that open a page, as the marker repeats them, spaces and labels as printed.

    >>> first_words("๓. การจัดทำแผนการปฏิบัติราชการ")      # the real letter: "/๓. การจัดทำ..."
    '๓. การจัดทำ'
    >>> first_words("๓๖.ผู้ว่าราชการจังหวัดพิษณุโลก")
    '๓๖. ผู้ว่าราชการจังหวัด'
    >>> first_words("๒.๑ จัดทำแผนการปฏิบัติราชการ"), first_words("๑.๒.๓. ปรับปรุงระบบ")
    ('๒.๑ จัดทำแผน', '๑.๒.๓. ปรับปรุงระบบ')
    >>> first_words("ขอแสดงความนับถือ")
    'ขอแสดงความนับถือ'
    >>> first_words("ประกาศ ณ วันที่ ๑๔"), first_words("สำนักงาน ก.พ.ร. ขอส่ง")
    ('ประกาศ ณ', 'สำนักงาน ก.พ.ร.')
    >>> first_words("(๓) อุปกรณ์ที่ต้องการใช้"), first_words("ข้อ ๒๘ ให้เลขาธิการรักษาการ")
    ('(๓) อุปกรณ์ที่', 'ข้อ ๒๘ ให้เลขาธิการ')
    """
    text = " ".join(text.split())
    prefix = ""
    m = _LABEL.match(text) or _CLAUSE.match(text)
    if m:
        prefix, text = m.group(1) + " ", m.group(2)
    got = ""
    for word in _words(text)[:n_words]:
        if got and len(got) + len(word) > max_chars:
            break
        got += word
    return (prefix + got).strip()


def marker_text(next_page_start: str) -> str:
    return "/" + first_words(next_page_start) + "..."


# ---- rendering ----------------------------------------------------------------------

def served_images(composed: ComposedLetter) -> tuple:
    """The validated images the letter prints, each served under its ``Image.url``: the emblem,
    and the image a block carries (the seal, the photograph).  ``validated`` refuses a plain path,
    so a block's image is never a file this renderer would open."""
    found = [validated(composed.emblem), *(validated(getattr(b, "image", None)) for b in composed.blocks)]
    return tuple({img.url: img for img in found if img}.values())


def build_html(composed: ComposedLetter) -> str:
    template = _env().get_template(composed.doctype_spec["html"])
    image = validated(composed.emblem)
    served_images(composed)           # a block's image that is not a validated Image: TypeError
    return template.render(c=composed, emblem_url=image.url if image else None)


def layout(composed: ComposedLetter):
    """Lay out the letter once, continuation markers included; returns (document, markers)."""
    weasyprint, font_config = _weasy()
    g = composed.geometry
    css = _stylesheet(json.dumps(g, sort_keys=True), composed.doctype_spec["emblem"], composed.digits)
    fetcher = project_fetcher((FONTS_DIR, HTML_DIR), served_images(composed))
    markers: dict[int, str] = {}

    def make_markers(starts: list[str]) -> dict[int, str]:
        # page n (1-based) announces page n+1, whose first line is starts[n]
        markers.update({n: marker_text(starts[n]) for n in range(1, len(starts))})
        return markers

    token = weasy_adapt.marker_for_pages.set(make_markers)
    try:
        with weasy_adapt.active():        # docgen's WeasyPrint adaptation, for this layout only
            document = weasyprint.HTML(string=build_html(composed), base_url=str(HTML_DIR) + "/",
                                       url_fetcher=fetcher).render(stylesheets=[css],
                                                                   font_config=font_config)
    finally:
        weasy_adapt.marker_for_pages.reset(token)
    return document, markers


def render_pdf(composed: ComposedLetter, target: Path) -> None:
    """Write the letter as PDF/A-3b with the composed letter attached as ``letter.json``."""
    weasyprint, _ = _weasy()
    document, _ = layout(composed)
    if not document.pages:            # never a "successful" PDF with nothing in it
        from . import RenderError
        raise RenderError("render-no-pages")
    record = json.dumps(composed.to_dict(), ensure_ascii=False, indent=1, default=str)
    attachment = weasyprint.Attachment(
        string=record, name="letter.json", relationship="Data",
        description="docgen composed letter (machine-readable source data)")
    with atomic_path(Path(target)) as tmp, weasy_adapt.active():     # (deflate level)
        document.write_pdf(str(tmp), pdf_variant="pdf/a-3b", attachments=[attachment],
                           custom_metadata=True)
