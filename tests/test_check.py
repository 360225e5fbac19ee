"""``policygen check``: the same review as the build, exact output, exit codes, writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build, copy_project
from mkdocs.exceptions import Abort
from policygen.doors.cli import main


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def edit(project: Path, old: str, new: str) -> None:
    source = project / "policy" / "do-not-sell.yaml"
    text = source.read_text("utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_default_policy_is_clean_and_nothing_is_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(project)
    assert main(["check", "--root", str(project)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "policygen check: 1 policy checked, 0 errors, 0 warnings\n"
    assert snapshot(project) == before


def test_problems_are_reported_at_their_line_and_fail(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(project, "[Section 4][privacy-policy:4]", "[Section 5][privacy-policy:5]")
    edit(project, 'last_reviewed: "2026-11-24"', 'last_reviewed: "2026-02-30"')
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert out == (
        'policy/do-not-sell.yaml:12:16: error: "2026-02-30" is not a valid date [date]\n'
        '    hint: write a real calendar date as YYYY-MM-DD, for example 2026-11-24\n'
    )
    edit(project, '"2026-02-30"', '"2026-11-24"')
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert out == (
        "policy/do-not-sell.yaml:9:10: error: version 1.0.0 is already released: bump it "
        "(at least patch: Section 3, bullet 2 was reworded) [version-released]\n"
        "    hint: set version: 1.0.1, then run 'policygen release'\n"
        "policy/do-not-sell.yaml:21:7: warning: Privacy Policy section 4 is declared but the "
        "text never refers to it [unused-section]\n"
        "    hint: link to it as [Section 4][privacy-policy:4] or remove the declaration\n"
        "policy/do-not-sell.yaml:103:19: error: section 5 of the Privacy Policy is referenced "
        "but not declared [undeclared-section]\n"
        '    hint: add \'- number: "5"\' under privacy_policy.sections (with its anchor if known)\n'
    )


def test_the_plugin_fails_the_build_with_the_same_problems_and_keeps_the_site(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = build(project)
    before = snapshot(site)
    edit(project, "language: en\n", "language: no\nlanguge: en\n")
    with pytest.raises(Abort):
        build(project)
    message = caplog.text
    assert "policy/do-not-sell.yaml:14:1: error: unknown key 'languge' [unknown-key]" in message
    assert "hint: did you mean 'language'?" in message
    assert "policy/do-not-sell.yaml:13:11: error: expected text, found false [wrong-type]" in message
    assert 'hint: YAML reads an unquoted no as true/false: write "no" in quotes' in message
    assert snapshot(site) == before


def test_warnings_fail_only_with_strict(project: Path) -> None:
    edit(project, "[Section 4][privacy-policy:4]", "Section 4")
    edit(project, "version: 1.0.0", "version: 1.0.1")
    assert main(["check", "--root", str(project)]) == 0
    assert main(["check", "--root", str(project), "--strict"]) == 1


def test_cannot_run_outside_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(tmp_path)]) == 2
    assert "has no policy/ and schema/ folders" in capsys.readouterr().err


def test_python_dash_m_policygen_works_the_same(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policygen", "check", "--root", str(project)],
        capture_output=True, text=True, check=False,
    )
    assert (result.returncode, result.stdout) == (0, "")
    assert "1 policy checked" in result.stderr


def test_a_warning_fails_a_strict_build_before_anything_is_written(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = build(project)
    before = snapshot(site)
    edit(project, "[Section 4][privacy-policy:4]", "Section 4")
    edit(project, "version: 1.0.0", "version: 1.0.1")
    with pytest.raises(Abort):
        build(project)
    assert "warning: Privacy Policy section 4 is declared but the text never refers to it" \
        in caplog.text
    assert snapshot(site) == before


def test_the_plugin_reads_the_same_folders_as_the_command_line(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = project / "mkdocs.yml"
    (project / "docs").mkdir()
    config.write_text(config.read_text("utf-8").replace("docs_dir: policy", "docs_dir: docs"),
                      "utf-8")
    with pytest.raises(Abort):
        build(project)
    assert "policygen: set 'docs_dir: policy' in mkdocs.yml" in caplog.text
