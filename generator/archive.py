"""The archive of released versions: what was published, frozen byte for byte under
``policy/releases/``, with every file's SHA-256 in ``SHA256SUMS`` (``sha256sum -c`` reads it).

For each release the archive keeps the disclosure exactly as published (``ID/VERSION.json``) and
the source it came from (``ID/VERSION.yaml``), from which that version's page is rendered again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.problems import Problem
from generator.project import RELEASES, files_below

SUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Release:
    """One released version of one policy."""

    policy_id: str
    version: str
    disclosure: bytes
    source: bytes
    source_file: str

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Archive:
    """Every release, by policy id, oldest first."""

    releases: dict[str, tuple[Release, ...]]

    def of(self, policy_id: str) -> tuple[Release, ...]:
        return self.releases.get(policy_id, ())

    def find(self, policy_id: str, version: str) -> Release | None:
        return next((r for r in self.of(policy_id) if r.version == version), None)


def _read_sums(path: Path, shown: str) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """``SHA256SUMS`` as file name → (digest, line number)."""
    sums: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    if not path.exists():
        return sums, problems
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64 or not name:
            problems.append(Problem(
                shown, number, 1, "release-lock",
                "this line is not '<sha256>  <file>'",
                "restore SHA256SUMS from version control: only 'policygen release' writes it",
            ))
            continue
        sums[name] = (digest, number)
    return sums, problems


def load_archive(policy_dir: Path, display: str) -> tuple[Archive, list[Problem]]:
    """Read the archive and check it: every file listed, every listed file there and unchanged.

    ``display`` is how the policy folder is shown in problems (``policy``).
    """
    folder = policy_dir / RELEASES
    sums_file = f"{display}/{RELEASES}/{SUMS}"
    sums, problems = _read_sums(folder / SUMS, sums_file)
    present = [name for name in files_below(folder) if name != SUMS]
    contents: dict[str, bytes] = {}
    for name in present:
        shown = f"{display}/{RELEASES}/{name}"
        with open(os.path.join(folder, name), "rb") as stream:
            content = stream.read()
        if name not in sums:
            problems.append(Problem(
                shown, 0, 0, "release-unlisted",
                "this file is in the release archive but was not released with "
                "'policygen release' (it is not in SHA256SUMS)",
                "remove it: only 'policygen release' adds files to the archive",
            ))
        elif (digest := sha256(content)) != sums[name][0]:
            problems.append(Problem(
                shown, 0, 0, "release-changed",
                f"this released file has changed: its SHA-256 is {digest}, "
                f"but {sums[name][0]} was released",
                "released versions never change: restore the file from version control "
                "and make the change in a new version",
            ))
        else:
            contents[name] = content
    listed = set(present)
    for name, (digest, number) in sorted(sums.items()):
        if name not in listed:
            problems.append(Problem(
                sums_file, number, 1, "release-missing",
                f"the released file {display}/{RELEASES}/{name} (SHA-256 {digest}) is missing",
                "released versions stay published forever: restore it from version control",
            ))
    releases: dict[str, list[Release]] = {}
    for name in sorted(contents):
        if not name.endswith(".json"):
            continue
        policy_id, _, file_name = name.partition("/")
        version = file_name.removesuffix(".json")
        snapshot = name.removesuffix(".json") + ".yaml"
        if snapshot not in contents:
            continue  # reported above as missing or changed
        releases.setdefault(policy_id, []).append(Release(
            policy_id, version, contents[name], contents[snapshot],
            f"{display}/{RELEASES}/{snapshot}",
        ))
    return Archive({
        policy_id: tuple(sorted(found, key=lambda release: release.key))
        for policy_id, found in releases.items()
    }), problems


def write_release(policy_dir: Path, policy_id: str, version: str, disclosure: bytes,
                  source: bytes) -> list[Path]:
    """Add one release to the archive: its two files, then SHA256SUMS, each written atomically."""
    folder = policy_dir / RELEASES
    written = []
    for suffix, content in ((".json", disclosure), (".yaml", source)):
        path = folder / policy_id / f"{version}{suffix}"
        _write_atomically(path, content)
        written.append(path)
    sums, _ = _read_sums(folder / SUMS, SUMS)
    entries = {name: digest for name, (digest, _) in sums.items()}
    for path in written:
        entries[path.relative_to(folder).as_posix()] = sha256(path.read_bytes())
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(entries.items()))
    _write_atomically(folder / SUMS, lines.encode("utf-8"))
    return [*written, folder / SUMS]


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
