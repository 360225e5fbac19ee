"""``policygen links``: the external links of the published pages and disclosures, checked where
they live. ``check`` stays offline and deterministic; this command goes online.

Every distinct URL is fetched once (HEAD, falling back to GET; GET for the Privacy Policy, whose
sections are looked for in its HTML), with bounded concurrency, a timeout per request, retries
with backoff on 429 and 5xx that honor ``Retry-After``, and redirects followed one hop at a time,
so that a permanent move is told apart from a temporary one. Each verdict is a problem located at
the declaration in the YAML, reported like ``check``'s.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

from policygen import __version__
from policygen.model.policy import Policy, ReferencedSection
from policygen.model.problems import Problem
from policygen.model.text import collapse_whitespace
from policygen.plan.review import review
from policygen.source.html_reader import read_page
from policygen.source.loader import Source, parse_source
from policygen.source.project_files import ProjectFiles

USER_AGENT = f"policygen/{__version__} (link check; https://pypi.org/project/policygen/)"
MAX_REDIRECTS = 10
RETRIES = 3
MAX_RETRY_AFTER = 30.0
PERMANENT = (301, 308)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class Target:
    """One URL to fetch, and every declaration that uses it (file, line, column, path)."""

    url: str
    declared: list[tuple[Source, tuple[str | int, ...]]] = field(default_factory=list)
    sections: list[tuple[Source, int, ReferencedSection]] = field(default_factory=list)
    """The Privacy Policy's declared sections, looked for in this page."""


@dataclass(frozen=True)
class Fetched:
    """What fetching a URL gave: the status after the redirects, the hops, the body of a GET."""

    status: int | None
    hops: tuple[tuple[int, str], ...] = ()
    body: bytes | None = None
    error: str | None = None


def link_targets(files: ProjectFiles) -> dict[str, Target]:
    """Every external https: link of every policy, by URL (fragments aside): the Privacy
    Policy and its sections, the publisher's site, every declared link."""
    targets: dict[str, Target] = {}
    found = review(files, _ANY_DAY)
    by_file = {policy.source_file: policy for policy in found.drafts}
    for file, raw in files.sources.items():
        policy = by_file.get(file)
        source, _ = parse_source(raw, file)
        if policy is None or source is None:
            continue
        for path, url in _declared_urls(policy):
            page, _ = urldefrag(url)
            targets.setdefault(page, Target(page)).declared.append((source, path))
        if policy.privacy_policy:
            page, _ = urldefrag(policy.privacy_policy.url)
            for index, section in enumerate(policy.privacy_policy.sections):
                targets[page].sections.append((source, index, section))
    return targets


_ANY_DAY = dt.date(2000, 1, 1)
"""Freshness is not this command's business: any day serves the review."""


def _declared_urls(policy: Policy) -> Iterable[tuple[tuple[str | int, ...], str]]:
    yield ("publisher", "url"), policy.publisher.url
    if policy.privacy_policy:
        yield ("privacy_policy", "url"), policy.privacy_policy.url
    for name, target in policy.links.items():
        if target.startswith("https:"):
            yield ("links", name), target


Fetch = Callable[[str, bool], Fetched]


