"""What a lawyer meets without an engineer: claims added by command, messages that agree, a
build that does not talk about pages nobody wrote."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from policygen.doors.cli import main
from policygen.source.project import Project
from policygen.source.project_files import read_project
from policygen.source.schemas import parse_schemas


def test_a_claim_is_added_without_editing_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(tmp_path / "project")
    vocabulary = project / "schema" / "claims.json"
    add = ["claim", "add", "--root", str(project)]
    assert main([*add, "uses_automated_decision_making", "--type", "boolean", "--meaning",
                 "Whether the publisher uses automated decision-making about consumers.",
                 "--concept", "dpv:AutomatedDecisionMaking"]) == 0
    entry = json.loads(vocabulary.read_text("utf-8"))["uses_automated_decision_making"]
    assert entry == {"type": "boolean", "concept": "dpv:AutomatedDecisionMaking",
                     "description": "Whether the publisher uses automated decision-making "
                                    "about consumers."}
    assert main(["check", "--root", str(project)]) == 0
    before = vocabulary.read_bytes()
    for arguments, said in (
        (["sells_personal_information", "--type", "boolean", "--meaning", "x"], "core claim"),
        (["uses_automated_decision_making", "--type", "text", "--meaning", "x"], "already in"),
        (["Bad-Name", "--type", "boolean", "--meaning", "x"], "not a claim name"),
        (["fine_name", "--type", "boolean", "--meaning", "x", "--concept", "Consent"],
         "not a DPV term"),
        (["fine_name", "--type", "boolean", "--meaning", "   "], "--meaning"),
    ):
        capsys.readouterr()
        assert main([*add, *arguments]) == 2
        assert said in capsys.readouterr().err
        assert vocabulary.read_bytes() == before  # nothing written
    vocabulary.write_text(vocabulary.read_text("utf-8").rstrip()[:-1] + ",\n}\n", "utf-8")
    assert main([*add, "another_claim", "--type", "boolean", "--meaning", "x"]) == 2
    assert "schema/claims.json:" in capsys.readouterr().err
    # The claim went to that project's file, and nowhere else in this process: a project whose
    # vocabulary is the one the claim was added to still has not got it.
    untouched, _ = parse_schemas(read_project(Project.at(copy_project(tmp_path / "other"))))
    assert untouched is not None
    assert "uses_automated_decision_making" not in untouched.vocabulary


def test_check_and_the_build_agree_when_all_that_is_left_is_a_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(tmp_path / "project", releases=False)
    assert main(["check", "--root", str(project)]) == 0
    said = capsys.readouterr().err
    assert "ready to release (1 new version not released yet): run 'policygen release'" in said
    assert "0 errors" not in said
    built = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"],
        cwd=project, capture_output=True, text=True, check=False,
    )
    assert built.returncode == 1
    assert "policygen: not published: ready to release (1 new version not released yet): run " \
           "'policygen release'" in built.stderr
    assert "0 errors" not in built.stderr


def test_the_build_does_not_list_generated_pages_as_missing_from_the_nav(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    built = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"],
        cwd=project, capture_output=True, text=True, check=False,
    )
    assert built.returncode == 0, built.stderr
    assert "not included in the" not in built.stderr


def test_the_policy_header_says_how_to_correct_the_text() -> None:
    header = (ROOT / "policy" / "do-not-sell.yaml").read_text("utf-8").splitlines()[:6]
    assert not any("do not correct" in line for line in header)
    assert any("To correct it: edit it here, set a new version and summary, release" in line
               for line in header)
