"""Everything a policy site publishes, as (path, content) pairs: derived from the sources only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import PurePosixPath

from policygen.model import urls
from policygen.model.output import Output
from policygen.model.policy import Policy
from policygen.model.problems import Problem
from policygen.model.translation import Translation, translation_stem
from policygen.plan.languages import PolicyLanguages
from policygen.plan.parallel import shared_map
from policygen.plan.release_integrity import archive_problems
from policygen.plan.review import Review, review
from policygen.render import page
from policygen.render.disclosure import (
    GPC_CLAIM,
    JSON,
    catalog,
    catalog_entry,
    disclosure,
    gpc_resource,
    json_ld_context,
    published_schema,
    to_json_bytes,
    vocabulary_document,
)
from policygen.render.feeds import FeedEntry, policy_feed, site_feed
from policygen.render.format_page import format_reference
from policygen.render.hosting import hosting_files
from policygen.rules.release_rules import released_policy
from policygen.rules.schema_check import fingerprint, validator_for
from policygen.source import cache
from policygen.source.archive import Archive, Release, released_page_source, sha256
from policygen.source.package_data import CORE_VOCABULARY, data_bytes
from policygen.source.project_files import ProjectFiles
from policygen.source.schemas import (
    CATALOG_SCHEMA,
    DISCLOSURE_SCHEMA,
    SOURCE_SCHEMA,
    TRANSLATION_SCHEMA,
    Schemas,
)
from policygen.source.vocabulary import Meaning, vocabulary_key


def site_outputs(
    schemas: Schemas, policies: tuple[Policy, ...], archive: Archive, site_url: str,
    translations: tuple[Translation, ...] = (), *, history: bool = True,
    delivered: Callable[[list[Output]], None] | None = None,
) -> tuple[list[Output], list[Problem]]:
    """The pages, disclosures, catalog and schemas of the site, in a stable order.

    Released versions are published from the archive: their disclosures byte for byte, their
    pages rendered from their source snapshots. The current version, if not released yet, is
    published from the working copy. Without ``history``, the files that tell the history to
    readers (a page per version, the history pages, the feeds) are listed, ``later`` and empty:
    what is checked of them was checked in the review (their sources), they grow with the
    archive, and they can be rendered elsewhere. With it, each of them is handed to
    ``delivered`` as soon as it is made, a policy's at a time (in the order they are listed).
    """
    outputs: list[Output] = [Output(urls.INDEX_PAGE, page.index_page(policies), "Policies")]
    problems: list[Problem] = []
    vocabulary = schemas.vocabulary
    released: list[FeedEntry] = []
    entries: list[JSON] = []
    ordered = sorted(policies, key=lambda policy: policy.id)
    names = [_part_key(policy, archive, translations, site_url, vocabulary, history)
             for policy in ordered]
    parts = ({name: _LAST_PARTS[name] for name in names if name in _LAST_PARTS}
             if delivered is None else {})  # each part delivered is made
    missing = [(name, policy) for name, policy in zip(names, ordered, strict=True)
               if name not in parts]
    parts.update(zip((name for name, _ in missing), shared_map(
        lambda missed: _policy_part(missed[1], archive, translations, site_url, vocabulary,
                                    history, delivered),
        missing, releases=sum(len(archive.of(policy.id)) for _, policy in missing),
    ), strict=True))
    for name in names:
        part = parts[name]
        outputs += part.outputs
        problems += part.problems
        released += part.feed_entries
        entries.append(part.catalog_entry)
    _LAST_PARTS.clear()
    _LAST_PARTS.update(parts)
    site_feed_file = (Output(urls.SITE_FEED_PATH, site_feed(policies, released, site_url))
                      if history else Output(urls.SITE_FEED_PATH, "", later=True))
    if delivered is not None:
        delivered([site_feed_file])
    outputs.append(site_feed_file)
    outputs.append(Output(urls.CATALOG_PATH, to_json_bytes(catalog(entries, site_url))))
    for name, path in ((DISCLOSURE_SCHEMA, urls.DISCLOSURE_SCHEMA_PATH),
                       (CATALOG_SCHEMA, urls.CATALOG_SCHEMA_PATH),
                       (SOURCE_SCHEMA, urls.SOURCE_SCHEMA_PATH),
                       (TRANSLATION_SCHEMA, urls.TRANSLATION_SCHEMA_PATH)):
        schema = schemas.by_name(name)
        outputs.append(Output(path, to_json_bytes(published_schema(schema, site_url, path))))
    outputs.append(Output(urls.CONTEXT_PATH, to_json_bytes(json_ld_context(site_url))))
    outputs.append(Output(urls.CORE_VOCABULARY_PATH, data_bytes(CORE_VOCABULARY)))
    site_names = {name: meaning for name, meaning in vocabulary.items() if not meaning.core}
    outputs.append(Output(urls.SITE_VOCABULARY_PATH, to_json_bytes(vocabulary_document(site_names))))
    gpc, conflicts = _gpc(policies)
    problems += conflicts
    if gpc is not None:
        outputs.append(Output(urls.GPC_PATH, to_json_bytes(gpc)))
    outputs.append(Output(
        urls.FORMAT_PAGE,
        format_reference(schemas.disclosure, schemas.catalog, vocabulary),
        "Disclosure format",
    ))
    outputs += hosting_files(outputs)
    return outputs, problems


@dataclass(frozen=True)
class _PolicyPart:
    """What one policy adds to the site: its files, problems, feed entries and catalog entry."""

    outputs: tuple[Output, ...]
    problems: tuple[Problem, ...]
    feed_entries: tuple[FeedEntry, ...]
    catalog_entry: JSON


_LAST_PARTS: dict[str, _PolicyPart] = {}
"""The parts of the site this process planned last, by the key of all they derive from: a live
preview plans the site again on every save, and a save changes one policy, not the others."""


def _part_key(policy: Policy, archive: Archive, translations: tuple[Translation, ...],
              site_url: str, vocabulary: Mapping[str, Meaning], history: bool) -> str:
    """Everything a policy's part derives from: the policy's source, its releases, its
    translations (in the working copy and released), the site URL and the vocabulary."""
    return cache.key(
        "policy-part", site_url, str(history), vocabulary_key(vocabulary), policy.source_file,
        policy.fingerprint,
        *(part for release in archive.of(policy.id)
          for part in (release.source_sha256, release.disclosure_sha256,
                       release.released_on or "")),
        *(f"{translation.source_file}={translation.source_sha256}"
          for translation in translations if translation.policy_id == policy.id),
        *(part for release in archive.translations_of(policy.id)
          for part in (release.source_file, release.source, release.released_on or "")),
    )


def _policy_part(policy: Policy, archive: Archive, translations: tuple[Translation, ...],
                 site_url: str, vocabulary: Mapping[str, Meaning], history: bool,
                 delivered: Callable[[list[Output]], None] | None = None) -> _PolicyPart:
    """With ``history``, the policy's released versions are re-derived here too: they are
    read back for their pages anyway (in whichever process renders them)."""
    languages = PolicyLanguages.of(policy, archive, translations, site_url)
    releases = archive.of(policy.id)
    rederived = archive_problems(releases, vocabulary) if history else []
    outputs, published, unreadable = _policy_outputs(
        policy, releases, site_url, vocabulary, languages, history,
    )
    entries = []
    if history:
        entries = [entry for release in releases if (entry := _feed_entry(release)) is not None]
        outputs.append(Output(urls.feed_path(policy.id), policy_feed(policy, entries, site_url)))
    else:
        outputs.append(Output(urls.feed_path(policy.id), "", later=True))
    if delivered is not None:
        told = {output.path for output in _history_files(policy, releases)}
        delivered([output for output in outputs
                   if output.path in told or output.path == urls.feed_path(policy.id)])
    return _PolicyPart(
        tuple(outputs), (*rederived, *unreadable), tuple(entries),
        catalog_entry(policy, published, site_url, languages.catalog_entries()),
    )


def _policy_outputs(
    policy: Policy, releases: tuple[Release, ...], site_url: str,
    vocabulary: Mapping[str, Meaning], languages: PolicyLanguages, history: bool,
) -> tuple[list[Output], dict[str, bytes], list[Problem]]:
    """One policy's pages and disclosures (with ``history``, its version and history pages),
    and its published disclosures by version."""
    published = {release.version: release.disclosure for release in releases}
    released = policy.version in published
    if not released:
        published[policy.version] = to_json_bytes(disclosure(policy, site_url, vocabulary))
    released_on = {release.version: release.released_on for release in releases}
    digests = {release.version: release.disclosure_sha256 for release in releases}

    def record(version: str) -> page.PrintRecord:
        return page.PrintRecord(
            urls.absolute(site_url, urls.version_page_url(policy.id, version)),
            digests.get(version) or sha256(published[version]), released_on.get(version),
            version in released_on,
        )

    outputs = [
        Output(urls.page_source(policy.id),
               page.current_page(policy, record(policy.version), languages.current()),
               policy.title, policy.source_file),
        Output(urls.disclosure_path(policy.id), published[policy.version], archived=released),
        *(Output(urls.version_disclosure_path(policy.id, version), content,
                 archived=version != policy.version or released)
          for version, content in published.items()),
        *languages.outputs(),
    ]
    problems: list[Problem] = []
    if not history:
        return outputs + _history_files(policy, releases), published, problems

    def snapshot(release: Release) -> Policy | None:
        earlier, unreadable = released_policy(release)
        problems.extend(unreadable)
        return earlier

    pages = {
        release.version: _rendered(
            ("version-page", release.source_sha256, policy.version, repr(record(release.version)),
             repr(languages.at(release.version))),
            lambda release=release: (  # type: ignore[misc]
                page.version_page(earlier, policy.version, record(release.version),
                                  languages.at(release.version))
                if (earlier := snapshot(release)) else None
            ),
        )
        for release in releases
    }
    if not released:
        pages[policy.version] = page.version_page(policy, policy.version, record(policy.version),
                                                  languages.at(policy.version))

    def history_markdown() -> str | None:
        entries = []
        for release in releases:
            earlier = snapshot(release)
            if earlier is None:
                return None
            entries.append(page.HistoryEntry(earlier, True, release.released_on,
                                             languages.of_version(release.version)))
        if not released:
            entries.append(page.HistoryEntry(policy, False,
                                             translations=languages.of_version(policy.version)))
        return page.history_page(entries, vocabulary)

    unreleased = "" if released else policy.fingerprint
    source_files = {release.version: release.source_file for release in releases}
    outputs += [
        Output(urls.version_page_source(policy.id, version), markdown,
               source_file=source_files.get(version, policy.source_file))
        for version, markdown in pages.items() if markdown is not None
    ]
    history_page = _rendered(
        ("history", vocabulary_key(vocabulary), unreleased, repr(languages.of_version(
            policy.version)),
         *(part for r in releases
           for part in (r.source_sha256, r.released_on or "",
                        repr(languages.of_version(r.version))))),
        history_markdown,
    )
    if history_page is not None:
        outputs.append(Output(urls.history_page_source(policy.id), history_page,
                              source_file=policy.source_file))
    return outputs, published, problems


def _history_files(policy: Policy, releases: tuple[Release, ...]) -> list[Output]:
    """The pages of a policy's history, ``later`` and empty: one per version, released or
    current, and the history page (those whose released source cannot be read are not made)."""
    source_files = {release.version: release.source_file for release in releases}
    versions = [*source_files, *([] if policy.version in source_files else [policy.version])]
    return [
        *(Output(urls.version_page_source(policy.id, version), "", later=True,
                 source_file=source_files.get(version, policy.source_file))
          for version in versions),
        Output(urls.history_page_source(policy.id), "", source_file=policy.source_file,
               later=True),
    ]


def _feed_entry(release: Release) -> FeedEntry | None:
    """What a release's feed entry says, cached by the bytes of its source."""
    name = cache.key("feed-entry", release.source_sha256)
    known = cache.get(name)
    if isinstance(known, dict):
        return FeedEntry(**known)
    snapshot, _ = released_policy(release)
    if snapshot is None:
        return None
    entry = FeedEntry.of(snapshot)
    cache.put(name, asdict(entry))
    return entry


