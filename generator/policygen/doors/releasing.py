"""``policygen release`` and ``policygen diff``: adapters over the archive and the changes."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from policygen.model import urls
from policygen.model.policy import Policy
from policygen.model.problems import EXIT_CLEAN, EXIT_PROBLEMS, CannotRun
from policygen.model.report import as_text
from policygen.plan.review import Review
from policygen.plan.review import review as review_files
from policygen.plan.site import plan_site
from policygen.plan.translation_review import original_at
from policygen.rules.changes import as_text as changes_text
from policygen.rules.changes import compare
from policygen.rules.release_rules import released_policy, released_translation
from policygen.source.archive import Archive, sha256, write_release, write_translation_release
from policygen.source.project import Project, today_from_environment
from policygen.source.project_files import read_project


def site_url_of(config_file: Path) -> str:
    """The site_url of an MkDocs configuration."""
    return _site(config_file)[1]


def _site(config_file: Path) -> tuple[Project, str]:
    """The project and site_url that ``mkdocs build`` would use."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        raise CannotRun(f"no MkDocs configuration at {config_file}")
    try:
        config = load_config(str(config_file))
    except ConfigurationError as error:
        raise CannotRun(f"{config_file}: {error}") from error
    if not config.site_url:
        raise CannotRun(f"{config_file} has no site_url: disclosures carry absolute URLs")
    return Project.at(config_file.resolve().parent), config.site_url


def release(config_file: Path, wanted: list[str], today: dt.date) -> int:
    """Freeze the current version of each policy (or of those in ``wanted``), and each of their
    translations that is sound and not released yet (a translation of a version is released
    with it, or after it)."""
    project, site_url = _site(config_file)
    review, outputs = plan_site(read_project(project), site_url, today)
    if review.errors:
        print(as_text(review.problems), file=sys.stderr)
        print("policygen release: nothing released: fix the errors first", file=sys.stderr)
        return EXIT_PROBLEMS
    by_id = {policy.id: policy for policy in review.policies}
    unknown = [policy_id for policy_id in wanted if policy_id not in by_id]
    if unknown:
        raise CannotRun(f"no policy named {', '.join(unknown)} (policies: {', '.join(by_id)})")
    published = {output.path: output.content for output in outputs}
    released_any = False
    for policy_id in wanted or sorted(by_id):
        policy = by_id[policy_id]
        if review.archive.find(policy.id, policy.version):
            print(f"policygen release: {policy.id} {policy.version} is already released",
                  file=sys.stderr)
            if wanted:
                return EXIT_PROBLEMS
            continue
        disclosure = published[urls.version_disclosure_path(policy.id, policy.version)]
        assert isinstance(disclosure, bytes)
        source = (project.root / policy.source_file).read_bytes()
        for path in write_release(project.policy_dir, policy.id, policy.version, disclosure,
                                  source, today.isoformat()):
            print(f"policygen release: wrote {project.display(path)}", file=sys.stderr)
        print(f"released {policy.id} {policy.version}: disclosure SHA-256 {sha256(disclosure)}")
        released_any = True
    for translation in review.translations:
        if wanted and translation.policy_id not in wanted:
            continue
        version, language = translation.translates, translation.language
        if review.archive.find_translation(translation.policy_id, version, language):
            continue
        source = (project.root / translation.source_file).read_bytes()
        for path in write_translation_release(project.policy_dir, translation.policy_id,
                                              version, language, source, today.isoformat()):
            print(f"policygen release: wrote {project.display(path)}", file=sys.stderr)
        print(f"released the {language} translation of {translation.policy_id} {version}: "
              f"source SHA-256 {sha256(source)}")
        released_any = True
    if released_any:
        print("policygen release: commit policy/releases/ to publish", file=sys.stderr)
    return EXIT_CLEAN


def show_diff(project: Project, policy_id: str | None, before: str, after: str,
              language: str | None = None) -> int:
    """Print what changed between two versions of a policy (or of its translation into
    ``language``: A and B are then versions of the original that it translates)."""
    files = read_project(project)
    review = review_files(files, today_from_environment())
    ids = sorted(files.source_stems() | set(review.archive.releases))
    if policy_id is None:
        if len(ids) != 1:
            raise CannotRun(f"name the policy with --policy (one of: {', '.join(ids)})")
        policy_id = ids[0]
    if language is not None:
        old = _translation(review, policy_id, language, before)
        new = _translation(review, policy_id, language, after)
        changes = compare(old, new)
        print(f"{policy_id} in {language}: {before} ({old.version}) → {after} ({new.version})")
        print(changes_text(changes))
        return EXIT_CLEAN
    old = _version(review.drafts, review.archive, policy_id, before)
    new = _version(review.drafts, review.archive, policy_id, after)
    changes = compare(old, new)
    needs = f"needs a {changes.bump} bump" if changes.bump else "no change"

    def label(name: str, policy: Policy) -> str:
        return f"current ({policy.version})" if name == "current" else policy.version

    print(f"{policy_id} {label(before, old)} → {label(after, new)} ({needs})")
    print(changes_text(changes))
    return EXIT_CLEAN


def _translation(review: Review, policy_id: str, language: str, name: str) -> Policy:
    """The translation into ``language`` of a released version, or the working copy
    ("current"), as it reads: with the original's version, dates and links."""
    policy = next((p for p in review.drafts if p.id == policy_id), None)
    if policy is None:
        raise CannotRun(f"the working copy of {policy_id} cannot be read as a policy: "
                        "run policygen check")
    if name == "current":
        translation = next((t for t in review.translation_drafts
                            if (t.policy_id, t.language) == (policy_id, language)), None)
        if translation is None:
            raise CannotRun(f"there is no readable translation of {policy_id} into {language} "
                            f"(policy/{policy_id}.{language}.yaml): run policygen check")
    else:
        released = review.archive.find_translation(policy_id, name, language)
        if released is None:
            known = ", ".join(r.version for r in review.archive.translations_of(policy_id)
                              if r.language == language) or "none"
            raise CannotRun(f"the {language} translation of {policy_id} {name} was never "
                            f"released (released: {known})")
        found, problems = released_translation(released)
        if found is None:
            raise CannotRun(as_text(problems))
        translation = found
    original = original_at(policy, review.archive, translation.translates)
    if original is None:
        raise CannotRun(f"version {translation.translates} of {policy_id} is not released")
    return translation.rendering(original)


def _version(drafts: tuple[Policy, ...], archive: Archive, policy_id: str, name: str) -> Policy:
    """A released version, or the working copy ("current") even while it awaits a bump."""
    if name == "current":
        current = next((p for p in drafts if p.id == policy_id), None)
        if current is None:
            raise CannotRun(f"the working copy of {policy_id} cannot be read as a policy: "
                            "run policygen check")
        return current
    release = archive.find(policy_id, name)
    if release is None:
        known = ", ".join(r.version for r in archive.of(policy_id)) or "none"
        raise CannotRun(f"{policy_id} has no released version {name} (released: {known})")
    policy, problems = released_policy(release)
    if policy is None:
        raise CannotRun(as_text(problems))
    return policy
