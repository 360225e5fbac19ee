"""Rendering a policy as the Markdown of its page: the legal text verbatim, links declared once,
claim-making statements anchored, and a header with version, dates and the disclosure."""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from dataclasses import dataclass

from policygen.model import urls
from policygen.model.addresses import is_safe_link
from policygen.model.policy import BulletList, ClaimValue, Policy, Statement
from policygen.model.problems import Problem
from policygen.model.report import location
from policygen.model.text import BareAddress, Reference, collapse_whitespace, parse
from policygen.render.languages import Languages
from policygen.render.markdown import escape, front_matter
from policygen.rules.changes import Changes, ClaimChange, claim_value_text, compare, word_diff
from policygen.source.languages import ENGLISH, labels, language_name
from policygen.source.vocabulary import Meaning


@functools.lru_cache(maxsize=16384)
def _statement_html(
    text: str, statement_id: str | None, tag: str, declared: tuple[tuple[str, str], ...],
    addresses: frozenset[str],
) -> str:
    """One statement as HTML, written here rather than through Markdown: every piece of text and
    every attribute is escaped, and a link is written only to a declared target that is a valid
    https: or mailto: address. This is the one place legal text reaches the page. (Remembered:
    the versions of a policy share most of their paragraphs.)"""
    links = dict(declared)
    parts: list[str] = []
    for segment in parse(text):
        target = None
        if isinstance(segment, Reference):
            target = links.get(segment.name)
        elif isinstance(segment, BareAddress) and segment.target in addresses:
            target = segment.target
        escaped = html.escape(segment.text)
        if target is not None and is_safe_link(target):
            shows_address = isinstance(segment, BareAddress)
            parts.append(f'<a href="{html.escape(target)}"'
                         + (' class="policy-address"' if shows_address else "") + f">{escaped}</a>")
        else:
            parts.append(escaped)
    attributes = ""
    if statement_id:
        attributes = f' id="{html.escape(statement_id)}" class="policy-statement"'
    return f"<{tag}{attributes}>{collapse_whitespace(''.join(parts))}</{tag}>"


def body(policy: Policy) -> str:
    """The legal text: numbered sections (Markdown headings, for the table of contents), and
    their paragraphs and bullets (HTML blocks, see ``_statement_html``)."""
    declared = tuple(sorted(policy.declared_links().items()))
    addresses = frozenset(policy.declared_addresses())

    def statement_html(statement: Statement, tag: str) -> str:
        return _statement_html(statement.text, statement.id, tag, declared, addresses)

    lines: list[str] = []
    for section in policy.sections:
        lines.append(
            f"## {escape(section.number)}\\. {escape(section.heading)} "
            f"{{ #{html.escape(section.anchor)} }}\n"
        )
        for block in section.blocks:
            if isinstance(block, BulletList):
                items = "\n".join(statement_html(bullet, "li") for bullet in block.bullets)
                lines.append(f"<ul>\n{items}\n</ul>\n")
            else:
                lines.append(statement_html(block, "p") + "\n")
    return "\n".join(lines)


def meta_line(policy: Policy, source: str, disclosure: str,
              words: Mapping[str, str] | None = None) -> str:
    """Version, dates, the disclosure and the history, on one line (in ``words``: English
    unless given)."""
    words = words or labels(ENGLISH).words
    return (
        f"{escape(words['version'])} **{escape(policy.version)}** · "
        f"{escape(words['effective_date'])} **{escape(policy.effective_date)}** · "
        f"{escape(words['last_reviewed'])} **{escape(policy.last_reviewed)}** · "
        f"[{escape(words['disclosure'])}]({urls.relative_link(source, disclosure)}) · "
        f"[{escape(words['history'])}]"
        f"({urls.relative_link(source, urls.history_page_source(policy.id))})\n"
    )


def _header(policy: Policy, source: str, disclosure: str) -> str:
    return meta_line(policy, source, disclosure) + "{: .policy-meta }\n"


