"""Reviewing a project's policy sources: the one pipeline that ``check``, ``build``, ``release``
and the MkDocs plugin all run (read → source schema → rules → model → releases)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from policygen.model.policy import Policy, policy_from_data
from policygen.model.problems import Problem
from policygen.model.translation import Translation
from policygen.plan.release_integrity import archive_problems, unchanged_release_problems
from policygen.plan.translation_review import review_translations
from policygen.rules.policy_rules import rule_problems
from policygen.rules.release_rules import freshness_problems, release_problems
from policygen.rules.schema_check import schema_problems
from policygen.source.archive import Archive, load_archive
from policygen.source.loader import parse_source
from policygen.source.project import Project
from policygen.source.project_files import ProjectFiles, read_project
from policygen.source.schemas import Schemas, parse_schemas


@dataclass(frozen=True)
class Review:
    """The policies that are sound, and every problem found in the sources."""

    policies: tuple[Policy, ...]
    problems: tuple[Problem, ...]
    archive: Archive = field(default_factory=lambda: Archive({}))
    drafts: tuple[Policy, ...] = ()
    """Policies whose text is sound enough to show in a preview, whatever their release state."""
    schemas: Schemas | None = None
    translations: tuple[Translation, ...] = ()
    """Translations that are sound: published and released with their originals."""
    translation_drafts: tuple[Translation, ...] = ()
    """Translations whose text matches their original, whatever their state (for a preview)."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.is_error)


def review_project(project: Project, today: dt.date, base: str | None = None) -> Review:
    """Read and review ``project`` as of ``today`` (see ``review``)."""
    return review(read_project(project, base), today)


def review(files: ProjectFiles, today: dt.date, *, rederive: bool = True) -> Review:
    """Check every policy source and the release archive in ``files``, as of ``today``.
    ``rederive=False`` leaves out re-deriving the released versions (``archive_problems``), for
    a caller that does it as it renders them."""
    problems = list(files.problems)
    schemas, found = parse_schemas(files)
    problems += found
    archive, found = load_archive(files)
    problems += found
    if schemas is None:
        return Review((), tuple(sorted(problems)), archive)
    if rederive:
        problems += archive_problems(
            (release for releases in archive.releases.values() for release in releases),
            schemas.vocabulary,
        )
    if not files.source_files:
        problems.append(Problem(
            files.policy_display, 0, 0, "no-policies",
            "there is no policy source (*.yaml) in the policy folder",
            "add one: policy/ID.yaml, starting from an existing policy",
        ))
    policies: list[Policy] = []
    drafts: list[Policy] = []
    for file, raw in files.sources.items():
        if "." in PurePosixPath(file).stem:
            continue  # a translation: reviewed below, against its original
        source, found = parse_source(raw, file)
        problems.extend(found)
        if source is None:
            continue
        found = schema_problems(source, schemas.source, raw)
        problems.extend(found)
        if found:
            continue
        policy = policy_from_data(source.data, file)
        found = rule_problems(source, policy, PurePosixPath(file).stem, schemas.vocabulary)
        if not any(problem.is_error for problem in found):
            drafts.append(policy)
        releases = archive.of(policy.id)
        found += [
            *release_problems(source, policy, releases),
            *freshness_problems(source, policy, today),
        ]
        if releases and releases[-1].version == policy.version and not any(
            problem.rule == "version-released" for problem in found
        ):
            found += unchanged_release_problems(source, policy, releases[-1], schemas.vocabulary)
        problems.extend(found)
        if not any(problem.is_error for problem in found):
            policies.append(policy)
    for policy_id in sorted(set(archive.releases) - files.source_stems()):
        problems.append(Problem(
            f"{files.policy_display}/{policy_id}.yaml", 0, 0, "policy-removed",
            f"the policy '{policy_id}' has released versions but its source is gone",
            "released URLs must keep working: restore the source from version control, and "
            "mark it 'retired:' if it no longer applies",
        ))
    translations = review_translations(files, schemas, archive, tuple(drafts))
    problems += translations.problems
    return Review(tuple(policies), tuple(sorted(problems)), archive, tuple(drafts), schemas,
                  translations.sound, translations.shown)
