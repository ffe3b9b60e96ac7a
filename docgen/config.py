"""Where the office's register lives: one documented lookup, never an implicit default.

The first of these that names a register wins (most explicit first):

1. ``--db URL`` on the command line (or ``docgen.Register(url)`` / ``register=`` in the API);
2. ``$DOCGEN_DATABASE_URL``;
3. the agency profile's ``register:`` key (a URL, or ``{url: …, schema: …}``); a relative
   SQLite path is relative to the profile's folder, so every letter that names the
   profile reaches the same register from any working folder;
4. ``docgen.toml`` in the working folder or the nearest folder above it;
5. ``docgen.toml`` in the user's config folder (``$XDG_CONFIG_HOME/docgen/`` or
   ``~/.config/docgen/``).

``docgen.toml``::

    [register]
    url = "sqlite:///registers/opdc.db"   # relative to this file's folder
    schema = "docgen"                     # PostgreSQL only: docgen's tables live in this schema
    timeout = 30                          # seconds to wait for a locked register

Nothing found is an error that says where docgen looked.  Finding a location never
creates a register there: only ``docgen register init`` does.

The same files may hold an ``[assets] allowed`` list: folders images may come from besides
the letter's or the profile's own (``asset_folders``; the fence is ``docgen/assets.py``).
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MessageError

CONFIG_NAME = "docgen.toml"
ENV_URL = "DOCGEN_DATABASE_URL"
ENV_SCHEMA = "DOCGEN_DATABASE_SCHEMA"
_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class ConfigError(MessageError):
    """A configuration file or value docgen cannot use; ``str()`` is "Thai — English"."""


@dataclass(frozen=True)
class RegisterLocation:
    """A register's URL as docgen will open it, and where that URL came from."""
    url: str                          # SQLite paths made absolute
    source: str                       # "--db", "$DOCGEN_DATABASE_URL", "profile …", "/x/docgen.toml"
    schema: str | None = None         # PostgreSQL schema for docgen's tables
    timeout: float | None = None
    looked: tuple[str, ...] = field(default=(), compare=False)


