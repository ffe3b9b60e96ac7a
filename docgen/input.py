"""Input stage: read a letter file (YAML/JSON) and its agency profile into plain data.

The letter's own fields override the profile's.  Nothing is validated here beyond
"is it a readable mapping"; validation is the model stage's job.  Every way a file
can be unreadable ends in an ``InputError`` whose problems name the field ("file",
"profile", or the dotted path of a duplicated key) in Thai and English — never in
a traceback:

* not UTF-8 (with a hint when it looks like TIS-620/Windows-874 or UTF-16), binary
  (NUL bytes), larger than ``MAX_BYTES``, empty;
* a YAML/JSON syntax error (with line and column), a top level that is not a
  mapping, several YAML documents;
* a key given twice in the same mapping (YAML and JSON), at any depth;
* nesting deeper than ``MAX_DEPTH`` or a self-referencing YAML alias;
* a YAML alias chain that multiplies the data (``&a [x, x]``, ``&b [*a, *a]`` …): the nodes
  are counted with every alias expanded, before any Python object is built, and more than
  ``files.expanded_nodes`` of the limit table is refused (JSON has no aliases: its size is
  its file's);
* a file that is not a regular file (a folder, a FIFO, a device: its type is checked before
  it is opened, so a FIFO never hangs docgen), a path too long for the file system, a symlink
  loop, no permission: every ``OSError`` while reading is a read error naming the field,
  never "cannot write".

YAML is read with a SafeLoader: no Python tags, dates kept as text (the model
parses them, B.E. or C.E.).
"""
from __future__ import annotations

import copy
import json
import os
import stat as _stat
from pathlib import Path

import yaml

from . import limits
from .errors import InputError, Problem, Problems
from .i18n import Msg

SUFFIXES = {".yaml": "YAML", ".yml": "YAML", ".json": "JSON"}
MAX_BYTES = limits.get("files.letter_bytes")    # a 40-page letter is ~0.2 MB
MAX_DEPTH = limits.get("files.depth")           # body[1].items[1].items[1].items[1].text
MAX_NODES = limits.get("files.expanded_nodes")  # YAML nodes with every alias expanded


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (we parse them ourselves) and refuses duplicate keys.

    Duplicates are collected in ``self.duplicates`` as (mapping node, key, first line,
    second line); ``parse_mapping`` turns them into errors naming the dotted path.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[yaml.Node, object, int, int]] = []

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue          # "<<: *base" overrides are the point of a merge, not a duplicate
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    continue          # the base class reports unhashable keys itself
                if key in seen:
                    self.duplicates.append((node, key, seen[key] + 1, key_node.start_mark.line + 1))
                else:
                    seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _no_dates(loader, node):
    return loader.construct_scalar(node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _no_dates)


def _fail(field: str, code: str, source: str, **kw) -> InputError:
    problems = Problems()
    problems.error(field, code, **kw)
    return InputError(problems.items, source)


