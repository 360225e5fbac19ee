"""Translations: a site of its own (Example Widgets, started with ``policygen init``) whose
privacy notice has a Spanish translation. The default site has none, and claims none."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from conftest import FIXTURES, build
from hosting import serving_with_headers
from policygen.doors.cli import main
from policygen.source.html_reader import read_page
from test_browser import RECORD_VIOLATIONS, screenshot, vnu_jar
from test_browser import browser as browser  # the fixture: Chromium, launched once per module

SITE = "https://policies.widgets.example/"
ORIGINAL = FIXTURES / "translated" / "privacy-notice.yaml"
SPANISH = FIXTURES / "translated" / "privacy-notice.es.yaml"


def new_site(folder: Path, *, released: bool = True) -> Path:
    """A new site made as a user makes one, with the fixture's notice and its translation
    (released, unless ``released`` is false)."""
    assert main(["init", str(folder), "--publisher", "Example Widgets, Inc.",
                 "--url", "https://widgets.example/", "--contact", "privacy@widgets.example",
                 "--site-url", SITE, "--policy", "privacy-notice"]) == 0
    shutil.copy2(ORIGINAL, folder / "policy" / ORIGINAL.name)
    shutil.copy2(SPANISH, folder / "policy" / SPANISH.name)
    if released:
        assert main(["release", "-f", str(folder / "mkdocs.yml")]) == 0
    return folder


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    code = main(["check", "--root", str(project), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def text_of(html: str, selector: str) -> str:
    """The text of the element with the id ``#x``, or of the first with the class ``.x``."""
    page = read_page(html)
    if selector.startswith("#"):
        found = page.by_id(selector[1:])
    else:
        found = next((e for e in page.elements if selector[1:] in e.classes), None)
    assert found is not None, selector
    return found.text


def link_to(html: str, words: str) -> str:
    """Where the link that reads ``words`` goes."""
    return next(e.attributes["href"] for e in read_page(html).links() if e.text == words)


def anchors(html: str) -> list[str]:
    return [e.attributes["id"] for e in read_page(html).elements
            if e.attributes.get("id", "").startswith(("section-", "no-", "gpc"))]


def hreflangs(html: str, here: str) -> list[tuple[str, str]]:
    """Each ``<link rel="alternate" hreflang>`` of a page at ``here``, its URL resolved."""
    return [(e.attributes["hreflang"], urljoin(SITE + here, e.attributes["href"]))
            for e in read_page(html).elements
            if e.tag == "link" and e.attributes.get("rel") == "alternate"
            and "hreflang" in e.attributes]


def line_of(path: Path, words: str) -> int:
    return next(number for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if words in line)


def test_a_translation_is_released_beside_its_original_and_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = new_site(tmp_path / "site")
    out = capsys.readouterr().out
    assert "released the es translation of privacy-notice 1.0.0" in out
    releases = project / "policy" / "releases"
    kept = releases / "privacy-notice" / "1.0.0.es.yaml"
    assert kept.read_bytes() == SPANISH.read_bytes()
    sums = (releases / "SHA256SUMS").read_text("utf-8")
    assert f"{hashlib.sha256(SPANISH.read_bytes()).hexdigest()}  privacy-notice/1.0.0.es.yaml" \
        in sums
    assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=releases,
                          check=False).returncode == 0
    assert check(project, capsys) == (0, [])
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0  # nothing left to release
    assert (releases / "SHA256SUMS").read_text("utf-8") == sums