def _rendered(parts: tuple[str | bytes, ...], render: Callable[[], str | None]) -> str | None:
    """A page rendered from frozen inputs, cached by their bytes."""
    name = cache.key("rendered", *parts)
    known = cache.get(name)
    if isinstance(known, str):
        return known
    markdown = render()
    if markdown is not None:
        cache.put(name, markdown)
    return markdown


def _gpc(policies: tuple[Policy, ...]) -> tuple[JSON | None, list[Problem]]:
    """The Global Privacy Control support resource, when policies state a GPC stance. Several
    policies may state the same stance (a notice and a policy both honoring it): the resource
    then carries the latest of their effective dates. Disagreeing stances are an error."""
    stances = [(policy, resource) for policy in policies
               if (resource := gpc_resource(policy)) is not None]
    if len({resource["gpc"] for _, resource in stances}) > 1:
        said = "; ".join(f"{policy.id}: {str(resource['gpc']).lower()}"
                         for policy, resource in stances)
        return None, [Problem(
            policy.source_file, 0, 0, "gpc-conflict",
            f"the policies disagree on Global Privacy Control ({said}), but a site has one "
            "/.well-known/gpc.json", f"make every claim {GPC_CLAIM} state the same stance",
        ) for policy, _ in stances]
    if not stances:
        return None, []
    return max((resource for _, resource in stances), key=lambda found: found["lastUpdate"]), []


