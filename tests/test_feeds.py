"""Change feeds: an Atom feed per policy and one for the site, read back by a real feed parser,
every link leading to a built page; and the same site built by ProperDocs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urldefrag

import feedparser
import pytest
from conftest import build, copy_project
from policygen.doors.cli import main
from policygen.model.text import collapse_whitespace
from policygen.source.html_reader import read_page

SITE_URL = "https://policies.qualsights.com/"


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("feeds") / "project")
    source = project / "policy" / "do-not-sell.yaml"
    text = source.read_text("utf-8")
    for old, new in (("version: 1.0.0", "version: 1.0.1"),
                     ("summary: First published version.", "summary: Clearer wording."),
                     ('effective_date: "2026-11-24"', 'effective_date: "2026-12-01"'),
                     ("most important thing", "most important point")):
        text = text.replace(old, new, 1)
    source.write_text(text, "utf-8")
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    return project


def built_file(site: Path, url: str) -> Path:
    path = site / url.removeprefix(SITE_URL)
    return path / "index.html" if url.endswith("/") else path


def test_each_policy_and_the_site_have_a_feed_of_released_versions(two_versions: Path) -> None:
    site = build(two_versions)
    for path, title in (("do-not-sell/feed.xml", "QualSights “Do Not Sell” Policy Statement — "
                                                 "versions"),
                        ("feed.xml", "QualSights policies — versions")):
        parsed = feedparser.parse((site / path).read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.version == "atom10"
        assert parsed.feed.title == title
        assert parsed.feed.id == SITE_URL + path
        assert [entry.title for entry in parsed.entries] == [
            "QualSights “Do Not Sell” Policy Statement — version 1.0.1",
            "QualSights “Do Not Sell” Policy Statement — version 1.0.0",
        ]
        newest = parsed.entries[0]
        assert newest.id == SITE_URL + "do-not-sell/1.0.1/"
        assert newest.updated == "2026-12-01T00:00:00Z" == parsed.feed.updated
        assert newest.summary == "Clearer wording."
        for entry in parsed.entries:
            links = {link.rel: link.href for link in entry.links}
            page = built_file(site, links["alternate"])
            assert page.is_file()
            history, anchor = urldefrag(links["related"])
            assert read_page(built_file(site, history).read_text("utf-8")).by_id(anchor)
    current = read_page((site / "do-not-sell" / "index.html").read_text("utf-8"))
    feeds = current.alternates("application/atom+xml")
    assert feeds == ["feed.xml"]
    headers = (site / "_headers").read_text("utf-8")
    assert "/do-not-sell/feed.xml\n  Content-Type: application/atom+xml; charset=utf-8\n" in headers


def test_feeds_are_the_same_bytes_whatever_the_clock(two_versions: Path, tmp_path: Path) -> None:
    first = build(two_versions, tmp_path / "one")
    second = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d",
         str(tmp_path / "two")],
        cwd=two_versions, capture_output=True, text=True, check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1900000000", "POLICYGEN_CACHE_DIR": "off"},
    )
    assert second.returncode == 0, second.stderr
    for path in ("feed.xml", "do-not-sell/feed.xml"):
        assert (first / path).read_bytes() == (tmp_path / "two" / path).read_bytes()


def test_properdocs_builds_the_same_site(tmp_path: Path) -> None:
    """ProperDocs, the maintained fork of MkDocs, runs the plugin unchanged: the disclosures are
    byte for byte the same, and every page reads the same."""
    project = copy_project(tmp_path / "project")
    mkdocs_site = build(project, tmp_path / "mkdocs")
    built = subprocess.run(
        [str(Path(sys.executable).parent / "properdocs"), "build", "--strict", "-f", "mkdocs.yml",
         "-d", str(tmp_path / "properdocs")],
        cwd=project, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr
    properdocs_site = tmp_path / "properdocs"
    files = sorted(path.relative_to(mkdocs_site).as_posix() for path in mkdocs_site.rglob("*")
                   if path.is_file() and "search" not in path.parts and path.suffix != ".gz")
    assert files == sorted(path.relative_to(properdocs_site).as_posix()
                           for path in properdocs_site.rglob("*") if path.is_file()
                           and "search" not in path.parts and path.suffix != ".gz")
    for name in files:
        one, two = (mkdocs_site / name).read_bytes(), (properdocs_site / name).read_bytes()
        if name.endswith((".json", ".jsonld", ".xml")) or name == "_headers":
            assert one == two, name
        elif name.endswith(".html"):
            texts = [[collapse_whitespace(e.text) for e in read_page(html.decode()).legal_blocks()]
                     for html in (one, two)]
            assert texts[0] == texts[1], name
