"""The project's schemas and claim vocabulary, parsed from the bytes read, with every syntax
error located at its line and column (these are engineers' files, but a trailing comma is still
an everyday mistake)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from policygen.model.problems import Problem
from policygen.source.project_files import ProjectFiles
from policygen.source.vocabulary import VOCABULARY, Meaning, parse_vocabulary

SOURCE_SCHEMA = "policy.schema.json"
DISCLOSURE_SCHEMA = "disclosure.schema.json"
CATALOG_SCHEMA = "catalog.schema.json"

_HINTS = {
    "Expecting property name enclosed in double quotes":
        "JSON allows no comma before } or ]: remove the trailing comma (or quote the name)",
    "Expecting ',' delimiter": "a comma is missing between two entries",
    "Expecting value": "a value is missing here (or there is a trailing comma before ])",
    "Extra data": "the file goes on after its closing }: remove what follows",
}


@dataclass(frozen=True)
class Schemas:
    """The source, disclosure and catalog schemas and the claim vocabulary of a project."""

    source: dict[str, Any]
    disclosure: dict[str, Any]
    catalog: dict[str, Any]
    vocabulary: dict[str, Meaning]

    def by_name(self, name: str) -> dict[str, Any]:
        return {SOURCE_SCHEMA: self.source, DISCLOSURE_SCHEMA: self.disclosure,
                CATALOG_SCHEMA: self.catalog}[name]


def parse_schemas(files: ProjectFiles) -> tuple[Schemas | None, list[Problem]]:
    """The schemas of ``files``; None, with the problems that say why, when one is unusable."""
    problems: list[Problem] = []
    documents: dict[str, dict[str, Any]] = {}
    for name, content in files.schemas.items():
        shown = f"{files.schema_display}/{name}"
        document, problem = parse_json_object(content, shown)
        if problem is not None:
            problems.append(problem)
        else:
            assert document is not None
            documents[name] = document
    vocabulary: dict[str, Meaning] = {}
    if VOCABULARY in documents:
        vocabulary, found = parse_vocabulary(
            documents[VOCABULARY], files.schemas[VOCABULARY].decode("utf-8", "replace"),
            f"{files.schema_display}/{VOCABULARY}",
        )
        problems += found
    needed = (SOURCE_SCHEMA, DISCLOSURE_SCHEMA, CATALOG_SCHEMA, VOCABULARY)
    if problems or any(name not in documents for name in needed):
        return None, problems
    return Schemas(documents[SOURCE_SCHEMA], documents[DISCLOSURE_SCHEMA],
                   documents[CATALOG_SCHEMA], vocabulary), problems


def parse_json_object(content: bytes, shown: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """A JSON object from ``content``, or the problem that says where and why it is not one."""
    try:
        document = _parsed(content)
    except UnicodeDecodeError as error:
        return None, Problem(shown, 0, 0, "not-utf8", f"the file is not valid UTF-8 ({error.reason})",
                             "save the file as UTF-8")
    except json.JSONDecodeError as error:
        return None, Problem(
            shown, error.lineno, error.colno, "json-syntax", f"not valid JSON: {error.msg}",
            _HINTS.get(error.msg, "fix the JSON syntax here"),
        )
    if not isinstance(document, dict):
        return None, Problem(shown, 1, 1, "json-syntax", "the file must hold one JSON object",
                             "start the file with { and end it with }")
    return document, None


@functools.lru_cache(maxsize=64)
def _parsed(content: bytes) -> Any:
    """Parsed once per content (the live preview reads the same schemas on every save)."""
    return json.loads(content.decode("utf-8"))
