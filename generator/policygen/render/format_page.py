"""The disclosure format for people: a reference page generated from the published schemas and
the claim vocabulary, so that it cannot drift from them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from policygen.model import urls
from policygen.render.markdown import escape, front_matter
from policygen.source.vocabulary import Meaning


def _fields(
    schema: Mapping[str, Any], root: Mapping[str, Any], prefix: str = "",
) -> list[tuple[str, Mapping[str, Any]]]:
    """Every documented field of a schema, depth first, as (dotted path, field schema)."""
    found: list[tuple[str, Mapping[str, Any]]] = []
    for name, field in schema.get("properties", {}).items():
        field = _resolve(field, root)
        path = f"{prefix}{name}"
        found.append((path, field))
        found += _fields(field, root, path + ".")
        items = field.get("items")
        if isinstance(items, dict):
            found += _fields(_resolve(items, root), root, path + "[].")
        extra = field.get("additionalProperties")
        if isinstance(extra, dict):
            found += _fields(_resolve(extra, root), root, path + ".NAME.")
    return found


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    reference = schema.get("$ref", "")
    if reference.startswith("#/$defs/"):
        resolved: Mapping[str, Any] = root["$defs"][reference.removeprefix("#/$defs/")]
        return resolved
    return schema


def _kind(field: Mapping[str, Any]) -> str:
    kinds = field.get("type") or [option.get("type") for option in field.get("oneOf", [])]
    names = [kinds] if isinstance(kinds, str) else [str(kind) for kind in kinds if kind]
    return " or ".join(names) or "any"


def _field_table(schema: Mapping[str, Any]) -> str:
    rows = ["| Field | Type | Meaning |", "| --- | --- | --- |"]
    for path, field in _fields(schema, schema):
        examples = field.get("examples", [])
        example = json.dumps(examples[0], ensure_ascii=False) if examples else ""
        if len(example) > 120 or "`" in example:
            example = ""
        required = "" if path.split(".")[-1] in _required_names(schema, path) else " (optional)"
        rows.append(
            f"| `{path}` | {escape(_kind(field))}{required} "
            f"| {escape(field.get('description', ''))}"
            + (f" Example: `{example}`" if example else "") + " |"
        )
    return "\n".join(rows) + "\n"


def _required_names(schema: Mapping[str, Any], path: str) -> set[str]:
    """The required keys of the object that holds the field at ``path``."""
    holder: Mapping[str, Any] = schema
    for part in path.split(".")[:-1]:
        if part == "NAME":
            holder = _resolve(holder.get("additionalProperties", {}), schema)
            continue
        name = part.removesuffix("[]")
        holder = _resolve(holder.get("properties", {}).get(name, {}), schema)
        if part.endswith("[]"):
            holder = _resolve(holder.get("items", {}), schema)
    return set(holder.get("required", []))


def _claim_rows(vocabulary: Mapping[str, Meaning], *, with_source: bool) -> str:
    return "".join(
        f"| `{name}` | {meaning.type} | {f'`{meaning.concept}`' if meaning.concept else '—'} "
        f"| {escape(meaning.description)} |"
        + (f" {escape(meaning.source or '—')} |" if with_source else "") + "\n"
        for name, meaning in sorted(vocabulary.items())
    )


def format_reference(
    disclosure_schema: Mapping[str, Any], catalog_schema: Mapping[str, Any],
    vocabulary: Mapping[str, Meaning],
) -> str:
    """The Markdown of ``/schema/disclosure/``: the disclosure format for people, generated from
    the published schemas and the claim vocabulary, so it cannot drift from them."""
    source = urls.FORMAT_PAGE
    core = {name: meaning for name, meaning in vocabulary.items() if meaning.core}
    site = {name: meaning for name, meaning in vocabulary.items() if not meaning.core}
    return (
        front_matter(title="Disclosure format")
        + "\n# The disclosure format, version 1\n\n"
        + escape(str(disclosure_schema.get("description", ""))) + "\n\n"
        + f"- JSON Schema (Draft 2020-12): [{urls.DISCLOSURE_SCHEMA_PATH}]"
          f"({urls.relative_link(source, urls.DISCLOSURE_SCHEMA_PATH)})\n"
        + f"- JSON-LD context: [{urls.CONTEXT_PATH}]({urls.relative_link(source, urls.CONTEXT_PATH)})\n"
        + f"- Catalog of every version: [{urls.CATALOG_PATH}]"
          f"({urls.relative_link(source, urls.CATALOG_PATH)}), schema "
          f"[{urls.CATALOG_SCHEMA_PATH}]({urls.relative_link(source, urls.CATALOG_SCHEMA_PATH)})\n\n"
        + "## Fields\n\n" + _field_table(disclosure_schema)
        + "\n## Core claims\n\n"
        + "The claim names of policygen's core vocabulary: they mean the same on every site that "
          "publishes with policygen, so that tools can compare publishers. Each comes from the "
          "statute or regulation named, and is an instance of the "
          "[W3C Data Privacy Vocabulary](https://w3id.org/dpv) concept given, where one fits. "
          f"As JSON: [{urls.CORE_VOCABULARY_PATH}]"
          f"({urls.relative_link(source, urls.CORE_VOCABULARY_PATH)}).\n\n"
        + "| Claim | Type | DPV concept | Meaning | Source |\n| --- | --- | --- | --- | --- |\n"
        + _claim_rows(core, with_source=True)
        + "\n## Claims of this site\n\n"
        + ("The names this site adds to the core vocabulary, with their meaning. As JSON: "
           f"[{urls.SITE_VOCABULARY_PATH}]({urls.relative_link(source, urls.SITE_VOCABULARY_PATH)})."
           "\n\n| Claim | Type | DPV concept | Meaning |\n| --- | --- | --- | --- |\n"
           + _claim_rows(site, with_source=False) if site else
           "This site uses the core claims only.\n")
        + "\n## Catalog fields\n\n" + _field_table(catalog_schema)
    )
