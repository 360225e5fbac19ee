"""``mkdocs serve`` rebuilds the page when a policy source or a schema is saved."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import FIXTURES, build, copy_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(url: str, text: str, seconds: float = 30) -> float:
    """Seconds until ``url`` serves a body containing ``text``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if text in fetch(url):
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


@contextmanager
def mkdocs_serve(project: Path) -> Iterator[str]:
    """``mkdocs serve`` of ``project`` on a free loopback port; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = copy_project(tmp_path / "project")
    with mkdocs_serve(project) as url:
        yield project, url


def test_saving_the_policy_or_the_vocabulary_rebuilds_the_site(served: tuple[Path, str]) -> None:
    project, url = served
    wait_for(url + "do-not-sell/", "Here is the most important thing for you to understand:")

    source = project / "policy" / "do-not-sell.yaml"
    source.write_text(
        source.read_text("utf-8").replace("Here is the most important thing", "Here is THE thing"),
        "utf-8",
    )
    wait_for(url + "do-not-sell/", "Here is THE thing for you to understand:")

    vocabulary = project / "schema" / "claims.json"
    vocabulary.write_text(
        vocabulary.read_text("utf-8").replace("Whether the publisher sells", "Whether it sells"),
        "utf-8",
    )
    wait_for(url + "schema/claims/site.json", "Whether it sells")


def test_a_broken_policy_shows_its_problems_in_the_page_until_fixed(
    served: tuple[Path, str],
) -> None:
    project, url = served
    page = url + "do-not-sell/"
    wait_for(page, "Here is the most important thing for you to understand:")
    source = project / "policy" / "do-not-sell.yaml"
    good = source.read_text("utf-8")

    source.write_text(good.replace("language: en", "language: no"), "utf-8")
    wait_for(page, 'class="policy-problems policy-problems--error" role="alert"')
    shown = fetch(page)
    assert "<code>policy/do-not-sell.yaml:13:11</code> <strong>error</strong>: " \
           "expected text, found false <code>[wrong-type]</code>" in shown
    assert "write &quot;no&quot; in quotes" in shown
    assert "policy-problems" in fetch(url)  # the index says so too

    source.write_text("id: [unclosed", "utf-8")
    wait_for(page, "not valid YAML")

    source.write_text(good, "utf-8")
    wait_for(page, "Here is the most important thing for you to understand:")
    assert "policy-problems" not in fetch(page)


def test_a_preview_that_starts_broken_still_serves(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = project / "policy" / "do-not-sell.yaml"
    source.write_text(source.read_text("utf-8").replace("version: 1.0.0", "version: one"), "utf-8")
    with mkdocs_serve(project) as url:
        wait_for(url + "do-not-sell/", "[semver]")


def served_as_built(page: bytes) -> bytes:
    """A page as the preview server sends it, without the reload script it adds at the end."""
    end = page.rindex(b"</body>")
    script = page.rindex(b"<script>", 0, end)
    assert b"livereload(" in page[script:end]
    return page[:script] + page[end:]


def fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return bytes(response.read())


def test_an_edit_shows_everywhere_and_the_reused_files_are_the_built_ones(
    tmp_path: Path,
) -> None:
    """Under mkdocs serve what a save cannot have changed is not built again: after a save the
    edit shows on the edited policy's page, its history and the index, and every page and
    disclosure of a released version that the preview reused is byte for byte what
    ``mkdocs build`` makes of the same sources (the reload script the server adds aside)."""
    import re

    from policygen.doors.cli import main

    project = copy_project(tmp_path / "project", (FIXTURES / "policies" / "data-retention.yaml",))
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    source = project / "policy" / "data-retention.yaml"
    with mkdocs_serve(project) as url:
        frozen = ["do-not-sell/1.0.0/", "data-retention/2.1.0/",
                  "disclosures/do-not-sell/1.0.0.json", "disclosures/data-retention/2.1.0.json"]
        wait_for(url + frozen[0], "Here is the most important thing")
        text = source.read_text("utf-8")
        source.write_text(text.replace("version: 2.1.0", "version: 2.1.1")
                          .replace("summary: ", "summary: Preview edit. ", 1), "utf-8")
        wait_for(url + "data-retention/history/", "Preview edit.")
        wait_for(url + "data-retention/", "2.1.1")
        wait_for(url, "2.1.1")
        # Saved again: now the pages of the released versions come from the last build.
        source.write_text(source.read_text("utf-8").replace("Preview edit.", "Second edit."),
                          "utf-8")
        wait_for(url + "data-retention/history/", "Second edit.")
        served = {path: fetch_bytes(url + path) for path in frozen}
        searchable = {entry["location"] for entry in json.loads(
            fetch_bytes(url + "search/search_index.json"))["docs"]}
        assert {"do-not-sell/1.0.0/", "data-retention/2.1.0/", "do-not-sell/history/"} \
            <= searchable
        history = fetch(url + "do-not-sell/history/")
        linked = re.search(r'href="(\.\./1\.0\.0/)"', history)
        assert linked is not None
        assert served_as_built(fetch_bytes(url + "do-not-sell/history/" + linked.group(1))) \
            == served_as_built(served[frozen[0]])

    # The same sources built by mkdocs build under the preview's address.
    config = (project / "mkdocs.yml").read_text("utf-8")
    (project / "mkdocs.yml").write_text(
        re.sub(r"site_url: .*", f"site_url: {url}", config).replace("strict: true", "strict: false"),
        "utf-8",
    )
    built = build(project, tmp_path / "built", strict=False)
    for path, content in served.items():
        on_disk = built / (path + "index.html" if path.endswith("/") else path)
        expected = on_disk.read_bytes()
        assert (served_as_built(content) if path.endswith("/") else content) == expected, path


def test_a_release_made_while_previewing_shows_its_version_page(tmp_path: Path) -> None:
    """The release archive is watched too (less often than the sources): ``policygen release``
    run during a preview publishes the new version's page and lists it in the history."""
    from policygen.doors.cli import main

    project = copy_project(tmp_path / "project", (FIXTURES / "policies" / "data-retention.yaml",))
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    source = project / "policy" / "data-retention.yaml"
    with mkdocs_serve(project) as url:
        wait_for(url + "data-retention/2.1.0/", "2.1.0")
        source.write_text(source.read_text("utf-8").replace("version: 2.1.0", "version: 2.1.1")
                          .replace("summary: ", "summary: Released while previewing. ", 1),
                          "utf-8")
        wait_for(url + "data-retention/history/", "Released while previewing.")
        page = url + "data-retention/2.1.1/"
        assert "not yet released" in fetch(page)
        assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
        deadline = time.monotonic() + 30
        while "not yet released" in fetch(page):
            assert time.monotonic() < deadline, "the release never showed in the preview"
            time.sleep(0.1)
        assert "2.1.1" in fetch(page)
        assert "Released while previewing." in fetch(url + "data-retention/history/")
