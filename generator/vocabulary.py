"""The claim vocabulary (``schema/claims.json``): every claim name a policy may use, what it
means, and the DPV concept it is an instance of."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.problems import CannotRun
from generator.schema_check import load_schema

VOCABULARY = "claims.json"
_CONCEPT = re.compile(r"^dpv:[A-Z][A-Za-z0-9]*$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


TYPES = ("boolean", "text", "list")


@dataclass(frozen=True)
class Meaning:
    type: str
    description: str
    concept: str | None

    def accepts(self, value: object) -> bool:
        if self.type == "boolean":
            return isinstance(value, bool)
        return isinstance(value, tuple) if self.type == "list" else isinstance(value, str)


def load_vocabulary(schema_dir: Path) -> dict[str, Meaning]:
    """The vocabulary, checked: a malformed one stops everything (exit 2), it is not legal's to fix."""
    document = load_schema(schema_dir, VOCABULARY)
    vocabulary: dict[str, Meaning] = {}
    for name, entry in document.items():
        if name.startswith("$"):
            continue
        where = f"{schema_dir / VOCABULARY}: claim '{name}'"
        if not _NAME.match(name) or not isinstance(entry, dict):
            raise CannotRun(f"{where}: a claim is a lowercase_name mapped to an object")
        concept, description = entry.get("concept"), entry.get("description")
        kind = entry.get("type")
        if not isinstance(description, str) or not description:
            raise CannotRun(f"{where} needs a description")
        if kind not in TYPES:
            raise CannotRun(f"{where}: type must be one of {', '.join(TYPES)}")
        if concept is not None and not (isinstance(concept, str) and _CONCEPT.match(concept)):
            raise CannotRun(f"{where}: concept must be a DPV term such as dpv:Consent")
        vocabulary[name] = Meaning(kind, description, concept)
    return vocabulary
