"""One file the site publishes: light, so that a cached build needs nothing else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """One published file: its path under the site root and its exact content."""

    path: str
    content: bytes | str
    title: str | None = None
    source_file: str | None = None
    archived: bool = False
    """Published byte for byte from the release archive (validated when it was released)."""
    later: bool = False
    """Listed before it is rendered (empty until then): a file of a policy's history."""

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")
