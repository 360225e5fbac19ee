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
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


@cache
def code_version() -> str:
    """The digest of policygen's own code and of the libraries whose results are cached."""
    import importlib.metadata

    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in ("jsonschema", "PyYAML"):
        try:
            digest.update(importlib.metadata.version(library).encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()


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


def get(name: str) -> Any | None:
    """The cached JSON value under ``name``, or None."""
    folder = _folder()
    if folder is None:
        return None
    try:
        return json.loads((folder / name[:2] / name).read_bytes())
    except (OSError, ValueError):
        return None


def put(name: str, value: Any) -> None:
    folder = _folder()
    if folder is None:
        return
    target = folder / name[:2] / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream, ensure_ascii=False)
        os.replace(temporary, target)
    except OSError:
        return


def forget_folder() -> None:
    """Read ``POLICYGEN_CACHE_DIR`` again (tests change it)."""
    _folder.cache_clear()
