"""The schemas and claim vocabulary a review works with: the JSON Schemas and the core vocabulary
that policygen ships, and the site's own claim names (``schema/claims.json``), parsed from the
bytes read, with every syntax error located at its line and column."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from policygen.model.problems import Problem
from policygen.source.package_data import CORE_VOCABULARY, SCHEMAS, data_bytes
from policygen.source.project_files import EDITOR_SCHEMA, SITE_VOCABULARY, ProjectFiles
from policygen.source.vocabulary import Meaning, parse_vocabulary

SOURCE_SCHEMA = "policy.schema.json"
DISCLOSURE_SCHEMA = "disclosure.schema.json"
CATALOG_SCHEMA = "catalog.schema.json"
TRANSLATION_SCHEMA = "translation.schema.json"

_HINTS = {
    "Expecting property name enclosed in double quotes":
        "JSON allows no comma before } or ]: remove the trailing comma (or quote the name)",
    "Expecting ',' delimiter": "a comma is missing between two entries",
    "Expecting value": "a value is missing here (or there is a trailing comma before ])",
    "Extra data": "the file goes on after its closing }: remove what follows",
}


@dataclass(frozen=True)
class Schemas:
    """The source, disclosure, catalog and translation schemas and the claim vocabulary."""

    source: dict[str, Any]
    disclosure: dict[str, Any]
    catalog: dict[str, Any]
    vocabulary: dict[str, Meaning]
    translation: dict[str, Any]

    def by_name(self, name: str) -> dict[str, Any]:
        return {SOURCE_SCHEMA: self.source, DISCLOSURE_SCHEMA: self.disclosure,
                CATALOG_SCHEMA: self.catalog, TRANSLATION_SCHEMA: self.translation}[name]


@functools.cache
def shipped_schema(name: str) -> dict[str, Any]:
    """A JSON Schema that policygen ships (a broken one is policygen's bug: it raises)."""
    document, problem = parse_json_object(data_bytes(f"{SCHEMAS}/{name}"), name)
    if problem is not None or document is None:
        raise RuntimeError(f"policygen's own {name} is broken: {problem}")
    return document


@functools.cache
def core_vocabulary() -> dict[str, Meaning]:
    """The core claim names, the same on every site."""
    content = data_bytes(CORE_VOCABULARY)
    document, problem = parse_json_object(content, CORE_VOCABULARY)
    if document is None:
        raise RuntimeError(f"policygen's own core vocabulary is broken: {problem}")
    vocabulary, problems = parse_vocabulary(document, content.decode("utf-8"), CORE_VOCABULARY)
    if problems:
        raise RuntimeError(f"policygen's own core vocabulary is broken: {problems}")
    return vocabulary


def parse_schemas(files: ProjectFiles) -> tuple[Schemas | None, list[Problem]]:
    """The schemas of ``files``' project; None, with the problems that say why, when the site's
    vocabulary is unusable. An editor's copy of the source schema that differs from the one
    policygen ships is a warning: the editor would explain rules that no longer hold."""
    problems: list[Problem] = []
    core = core_vocabulary()
    site: dict[str, Meaning] = {}
    content = files.schemas.get(SITE_VOCABULARY)
    shown = f"{files.schema_display}/{SITE_VOCABULARY}"
    if any(problem.file == shown for problem in files.problems):
        return None, []  # it could not be read: reported with the files' problems
    if content is not None:
        document, problem = parse_json_object(content, shown)
        if problem is not None:
            problems.append(problem)
        elif document is not None:
            site, found = parse_vocabulary(document, content.decode("utf-8", "replace"), shown,
                                           core=core)
            problems += found
    editor_copy = files.schemas.get(EDITOR_SCHEMA)
    if editor_copy is not None and editor_copy != data_bytes(f"{SCHEMAS}/{SOURCE_SCHEMA}"):
        problems.append(Problem(
            f"{files.schema_display}/{EDITOR_SCHEMA}", 0, 0, "editor-schema",
            "this copy of the policy source schema, which editors use for completion and hover "
            "help, differs from the one this policygen checks against",
            "replace it: policygen schema > schema/policy.schema.json",
            severity="warning",
        ))
    if any(problem.is_error for problem in problems):
        return None, problems
    return Schemas(shipped_schema(SOURCE_SCHEMA), shipped_schema(DISCLOSURE_SCHEMA),
                   shipped_schema(CATALOG_SCHEMA), {**core, **site},
                   shipped_schema(TRANSLATION_SCHEMA)), problems


def parse_json_object(content: bytes, shown: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """A JSON object from ``content``, or the problem that says where and why it is not one."""
    try:
        document = json.loads(content.decode("utf-8"))  # the caller's own: it may change it
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

