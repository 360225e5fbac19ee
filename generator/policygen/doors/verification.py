"""``policygen verify``: a consumer's check of a published disclosure, with nothing but the site.

Given the disclosure (a file of a built site, or a URL), it checks that the JSON validates
against the schema named by its ``$schema``, that its SHA-256 is the one the site's catalog lists
for that version, and that each claim's anchor exists on the version's page and holds the very
statement the disclosure quotes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from policygen.doors.fetching import fetch as fetch_url
from policygen.model import urls
from policygen.model.problems import CannotRun
from policygen.source.html_reader import read_page

Fetch = Callable[[str], bytes]


@dataclass(frozen=True)
class Finding:
    ok: bool
    message: str


def site_of_url(url: str) -> str | None:
    """The site a disclosure URL belongs to: everything before its ``disclosures/`` folder."""
    path = urlsplit(url).path
    index = path.rfind("/disclosures/")
    if index < 0:
        return None
    return url[: url.index(path) + index + 1]


def _site_root_of(file: Path) -> Path | None:
    """The built site a disclosure file belongs to (the folder with disclosures/index.json)."""
    for folder in file.resolve().parents:
        if (folder / urls.CATALOG_PATH).is_file():
            return folder
    return None


def _local_fetch(site_root: Path, site_url: str, fallback: Fetch) -> Fetch:
    """Fetch URLs under ``site_url`` from the built site on disk; anything else from the web."""
    def fetch(url: str) -> bytes:
        if not url.startswith(site_url):
            return fallback(url)
        path = site_root / urlsplit(url).path.removeprefix(urlsplit(site_url).path)
        if url.endswith("/"):
            path = path / "index.html"
        try:
            return path.read_bytes()
        except OSError as error:
            raise CannotRun(f"cannot read {path} (for {url}): {error.strerror}") from error
    return fetch


def verify(target: str, fetch: Fetch = fetch_url, site: str | None = None) -> list[Finding]:
    """Every check of the disclosure at ``target`` (a path or a URL), passed or failed.

    What vouches for the disclosure is the site it was fetched from (or ``site``, to verify a
    copy against the live site): its schema and its catalog, never those that the disclosure
    itself names, which a forged disclosure would point at a site of its own.
    """
    is_url = urlsplit(target).scheme in ("http", "https")
    if is_url:
        content = fetch(target)
    else:
        try:
            content = Path(target).read_bytes()
        except OSError as error:
            raise CannotRun(f"cannot read {target}: {error.strerror}") from error
    try:
        document = json.loads(content)
    except ValueError as error:
        return [Finding(False, f"{target} is not JSON: {error}")]
    if not isinstance(document, dict) or not isinstance(document.get("$schema"), str):
        return [Finding(False, f"{target} is not a disclosure: it names no $schema")]
    schema_url: str = document["$schema"]
    named_site = schema_url.removesuffix(urls.DISCLOSURE_SCHEMA_PATH)
    if named_site == schema_url:
        return [Finding(False, f"$schema {schema_url} is not a policygen disclosure schema")]
    site_root = None if is_url else _site_root_of(Path(target))
    if site is None and is_url:
        site = site_of_url(target)
    if site is None and site_root is not None:
        site = named_site  # a file of a built site on disk: that site's own files vouch
    if site is None:
        raise CannotRun(f"cannot tell which site {target} belongs to: pass --site URL (the site "
                        "whose catalog and schema must vouch for it)")
    site = site.rstrip("/") + "/"
    if site_root is not None:
        fetch = _local_fetch(site_root, site, fetch)
    expected_schema = site + urls.DISCLOSURE_SCHEMA_PATH
    if schema_url != expected_schema:
        return [Finding(False, f"the disclosure names the schema {schema_url}, but it is "
                               f"verified as a disclosure of {site}, whose schema is "
                               f"{expected_schema}")]
    findings = list(_schema_findings(document, expected_schema, fetch))
    if not all(finding.ok for finding in findings):
        return findings
    findings.append(_catalog_finding(document, content, site, fetch))
    findings += _page_findings(document, site, fetch)
    return findings


def _schema_findings(document: dict[str, Any], schema_url: str, fetch: Fetch) -> Iterator[Finding]:
    from jsonschema import Draft202012Validator

    schema = json.loads(fetch(schema_url))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    for error in errors:
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        yield Finding(False, f"schema: at {where}: {error.message}")
    if not errors:
        yield Finding(True, f"valid against {schema_url}")


def _catalog_finding(
    document: dict[str, Any], content: bytes, site_url: str, fetch: Fetch,
) -> Finding:
    catalog_url = site_url + urls.CATALOG_PATH
    catalog = json.loads(fetch(catalog_url))
    digest = hashlib.sha256(content).hexdigest()
    entry = next((p for p in catalog.get("policies", []) if p.get("id") == document["id"]), None)
    if entry is None:
        return Finding(False, f"the catalog {catalog_url} does not list the policy "
                              f"'{document['id']}'")
    version = next(
        (v for v in entry.get("versions", []) if v.get("version") == document["version"]), None,
    )
    if version is None:
        return Finding(False, f"the catalog does not list version {document['version']} of "
                              f"'{document['id']}'")
    if version.get("sha256") != digest:
        return Finding(False, f"SHA-256 {digest} is not the {version.get('sha256')} that the "
                              f"catalog lists for {document['id']} {document['version']}: "
                              "this is not the published disclosure")
    return Finding(True, f"SHA-256 {digest} matches the catalog for {document['id']} "
                         f"{document['version']}")


def _page_findings(document: dict[str, Any], site: str, fetch: Fetch) -> Iterator[Finding]:
    pages: dict[str, Any] = {}
    claims = document.get("claims", {})
    failed = False
    for name, claim in claims.items():
        page_url, anchor = urldefrag(claim["statement"]["url"])
        if not page_url.startswith(site):
            failed = True
            yield Finding(False, f"claim '{name}': its statement is at {page_url}, outside {site}")
            continue
        if page_url not in pages:
            pages[page_url] = read_page(fetch(page_url).decode("utf-8", "replace"))
        element = pages[page_url].by_id(anchor)
        if element is None:
            failed = True
            yield Finding(False, f"claim '{name}': {page_url} has no anchor #{anchor}")
        elif element.text != claim["statement"]["text"]:
            failed = True
            yield Finding(False, f"claim '{name}': the statement at {page_url}#{anchor} reads "
                                 f"“{element.text}”, but the disclosure quotes "
                                 f"“{claim['statement']['text']}”")
    if failed:
        return
    yield Finding(True, f"all {len(claims)} claims found on {', '.join(pages) or 'no page'} "
                        "with the statements they quote")
