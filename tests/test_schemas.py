"""The two schemas: valid Draft 2020-12, and every property explained for editors' hover help."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, schema_properties
from jsonschema import Draft202012Validator

SCHEMAS = ("policy.schema.json", "disclosure.schema.json")


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((ROOT / "schema" / name).read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_property_has_a_description(name: str) -> None:
    schema = json.loads((ROOT / "schema" / name).read_text("utf-8"))
    found = list(schema_properties(schema))
    assert len(found) > 20
    missing = [where for where, value in found if not value.get("description")]
    assert missing == []


def test_the_policy_names_its_schema_on_its_first_line() -> None:
    for source in sorted((ROOT / "policy").glob("*.yaml")):
        first = source.read_text("utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/policy.schema.json"
