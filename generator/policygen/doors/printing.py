"""``policygen pdf``: a policy page printed to PDF by the installed Chromium, for legal's files.

The built site is served on a loopback address for the time of the print (directory URLs and
styles need HTTP, not ``file://``); the page's print stylesheet leaves the legal text with its
version, dates, permanent address and disclosure digest, prints the address after every link and
numbers the pages ("page 1 of 2"), without the site's navigation and without a print date.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from policygen.model import urls
from policygen.model.problems import EXIT_CLEAN, CannotRun
from policygen.source.project import Project

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "policygen pdf prints with Chromium, and none was found: install it "
    "(Debian/Ubuntu: 'apt-get install chromium'; macOS: 'brew install --cask chromium') "
    "or set POLICYGEN_CHROMIUM to the browser's path"
)
CHROMIUM_FLAGS = (
    "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
)


def find_chromium() -> str:
    chosen = os.environ.get("POLICYGEN_CHROMIUM")
    if chosen:
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return chosen
        raise CannotRun(f"POLICYGEN_CHROMIUM={chosen} is not an executable file. {INSTALL_HINT}")
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise CannotRun(INSTALL_HINT)


@contextmanager
def serving(site: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] | None = None,
            ) -> Iterator[str]:
    """The built site on a free loopback port, for the duration of the block (served by
    ``handler_class``, a quiet static file server unless another is given)."""
    handler = functools.partial(handler_class or _QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _policy_of(site: Path, wanted: str | None) -> dict[str, Any]:
    try:
        catalog: dict[str, Any] = json.loads((site / urls.CATALOG_PATH).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise CannotRun(f"{site} is not a built policy site (no readable {urls.CATALOG_PATH}): "
                        "run 'policygen build' first") from error
    policies: dict[str, dict[str, Any]] = {entry["id"]: entry for entry in catalog["policies"]}
    if wanted is None and len(policies) == 1:
        return next(iter(policies.values()))
    if wanted is None or wanted not in policies:
        raise CannotRun(f"name the policy with --policy (one of: {', '.join(policies)})")
    return policies[wanted]


PRINTS = "pdf"
"""Where prints go by default: a folder of their own, ignored by git, so that a print is never
committed by accident."""


def _newest_source(config_file: Path) -> float:
    """When the sources the site is built from last changed (mkdocs.yml, policy/, schema/)."""
    project = Project.at(config_file.resolve().parent)
    newest = config_file.stat().st_mtime
    for folder in (project.policy_dir, project.schema_dir):
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def print_pdf(site: Path, policy_id: str | None, version: str | None, output: Path | None,
              config_file: Path = Path("mkdocs.yml"), build_first: bool = False) -> int:
    """Print a page of the built ``site``; refuse a site older than its sources (``build_first``
    builds it first)."""
    if build_first:
        from policygen.doors.building import build_site

        built = build_site(config_file)
        if built != EXIT_CLEAN:
            return built
    catalog = site / urls.CATALOG_PATH
    if config_file.is_file():
        if not catalog.is_file():
            raise CannotRun(f"{site} is not built yet: run 'policygen build' first, or "
                            "'policygen pdf --build'")
        if catalog.stat().st_mtime < _newest_source(config_file):
            raise CannotRun(f"{site} is older than the sources: a print must show what is "
                            "published; run 'policygen build' first, or 'policygen pdf --build'")
    chromium = find_chromium()
    policy = _policy_of(site, policy_id)
    versions = [str(entry["version"]) for entry in policy["versions"]]
    if version is not None and version not in versions:
        raise CannotRun(f"{policy['id']} has no published version {version} "
                        f"(published: {', '.join(versions)})")
    path = (urls.version_page_url(str(policy["id"]), version) if version
            else urls.page_url(str(policy["id"])))
    if output is None:
        home = config_file.resolve().parent if config_file.is_file() else Path.cwd()
        output = home / PRINTS / f"{policy['id']}-{version or policy['current_version']}.pdf"
        output.parent.mkdir(exist_ok=True)
    sandbox = ("--no-sandbox",) if hasattr(os, "geteuid") and os.geteuid() == 0 else ()
    output.unlink(missing_ok=True)  # so that a failed print cannot pass for a fresh one
    with serving(site) as base, tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, *sandbox, f"--user-data-dir={profile}",
             "--no-pdf-header-footer", f"--print-to-pdf={output.resolve()}", base + path],
            capture_output=True, text=True, timeout=120, check=False,
        )
    if result.returncode != 0 or not output.is_file():
        raise CannotRun(f"Chromium could not print {path}: {result.stderr.strip()[-500:]}")
    print(f"policygen pdf: wrote {output} ({output.stat().st_size:,} bytes)", file=sys.stderr)
    return EXIT_CLEAN