def decode(raw: bytes, field: str = "file", source: str = "") -> str:
    """File bytes → text, or InputError saying what the bytes are instead of UTF-8.

    >>> decode("เรียน".encode("utf-8"))
    'เรียน'
    >>> decode(b"\\xef\\xbb\\xbfa: 1")          # a BOM (Notepad) is fine
    'a: 1'
    >>> decode("เรียน".encode("cp874"))
    Traceback (most recent call last):
    ...
    docgen.errors.InputError: ผิดพลาด/error [file] ไฟล์ไม่ได้บันทึกเป็น UTF-8 (ไบต์ที่ 1 บรรทัด 1) ดูเหมือนเป็น TIS-620/Windows-874 ให้บันทึกใหม่เป็น UTF-8 — the file is not UTF-8 (byte 1, line 1); it looks like TIS-620/Windows-874: save it as UTF-8
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(field, "file-encoding-utf16", source, position=1, line=1)
    if b"\x00" in raw:
        raise _fail(field, "file-binary", source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        code = "file-encoding"
        try:
            if any("\u0e01" <= c <= "\u0e5b" for c in raw.decode("cp874")):
                code = "file-encoding-tis620"
        except UnicodeDecodeError:
            pass
        raise _fail(field, code, source, position=e.start + 1, line=line) from None


_KINDS = ((_stat.S_ISDIR, "kind-folder"), (_stat.S_ISFIFO, "kind-fifo"), (_stat.S_ISCHR, "kind-device"),
          (_stat.S_ISBLK, "kind-device"), (_stat.S_ISSOCK, "kind-socket"))


def path_problem(path, field: str) -> Problem | None:
    """A path too long for the file system (``files.path_bytes`` in all, ``files.name_bytes``
    a component, as UTF-8) as a field-named problem, before the file system is asked.

    >>> path_problem("ก" * 100 + ".yaml", "profile").code
    'path-too-long'
    >>> path_problem("profiles/opdc.yaml", "profile") is None
    True
    """
    text = str(path)
    total, name_limit = len(text.encode("utf-8", "surrogatepass")), limits.get("files.name_bytes")
    if total > limits.get("files.path_bytes"):
        return Problem(field, "path-too-long", "error", (
            ("what", Msg("path-whole")), ("size", total),
            ("limit", limits.get("files.path_bytes")), ("path", text[:80] + "…")))
    for part in text.replace("\\", "/").split("/"):
        size = len(part.encode("utf-8", "surrogatepass"))
        if size > name_limit:
            return Problem(field, "path-too-long", "error", (
                ("what", Msg("path-part")),
                ("size", size), ("limit", name_limit), ("path", part[:40] + "…")))
    return None


def read_bytes(path, field: str = "file", limit: int | None = None, source: str | None = None) -> bytes:
    """The bytes of an input file, at most ``limit`` (default ``files.letter_bytes``), or
    InputError naming ``field``: missing, not a regular file (checked before opening, so a
    FIFO or a device never blocks), too large, or any ``OSError`` (name too long, symlink
    loop, no permission …) — always a READ error."""
    path = Path(path)
    limit = MAX_BYTES if limit is None else limit
    source = (str(path) if source is None else source).replace("\x00", "\\0")
    too_long = path_problem(path, field)
    if too_long is not None:
        raise InputError([too_long], source)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        st = os.stat(path)
        _regular(st, path, field, source)
        if st.st_size > limit:
            raise _fail(field, "file-too-large", source, size=st.st_size, limit=limit)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as f:
            _regular(os.fstat(f.fileno()), path, field, source)     # the file actually opened
            raw = f.read(limit + 1)
    except FileNotFoundError:
        raise _fail(field, "file-missing", source, path=str(path)) from None
    except OSError as e:
        raise _fail(field, "file-read-error", source, path=str(path),
                    detail=e.strerror or str(e)) from None
    except ValueError as e:                          # a NUL in the path
        raise _fail(field, "file-read-error", source, path=str(path).replace("\x00", "\\0"),
                    detail=str(e)) from None
    if len(raw) > limit:
        raise _fail(field, "file-too-large", source, size=len(raw), limit=limit)
    return raw


def _regular(st, path: Path, field: str, source: str) -> None:
    if _stat.S_ISREG(st.st_mode):
        return
    kind = next((code for test, code in _KINDS if test(st.st_mode)), "kind-special")
    raise _fail(field, "file-not-regular", source, path=str(path), kind=Msg(kind))


def read_mapping(path: Path, field: str = "file") -> dict:
    """A YAML/JSON file as a dict, or InputError naming the file (never an OSError)."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise _fail(field, "file-format", str(path), ext=path.suffix[:20] or "(none)")
    raw = read_bytes(path, field)
    return parse_mapping(decode(raw, field, str(path)), kind, field, str(path))


def _syntax_error(e: Exception, kind: str, field: str, source: str) -> InputError:
    """A parser's exception → one bilingual problem with line and column."""
    line = column = None
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        detail = " ".join(str(x) for x in (e.context, e.problem) if x)
    elif isinstance(e, json.JSONDecodeError):
        line, column, detail = e.lineno, e.colno, e.msg
    else:
        detail = str(e)
    detail = " ".join(detail.split())[:200]
    if line is None:
        return _fail(field, "file-syntax", source, kind=kind, detail=detail)
    return _fail(field, syntax_code(detail, kind), source, kind=kind, line=line, column=column,
                 detail=detail)


# the usual causes of a YAML parser's complaint, each explained by its own message
_YAML_CAUSES = (
    ("yaml-colon", ("mapping values are not allowed",)),
    ("yaml-quote", ("quoted scalar", "end of stream")),
    ("yaml-special", ("cannot start any token", "alias", "anchor", "tag")),
    ("yaml-indent", ("expected ':'", "block end", "expected key", "'-' indicator", "block mapping",
                     "block collection", "simple key")),
)


