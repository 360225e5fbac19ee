"""What the package itself ships for every site: the JSON Schemas, the core claim vocabulary, the
theme overrides, the templates of a new site."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

SCHEMAS = "schemas"
CORE_VOCABULARY = "claims/core.json"
OVERRIDES = "overrides"
TEMPLATES = "templates"


def data_path(relative: str) -> Path:
    """The shipped file or folder ``relative`` (inside ``policygen/data/``), on disk."""
    return Path(str(resources.files("policygen") / "data" / relative))


@functools.cache
def data_bytes(relative: str) -> bytes:
    """The bytes of a shipped file (read once: they change only with the package)."""
    return data_path(relative).read_bytes()

LANGUAGES = "languages/languages.json"
