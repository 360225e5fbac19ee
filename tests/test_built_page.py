"""The built page, read back from its HTML: the verbatim legal text, anchors, links, alternate."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import REFERENCE, ROOT
from policygen.model.text import collapse_whitespace
from policygen.source.html_reader import BuiltPage, read_page

SITE_URL = "https://policies.qualsights.com/"


def reference_blocks() -> list[str]:
    """The published statement's title, headings, paragraphs and bullets, as a reader sees them."""
    text = REFERENCE.read_text(encoding="utf-8")
    blocks = [block for block in re.split(r"\n\s*\n|\n(?=\s*•)", text) if block.strip()]
    return [collapse_whitespace(block.replace("•", "")) for block in blocks]


def page_of(site: Path, path: str) -> BuiltPage:
    return read_page((site / path / "index.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def disclosure(built_site: Path) -> dict[str, object]:
    return json.loads((built_site / "disclosures" / "do-not-sell.json").read_text("utf-8"))


@pytest.mark.parametrize("path", ["do-not-sell", "do-not-sell/1.0.0"])
def test_page_shows_the_published_statement_word_for_word(built_site: Path, path: str) -> None:
    shown = [block.text for block in page_of(built_site, path).legal_blocks()]
    assert shown == reference_blocks()


def test_reference_blocks_cover_every_sentence() -> None:
    # The comparison above is only as good as this split: every character of the reference
    # (but the bullets and whitespace) is in exactly one block, in order.
    raw = REFERENCE.read_text(encoding="utf-8")
    assert "".join(reference_blocks()).replace(" ", "") == re.sub(r"[\s•]", "", raw)
    assert len(reference_blocks()) == 19  # title, 3 headings, 8 paragraphs, 7 bullets


def test_every_claim_points_at_its_statement_on_the_page(
    built_site: Path, disclosure: dict[str, object]
) -> None:
    claims = disclosure["claims"]
    assert isinstance(claims, dict) and len(claims) == 14
    for name, claim in claims.items():
        url = urlsplit(claim["statement"]["url"])
        assert url.path.startswith("/do-not-sell/1.0.0/"), name
        for path in ("do-not-sell", "do-not-sell/1.0.0"):
            element = page_of(built_site, path).by_id(url.fragment)
            assert element is not None, f"{name}: no #{url.fragment} on /{path}/"
            assert element.text == claim["statement"]["text"], name
            assert "policy-statement" in element.classes


def test_every_statement_with_claims_in_the_source_is_in_the_disclosure(
    disclosure: dict[str, object],
) -> None:
    source = yaml.safe_load((ROOT / "policy" / "do-not-sell.yaml").read_text("utf-8"))
    declared = {
        name: statement["id"]
        for section in source["sections"]
        for block in section["blocks"]
        for statement in block.get("bullets", [block])
        for name in statement.get("claims", {})
    }
    claims = disclosure["claims"]
    assert isinstance(claims, dict)
    assert {name: claim["statement"]["id"] for name, claim in claims.items()} == declared


def test_privacy_policy_links_use_the_declaration(built_site: Path) -> None:
    source = yaml.safe_load((ROOT / "policy" / "do-not-sell.yaml").read_text("utf-8"))
    declared = source["privacy_policy"]["url"]
    sections = {
        str(section["number"]): declared + (f"#{section['anchor']}" if "anchor" in section else "")
        for section in source["privacy_policy"]["sections"]
    }
    links = page_of(built_site, "do-not-sell").links()
    to_privacy_policy = [
        link for link in links if urlsplit(link.attributes["href"]).netloc == "www.qualsights.com"
    ]
    texts = [link.text for link in to_privacy_policy]
    assert texts == [declared, "Privacy Policy", "Privacy Policy", "Section 4"]
    for link in to_privacy_policy:
        expected = sections["4"] if link.text == "Section 4" else declared
        assert link.attributes["href"] == expected


def test_email_address_is_a_mailto_link_to_the_declared_contact(built_site: Path) -> None:
    source = yaml.safe_load((ROOT / "policy" / "do-not-sell.yaml").read_text("utf-8"))
    mailtos = [
        link for link in page_of(built_site, "do-not-sell").links()
        if link.attributes["href"].startswith("mailto:")
    ]
    assert [(link.attributes["href"], link.text) for link in mailtos] == [
        ("mailto:" + source["publisher"]["contact"], source["publisher"]["contact"])
    ]


def test_only_https_and_mailto_links_leave_the_site(built_site: Path) -> None:
    for link in page_of(built_site, "do-not-sell").links():
        href = link.attributes["href"]
        scheme = urlsplit(href).scheme
        assert scheme in ("", "https", "mailto"), href


@pytest.mark.parametrize(
    ("path", "json_path"),
    [("do-not-sell", "disclosures/do-not-sell.json"),
     ("do-not-sell/1.0.0", "disclosures/do-not-sell/1.0.0.json")],
)
def test_alternate_link_and_header_link_resolve_to_the_built_json(
    built_site: Path, path: str, json_path: str
) -> None:
    page = page_of(built_site, path)
    page_url = urljoin(SITE_URL, path + "/")
    (alternate,) = page.alternates("application/json")
    assert urljoin(page_url, alternate) == urljoin(SITE_URL, json_path)
    header_links = [link.attributes["href"] for link in page.links() if "JSON" in link.text]
    assert [urljoin(page_url, href) for href in header_links] == [urljoin(SITE_URL, json_path)]
    assert (built_site / json_path).is_file()


def test_header_shows_version_and_dates(built_site: Path) -> None:
    page = page_of(built_site, "do-not-sell")
    (header,) = [e for e in page.elements if "policy-meta" in e.classes]
    assert header.text.startswith(
        "Version 1.0.0 · Effective date 2026-11-24 · Last reviewed 2026-11-24"
    )


def test_pages_load_nothing_from_another_origin(built_site: Path) -> None:
    for html_file in built_site.rglob("*.html"):
        page = read_page(html_file.read_text("utf-8"))
        for element in page.elements:
            for attribute in ("src", "href"):
                value = element.attributes.get(attribute, "")
                if element.tag == "a" or not value:
                    continue
                origin = urlsplit(value).netloc
                assert origin in ("", urlsplit(SITE_URL).netloc), f"{html_file}: {value}"
        assert "fonts.googleapis" not in html_file.read_text("utf-8")


def test_the_csp_hashes_exactly_the_inline_scripts_a_browser_runs() -> None:
    import base64
    import hashlib

    from policygen.render.theme_fixes import inline_script_hashes

    def source(code: str) -> str:
        return f"'sha256-{base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()}'"

    html = ('<script>run()</script><script type="application/json">{"data": 1}</script>'
            '<script src="a.js"></script><script type="module">go()</script>'
            '<script type="text/javascript">\nas(1)\n</script><script>cut')
    assert inline_script_hashes(html) == {source("run()"), source("go()"), source("\nas(1)\n")}
    assert inline_script_hashes("no scripts") == set()
