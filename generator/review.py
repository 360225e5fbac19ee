"""Reviewing a project's policy sources: the one pipeline that ``check``, ``build`` and the
MkDocs plugin all run (load → source schema → rules → model)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.archive import Archive, load_archive
from generator.policy import Policy, policy_from_data
from generator.problems import Problem
from generator.project import Project
from generator.release_rules import freshness_problems, release_problems
from generator.rules import rule_problems
from generator.schema_check import SOURCE_SCHEMA, load_schema, schema_problems
from generator.source import parse_source
from generator.vocabulary import load_vocabulary


@dataclass(frozen=True)
class Review:
    """The policies that are sound, and every problem found in the sources."""

    policies: tuple[Policy, ...]
    problems: tuple[Problem, ...]
    archive: Archive = field(default_factory=lambda: Archive({}))
    drafts: tuple[Policy, ...] = ()
    """Policies whose text is sound enough to show in a preview, whatever their release state."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.is_error)


def review_project(project: Project, today: dt.date) -> Review:
    """Load and check every policy source of ``project`` and its release archive, as of ``today``."""
    archive, problems = load_archive(project.policy_dir, project.display(project.policy_dir))
    if not project.policy_dir.is_dir():
        return Review((), (Problem(
            project.display(project.policy_dir), 0, 0, "no-policies",
            "the policy folder does not exist", "create it and put one YAML file per policy in it",
        ),), archive)
    files = project.source_files()
    if not files:
        problems.append(Problem(
            project.display(project.policy_dir), 0, 0, "no-policies",
            "there is no policy source (*.yaml) in the policy folder",
            "add one: policy/ID.yaml, starting from an existing policy",
        ))
    schema = load_schema(project.schema_dir, SOURCE_SCHEMA)
    vocabulary = load_vocabulary(project.schema_dir)
    policies: list[Policy] = []
    drafts: list[Policy] = []
    for path in files:
        file = project.display(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            problems.append(Problem(file, 0, 0, "unreadable",
                                    f"cannot read the file: {error.strerror}",
                                    "check that the file exists and may be read"))
            continue
        source, found = parse_source(raw, file)
        problems.extend(found)
        if source is None:
            continue
        found = schema_problems(source, schema, raw)
        problems.extend(found)
        if found:
            continue
        policy = policy_from_data(source.data, file)
        found = rule_problems(source, policy, path.stem, vocabulary)
        if not any(problem.is_error for problem in found):
            drafts.append(policy)
        found += [
            *release_problems(source, policy, archive.of(policy.id)),
            *freshness_problems(source, policy, today),
        ]
        problems.extend(found)
        if not any(problem.is_error for problem in found):
            policies.append(policy)
    stems = {path.stem for path in files}
    for policy_id in sorted(set(archive.releases) - stems):
        problems.append(Problem(
            f"{project.display(project.policy_dir)}/{policy_id}.yaml", 0, 0, "policy-removed",
            f"the policy '{policy_id}' has released versions but its source is gone",
            "released URLs must keep working: restore the source from version control, and "
            "mark it 'retired:' if it no longer applies",
        ))
    return Review(tuple(policies), tuple(sorted(problems)), archive, tuple(drafts))