def check_links(targets: dict[str, Target], fetch: Fetch, workers: int = 8) -> list[Problem]:
    """Fetch every target once (at most ``workers`` at a time) and judge it."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(targets, pool.map(
            lambda target: fetch(target.url, bool(target.sections)), targets.values(),
        ), strict=True))
    problems: list[Problem] = []
    for url, target in targets.items():
        problems += _verdict(target, results[url])
    return sorted(problems)


def _verdict(target: Target, fetched: Fetched) -> list[Problem]:
    problems: list[Problem] = []
    broken = fetched.error or (None if fetched.status is None or fetched.status < 400 else
                               f"the server answers HTTP {fetched.status}")
    moved = next((url for status, url in fetched.hops if status in PERMANENT), None)
    final = fetched.hops[-1][1] if fetched.hops else target.url
    for source, path in target.declared:
        if broken:
            problems.append(source.problem(
                path, "link-broken", f"{target.url} is broken: {broken}",
                "find where the page went and declare its new address; until then readers "
                "and regulators following the link find nothing",
            ))
        elif moved:
            problems.append(source.problem(
                path, "link-moved", f"{target.url} has moved permanently to {final}",
                f"declare the new address: {final}", severity="warning",
            ))
    if target.sections and fetched.body is not None and not broken:
        problems += _section_problems(target, fetched.body.decode("utf-8", "replace"))
    return problems


def _section_problems(target: Target, html: str) -> list[Problem]:
    page = read_page(html)
    headings = [(element.text, element) for element in page.elements if element.tag in _HEADINGS]
    problems: list[Problem] = []
    for source, index, section in target.sections:
        path = ("privacy_policy", "sections", index)
        if section.anchor:
            found = page.by_id(section.anchor) or next(
                (e for e in page.elements if e.tag == "a" and e.attributes.get("name")
                 == section.anchor), None)
            if found is None:
                problems.append(source.problem(
                    (*path, "anchor"), "section-anchor-missing",
                    f"the Privacy Policy has no anchor #{section.anchor} (section {section.number})",
                    "find the section's new anchor and declare it, or remove the anchor so "
                    "that links go to the Privacy Policy itself",
                ))
            continue
        numbered = next((text for text, _ in headings if _numbered(text, section.number)), None)
        if section.heading:
            expected = collapse_whitespace(section.heading).lower()
            elsewhere = next((text for text, _ in headings if expected in text.lower()
                              and not _numbered(text, section.number)), None)
            if elsewhere is not None and (numbered is None or expected not in numbered.lower()):
                number = re.match(r"\s*(?:section\s+)?([0-9]+(?:\.[0-9]+)*)", elsewhere,
                                  re.IGNORECASE)
                problems.append(source.problem(
                    path, "section-renumbered",
                    f"the heading '{section.heading}' is now numbered "
                    f"{number.group(1) if number else 'differently'}: “{elsewhere}”",
                    "the text's “Section N” now points at another section: legal decides how "
                    "to reword it, then declare the section's new number",
                ))
                continue
            if numbered is not None and expected not in numbered.lower():
                problems.append(source.problem(
                    path, "section-reworded",
                    f"section {section.number} of the Privacy Policy is now headed “{numbered}”, "
                    f"not '{section.heading}'",
                    "check that the section still says what the statement refers to, then "
                    "declare the new heading", severity="warning",
                ))
                continue
        if numbered is None:
            problems.append(source.problem(
                path, "section-missing",
                f"the Privacy Policy has no section {section.number} any more",
                "find where that content went and update the reference and the declaration",
            ))
    return problems


def _numbered(text: str, number: str) -> bool:
    return re.match(rf"\s*(?:section\s+)?{re.escape(number)}(?![0-9])[.:)]?(\s|$)", text,
                    re.IGNORECASE) is not None


def http_fetcher(timeout: float, remaps: list[tuple[re.Pattern[str], str]]) -> Fetch:
    """Fetch with httpx: one request per hop, HEAD falling back to GET, retries on 429 and 5xx
    honoring Retry-After (at most ``MAX_RETRY_AFTER`` seconds), every request within
    ``timeout`` seconds."""
    import httpx

    client = httpx.Client(timeout=timeout, follow_redirects=False,
                          headers={"User-Agent": USER_AGENT})

    def remapped(url: str) -> str:
        for pattern, replacement in remaps:
            url = pattern.sub(replacement, url)
        return url

    def request(method: str, url: str) -> httpx.Response:
        for attempt in range(RETRIES + 1):
            response = client.request(method, url)
            if (response.status_code != 429 and response.status_code < 500) or attempt == RETRIES:
                return response
            time.sleep(_retry_after(response, attempt))
        raise AssertionError("unreachable")

    def fetch(url: str, need_body: bool) -> Fetched:
        hops: list[tuple[int, str]] = []
        current = remapped(url)
        seen = {current}
        try:
            for _ in range(MAX_REDIRECTS + 1):
                response = request("GET" if need_body else "HEAD", current)
                if not need_body and (400 <= response.status_code < 500
                                      or response.status_code == 501):
                    response = request("GET", current)  # some servers refuse or botch HEAD
                if response.is_redirect:
                    current = urljoin(current, response.headers["location"])
                    hops.append((response.status_code, current))
                    if current in seen:
                        return Fetched(None, tuple(hops), error="its redirects go round in a loop")
                    seen.add(current)
                    continue
                return Fetched(response.status_code, tuple(hops),
                               response.content if need_body else None)
            return Fetched(None, tuple(hops), error=f"more than {MAX_REDIRECTS} redirects")
        except httpx.TimeoutException:
            return Fetched(None, tuple(hops), error=f"no answer within {timeout:g} seconds")
        except httpx.ConnectError as error:
            return Fetched(None, tuple(hops), error=f"cannot connect ({_reason(error)})")
        except httpx.HTTPError as error:
            return Fetched(None, tuple(hops), error=_reason(error))

    return fetch


def _retry_after(response: object, attempt: int) -> float:
    value = str(getattr(response, "headers", {}).get("retry-after", ""))
    if value.strip().isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    backoff: float = 0.5 * 2.0 ** attempt
    return min(backoff, MAX_RETRY_AFTER)


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        return f"TLS failure: {text}"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return f"DNS failure: the host name does not resolve ({text})"
    return text


def parse_remaps(given: list[str]) -> list[tuple[re.Pattern[str], str]]:
    """``--remap 'REGEX REPLACEMENT'`` (lychee's convention) as compiled substitutions."""
    remaps = []
    for text in given:
        pattern, _, replacement = text.strip().partition(" ")
        remaps.append((re.compile(pattern), replacement.strip()))
    return remaps

