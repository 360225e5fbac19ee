"""A translation: one version of a policy in another language, with the original's structure.

A translation carries text only. Its claims, publisher, dates and links are those of the version
of the original it translates, which keeps the disclosure one and language-neutral.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from policygen.model.policy import Policy, Section, policy_from_data

TRANSLATION_STEM = re.compile(r"^(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<language>[A-Za-z0-9-]+)$")
"""The file name of a translation, without .yaml: ``ID.LANG`` (``do-not-sell.es``)."""


def translation_stem(stem: str) -> tuple[str, str] | None:
    """(policy id, language) when a source file's stem names a translation, else None."""
    match = TRANSLATION_STEM.match(stem)
    return (match["id"], match["language"]) if match else None


@dataclass(frozen=True)
class Translation:
    """The text of one version of a policy in one other language."""

    source_file: str
    policy_id: str
    translates: str
    """The version of the original that this text renders."""
    language: str
    title: str
    sections: tuple[Section, ...]
    fingerprint: str = field(default="", compare=False)
    source_sha256: str = field(default="", compare=False)
    """The SHA-256 of the source file's bytes (as released, once released)."""

    def rendering(self, original: Policy) -> Policy:
        """The policy as this translation publishes it: the original's version, dates,
        publisher and links, with this text (and no claims: they are the original's)."""
        return replace(original, source_file=self.source_file, title=self.title,
                       language=self.language, sections=self.sections,
                       fingerprint=self.fingerprint)


def translation_from_data(
    data: dict[str, Any], source_file: str, raw: bytes = b"",
) -> Translation:
    """Build the model from translation data that has passed the translation schema (``raw``:
    the bytes it was read from)."""
    shaped = policy_from_data({
        "id": data["translation_of"], "title": data["title"], "version": data["translates"],
        "summary": "", "effective_date": "", "last_reviewed": "", "language": data["language"],
        "publisher": {"name": "", "url": "", "contact": ""}, "sections": data["sections"],
    }, source_file)
    content = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return Translation(
        source_file=source_file, policy_id=data["translation_of"],
        translates=data["translates"], language=data["language"], title=data["title"],
        sections=shaped.sections, fingerprint=hashlib.sha256(content).hexdigest(),
        source_sha256=hashlib.sha256(raw).hexdigest(),
    )
