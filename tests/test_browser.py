"""The page as people read it, in a real browser: Debian's Chromium driven by Playwright against
the built site served on 127.0.0.1. In CI these tests run or fail; they never skip."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REFERENCE, ROOT, build, copy_project
from hosting import serving_with_headers
from jsonschema import Draft202012Validator
from policygen.doors.cli import main
from policygen.model.text import collapse_whitespace

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = ["", "do-not-sell/", "do-not-sell/1.0.0/", "do-not-sell/history/", "schema/disclosure/",
         "404.html"]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "Chromium is not installed (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message + ": browser tests must run in CI")
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The default site, built and served on a loopback port with the headers of its
    ``_headers`` file, as Netlify or Cloudflare Pages would serve it."""
    project = copy_project(tmp_path_factory.mktemp("browser") / "project")
    built = build(project)
    with serving_with_headers(built) as url:
        yield built, url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_the_page_shows_the_policy_with_working_links(
    site: tuple[Path, str], page: Any
) -> None:
    built, url = site
    page.goto(url + "do-not-sell/")
    assert page.title().startswith("QualSights “Do Not Sell” Policy Statement")
    article = page.locator("article")
    assert article.locator("h1").inner_text() == "QualSights “Do Not Sell” Policy Statement"
    assert article.locator("h2").all_inner_texts() == [
        "1. In General", "2. When Our Customers are the Data Controllers",
        "3. When QualSights is the Data Controller",
    ]
    assert article.locator(".policy-meta").inner_text().startswith(
        "Version 1.0.0 · Effective date 2026-11-24 · Last reviewed 2026-11-24"
    )
    assert article.locator("li").count() == 7
    hrefs = {link.inner_text(): link.get_attribute("href")
             for link in article.locator("a").all()}
    assert hrefs["https://www.qualsights.com/privacy-policy/"] == \
        "https://www.qualsights.com/privacy-policy/"
    assert hrefs["Section 4"] == "https://www.qualsights.com/privacy-policy/"
    assert hrefs["privacy@qualsights.com"] == "mailto:privacy@qualsights.com"
    screenshot(page, "desktop-page.png")

    # The JSON link, followed from the page, returns the published file, which validates.
    json_href = article.get_by_role("link", name="Machine-readable disclosure (JSON)")
    response = page.request.get(url + "disclosures/do-not-sell.json")
    followed = page.request.get(json_href.evaluate("link => link.href"))
    assert followed.body() == (built / "disclosures" / "do-not-sell.json").read_bytes()
    assert followed.body() == response.body()
    assert followed.headers["content-type"].startswith("application/json")
    document = json.loads(followed.body())
    schema = json.loads(page.request.get(url + "schema/disclosure/v1.json").body())
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        document
    )
    alternate = page.locator('head link[rel~="alternate"][type="application/json"]')
    assert alternate.evaluate("link => link.href") == url + "disclosures/do-not-sell.json"


def test_following_a_claim_anchor_scrolls_to_and_highlights_the_statement(
    site: tuple[Path, str], page: Any
) -> None:
    _, url = site
    page.goto(url + "do-not-sell/1.0.0/#withdraw-consent")
    statement = page.locator("#withdraw-consent")
    assert statement.evaluate("element => element.matches(':target')")
    box = statement.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    background = statement.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    other = page.locator("#no-sale").evaluate("e => getComputedStyle(e).backgroundColor")
    assert other == "rgba(0, 0, 0, 0)"


def test_no_page_asks_another_origin_for_anything(site: tuple[Path, str], page: Any) -> None:
    _, url = site
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", "do-not-sell/", "do-not-sell/history/"):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
    assert len(requested) > 10
    assert [r for r in requested if not r.startswith(url) and not r.startswith("data:")] == []


def test_keyboard_skip_link_and_every_link_reachable_by_tab(
    site: tuple[Path, str], page: Any
) -> None:
    _, url = site
    page.goto(url + "do-not-sell/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#qualsights-do-not-sell-policy-statement"
    page.goto(url + "do-not-sell/")
    visible = set(page.evaluate(
        "[...document.querySelectorAll('a[href]')].filter(a => a.checkVisibility())"
        ".map(a => a.href + ' ' + a.textContent.trim())"
    ))
    reached: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(
            "document.activeElement.matches('a[href]') ? "
            "document.activeElement.href + ' ' + document.activeElement.textContent.trim() : ''"
        ))
    assert visible - reached == set()


