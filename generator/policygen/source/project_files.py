"""Every byte a review reads, read once: the policy sources, the release archive, the schemas,
and what version control remembers of the archive.

Reading happens here and nowhere else, so that a result cached by these bytes is keyed on
exactly what was read, the way it was read. A file that cannot be read is a located problem,
never a traceback. Inside the archive a symbolic link is refused: released files are the
repository's own, byte for byte, not pointers to somewhere else.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygen.model.problems import CannotRun, Problem
from policygen.source.project import RELEASES, Project
from policygen.source.witness import Witness, read_witness

SITE_VOCABULARY = "claims.json"
"""The site's own claim names, beyond the core vocabulary."""
EDITOR_SCHEMA = "policy.schema.json"
"""The copy of the source schema that editors read (checked against the one policygen ships)."""
SCHEMA_FILES = (SITE_VOCABULARY, EDITOR_SCHEMA)
"""The schema folder's files that a review reads, when they are there (and nothing else)."""


@dataclass(frozen=True)
class ProjectFiles:
    """The bytes of a project's sources, archive and schemas, as read at one moment."""

    policy_display: str
    """How the policy folder is shown in problems (``policy``)."""
    schema_display: str
    sources: dict[str, bytes]
    """Each readable policy source by its shown path (``policy/do-not-sell.yaml``)."""
    source_files: tuple[str, ...]
    """Every policy source found, readable or not, by its shown path."""
    releases: dict[str, bytes]
    """Each file of the release archive by its name inside it (``do-not-sell/1.0.0.json``)."""
    schemas: dict[str, bytes]
    """Each file of the schema folder that was there, by its name (``claims.json``)."""
    problems: tuple[Problem, ...] = ()
    """Files that could not be read, or that are not allowed where they are."""
    witness: Witness | None = None
    """The archive as a committed revision has it (None outside a git work tree)."""
    digest: str = field(default="", compare=False)

    @property
    def releases_display(self) -> str:
        return f"{self.policy_display}/{RELEASES}"

    def source_stems(self) -> set[str]:
        """The ids of the policies that have a source (a translation's ``ID.LANG`` is not one)."""
        return {stem for path in self.source_files if "." not in (stem := Path(path).stem)}


SETTLED_NS = 1_000_000_000
"""How long a released file must have been left alone before it is read for a live preview to
know it again by its details alone (see :class:`ArchiveMemory`)."""


@dataclass
class ArchiveMemory:
    """A live preview's memory of the release archive, from one save to the next.

    A file is known again, without being read, by its inode, size, and modification and change
    times. Any write to it, or its replacement, moves its change time on, and nothing sets a
    change time back. A file changed shortly before it was read is read again every time, until
    it has been left alone for :data:`SETTLED_NS` (so that a change within the same tick of the
    file system's clock is never missed). When no file has changed, the archive read is the same
    object as the last (its digest and checks are not made again: see ``load_archive``).
    ``check`` and ``mkdocs build`` read every byte, every time."""

    details: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    releases: dict[str, bytes] = field(default_factory=dict)
    digest: str = ""
    """The digest of ``releases`` (see :func:`_digest`)."""


def read_project(project: Project, base: str | None = None, *,
                 memory: ArchiveMemory | None = None) -> ProjectFiles:
    """Read everything a review of ``project`` needs; ``base`` is the revision whose archive
    must still be here unchanged (default: ``HEAD``, when the project is in a git work tree).
    A live preview passes its ``memory`` of the archive."""
    if not project.policy_dir.is_dir():
        raise CannotRun(f"{project.display(project.policy_dir)} is not a folder: run this in a "
                        "policy site project, or pass --root")
    problems: list[Problem] = []
    policy_display = project.display(project.policy_dir)
    sources: dict[str, bytes] = {}
    try:
        paths = project.source_files()
    except OSError as error:
        raise CannotRun(f"cannot read {policy_display}: {error.strerror}") from error
    found = [f"{policy_display}/{path.name}" for path in paths]
    for path, shown in zip(paths, found, strict=True):
        content = _read(path, shown, problems)
        if content is not None:
            sources[shown] = content
    releases = _read_archive(project.policy_dir / RELEASES, f"{policy_display}/{RELEASES}",
                             problems, memory)
    schema_display = project.display(project.schema_dir)
    schemas: dict[str, bytes] = {}
    for name in SCHEMA_FILES:
        path = project.schema_dir / name
        if not (path.exists() or path.is_symlink()):
            continue
        content = _read(path, f"{schema_display}/{name}", problems)
        if content is not None:
            schemas[name] = content
    witness, witness_problems = read_witness(project.policy_dir, base)
    problems += witness_problems
    files = ProjectFiles(policy_display, schema_display, sources, tuple(found), releases, schemas,
                         tuple(sorted(problems)), witness)
    if memory is None:
        archived = _archive_digest(releases)
    else:
        if releases is not memory.releases:  # no archive folder, or a link: nothing to know
            memory.details, memory.releases, memory.digest = {}, releases, ""
        memory.digest = archived = memory.digest or _archive_digest(releases)
    return ProjectFiles(**{**vars(files), "digest": _digest(files, archived)})


