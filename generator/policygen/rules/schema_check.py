"""Checking a source against the policy source schema, with each error at its YAML position."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from policygen.model.problems import Problem
from policygen.source import cache
from policygen.source.loader import Source

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_YAML_11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}
_TYPE_NAMES = {
    "string": "text", "boolean": "true or false", "object": "a mapping of keys",
    "array": "a list", "integer": "a whole number", "number": "a number", "null": "nothing",
}


_VALIDATORS: dict[str, Any] = {}


def validator_for(schema: dict[str, Any]) -> Any:
    """A Draft 2020-12 validator with format checking, made once per schema content."""
    name = fingerprint(schema)
    if name not in _VALIDATORS:
        from jsonschema import Draft202012Validator

        _VALIDATORS[name] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
    return _VALIDATORS[name]


def fingerprint(schema: dict[str, Any]) -> str:
    """A digest of a schema's content, for cache keys."""
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()


def schema_problems(source: Source, schema: dict[str, Any], raw: bytes) -> list[Problem]:
    """Every way ``source`` (read from the bytes ``raw``) breaks ``schema``, each located in the
    YAML. The result is cached by content: the same bytes against the same schema give it again
    without loading jsonschema at all."""
    name = cache.key("source-schema", raw, source.file, fingerprint(schema))
    known = cache.get(name)
    if known is not None:
        return [Problem(**problem) for problem in known]
    validator = validator_for(schema)
    errors = [error for found in validator.iter_errors(source.data) for error in _explaining(found)]
    # A value that breaks both its format and its pattern is one problem, told by the format.
    errors.sort(key=lambda error: error.validator != "format")
    chosen: dict[tuple[int, int, str], Problem] = {}
    for error in errors:
        problem = _problem(source, error)
        chosen.setdefault((problem.line, problem.column, problem.rule), problem)
    problems = sorted(chosen.values())
    cache.put(name, [asdict(problem) for problem in problems])
    return problems


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _expected(types: Any) -> str:
    """``["boolean", ["string", "null"]]`` → ``true or false, text or nothing``."""
    names: list[str] = []
    for kind in [types] if isinstance(types, str) else types:
        names.extend([kind] if isinstance(kind, str) else kind)
    words = [_TYPE_NAMES.get(name, name) for name in dict.fromkeys(names)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _explaining(error: ValidationError) -> list[ValidationError]:
    """The errors that explain ``error``: for a failed oneOf, those of the branch that was meant.

    The branch meant is the one whose shape the value has: the fewest errors about the value's
    own keys and type (a statement with a bad id is a statement, not a broken bullet list).
    When every branch fails only on the value's type, the oneOf error itself says it best.
    """
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [error]
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(int(sub.schema_path[0]), []).append(sub)
    if all(sub.validator == "type" and not sub.path for sub in error.context):
        return [error]

    def shape_errors(errors: list[ValidationError]) -> tuple[int, int]:
        shallow = sum(
            not sub.path and sub.validator in ("type", "required", "additionalProperties")
            for sub in errors
        )
        return shallow, len(errors)

    meant = min(branches.values(), key=shape_errors)
    return [explained for sub in meant for explained in _explaining(sub)]


_FORMAT_NAMES = {"uri": "address (URL)", "email": "e-mail address", "date": "date"}
_RULES_BY_KEYWORD = {
    "required": "required-key", "dependentRequired": "required-key",
    "additionalProperties": "unknown-key", "type": "wrong-type", "oneOf": "wrong-type",
    "minLength": "empty", "minItems": "empty", "minProperties": "empty",
}


def _problem(source: Source, error: ValidationError) -> Problem:
    path = tuple(error.absolute_path)
    instance: Any = error.instance
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    expected: Any = error.validator_value
    validator = str(error.validator)
    hint = str(schema.get("description", ""))
    rule = _RULES_BY_KEYWORD.get(validator) or str(schema.get("x-rule", "schema"))
    key: str | None = None
    if "propertyNames" in error.schema_path:
        # jsonschema reports a bad key name at its mapping: point at the key itself.
        key = str(instance)
        message = f"the name {_describe(key)} is not allowed here"
        rule = str(schema.get("x-rule", "schema"))
    elif validator == "required":
        missing = next(name for name in expected if name not in instance)
        message = f"missing required key '{missing}'"
        hint = schema.get("properties", {}).get(missing, {}).get("description", "") or hint
    elif validator == "dependentRequired":
        name, needed = next(
            (name, other) for name, others in expected.items()
            if name in instance for other in others if other not in instance
        )
        message = f"missing key '{needed}': a mapping with '{name}' needs one"
        hint = "a statement that makes claims needs an id: its anchor on the page"
    elif validator == "additionalProperties":
        known = list(schema.get("properties", {}))
        key = str(next(name for name in instance if name not in known))
        message = f"unknown key '{key}'"
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed here: " + ", ".join(known)
    elif validator in ("oneOf", "anyOf"):
        kinds = [sub.validator_value for sub in error.context or [] if sub.validator == "type"]
        message = f"expected {_expected(kinds)}, found {_describe(instance)}"
    elif validator == "type":
        message = f"expected {_expected(expected)}, found {_describe(instance)}"
        written = source.scalar_text(path)
        if "string" in expected and written is not None and written.lower() in _YAML_11_WORDS:
            hint = f'YAML reads an unquoted {written} as true/false: write "{written}" in quotes'
        elif "string" in expected and not isinstance(instance, (dict, list)) and written:
            hint = f'write the value in quotes: "{written}"'
    elif validator == "pattern":
        message = f"{_describe(instance)} is not in the expected form"
    elif validator == "format":
        message = f"{_describe(instance)} is not a valid {_FORMAT_NAMES.get(expected, expected)}"
        if expected == "date":
            hint = "write a real calendar date as YYYY-MM-DD, for example 2026-11-24"
    elif validator in ("minLength", "minItems", "minProperties"):
        message = "must not be empty"
    elif validator == "maxLength":
        message = f"is longer than {expected} characters"
    elif validator == "minimum":
        message = f"must be at least {expected}"
    else:
        message = error.message
    return source.problem(path, rule, message, hint, key=key)
