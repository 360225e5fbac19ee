"""The claim vocabulary: every claim name a policy may use, what it means, where it comes from,
and the DPV concept it is an instance of. The core names ship with policygen and mean the same on
every site; a site adds its own in ``schema/claims.json`` and may not redefine a core name."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from policygen.model.problems import Problem

VOCABULARY = "claims.json"
CONCEPT = re.compile(r"^dpv:[A-Z][A-Za-z0-9]*$")
NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


TYPES = ("boolean", "text", "list")


@dataclass(frozen=True)
class Meaning:
    type: str
    description: str
    concept: str | None
    source: str | None = None
    """The statute or regulation the claim comes from (core names have one)."""
    core: bool = False
    """A core name, shipped with policygen, rather than one of the site's own."""

    def accepts(self, value: object) -> bool:
        if self.type == "boolean":
            return isinstance(value, bool)
        return isinstance(value, tuple) if self.type == "list" else isinstance(value, str)


def parse_vocabulary(
    document: dict[str, Any], text: str, shown: str, *, core: Mapping[str, Meaning] | None = None,
) -> tuple[dict[str, Meaning], list[Problem]]:
    """The vocabulary in ``document`` (parsed from ``text``), and a located problem for every
    entry that is not a well-formed claim. Given the ``core`` vocabulary, ``document`` is a site's
    own, and a name of the core is refused there; without it, ``document`` is the core."""
    vocabulary: dict[str, Meaning] = {}
    problems: list[Problem] = []
    for name, entry in document.items():
        if name.startswith("$"):
            continue
        line, column = _position(text, name)
        if core is not None and name in core:
            problems.append(Problem(
                shown, line, column, "vocabulary",
                f"claim '{name}' is a core claim of policygen: its meaning is the same on every "
                "site, and a site cannot redefine it",
                f"remove '{name}' from this file and use the core claim as it is (see the format "
                "reference page), or give your own meaning a name of its own",
                f"$.{name}",
            ))
            continue

        def problem(message: str, hint: str, name: str = name, line: int = line,
                    column: int = column) -> Problem:
            return Problem(shown, line, column, "vocabulary", f"claim '{name}': {message}", hint,
                           f"$.{name}")

        if not NAME.match(name) or not isinstance(entry, dict):
            problems.append(problem("a claim is a lowercase_name mapped to an object",
                                    'write "name_in_words": {"type": ..., "description": ...}'))
            continue
        concept, description = entry.get("concept"), entry.get("description")
        kind, source = entry.get("type"), entry.get("source")
        if not isinstance(description, str) or not description:
            problems.append(problem("needs a description", "say what the claim means, in words "
                                    "a reader of any publisher's disclosure understands"))
        elif kind not in TYPES:
            problems.append(problem(f"type must be one of {', '.join(TYPES)}",
                                    'for a yes/no claim write "type": "boolean"'))
        elif concept is not None and not (isinstance(concept, str) and CONCEPT.match(concept)):
            problems.append(problem("concept must be a DPV term such as dpv:Consent",
                                    "leave the concept out when no DPV term fits"))
        elif source is not None and not isinstance(source, str):
            problems.append(problem("source must be text naming a statute or regulation",
                                    'for example "Cal. Civ. Code § 1798.120"'))
        else:
            vocabulary[name] = Meaning(kind, description, concept, source, core=core is None)
    return vocabulary, problems


def _position(text: str, name: str) -> tuple[int, int]:
    """Where the key ``name`` is written in the JSON text (1-based), or (0, 0)."""
    match = re.search(re.escape(json.dumps(name)) + r"\s*:", text)
    if match is None:
        return 0, 0
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1


def vocabulary_key(vocabulary: Mapping[str, Meaning]) -> str:
    """The vocabulary as one text, for the keys of results that depend on it."""
    return _vocabulary_key(tuple(sorted(vocabulary.items())))


@functools.lru_cache(maxsize=8)
def _vocabulary_key(meanings: tuple[tuple[str, Meaning], ...]) -> str:
    return json.dumps({name: asdict(meaning) for name, meaning in meanings}, ensure_ascii=False)