def _read(path: str | Path, shown: str, problems: list[Problem]) -> bytes | None:
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError as error:
        reason = error.strerror or str(error)
        if os.path.islink(path) and not os.path.exists(path):
            reason = f"it is a link to {os.readlink(path)}, which does not exist"
        problems.append(Problem(
            shown, 0, 0, "unreadable", f"cannot read the file: {reason}",
            "restore the file, or make it readable by the user who runs policygen",
        ))
        return None


def _read_archive(folder: Path, shown: str, problems: list[Problem],
                  memory: ArchiveMemory | None = None) -> dict[str, bytes]:
    """Every regular file below ``folder`` by its relative POSIX name; links refused. With a
    ``memory``, the files known again are not read (see :class:`ArchiveMemory`)."""
    found: dict[str, bytes] = {}
    known: dict[str, tuple[int, int, int, int]] = {}
    read: list[str] = []
    now = time.time_ns()
    if folder.is_symlink():
        problems.append(_linked(shown))
        return found
    if not folder.exists():
        return found

    def refuse(error: OSError) -> None:
        problems.append(Problem(
            shown, 0, 0, "unreadable", f"cannot read the release archive: {error.strerror}",
            "make policy/releases/ readable by the user who runs policygen",
        ))

    def walk(directory: str, prefix: str) -> None:
        try:
            with os.scandir(directory) as scanned:
                entries = sorted(scanned, key=lambda entry: entry.name)
        except OSError as error:
            refuse(error)
            return
        for entry in entries:
            name = prefix + entry.name
            try:
                if entry.is_symlink():
                    problems.append(_linked(f"{shown}/{name}"))
                elif entry.is_dir():
                    walk(entry.path, name + "/")
                elif entry.is_file():
                    details = _details(entry) if memory is not None else None  # None: read
                    if details is not None and memory is not None \
                            and memory.details.get(name) == details:
                        found[name], known[name] = memory.releases[name], details
                        continue
                    content = _read(entry.path, f"{shown}/{name}", problems)
                    if content is not None:
                        found[name] = content
                        read.append(name)
                        if details is not None and details[3] + SETTLED_NS < now:
                            known[name] = details
            except OSError:
                continue

    walk(str(folder), "")
    if memory is None:
        return dict(sorted(found.items()))
    if not read and found.keys() == memory.releases.keys():
        return memory.releases  # nothing changed
    memory.details, memory.releases, memory.digest = known, dict(sorted(found.items())), ""
    return memory.releases


def _details(entry: os.DirEntry[str]) -> tuple[int, int, int, int] | None:
    """What tells a file's changes (None if it cannot be told: the file is read, and a file
    that cannot be read is a problem)."""
    try:
        stat = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _linked(shown: str) -> Problem:
    return Problem(
        shown, 0, 0, "release-symlink",
        "the release archive holds a symbolic link; released files must be stored in the "
        "repository itself, byte for byte",
        "replace the link with the released files themselves (restore them from version control)",
    )


def _digest(files: ProjectFiles, archived: str) -> str:
    """One digest of every byte read, with its name and place, and of the witness (``archived``:
    the archive's, from :func:`_archive_digest`)."""
    digest = hashlib.sha256()
    add = _adding(digest)
    add(files.policy_display, files.schema_display, *files.source_files, "release", archived)
    for kind, contents in (("source", files.sources), ("schema", files.schemas)):
        for name, content in contents.items():
            add(kind, name, content)
    for problem in files.problems:
        add("problem", repr(problem))
    if files.witness is not None:
        add("witness", files.witness.revision, files.witness.commit,
            *(f"{name}={blob}" for name, blob in files.witness.files.items()),
            files.witness.sums)
    return digest.hexdigest()


def _archive_digest(releases: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    add = _adding(digest)
    for name, content in releases.items():
        add(name, content)
    return digest.hexdigest()


def _adding(digest: Any) -> Callable[..., None]:
    """Adds each part to ``digest`` with its length before it: parts never run together."""
    def add(*parts: bytes | str) -> None:
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)

    return add
