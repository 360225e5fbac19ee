"""The claim vocabulary (``schema/claims.json``): every claim name a policy may use, what it
means, and the DPV concept it is an instance of."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from policygen.model.problems import Problem

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


def parse_vocabulary(
    document: dict[str, Any], text: str, shown: str,
) -> tuple[dict[str, Meaning], list[Problem]]:
    """The vocabulary in ``document`` (parsed from ``text``), and a located problem for every
    entry that is not a well-formed claim."""
    vocabulary: dict[str, Meaning] = {}
    problems: list[Problem] = []
    for name, entry in document.items():
        if name.startswith("$"):
            continue
        line, column = _position(text, name)

        def problem(message: str, hint: str, name: str = name, line: int = line,
                    column: int = column) -> Problem:
            return Problem(shown, line, column, "vocabulary", f"claim '{name}': {message}", hint,
                           f"$.{name}")

        if not _NAME.match(name) or not isinstance(entry, dict):
            problems.append(problem("a claim is a lowercase_name mapped to an object",
                                    'write "name_in_words": {"type": ..., "description": ...}'))
            continue
        concept, description = entry.get("concept"), entry.get("description")
        kind = entry.get("type")
        if not isinstance(description, str) or not description:
            problems.append(problem("needs a description", "say what the claim means, in words "
                                    "a reader of any publisher's disclosure understands"))
        elif kind not in TYPES:
            problems.append(problem(f"type must be one of {', '.join(TYPES)}",
                                    'for a yes/no claim write "type": "boolean"'))
        elif concept is not None and not (isinstance(concept, str) and _CONCEPT.match(concept)):
            problems.append(problem("concept must be a DPV term such as dpv:Consent",
                                    "leave the concept out when no DPV term fits"))
        else:
            vocabulary[name] = Meaning(kind, description, concept)
    return vocabulary, problems


def _position(text: str, name: str) -> tuple[int, int]:
    """Where the key ``name`` is written in the JSON text (1-based), or (0, 0)."""
    match = re.search(re.escape(json.dumps(name)) + r"\s*:", text)
    if match is None:
        return 0, 0
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