def test_on_a_phone_nothing_scrolls_sideways_and_text_is_readable(
    site: tuple[Path, str], browser: Any
) -> None:
    _, url = site
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        for path in ("do-not-sell/", "do-not-sell/history/", "", "schema/disclosure/"):
            phone.goto(url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"/{path} is {width} px wide"
        phone.goto(url + "do-not-sell/")
        assert phone.locator('meta[name="viewport"]').get_attribute("content").startswith(
            "width=device-width"
        )
        size = phone.locator("#no-sale").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16
        phone.screenshot(path=str(ARTIFACTS / "phone-page.png"), full_page=True)
    finally:
        context.close()


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


PRIVACY_POLICY = "https://www.qualsights.com/privacy-policy/"
DISCLOSURE_1_0_0 = "f71b5ffed9b0edda1e92ba754d63e4e33d0fbe8214b7feda63b92cfac7aa1d24"


def assert_printed_policy(text: str) -> None:
    """A legal record: page numbers, the full legal text with the address after every link,
    version, dates, permanent address and disclosure digest first, and no site chrome."""
    numbers = [(int(page), int(total)) for page, total in re.findall(r"page (\d+) of (\d+)", text)]
    total = numbers[0][1]
    assert total >= 2 and sorted(numbers) == [(page, total) for page in range(1, total + 1)]
    flat = re.sub(r"\s+", "", re.sub(r"page \d+ of \d+", "", text))
    assert flat.startswith("QualSights“DoNotSell”PolicyStatement")
    header = flat.find("Version1.0.0·Effectivedate2026-11-24·Lastreviewed2026-11-24")
    record = flat.find("Permanentaddressofversion1.0.0:https://policies.qualsights.com/"
                       f"do-not-sell/1.0.0/DisclosureSHA-256:{DISCLOSURE_1_0_0}"
                       "Effectivedate2026-11-24·released2026-11-25")
    assert 0 < header < record < flat.find("1.InGeneral")
    position = 0
    reference = REFERENCE.read_text("utf-8").replace("•", "")
    # On paper every link is followed by its address (unless its text is the address).
    reference = reference.replace(
        "As discussed in our Privacy Policy,", f"As discussed in our Privacy Policy ({PRIVACY_POLICY}),"
    ).replace(
        "our Privacy Policy (see Section 4);",
        f"our Privacy Policy ({PRIVACY_POLICY}) (see Section 4 ({PRIVACY_POLICY}));",
    )
    for block in re.split(r"\n\s*\n|\n(?=\s*[A-Z])", reference):
        wanted = re.sub(r"\s+", "", block)
        found = flat.find(wanted, position)
        assert found >= 0, f"not printed, or out of order: {collapse_whitespace(block)[:80]}"
        position = found + len(wanted)
    for chrome in ("Skip to content", "Table of contents", "Made with", "Search"):
        assert chrome not in text


def test_printing_gives_the_legal_text_without_chrome(site: tuple[Path, str], page: Any) -> None:
    _, url = site
    page.goto(url + "do-not-sell/")
    assert_printed_policy(pdf_text(page.pdf(format="A4")))


def test_policygen_pdf_writes_that_pdf_with_the_installed_chromium(
    site: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    built, _ = site
    monkeypatch.setenv("POLICYGEN_CHROMIUM", chromium_path())
    output = tmp_path / "files" / "do-not-sell.pdf"
    output.parent.mkdir()
    assert main(["pdf", "1.0.0", "--site", str(built), "-o", str(output)]) == 0
    first = pdf_text(output.read_bytes())
    assert_printed_policy(first)
    assert main(["pdf", "1.0.0", "--site", str(built), "-o", str(output)]) == 0
    assert pdf_text(output.read_bytes()) == first  # nothing in the text changes between prints
    assert main(["pdf", "9.9.9", "--site", str(built)]) == 2
    assert "do-not-sell has no published version 9.9.9 (published: 1.0.0)" in \
        capsys.readouterr().err


def test_policygen_pdf_files_its_prints_apart_and_never_prints_a_stale_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(tmp_path / "project")
    monkeypatch.setenv("POLICYGEN_CHROMIUM", chromium_path())
    monkeypatch.chdir(project)
    assert main(["pdf"]) == 2  # nothing built yet
    assert "policygen build" in capsys.readouterr().err
    assert main(["build"]) == 0
    assert main(["pdf"]) == 0
    assert (project / "pdf" / "do-not-sell-1.0.0.pdf").is_file()
    ignored = (ROOT / ".gitignore").read_text("utf-8").splitlines()
    assert "/pdf/" in ignored
    source = project / "policy" / "do-not-sell.yaml"
    source.write_bytes(source.read_bytes())  # saved again after the build
    capsys.readouterr()
    assert main(["pdf"]) == 2
    assert "site is older than the sources" in capsys.readouterr().err
    assert main(["pdf", "--build"]) == 0


def test_policygen_pdf_says_what_to_install_without_chromium(
    site: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    built, _ = site
    monkeypatch.setenv("POLICYGEN_CHROMIUM", "")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert main(["pdf", "--site", str(built)]) == 2
    assert "install it (Debian/Ubuntu: 'apt-get install chromium'" in capsys.readouterr().err


def test_the_history_page_in_the_browser(site: tuple[Path, str], page: Any) -> None:
    _, url = site
    page.goto(url + "do-not-sell/")
    page.get_by_role("link", name="History").click()
    page.wait_for_url(url + "do-not-sell/history/")
    assert page.locator("article h2").all_inner_texts() == ["Version 1.0.0"]
    screenshot(page, "history-page.png")
    digest = hashlib.sha256(page.request.get(url + "disclosures/do-not-sell/1.0.0.json").body())
    assert digest.hexdigest() == json.loads(
        page.request.get(url + "disclosures/index.json").body()
    )["policies"][0]["versions"][0]["sha256"]


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  event => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));
"""


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_clean_under_its_security_headers(
    site: tuple[Path, str], page: Any, path: str,
) -> None:
    """No failed request, no console error or warning, no Content-Security-Policy violation,
    served with the headers of _headers (which the page's response must carry)."""
    _, url = site
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("response", lambda response: problems.append(f"{response.status}: {response.url}")
            if response.status >= 400 and not response.url.endswith("/404.html")
            and path != "404.html" else None)
    response = page.goto(url + path)
    page.wait_for_load_state("networkidle")
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    for directive in ("frame-ancestors 'none'", "base-uri 'self'", "object-src 'none'",
                      "form-action 'self'"):
        assert directive in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] and headers["permissions-policy"]
    assert page.evaluate("window.__violations") == []
    assert problems == []


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_with_every_rule(site: tuple[Path, str], page: Any, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _, url = site
    page.goto(url + path)
    axe = Axe()
    axe.run(page)  # injects axe-core, so that its rules can be listed
    every = page.evaluate("axe.getRules().map(rule => rule.ruleId)")
    assert len(every) > 90
    options = {"rules": {rule: {"enabled": True} for rule in every}}
    violations = axe.run(page, options=options).response["violations"]
    assert [(v["id"], [node["target"] for node in v["nodes"]]) for v in violations] == []


def test_the_search_finds_a_word_of_the_statement_under_the_policy(
    site: tuple[Path, str], page: Any,
) -> None:
    _, url = site
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(url + "do-not-sell/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.click()
    search.type("Participant")
    # Results follow each key: wait for those of the whole word.
    found = page.locator(".md-search-result__item", has_text="Participant")
    found.first.wait_for(state="visible", timeout=15000)
    assert "Participant Personal Data" in found.first.inner_text()
    assert page.evaluate("window.__violations") == []


def test_the_history_links_and_printing_work_under_the_policy(
    site: tuple[Path, str], page: Any,
) -> None:
    _, url = site
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(url + "do-not-sell/history/")
    page.get_by_role("link", name="Page").first.click()
    page.wait_for_url(url + "do-not-sell/1.0.0/")
    assert page.locator("article h1").inner_text().startswith("QualSights")
    assert len(page.pdf(format="A4")) > 10_000
    assert page.evaluate("window.__violations") == []


def vnu_jar() -> Path:
    found = os.environ.get("VNU_JAR") or str(ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar")
    if Path(found).is_file() and shutil.which("java"):
        return Path(found)
    message = ("the Nu HTML Checker is not installed (npm install --prefix .tools vnu-jar, and "
               "Java)")
    if os.environ.get("CI"):
        pytest.fail(message + ": it must run in CI")
    pytest.skip(message)


def test_every_page_is_valid_html(site: tuple[Path, str]) -> None:
    built, _ = site
    pages = [built / (path + "index.html" if not path.endswith(".html") else path)
             for path in PAGES]
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", *map(str, pages)],
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
