"""What changed between two versions of a policy, and the version bump that change needs.

A claim that changes value needs a major bump; a claim or statement added or removed, a minor
one; wording, headings, links and dates, a patch. Claims come first in every report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from policygen.model.policy import BulletList, ClaimValue, Policy, Section, Statement
from policygen.model.versions import BUMPS, Bump


@dataclass(frozen=True)
class ClaimChange:
    """A claim added (``before`` is None), removed (``after`` is None) or changed in value."""

    name: str
    before: ClaimValue | None
    after: ClaimValue | None

    @property
    def bump(self) -> Bump:
        return "minor" if self.before is None or self.after is None else "major"


@dataclass(frozen=True)
class WordingChange:
    """A statement, heading or title reworded (or, with one side None, added or removed)."""

    where: str
    before: str | None
    after: str | None

    @property
    def bump(self) -> Bump:
        return "minor" if self.before is None or self.after is None else "patch"


@dataclass(frozen=True)
class Changes:
    claims: tuple[ClaimChange, ...]
    wording: tuple[WordingChange, ...]
    details: tuple[str, ...]

    @property
    def bump(self) -> Bump | None:
        """The smallest version bump that this change needs (None: nothing changed)."""
        needed: list[Bump] = [c.bump for c in self.claims] + [w.bump for w in self.wording]
        if self.details:
            needed.append("patch")
        return max(needed, key=BUMPS.index) if needed else None

    @property
    def reason(self) -> str:
        """Why the bump is needed, in one phrase."""
        for change in self.claims:
            if change.bump == "major":
                return f"the claim '{change.name}' changed its value"
        for claim in self.claims:
            return f"the claim '{claim.name}' was {'added' if claim.before is None else 'removed'}"
        for wording in self.wording:
            if wording.bump == "minor":
                return f"{wording.where} was {'added' if wording.before is None else 'removed'}"
        if self.wording:
            return f"{self.wording[0].where} was reworded"
        return self.details[0] if self.details else "nothing changed"


def compare(before: Policy, after: Policy) -> Changes:
    """Everything published that differs between two versions (not the version or summary)."""
    return Changes(
        claims=tuple(_claim_changes(before, after)),
        wording=tuple(_wording_changes(before, after)),
        details=tuple(_detail_changes(before, after)),
    )


def _claim_changes(before: Policy, after: Policy) -> Iterator[ClaimChange]:
    old = {claim.name: claim.value for _, claim in before.claims}
    new = {claim.name: claim.value for _, claim in after.claims}
    for name in [*old, *(name for name in new if name not in old)]:
        if old.get(name) != new.get(name):
            yield ClaimChange(name, old.get(name), new.get(name))


def labelled_statements(policy: Policy) -> list[tuple[str, Statement]]:
    """Each statement with the place a reader finds it: "Section 2, bullet 3"."""
    found = []
    for section in policy.sections:
        paragraphs = bullets = 0
        for block in section.blocks:
            if isinstance(block, BulletList):
                for bullet in block.bullets:
                    bullets += 1
                    found.append((f"Section {section.number}, bullet {bullets}", bullet))
            else:
                paragraphs += 1
                found.append((f"Section {section.number}, paragraph {paragraphs}", block))
    return found


def _wording_changes(before: Policy, after: Policy) -> Iterator[WordingChange]:
    if before.title != after.title:
        yield WordingChange("The title", before.title, after.title)
    old_headings = [(s.number, s.heading) for s in before.sections]
    new_headings = [(s.number, s.heading) for s in after.sections]
    if old_headings != new_headings:
        for (number, was), (_, now) in zip(old_headings, new_headings, strict=False):
            if was != now:
                yield WordingChange(f"The heading of section {number}", was, now)
    old = labelled_statements(before)
    new = labelled_statements(after)

    def key(statement: Statement) -> str:
        return statement.id or statement.visible_text

    matcher = difflib.SequenceMatcher(
        None, [key(s) for _, s in old], [key(s) for _, s in new], autojunk=False
    )
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False))
        if operation in ("equal", "replace"):
            for (_, earlier), (where, later) in pairs:
                if earlier.visible_text != later.visible_text:
                    yield WordingChange(where, earlier.visible_text, later.visible_text)
        for where, statement in old[i1 + len(pairs):i2]:
            yield WordingChange(where, statement.visible_text, None)
        for where, statement in new[j1 + len(pairs):j2]:
            yield WordingChange(where, None, statement.visible_text)


def _layout(section: Section) -> str:
    """How a section is laid out, in words: "paragraph, list of 3 bullets"."""
    shapes = []
    for block in section.blocks:
        if isinstance(block, BulletList):
            count = len(block.bullets)
            shapes.append(f"list of {count} bullet{'s' if count != 1 else ''}")
        else:
            shapes.append("paragraph")
    return ", ".join(shapes)


def _layout_changes(before: Policy, after: Policy) -> Iterator[str]:
    """What the page shows differently without a word changing: numbers, lists, order."""
    for old, new in zip(before.sections, after.sections, strict=False):
        if old.number != new.number:
            yield f"section {old.number} is now numbered {new.number}"
        if _layout(old) != _layout(new):
            yield f"the layout of section {new.number} changed: {_layout(old)} → {_layout(new)}"
    for section in before.sections[len(after.sections):]:
        yield f"section {section.number} was removed"
    for section in after.sections[len(before.sections):]:
        yield f"section {section.number} was added"
    old_order = [s.id or s.visible_text for s in before.statements]
    new_order = [s.id or s.visible_text for s in after.statements]
    if old_order != new_order and sorted(old_order) == sorted(new_order):
        yield "the statements are in another order"


def _detail_changes(before: Policy, after: Policy) -> Iterator[str]:
    yield from _layout_changes(before, after)
    for label, old, new in (
        ("effective date", before.effective_date, after.effective_date),
        ("last reviewed", before.last_reviewed, after.last_reviewed),
        ("language", before.language, after.language),
        ("publisher", before.publisher, after.publisher),
        ("Privacy Policy", before.privacy_policy, after.privacy_policy),
        ("links", before.links, after.links),
    ):
        if old != new:
            yield f"{label}: {_plain(old)} → {_plain(new)}"
    old_texts = [s.text for _, s in labelled_statements(before)]
    new_texts = [s.text for _, s in labelled_statements(after)]
    old_visible = [s.visible_text for _, s in labelled_statements(before)]
    new_visible = [s.visible_text for _, s in labelled_statements(after)]
    if old_visible == new_visible and old_texts != new_texts:
        yield "links in the text changed"


def _plain(value: object) -> str:
    if value is None:
        return "none"
    if hasattr(value, "__dataclass_fields__"):
        fields = vars(value)
        return ", ".join(f"{name} {_plain(field)}" for name, field in fields.items())
    if isinstance(value, tuple):
        return "; ".join(_plain(item) for item in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{name} {target}" for name, target in value.items()) or "none"
    return str(value)


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> list[tuple[Literal["same", "removed", "added"], str]]:
    """``before`` → ``after`` word by word: runs of unchanged, removed and added text."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    runs: list[tuple[Literal["same", "removed", "added"], str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            runs.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("added", "".join(new[j1:j2])))
    return runs


