"""The core claim vocabulary: shipped, versioned, published on every site, the same everywhere;
a site extends it and may not redefine it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TODAY, build, copy_project
from policygen.doors.cli import main
from policygen.plan.review import review_project
from policygen.plan.site import plan_site
from policygen.source.html_reader import read_page
from policygen.source.package_data import data_path
from policygen.source.project import Project
from policygen.source.project_files import read_project

CORE = json.loads(data_path("claims/core.json").read_text("utf-8"))
CONTRACT = {
    "sells_personal_information": "boolean", "shares_personal_information": "boolean",
    "sold_or_shared_in_past_12_months": "boolean", "processes_for_targeted_advertising": "boolean",
    "sells_personal_information_of_consumers_under_16": "boolean",
    "honors_global_privacy_control": "boolean",
    "uses_sensitive_personal_information_beyond_permitted_purposes": "boolean",
    "offers_financial_incentive": "boolean", "opt_out_methods": "list",
    "accepts_authorized_agent_requests": "boolean",
}


def test_the_core_names_are_a_contract() -> None:
    assert CORE["$version"] == "1.0.0"
    names = {name: entry for name, entry in CORE.items() if not name.startswith("$")}
    for name, kind in CONTRACT.items():
        assert names[name]["type"] == kind, name
    for name, entry in names.items():
        assert entry["description"].endswith("."), name
        assert entry["source"], name
    assert names["sells_personal_information"]["source"].startswith("Cal. Civ. Code § 1798.140(ad)")
    assert names["shares_personal_information"]["source"].startswith("Cal. Civ. Code § 1798.140(ah)")


def test_every_site_publishes_the_core_byte_for_byte_and_its_own_names_apart(
    built_site: Path,
) -> None:
    assert (built_site / "schema/claims/core/v1.json").read_bytes() == \
        data_path("claims/core.json").read_bytes()
    site = json.loads((built_site / "schema/claims/site.json").read_text("utf-8"))
    assert "sells_personal_data" in site and "sells_personal_information" not in site
    page = read_page((built_site / "schema/disclosure/index.html").read_text("utf-8"))
    headings = [element.text for element in page.elements if element.tag == "h2"]
    assert headings.index("Core claims") < headings.index("Claims of this site")


def test_a_site_cannot_redefine_a_core_name(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    vocabulary_file = project / "schema" / "claims.json"
    vocabulary = json.loads(vocabulary_file.read_text("utf-8"))
    vocabulary["sells_personal_information"] = {"type": "text", "description": "Something else."}
    vocabulary_file.write_text(json.dumps(vocabulary, indent=2), "utf-8")
    problems = review_project(Project.at(project), TODAY).problems
    (problem,) = [p for p in problems if p.rule == "vocabulary"]
    assert (problem.file, problem.line > 0) == ("schema/claims.json", True)
    assert "core claim of policygen" in problem.message and "remove" in problem.hint


@pytest.mark.parametrize(("second", "expected"), [("true", 0), ("false", 1)])
def test_two_policies_may_state_the_same_gpc_stance(
    tmp_path: Path, second: str, expected: int,
) -> None:
    gpc = FIXTURES / "policies" / "gpc-notice.yaml"
    project = copy_project(tmp_path / "project", (gpc,))
    other = (gpc.read_text("utf-8").replace("id: gpc-notice", "id: gpc-policy")
             .replace('"2026-10-01"', '"2026-10-15"')
             .replace("honors_global_privacy_control: true",
                      f"honors_global_privacy_control: {second}"))
    if second == "false":
        other = other.replace("We treat", "We do not treat")
    (project / "policy" / "gpc-policy.yaml").write_text(other, "utf-8")
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == expected
    if expected == 0:
        resource = build(project) / ".well-known" / "gpc.json"
        assert json.loads(resource.read_text("utf-8")) == {"gpc": True, "lastUpdate": "2026-10-15"}
    else:
        review, _ = plan_site(read_project(Project.at(project)), "https://policies.example/", TODAY)
        rules = [p.rule for p in review.problems]
        assert rules.count("gpc-conflict") == 2


def test_the_repository_site_keeps_its_own_names() -> None:
    site = json.loads((ROOT / "schema" / "claims.json").read_text("utf-8"))
    assert len([name for name in site if not name.startswith("$")]) == 16
    assert not {name for name in site if not name.startswith("$")} & set(CORE)