def syntax_code(detail: str, kind: str = "YAML") -> str:
    """The message that explains a parser's complaint to a letter writer.

    >>> syntax_code("mapping values are not allowed here")
    'yaml-colon'
    >>> syntax_code(r"while scanning for the next token found character '\\t' that cannot start any token")
    'file-syntax-tab'
    >>> syntax_code("Expecting ',' delimiter", "JSON")
    'file-syntax-at'
    """
    if "'\\t'" in detail or "\\t" in detail:
        return "file-syntax-tab"
    if kind == "YAML":
        low = detail.lower()
        for code, signs in _YAML_CAUSES:
            if any(sign in low for sign in signs):
                return code
    return "file-syntax-at"


def _path(parent: str, key) -> str:
    return f"{parent}.{key}" if parent else str(key)


def _check_yaml_nodes(root: yaml.Node, field: str, source: str) -> dict[int, str]:
    """Dotted path of every mapping node; refuse cycles (``&a [*a]``), deep nesting and an
    alias chain that multiplies the data (more than ``MAX_NODES`` nodes once every alias is
    expanded).

    Each node is visited once (aliases share nodes), so the walk stays linear in the file's
    size; the expanded count of a node is 1 + its children's, computed when it is left (a
    shared node is counted once per reference, without being walked again).
    """
    paths: dict[int, str] = {}
    size: dict[int, int] = {}          # id(node) → nodes it stands for with aliases expanded
    # iterative DFS: (node, path, depth, entering?)
    stack: list[tuple[yaml.Node, str, int, bool]] = [(root, "", 0, True)]
    on_path: set[int] = set()
    while stack:
        node, path, depth, entering = stack.pop()
        nid = id(node)
        if not entering:
            on_path.discard(nid)
            children = (node.value if isinstance(node, yaml.SequenceNode) else
                        [n for kv in node.value for n in kv] if isinstance(node, yaml.MappingNode) else ())
            total = 1 + sum(size[id(c)] for c in children)
            if total > MAX_NODES:
                raise _fail(field, "file-expanded", source, limit=MAX_NODES,     # the file's fault
                            name=Path(source).name if source else field)
            size[nid] = total
            continue
        if nid in on_path:
            raise _fail(path or field, "file-recursive", source)
        if nid in size:
            continue
        if depth > MAX_DEPTH:
            raise _fail(path or field, "file-too-deep", source, limit=MAX_DEPTH)
        on_path.add(nid)
        stack.append((node, path, depth, False))
        if isinstance(node, yaml.MappingNode):
            paths.setdefault(nid, path)
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else "?"
                stack.append((k, _path(path, "?"), depth + 1, True))
                stack.append((v, _path(path, key), depth + 1, True))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                stack.append((v, f"{path}[{i + 1}]", depth + 1, True))
    return paths


def _load_yaml(text: str, field: str, source: str):
    loader = _UniqueKeyLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        paths = _check_yaml_nodes(root, field, source)
        value = loader.construct_document(root)
        if loader.duplicates:
            problems = Problems()
            for node, key, first, second in loader.duplicates:
                problems.error(_path(paths.get(id(node), ""), key), "duplicate-key",
                               name=str(key), first=first, second=second)
            raise InputError(problems.items, source)
        return value
    finally:
        loader.dispose()


