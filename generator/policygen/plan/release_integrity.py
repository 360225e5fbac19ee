"""Released versions re-derived: each archived disclosure must be exactly what its archived
source renders, and the working copy of a released version must publish exactly what was
released. A checksum only says that a file is the one listed; this says that the file says what
its source says, so that editing a disclosure and its checksum together is caught."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict

from policygen.model import urls
from policygen.model.policy import Policy
from policygen.model.problems import Problem
from policygen.plan.parallel import shared_map
from policygen.render import page
from policygen.render.disclosure import disclosure, to_json_bytes
from policygen.rules.release_rules import released_policy
from policygen.source import cache
from policygen.source.archive import Release
from policygen.source.loader import Source
from policygen.source.vocabulary import Meaning, vocabulary_key


def site_of(release: Release) -> str | None:
    """The site URL a released disclosure was published under (from its ``$schema``)."""
    try:
        schema_url = json.loads(release.disclosure).get("$schema")
    except (ValueError, AttributeError):
        return None
    if not isinstance(schema_url, str) or not schema_url.endswith("/" + urls.DISCLOSURE_SCHEMA_PATH):
        return None
    return schema_url.removesuffix(urls.DISCLOSURE_SCHEMA_PATH)


def archive_problems(
    releases: Iterable[Release], vocabulary: Mapping[str, Meaning],
) -> list[Problem]:
    """Every release whose disclosure is not what its source renders (cached by their file
    names and digests, which the archive has checked against the bytes). Releases not known
    from the cache are re-derived, shared with a second process when there are many."""
    vocabulary_digest = vocabulary_key(vocabulary)
    names = {release: cache.key("release-derived", release.source_file, release.source_sha256,
                                release.disclosure_sha256, vocabulary_digest)
             for release in releases}
    known = {release: found for release, name in names.items()
             if isinstance(found := cache.get(name), list)}
    pending = [release for release in names if release not in known]
    for release, found in zip(pending, shared_map(
        lambda release: [asdict(problem) for problem in _rederived(release, vocabulary)],
        pending,
    ), strict=True):
        cache.put(names[release], found)
        known[release] = found
    return [Problem(**problem) for release in names for problem in known[release]]


def _rederived(release: Release, vocabulary: Mapping[str, Meaning]) -> list[Problem]:
    shown = release.source_file.removesuffix(".yaml") + ".json"
    restore = ("released versions never change: restore both files from version control "
               "(git checkout HEAD -- policy/releases/)")
    policy, problems = released_policy(release)
    if policy is None:
        return problems
    if (policy.id, policy.version) != (release.policy_id, release.version):
        return [Problem(
            release.source_file, 0, 0, "release-mismatch",
            f"this released source is {policy.id} {policy.version}, not {release.policy_id} "
            f"{release.version} as its file name says", restore,
        )]
    site_url = site_of(release)
    if site_url is None:
        return [Problem(shown, 0, 0, "release-not-derived",
                        "this released disclosure names no policygen disclosure schema", restore)]
    expected = to_json_bytes(disclosure(policy, site_url, vocabulary))
    if expected != release.disclosure:
        return [Problem(
            shown, *_first_difference(expected, release.disclosure), "release-not-derived",
            "this released disclosure is not what its released source says: "
            "one of the two was edited after the release", restore,
        )]
    return []


def _first_difference(expected: bytes, found: bytes) -> tuple[int, int]:
    """Line and column (1-based) of the first byte where ``found`` differs from ``expected``."""
    for line, (want, have) in enumerate(
        zip(expected.splitlines(), found.splitlines(), strict=False), start=1,
    ):
        if want != have:
            column = next((i for i, (a, b) in enumerate(zip(want, have, strict=False)) if a != b),
                          min(len(want), len(have)))
            return line, column + 1
    return min(len(expected.splitlines()), len(found.splitlines())) + 1, 1


def unchanged_release_problems(
    source: Source, policy: Policy, release: Release, vocabulary: Mapping[str, Meaning],
) -> list[Problem]:
    """The working copy of a released version must publish that release's disclosure and page,
    byte for byte: whatever the change, if the reader would see it, it needs a new version."""
    released, _ = released_policy(release)
    site_url = site_of(release)
    if released is None or site_url is None:
        return []  # reported by archive_problems
    differs = []
    if to_json_bytes(disclosure(policy, site_url, vocabulary)) != release.disclosure:
        differs.append("disclosure")
    if page.body(policy) != page.body(released) or policy.title != released.title:
        differs.append("page")
    if not differs:
        return []
    return [source.problem(
        ("version",), "version-released",
        f"version {policy.version} is already released, but its {' and '.join(differs)} would "
        "change: bump it (at least patch)",
        "set a new version and summary, then run 'policygen release'",
    )]
