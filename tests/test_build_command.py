"""``policygen build``: the site as ``mkdocs build --strict`` builds it, or nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, copy_project
from policygen.doors.cli import main


def files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_build_gives_the_same_site_as_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path / "project")
    expected = files(build(copy_project(tmp_path / "reference")))
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    built = files(project / "site")
    assert built.keys() == expected.keys()
    for name in ("disclosures/do-not-sell.json", "disclosures/index.json",
                 "do-not-sell/index.html", "index.html", "sitemap.xml"):
        assert built[name] == expected[name], name
    assert sorted(path.name for path in project.iterdir() if path.name.startswith(".")) == []


def test_a_failed_build_leaves_the_previous_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    before = files(project / "site")
    source = project / "policy" / "do-not-sell.yaml"
    source.write_text(source.read_text("utf-8").replace("version: 1.0.0", "version: one"), "utf-8")
    assert main(["build"]) == 1
    assert "policygen: build failed; site left as it was\n" in capsys.readouterr().err
    assert files(project / "site") == before
    assert sorted(path.name for path in project.iterdir() if path.name.startswith(".")) == []


def test_missing_configuration_cannot_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 2
