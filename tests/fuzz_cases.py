"""Hostile inputs for the fuzzing suite: case builders (plain functions, used by the corpus) and
Hypothesis strategies (used by ``tests/test_fuzz.py``).

A case is the JSON mapping ``tests/fuzz_worker.py`` runs (its docstring has the format).  Every
case gets a copy of ``examples/profiles`` as ``profiles/``, so ``profile: profiles/opdc.yaml``
resolves; the worker's "canary" folder (secret files, outside every case folder) is
``{canary}``, and ``/etc/passwd`` is the other target of hostile symlinks.
"""
from __future__ import annotations

import base64
import copy
import csv
import datetime as dt
import functools
import io
import json
import math
import re
import zlib
import struct
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROFILES = {"profiles/": {"copy": "examples/profiles"}}

GOOD = {
    "type": "external", "profile": "profiles/opdc.yaml", "number": 74, "date": "2024-05-30",
    "subject": "ทดสอบ", "to": "เลขาธิการคณะรัฐมนตรี", "body": ["ข้อความ"], "purpose": "โปรดทราบ",
}


def _plain(node):
    """YAML's dates as ISO text (JSON cannot carry them)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


@functools.cache
def base_letters() -> tuple[dict, ...]:
    found = [GOOD]
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        found.append(_plain(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return tuple(found)


@functools.cache
def base_profile() -> dict:
    return _plain(yaml.safe_load((ROOT / "examples/profiles/opdc.yaml").read_text(encoding="utf-8")))


@functools.cache
def notice_text() -> str:
    return (ROOT / "examples/batch/notice.yaml").read_text(encoding="utf-8").replace(
        "profile: ../profiles/opdc.yaml", "profile: profiles/opdc.yaml")


@functools.cache
def layout_leaves() -> tuple[tuple[str, ...], ...]:
    leaves = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + (k,))
        else:
            leaves.append(path)
    walk(yaml.safe_load((ROOT / "data/layout.yaml").read_text(encoding="utf-8")), ())
    return tuple(leaves)


def has_surrogate(node) -> bool:
    if isinstance(node, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in node)
    if isinstance(node, dict):
        return any(has_surrogate(k) or has_surrogate(v) for k, v in node.items())
    if isinstance(node, list):
        return any(has_surrogate(v) for v in node)
    return False


def dump(data, fmt: str = "yaml") -> str:
    """A letter/profile as file text.  JSON is written with ``ensure_ascii=True``: "\\ud800" and
    every control character travel as escapes (YAML refuses some of them as raw characters)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=True, indent=1)
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    except Exception:
        return json.dumps(data, ensure_ascii=True)


def text_file(text: str) -> dict:
    return {"text": text}


def bytes_file(data: bytes) -> dict:
    return {"b64": base64.b64encode(data).decode("ascii")}


def case(name: str, category: str, files: dict, argv: list[str], **kw) -> dict:
    return {"name": name, "category": category, "files": {**PROFILES, **files}, "argv": argv, **kw}


def render_case(name, category, letter, fmt="json", filename=None, extra_files=None, **kw) -> dict:
    filename = filename or f"letter.{fmt}"
    text = letter if isinstance(letter, str) else dump(letter, fmt)
    return case(name, category, {filename: text_file(text), **(extra_files or {})},
                ["render", filename, "-o", "out"], **kw)


# ---------------------------------------------------------------- images

def png(width=40, height=47, mode="RGB", color=(40, 40, 40)) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new(mode, (width, height), color if mode != "1" else 0).save(buf, "PNG")
    return buf.getvalue()


def jpeg(mode="RGB", width=40, height=47) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    color = {"RGB": (40, 40, 40), "CMYK": (0, 0, 0, 200), "L": 40}[mode]
    Image.new(mode, (width, height), color).save(buf, "JPEG")
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def png_bomb(width=10000, height=10000) -> bytes:
    """A 1-bit PNG of width × height pixels (100 M: past Pillow's warning, 4 × docgen's limit) in ~12 kB."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def png_claiming(width, height) -> bytes:
    """A PNG header claiming width × height, with one tiny IDAT: a cheap lie about its size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 16))
            + _chunk(b"IEND", b""))


