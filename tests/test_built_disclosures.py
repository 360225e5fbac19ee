"""The published JSON: valid against the published schema, listed in the catalog with digests."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, build, copy_project
from jsonschema import Draft202012Validator
from policygen.doors.cli import main

SITE_URL = "https://policies.qualsights.com/"


def load(site: Path, path: str) -> dict[str, object]:
    document: dict[str, object] = json.loads((site / path).read_text(encoding="utf-8"))
    return document


def published_validator(site: Path) -> Draft202012Validator:
    schema = load(site, "schema/disclosure/v1.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_published_schemas_carry_their_own_url_as_id(built_site: Path) -> None:
    for path in ("schema/disclosure/v1.json", "schema/policy/v1.json"):
        schema = load(built_site, path)
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == SITE_URL + path


@pytest.mark.parametrize("path", ["disclosures/do-not-sell.json",
                                  "disclosures/do-not-sell/1.0.0.json"])
def test_disclosure_validates_against_the_published_schema(built_site: Path, path: str) -> None:
    document = load(built_site, path)
    published_validator(built_site).validate(document)
    assert document["$schema"] == SITE_URL + "schema/disclosure/v1.json"


def test_disclosure_carries_what_the_design_lists(built_site: Path) -> None:
    document = load(built_site, "disclosures/do-not-sell.json")
    assert {key: document[key] for key in (
        "format_version", "id", "version", "effective_date", "last_reviewed", "review_due",
        "language", "page_url", "version_page_url", "disclosure_url",
    )} == {
        "format_version": "1.0", "id": "do-not-sell", "version": "1.0.0",
        "effective_date": "2026-11-24", "last_reviewed": "2026-11-24", "review_due": "2027-11-24",
        "language": "en", "page_url": SITE_URL + "do-not-sell/",
        "version_page_url": SITE_URL + "do-not-sell/1.0.0/",
        "disclosure_url": SITE_URL + "disclosures/do-not-sell/1.0.0.json",
    }
    assert document["publisher"] == {
        "name": "QualSights", "url": "https://www.qualsights.com/",
        "contact": "mailto:privacy@qualsights.com",
    }
    assert document["privacy_policy"] == {
        "url": "https://www.qualsights.com/privacy-policy/",
        "sections": [{"number": "4", "url": "https://www.qualsights.com/privacy-policy/"}],
    }
    claims = document["claims"]
    assert isinstance(claims, dict)
    assert {name: claim["value"] for name, claim in claims.items()} == {
        "sells_personal_data": False,
        "sale_exceptions": [
            "contractually defined sharing of information among our research participants"
            " and customers"
        ],
        "controls_customer_collected_personal_data": False,
        "customer_collected_personal_data_purposes": ["fulfill the relevant customer agreement(s)"],
        "sells_customer_collected_personal_data": False,
        "sells_aggregated_customer_collected_personal_data": False,
        "controls_direct_engagement_personal_data": True,
        "direct_engagement_legal_basis": "express consent",
        "direct_engagement_participation_voluntary": True,
        "direct_engagement_data_recipients": ["our customers"],
        "direct_engagement_sharing_purposes": ["consumer market research activities"],
        "direct_engagement_recipients_contractually_bound": True,
        "consent_withdrawable_at_any_time": True,
        "consent_withdrawal_contact": "privacy@qualsights.com",
    }


def test_current_and_versioned_disclosures_are_the_same_bytes(built_site: Path) -> None:
    current = (built_site / "disclosures" / "do-not-sell.json").read_bytes()
    assert current == (built_site / "disclosures" / "do-not-sell" / "1.0.0.json").read_bytes()


def test_catalog_lists_every_version_with_matching_digests(built_site: Path) -> None:
    catalog = load(built_site, "disclosures/index.json")
    (entry,) = catalog["policies"]  # type: ignore[misc]
    assert entry["url"] == SITE_URL + "disclosures/do-not-sell.json"
    assert entry["current_version"] == "1.0.0"
    files = [(entry["url"], entry["sha256"])] + [
        (version["url"], version["sha256"]) for version in entry["versions"]
    ]
    assert [version["version"] for version in entry["versions"]] == ["1.0.0"]
    assert entry["versions"][0]["effective_date"] == "2026-11-24"
    for url, digest in files:
        content = (built_site / url.removeprefix(SITE_URL)).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest


def test_a_second_policy_gets_its_own_page_and_disclosure(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", (FIXTURES / "policies" / "data-retention.yaml",))
    assert main(["release", "-f", str(project / "mkdocs.yml"), "data-retention"]) == 0
    site = build(project)
    document = load(site, "disclosures/data-retention.json")
    published_validator(site).validate(document)
    assert document["version"] == "2.1.0"
    assert document["claims"]["retention_period"] == {  # type: ignore[index]
        "value": "24 months after your last sign-in",
        "concept": "dpv:StorageDuration",
        "statement": {
            "id": "retention-period",
            "url": SITE_URL + "data-retention/2.1.0/#retention-period",
            "text": "We keep account data for 24 months after your last sign-in, as set out in "
                    "section 7.2 of our Privacy Policy and our terms.",
        },
    }
    assert document["privacy_policy"]["sections"] == [  # type: ignore[index]
        {"number": "7.2", "url": "https://example.com/privacy/#retention"}
    ]
    html = (site / "data-retention" / "index.html").read_text("utf-8")
    assert 'href="https://example.com/privacy/#retention"' in html
    assert 'href="mailto:dpo@example.com"' in html
    catalog = load(site, "disclosures/index.json")
    assert [entry["id"] for entry in catalog["policies"]] == [  # type: ignore[attr-defined]
        "data-retention", "do-not-sell",
    ]
    index = (site / "index.html").read_text("utf-8")
    assert "Example Co. Data Retention Notice" in index and "do-not-sell/" in index


def _build_apart(project: Path, cache: str, today: str, epoch: str, zone: str) -> Path:
    """``mkdocs build --strict`` in a process of its own, with its own cache, day and clock."""
    env = {**os.environ, "POLICYGEN_CACHE_DIR": cache, "POLICYGEN_TODAY": today,
           "SOURCE_DATE_EPOCH": epoch, "TZ": zone, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-q"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """Another folder, day, clock, time zone and cache state: the same published bytes."""
    extra = (FIXTURES / "policies" / "data-retention.yaml",)
    one, two = copy_project(tmp_path / "one", extra), copy_project(tmp_path / "two", extra)
    for project in (one, two):
        assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    first = _build_apart(one, "off", "2026-11-25", "1800000000", "UTC")
    warm = str(tmp_path / "cache")
    _build_apart(two, warm, "2027-04-01", "1900000000", "Asia/Tokyo")
    second = _build_apart(two, warm, "2027-04-01", "1900000000", "Asia/Tokyo")
    published = sorted(
        path.relative_to(first) for path in first.rglob("*")
        if path.is_file() and (path.suffix == ".json" or path.name in (
            "index.html", "sitemap.xml", "feed.xml", "_headers"))
    )
    assert len(published) == 25  # schema/translation/v1.json among them
    for path in published:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path
