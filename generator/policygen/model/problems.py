"""A problem found in a policy source: a plain value that every reporter and adapter shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a source file, where it is, and how to fix it.

    ``line`` and ``column`` are 1-based; 0 means "the whole file".
    ``path`` is the JSON path of the offending value inside the document (``$`` for the root).
    """

    file: str
    line: int
    column: int
    rule: str
    message: str
    hint: str = ""
    path: str = "$"
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


EXIT_CLEAN, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2
"""What every command exits with: clean, problems found, could not run."""


class CannotRun(Exception):
    """The check itself cannot run (a project file is missing or broken): exit code 2."""


def json_path(parts: tuple[str | int, ...]) -> str:
    """``("sections", 0, "heading")`` → ``$.sections[0].heading``."""
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
