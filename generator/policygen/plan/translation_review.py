"""Reviewing the translations of a project: each against the version of the original it
translates, the original's current version, and what was released of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from policygen.model.policy import Policy
from policygen.model.problems import Problem
from policygen.model.report import NOT_RELEASED
from policygen.model.translation import Translation, translation_from_data, translation_stem
from policygen.model.versions import version_key
from policygen.render.page import body
from policygen.rules.release_rules import released_policy, released_translation
from policygen.rules.schema_check import schema_problems
from policygen.rules.translation_rules import drift_problems, translation_problems
from policygen.source.archive import Archive
from policygen.source.loader import Source, parse_source
from policygen.source.project_files import ProjectFiles
from policygen.source.schemas import Schemas


@dataclass(frozen=True)
class TranslationReview:
    sound: tuple[Translation, ...]
    """Translations that may be published and released."""
    shown: tuple[Translation, ...]
    """Translations whose text matches their original, whatever their drift or release state
    (what a preview shows)."""
    problems: tuple[Problem, ...]


def original_at(policy: Policy, archive: Archive, version: str) -> Policy | None:
    """The original as it was at ``version``: the working copy, or a released version."""
    if version == policy.version:
        return policy
    release = archive.find(policy.id, version)
    return released_policy(release)[0] if release else None


def review_translations(
    files: ProjectFiles, schemas: Schemas, archive: Archive, originals: tuple[Policy, ...],
) -> TranslationReview:
    """Every translation source of ``files``, against ``originals`` (the policies whose text can
    be read) and the archive."""
    sound: list[Translation] = []
    shown: list[Translation] = []
    problems: list[Problem] = []
    for kept in archive.translations.values():
        for one in kept:
            problems += released_translation(one)[1]
    by_id = {policy.id: policy for policy in originals}
    for file, raw in files.sources.items():
        stem = PurePosixPath(file).stem
        if "." not in stem:
            continue
        named = translation_stem(stem)
        if named is None:
            problems.append(Problem(
                file, 0, 0, "translation-name",
                f"{PurePosixPath(file).name} is named neither like a policy (ID.yaml) nor like "
                "a translation (ID.LANG.yaml, such as do-not-sell.es.yaml)", "rename the file",
            ))
            continue
        source, found = parse_source(raw, file)
        problems += found
        if source is None:
            continue
        found = schema_problems(source, schemas.translation, raw)
        problems += found
        if found:
            continue
        translation = translation_from_data(source.data, file, raw)
        current = by_id.get(named[0])
        if current is None:
            if named[0] not in files.source_stems():
                problems.append(source.problem(
                    ("translation_of",), "translation-orphan",
                    f"there is no policy '{named[0]}' to translate "
                    f"({files.policy_display}/{named[0]}.yaml)",
                    "name an existing policy in the file name and in translation_of",
                ))
            continue  # otherwise the original's own problems say why it cannot be read
        rendered = original_at(current, archive, translation.translates)
        if rendered is None:
            released = ", ".join(r.version for r in archive.of(current.id)) or "none"
            problems.append(source.problem(
                ("translates",), "translation-version",
                f"version {translation.translates} of {current.id} is neither released nor the "
                f"current version ({current.version}; released: {released})",
                f"translate a version that exists, such as the current one: "
                f"translates: \"{current.version}\"",
            ))
            continue
        found = translation_problems(source, translation, named, rendered)
        if not any(problem.is_error for problem in found):
            shown.append(translation)
        found += drift_problems(source, translation, rendered, current)
        found += _release_state(source, translation, rendered, archive)
        problems += found
        if not any(problem.is_error for problem in found):
            sound.append(translation)
    return TranslationReview(tuple(sound), tuple(shown), tuple(problems))


def _release_state(
    source: Source, translation: Translation, rendered: Policy, archive: Archive,
) -> list[Problem]:
    """A released translation never changes; a newer one is released in its turn."""
    language = translation.language
    released = archive.find_translation(translation.policy_id, translation.translates, language)
    if released is None:
        later = [r.version for r in archive.translations_of(translation.policy_id)
                 if r.language == language
                 and version_key(r.version) > version_key(translation.translates)]
        if later:
            return [source.problem(
                ("translates",), "translation-backwards",
                f"the {language} translation of version {later[-1]} is released already: this "
                f"file cannot go back to version {translation.translates}",
                f"translate version {later[-1]} or later",
            )]
        return [source.problem(
            ("translates",), NOT_RELEASED,
            f"the {language} translation of version {translation.translates} is not released "
            "yet: its page can still change",
            "once legal has approved the translation, run 'policygen release' and commit "
            "policy/releases/ with it: a strict build publishes released translations only",
            severity="warning",
        )]
    earlier, _ = released_translation(released)
    if earlier is None:
        return []  # reported with the archive
    before, after = earlier.rendering(rendered), translation.rendering(rendered)
    if (before.title, body(before)) != (after.title, body(after)):
        return [source.problem(
            ("translates",), "translation-released",
            f"the {language} translation of version {translation.translates} is released, but "
            "its page would change",
            "a released translation never changes: correct it in the translation of a new "
            f"version of the original (or restore it from {released.source_file})",
        )]
    return []