MISTAKES = [
    # (what the translator did, old text, new text, rule, words on the reported line, message)
    ("dropped section 2", "  - number: 2\n    heading: Cómo contactarnos", None,
     "translation-structure", "  - number: 1",
     "section 2 (How to reach us) of version 1.0.0 of the original is missing"),
    ("numbered a section otherwise", "  - number: 2\n", "  - number: 3\n",
     "translation-structure", "number: 3",
     "section 3 is here, where version 1.0.0 of the original has section 2 (How to reach us)"),
    ("added a bullet", "          - text: escribir a privacy@widgets.example en cualquier momento.\n",
     "          - text: escribir a privacy@widgets.example en cualquier momento.\n"
     "          - text: llamarnos por teléfono.\n",
     "translation-structure", "llamarnos",
     "this bullet is not in section 2 of version 1.0.0 of the original, whose list has 2 "
     "bullets here"),
    ("made the list a paragraph", "      - bullets:\n          - id: gpc\n            text: enviar una "
     "señal Global Privacy Control, que respetamos;\n          - text: escribir a "
     "privacy@widgets.example en cualquier momento.\n",
     "      - text: enviar una señal Global Privacy Control, que respetamos.\n",
     "translation-structure", "- text: enviar",
     "a paragraph, “enviar una señal Global Privacy Control, que respetamos.” is here, where "
     "section 2 of version 1.0.0 of the original has a list of 2 bullets"),
    ("lost the id of a claim-bearing statement", "      - id: no-sale\n        text: >-\n",
     "      - text: >-\n", "translation-statement-id", "- text: >-",
     "this statement has no id, but in version 1.0.0 of the original the statement here is "
     "'no-sale' and carries the claims sells_personal_information"),
    ("renamed an id", "id: gpc", "id: gpc-signal", "translation-statement-id", "id: gpc-signal",
     "this statement has the id 'gpc-signal', but in version 1.0.0 of the original the "
     "statement here is 'gpc'"),
    ("dropped a link", "véase la [Sección 4][privacy-policy:4]", "véase la sección 4",
     "translation-link", "      - text: >-",
     "the statement here in version 1.0.0 of the original links to "
     "https://widgets.example/privacy/#your-rights, and this translation does not"),
    ("dropped an e-mail address", "escribir a privacy@widgets.example en", "escribirnos en",
     "translation-link", "escribirnos",
     "links to privacy@widgets.example, and this translation does not"),
    ("added a link", "no vende su información", "no vende (https://widgets.example/) su información",
     "translation-link", "        text: >-",
     "this translation links to https://widgets.example/, which the statement here in version "
     "1.0.0 of the original does not link to"),
    ("used a link the original does not declare", "[Política de privacidad][privacy-policy]",
     "[Política de privacidad][privacidad]", "undeclared-link", "      - text: >-",
     "the link [Política de privacidad][privacidad] is not declared in version 1.0.0 of the "
     "original"),
    ("gave a statement claims of its own", "            text: enviar una señal",
     "            claims:\n              honors_global_privacy_control: false\n"
     "            text: enviar una señal", "schema", "claims:", "claims"),
    ("named the wrong language", "language: es", "language: pt", "language-matches-file",
     "language: pt", "the file name says the language is 'es', but the file says 'pt'"),
    ("translated a version that does not exist", 'translates: "1.0.0"', 'translates: "1.2.0"',
     "translation-version", "translates:",
     "version 1.2.0 of privacy-notice is neither released nor the current version (1.0.0; "
     "released: none)"),
]


@pytest.mark.parametrize(("mistake", "old", "new", "rule", "where", "message"), MISTAKES,
                         ids=[mistake[0] for mistake in MISTAKES])
def test_check_finds_where_a_translation_departs_from_its_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mistake: str, old: str,
    new: str | None, rule: str, where: str, message: str,
) -> None:
    project = new_site(tmp_path / "site", released=False)
    translation = project / "policy" / SPANISH.name
    text = translation.read_text("utf-8")
    if new is None:  # dropped to the end of the file
        translation.write_text(text[:text.index(old)], "utf-8")
    else:
        edit(translation, old, new)
    code, problems = check(project, capsys)
    assert code == 1
    errors = [p for p in problems if p["severity"] == "error"]
    assert errors and all(p["file"] == "policy/privacy-notice.es.yaml" for p in errors)
    if rule != "schema":
        [error] = [p for p in errors if p["rule"] == rule]
    else:
        [error] = errors
    assert message in error["message"]
    assert error["line"] == line_of(translation, where), error
    assert error["hint"]


def released_site(tmp_path: Path) -> Path:
    return new_site(tmp_path / "site")


