"""Shared fixtures: real builds of real projects in temporary folders."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)
FIXTURES = ROOT / "tests" / "fixtures"
REFERENCE = FIXTURES / "qualsights-do-not-sell-statement.txt"
PROJECT_PARTS = ("mkdocs.yml", "schema", "site-overrides", "policy")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Freshness depends on the date: tests fix it, so that they do not start failing in a year.
os.environ["POLICYGEN_TODAY"] = TODAY.isoformat()
# The content-addressed cache lives in a folder of this test session, never in the user's.
os.environ["POLICYGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="policygen-test-cache-")


def schema_properties(schema: Any, where: str = "") -> list[tuple[str, Any]]:
    """Every property schema in a JSON Schema, recursively, with where it is."""
    found: list[tuple[str, Any]] = []
    if isinstance(schema, dict):
        found += [(f"{where}/{name}", value) for name, value in schema.get("properties", {}).items()]
        for key, value in schema.items():
            found += schema_properties(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found += schema_properties(value, f"{where}/{index}")
    return found


def copy_project(
    destination: Path, extra_policies: tuple[Path, ...] = (), *, releases: bool = True
) -> Path:
    """A copy of this repository's site project (config, schemas, overrides, policies, and the
    release archive unless ``releases`` is false)."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy2(source, destination / part)
    if not releases:
        shutil.rmtree(destination / "policy" / "releases")
    for policy in extra_policies:
        shutil.copy2(policy, destination / "policy" / policy.name)
    return destination


def build(project: Path, site_dir: Path | None = None, *, strict: bool = True) -> Path:
    """Run a real ``mkdocs build --strict`` (or not strict) of ``project`` in this process."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site_dir = site_dir or project / "site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default site, built once for the whole test session."""
    project = copy_project(tmp_path_factory.mktemp("default") / "project")
    return build(project)