def plan_site(
    files: ProjectFiles, site_url: str, today: dt.date, *, preview: bool = False,
    history: bool = True,
    delivered: Callable[[list[Output]], None] | None = None,
    began: Callable[[tuple[Problem, ...], list[Output]], None] | None = None,
) -> tuple[Review, list[Output]]:
    """Review the sources and derive the whole site from the sound ones (for a preview, from
    every policy whose text can be shown); the disclosures and the catalog are checked against
    their schemas too, so a generator bug is a problem, not a publication. Without ``history``,
    the files that grow with the archive are listed but not made (see ``site_outputs``).
    ``began`` is handed, as soon as the sources are reviewed, what the sources show and the
    files of the site without its history (what a build can begin with, while the history and
    the released versions' problems are made)."""
    found = review(files, today, rederive=not history)
    if found.schemas is None:
        return found, []
    shown = found.drafts if preview else found.policies
    translations = found.translation_drafts if preview else found.translations
    if began is not None:
        skeleton, problems = site_outputs(found.schemas, shown, found.archive, site_url,
                                          translations, history=False)
        began(_once(found.problems, problems), skeleton)
    outputs, problems = site_outputs(found.schemas, shown, found.archive, site_url, translations,
                                     history=history, delivered=delivered)
    if history:  # the parts re-derived the releases of the policies shown; now the others'
        shown_ids = {policy.id for policy in shown}
        problems += archive_problems(
            (release for policy_id, releases in found.archive.releases.items()
             if policy_id not in shown_ids for release in releases),
            found.schemas.vocabulary,
        )
    problems += published_json_problems(found.schemas, outputs)
    return replace(found, problems=_once(found.problems, problems)), outputs