def test_a_reworded_original_warns_until_the_translation_follows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = released_site(tmp_path)
    original = project / "policy" / ORIGINAL.name
    edit(original, "to anyone.", "to anyone, for money or otherwise.")
    edit(original, "version: 1.0.0", "version: 1.0.1")
    edit(original, "summary: First published version.", "summary: Says what selling covers.")
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    code, problems = check(project, capsys)
    assert code == 0  # a warning: the strict build and CI stop on it
    [outdated] = problems
    assert outdated["rule"] == "translation-outdated"
    assert outdated["severity"] == "warning"
    assert outdated["line"] == line_of(project / "policy" / SPANISH.name, "translates:")
    assert "renders version 1.0.0, but the original is at 1.0.1" in outdated["message"]
    assert "for money or otherwise" in outdated["message"]
    assert main(["build", "-f", str(project / "mkdocs.yml")]) == 1  # strict: not published

    # A non-strict build publishes the translation, saying that it renders an older version.
    site = _build_loose(project)
    page = (site / "es" / "privacy-notice" / "index.html").read_text("utf-8")
    note = text_of(page, ".policy-version-note")
    assert "Esta traducción corresponde a la versión 1.0.0" in note
    assert "La versión vigente de la política es la 1.0.1" in note
    assert link_to(page, "Leer la versión vigente (English)") == "../../privacy-notice/"

    # Legal updates the translation and releases it: the warning ends, the 1.0.0 page stays.
    before = (site / "es" / "privacy-notice" / "1.0.0" / "index.html").read_text("utf-8")
    spanish = project / "policy" / SPANISH.name
    edit(spanish, "a nadie.", "a nadie, ni por dinero ni de otro modo.")
    edit(spanish, 'translates: "1.0.0"', 'translates: "1.0.1"')
    assert [p["rule"] for p in check(project, capsys)[1]] == ["not-released"]
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    assert check(project, capsys) == (0, [])
    site = build(project)
    after = (site / "es" / "privacy-notice" / "1.0.0" / "index.html").read_text("utf-8")
    assert text_of(before, "#no-sale") == text_of(after, "#no-sale")
    assert "ha sido sustituida" in text_of(after, ".policy-version-note")
    current = (site / "es" / "privacy-notice" / "index.html").read_text("utf-8")
    assert "ni por dinero" in text_of(current, "#no-sale")
    catalog = json.loads((site / "disclosures" / "index.json").read_text("utf-8"))
    versions = catalog["policies"][0]["versions"]
    assert [[t["language"] for t in v["translations"]] for v in versions] == [["es"], ["es"]]

    # A released translation never changes: editing it in place is refused.
    edit(spanish, "Cómo contactarnos", "Cómo escribirnos")
    code, problems = check(project, capsys)
    assert code == 1
    assert [p["rule"] for p in problems] == ["translation-released"]
    capsys.readouterr()
    assert main(["diff", "--root", str(project), "--language", "es", "1.0.1"]) == 0
    shown = capsys.readouterr().out
    assert "privacy-notice in es: 1.0.1 (1.0.1) → current (1.0.1)" in shown
    assert "The heading of section 2: Cómo [-contactarnos-]{+escribirnos+}" in shown
    assert main(["diff", "--root", str(project), "--language", "es", "1.0.0", "1.0.1"]) == 0
    assert "ni por dinero" in capsys.readouterr().out


