"""The rules a schema cannot express: links declared once, claims bound to their statements."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping

from policygen.model.addresses import email_problem, https_url_problem, link_problem
from policygen.model.policy import CONTACT_LINK, PRIVACY_POLICY_LINK, Policy, Statement
from policygen.model.problems import Problem
from policygen.model.text import BareAddress, Reference
from policygen.source.loader import Source
from policygen.source.vocabulary import Meaning

RAW_HTML = re.compile(r"<\s*[/!?]?\s*[A-Za-z]|&[#A-Za-z][A-Za-z0-9]*;")
_ALLOWED_SCHEMES = ("https:", "mailto:")


def rule_problems(
    source: Source, policy: Policy, expected_id: str, vocabulary: Mapping[str, Meaning],
) -> list[Problem]:
    """Every rule broken by a policy that has passed the source schema."""
    return sorted([
        *_identity(source, policy, expected_id),
        *_raw_html(source, policy),
        *_addresses(source, policy),
        *_links(source, policy),
        *_claims(source, policy, vocabulary),
        *_unused_sections(source, policy),
    ])


def _identity(source: Source, policy: Policy, expected_id: str) -> Iterator[Problem]:
    if policy.id != expected_id:
        yield source.problem(
            ("id",), "id-matches-file",
            f"the policy id '{policy.id}' differs from its file name '{expected_id}.yaml'",
            f"rename the file to '{policy.id}.yaml' or set 'id: {expected_id}'",
        )
    seen_numbers: set[str] = set()
    for s, section in enumerate(policy.sections):
        if section.number in seen_numbers:
            yield source.problem(
                ("sections", s, "number"), "unique-section-number",
                f"section number {section.number} is used twice", "number each section once",
            )
        seen_numbers.add(section.number)
    anchors = {section.anchor for section in policy.sections}
    for statement in policy.statements:
        if statement.id is None:
            continue
        if statement.id in anchors:
            yield source.problem(
                (*statement.path, "id"), "unique-statement-id",
                f"the id '{statement.id}' is used twice on the page",
                "give each statement its own id (section headings use section-N)",
            )
        anchors.add(statement.id)


def _addresses(source: Source, policy: Policy) -> Iterator[Problem]:
    """Every declared address, validated as what it is before it reaches a page or a JSON."""
    urls: list[tuple[tuple[str | int, ...], str]] = [(("publisher", "url"), policy.publisher.url)]
    if policy.privacy_policy:
        urls.append((("privacy_policy", "url"), policy.privacy_policy.url))
    for path, url in urls:
        why = https_url_problem(url)
        if why is None and "#" in url and path[0] == "privacy_policy":
            why = "it carries a #fragment: declare the sections with their anchors instead"
        if why is not None:
            yield source.problem(path, "url", f"{url!r} cannot be published as a link: {why}",
                                 "write the address as it appears in the browser, starting "
                                 "with https://")
    why = email_problem(policy.publisher.contact)
    if why is not None:
        yield source.problem(("publisher", "contact"), "email",
                             f"{policy.publisher.contact!r} cannot be published: {why}",
                             "write the address alone, without a name or mailto:")
    for name, target in policy.links.items():
        why = link_problem(target)
        if why is not None:
            yield source.problem(("links", name), "url",
                                 f"the link '{name}' cannot be published: {why}",
                                 "write https://... or mailto:someone@example.com")


def _raw_html(source: Source, policy: Policy) -> Iterator[Problem]:
    texts: list[tuple[tuple[str | int, ...], str]] = [
        (("title",), policy.title), (("summary",), policy.summary),
        (("publisher", "name"), policy.publisher.name),
    ]
    if policy.retired and policy.retired.note:
        texts.append((("retired", "note"), policy.retired.note))
    for s, section in enumerate(policy.sections):
        texts.append((("sections", s, "heading"), section.heading))
    texts.extend(((*statement.path, "text"), statement.text) for statement in policy.statements)
    for path, text in texts:
        match = RAW_HTML.search(text)
        if match:
            yield source.problem(
                path, "no-raw-html",
                f"HTML is not allowed in legal text: found {match.group()!r}",
                "write the text exactly as it should read; links come from the declared links",
            )


def _links(source: Source, policy: Policy) -> Iterator[Problem]:
    for name in policy.links:
        if name in (CONTACT_LINK, PRIVACY_POLICY_LINK):
            yield source.problem(
                ("links",), "reserved-link-name",
                f"'{name}' is a built-in link name and cannot be declared under links:",
                "set publisher.contact or privacy_policy.url instead, or choose another name",
                key=name,
            )
    declared = policy.declared_links()
    addresses = policy.declared_addresses()
    for statement in policy.statements:
        where = (*statement.path, "text")
        for segment in statement.segments:
            if isinstance(segment, Reference):
                yield from _reference(source, policy, where, segment, declared)
            elif isinstance(segment, BareAddress):
                if not segment.target.lower().startswith(_ALLOWED_SCHEMES):
                    yield source.problem(
                        where, "link-scheme",
                        f"only https: and mailto: links are allowed, found {segment.text}",
                        "use the https: address of the page",
                    )
                elif segment.target not in addresses:
                    yield source.problem(
                        where, "undeclared-address",
                        f"{segment.text} is not declared, so it cannot become a link",
                        "declare it once: as privacy_policy.url, publisher.url, publisher.contact, "
                        "or under links:",
                    )


def _reference(
    source: Source, policy: Policy, where: tuple[str | int, ...], reference: Reference,
    declared: dict[str, str],
) -> Iterator[Problem]:
    target = declared.get(reference.name)
    if target is None and reference.name.startswith(PRIVACY_POLICY_LINK + ":"):
        number = reference.name.partition(":")[2]
        yield source.problem(
            where, "undeclared-section",
            f"section {number} of the Privacy Policy is referenced but not declared",
            f"add '- number: \"{number}\"' under privacy_policy.sections (with its anchor if known)",
        )
    elif target is None:
        close = difflib.get_close_matches(reference.name, list(declared), n=1)
        yield source.problem(
            where, "undeclared-link", f"the link [{reference.text}][{reference.name}] is not declared",
            f"did you mean [{close[0]}]?" if close else "declare it under links: (name: https://...)",
        )
    else:
        shown = reference.text.strip()
        if shown.lower().startswith(("http://", "https://", "mailto:")) or "@" in shown:
            plain_target = target.removeprefix("mailto:")
            if shown.removeprefix("mailto:") != plain_target:
                yield source.problem(
                    where, "link-text-mismatch",
                    f"the link shows {shown} but goes to {plain_target}",
                    "a link that shows an address must go to that address",
                )


def _claims(source: Source, policy: Policy, vocabulary: Mapping[str, Meaning]) -> Iterator[Problem]:
    seen: dict[str, Statement] = {}
    for statement, claim in policy.claims:
        meaning = vocabulary.get(claim.name)
        if meaning is not None and not meaning.accepts(claim.value):
            expected = {"boolean": "true or false", "text": "a phrase quoted from the statement",
                        "list": "a list of phrases quoted from the statement"}[meaning.type]
            yield source.problem(
                claim.path, "claim-type",
                f"the claim '{claim.name}' must be {expected}", meaning.description,
            )
        if meaning is None:
            close = difflib.get_close_matches(claim.name, list(vocabulary), n=1)
            yield source.problem(
                claim.path[:-1], "unknown-claim",
                f"'{claim.name}' is not in the claim vocabulary, so machines cannot know what "
                "it means",
                f"did you mean '{close[0]}'?" if close else
                "an engineer adds it, with its meaning, to schema/claims.json",
                key=claim.name,
            )
        earlier = seen.get(claim.name)
        if earlier is not None:
            yield source.problem(
                claim.path, "unique-claim",
                f"the claim '{claim.name}' is also made by statement '{earlier.id}'",
                "make each claim on one statement only",
            )
        seen.setdefault(claim.name, statement)
        phrases = (claim.value,) if isinstance(claim.value, str) else claim.value
        if isinstance(phrases, bool):
            continue
        text = statement.visible_text
        for phrase in phrases:
            if phrase not in text:
                yield source.problem(
                    claim.path, "claim-quotes-statement",
                    f"the claim '{claim.name}' says {phrase!r}, which statement "
                    f"'{statement.id}' does not say",
                    "a text claim must quote its statement word for word",
                )


def _unused_sections(source: Source, policy: Policy) -> Iterator[Problem]:
    if not policy.privacy_policy:
        return
    used = {
        segment.name
        for statement in policy.statements
        for segment in statement.segments
        if isinstance(segment, Reference)
    }
    for i, section in enumerate(policy.privacy_policy.sections):
        if f"{PRIVACY_POLICY_LINK}:{section.number}" not in used:
            yield source.problem(
                ("privacy_policy", "sections", i), "unused-section",
                f"Privacy Policy section {section.number} is declared but the text never refers to it",
                f"link to it as [Section {section.number}][{PRIVACY_POLICY_LINK}:{section.number}]"
                " or remove the declaration",
                severity="warning",
            )
