"""What browsers and compliance tools fetch: schemas, linked data, GPC, headers, and verify."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, build, copy_project, schema_properties
from policygen.doors.cli import main
from policygen.source.html_reader import read_page
from pyld import jsonld

SITE_URL = "https://policies.qualsights.com/"
DPV = "https://w3id.org/dpv#"




@pytest.mark.parametrize("path", ["schema/disclosure/v1.json", "schema/catalog/v1.json",
                                  "schema/translation/v1.json"])
def test_published_schemas_document_every_field(built_site: Path, path: str) -> None:
    schema = json.loads((built_site / path).read_text("utf-8"))
    fields = list(schema_properties(schema))
    assert len(fields) >= 10
    assert [where for where, field in fields if not field.get("description")] == []
    assert [where for where, field in fields
            if not field.get("examples") and "$ref" not in field] == []


def test_an_independent_validator_accepts_every_published_json(built_site: Path) -> None:
    disclosures = sorted(str(p) for p in (built_site / "disclosures").rglob("*.json")
                         if p.name != "index.json")
    assert len(disclosures) == 2
    for schema, instances in (
        ("schema/disclosure/v1.json", disclosures),
        ("schema/catalog/v1.json", [str(built_site / "disclosures" / "index.json")]),
    ):
        result = subprocess.run(
            [str(Path(sys.executable).with_name("check-jsonschema")),
             "--schemafile", str(built_site / schema), *instances],
            capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "ok -- validation done" in result.stdout


def test_the_disclosure_expands_to_dpv_terms_with_the_context_from_the_site(
    built_site: Path,
) -> None:
    def load_from_site(url: str, options: object = None) -> dict[str, Any]:
        assert url.startswith(SITE_URL), f"the context must come from the site, not {url}"
        document = json.loads((built_site / url.removeprefix(SITE_URL)).read_text("utf-8"))
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": document}

    disclosure = json.loads((built_site / "disclosures" / "do-not-sell.json").read_text("utf-8"))
    assert disclosure["@context"] == SITE_URL + "schema/disclosure/v1.context.jsonld"
    (expanded,) = jsonld.expand(disclosure, {"documentLoader": load_from_site})
    assert expanded["@id"] == SITE_URL + "disclosures/do-not-sell/1.0.0.json"
    claims = expanded[SITE_URL + "schema/disclosure/v1.context.jsonld#claims"]
    types = {claim["@index"]: claim.get("@type", []) for claim in claims}
    assert types["sells_personal_data"] == [DPV + "SellDataToThirdParties"]
    assert types["controls_direct_engagement_personal_data"] == [DPV + "DataController"]
    assert types["direct_engagement_legal_basis"] == [DPV + "Consent"]
    assert types["consent_withdrawable_at_any_time"] == [DPV + "WithdrawConsent"]
    no_sale = next(c for c in claims if c["@index"] == "sells_personal_data")
    statement = no_sale[SITE_URL + "schema/disclosure/v1.context.jsonld#statement"][0]
    assert statement["@id"] == SITE_URL + "do-not-sell/1.0.0/#no-sale"


def test_the_default_site_publishes_no_gpc_resource(built_site: Path) -> None:
    assert not (built_site / ".well-known").exists()


def test_a_policy_with_a_gpc_stance_publishes_the_gpc_resource(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", (FIXTURES / "policies" / "gpc-notice.yaml",))
    assert main(["release", "-f", str(project / "mkdocs.yml"), "gpc-notice"]) == 0
    site = build(project)
    resource = site / ".well-known" / "gpc.json"
    assert json.loads(resource.read_text("utf-8")) == {"gpc": True, "lastUpdate": "2026-10-01"}
    assert resource.stat().st_size < 1024
    assert "/.well-known/gpc.json\n  Content-Type: application/json; charset=utf-8\n" in \
        (site / "_headers").read_text("utf-8")
    page = read_page((site / "gpc-notice" / "index.html").read_text("utf-8"))
    assert page.by_id("gpc") is not None


def test_the_serving_profile_covers_every_json_file(built_site: Path) -> None:
    headers = (built_site / "_headers").read_text("utf-8")
    rules = {block.split("\n")[0]: block for block in headers.split("\n/")}
    published = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*")
                       if p.suffix in (".json", ".jsonld") and p.parent.name != "search")
    assert len(published) == 10
    for path in published:
        rule = rules.get(f"/{path}") or rules[path]
        media = "application/ld+json" if path.endswith(".jsonld") else "application/json"
        assert f"  Content-Type: {media}; charset=utf-8\n" in rule
        assert "  Access-Control-Allow-Origin: *\n" in rule
    assert (built_site / ".nojekyll").is_file()


def test_the_format_reference_page_lists_every_field_and_claim(built_site: Path) -> None:
    page = read_page((built_site / "schema" / "disclosure" / "index.html").read_text("utf-8"))
    cells = [e.text for e in page.elements if e.tag == "code"]
    for field in ("format_version", "claims.NAME.concept", "claims.NAME.statement.url",
                  "publisher.contact", "policies[].versions[].sha256"):
        assert field in cells, field
    vocabulary = json.loads((Path(__file__).parents[1] / "schema" / "claims.json").read_text())
    for name in vocabulary:
        if not name.startswith("$"):
            assert name in cells, name


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The default site, built for and served on a local address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    project = copy_project(tmp_path_factory.mktemp("served") / "project", releases=False)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(SITE_URL, url), "utf-8")
    assert main(["release", "-f", str(config)]) == 0
    site = build(project)
    server.RequestHandlerClass = functools.partial(  # type: ignore[assignment]
        http.server.SimpleHTTPRequestHandler, directory=str(site)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site, url
    finally:
        server.shutdown()
        server.server_close()


def verify(target: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["verify", target])
    return code, capsys.readouterr().out.splitlines()


def test_verify_a_published_disclosure_by_url(
    served_site: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    site, url = served_site
    digest = hashlib.sha256((site / "disclosures" / "do-not-sell.json").read_bytes()).hexdigest()
    for target in (url + "disclosures/do-not-sell.json", url + "disclosures/do-not-sell/1.0.0.json",
                   str(site / "disclosures" / "do-not-sell.json")):
        assert verify(target, capsys) == (0, [
            f"ok   valid against {url}schema/disclosure/v1.json",
            f"ok   SHA-256 {digest} matches the catalog for do-not-sell 1.0.0",
            f"ok   all 14 claims found on {url}do-not-sell/1.0.0/ with the statements they quote",
        ])


@pytest.fixture
def damaged(served_site: tuple[Path, str]) -> Iterator[tuple[Path, str]]:
    """The served site, restored after each test damages it."""
    site, url = served_site
    saved = {path: path.read_bytes() for path in (
        site / "disclosures" / "do-not-sell.json", site / "do-not-sell" / "1.0.0" / "index.html",
    )}
    try:
        yield site, url
    finally:
        for path, content in saved.items():
            path.write_bytes(content)


def test_verify_fails_on_a_tampered_disclosure(
    damaged: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    site, url = damaged
    current = site / "disclosures" / "do-not-sell.json"
    listed = hashlib.sha256(current.read_bytes()).hexdigest()
    current.write_bytes(current.read_bytes().replace(b'"value": false', b'"value": true', 1))
    tampered = hashlib.sha256(current.read_bytes()).hexdigest()
    code, lines = verify(url + "disclosures/do-not-sell.json", capsys)
    assert code == 1
    assert f"FAIL SHA-256 {tampered} is not the {listed} that the catalog lists for do-not-sell " \
           "1.0.0: this is not the published disclosure" in lines


def test_verify_fails_on_a_missing_anchor_and_a_changed_statement(
    damaged: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    site, url = damaged
    page = site / "do-not-sell" / "1.0.0" / "index.html"
    html = page.read_text("utf-8")
    html = html.replace('id="no-sale"', 'id="no-sale-moved"')
    html = html.replace("Participation in Direct Engagements is purely voluntary;",
                        "Participation in Direct Engagements is compulsory;")
    page.write_text(html, "utf-8")
    code, lines = verify(url + "disclosures/do-not-sell.json", capsys)
    assert code == 1
    assert lines[2:] == [
        f"FAIL claim 'sells_personal_data': {url}do-not-sell/1.0.0/ has no anchor #no-sale",
        f"FAIL claim 'sale_exceptions': {url}do-not-sell/1.0.0/ has no anchor #no-sale",
        f"FAIL claim 'direct_engagement_participation_voluntary': the statement at "
        f"{url}do-not-sell/1.0.0/#voluntary-participation reads “Participation in Direct "
        "Engagements is compulsory;”, but the disclosure quotes “Participation in Direct "
        "Engagements is purely voluntary;”",
    ]


def test_verify_cannot_run_without_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "http://127.0.0.1:9/disclosures/x.json"]) == 2
    assert "cannot fetch http://127.0.0.1:9/disclosures/x.json" in capsys.readouterr().err
    lonely = tmp_path / "x.json"
    lonely.write_text("not json")
    assert main(["verify", str(lonely)]) == 1
    assert "is not JSON" in capsys.readouterr().out


def test_python_snippet_in_the_readme_works(served_site: tuple[Path, str]) -> None:
    _, url = served_site
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    snippet = snippet.replace("https://policies.qualsights.com/", url)
    result = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True,
                            check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "sells_personal_data: False" in result.stdout


def test_verify_trusts_the_site_it_fetched_from_not_the_one_the_disclosure_names(
    damaged: tuple[Path, str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    """A forged disclosure that names a schema and catalog of its own is not vouched for by
    them: the site it is fetched from (or the one named with --site) must vouch."""
    site, url = damaged
    forged = site / "disclosures" / "do-not-sell.json"
    elsewhere = "http://127.0.0.1:9/"
    forged.write_bytes(forged.read_bytes().replace(url.encode(), elsewhere.encode()))
    code, lines = verify(url + "disclosures/do-not-sell.json", capsys)
    assert (code, lines) == (1, [
        f"FAIL the disclosure names the schema {elsewhere}schema/disclosure/v1.json, but it is "
        f"verified as a disclosure of {url}, whose schema is {url}schema/disclosure/v1.json",
    ])
    copy = tmp_path / "copy.json"
    copy.write_bytes((site / "disclosures" / "do-not-sell" / "1.0.0.json").read_bytes())
    assert main(["verify", str(copy)]) == 2
    assert "pass --site URL" in capsys.readouterr().err
    assert main(["verify", str(copy), "--site", url]) == 0