def claim_value_text(value: ClaimValue | None) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "; ".join(f"“{item}”" for item in value)
    return f"“{value}”"


def as_text(changes: Changes) -> str:
    """The change for a terminal: claims first, then wording ([-removed-]{+added+}), then details."""
    lines: list[str] = []
    if changes.claims:
        lines.append("Claims:")
        for claim in changes.claims:
            if claim.before is None:
                lines.append(f"  + {claim.name}: {claim_value_text(claim.after)}")
            elif claim.after is None:
                lines.append(f"  - {claim.name}: {claim_value_text(claim.before)}")
            else:
                lines.append(f"  ~ {claim.name}: {claim_value_text(claim.before)} → "
                             f"{claim_value_text(claim.after)}")
    if changes.wording:
        lines.append("Wording:")
        for wording in changes.wording:
            if wording.before is None:
                lines.append(f"  + {wording.where}: {wording.after}")
            elif wording.after is None:
                lines.append(f"  - {wording.where}: {wording.before}")
            else:
                marked = "".join(
                    text if kind == "same" else f"[-{text}-]" if kind == "removed" else f"{{+{text}+}}"
                    for kind, text in word_diff(wording.before, wording.after)
                )
                lines.append(f"  ~ {wording.where}: {marked}")
    if changes.details:
        lines.append("Other:")
        lines.extend(f"  ~ {detail}" for detail in changes.details)
    return "\n".join(lines) if lines else "No changes."
