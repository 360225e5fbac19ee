"""A content-addressed cache of work whose result depends only on its inputs' bytes: schema
validation results and the rendering of released versions. A result is found again only when
every input (and policygen's own code) is byte for byte the same, so it is never stale; nothing
is skipped that was not already done on exactly these bytes.

It lives outside the project (``$POLICYGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/policygen``, else
``~/.cache/policygen``), in one SQLite database: ``check`` still writes nothing to the project.
``POLICYGEN_CACHE_DIR=off`` turns it off. A cache that cannot be written is simply not used.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os
import sqlite3
import sys
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parents[1]


LIBRARIES = (
    "jsonschema", "jsonschema_specifications", "referencing", "yaml",
    # What jsonschema's format checks use when they are installed (uri, email, date, ...):
    "rfc3986_validator", "rfc3987", "rfc3987_syntax", "rfc3339_validator", "fqdn", "idna",
    "webcolors", "jsonpointer", "uri_template", "isoduration",
)
"""Every library whose behaviour a cached result depends on, installed or not."""


@cache
def code_version() -> str:
    """The digest of everything besides the inputs that a cached result depends on: policygen's
    own code and data (the schemas and vocabulary it ships), the Python that runs it, whether
    PyYAML runs on libyaml, and which release of each
    library in ``LIBRARIES`` is installed (or that it is not)."""
    digest = hashlib.sha256()
    for name in _code_files():
        with open(_PACKAGE / name, "rb") as code:
            digest.update(name.encode() + b"\0" + code.read() + b"\0")
    digest.update(sys.version.encode() + b"\0" + sys.executable.encode() + b"\0")
    digest.update(b"libyaml" if importlib.util.find_spec("yaml._yaml") else b"pure-yaml")
    for library in LIBRARIES:
        digest.update(f"\0{library}={_installed(library)}".encode())
    return digest.hexdigest()


def _code_files() -> list[str]:
    """policygen's modules and every file of its data, by POSIX path inside the package."""
    found: list[str] = []
    for folder, folders, files in os.walk(_PACKAGE):
        folders[:] = [name for name in folders if name != "__pycache__"]
        inside = Path(folder).relative_to(_PACKAGE).as_posix()
        data = inside.split("/", 1)[0] == "data"
        found += [name if inside == "." else f"{inside}/{name}" for name in files
                  if (data or name.endswith(".py")) and os.path.isfile(os.path.join(folder, name))]
    return sorted(found)


def _installed(module: str) -> str:
    """Which release of a library is installed, without importing it (importing jsonschema is
    what the cache saves; importlib.metadata alone costs more than a cache lookup)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "-"
    origin = Path(spec.origin)
    folder = origin.parent.parent if origin.name == "__init__.py" else origin.parent
    distribution = "pyyaml" if module == "yaml" else module.replace("_", "-")
    releases = sorted(
        name for name in _listed(str(folder)) if name.endswith(".dist-info")
        and name.removesuffix(".dist-info").rpartition("-")[0].lower().replace("_", "-")
        == distribution
    )
    return releases[-1] if releases else f"{origin}:{origin.stat().st_mtime_ns}"


def _listed(folder: str) -> list[str]:
    """The names in ``folder`` (each folder listed once: every library may be found there)."""
    if folder not in _LISTINGS:
        try:
            _LISTINGS[folder] = os.listdir(folder)
        except OSError:
            _LISTINGS[folder] = []
    return _LISTINGS[folder]


_LISTINGS: dict[str, list[str]] = {}


def key(kind: str, *parts: bytes | str) -> str:
    digest = hashlib.sha256(kind.encode() + b"\0" + code_version().encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@cache
def _folder() -> Path | None:
    chosen = os.environ.get("POLICYGEN_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policygen"


DATABASE = "cache.sqlite3"
"""One SQLite database: entries are rows, so that a first run over a large archive writes one
file, not thousands (making a file costs far more than writing a row on some disks)."""

_REMEMBERED: dict[str, Any] = {}
"""Every value this process has read or written: a live preview asks again on every save.
Values are shared, never changed: callers build their own objects from them."""
_PENDING: dict[str, str] = {}
"""Values put since the last ``flush``, as JSON."""
_CONNECTIONS: dict[tuple[Path, int], sqlite3.Connection | None] = {}


def _database(folder: Path) -> sqlite3.Connection | None:
    """This process's connection to the cache in ``folder`` (None if it cannot be used)."""
    place = (folder, os.getpid())  # a forked process opens its own
    if place not in _CONNECTIONS:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(folder / DATABASE, timeout=30, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("CREATE TABLE IF NOT EXISTS entries "
                               "(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
            _CONNECTIONS[place] = connection
        except (OSError, sqlite3.Error):
            _CONNECTIONS[place] = None
    return _CONNECTIONS[place]


def get(name: str) -> Any | None:
    """The cached JSON value under ``name``, or None."""
    folder = _folder()
    if folder is None:
        return None
    if name in _REMEMBERED:
        return _REMEMBERED[name]
    database = _database(folder)
    if database is None:
        return None
    try:
        row = database.execute("SELECT value FROM entries WHERE name = ?", (name,)).fetchone()
        value = json.loads(row[0]) if row is not None else None
    except (sqlite3.Error, ValueError):
        return None
    if value is not None:
        _REMEMBERED[name] = value
    return value


def put(name: str, value: Any, *, remember: bool = True) -> None:
    """Store ``value`` under ``name`` (written by the next ``flush``, or when the process ends).
    ``remember=False`` leaves it out of this process's memory (a value it will not ask for
    again)."""
    if _folder() is None:
        return
    if remember:
        _REMEMBERED[name] = value
    _PENDING[name] = json.dumps(value, ensure_ascii=False)


def taken() -> dict[str, str]:
    """What was put since the last ``flush``, no longer pending here (a helper process hands it
    to the process that forked it, which ``keep``s it)."""
    entries = dict(_PENDING)
    _PENDING.clear()
    return entries


def keep(entries: dict[str, str]) -> None:
    """Entries ``taken`` in another process, written by the next ``flush``."""
    if _folder() is not None:
        _PENDING.update(entries)


@atexit.register
def flush() -> None:
    """Write what was put since the last flush, in one transaction: all of it or none."""
    folder = _folder()
    if not _PENDING or folder is None:
        return
    database = _database(folder)
    entries = list(_PENDING.items())
    _PENDING.clear()
    if database is None:
        return
    try:
        with database:
            database.execute("BEGIN")
            database.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", entries)
    except sqlite3.Error:
        return
