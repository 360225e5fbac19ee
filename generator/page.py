"""Rendering a policy as the Markdown of its page: the legal text verbatim, links declared once,
claim-making statements anchored, and a header with version, dates and the disclosure."""

from __future__ import annotations

import html
import json
import re

from generator import urls
from generator.policy import BulletList, Policy, Statement
from generator.problems import Problem
from generator.report import location
from generator.text import BareAddress, Reference, Words

# Python-Markdown's backslash escapes (plus "|", which the tables extension adds).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>|])")
_WHITESPACE = re.compile(r"[ \t\r\n]+")


def escape(text: str) -> str:
    """Text that Markdown shows exactly as written."""
    text = _WHITESPACE.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _front_matter(**fields: str) -> str:
    lines = [f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _statement_markdown(policy: Policy, statement: Statement) -> str:
    declared = policy.declared_links()
    parts: list[str] = []
    for segment in statement.segments:
        if isinstance(segment, Words):
            parts.append(escape(segment.text))
        elif isinstance(segment, Reference):
            parts.append(f"[{escape(segment.text)}](<{declared[segment.name]}>)")
        elif isinstance(segment, BareAddress):
            parts.append(f"[{escape(segment.text)}](<{segment.target}>)")
    markdown = "".join(parts).strip()
    if statement.id:
        markdown += f"\n{{: #{statement.id} .policy-statement }}"
    return markdown


def body(policy: Policy) -> str:
    """The legal text: numbered sections, paragraphs and bullets."""
    lines: list[str] = []
    for section in policy.sections:
        lines.append(
            f"## {escape(section.number)}\\. {escape(section.heading)} {{ #{section.anchor} }}\n"
        )
        for block in section.blocks:
            if isinstance(block, BulletList):
                for bullet in block.bullets:
                    lines.append("- " + _statement_markdown(policy, bullet).replace("\n", "\n  "))
                lines.append("")
            else:
                lines.append(_statement_markdown(policy, block) + "\n")
    return "\n".join(lines)


def _header(policy: Policy, source: str, disclosure: str) -> str:
    link = urls.relative_link(source, disclosure)
    return (
        f"Version **{escape(policy.version)}** · "
        f"Effective date **{escape(policy.effective_date)}** · "
        f"Last reviewed **{escape(policy.last_reviewed)}** · "
        f"[Machine-readable disclosure (JSON)]({link})\n"
        "{: .policy-meta }\n"
    )


def current_page(policy: Policy) -> str:
    """The Markdown of ``/ID/``, the current version's page."""
    source = urls.page_source(policy.id)
    disclosure = urls.disclosure_path(policy.id)
    return (
        _front_matter(
            title=policy.title, disclosure=disclosure, effective_date=policy.effective_date,
        )
        + f"\n# {escape(policy.title)}\n\n"
        + _header(policy, source, disclosure)
        + "\n"
        + body(policy)
    )


def version_page(policy: Policy) -> str:
    """The Markdown of ``/ID/VERSION/``, the permanent page of one version."""
    source = urls.version_page_source(policy.id, policy.version)
    disclosure = urls.version_disclosure_path(policy.id, policy.version)
    current = urls.relative_link(source, urls.page_source(policy.id))
    return (
        _front_matter(
            title=f"{policy.title} — version {policy.version}", disclosure=disclosure,
            effective_date=policy.effective_date,
        )
        + f"\n# {escape(policy.title)}\n\n"
        + f"This is the permanent page of version {escape(policy.version)}. "
        + f"[The current version]({current}) is always at the policy's own page.\n"
        + "{: .policy-version-note }\n\n"
        + _header(policy, source, disclosure)
        + "\n"
        + body(policy)
    )


def index_page(policies: tuple[Policy, ...]) -> str:
    """The Markdown of ``/``: every policy with its version, effective date, page and JSON."""
    rows = [
        f"| [{escape(policy.title)}]({urls.page_source(policy.id)}) "
        f"| {escape(policy.version)} | {escape(policy.effective_date)} "
        f"| [{escape(urls.disclosure_path(policy.id))}]({urls.disclosure_path(policy.id)}) |"
        for policy in sorted(policies, key=lambda policy: policy.id)
    ]
    return (
        _front_matter(title="Policies")
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
        if errors else "This preview has warnings."
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
        _front_matter(title=f"Problems in {file}")
        + "\n" + problems_box(problems)
        + f"\n# Problems in {escape(file)}\n\n"
        + "Fix the file and save it: this page comes back by itself.\n"
    )