def user_config_dir(env=None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "docgen"


def config_files(cwd: Path | None = None, env=None) -> list[Path]:
    """The docgen.toml candidates in lookup order: working folder upwards, then the user's."""
    here = Path(cwd or Path.cwd()).resolve()
    found = [d / CONFIG_NAME for d in (here, *here.parents)]
    found.append(user_config_dir(env) / CONFIG_NAME)
    return found


def office_root(start: Path) -> Path | None:
    """The office's folder: where the nearest docgen.toml above ``start`` lies (None if none)."""
    here = Path(start).resolve()
    for d in (here, *here.parents):
        if (d / CONFIG_NAME).is_file():
            return d
    return None


def absolute_sqlite(url: str, base: Path) -> str:
    """``sqlite:///rel.db`` made absolute against ``base``; other URLs unchanged.

    >>> absolute_sqlite("sqlite:///reg.db", Path("/srv/office"))
    'sqlite:////srv/office/reg.db'
    >>> absolute_sqlite("sqlite:////var/reg.db", Path("/srv"))
    'sqlite:////var/reg.db'
    >>> absolute_sqlite("postgresql://u@h/db", Path("/srv"))
    'postgresql://u@h/db'
    """
    text = url.strip()
    if not text.startswith("sqlite:///"):
        return text
    path, sep, query = text[len("sqlite:///"):].partition("?")
    if not path or path == ":memory:":
        return text
    return "sqlite:///" + str((base / path) if not Path(path).is_absolute() else Path(path)) + sep + query


def _schema(value, where: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _SCHEMA_NAME.fullmatch(value):
        raise ConfigError("config-schema", where=where, value=str(value)[:80])
    return value


def _timeout(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 3600:
        raise ConfigError("config-timeout", where=where, value=str(value)[:80])
    return float(value)


def _url(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError("config-url", where=where, value=str(value)[:200])
    return value.strip()


def _load_toml(path: Path) -> dict:
    """A docgen.toml as data, or ConfigError naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("config-syntax", path=str(path), detail=str(e)[:200]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError("config-unreadable", path=str(path), detail=str(e)[:200]) from None


def read_config(path: Path) -> dict:
    """The ``[register]`` table of a docgen.toml (empty when it has none)."""
    data = _load_toml(path)
    section = data.get("register", {})
    if not isinstance(section, dict):
        raise ConfigError("config-url", where=f"{path} [register]", value=str(section)[:200])
    unknown = sorted(set(section) - {"url", "schema", "timeout"})
    if unknown:
        raise ConfigError("config-key", where=f"{path} [register]", key=", ".join(unknown))
    return section


def from_profile(value, profile_dir: Path, where: str) -> tuple[str, str | None]:
    """(url, schema) of a profile's ``register:`` value (a URL or ``{url, schema}``)."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"url", "schema"})
        if unknown:
            raise ConfigError("config-key", where=where, key=", ".join(map(str, unknown)))
        return (absolute_sqlite(_url(value.get("url"), where), profile_dir),
                _schema(value.get("schema"), where))
    return absolute_sqlite(_url(value, where), profile_dir), None


def locate_register(db: str | None = None, profile: dict | None = None,
                    profile_dir: Path | None = None, cwd: Path | None = None,
                    env=None) -> RegisterLocation:
    """The register to use (see the module doc for the order); ConfigError when none is set."""
    env = os.environ if env is None else env
    cwd = Path(cwd or Path.cwd())
    env_schema = _schema(env.get(ENV_SCHEMA), f"${ENV_SCHEMA}")
    looked = ["--db", f"${ENV_URL}"]
    if db is not None:                 # --db "" is a mistake, never "not given"
        return RegisterLocation(absolute_sqlite(_url(db, "--db"), cwd), "--db", env_schema)
    if env.get(ENV_URL):
        return RegisterLocation(absolute_sqlite(env[ENV_URL], cwd), f"${ENV_URL}", env_schema)
    if profile is not None:
        where = f"profile register: ({profile_dir})" if profile_dir else "profile register:"
        looked.append(where)
        if profile.get("register") is not None:
            url, schema = from_profile(profile["register"], Path(profile_dir or cwd), where)
            return RegisterLocation(url, where, schema or env_schema)
    for path in config_files(cwd, env):
        looked.append(str(path))
        if path.is_file():
            section = read_config(path)
            if "url" not in section:
                continue
            where = str(path)
            return RegisterLocation(absolute_sqlite(_url(section["url"], where), path.parent), where,
                                    _schema(section.get("schema"), where) or env_schema,
                                    _timeout(section.get("timeout"), where), tuple(looked))
    raise ConfigError("register-unconfigured", looked="; ".join(looked), name=CONFIG_NAME)


# ---- [assets]: folders images may come from (docgen/assets.py) -----------------------------
#
#     [assets]
#     allowed = ["/srv/office/images", "images"]   # relative to this file's folder
#
# Besides the folder of the file that names an image (the letter's, or the profile's), an
# image may come from these folders only.  The nearest docgen.toml with an [assets] table
# wins (working folder upwards, then the user's), as for [register].

def asset_folders(cwd: Path | None = None, env=None) -> tuple[tuple[Path, ...], str | None]:
    """``(folders, where)``: the ``[assets] allowed`` folders of the nearest docgen.toml
    that has an ``[assets]`` table, absolute (not resolved), and that file's path; ``((),
    None)`` when no docgen.toml has one.  ConfigError for a value docgen cannot use."""
    for path in config_files(cwd, env):
        if not path.is_file():
            continue
        data = _load_toml(path)
        if "assets" not in data:
            continue
        where = f"{path} [assets]"
        section = data["assets"]
        if not isinstance(section, dict):
            raise ConfigError("config-assets", where=where, value=str(section)[:200])
        unknown = sorted(set(section) - {"allowed"})
        if unknown:
            raise ConfigError("config-assets-key", where=where, key=", ".join(unknown))
        allowed = section.get("allowed", [])
        if not isinstance(allowed, list) or not all(isinstance(a, str) and a.strip() and "\x00" not in a
                                                    for a in allowed):
            raise ConfigError("config-assets", where=where, value=str(allowed)[:200])
        return tuple(path.parent / a.strip() for a in allowed), str(path)
    return (), None
