"""``policygen check --published``: the live site as the third witness of the release archive.

Whatever the live catalog (``/disclosures/index.json``) lists as published must be in the
archive, byte for byte (by its SHA-256): a version that was published cannot be rewritten or
dropped, even by someone who can edit the archive and its checksums and rewrite history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policygen.model.problems import CannotRun, Problem
from policygen.source.archive import load_archive, sha256
from policygen.source.project_files import ProjectFiles
from policygen.source.schemas import parse_json_object

Fetch = Callable[[str], bytes]


def published_problems(files: ProjectFiles, catalog_url: str, fetch: Fetch) -> list[Problem]:
    """Every version the live catalog at ``catalog_url`` lists that the archive lacks or differs
    from. A catalog that does not exist yet (a site never deployed) is a warning."""
    from policygen.doors.fetching import NotFound

    try:
        content = fetch(catalog_url)
    except NotFound as error:
        return [Problem(
            catalog_url, 0, 0, "published-nothing",
            f"nothing is published there yet ({error})",
            "on the first deployment that is expected; otherwise check the URL (site_url)",
            severity="warning",
        )]
    catalog, problem = parse_json_object(content, catalog_url)
    if problem is not None or catalog is None:
        raise CannotRun(f"{catalog_url} is not a policygen catalog: "
                        + (problem.message if problem else "not a JSON object"))
    archive, _ = load_archive(files)  # the archive's own problems are the review's to report
    problems: list[Problem] = []
    shown = files.releases_display
    for policy_id, version, digest in _listed(catalog, catalog_url):
        release = archive.find(policy_id, version)
        where = f"{shown}/{policy_id}/{version}.json"
        if release is None:
            problems.append(Problem(
                where, 0, 0, "published-missing",
                f"{policy_id} {version} is published (SHA-256 {digest}, listed in {catalog_url}) "
                "but is not in the release archive",
                "a published version is never withdrawn: restore it from version control",
            ))
        elif sha256(release.disclosure) != digest:
            problems.append(Problem(
                where, 0, 0, "published-differs",
                f"the archived disclosure of {policy_id} {version} has SHA-256 "
                f"{sha256(release.disclosure)}, but {catalog_url} lists the published one as "
                f"{digest}",
                "a published version never changes: restore the archive from version control",
            ))
    return problems


def _listed(catalog: dict[str, Any], catalog_url: str) -> list[tuple[str, str, str]]:
    """(policy id, version, SHA-256) of every version the catalog lists."""
    listed = []
    policies = catalog.get("policies")
    if not isinstance(policies, list):
        raise CannotRun(f"{catalog_url} is not a policygen catalog: it has no list of policies")
    for policy in policies:
        versions = policy.get("versions") if isinstance(policy, dict) else None
        if not isinstance(versions, list) or not isinstance(policy.get("id"), str):
            raise CannotRun(f"{catalog_url} is not a policygen catalog: a policy without id or "
                            "versions")
        for version in versions:
            if not (isinstance(version, dict) and isinstance(version.get("version"), str)
                    and isinstance(version.get("sha256"), str)):
                raise CannotRun(f"{catalog_url} is not a policygen catalog: a version of "
                                f"{policy['id']} without version or sha256")
            listed.append((policy["id"], version["version"], version["sha256"]))
    return listed