SECRET_PNG = "secret.png"          # a VALID image in the canary folder: following a link embeds it


def emblem_variants() -> dict[str, tuple[dict, str]]:
    """name → (files to add, the value of `emblem:`); the path is relative to the file naming it
    (the emblem is placed beside the letter, or beside the profile under profiles/)."""
    good = png()
    return {
        "valid-png": ({"E/emblem.png": bytes_file(good)}, "emblem.png"),
        "valid-jpeg": ({"E/emblem.jpg": bytes_file(jpeg())}, "emblem.jpg"),
        "gray-jpeg": ({"E/emblem.jpg": bytes_file(jpeg("L"))}, "emblem.jpg"),
        "cmyk-jpeg": ({"E/emblem.jpg": bytes_file(jpeg("CMYK"))}, "emblem.jpg"),
        "rgba-png": ({"E/emblem.png": bytes_file(png(mode="RGBA", color=(0, 0, 0, 0)))}, "emblem.png"),
        "palette-png": ({"E/emblem.png": bytes_file(png(mode="P", color=3))}, "emblem.png"),
        "one-pixel": ({"E/emblem.png": bytes_file(png(1, 1))}, "emblem.png"),
        "wide-png": ({"E/emblem.png": bytes_file(png(3000, 1, mode="L", color=0))}, "emblem.png"),
        "truncated-png": ({"E/emblem.png": bytes_file(good[:60])}, "emblem.png"),
        "truncated-jpeg": ({"E/emblem.jpg": bytes_file(jpeg()[:200])}, "emblem.jpg"),
        "fake-png-magic": ({"E/emblem.png": bytes_file(b"\x89PNG\r\n\x1a\n" + b"not an image" * 20)}, "emblem.png"),
        "fake-jpeg-magic": ({"E/emblem.jpg": bytes_file(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 30)}, "emblem.jpg"),
        "png-magic-only": ({"E/emblem.png": bytes_file(b"\x89PNG\r\n\x1a\n")}, "emblem.png"),
        "jpeg-magic-only": ({"E/emblem.jpg": bytes_file(b"\xff\xd8\xff")}, "emblem.jpg"),
        "png-claims-huge": ({"E/emblem.png": bytes_file(png_claiming(100000, 100000))}, "emblem.png"),
        "png-bomb": ({"E/emblem.png": bytes_file(png_bomb())}, "emblem.png"),
        "gif-as-png": ({"E/emblem.png": bytes_file(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")}, "emblem.png"),
        "svg": ({"E/emblem.svg": text_file('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>')}, "emblem.svg"),
        "empty-file": ({"E/emblem.png": bytes_file(b"")}, "emblem.png"),
        "directory": ({"E/emblem.png/": {"mkdir": True}}, "emblem.png"),
        "fifo": ({"E/emblem.png": {"fifo": True}}, "emblem.png"),
        "symlink-to-canary": ({"E/emblem.png": {"symlink": "{canary}/" + SECRET_PNG}}, "emblem.png"),
        "symlink-to-canary-relative": ({"E/emblem.png": {"symlink": "{up}/canary/" + SECRET_PNG}}, "emblem.png"),
        "symlink-to-passwd": ({"E/emblem.png": {"symlink": "/etc/passwd"}}, "emblem.png"),
        "symlink-chain-out": ({"E/emblem.png": {"symlink": "hop.png"},
                               "E/hop.png": {"symlink": "{canary}/" + SECRET_PNG}}, "emblem.png"),
        "symlinked-folder-out": ({"E/img": {"symlink": "{canary}"}}, "img/" + SECRET_PNG),
        "symlink-to-dev-zero": ({"E/emblem.png": {"symlink": "/dev/zero"}}, "emblem.png"),
        "symlink-loop": ({"E/emblem.png": {"symlink": "loop.png"}, "E/loop.png": {"symlink": "emblem.png"}}, "emblem.png"),
        "symlink-self": ({"E/emblem.png": {"symlink": "emblem.png"}}, "emblem.png"),
        "symlink-dangling": ({"E/emblem.png": {"symlink": "nowhere.png"}}, "emblem.png"),
        "symlink-inside": ({"E/emblem.png": {"symlink": "real.png"}, "E/real.png": bytes_file(good)}, "emblem.png"),
        "written-dotdot": ({}, "{up}/canary/" + SECRET_PNG),
        "written-absolute": ({}, "{canary}/" + SECRET_PNG),
        "written-passwd": ({}, "/etc/passwd"),
        "file-url": ({}, "file:///etc/passwd"),
        "http-url": ({}, "http://127.0.0.1:1/emblem.png"),
        "data-url": ({}, "data:image/png;base64," + base64.b64encode(good).decode()),
        "nul-in-name": ({}, "emb\x00lem.png"),
        "long-name": ({}, "ก" * 300 + ".png"),
        "trailing-newline": ({"E/emblem.png": bytes_file(good)}, "emblem.png\n"),
        "not-text": ({}, 12),
    }


def emblem_case(name: str, variant: str, where: str = "letter", **kw) -> dict:
    """A GOOD letter whose emblem (in the letter, or in its own profile) is ``variant``."""
    extra, value = emblem_variants()[variant]
    folder = "" if where == "letter" else "p/"
    up = "../.." if where == "letter" else "../../.."      # from the case (or p/) to the canary's parent
    files = {}
    for k, v in extra.items():
        if "symlink" in v:
            v = {"symlink": v["symlink"].replace("{up}", up)}
        files[k.replace("E/", folder, 1)] = v
    if isinstance(value, str):
        value = value.replace("{up}", up)
    letter = dict(GOOD)
    if isinstance(value, str) and "{canary}" in value:
        kw.setdefault("expand", True)
    if where == "letter":
        letter["emblem"] = value
    else:
        profile = dict(base_profile(), emblem=value)
        letter["profile"] = "p/agency.json"
        files["p/agency.json"] = text_file(dump(profile, "json"))
    expand = kw.pop("expand", False)
    c = render_case(name, "emblem", letter, extra_files=files, **kw)
    if expand:
        for spec in c["files"].values():
            if "text" in spec:
                spec["expand"] = True
    return c


# ---------------------------------------------------------------- sheets

def csv_bytes(rows: list[list[str]], encoding="utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    if encoding == "utf-8":
        return buf.getvalue().encode("utf-8", "surrogatepass")
    return buf.getvalue().encode(encoding, "replace")


def xlsx_bytes(rows: list[list], far_cell: str | None = None, formatted=True, sheets=1) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append([_xlsx_safe(v) for v in row])
    if far_cell:
        cell = ws[far_cell]
        if formatted:
            cell.font = Font(bold=True)
        else:
            cell.value = "x"
    for i in range(1, sheets):
        wb.create_sheet(f"S{i}").append(["x"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xlsx_safe(v):
    if isinstance(v, str):       # openpyxl refuses control characters and surrogates itself
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        v = ILLEGAL_CHARACTERS_RE.sub("", v).encode("utf-8", "replace").decode("utf-8", "replace")
        return _NOT_XML.sub("", v)[:32767]          # nor U+FFFE/U+FFFF, which XML 1.0 lacks
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10**15:
        return str(v)
    return v


HEADER = ["ตำแหน่ง", "หน่วยงาน", "seats"]


def sheet_case(name: str, sheet_name: str, data: bytes, command="check", **kw) -> dict:
    files = {"notice.yaml": text_file(notice_text()), sheet_name: bytes_file(data)}
    if command == "check":
        argv = ["check", "notice.yaml", "--to", sheet_name]
        kw.setdefault("outputs", "none")
    else:
        argv = ["batch", "notice.yaml", "--to", sheet_name, "--dry-run", "--jobs", "1", "-o", "out",
                "--limit", "2"]
        kw.setdefault("outputs", "pairs")
    return case(name, "sheet", files, argv, **kw)


# ---------------------------------------------------------------- register URLs

def db_case(name: str, url: str, command: str = "list", how: str = "flag", **kw) -> dict:
    argv = {"list": ["register", "list"], "show": ["register", "show", "1"],
            "init": ["register", "init", "--prefix", "นร 1200"],
            "export": ["register", "export", "--format", "csv", "-o", "out/register.csv"],
            "issue": ["issue", "letter.json", "-o", "out"],
            "render": ["render", "letter.json", "-o", "out"]}[command]
    files, env = {"letter.json": text_file(dump(GOOD, "json"))}, {}
    if how == "flag":
        argv = argv + ["--db", url] if command != "render" else argv
    elif how == "env":
        env["DOCGEN_DATABASE_URL"] = url
    elif how == "toml":
        files["docgen.toml"] = text_file('[register]\nurl = %s\n' % json.dumps(url, ensure_ascii=True))
    elif how == "profile":
        profile = dict(base_profile(), register=url)
        files["p/agency.json"] = text_file(dump(profile, "json"))
        files["letter.json"] = text_file(dump(dict(GOOD, profile="p/agency.json"), "json"))
        if command in ("list", "show", "init"):
            argv = argv + ["--profile", "p/agency.json"]
    kw.setdefault("outputs", "none" if command not in ("issue", "render", "init") else "all-or-nothing")
    if command == "init":
        kw["outputs"] = "any"
    return case(name, "dburl", files, argv, env=env, **kw)


# ---------------------------------------------------------------- Hypothesis strategies

def strategies():
    """The strategies, built on first use (Hypothesis is a test dependency only)."""
    from hypothesis import strategies as st

    thai = st.text(st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), min_size=1, max_size=25)
    latin = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=25)
    any_text = st.text(max_size=12)
    specials = st.sampled_from([
        "\ud800", "\udfff", "\udc80", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff",
        "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
        "\r", "\n", "\t", "\r\n", "\u2028", "\u2029",
        "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
        "\u200e", "\u200f", "\u202a", "\u202b", "\u202d", "\u202e", "\u202c", "\u2066", "\u2067", "\u2069", "\u061c",
        "\u0e4d\u0e32", "\u0e33", "\u0e31\u0e31\u0e31", "\u0301" * 5, "\u0e48" * 40,
        "<", ">", "&", '"', "'", "\\", "%", "{", "}", "$", "`",
    ])
    markup = st.sampled_from([
        "{{ recipient.agency }}", "{{ recipient }}", "{{7*7}}", "{% for x in y %}", "{# c #}", "{%", "}}",
        "<b>bold</b>", "<script>alert(1)</script>", "<w:p/>", "]]>", "<!--", "&amp;", "&#0;", "&lt;",
        "<?xml version='1.0'?>", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;",
        "$(id)", "`id`", "${HOME}", "%s%n%x", "../../etc/passwd", "\\x00", "=HYPERLINK(\"x\")",
        "@SUM(1)", "url(file:///etc/passwd)", "</style>", "\\u0000",
    ])
    harmless = st.sampled_from(["\u200b", "\u200e", "\u202e", "\u202c", "\u2066", "\u2069", "\u0e4d\u0e32",
                                "\u0e48" * 3, "<", ">", "&", '"', "'", "\\", "%", "{", "}", "$", "`", "  ", "\t"])
    clean = st.lists(st.one_of(thai, thai, latin, markup, harmless), min_size=1, max_size=8).map("".join)
    dirty = st.lists(st.one_of(thai, latin, specials, markup, any_text), min_size=0, max_size=8).map("".join)
    text = st.one_of(clean, clean, clean, dirty)
    long_text = st.builds(lambda unit, n: unit * n,
                          st.sampled_from(["ก", "a", "กข ", "word ", "ข้อ", "\u200b", "1", "ก\u0e48", "a" * 7 + " "]),
                          st.integers(256, 25000))
    numbers = st.one_of(
        st.integers(-10**6, 10**6), st.integers(-10**40, 10**40),
        st.sampled_from([0, -1, 1, 2**31, 2**63, 2**64 + 1, 10**100, 9999999, 10000000]),
        st.floats(allow_nan=True, allow_infinity=True), st.booleans())
    scalars = st.one_of(st.none(), numbers, text, text, text)

    def nest(depth_kind):
        depth, kind = depth_kind
        node = "ก"
        for _ in range(depth):
            node = [node] if kind == "list" else ({"items": [node]} if kind == "items" else {"text": "ก", "items": [node]})
        return node
    deep = st.tuples(st.integers(10, 60), st.sampled_from(["list", "items", "both"])).map(nest)
    values = st.recursive(
        scalars,
        lambda children: st.one_of(st.lists(children, max_size=4),
                                   st.dictionaries(st.one_of(thai, latin, st.sampled_from(
                                       ["text", "items", "start", "agency", "number", "date", "urgency", "name"])),
                                       children, max_size=4)),
        max_leaves=8)
    plausible = st.one_of(text, thai, latin, st.lists(text, min_size=1, max_size=3))
    hostile = st.one_of(plausible, plausible, plausible, values, values, long_text, deep,
                        st.sampled_from([{}, [], [{}], [None], "", " ", [[]]]))

    def paths_of(node, prefix=()):
        yield prefix
        if isinstance(node, dict):
            for k, v in node.items():
                yield from paths_of(v, prefix + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from paths_of(v, prefix + (i,))

    def set_at(node, path, value, delete=False):
        if not path:
            return value
        parent = node
        for p in path[:-1]:
            parent = parent[p]
        if delete:
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
        return node

    fields = ["type", "urgency", "secrecy", "number", "circular", "date", "subject", "to", "salutation",
              "closing", "references", "enclosures", "body", "purpose", "signer", "owner_unit", "phone",
              "fax", "email", "copies_to", "agency", "sender", "ref_prefix", "digits", "year_start",
              "layout", "emblem", "register", "extra_unknown_key"]

    @st.composite
    def mutate(draw, base, n_max=3, keep=("profile",)):
        data = copy.deepcopy(base)
        for _ in range(draw(st.integers(1, n_max))):
            op = draw(st.sampled_from(["leaf", "leaf", "field", "field", "delete", "references", "body"]))
            if op == "leaf":
                paths = [p for p in paths_of(data) if p and p[0] not in keep]
                if not paths:
                    continue
                path = draw(st.sampled_from(paths))
                data = set_at(data, path, draw(hostile))
            elif op == "field":
                data[draw(st.sampled_from(fields))] = draw(hostile)
            elif op == "delete":
                keys = [k for k in data if k not in keep]
                if keys:
                    del data[draw(st.sampled_from(keys))]
            elif op == "references":
                data["references"] = draw(st.lists(st.one_of(
                    st.just({}), text, st.dictionaries(st.sampled_from(["agency", "urgency", "number", "date", "x"]),
                                                       scalars, max_size=4)), min_size=1, max_size=3))
            else:
                data["body"] = draw(st.lists(st.one_of(text, st.fixed_dictionaries(
                    {"items": st.lists(st.one_of(text, st.fixed_dictionaries({"text": text, "items": st.lists(text, max_size=3)})), max_size=4)},
                    optional={"start": numbers, "text": text})), min_size=0, max_size=4))
        return data

    fmt = st.sampled_from(["yaml", "json"])
    enums = {"type", "urgency", "secrecy", "date", "salutation", "closing", "acting", "digits", "year_start",
             "profile", "number", "circular", "email", "phone", "fax", "start", "emblem", "register"}
    free_text = st.one_of(clean, clean, clean, clean, long_text, dirty)

    @st.composite
    def retext(draw, base):
        """Only free-text leaves replaced (types and structure kept): most of these render."""
        data = copy.deepcopy(base)
        paths = [p for p in paths_of(data) if p and isinstance(_get(data, p), str)
                 and not any(isinstance(k, str) and k in enums for k in p)]
        for _ in range(draw(st.integers(1, 4))):
            if paths:
                data = set_at(data, draw(st.sampled_from(paths)), draw(free_text))
        return data

    def _get(node, path):
        for p in path:
            node = node[p]
        return node

    @st.composite
    def letter_cases(draw):
        base = draw(st.sampled_from(base_letters()))
        letter = draw(st.one_of(mutate(base), retext(base), retext(base)))
        f = "json" if has_surrogate(letter) else draw(fmt)
        command = draw(st.sampled_from(["render", "render", "render", "check"]))
        c = render_case("generated", "letter", letter, fmt=f)
        if command == "check":
            c["argv"] = ["check", c["argv"][1]]
            c["outputs"] = "none"
        return c

    layout_values = st.one_of(
        st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300, 1e-300, 5e-324, 1e-9, 0, 0.0, -0.0, -1,
                         10**20, 10**400, 1000000, 3000, 100000, 0.5, 0.49, 600, 601, 144, 145, 4, 3.9, 20, 21,
                         True, False, None, "10", "10mm", "", "nan", "1e300", [], {}, [1, 2], {"x": 1},
                         "#FFFFFF\n", "#ff0000", "#GGGGGG", "red", "#FFF", "#FF0000 ", "TH SarabunPSK\n",
                         "TH Sarabun\x00PSK", "Arial", "', serif; } body { display:none } x{'",
                         "left\n", "justify", "center", "ก" * 300]),
        st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30), text)

    @st.composite
    def layout_overrides(draw):
        layout: dict = {}
        for _ in range(draw(st.integers(1, 3))):
            path = draw(st.one_of(st.sampled_from(layout_leaves()),
                                  st.tuples(st.sampled_from(["page", "emblem", "signature", "unknown"]), latin)))
            node = layout
            for p in path[:-1]:
                nxt = node.get(p)
                if not isinstance(nxt, dict):
                    nxt = node[p] = {}
                node = nxt
            node[path[-1]] = draw(layout_values)
        if draw(st.integers(0, 9)) == 0:
            layout = draw(st.sampled_from([None, [], "x", 5, {"page": None}, {"emblem": {"external": []}}]))
        return layout

    @st.composite
    def profile_cases(draw, category="profile"):
        profile = dict(base_profile())
        if category == "profile":
            profile = draw(st.one_of(mutate(profile, n_max=2, keep=("layout",)), retext(profile)))
            if draw(st.integers(0, 2)) == 0:
                profile["layout"] = draw(layout_overrides())
        else:
            profile["layout"] = draw(layout_overrides())
        letter = dict(draw(st.sampled_from(base_letters())), profile="p/agency." + ("json" if has_surrogate(profile) else "yaml"))
        pfmt = letter["profile"].rsplit(".", 1)[1]
        files = {"p/agency." + pfmt: text_file(dump(profile, pfmt))}
        return render_case("generated", category, letter, extra_files=files)

    variants = sorted(emblem_variants())

    @st.composite
    def emblem_cases(draw):
        return emblem_case("generated", draw(st.sampled_from(variants)),
                           draw(st.sampled_from(["letter", "profile"])))

    cell = st.one_of(text, thai, latin, st.just(""), st.sampled_from(["\x00", "ก\x00ข", "=1+1", '"', '"""', "\r"]),
                     st.integers(-5, 10).map(str), st.integers(1, 3).map(lambda n: "ก" * (50000 * n)))

    @st.composite
    def sheet_cases(draw):
        header = list(HEADER)
        if draw(st.integers(0, 4)) == 0:
            header = draw(st.lists(st.one_of(st.sampled_from(HEADER + ["", "position", "agency", "ตำแหน่ง"]), text),
                                   max_size=5))
        rows = [header] + draw(st.lists(st.lists(cell, min_size=0, max_size=5), max_size=5))
        kind = draw(st.sampled_from(["csv", "csv", "csv-enc", "xlsx", "group", "raw"]))
        command = draw(st.sampled_from(["check", "batch"]))
        if kind == "csv":
            return sheet_case("generated", "r.csv", csv_bytes(rows), command)
        if kind == "csv-enc":
            enc = draw(st.sampled_from(["utf-8-sig", "utf-16", "cp874", "latin-1", "utf-32"]))
            return sheet_case("generated", "r.csv", csv_bytes(rows, enc), command)
        if kind == "raw":
            return sheet_case("generated", draw(st.sampled_from(["r.csv", "r.xlsx"])), draw(st.binary(max_size=300)), command)
        if kind == "xlsx":
            far = draw(st.one_of(st.none(), st.sampled_from(["XFD1048576", "A1048576", "XFD1", "ZZ5000"])))
            return sheet_case("generated", "r.xlsx", xlsx_bytes(rows, far, draw(st.booleans())), command)
        group = draw(st.one_of(st.sampled_from(["provinces", "ministries", "", "../../../etc/passwd", "nope",
                                                "../profiles/opdc", "/etc/passwd", "provinces\n"]), text))
        c = sheet_case("generated", "r.csv", b"", command)
        c["argv"][c["argv"].index("r.csv")] = "group:" + group
        return c

    hosts = st.sampled_from(["", "127.0.0.1", "[::1", "[::1]", "::1]", "[]", "[", "localhost", "127.0.0.1:1",
                             "[fe80::1%25eth0]", "@", "x@", ":@", "%zz", "user:pw@127.0.0.1"])
    ports = st.sampled_from(["", ":", ":abc", ":-1", ":99999", ":0", ":5432x", ":1", ": 1", ":٣", ":1e3"])
    schemes = st.sampled_from(["sqlite", "postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2",
                               "mysql", "foo", "", "sqlite+pysqlite", "file", "http", "SQLITE", "sqlite:", "ก"])
    paths = st.sampled_from(["", "/", "/docgen_fuzz_nonexistent", "//", "/?x=1", "/db?sslmode=nope",
                             "/db?schema=ก", "/db?connect_timeout=abc", "/db#frag", "/%00", "/\x00", "/ก"])

    @st.composite
    def db_urls(draw):
        if draw(st.integers(0, 4)) == 0:
            return draw(st.one_of(text, st.sampled_from(["", " ", "sqlite://", "sqlite:///", "sqlite:////",
                                                         "postgresql://", "postgresql://x@[::1", "://", "sqlite"])))
        scheme = draw(schemes)
        if scheme.lower().startswith("sqlite"):
            tail = "/" + draw(st.sampled_from(["reg.db", "nodir/reg.db", "", "ก.db", "reg.db?mode=ro",
                                               "file:reg.db?mode=memory&uri=true", "%00", "reg.db\x00"]))
            return f"{scheme}://{tail}"
        return f"{scheme}://{draw(hosts)}{draw(ports)}{draw(paths)}"

    @st.composite
    def db_cases(draw):
        url = draw(db_urls())
        command = draw(st.sampled_from(["list", "list", "show", "export", "init", "issue", "render"]))
        how = draw(st.sampled_from(["flag", "flag", "env", "toml", "profile"]))
        if how == "env" and ("\x00" in url or has_surrogate(url)):
            how = "flag"                 # an environment variable cannot carry these
        if command == "init" and not url.lower().startswith("sqlite") and "[::1" not in url \
                and ":" not in url.split("//", 1)[-1]:
            command = "list"             # never create tables on a server that might exist
        c = db_case("generated", url, command, how)
        if draw(st.integers(0, 5)) == 0 and command not in ("render", "issue"):
            c["argv"] += ["--db-timeout=" + draw(st.sampled_from(["nan", "inf", "-1", "0", "1e309", "-inf", "1e-300"]))]
        return c

    name_stems = st.one_of(
        st.integers(1, 84).map(lambda n: "ก" * n), st.integers(1, 250).map(lambda n: "a" * n),
        st.sampled_from(["...", ".hidden", "a..b", "-o", "--help", " lead", "trail ", "ก.พ.ร.", "x\ny", "x\ty",
                         "x\\y", "ก" * 80, "หนังสือ" * 12, "a" * 245, "ก" * 81 + "a" * 2, "CON", "nul", "~", "$HOME",
                         "\u202e" + "fdp", "e\u0301", "\u00e9"]),
        st.text(st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]), min_size=1, max_size=40))

    @st.composite
    def filename_cases(draw):
        stem = draw(name_stems)
        suffix = draw(st.sampled_from([".yaml", ".json", ".yml", ".YAML", ".yaml.yaml", ""]))
        name = stem + suffix
        while len(name.encode("utf-8", "surrogatepass")) > 255:
            stem = stem[:-1]
            name = stem + suffix
        if name in (".", "..", "") or name.startswith("profiles"):
            name = "x" + name
        f = "json" if suffix == ".json" else "yaml"
        command = draw(st.sampled_from(["render", "render", "check", "issue"]))
        c = render_case("generated", "filename", GOOD, fmt=f, filename=name)
        arg = "./" + name
        if command == "render":
            out = draw(st.sampled_from(["out", "out", "out/" + "ข" * 80, "out/" + "x" * 200]))
            c["argv"] = ["render", arg, "-o", out]
        elif command == "check":
            c["argv"] = ["check", arg]
            c["outputs"] = "none"
        else:
            c["files"]["docgen.toml"] = text_file('[register]\nurl = "sqlite:///reg.db"\n')
            c["setup"] = [["register", "init", "--prefix", "นร 1200"]]
            c["argv"] = ["issue", arg, "-o", "out"]
        return c

    subcommands = st.sampled_from(["render", "check", "demo", "issue", "batch", "register", "register list",
                                   "register show", "register reserve", "register cancel", "register sent",
                                   "register export", "", "nope"])
    options = st.sampled_from(["-o", "--format", "--to", "--mode", "--jobs", "--db", "--db-timeout", "--limit",
                               "--revise", "--year", "--month", "--from", "--status", "--search", "--batch",
                               "--reason", "--date", "--series", "--prefix", "--profile", "--help", "-h", "--",
                               "--format=pdf", "--format=", "--format=,", "--format=txt", "--jobs=0", "--jobs=-1",
                               "--limit=-1", "--month=2569-13", "--from=๓๐ ก.พ. ๒๕๖๗", "--year=nan"])
    words = st.one_of(options, text, st.sampled_from(["letter.json", "out", "1", "ว 74", "0", "-1", "nan",
                                                     "9" * 40, "group:provinces", "r.csv"]))

    @st.composite
    def cli_cases(draw):
        argv = draw(subcommands).split() + draw(st.lists(words, max_size=6))
        # never a path out of the case folder (-o ../../x would write there), never `demo` (it
        # writes into the repository's output/)
        argv = [a for a in argv if a != "demo" and "/" not in a and "\\" not in a and not a.startswith("~")]
        files = {"letter.json": text_file(dump(GOOD, "json")), "out/": {"mkdir": True},
                 "r.csv": bytes_file(csv_bytes([HEADER, ["ปลัดกระทรวงการคลัง", "กระทรวงการคลัง", "2"]]))}
        if "batch" in argv:
            argv += ["--jobs", "1"]
        return case("generated", "cli", files, argv, outputs="any", expect_exit=[0, 1, 2],
                    env={"DOCGEN_DATABASE_URL": "sqlite:///reg.db"})

    return {"letter": letter_cases(), "profile": profile_cases("profile"), "layout": profile_cases("layout"),
            "emblem": emblem_cases(), "sheet": sheet_cases(), "dburl": db_cases(), "filename": filename_cases(),
            "cli": cli_cases()}