def _retired_note(policy: Policy) -> str:
    if policy.retired is None:
        return ""
    note = f" {escape(policy.retired.note)}" if policy.retired.note else ""
    return (
        f"**This policy was retired on {escape(policy.retired.date)}** and no longer "
        f"applies.{note} It is kept here as it was last published.\n"
        "{: .policy-version-note .policy-superseded .policy-retired }\n\n"
    )


@dataclass(frozen=True)
class PrintRecord:
    """What a printed copy of a version needs to stand as a legal record: where the version is
    published for good, the digest of its disclosure, and when it was released."""

    permanent_url: str
    disclosure_sha256: str
    released_on: str | None
    released: bool

    def html(self, policy: Policy) -> str:
        """A paragraph that only print shows (the screen has the same facts in the header)."""
        released = (f"released {self.released_on}" if self.released_on else
                    "release day not recorded" if self.released else "not yet released")
        lines = [
            f"Permanent address of version {policy.version}: {self.permanent_url}",
            f"Disclosure SHA-256: {self.disclosure_sha256}",
            f"Effective date {policy.effective_date} · {released}",
        ]
        return ('<p class="policy-print-record">'
                + "<br>".join(html.escape(line) for line in lines) + "</p>\n\n")


def _in_languages(languages: Languages | None) -> dict[str, list[dict[str, str]]]:
    return {"alternates": languages.alternates()} if languages else {}


def _switch(languages: Languages | None, source: str, policy: Policy) -> str:
    return languages.switch(source, policy.language) if languages else ""


def current_page(policy: Policy, record: PrintRecord, languages: Languages | None = None) -> str:
    """The Markdown of ``/ID/``, the current version's page (with links to its translations)."""
    source = urls.page_source(policy.id)
    disclosure = urls.disclosure_path(policy.id)
    return (
        front_matter(
            title=policy.title, disclosure=disclosure, effective_date=policy.effective_date,
            feed=urls.feed_path(policy.id), **_in_languages(languages),
        )
        + f"\n# {escape(policy.title)}\n\n"
        + _retired_note(policy)
        + _switch(languages, source, policy)
        + _header(policy, source, disclosure)
        + "\n"
        + record.html(policy)
        + body(policy)
    )


