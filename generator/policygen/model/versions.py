"""Semantic versions: their order, and the bump from one to the next."""

from __future__ import annotations

from typing import Literal

Bump = Literal["major", "minor", "patch"]
BUMPS: tuple[Bump, ...] = ("patch", "minor", "major")


def version_key(version: str) -> tuple[int, int, int]:
    """``"1.10.0"`` → ``(1, 10, 0)``, for ordering (versions are checked as MAJOR.MINOR.PATCH)."""
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def declared_bump(before: str, after: str) -> Bump | None:
    """The bump from version ``before`` to ``after`` (None when it does not go up)."""
    old, new = version_key(before), version_key(after)
    if new <= old:
        return None
    if new[0] != old[0]:
        return "major"
    return "minor" if new[1] != old[1] else "patch"


def bumped(version: str, bump: Bump) -> str:
    major, minor, patch = version_key(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