def _load_json(text: str, field: str, source: str):
    duplicates: dict[int, list[str]] = {}

    def pairs(items):
        obj: dict = {}
        for k, v in items:
            if k in obj:
                duplicates.setdefault(id(obj), []).append(k)
            obj[k] = v
        return obj

    value = json.loads(text, object_pairs_hook=pairs)
    # walk (JSON has no shared nodes) for depth and the paths of duplicates
    problems = Problems()
    stack = [(value, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _fail(path or field, "file-too-deep", source, limit=MAX_DEPTH)
        if isinstance(node, dict):
            for k in duplicates.get(id(node), ()):
                problems.error(_path(path, k), "duplicate-key-json", name=k)
            stack += [(v, _path(path, k), depth + 1) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, f"{path}[{i + 1}]", depth + 1) for i, v in enumerate(node)]
    if problems.items:
        raise InputError(problems.items, source)
    return value


def parse_mapping(text: str, kind: str, field: str = "file", source: str = "") -> dict:
    """Text of a YAML/JSON file → dict, or InputError (never another exception).

    >>> parse_mapping("a: 1\\nb: 2020-01-01", "YAML")
    {'a': 1, 'b': '2020-01-01'}
    >>> parse_mapping("a: 1\\na: 2", "YAML")
    Traceback (most recent call last):
    ...
    docgen.errors.InputError: ผิดพลาด/error [a] ช่อง 'a' ซ้ำกัน (บรรทัด 1 และ 2) — the key 'a' is given twice (lines 1 and 2)
    >>> parse_mapping('{"signer": {"name": "x", "name": "y"}}', "JSON")
    Traceback (most recent call last):
    ...
    docgen.errors.InputError: ผิดพลาด/error [signer.name] ช่อง 'name' ซ้ำกัน — the key 'name' is given twice
    """
    if not text.strip() or (kind == "YAML" and all(
            not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())):
        raise _fail(field, "file-empty", source)
    try:
        value = _load_json(text, field, source) if kind == "JSON" else _load_yaml(text, field, source)
    except InputError:
        raise
    except (yaml.YAMLError, json.JSONDecodeError) as e:
        raise _syntax_error(e, kind, field, source) from None
    except RecursionError:
        raise _fail(field, "file-too-deep", source, limit=MAX_DEPTH) from None
    except (ValueError, TypeError, OverflowError) as e:   # e.g. a 5,000-digit number
        raise _fail(field, "file-syntax", source, kind=kind, detail=" ".join(str(e).split())[:200]) from None
    if not isinstance(value, dict):
        from .model import kind
        raise _fail(field, "not-mapping", source, got=Msg("got-nothing") if value is None else kind(value))
    return value


def with_profile(letter: dict, base: Path) -> tuple[dict, dict, Path]:
    """The profile a letter names (relative to ``base``): a local file, never a URL."""
    profile, profile_dir = {}, base
    ref = letter.get("profile")
    if ref is not None and ref != "":
        if not isinstance(ref, str):
            from .model import kind
            raise InputError([Problem("profile", "type", "error", (
                ("expected", Msg("type-path")), ("got", kind(ref))))])
        low = ref.strip().lower()
        if "://" in ref or low.startswith(("file:", "http:", "https:", "ftp:", "data:", "\\\\")):
            raise InputError([Problem("profile", "profile-unsafe", "error", (("value", ref),))])
        too_long = path_problem(ref, "profile")
        if too_long is not None:                      # before the file system is asked
            raise InputError([too_long])
        ppath = base / ref
        missing = InputError([Problem("profile", "profile-missing", "error", (("value", ref),))])
        try:
            if _stat.S_ISDIR(os.stat(ppath).st_mode):
                raise missing                         # a folder: no profile file there
        except FileNotFoundError:
            raise missing from None
        except (OSError, ValueError):
            pass                                      # read_profile names the reason
        ppath = _fenced_profile(ppath, base, ref)
        profile = read_profile(ppath)
        profile_dir = ppath.parent
    return letter, profile, profile_dir


def _fenced_profile(ppath: Path, base: Path, ref: str) -> Path:
    """The profile's real path, which must lie under the letter's folder, the office's folder
    (the nearest docgen.toml above the letter: ``../profiles/x.yaml`` from a sub-folder) or a
    ``[assets] allowed`` folder — never /etc/passwd through a ``../`` or a symlink."""
    from . import config
    from .assets import inside
    try:
        real = os.path.realpath(ppath)
    except (OSError, ValueError):
        return ppath                                  # read_profile names the reason
    roots = [os.path.realpath(base)]
    office = config.office_root(base)
    if office is not None:
        roots.append(os.path.realpath(office))
    if not inside(real, roots):
        folders, _ = config.asset_folders(base)
        roots += [os.path.realpath(f) for f in folders]
    if not inside(real, roots):
        raise InputError([Problem("profile", "profile-outside", "error", (("value", ref[:200]),))])
    return Path(real)


_PROFILES: dict[tuple, dict] = {}


def read_profile(path: Path) -> dict:
    """A profile file, parsed once per process while it is unchanged (a batch reads the same
    profile for every letter).  Returns a deep copy, so callers may change it."""
    try:
        st = os.stat(path)
        key = (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)
    except (OSError, ValueError):
        return read_mapping(path, field="profile")    # raises the read error naming the field
    if key not in _PROFILES:
        if len(_PROFILES) > 64:
            _PROFILES.clear()
        _PROFILES[key] = read_mapping(path, field="profile")
    return copy.deepcopy(_PROFILES[key])
