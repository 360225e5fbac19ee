"""A content-addressed cache of work whose result depends only on its inputs' bytes: schema
validation results and the rendering of released versions. A result is found again only when
every input (and policygen's own code) is byte for byte the same, so it is never stale; nothing
is skipped that was not already done on exactly these bytes.

It lives outside the project (``$POLICYGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/policygen``, else
``~/.cache/policygen``): ``check`` still writes nothing to the project. ``POLICYGEN_CACHE_DIR=off``
turns it off. A cache that cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
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
    for path in sorted(found for found in _PACKAGE.rglob("*") if found.is_file()
                       and (found.suffix == ".py" or "data" in found.relative_to(_PACKAGE).parts)):
        name = path.relative_to(_PACKAGE).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(sys.version.encode() + b"\0" + sys.executable.encode() + b"\0")
    digest.update(b"libyaml" if importlib.util.find_spec("yaml._yaml") else b"pure-yaml")
    for library in LIBRARIES:
        digest.update(f"\0{library}={_installed(library)}".encode())
    return digest.hexdigest()


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
        found.name for found in folder.glob("*.dist-info")
        if found.name.removesuffix(".dist-info").rpartition("-")[0].lower().replace("_", "-")
        == distribution
    )
    return releases[-1] if releases else f"{origin}:{origin.stat().st_mtime_ns}"


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


_REMEMBERED: dict[str, Any] = {}
"""Every value this process has read or written: a live preview asks again on every save.
Values are shared, never changed: callers build their own objects from them."""
_MADE: set[Path] = set()


def get(name: str) -> Any | None:
    """The cached JSON value under ``name``, or None."""
    folder = _folder()
    if folder is None:
        return None
    if name in _REMEMBERED:
        return _REMEMBERED[name]
    try:
        value = json.loads((folder / name[:2] / name).read_bytes())
    except (OSError, ValueError):
        return None
    _REMEMBERED[name] = value
    return value


def put(name: str, value: Any, *, remember: bool = True) -> None:
    """Store ``value`` under ``name`` (written whole, then renamed into place: a reader never
    sees half of it). ``remember=False`` leaves it out of this process's memory (a value
    this process will not ask for again)."""
    folder = _folder()
    if folder is None:
        return
    if remember:
        _REMEMBERED[name] = value
    target = folder / name[:2] / name
    temporary = target.with_name(f".{name}.{os.getpid()}.tmp")
    try:
        if target.parent not in _MADE:
            target.parent.mkdir(parents=True, exist_ok=True)
            _MADE.add(target.parent)
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(value, ensure_ascii=False))
        os.replace(temporary, target)
    except OSError:
        return
