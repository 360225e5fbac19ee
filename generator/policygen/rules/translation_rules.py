"""What must hold for a translation: it is the original's text in another language, nothing more
and nothing less. The same sections, blocks and bullets in the same places, the same id on every
statement that has one in the original (the anchors the disclosure points at), the same links in
each statement, and the version it translates still the current one (or only reworded since)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from policygen.model.policy import BulletList, Policy, Section, Statement
from policygen.model.problems import Problem
from policygen.model.text import BareAddress, Reference
from policygen.model.translation import Translation
from policygen.rules.changes import as_text, compare
from policygen.rules.policy_rules import RAW_HTML
from policygen.source.loader import Source

Location = tuple[str | int, ...]
STRUCTURE = "translation-structure"
STATEMENT_ID = "translation-statement-id"
LINKS = "translation-link"


def translation_problems(
    source: Source, translation: Translation, expected: tuple[str, str], original: Policy,
) -> list[Problem]:
    """Every way ``translation`` departs from ``original``, the version of the policy it
    translates; ``expected`` is the (policy id, language) that its file name gives."""
    return sorted([
        *_identity(source, translation, expected, original),
        *_raw_html(source, translation),
        *_structure(source, translation, original),
    ])


def _identity(
    source: Source, translation: Translation, expected: tuple[str, str], original: Policy,
) -> Iterator[Problem]:
    policy_id, language = expected
    if translation.policy_id != policy_id:
        yield source.problem(
            ("translation_of",), "id-matches-file",
            f"this file is named as a translation of '{policy_id}', but says translation_of: "
            f"{translation.policy_id}",
            f"set 'translation_of: {policy_id}', or rename the file to "
            f"'{translation.policy_id}.{language}.yaml'",
        )
    if translation.language != language:
        yield source.problem(
            ("language",), "language-matches-file",
            f"the file name says the language is '{language}', but the file says "
            f"'{translation.language}'",
            f"set 'language: {language}', or rename the file to "
            f"'{policy_id}.{translation.language}.yaml'",
        )
    if translation.language == original.language:
        yield source.problem(
            ("language",), "translation-language",
            f"the original is already in '{original.language}': a translation is in another "
            "language", "set the language of the translation",
        )


def _raw_html(source: Source, translation: Translation) -> Iterator[Problem]:
    texts: list[tuple[Location, str]] = [(("title",), translation.title)]
    for s, section in enumerate(translation.sections):
        texts.append((("sections", s, "heading"), section.heading))
        texts += [((*statement.path, "text"), statement.text) for statement in section.statements]
    for path, text in texts:
        match = RAW_HTML.search(text)
        if match:
            yield source.problem(
                path, "no-raw-html", f"HTML is not allowed in legal text: found {match.group()!r}",
                "write the text exactly as it should read; links come from the original's "
                "declared links",
            )


def _excerpt(statement: Statement) -> str:
    words = statement.visible_text
    return f"“{words[:60]}…”" if len(words) > 60 else f"“{words}”"


def _shape(block: Statement | BulletList) -> str:
    if isinstance(block, BulletList):
        count = len(block.bullets)
        return f"a list of {count} bullet{'s' if count != 1 else ''}"
    return f"a paragraph, {_excerpt(block)}"


def _structure(source: Source, translation: Translation, original: Policy) -> Iterator[Problem]:
    version = f"version {original.version} of the original"
    theirs, ours = original.sections, translation.sections
    for s, section in enumerate(ours):
        if s >= len(theirs):
            yield source.problem(
                ("sections", s), STRUCTURE,
                f"this section {section.number} is not in {version}, which ends with section "
                f"{theirs[-1].number}", "remove it: a translation has the original's sections only",
            )
            continue
        if section.number != theirs[s].number:
            yield source.problem(
                ("sections", s, "number"), STRUCTURE,
                f"section {section.number} is here, where {version} has section "
                f"{theirs[s].number} ({theirs[s].heading})",
                "translate the original's sections in its order, with its numbers",
            )
            continue
        yield from _blocks(source, ("sections", s), section, theirs[s], original)
    for missing in theirs[len(ours):]:
        yield source.problem(
            ("sections",), STRUCTURE,
            f"section {missing.number} ({missing.heading}) of {version} is missing",
            "translate it: a translation has every section of the original",
        )


def _blocks(
    source: Source, where: Location, ours: Section, theirs: Section, original: Policy,
) -> Iterator[Problem]:
    place = f"section {theirs.number} of version {original.version} of the original"
    for b, block in enumerate(ours.blocks):
        if b >= len(theirs.blocks):
            yield source.problem(
                (*where, "blocks", b), STRUCTURE,
                f"this block is not in {place}, which has {len(theirs.blocks)} here",
                "remove it, or move its text into the block that translates it",
            )
            continue
        original_block = theirs.blocks[b]
        if isinstance(block, BulletList) != isinstance(original_block, BulletList):
            yield source.problem(
                (*where, "blocks", b), STRUCTURE,
                f"{_shape(block)} is here, where {place} has {_shape(original_block)}",
                "keep the original's paragraphs and bullet lists in their places",
            )
        elif isinstance(block, BulletList) and isinstance(original_block, BulletList):
            for i, bullet in enumerate(block.bullets):
                if i >= len(original_block.bullets):
                    yield source.problem(
                        bullet.path, STRUCTURE,
                        f"this bullet is not in {place}, whose list has "
                        f"{len(original_block.bullets)} bullets here",
                        "remove it, or move its text into the bullet that translates it",
                    )
                else:
                    yield from _statement(source, bullet, original_block.bullets[i], original)
            for i, missing in enumerate(original_block.bullets[len(block.bullets):],
                                        start=len(block.bullets)):
                yield source.problem(
                    (*where, "blocks", b, "bullets"), STRUCTURE,
                    f"bullet {i + 1} of this list in {place} is missing: {_excerpt(missing)}",
                    "translate it: a translation has every bullet of the original",
                )
        elif isinstance(block, Statement) and isinstance(original_block, Statement):
            yield from _statement(source, block, original_block, original)
    for b, absent in enumerate(theirs.blocks[len(ours.blocks):], start=len(ours.blocks)):
        yield source.problem(
            (*where, "blocks"), STRUCTURE,
            f"block {b + 1} of {place} is missing: {_shape(absent)}",
            "translate it: a translation has every paragraph and list of the original",
        )


def _statement(
    source: Source, ours: Statement, theirs: Statement, original: Policy,
) -> Iterator[Problem]:
    version = f"version {original.version} of the original"
    if ours.id != theirs.id:
        if theirs.id is None:
            yield source.problem(
                (*ours.path, "id"), STATEMENT_ID,
                f"the id '{ours.id}' is not in {version}, whose statement here has none: "
                f"{_excerpt(theirs)}", "remove the id: a translation keeps the original's ids only",
            )
        else:
            claims = ", ".join(claim.name for claim in theirs.claims)
            carries = (f" and carries the claims {claims}: the disclosure points at it"
                       if claims else "")
            found = f"has the id '{ours.id}'" if ours.id else "has no id"
            yield source.problem(
                (*ours.path, "id") if ours.id else ours.path, STATEMENT_ID,
                f"this statement {found}, but in {version} the statement here is "
                f"'{theirs.id}'{carries}", f"set 'id: {theirs.id}' on the statement that "
                f"translates {_excerpt(theirs)}",
            )
    yield from _links(source, ours, theirs, original)


def _links(
    source: Source, ours: Statement, theirs: Statement, original: Policy,
) -> Iterator[Problem]:
    """The translated statement links where the original statement links, as often: by the
    original's link names or with the addresses written out (both reach the same target)."""
    version = f"version {original.version} of the original"
    declared = original.declared_links()
    addresses = original.declared_addresses()
    where = (*ours.path, "text")
    have: Counter[str] = Counter()
    for segment in ours.segments:
        if isinstance(segment, Reference):
            if segment.name in declared:
                have[declared[segment.name]] += 1
            else:
                yield source.problem(
                    where, "undeclared-link",
                    f"the link [{segment.text}][{segment.name}] is not declared in {version}",
                    "use the original's link names: " + ", ".join(sorted(declared)),
                )
        elif isinstance(segment, BareAddress):
            if segment.target in addresses:
                have[segment.target] += 1
            else:
                yield source.problem(
                    where, "undeclared-address",
                    f"{segment.text} is not declared in {version}, so it cannot become a link",
                    "a translation uses the original's addresses only",
                )
    want = Counter(
        declared.get(segment.name, segment.name) if isinstance(segment, Reference)
        else segment.target
        for segment in theirs.segments if isinstance(segment, Reference | BareAddress)
    )
    for target in sorted((want - have).elements()):
        yield source.problem(
            where, LINKS,
            f"the statement here in {version} links to {_shown(target)}, and this translation "
            f"does not: {_excerpt(theirs)}",
            "keep every link of the original statement: [words][name] with the original's "
            "link name, or the address written out",
        )
    for target in sorted((have - want).elements()):
        yield source.problem(
            where, LINKS,
            f"this translation links to {_shown(target)}, which the statement here in "
            f"{version} does not link to", "link only where the original links",
        )


def _shown(target: str) -> str:
    return target.removeprefix("mailto:")


def drift_problems(
    source: Source, translation: Translation, rendered: Policy, current: Policy,
) -> list[Problem]:
    """The original has moved on from the version that ``translation`` renders: a wording-only
    change is a warning (a strict build stops on it), a change of claims or statements an
    error; either way the translation is updated and its ``translates`` with it."""
    if rendered.version == current.version:
        return []
    changes = compare(rendered, current)
    if changes.bump is None:
        return []
    said = as_text(changes).strip().replace("\n", "; ")
    if changes.bump == "patch":
        return [source.problem(
            ("translates",), "translation-outdated",
            f"this translation renders version {rendered.version}, but the original is at "
            f"{current.version}, which reworded it: {said}",
            f"translate the change, then set 'translates: \"{current.version}\"' (the page says "
            "meanwhile that it renders an older version)",
            severity="warning",
        )]
    return [source.problem(
        ("translates",), "translation-drift",
        f"this translation renders version {rendered.version}, but the original is at "
        f"{current.version}, whose claims or statements differ ({changes.reason}): {said}",
        f"translate version {current.version}, then set 'translates: \"{current.version}\"': a "
        "translation must not promise something else than the original",
    )]