def _once(found: tuple[Problem, ...], more: list[Problem]) -> tuple[Problem, ...]:
    """The review's problems and those found making the site, each once (a release that cannot
    be read back is found by the review and again by its pages)."""
    return tuple(sorted({*found, *more}))


def published_json_problems(schemas: Schemas, outputs: list[Output]) -> list[Problem]:
    """Every disclosure generated now, and the catalog, must validate against their schemas (each
    result cached by the bytes of the file and of its schema). Archived disclosures were
    validated when released; their digests guard them since."""
    problems: list[Problem] = []
    for output in outputs:
        if output.archived or not output.path.startswith("disclosures/"):
            continue
        name = CATALOG_SCHEMA if output.path == urls.CATALOG_PATH else DISCLOSURE_SCHEMA
        schema = schemas.by_name(name)
        content = output.content.encode() if isinstance(output.content, str) else output.content
        key = cache.key("published-json", content, fingerprint(schema))
        messages = cache.get(key)
        if messages is None:
            messages = [
                f"the generated file breaks its schema at "
                f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
                for error in validator_for(schema).iter_errors(json.loads(content))
            ]
            cache.put(key, messages)
        problems += [
            Problem(output.path, 0, 0, "published-json-schema", message,
                    f"the generator and schema/{name} disagree: fix one of them")
            for message in messages
        ]
    return problems


def with_preview_problems(outputs: list[Output], problems: tuple[Problem, ...]) -> list[Output]:
    """The live preview: problems shown at the top of the index and of each page they concern,
    and a page of its problems in place of each policy that cannot be built. A translation's
    problems are shown on its page, ``/LANG/ID/``."""
    if not problems:
        return outputs
    by_file: dict[str, tuple[Problem, ...]] = {}
    for problem in problems:
        by_file[problem.file] = (*by_file.get(problem.file, ()), problem)
    pages = {file: _preview_page(file) for file in by_file}
    on_page = {pages[file]: found for file, found in by_file.items()}
    shown: list[Output] = []
    for output in outputs:
        concerned = problems if output.path == urls.INDEX_PAGE else tuple(dict.fromkeys((
            *by_file.get(output.source_file or "", ()), *on_page.get(output.path, ()),
        )))
        if output.is_page and concerned:
            output = replace(output, content=page.with_problems(str(output.content), concerned))
        shown.append(output)
    published = {output.path for output in outputs}
    for file, found in by_file.items():
        if pages[file] not in published:
            shown.append(Output(pages[file], page.problems_page(file, found),
                                f"Problems in {file}"))
    return shown


def _preview_page(file: str) -> str:
    """The page where a source's problems are shown: its policy's, or its translation's; a
    released file's, its version's."""
    released = released_page_source(file)
    if released is not None:
        return released
    stem = PurePosixPath(file).stem
    named = translation_stem(stem)
    return urls.translation_page_source(*named) if named else urls.page_source(stem)
