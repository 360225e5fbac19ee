"""Reviewing a project's policy sources: the one pipeline that ``check``, ``build`` and the
MkDocs plugin all run (load → source schema → rules → model)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.policy import Policy, policy_from_data
from generator.problems import Problem
from generator.rules import rule_problems
from generator.schema_check import SOURCE_SCHEMA, load_schema, schema_problems
from generator.source import load_source

SOURCE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Project:
    """Where a policy site's sources live."""

    root: Path
    policy_dir: Path
    schema_dir: Path

    @classmethod
    def at(cls, root: Path, policy_dir: Path | None = None) -> Project:
        root = root.resolve()
        return cls(root, (policy_dir or root / "policy").resolve(), root / "schema")

    def display(self, path: Path) -> str:
        """A path as reported: relative to the project root (as editors and GitHub expect)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def source_files(self) -> list[Path]:
        return sorted(
            path for path in self.policy_dir.iterdir()
            if path.is_file() and path.suffix in SOURCE_SUFFIXES
        )


@dataclass(frozen=True)
class Review:
    """The policies that are sound, and every problem found in the sources."""

    policies: tuple[Policy, ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if not problem.is_error)


def review_project(project: Project) -> Review:
    """Load and check every policy source of ``project``."""
    if not project.policy_dir.is_dir():
        return Review((), (Problem(
            project.display(project.policy_dir), 0, 0, "no-policies",
            "the policy folder does not exist", "create it and put one YAML file per policy in it",
        ),))
    files = project.source_files()
    if not files:
        return Review((), (Problem(
            project.display(project.policy_dir), 0, 0, "no-policies",
            "there is no policy source (*.yaml) in the policy folder",
            "add one: policy/ID.yaml, starting from an existing policy",
        ),))
    schema = load_schema(project.schema_dir, SOURCE_SCHEMA)
    policies: list[Policy] = []
    problems: list[Problem] = []
    for path in files:
        file = project.display(path)
        source, found = load_source(path, file)
        problems.extend(found)
        if source is None:
            continue
        found = schema_problems(source, schema)
        problems.extend(found)
        if found:
            continue
        policy = policy_from_data(source.data, file)
        found = rule_problems(source, policy, expected_id=path.stem)
        problems.extend(found)
        if not any(problem.is_error for problem in found):
            policies.append(policy)
    return Review(tuple(policies), tuple(sorted(problems)))
