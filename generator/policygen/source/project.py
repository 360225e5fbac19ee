"""Where a policy site's sources live, and what day it is for them: light, for fast start-up."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from policygen.model.problems import CannotRun

SOURCE_SUFFIXES = (".yaml", ".yml")
RELEASES = "releases"
"""The folder of the release archive, inside the policy folder."""


@dataclass(frozen=True)
class Project:
    """Where a policy site's sources live."""

    root: Path
    policy_dir: Path
    schema_dir: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        """The project in ``root``: its policies in ``policy/``, its schemas in ``schema/``.
        The one rule that the command line and the MkDocs plugin both follow."""
        root = root.resolve()
        return cls(root, root / "policy", root / "schema")

    def display(self, path: Path) -> str:
        """A path as reported: relative to the project root (as editors and GitHub expect)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def source_files(self) -> list[Path]:
        """Every policy source: ``*.yaml`` and ``*.yml`` in the policy folder that are not
        folders and not hidden (a link that leads nowhere is still a source, to report)."""
        return sorted(
            path for path in self.policy_dir.iterdir()
            if path.suffix in SOURCE_SUFFIXES and not path.name.startswith(".")
            and not path.is_dir()
        )



def today_from_environment() -> dt.date:
    """Today, or the date in ``POLICYGEN_TODAY`` (YYYY-MM-DD) for reproducible checks and builds."""
    fixed = os.environ.get("POLICYGEN_TODAY")
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError as error:
        raise CannotRun(f"POLICYGEN_TODAY={fixed!r} is not a date (YYYY-MM-DD)") from error
