"""The archive of released versions: what was published, frozen byte for byte under
``policy/releases/``, with every file's SHA-256 in ``SHA256SUMS`` (``sha256sum -c`` reads it).

For each release the archive keeps the disclosure exactly as published (``ID/VERSION.json``),
the source it came from (``ID/VERSION.yaml``), from which that version's page is rendered again,
and the day it was released (``ID/VERSION.released``, for releases made since days were kept).
A released translation of a version is its source (``ID/VERSION.LANG.yaml``) and its day
(``ID/VERSION.LANG.released``), beside the release it translates.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from policygen.model import urls
from policygen.model.problems import Problem
from policygen.model.versions import version_key
from policygen.source.project import RELEASES
from policygen.source.project_files import ProjectFiles
from policygen.source.witness import SUMS, Witness, blob_id

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_RELEASE_DAY = re.compile(rb"^[0-9]{4}-[0-9]{2}-[0-9]{2}\n$")
_RELEASED_NAME = re.compile(
    r"^(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<version>(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\."
    r"(?:0|[1-9][0-9]*))(?:\.(?P<language>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*))?"
    r"\.(?P<kind>json|yaml|released)$"
)


@dataclass(frozen=True)
class Release:
    """One released version of one policy."""

    policy_id: str
    version: str
    disclosure: bytes
    source: bytes
    source_file: str
    released_on: str | None = None
    """The day ``policygen release`` froze it (None for a release made before days were kept)."""
    disclosure_sha256: str = field(kw_only=True, compare=False)
    source_sha256: str = field(kw_only=True, compare=False)
    """The SHA-256 digests of the two files, as SHA256SUMS lists them and their bytes have."""

    @property
    def key(self) -> tuple[int, int, int]:
        return version_key(self.version)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class ReleasedTranslation:
    """The translation of one released version into one language, as released."""

    policy_id: str
    version: str
    language: str
    source: bytes
    source_file: str
    released_on: str | None = None

    @property
    def key(self) -> tuple[tuple[int, int, int], str]:
        return version_key(self.version), self.language


@dataclass(frozen=True)
class Archive:
    """Every release, by policy id, oldest first; and every released translation."""

    releases: dict[str, tuple[Release, ...]]
    translations: dict[str, tuple[ReleasedTranslation, ...]] = field(default_factory=dict)

    def of(self, policy_id: str) -> tuple[Release, ...]:
        return self.releases.get(policy_id, ())

    def translations_of(self, policy_id: str) -> tuple[ReleasedTranslation, ...]:
        """The policy's released translations, by version (oldest first), then language."""
        return self.translations.get(policy_id, ())

    def find_translation(
        self, policy_id: str, version: str, language: str,
    ) -> ReleasedTranslation | None:
        return next((t for t in self.translations_of(policy_id)
                     if (t.version, t.language) == (version, language)), None)

    def find(self, policy_id: str, version: str) -> Release | None:
        return next((r for r in self.of(policy_id) if r.version == version), None)


