"""The schemas policygen ships: valid Draft 2020-12, and every property explained for editors'
hover help; the site's editors read an identical copy of the source schema."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, schema_properties
from jsonschema import Draft202012Validator
from policygen.source.package_data import data_path

SCHEMAS = ("policy.schema.json", "disclosure.schema.json", "catalog.schema.json")


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((data_path("schemas") / name).read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_property_has_a_description(name: str) -> None:
    schema = json.loads((data_path("schemas") / name).read_text("utf-8"))
    found = list(schema_properties(schema))
    assert len(found) > 10
    missing = [where for where, value in found if not value.get("description")]
    assert missing == []


def test_the_policy_names_its_schema_on_its_first_line() -> None:
    for source in sorted((ROOT / "policy").glob("*.yaml")):
        first = source.read_text("utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/policy.schema.json"


def test_the_editors_copy_of_the_source_schema_is_the_shipped_one() -> None:
    shipped = (data_path("schemas") / "policy.schema.json").read_bytes()
    assert (ROOT / "schema" / "policy.schema.json").read_bytes() == shipped
