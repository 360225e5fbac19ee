"""The policy model: what a validated source says, in the words a legal reader uses."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from policygen.model.text import Segment, parse, visible_text

ClaimValue = bool | str | tuple[str, ...]
Location = tuple[str | int, ...]
"""Where a value is in the source: its keys and list positions."""

PRIVACY_POLICY_LINK = "privacy-policy"
CONTACT_LINK = "contact"


@dataclass(frozen=True)
class Claim:
    """A machine-readable claim, as made by the statement that carries it."""

    name: str
    value: ClaimValue
    path: Location


@dataclass(frozen=True)
class Statement:
    """A paragraph or bullet of legal text; with an ``id`` when it makes claims."""

    id: str | None
    text: str
    claims: tuple[Claim, ...]
    path: Location

    @cached_property
    def segments(self) -> tuple[Segment, ...]:
        return parse(self.text)

    @cached_property
    def visible_text(self) -> str:
        return visible_text(self.segments)


@dataclass(frozen=True)
class BulletList:
    bullets: tuple[Statement, ...]


Block = Statement | BulletList


@dataclass(frozen=True)
class Section:
    number: str
    heading: str
    blocks: tuple[Block, ...]

    @property
    def anchor(self) -> str:
        return "section-" + self.number.replace(".", "-")

    @property
    def statements(self) -> Iterator[Statement]:
        for block in self.blocks:
            if isinstance(block, BulletList):
                yield from block.bullets
            else:
                yield block


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str
    contact: str


@dataclass(frozen=True)
class ReferencedSection:
    """A section of the Privacy Policy that the text refers to."""

    number: str
    anchor: str | None
    heading: str | None = field(default=None, compare=False)
    """The heading legal expects the section to have there (checked online by policygen links;
    not published, so declaring it changes no version)."""


@dataclass(frozen=True)
class PrivacyPolicy:
    url: str
    sections: tuple[ReferencedSection, ...]

    def section_url(self, section: ReferencedSection) -> str:
        return f"{self.url}#{section.anchor}" if section.anchor else self.url


@dataclass(frozen=True)
class Retirement:
    """A policy that no longer applies: from when, and what readers should know."""

    date: str
    note: str | None


@dataclass(frozen=True)
class Policy:
    """One policy statement, version and all."""

    source_file: str
    id: str
    title: str
    version: str
    summary: str
    effective_date: str
    last_reviewed: str
    language: str
    publisher: Publisher
    privacy_policy: PrivacyPolicy | None
    links: dict[str, str]
    sections: tuple[Section, ...]
    retired: Retirement | None = None
    fingerprint: str = field(default="", compare=False)
    """A digest of the source's content (not its formatting), for cache keys."""

    @property
    def statements(self) -> Iterator[Statement]:
        for section in self.sections:
            yield from section.statements

    @property
    def claims(self) -> Iterator[tuple[Statement, Claim]]:
        for statement in self.statements:
            for claim in statement.claims:
                yield statement, claim

    @property
    def review_due(self) -> str:
        """Twelve months after the last review (28 February for a review on 29 February)."""
        reviewed = dt.date.fromisoformat(self.last_reviewed)
        try:
            due = reviewed.replace(year=reviewed.year + 1)
        except ValueError:
            due = reviewed.replace(year=reviewed.year + 1, day=28)
        return due.isoformat()

    def declared_links(self) -> dict[str, str]:
        """Every link the text may use, by name → target (https: URL or mailto: address)."""
        declared = dict(self.links)  # the built-in names below win (redeclaring one is a problem)
        declared[CONTACT_LINK] = "mailto:" + self.publisher.contact
        if self.privacy_policy:
            declared[PRIVACY_POLICY_LINK] = self.privacy_policy.url
            for section in self.privacy_policy.sections:
                declared[f"{PRIVACY_POLICY_LINK}:{section.number}"] = (
                    self.privacy_policy.section_url(section)
                )
        return declared

    def declared_addresses(self) -> set[str]:
        """The targets a bare URL or e-mail address in the text may have."""
        return {self.publisher.url, *self.declared_links().values()}


def policy_from_data(data: dict[str, Any], source_file: str) -> Policy:
    """Build the model from source data that has passed the source schema."""
    privacy_policy = data.get("privacy_policy")
    content = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return Policy(
        source_file=source_file,
        id=data["id"],
        title=data["title"],
        version=data["version"],
        summary=data["summary"],
        effective_date=data["effective_date"],
        last_reviewed=data["last_reviewed"],
        language=data["language"],
        publisher=Publisher(**data["publisher"]),
        privacy_policy=PrivacyPolicy(
            url=privacy_policy["url"],
            sections=tuple(
                ReferencedSection(str(section["number"]), section.get("anchor"),
                                  section.get("heading"))
                for section in privacy_policy.get("sections", [])
            ),
        ) if privacy_policy else None,
        links=dict(data.get("links", {})),
        sections=tuple(
            Section(
                number=str(section["number"]),
                heading=section["heading"],
                blocks=tuple(
                    _block(block, ("sections", s, "blocks", b))
                    for b, block in enumerate(section["blocks"])
                ),
            )
            for s, section in enumerate(data["sections"])
        ),
        retired=Retirement(data["retired"]["date"], data["retired"].get("note"))
        if "retired" in data else None,
        fingerprint=hashlib.sha256(content).hexdigest(),
    )


def _block(block: dict[str, Any], path: Location) -> Block:
    if "bullets" in block:
        return BulletList(tuple(
            _statement(bullet, (*path, "bullets", i)) for i, bullet in enumerate(block["bullets"])
        ))
    return _statement(block, path)


def _statement(statement: dict[str, Any], path: Location) -> Statement:
    return Statement(
        id=statement.get("id"),
        text=statement["text"],
        claims=tuple(
            Claim(name, tuple(value) if isinstance(value, list) else value, (*path, "claims", name))
            for name, value in statement.get("claims", {}).items()
        ),
        path=path,
    )