def _read_sums(content: bytes, shown: str) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """``SHA256SUMS`` as file name → (digest, line number)."""
    sums: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for number, line in enumerate(content.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        digest, separator, name = line.partition("  ")
        if not separator or not _DIGEST.match(digest) or not name:
            problems.append(Problem(
                shown, number, 1, "release-lock",
                "this line is not '<sha256>  <file>'",
                "restore SHA256SUMS from version control: only 'policygen release' writes it",
            ))
            continue
        sums[name] = (digest, number)
    return sums, problems


_LAST: tuple[dict[str, bytes], Witness | None, str, Archive, tuple[Problem, ...]] | None = None
"""The last archive loaded, by the very object its files were read into: a live preview that
finds no released file changed since its last save reads the same object (``ArchiveMemory``),
whose load is then this one (the result depends on nothing else)."""


def load_archive(files: ProjectFiles) -> tuple[Archive, list[Problem]]:
    """Read the archive and check it against itself and against version control: every file
    listed in SHA256SUMS and unchanged, every listed file there, each disclosure with its source,
    and everything the witness revision released still here byte for byte."""
    global _LAST
    if _LAST is not None and _LAST[0] is files.releases and _LAST[1:3] == (
            files.witness, files.releases_display):
        return _LAST[3], list(_LAST[4])
    archive, problems = _loaded(files)
    _LAST = (files.releases, files.witness, files.releases_display, archive, tuple(problems))
    return archive, problems


def _loaded(files: ProjectFiles) -> tuple[Archive, list[Problem]]:
    shown = files.releases_display
    sums_file = f"{shown}/{SUMS}"
    sums, problems = _read_sums(files.releases.get(SUMS, b""), sums_file)
    contents: dict[str, bytes] = {}
    for name, content in files.releases.items():
        if name == SUMS:
            continue
        if name not in sums:
            problems.append(Problem(
                f"{shown}/{name}", 0, 0, "release-unlisted",
                "this file is in the release archive but was not released with "
                "'policygen release' (it is not in SHA256SUMS)",
                "remove it: only 'policygen release' adds files to the archive",
            ))
        elif (digest := sha256(content)) != sums[name][0]:
            problems.append(Problem(
                f"{shown}/{name}", 0, 0, "release-changed",
                f"this released file has changed: its SHA-256 is {digest}, "
                f"but {sums[name][0]} was released",
                "released versions never change: restore the file from version control "
                "and make the change in a new version",
            ))
        else:
            contents[name] = content
    for name, (digest, number) in sorted(sums.items()):
        if name not in files.releases:
            problems.append(Problem(
                sums_file, number, 1, "release-missing",
                f"the released file {shown}/{name} (SHA-256 {digest}) is missing",
                "released versions stay published forever: restore it from version control",
            ))
        elif not _released_name(name):
            problems.append(Problem(
                sums_file, number, 1, "release-name",
                f"{name} is not named like a released file (ID/VERSION.json, ID/VERSION.yaml, "
                "ID/VERSION.released, ID/VERSION.LANG.yaml or ID/VERSION.LANG.released)",
                "restore SHA256SUMS from version control: only 'policygen release' writes it",
            ))
    if files.witness is not None:
        problems += _witnessed(files, files.witness)
    releases: dict[str, list[Release]] = {}
    translations: dict[str, list[ReleasedTranslation]] = {}
    for name in sorted(contents):
        match = _released_name(name)
        if match is None:
            continue
        if match["language"]:
            translation = _translation(match, name, contents, sums, shown, problems)
            if translation is not None:
                translations.setdefault(translation.policy_id, []).append(translation)
            continue
        stem = name[:-len(match["kind"])]
        partner = stem + ("yaml" if match["kind"] == "json" else "json")
        if match["kind"] == "released":
            if stem + "json" not in sums or not _RELEASE_DAY.match(contents[name]):
                problems.append(Problem(
                    f"{shown}/{name}", 0, 0, "release-incomplete",
                    "this file should hold the day of a release (YYYY-MM-DD) that the archive "
                    "has", "restore the archive from version control",
                ))
            continue
        if partner not in sums:
            problems.append(Problem(
                f"{shown}/{name}", 0, 0, "release-incomplete",
                f"this released file has no partner: {shown}/{partner} was never released",
                "a release is the disclosure and the source it came from: restore the archive "
                "from version control",
            ))
            continue
        if match["kind"] != "json" or partner not in contents:
            continue  # a source is read with its disclosure; a changed partner is reported above
        day = contents.get(stem + "released", b"")
        releases.setdefault(match["id"], []).append(Release(
            match["id"], match["version"], contents[name], contents[partner],
            f"{shown}/{partner}",
            day.decode().strip() if _RELEASE_DAY.match(day) else None,
            disclosure_sha256=sums[name][0], source_sha256=sums[partner][0],
        ))
    return Archive(
        {policy_id: tuple(sorted(found, key=lambda release: release.key))
         for policy_id, found in releases.items()},
        {policy_id: tuple(sorted(found, key=lambda translation: translation.key))
         for policy_id, found in translations.items()},
    ), problems


def released_page_source(shown: str) -> str | None:
    """The source of the page that publishes the released file shown as ``shown``
    (``policy/releases/ID/VERSION.json``: ``ID/VERSION/index.md``), if it is one."""
    match = _RELEASED_NAME.match(shown.partition(f"/{RELEASES}/")[2])
    if match is None:
        return None
    if match["language"]:
        return urls.translation_version_page_source(match["id"], match["language"],
                                                    match["version"])
    return urls.version_page_source(match["id"], match["version"])


def _released_name(name: str) -> re.Match[str] | None:
    """The parts of a released file's name (a translation has no .json of its own)."""
    match = _RELEASED_NAME.match(name)
    if match is None or (match["language"] and match["kind"] == "json"):
        return None
    return match


def _translation(
    match: re.Match[str], name: str, contents: dict[str, bytes],
    sums: dict[str, tuple[str, int]], shown: str, problems: list[Problem],
) -> ReleasedTranslation | None:
    """A released translation from its source (its day is read with it)."""
    original = f"{match['id']}/{match['version']}.json"
    stem = name[:-len(match["kind"])]
    if match["kind"] == "released":
        if stem + "yaml" not in sums or not _RELEASE_DAY.match(contents[name]):
            problems.append(Problem(
                f"{shown}/{name}", 0, 0, "release-incomplete",
                "this file should hold the day of a released translation (YYYY-MM-DD) that the "
                "archive has", "restore the archive from version control",
            ))
        return None
    if original not in sums:
        problems.append(Problem(
            f"{shown}/{name}", 0, 0, "release-incomplete",
            f"this released translation is of version {match['version']}, which was never "
            "released", "restore the archive from version control",
        ))
        return None
    day = contents.get(stem + "released", b"")
    return ReleasedTranslation(
        match["id"], match["version"], match["language"], contents[name], f"{shown}/{name}",
        day.decode().strip() if _RELEASE_DAY.match(day) else None,
    )


def _witnessed(files: ProjectFiles, witness: Witness) -> list[Problem]:
    """What the witness revision released, and is not here as it was."""
    shown = files.releases_display
    problems: list[Problem] = []
    restore = (f"released versions never change: restore it with 'git checkout {witness.revision} "
               f"-- {shown}/' and make the change in a new version")
    for name, blob in witness.files.items():
        content = files.releases.get(name)
        if name == SUMS:
            continue
        if content is None:
            problems.append(Problem(
                f"{shown}/{name}", 0, 0, "release-missing",
                f"this file was released in {witness.shown} but is missing", restore,
            ))
        elif blob_id(content) != blob:
            problems.append(Problem(
                f"{shown}/{name}", 0, 0, "release-changed",
                f"this file differs from the one released in {witness.shown}", restore,
            ))
    now = set(files.releases.get(SUMS, b"").decode("utf-8", "replace").splitlines())
    for number, line in enumerate(witness.sums.decode("utf-8", "replace").splitlines(), 1):
        if line.strip() and line not in now:
            problems.append(Problem(
                f"{shown}/{SUMS}", 0, 0, "release-changed",
                f"line {number} of SHA256SUMS in {witness.shown} is gone or changed: {line}",
                restore,
            ))
    return problems


def write_release(policy_dir: Path, policy_id: str, version: str, disclosure: bytes,
                  source: bytes, released_on: str) -> list[Path]:
    """Add one release to the archive: the disclosure as published, the source it came from and
    the day of the release, then SHA256SUMS, each written atomically."""
    return _add(policy_dir, policy_id, version, (
        (".json", disclosure), (".yaml", source), (".released", f"{released_on}\n".encode()),
    ))


def write_translation_release(policy_dir: Path, policy_id: str, version: str, language: str,
                              source: bytes, released_on: str) -> list[Path]:
    """Add one released translation to the archive: its source and its day, then SHA256SUMS."""
    return _add(policy_dir, policy_id, version, (
        (f".{language}.yaml", source), (f".{language}.released", f"{released_on}\n".encode()),
    ))


def _add(policy_dir: Path, policy_id: str, version: str,
         files: tuple[tuple[str, bytes], ...]) -> list[Path]:
    folder = policy_dir / RELEASES
    written = []
    for suffix, content in files:
        path = folder / policy_id / f"{version}{suffix}"
        _write_atomically(path, content)
        written.append(path)
    sums, _ = _read_sums((folder / SUMS).read_bytes() if (folder / SUMS).exists() else b"", SUMS)
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
