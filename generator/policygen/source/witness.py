"""Version control as a witness of the release archive.

A checksum file is no witness against someone who can edit it. A committed revision is: every
released file that ``HEAD`` (or the revision that CI names with ``--base``, the pull request's
base) holds under ``policy/releases/`` must still be here, unchanged, and every line of its
``SHA256SUMS`` must still be there. Files are compared by their git blob ids, computed here from
the bytes read, so the whole comparison costs three ``git`` calls however large the archive.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from policygen.model.problems import CannotRun, Problem
from policygen.source.project import RELEASES

SUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Witness:
    """The release archive as one committed revision has it."""

    revision: str
    """As asked for: ``HEAD``, or the ``--base`` given."""
    commit: str
    """The commit it named (empty when the repository has no commit yet)."""
    files: dict[str, str]
    """Each archived file by its name inside the archive → its git blob id."""
    sums: bytes
    """That revision's ``SHA256SUMS`` (empty when it had none)."""

    @property
    def shown(self) -> str:
        return f"{self.revision} ({self.commit[:12]})" if self.commit else self.revision


def blob_id(content: bytes) -> str:
    """The id git gives a file with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def _git(policy_dir: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(policy_dir), *arguments], capture_output=True,
                          check=False, timeout=60)


def read_witness(policy_dir: Path, base: str | None) -> tuple[Witness | None, list[Problem]]:
    """What ``base`` (default ``HEAD``) holds of the archive; None outside a git work tree.

    A named ``base`` that does not exist cannot be checked against: that is ``CannotRun``.
    """
    revision = base or "HEAD"
    try:
        inside = _git(policy_dir, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        if base is not None:
            raise CannotRun(f"--base {base}: git is not installed") from None
        if any((folder / ".git").exists() for folder in (policy_dir, *policy_dir.parents)):
            return None, [_unavailable(policy_dir, "git is not installed")]
        return None, []
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        reason = inside.stderr.decode("utf-8", "replace").strip().splitlines()
        if base is not None:
            raise CannotRun(f"--base {base}: {policy_dir} is not in a git work tree")
        if reason and "not a git repository" not in reason[0]:
            return None, [_unavailable(policy_dir, reason[0])]
        return None, []
    resolved = _git(policy_dir, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if resolved.returncode != 0:
        if base is not None:
            raise CannotRun(f"--base {base}: no such revision in this repository")
        return Witness(revision, "", {}, b""), []  # a repository without a commit yet
    commit = resolved.stdout.decode().strip()
    listing = _git(policy_dir, "ls-tree", "-r", "-z", commit, "--", RELEASES)
    if listing.returncode != 0:
        raise CannotRun(f"git ls-tree {revision} failed: "
                        + listing.stderr.decode("utf-8", "replace").strip())
    files: dict[str, str] = {}
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        info, _, path = record.partition(b"\t")
        _mode, kind, blob = info.decode().split()
        name = path.decode("utf-8", "surrogateescape").removeprefix(RELEASES + "/")
        if kind == "blob":
            files[name] = blob
    sums = b""
    if SUMS in files:
        shown = _git(policy_dir, "cat-file", "blob", files[SUMS])
        if shown.returncode != 0:
            raise CannotRun(f"git cat-file failed for {RELEASES}/{SUMS} at {revision}")
        sums = shown.stdout
    return Witness(revision, commit, dict(sorted(files.items())), sums), []


def _unavailable(policy_dir: Path, reason: str) -> Problem:
    return Problem(
        policy_dir.name, 0, 0, "release-witness",
        f"the release archive cannot be compared with version control: {reason}",
        "make git work here (install it; for 'dubious ownership', git config --global --add "
        "safe.directory), so that released files are checked against the last commit",
        severity="warning",
    )
