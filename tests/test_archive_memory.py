"""A live preview remembers the release archive between saves: a released file left alone is
not read again, and any change to one is still seen at the next save, however it was made."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import copy_project
from policygen.source import project_files
from policygen.source.archive import load_archive
from policygen.source.project import Project
from policygen.source.project_files import ArchiveMemory, ProjectFiles, read_project

RELEASED = Path("policy/releases/do-not-sell/1.0.0.json")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site's project, its released files taken as long left alone."""
    monkeypatch.setattr(project_files, "SETTLED_NS", 0)
    return copy_project(tmp_path / "project")


def read(project: Path, memory: ArchiveMemory | None = None) -> ProjectFiles:
    return read_project(Project.at(project), memory=memory)


def rewrite_unseen(path: Path, old: bytes, new: bytes) -> None:
    """Change a file as one who hides it would: same size, modification time set back."""
    assert len(old) == len(new)
    before = path.stat()
    time.sleep(0.02)  # the change lands in a later tick of the file system's clock
    path.write_bytes(path.read_bytes().replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_an_archive_left_alone_is_the_same_read(project: Path) -> None:
    memory = ArchiveMemory()
    first = read(project, memory)
    again = read(project, memory)
    assert again.releases is first.releases
    assert again == read(project) and again.digest == read(project).digest
    assert load_archive(again) == load_archive(read(project))


def test_a_released_file_changed_unseen_is_read_again_and_refused(project: Path) -> None:
    memory = ArchiveMemory()
    first = read(project, memory)
    rewrite_unseen(project / RELEASED, b'"value": false', b'"value": true ')
    again = read(project, memory)
    fresh = read(project)
    assert again.releases is not first.releases
    assert again == fresh and again.digest == fresh.digest != first.digest
    problems = load_archive(again)[1]
    assert [problem.rule for problem in problems] == ["release-changed"]
    assert problems == load_archive(fresh)[1]


def test_a_file_changed_just_before_it_was_read_is_read_every_time(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Within the same tick of the file system's clock, a change may leave every detail as it
    was: a file is known by its details only once it has been left alone for a while."""
    monkeypatch.setattr(project_files, "SETTLED_NS", 3600 * 10**9)
    memory = ArchiveMemory()
    released = project / RELEASED
    before = released.stat()
    released.write_bytes(released.read_bytes())
    os.utime(released, ns=(before.st_atime_ns, before.st_mtime_ns))
    read(project, memory)
    assert RELEASED.relative_to("policy/releases").as_posix() not in memory.details
    reads: list[str] = []
    monkeypatch.setattr(project_files, "_read", _counting(project_files._read, reads))
    read(project, memory)
    assert str(released) in reads


def _counting(read: object, reads: list[str]) -> object:
    def counted(path: str | Path, *arguments: object) -> object:
        reads.append(str(path))
        return read(path, *arguments)  # type: ignore[operator]

    return counted


def test_released_files_added_or_removed_are_seen(project: Path) -> None:
    memory = ArchiveMemory()
    read(project, memory)
    extra = project / "policy/releases/do-not-sell/9.9.9.json"
    extra.write_bytes(b"{}")
    added = read(project, memory)
    assert "do-not-sell/9.9.9.json" in added.releases and added == read(project)
    assert "release-unlisted" in {problem.rule for problem in load_archive(added)[1]}
    extra.unlink()
    (project / RELEASED).unlink()
    removed = read(project, memory)
    assert "do-not-sell/1.0.0.json" not in removed.releases and removed == read(project)
    assert removed.digest == read(project).digest
    assert "release-missing" in {problem.rule for problem in load_archive(removed)[1]}


def test_a_released_file_left_alone_is_not_read_again(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory = ArchiveMemory()
    read(project, memory)
    reads: list[str] = []
    monkeypatch.setattr(project_files, "_read", _counting(project_files._read, reads))
    read(project, memory)
    assert reads and not [path for path in reads if "/releases/" in path]


def test_an_archive_folder_gone_is_no_archive(project: Path) -> None:
    memory = ArchiveMemory()
    read(project, memory)
    archive = project / "policy" / "releases"
    archive.rename(project / "elsewhere")
    gone = read(project, memory)
    assert gone.releases == {} and gone.digest == read(project).digest
    (project / "elsewhere").rename(archive)
    back = read(project, memory)
    assert back == read(project) and back.digest == read(project).digest


def test_a_file_that_vanishes_before_its_details_are_taken_is_read(tmp_path: Path) -> None:
    """Its details cannot be told: it is read like any other (and a file that cannot be read is
    a located problem, never a file silently left out)."""
    (tmp_path / "1.0.0.json").write_text("{}")
    with os.scandir(tmp_path) as scanned:
        entry = next(iter(scanned))
    os.unlink(entry.path)
    assert project_files._details(entry) is None
