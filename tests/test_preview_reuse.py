"""What the live preview sets aside during a build, and puts back: nothing stale, nothing lost.

MkDocs' part is played here as it is under ``mkdocs serve``: the site folder is emptied (all but
its hidden entries) and every file not reused is written again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from policygen.doors.preview import ASIDE_FOLDER, PreviewReuse


def build(reuse: PreviewReuse, site: Path, wanted: dict[str, str | None],
          contents: dict[str, str]) -> set[str]:
    """One preview build of ``wanted`` (path → key), MkDocs writing ``contents`` of the files
    not reused; returns the files reused."""
    reused = reuse.set_aside(site, wanted)
    site.mkdir(exist_ok=True)
    for entry in os.listdir(site):  # mkdocs.utils.clean_directory
        if not entry.startswith("."):
            path = site / entry
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in wanted:
        if path not in reused:
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(contents[path], "utf-8")
            if path.endswith(".html"):
                reuse.page_rendered(path, {f"hash of {contents[path]}"})
    reuse.put_back(site)
    return reused


def files_in(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text("utf-8")
            for path in site.rglob("*") if path.is_file()
            and ASIDE_FOLDER not in path.relative_to(site).parts}


def test_unchanged_files_come_back_whole_and_nothing_else(tmp_path: Path) -> None:
    site, reuse = tmp_path / "site", PreviewReuse()
    wanted: dict[str, str | None] = {
        "index.html": None, "p/index.html": None, "p/1.0.0/index.html": "k1",
        "p/1.0.1/index.html": "k2", "disclosures/p/1.0.0.json": "k3", "disclosures/p.json": "k4",
    }
    contents = {path: f"{path} first" for path in wanted}
    assert build(reuse, site, wanted, contents) == set()
    assert files_in(site) == contents

    contents = {path: f"{path} second" for path in wanted}
    reused = build(reuse, site, wanted, contents)
    assert reused == {path for path, key in wanted.items() if key}
    assert files_in(site) == {path: f"{path} {'first' if path in reused else 'second'}"
                              for path in wanted}

    # A changed key is built again; a file no longer published is gone, also from a folder
    # set aside; a new one appears beside the reused ones.
    wanted = {**{path: key for path, key in wanted.items() if path != "p/1.0.0/index.html"},
              "disclosures/p.json": "changed", "p/1.0.2/index.html": "k5"}
    contents = {path: f"{path} third" for path in wanted}
    reused = build(reuse, site, wanted, contents)
    assert reused == {"disclosures/p/1.0.0.json", "p/1.0.1/index.html"}
    assert files_in(site) == {path: f"{path} {'first' if path in reused else 'third'}"
                              for path in wanted}


def test_a_reused_page_brings_its_script_hashes_back(tmp_path: Path) -> None:
    site, reuse = tmp_path / "site", PreviewReuse()
    wanted: dict[str, str | None] = {"index.html": None, "p/1.0.0/index.html": "k"}
    build(reuse, site, wanted, {path: path for path in wanted})
    reuse.set_aside(site, wanted)
    assert reuse.put_back(site) == {"hash of p/1.0.0/index.html"}


def test_after_a_failed_build_everything_is_built_again(tmp_path: Path) -> None:
    site, reuse = tmp_path / "site", PreviewReuse()
    wanted: dict[str, str | None] = {"index.html": None, "p/1.0.0/index.html": "k"}
    build(reuse, site, wanted, {path: path for path in wanted})
    assert reuse.set_aside(site, wanted) == {"p/1.0.0/index.html"}
    reuse.forget()  # MkDocs failed half-way: what was set aside is not put back
    assert not (site / ASIDE_FOLDER).exists()
    assert build(reuse, site, wanted, {path: f"{path} again" for path in wanted}) == set()
    assert files_in(site) == {path: f"{path} again" for path in wanted}


def test_a_file_missing_from_the_site_is_built_again(tmp_path: Path) -> None:
    site, reuse = tmp_path / "site", PreviewReuse()
    wanted: dict[str, str | None] = {"index.html": None, "p/1.0.0/index.html": "k"}
    build(reuse, site, wanted, {path: path for path in wanted})
    shutil.rmtree(site / "p")
    assert build(reuse, site, wanted, {path: f"{path} again" for path in wanted}) == set()
    assert files_in(site)["p/1.0.0/index.html"] == "p/1.0.0/index.html again"


def test_a_released_files_problems_show_on_its_version_page() -> None:
    """In the preview, a problem of a released file (its disclosure edited, say) is shown on the
    page of that version, not on a page of its own."""
    from policygen.model.output import Output
    from policygen.model.problems import Problem
    from policygen.plan.site import with_preview_problems

    outputs = [
        Output("index.md", "# Policies\n", "Policies"),
        Output("do-not-sell.md", "# Current\n", "Do not sell", "policy/do-not-sell.yaml"),
        Output("do-not-sell/1.0.0.md", "# 1.0.0\n",
               source_file="policy/releases/do-not-sell/1.0.0.yaml"),
    ]
    problem = Problem("policy/releases/do-not-sell/1.0.0.json", 3, 1, "release-not-derived",
                      "this released disclosure is not what its released source says", "restore")
    shown = {output.path: str(output.content) for output in with_preview_problems(
        outputs, (problem,))}
    assert set(shown) == {"index.md", "do-not-sell.md", "do-not-sell/1.0.0.md"}
    assert "release-not-derived" in shown["do-not-sell/1.0.0.md"]
    assert "release-not-derived" in shown["index.md"]
    assert "release-not-derived" not in shown["do-not-sell.md"]
