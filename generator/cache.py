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
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


@cache
def code_version() -> str:
    """The digest of policygen's own code and of the libraries whose results are cached."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(_installed("jsonschema").encode() + _installed("yaml").encode())
    return digest.hexdigest()


def _installed(module: str) -> str:
    """Which release of a library is installed, without importing it (importing jsonschema is
    what the cache saves; importlib.metadata alone costs more than a cache lookup)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "-"
    origin = Path(spec.origin)
    releases = sorted(origin.parent.parent.glob(f"{module}-*.dist-info"))
    if module == "yaml":
        releases = sorted(origin.parent.parent.glob("[Pp]y[Yy][Aa][Mm][Ll]-*.dist-info"))
    return releases[-1].name if releases else str(origin.stat().st_mtime_ns)


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
