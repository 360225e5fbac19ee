"""The three output formats, exactly; and what makes ``check`` exit 0, 1 or 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import copy_project
from policygen.doors.cli import main
from policygen.model.problems import Problem
from policygen.model.report import as_github, as_json, as_text

PROBLEMS = [
    Problem("policy/a.yaml", 12, 11, "wrong-type", "expected text, found false",
            'YAML reads an unquoted no as true/false: write "no" in quotes', "$.language"),
    Problem("policy/a,b.yaml", 3, 1, "unused-section", "100% sure: line one\r\nline two",
            "", "$.x", "warning"),
    Problem("policy/c.yaml", 0, 0, "file-too-large", "too big", "smaller, please"),
]


def test_text_format() -> None:
    assert as_text(PROBLEMS) == (
        "policy/a.yaml:12:11: error: expected text, found false [wrong-type]\n"
        '    hint: YAML reads an unquoted no as true/false: write "no" in quotes\n'
        "policy/a,b.yaml:3:1: warning: 100% sure: line one\\r\\nline two [unused-section]\n"
        "policy/c.yaml: error: too big [file-too-large]\n"
        "    hint: smaller, please"
    )


def test_github_format_escapes_data_and_properties() -> None:
    assert as_github(PROBLEMS) == (
        "::error file=policy/a.yaml,line=12,col=11,title=wrong-type::expected text, found false"
        '%0AYAML reads an unquoted no as true/false: write "no" in quotes\n'
        "::warning file=policy/a%2Cb.yaml,line=3,col=1,title=unused-section::"
        "100%25 sure: line one%0D%0Aline two\n"
        "::error file=policy/c.yaml,title=file-too-large::too big%0Asmaller, please"
    )


def test_json_format() -> None:
    assert json.loads(as_json(PROBLEMS))[0] == {
        "file": "policy/a.yaml", "line": 12, "column": 11, "rule": "wrong-type",
        "message": "expected text, found false",
        "hint": 'YAML reads an unquoted no as true/false: write "no" in quotes',
        "path": "$.language", "severity": "error",
    }
    assert [entry["severity"] for entry in json.loads(as_json(PROBLEMS))] == [
        "error", "warning", "error",
    ]


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = copy_project(tmp_path / "project")
    source = project / "policy" / "do-not-sell.yaml"
    source.write_text(source.read_text("utf-8").replace("language: en", "language: no"), "utf-8")
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return project


def test_check_json_output(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [{
        "file": "policy/do-not-sell.yaml", "line": 13, "column": 11, "rule": "wrong-type",
        "message": "expected text, found false",
        "hint": 'YAML reads an unquoted no as true/false: write "no" in quotes',
        "path": "$.language", "severity": "error",
    }]
    assert captured.err == ""


def test_check_chooses_github_format_on_github_actions(
    broken: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    # Annotations first (GitHub shows only ten per step), then the full plain list.
    assert out == [
        "::error file=policy/do-not-sell.yaml,line=13,col=11,title=wrong-type::"
        'expected text, found false%0AYAML reads an unquoted no as true/false: write "no" in quotes',
        "policy/do-not-sell.yaml:13:11: error: expected text, found false [wrong-type]",
        '    hint: YAML reads an unquoted no as true/false: write "no" in quotes',
    ]


@pytest.mark.parametrize(("damage", "expected"), [
    ("not json", "schema/claims.json:1:2: error: not valid JSON: Expecting property name "
                 "enclosed in double quotes [json-syntax]"),
    ("not an object", "schema/claims.json:1:1: error: the file must hold one JSON object "
                      "[json-syntax]"),
    ("dangling link", "schema/claims.json: error: cannot read the file: it is a link to "
                      "nowhere.json, which does not exist [unreadable]"),
])
def test_a_broken_schema_is_a_located_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, expected: str,
) -> None:
    project = copy_project(tmp_path / "project")
    schema = project / "schema" / "claims.json"
    schema.unlink()
    if damage == "dangling link":
        schema.symlink_to("nowhere.json")
    else:
        schema.write_text("{" if damage == "not json" else "[]", "utf-8")
    assert main(["check", "--root", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == expected


def test_a_trailing_comma_in_the_vocabulary_is_located_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(tmp_path / "project")
    vocabulary = project / "schema" / "claims.json"
    text = vocabulary.read_text("utf-8")
    last = text.rstrip().rindex("}", 0, len(text.rstrip()) - 1)
    vocabulary.write_text(text[:last + 1] + ",\n}\n", "utf-8")
    line = text[:last + 1].count("\n") + 2
    assert main(["check", "--root", str(project)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"schema/claims.json:{line}:1: error: not valid JSON: Expecting property name enclosed "
        "in double quotes [json-syntax]",
        "    hint: JSON allows no comma before } or ]: remove the trailing comma (or quote the name)",
    ]


def test_an_unreadable_or_dangling_policy_source_is_a_located_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(tmp_path / "project")
    (project / "policy" / "gone.yaml").symlink_to("nowhere.yaml")
    assert main(["check", "--root", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "policy/gone.yaml: error: cannot read the file: it is a link to nowhere.yaml, which does "
        "not exist [unreadable]"
    )
