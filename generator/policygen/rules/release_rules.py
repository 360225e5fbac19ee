"""The rules of time: released versions never change, versions and dates only go forward, the
declared bump is big enough for the change, and the policy was reviewed within 12 months."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

from policygen.model.policy import Policy, policy_from_data
from policygen.model.problems import Problem
from policygen.model.report import NOT_RELEASED
from policygen.model.translation import Translation, translation_from_data
from policygen.model.versions import BUMPS, bumped, declared_bump, version_key
from policygen.rules.changes import compare
from policygen.source.archive import Release, ReleasedTranslation
from policygen.source.loader import Source, parse_source

WARN_BEFORE_DUE = dt.timedelta(days=30)


@functools.cache
def released_policy(release: Release) -> tuple[Policy | None, list[Problem]]:
    """The policy of a release, read back from its source snapshot."""
    source, problems = parse_source(release.source, release.source_file)
    if source is None:
        return None, problems
    try:
        return policy_from_data(source.data, release.source_file), []
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return None, [Problem(
            release.source_file, 0, 0, "release-unreadable",
            f"this released source can no longer be read: {error!r}",
            "keep the source format able to read every released snapshot",
        )]


@functools.cache
def released_translation(
    release: ReleasedTranslation,
) -> tuple[Translation | None, list[Problem]]:
    """A released translation, read back from its source snapshot."""
    source, problems = parse_source(release.source, release.source_file)
    if source is None:
        return None, problems
    try:
        translation = translation_from_data(source.data, release.source_file, release.source)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return None, [Problem(
            release.source_file, 0, 0, "release-unreadable",
            f"this released translation can no longer be read: {error!r}",
            "keep the source format able to read every released snapshot",
        )]
    said = (translation.policy_id, translation.translates, translation.language)
    if said != (release.policy_id, release.version, release.language):
        return None, [Problem(
            release.source_file, 0, 0, "release-mismatch",
            f"this released translation says it is the {said[2]} translation of {said[0]} "
            f"{said[1]}, not what its file name says",
            "released versions never change: restore it from version control",
        )]
    return translation, []


def release_problems(
    source: Source, policy: Policy, releases: tuple[Release, ...],
) -> Iterator[Problem]:
    """The current source against the versions already released."""
    if not releases:
        yield _not_released(source, policy)
        return
    latest = releases[-1]
    released, problems = released_policy(latest)
    yield from problems
    if released is None:
        return
    if version_key(policy.version) < latest.key or (
        policy.version != latest.version and any(r.version == policy.version for r in releases)
    ):
        yield source.problem(
            ("version",), "version-backwards",
            f"version {policy.version} is not after the last release, {latest.version}",
            "versions only go forward: a new version must be greater than every released one",
        )
        return
    changes = compare(released, policy)
    needed = changes.bump
    if policy.version == latest.version:
        if needed is not None:
            yield source.problem(
                ("version",), "version-released",
                f"version {policy.version} is already released: bump it "
                f"(at least {needed}: {changes.reason})",
                f"set version: {bumped(latest.version, needed)}, then run 'policygen release'",
            )
        return
    declared = declared_bump(latest.version, policy.version)
    if needed is not None and declared is not None and BUMPS.index(declared) < BUMPS.index(needed):
        yield source.problem(
            ("version",), "bump-too-small",
            f"{latest.version} → {policy.version} is a {declared} bump, but the change needs "
            f"a {needed} bump: {changes.reason}",
            f"set version: {bumped(latest.version, needed)}",
        )
    if declared in ("minor", "major") and policy.effective_date == released.effective_date:
        yield source.problem(
            ("effective_date",), "effective-date-unchanged",
            f"version {policy.version} is a {declared} change but keeps the effective date "
            f"{policy.effective_date} of version {latest.version}: is that the day it applies?",
            "set effective_date to the day this version applies (this warning ends once the "
            "version is released)",
            severity="warning",
        )
    for field in ("effective_date", "last_reviewed"):
        if getattr(policy, field) < getattr(released, field):
            yield source.problem(
                (field,), "date-backwards",
                f"{field.replace('_', ' ')} {getattr(policy, field)} is before that of the last "
                f"release ({latest.version}: {getattr(released, field)})",
                "dates only go forward from one version to the next",
            )
    yield _not_released(source, policy)


def _not_released(source: Source, policy: Policy) -> Problem:
    return source.problem(
        ("version",), NOT_RELEASED,
        f"version {policy.version} is not released yet: its disclosure can still change",
        "once legal has approved the change, run 'policygen release' and commit "
        "policy/releases/ with it: a strict build publishes released versions only",
        severity="warning",
    )


def freshness_problems(source: Source, policy: Policy, today: dt.date) -> Iterator[Problem]:
    """California: a review at least every 12 months; a warning in the last 30 days. A retired
    policy no longer applies, so it is not reviewed."""
    if policy.retired is not None:
        return
    due = dt.date.fromisoformat(policy.review_due)
    if today > due:
        yield source.problem(
            ("last_reviewed",), "review-overdue",
            f"the policy was last reviewed on {policy.last_reviewed}, more than 12 months "
            f"ago (the review was due by {policy.review_due})",
            "review the policy, then set last_reviewed to the review's date and bump the version",
        )
    elif today >= due - WARN_BEFORE_DUE:
        yield source.problem(
            ("last_reviewed",), "review-due-soon",
            f"the yearly review is due by {policy.review_due}, in {(due - today).days} days",
            "review the policy, then set last_reviewed to the review's date and bump the version",
            severity="warning",
        )
