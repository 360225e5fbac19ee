"""Where teams already work: editors, pre-commit, GitHub, new policies, several policies."""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, TODAY, build, copy_project, schema_properties
from policygen.doors.cli import main
from policygen.plan.review import review_project
from policygen.source.html_reader import read_page
from policygen.source.project import Project

BIN = Path(sys.executable).parent




def test_vs_code_knows_the_source_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    (schema, patterns), = settings["yaml.schemas"].items()
    assert (ROOT / schema).resolve() == (ROOT / "schema" / "policy.schema.json").resolve()
    assert any(fnmatch.fnmatch("policy/do-not-sell.yaml", pattern) for pattern in patterns)
    source = json.loads((ROOT / "schema" / "policy.schema.json").read_text("utf-8"))
    fields = schema_properties(source)
    assert [where for where, field in fields if not field.get("description")] == []
    assert [where for where, field in fields if "$ref" not in field
            and not field.get("examples") and not field.get("enum")] == []


def test_the_pre_commit_hook_definitions_are_valid() -> None:
    for command, file in (("validate-manifest", ".pre-commit-hooks.yaml"),
                          ("validate-config", ".pre-commit-config.yaml")):
        result = subprocess.run([str(BIN / "pre-commit"), command, str(ROOT / file)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert (hook["id"], hook["entry"], hook["pass_filenames"]) == (
        "policygen-check", "policygen check", False,
    )
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    ids = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert ids == ["policygen-check", "ruff"]


def git(folder: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(folder), *arguments], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def test_the_hook_runs_in_a_user_repository(tmp_path: Path) -> None:
    """What a user of this repository as a hook source gets, offline: pre-commit would install a
    ``language: python`` hook from the package registry, which tests must not need, so the user's
    repository runs the manifest's own hook (its entry, files and pass_filenames) as a local
    hook, with the policygen installed here."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    user = copy_project(tmp_path / "user")
    (user / ".pre-commit-config.yaml").write_text(yaml.safe_dump(
        {"repos": [{"repo": "local", "hooks": [{**hook, "language": "system"}]}]},
    ), "utf-8")
    git(user, "init", "-q")
    git(user, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    run = [str(BIN / "pre-commit"), "run", "policygen-check", "--all-files"]
    passed = subprocess.run(run, cwd=user, capture_output=True, text=True, env=env, timeout=900,
                            check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "policygen check" in passed.stdout and "Passed" in passed.stdout
    source = user / "policy" / "do-not-sell.yaml"
    source.write_text(source.read_text("utf-8").replace("language: en", "language: no"), "utf-8")
    git(user, "add", "-A")
    failed = subprocess.run(run, cwd=user, capture_output=True, text=True, env=env, timeout=900,
                            check=False)
    assert failed.returncode == 1
    assert "policy/do-not-sell.yaml:13:11: error: expected text, found false" in failed.stdout


def test_the_github_workflow_checks_builds_uploads_and_deploys() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "policy.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["check-and-build"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0  # the base revision must be there to compare
    commands = [step.get("run", "").strip().splitlines()[-1:] or [""] for step in steps]
    last = [lines[0] for lines in commands]
    check = 'policygen check --format github --base "$BASE_REVISION"'
    assert last.index(check) < last.index(
        "policygen check --format github --published"
    ) < last.index("policygen build")
    base = steps[last.index(check)]["env"]["BASE_REVISION"]
    assert "github.base_ref" in base and "github.event.before" in base
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert "actions/upload-artifact" in uses and "actions/upload-pages-artifact" in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_new_policy_in_one_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "project")
    assert main(["new", "cookie-notice", "--title", "QualSights Cookie Notice",
                 "--root", str(project)]) == 0
    created = (project / "policy" / "cookie-notice.yaml").read_text("utf-8")
    assert created.startswith("# yaml-language-server: $schema=../schema/policy.schema.json\n")
    assert "  name: \"QualSights\"" in created
    assert main(["check", "--root", str(project)]) == 0
    assert "version 0.1.0 is not released yet" in capsys.readouterr().out
    assert main(["release", "-f", str(project / "mkdocs.yml"), "cookie-notice"]) == 0
    site = build(project)
    page = read_page((site / "cookie-notice" / "index.html").read_text("utf-8"))
    assert page.by_id("no-sale").text == "QualSights does not sell personal information."  # type: ignore[union-attr]
    capsys.readouterr()

    before = created
    assert main(["new", "cookie-notice", "--title", "Again", "--root", str(project)]) == 2
    assert "policy/cookie-notice.yaml already exists" in capsys.readouterr().err
    assert (project / "policy" / "cookie-notice.yaml").read_text("utf-8") == before
    for bad in ("Cookie_Notice", "cookie--notice", "cookie-", "x" * 65):
        assert main(["new", bad, "--title", "X", "--root", str(project)]) == 2
        assert "is not a valid policy id" in capsys.readouterr().err
    empty = copy_project(tmp_path / "empty", releases=False)
    (empty / "policy" / "do-not-sell.yaml").unlink()
    assert main(["new", "first", "--title", "First", "--root", str(empty)]) == 2
    assert "give --publisher, --url, --contact" in capsys.readouterr().err
    assert main(["new", "first", "--title", "First", "--root", str(empty), "--publisher", "Acme",
                 "--url", "http://acme.example/", "--contact", "privacy@acme.example"]) == 2
    assert "nothing written" in capsys.readouterr().err
    assert list((empty / "policy").glob("*.yaml")) == []


def test_several_policies_make_one_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", (FIXTURES / "policies" / "data-retention.yaml",))
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    site = build(project)
    index = read_page((site / "index.html").read_text("utf-8"))
    article_links = [e.attributes["href"] for e in index.links() if "article" in e.inside]
    assert "data-retention/" in article_links and "do-not-sell/" in article_links
    nav = [e.text for e in index.elements if e.tag == "a" and "md-nav__link" in e.classes]
    assert "Example Co. Data Retention Notice" in nav
    assert "QualSights “Do Not Sell” Policy Statement" in nav
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    for page in ("data-retention/", "do-not-sell/", "data-retention/history/"):
        assert f"<loc>https://policies.qualsights.com/{page}</loc>" in sitemap
    catalog = json.loads((site / "disclosures" / "index.json").read_text("utf-8"))
    assert [entry["id"] for entry in catalog["policies"]] == ["data-retention", "do-not-sell"]


def test_a_retired_policy_stays_published(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = project / "policy" / "do-not-sell.yaml"
    source.write_text(source.read_text("utf-8").replace(
        "language: en\n",
        'language: en\nretired:\n  date: "2027-06-30"\n  note: Replaced by the Privacy Choices '
        "Statement.\n",
    ), "utf-8")
    review = review_project(Project.at(project), TODAY)
    assert review.problems == ()
    site = build(project)
    page = read_page((site / "do-not-sell" / "index.html").read_text("utf-8"))
    (note,) = [e for e in page.elements if "policy-retired" in e.classes]
    assert note.text == ("This policy was retired on 2027-06-30 and no longer applies. Replaced by "
                         "the Privacy Choices Statement. It is kept here as it was last published.")
    assert (site / "disclosures" / "do-not-sell" / "1.0.0.json").read_bytes() == (
        ROOT / "policy" / "releases" / "do-not-sell" / "1.0.0.json"
    ).read_bytes()
    catalog = json.loads((site / "disclosures" / "index.json").read_text("utf-8"))
    assert catalog["policies"][0]["retired"] == "2027-06-30"
    # Long after retirement, no review is due; deleting the file instead fails.
    assert main(["check", "--root", str(project), "--today", "2030-01-01"]) == 0
    source.unlink()
    assert main(["check", "--root", str(project)]) == 1


def test_this_site_offers_its_editors_what_every_new_site_gets() -> None:
    """The editors' schema association of this repository is the one `policygen init` writes."""
    from policygen.source.package_data import data_path

    template = data_path("templates/site/dot-vscode")
    for name in ("settings.json", "extensions.json"):
        assert (ROOT / ".vscode" / name).read_bytes() == (template / name).read_bytes(), name


def test_a_weekly_workflow_checks_the_links_where_they_live() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "links.yml").read_text("utf-8"))
    triggers = workflow[True]
    assert "workflow_dispatch" in triggers and triggers["schedule"][0]["cron"].split()[4] == "1"
    commands = [step.get("run", "") for step in workflow["jobs"]["links"]["steps"]]
    assert "policygen links --format github" in commands
