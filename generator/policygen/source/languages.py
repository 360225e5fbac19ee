"""The languages policygen knows by name, and its own few words around a translated text."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from policygen.source.package_data import LANGUAGES, data_bytes

ENGLISH = "en"


@dataclass(frozen=True)
class Labels:
    """policygen's own words on a policy page, in ``language`` (English when it has none)."""

    language: str
    words: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.words[key]


@functools.cache
def _document() -> dict[str, dict[str, object]]:
    document: dict[str, dict[str, object]] = json.loads(data_bytes(LANGUAGES))
    return document


def _lookup(table: dict[str, object], tag: str) -> object | None:
    """The entry for ``tag`` or for its shorter forms (pt-BR, then pt)."""
    parts = tag.split("-")
    for length in range(len(parts), 0, -1):
        found = table.get("-".join(parts[:length]))
        if found is not None:
            return found
    return None


def language_name(tag: str) -> str:
    """The language's name in itself (Español for es), or the tag when policygen has none."""
    name = _lookup(_document()["names"], tag)
    if not isinstance(name, str):
        return tag
    region = tag.split("-", 1)[1] if "-" in tag and name == _document()["names"].get(
        tag.split("-")[0]) else None
    return f"{name} ({region})" if region else name


def labels(tag: str) -> Labels:
    found = _lookup(_document()["labels"], tag)
    if isinstance(found, dict):
        return Labels(tag, found)
    english = _document()["labels"][ENGLISH]
    assert isinstance(english, dict)
    return Labels(ENGLISH, english)
