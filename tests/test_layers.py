"""The package shows the pipeline as folders, and a folder only imports the folders below it."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator" / "policygen"
LAYERS = ("model", "source", "rules", "render", "plan", "doors")
"""From the bottom up: what a policy is, reading it, what must hold, what is published, putting
it together, and the ways in (command line, MkDocs plugin)."""


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_every_module_sits_in_a_layer() -> None:
    folders = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()}
    assert folders == set(LAYERS)
    loose = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]


def test_no_layer_imports_one_above_it() -> None:
    wrong = []
    for rank, layer in enumerate(LAYERS):
        for path in sorted((PACKAGE / layer).glob("*.py")):
            for name in imported(path):
                parts = name.split(".")
                if parts[0] == "policygen" and len(parts) > 1 and parts[1] in LAYERS \
                        and LAYERS.index(parts[1]) > rank:
                    wrong.append(f"{layer}/{path.name} imports {name}")
    assert wrong == []


def test_nothing_named_generator_is_imported() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert not any(name.split(".")[0] == "generator" for name in imported(path)), path