def version_page(policy: Policy, current_version: str, record: PrintRecord,
                 languages: Languages | None = None) -> str:
    """The Markdown of ``/ID/VERSION/``: one version's page, as it was published."""
    source = urls.version_page_source(policy.id, policy.version)
    disclosure = urls.version_disclosure_path(policy.id, policy.version)
    current = urls.relative_link(source, urls.page_source(policy.id))
    if policy.version == current_version:
        note = (
            f"This is the permanent page of version {escape(policy.version)}, the current "
            f"version. [The current version]({current}) is always at the policy's own page.\n"
            "{: .policy-version-note }\n\n"
        )
    else:
        note = (
            f"**This version ({escape(policy.version)}) is superseded.** It is kept here as it "
            f"was published. [Read the current version, {escape(current_version)}]({current}).\n"
            "{: .policy-version-note .policy-superseded }\n\n"
        )
    return (
        front_matter(
            title=f"{policy.title} — version {policy.version}", disclosure=disclosure,
            effective_date=policy.effective_date, feed=urls.feed_path(policy.id),
            **_in_languages(languages),
        )
        + f"\n# {escape(policy.title)}\n\n"
        + note
        + _switch(languages, source, policy)
        + _header(policy, source, disclosure)
        + "\n"
        + record.html(policy)
        + body(policy)
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One version on the history page."""

    policy: Policy
    released: bool
    released_on: str | None = None
    """The day it was released, when the archive recorded it."""
    translations: tuple[tuple[str, str], ...] = ()
    """The version's translations: (language, page source), by language."""


def history_page(versions: list[HistoryEntry], vocabulary: Mapping[str, Meaning]) -> str:
    """The Markdown of ``/ID/history/``: every version, newest first, with its effective and
    release dates and what it changed. ``versions`` is oldest first."""
    current = versions[-1].policy
    source = urls.history_page_source(current.id)
    parts = [
        front_matter(title=f"{current.title} — history", feed=urls.feed_path(current.id)),
        f"\n# History of the {escape(current.title)}\n\n",
        "Every published version, newest first, with what changed from the version before it: "
        "claims first (in words, with the claim's name in small print), then wording.\n\n",
        CHANGES_KEY,
    ]
    for index in range(len(versions) - 1, -1, -1):
        entry = versions[index]
        policy = entry.policy
        page_link = urls.relative_link(source, urls.version_page_source(policy.id, policy.version))
        json_link = urls.relative_link(
            source, urls.version_disclosure_path(policy.id, policy.version)
        )
        status = "" if entry.released else " (not yet released)"
        released = (f"Released **{escape(entry.released_on)}**" if entry.released_on else
                    "Released (day not recorded)" if entry.released else "Not yet released")
        anchor = urls.version_anchor(policy.version)
        parts.append(
            f"## Version {escape(policy.version)}{escape(status)} {{ #{anchor} }}\n\n"
            f"Effective date **{escape(policy.effective_date)}** · {released} · "
            f"[Page]({page_link}) · [Disclosure (JSON)]({json_link})\n"
            "{: .policy-meta }\n\n"
            f"{escape(policy.summary)}\n\n"
        )
        if entry.translations:
            parts.append("Translations: " + " · ".join(
                f"[{escape(language_name(language))}]({urls.relative_link(source, page)})"
                f'{{: hreflang="{language}" lang="{language}" }}'
                for language, page in entry.translations
            ) + "\n{: .policy-translations }\n\n")
        if index == 0:
            parts.append("No earlier version to compare with.\n{: .policy-changes-none }\n\n")
        else:
            changes = compare(versions[index - 1].policy, policy)
            parts.append(changes_html(changes, vocabulary) + "\n")
    return "".join(parts)


CHANGES_KEY = (
    '<p class="policy-changes-key">Key: <del><span class="policy-sr">removed: </span>removed '
    'words</del> are struck through, <ins><span class="policy-sr">added: </span>added words'
    "</ins> are underlined.</p>\n\n"
)


def _removed(text: str) -> str:
    return f'<del><span class="policy-sr">removed: </span>{html.escape(text)}</del>'


def _added(text: str) -> str:
    return f'<ins><span class="policy-sr">added: </span>{html.escape(text)}</ins>'


def _claim_value(value: ClaimValue | None, meaning: Meaning | None) -> str:
    if isinstance(value, bool) and meaning is not None and meaning.type == "boolean":
        return "yes" if value else "no"
    return claim_value_text(value)


def _claim_change(claim: ClaimChange, meaning: Meaning | None) -> str:
    """A claim change in the words of the claim's meaning; its name in small print."""
    said = html.escape(meaning.description if meaning else claim.name)
    name = (f' <small class="policy-claim-name" title="{html.escape(claim.name)}">'
            f"(<code>{html.escape(claim.name)}</code>)</small>")
    before, after = _claim_value(claim.before, meaning), _claim_value(claim.after, meaning)
    if claim.before is None:
        return f"<li>Now stated: {said} {_added(after)}{name}</li>"
    if claim.after is None:
        return f"<li>No longer stated: {said} {_removed(before)}{name}</li>"
    if isinstance(claim.after, bool) and meaning is not None and meaning.type == "boolean":
        lead = "Now" if claim.after else "No longer"
        return f"<li>{lead}: {said} {_removed(before)} {_added(after)}{name}</li>"
    return f"<li>Changed: {said} {_removed(before)} {_added(after)}{name}</li>"


def changes_html(changes: Changes, vocabulary: Mapping[str, Meaning]) -> str:
    """A change as HTML for the history page: claims first, in the words of their meaning, then
    wording, marked up word by word, removed and added words apart and named for screen readers."""
    if changes.bump is None:
        return '<p class="policy-changes-none">No change to the text or the claims.</p>\n'
    items: list[str] = ['<div class="policy-changes">']
    if changes.claims:
        items.append("<p><strong>Claims</strong></p>\n<ul>")
        items.extend(_claim_change(claim, vocabulary.get(claim.name)) for claim in changes.claims)
        items.append("</ul>")
    if changes.wording:
        items.append("<p><strong>Wording</strong></p>\n<ul>")
        for wording in changes.wording:
            where = html.escape(wording.where)
            if wording.before is None:
                items.append(f"<li>{where}, added: {_added(wording.after or '')}</li>")
            elif wording.after is None:
                items.append(f"<li>{where}, removed: {_removed(wording.before)}</li>")
            else:
                items.append(f"<li>{where}: {_marked(wording.before, wording.after)}</li>")
        items.append("</ul>")
    if changes.details:
        items.append("<p><strong>Other</strong></p>\n<ul>")
        items.extend(f"<li>{html.escape(detail)}</li>" for detail in changes.details)
        items.append("</ul>")
    items.append("</div>")
    return "\n".join(items) + "\n"


def _marked(before: str, after: str) -> str:
    """``before`` → ``after`` word by word; a removed run and the added run that replaces it
    stand apart, with a space between them."""
    parts: list[str] = []
    previous = "same"
    for kind, text in word_diff(before, after):
        if kind == "added" and previous == "removed":
            parts.append(" ")
        parts.append(html.escape(text) if kind == "same"
                     else _removed(text) if kind == "removed" else _added(text))
        previous = kind
    return "".join(parts)


def index_page(policies: tuple[Policy, ...]) -> str:
    """The Markdown of ``/``: every policy with its version, effective date, page and JSON."""
    rows = [
        f"| [{escape(policy.title)}]({urls.page_source(policy.id)})"
        + (f" (retired {escape(policy.retired.date)})" if policy.retired else "") + " "
        f"| {escape(policy.version)} | {escape(policy.effective_date)} "
        f"| [{escape(urls.disclosure_path(policy.id))}]({urls.disclosure_path(policy.id)}) |"
        for policy in sorted(policies, key=lambda policy: policy.id)
    ]
    return (
        front_matter(title="Policies", feed=urls.SITE_FEED_PATH)
        + "\n# Policies\n\n"
        + "| Policy | Version | Effective date | Machine-readable disclosure |\n"
        + "| --- | --- | --- | --- |\n"
        + "\n".join(rows)
        + "\n\nEvery version of every disclosure, with its SHA-256 digest, is listed in the "
        + f"[catalog]({urls.CATALOG_PATH}).\n"
    )


def problems_box(problems: tuple[Problem, ...]) -> str:
    """A clearly marked box listing problems, for the live preview (raw HTML: shown as is)."""
    errors = any(problem.is_error for problem in problems)
    heading = (
        "This preview has errors: the site will not build until they are fixed."
        if errors else "This preview has warnings: a strict build (this site's setting) stops "
        "on them too."
    )
    items = "\n".join(
        f'<li><code>{html.escape(location(problem))}</code> <strong>{problem.severity}</strong>: '
        f"{html.escape(problem.message)} <code>[{html.escape(problem.rule)}]</code>"
        + (f"<br><em>{html.escape(problem.hint)}</em>" if problem.hint else "")
        + "</li>"
        for problem in problems
    )
    kind = "error" if errors else "warning"
    return (
        f'<div class="policy-problems policy-problems--{kind}" role="alert">\n'
        f"<p><strong>{html.escape(heading)}</strong></p>\n<ul>\n{items}\n</ul>\n</div>\n"
    )


def with_problems(markdown: str, problems: tuple[Problem, ...]) -> str:
    """``markdown`` with the problems box at the top of the page (after the front matter)."""
    if not problems:
        return markdown
    front, separator, rest = markdown.partition("\n---\n")
    return front + separator + "\n" + problems_box(problems) + rest


def problems_page(file: str, problems: tuple[Problem, ...]) -> str:
    """The preview page of a source that cannot be read or checked."""
    return (
        front_matter(title=f"Problems in {file}")
        + "\n" + problems_box(problems)
        + f"\n# Problems in {escape(file)}\n\n"
        + "Fix the file and save it: this page comes back by itself.\n"
    )