def _build_loose(project: Path) -> Path:
    """``mkdocs build`` without --strict: warnings are logged, the site is published."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"),
                         strict=False)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return project / "site"


def test_a_change_of_claims_or_statements_in_the_original_is_an_error_for_its_translation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = released_site(tmp_path)
    original = project / "policy" / ORIGINAL.name
    edit(original, "      - text: \"You can:\"",
         "      - id: no-share\n        text: We do not share it either.\n"
         "        claims:\n          shares_personal_information: false\n"
         "      - text: \"You can:\"")
    edit(original, "version: 1.0.0", "version: 1.1.0")
    edit(original, "summary: First published version.", "summary: Adds that we do not share.")
    edit(original, 'effective_date: "2026-10-01"', 'effective_date: "2026-11-20"')
    code, problems = check(project, capsys)
    assert code == 1
    [drift] = [p for p in problems if p["severity"] == "error"]
    assert drift["rule"] == "translation-drift"
    assert drift["file"] == "policy/privacy-notice.es.yaml"
    assert "renders version 1.0.0, but the original is at 1.1.0" in drift["message"]
    assert "shares_personal_information" in drift["message"]


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    project = new_site(tmp_path_factory.mktemp("translated") / "site")
    site = build(project)
    with serving_with_headers(site) as url:
        yield site, url


def test_the_translated_page_reads_back(translated: tuple[Path, str]) -> None:
    site, _ = translated
    spanish = (site / "es" / "privacy-notice" / "index.html").read_text("utf-8")
    english = (site / "privacy-notice" / "index.html").read_text("utf-8")
    assert '<html lang="es"' in spanish and '<html lang="en"' in english
    assert "Saltar a contenido" in spanish  # the theme's own words, in Spanish
    assert text_of(spanish, "#no-sale") == \
        "Example Widgets no vende su información personal a nadie."
    assert anchors(spanish) == anchors(english) == ["section-1", "no-sale", "section-2", "gpc"]
    for html, here in ((spanish, "es/privacy-notice/"), (english, "privacy-notice/")):
        assert hreflangs(html, here) == [("en", f"{SITE}privacy-notice/"),
                                         ("es", f"{SITE}es/privacy-notice/"),
                                         ("x-default", f"{SITE}privacy-notice/")]
    assert link_to(spanish, "English") == "../../privacy-notice/"
    assert link_to(english, "Español") == "../es/privacy-notice/"
    for here in ("privacy-notice/1.0.0/", "es/privacy-notice/1.0.0/"):
        assert hreflangs((site / here / "index.html").read_text("utf-8"), here) == [
            ("en", f"{SITE}privacy-notice/1.0.0/"), ("es", f"{SITE}es/privacy-notice/1.0.0/"),
            ("x-default", f"{SITE}privacy-notice/1.0.0/")]
    history = (site / "privacy-notice" / "history" / "index.html").read_text("utf-8")
    assert link_to(history, "Español") == "../../es/privacy-notice/1.0.0/"
    disclosure = json.loads((site / "disclosures" / "privacy-notice.json").read_text("utf-8"))
    assert "translations" not in json.dumps(disclosure) and disclosure["language"] == "en"
    entry = json.loads((site / "disclosures" / "index.json").read_text("utf-8"))
    [translation] = entry["policies"][0]["versions"][0]["translations"]
    assert translation == {"language": "es", "url": f"{SITE}es/privacy-notice/1.0.0/",
                           "sha256": hashlib.sha256(SPANISH.read_bytes()).hexdigest()}
    sitemap = (site / "es" / "privacy-notice" / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{SITE}es/privacy-notice/</loc>" in sitemap


def test_the_disclosure_is_the_same_with_or_without_translations(tmp_path: Path) -> None:
    with_translation = build(new_site(tmp_path / "with"))
    project = new_site(tmp_path / "without", released=False)
    (project / "policy" / SPANISH.name).unlink()
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    without = build(project)
    for path in ("disclosures/privacy-notice.json", "disclosures/privacy-notice/1.0.0.json"):
        assert (with_translation / path).read_bytes() == (without / path).read_bytes()
    assert not (without / "es").exists()


def test_the_default_site_claims_no_translation(built_site: Path) -> None:
    assert not list(built_site.glob("*/do-not-sell/index.html"))
    assert "translations" not in (built_site / "disclosures" / "index.json").read_text("utf-8")
    assert "hreflang" not in (built_site / "do-not-sell" / "index.html").read_text("utf-8")


PAGES = ["es/privacy-notice/", "es/privacy-notice/1.0.0/", "privacy-notice/",
         "privacy-notice/history/"]


@pytest.mark.parametrize("path", PAGES)
def test_translated_pages_are_clean_and_accessible_in_chromium(
    translated: tuple[Path, str], browser: Any, path: str,
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _, url = translated
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("response", lambda response: problems.append(f"{response.status}: {response.url}")
            if response.status >= 400 else None)
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert problems == []
    axe = Axe()
    axe.run(page)
    every = page.evaluate("axe.getRules().map(rule => rule.ruleId)")
    violations = axe.run(page, options={"rules": {rule: {"enabled": True} for rule in every}})
    assert [(v["id"], [node["target"] for node in v["nodes"]])
            for v in violations.response["violations"]] == []
    if path == "es/privacy-notice/":
        screenshot(page, "translation-es.png")
        page.get_by_role("link", name="English").click()
        page.wait_for_url(url + "privacy-notice/")
        assert page.evaluate("document.documentElement.lang") == "en"
    context.close()


def test_translated_pages_are_valid_html(translated: tuple[Path, str]) -> None:
    site, _ = translated
    pages = [str(site / path / "index.html") for path in PAGES]
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", *pages],
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr


def test_the_preview_shows_a_broken_translation_at_its_own_address(tmp_path: Path) -> None:
    from policygen.plan.site import plan_site, with_preview_problems
    from policygen.source.project import Project
    from policygen.source.project_files import read_project

    project = new_site(tmp_path / "site")
    edit(project / "policy" / SPANISH.name, "id: gpc", "id: gpc-signal")
    review, outputs = plan_site(read_project(Project.at(project)), SITE,
                                dt.date(2026, 11, 25), preview=True)
    shown = {output.path: str(output.content)
             for output in with_preview_problems(outputs, review.problems)}
    assert "translation-statement-id" in shown["es/privacy-notice.md"]
    assert "policy-problems--error" in shown["es/privacy-notice.md"]
    assert "translation-statement-id" not in shown["privacy-notice.md"]


def test_a_released_translation_edited_with_its_checksum_is_still_caught(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = released_site(tmp_path)
    releases = project / "policy" / "releases"
    kept = releases / "privacy-notice" / "1.0.0.es.yaml"
    edit(kept, "a nadie.", "a casi nadie.")
    code, problems = check(project, capsys)
    assert code == 1
    assert [(p["file"], p["rule"]) for p in problems if p["severity"] == "error"] == [
        ("policy/releases/privacy-notice/1.0.0.es.yaml", "release-changed")]
    # Whoever also rewrites SHA256SUMS is caught by what the released file says of itself.
    edit(kept, "translates: \"1.0.0\"", "translates: \"1.0.1\"")
    sums = releases / "SHA256SUMS"
    digest = hashlib.sha256(kept.read_bytes()).hexdigest()
    lines = [f"{digest}  privacy-notice/1.0.0.es.yaml" if line.endswith("1.0.0.es.yaml")
             else line for line in sums.read_text("utf-8").splitlines()]
    sums.write_text("\n".join(lines) + "\n", "utf-8")
    code, problems = check(project, capsys)
    assert code == 1
    assert ("policy/releases/privacy-notice/1.0.0.es.yaml", "release-mismatch") in [
        (p["file"], p["rule"]) for p in problems]
