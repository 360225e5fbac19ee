"""The content-addressed cache: found again only for the very same bytes, never stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project
from policygen.source import cache

PROBE = (
    "import sys; from policygen.doors.cli import main; code = main(['check', '--root', sys.argv[1]]); "
    "print(code, 'jsonschema' in sys.modules)"
)


def check(project: Path, cache: Path | str) -> tuple[str, str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(project)], capture_output=True, text=True, check=False,
        env={**os.environ, "POLICYGEN_CACHE_DIR": str(cache)},
    )
    return result.stdout.strip().splitlines()[-1], result.stdout


def test_a_second_check_of_the_same_bytes_needs_no_validator(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    assert check(project, cache)[0] == "0 True"
    assert check(project, cache)[0] == "0 False"
    assert any(cache.rglob("*"))


def test_any_changed_byte_is_checked_again(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    assert check(project, cache)[0] == "0 True"
    vocabulary_file = project / "schema" / "claims.json"
    vocabulary = json.loads(vocabulary_file.read_text("utf-8"))
    vocabulary["sale_exceptions"]["type"] = "boolean"
    vocabulary_file.write_text(json.dumps(vocabulary), "utf-8")
    last, output = check(project, cache)
    assert last.startswith("1 ")
    assert "the claim 'sale_exceptions' must be true or false" in output
    source = project / "policy" / "do-not-sell.yaml"
    source.write_text(source.read_text("utf-8").replace("language: en", "language: no"), "utf-8")
    assert check(project, cache)[0] == "1 True"


def test_the_cache_can_be_turned_off(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert check(project, "off")[0] == "0 True"
    assert check(project, "off")[0] == "0 True"


def test_a_broken_cache_is_not_used_and_breaks_nothing(tmp_path: Path) -> None:
    """A cache database that is not one (a disk error, a stray file) is left alone: the check
    runs as with no cache."""
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    assert check(project, cache)[0] == "0 True"
    assert check(project, cache)[0] == "0 True"
    assert (cache / "cache.sqlite3").read_bytes() == b"this is not a database" * 100


def test_code_version_reads_the_package_files_only(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's lock file (a link to nowhere, named like a module) is not policygen's code."""
    package = tmp_path / "policygen"
    (package / "doors" / "__pycache__").mkdir(parents=True)
    (package / "data" / "schemas").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "doors" / "plugin.py").write_text("")
    (package / "doors" / "notes.txt").write_text("")
    (package / "doors" / "__pycache__" / "plugin.cpython-311.pyc").write_bytes(b"")
    (package / "data" / "schemas" / "policy.schema.json").write_text("{}")
    (package / "doors" / ".#plugin.py").symlink_to("root@host.1:1")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    assert cache._code_files() == ["__init__.py", "data/schemas/policy.schema.json",
                                   "doors/plugin.py"]
