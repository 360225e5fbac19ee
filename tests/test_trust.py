"""Trust: what an attacker or a careless editor tried on a clean clone, each now refused or
caught. Script through a link target or any other field; a released version rewritten with or
without its checksum; a cache fooled by a link; layout changes under a released version."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from conftest import ROOT, TODAY, copy_project
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from policygen.doors.cli import main
from policygen.model.text import collapse_whitespace, parse, visible_text
from policygen.plan.review import review, review_project
from policygen.render import page
from policygen.source.html_reader import BuiltPage, Element, read_page
from policygen.source.project import Project
from policygen.source.project_files import read_project

SOURCE = "policy/do-not-sell.yaml"
RELEASES = "policy/releases"
CI = bool(os.environ.get("CI"))


def edit(project: Path, *replacements: tuple[str, str]) -> None:
    source = project / SOURCE
    text = source.read_text("utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    source.write_text(text, "utf-8")


def found(project: Path, base: str | None = None) -> list[str]:
    problems = review_project(Project.at(project), TODAY, base).problems
    return [f"{p.file}:{p.line}:{p.column} {p.rule}" for p in problems]


def messages(project: Path, rule: str) -> list[str]:
    return [p.message for p in review_project(Project.at(project), TODAY).problems
            if p.rule == rule]


def git(folder: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), *arguments], check=True, capture_output=True, text=True,
        env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
             "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"},
    ).stdout


def committed(project: Path) -> Path:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the site as released")
    return project


def check(project: Path, *options: str) -> int:
    return main(["check", "--root", str(project), *options])


# --- 1. Script injection ----------------------------------------------------------------------

EVIL_TARGET = "https://x.example/>)<img src=x onerror=alert(1)>"


def test_the_reported_link_injection_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    edit(project, ("\nsections:\n", f"\nlinks:\n  evil: '{EVIL_TARGET}'\nsections:\n"),
         ("Here is the most important thing", "[Here][evil] is the most important thing"))
    assert found(project) == ["policy/do-not-sell.yaml:24:9 url"]
    assert check(project, "--strict") == 1
    config = project / "mkdocs.yml"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-f", str(config)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert not (project / "site").exists()


def test_a_privacy_policy_url_with_a_quote_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    edit(project, ("  url: https://www.qualsights.com/privacy-policy/",
                   "  url: 'https://www.qualsights.com/privacy-policy/\">'"))
    assert found(project) == ["policy/do-not-sell.yaml:19:8 url"]


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("  url: https://www.qualsights.com/\n", "  url: https://www.qualsights.com/ x\n", "16:8 url"),
    ("  url: https://www.qualsights.com/\n", "  url: https://user:pw@qualsights.com/\n",
     "16:8 url"),
    ("  url: https://www.qualsights.com/\n", "  url: https://localhost/\n", "16:8 url"),
    ("  url: https://www.qualsights.com/privacy-policy/\n",
     "  url: https://www.qualsights.com/privacy-policy/#top\n", "19:8 url"),
    ("  contact: privacy@qualsights.com\n", "  contact: 'a\"b@qualsights.com'\n", "17:12 email"),
    ("  contact: privacy@qualsights.com\n", "  contact: privacy@qualsights\n", "17:12 email"),
])
def test_every_address_is_validated_as_what_it_is(
    tmp_path: Path, field: str, value: str, expected: str,
) -> None:
    project = copy_project(tmp_path / "project", releases=False)
    edit(project, (field, value))
    problems = [problem for problem in found(project) if not problem.endswith("not-released")]
    assert problems[0] == f"{SOURCE}:{expected}", problems


def test_the_renderer_never_writes_an_unsafe_link_even_if_asked(tmp_path: Path) -> None:
    """Defence in depth: a policy that somehow skipped the rules still cannot inject."""
    project = copy_project(tmp_path / "project")
    current = review_project(Project.at(project), TODAY).policies[0]
    hostile = type(current)(**{**vars(current), "links": {
        "evil": EVIL_TARGET, "js": "javascript:alert(1)", "quote": 'https://x.example/"onclick="x',
    }})
    section = current.sections[0]
    statement = section.blocks[1]
    forged = type(statement)(statement.id, "[a][evil] [b][js] [c][quote] javascript:alert(2)",
                             (), statement.path)
    hostile = type(current)(**{**vars(hostile), "sections": (
        type(section)(section.number, section.heading, (forged,)),
    )})
    built = read_page(markdown.markdown(page.body(hostile), extensions=["attr_list", "toc"]))
    assert [element.tag for element in built.elements] == ["h2", "p"]
    assert built.elements[1].text == "a b c javascript:alert(2)"


ALLOWED_IN_BODY = {"h2", "p", "ul", "li", "a"}
payloads = st.sampled_from([
    '"><svg onload=alert(1)>', "<script>alert(1)</script>", "javascript:alert(1)",
    "[x](javascript:alert(1))", "![x](x)", "{: onclick=\"alert(1)\" }", "<https://x.example>",
    "&#x3C;script&#x3E;", "&#60img src=x onerror=alert(1)&#62", "&amp", "*em* __strong__ `code`",
    "<!-- c -->", "]]>", "\\", "|a|b|", "# heading", "- item", "1. item", "> quote", "---",
    "{ #id .class }", "https://www.qualsights.com/privacy-policy/", "privacy@qualsights.com",
    "[words][privacy-policy]", "[words][nope]", "\u2028", "%3Cscript%3E",
])
# Any text a YAML source can hold (the loader refuses control characters before anything else).
words = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
hostile_text = st.lists(st.one_of(payloads, words), min_size=1, max_size=5).map(
    " ".join
).filter(lambda text: bool(text.strip()))


@settings(max_examples=500 if CI else 150, deadline=None)
@given(heading=hostile_text, text=hostile_text)
def test_hostile_text_renders_as_text(heading: str, text: str) -> None:
    """Whatever the text of a heading or statement, the rendered body holds only the elements
    policygen writes, no attribute but its own, and links only to declared targets."""
    current = _default_policy()
    section = current.sections[0]
    statement = type(section.blocks[0])("claimed", text, (), ("sections", 0, "blocks", 0))
    policy = type(current)(**{**vars(current), "sections": (
        type(section)("1", heading, (statement,)),
    )})
    built = read_page(markdown.markdown(page.body(policy), extensions=["attr_list", "toc"]))
    assert {element.tag for element in built.elements} <= ALLOWED_IN_BODY
    for element in built.elements:
        allowed = {"a": {"href", "class"}, "h2": {"id"}, "p": {"id", "class"}}.get(element.tag, set())
        assert set(element.attributes) <= allowed, element
        if element.tag == "a" and "class" in element.attributes:
            assert element.attributes["class"] == "policy-address"
        if element.tag == "a":
            assert element.attributes["href"] in policy.declared_addresses()
    paragraph = next(element for element in built.elements if element.tag == "p")
    assert paragraph.text == statement.visible_text


@functools.cache
def _default_policy() -> object:
    files = read_project(Project.at(ROOT))
    return review(files, TODAY).policies[0]


FIELDS = {
    "title": ("title: QualSights “Do Not Sell” Policy Statement", "title: {}"),
    "summary": ("summary: First published version.", "summary: {}"),
    "heading": ("heading: In General", "heading: {}"),
    "statement": ('- text: "Here is the most important thing for you to understand:"',
                  "- text: {}"),
    "publisher": ("  name: QualSights", "  name: {}"),
    "retirement note": ("\nsections:\n",
                        "\nretired: {{date: \"2027-06-30\", note: {}}}\nsections:\n"),
}
BENIGN = "Plain words"


def _build_with(tmp_path: Path, values: dict[str, str]) -> tuple[int, Path]:
    project = copy_project(tmp_path, releases=False)
    edit(project, *((old, new.format(json.dumps(values[name], ensure_ascii=False)))
                    for name, (old, new) in FIELDS.items()))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("strict: true", "strict: false"), "utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f", str(config)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return result.returncode, project / "site"


PAGES = ("index.html", "do-not-sell/index.html", "do-not-sell/1.0.0/index.html",
         "do-not-sell/history/index.html")


DECLARED = {"https://www.qualsights.com/", "https://www.qualsights.com/privacy-policy/",
            "mailto:privacy@qualsights.com"}


Shape = Counter[tuple[str, tuple[str, ...]]]


def _shape(built: BuiltPage) -> Shape:
    """Every element of a page by its tag and the names of its attributes, but plain links
    (text may legitimately link a declared address), whose targets are checked instead."""
    def plain_link(element: Element) -> bool:
        return element.tag == "a" and (list(element.attributes) == ["href"] or (
            sorted(element.attributes) == ["class", "href"]
            and element.attributes["class"] == "policy-address"))

    for element in built.elements:
        if plain_link(element):
            href = element.attributes["href"]
            relative = not urlsplit(href).scheme and not href.startswith("//")
            assert href in DECLARED or relative, href
    return Counter((element.tag, tuple(sorted(element.attributes))) for element in built.elements
                   if not plain_link(element))


@pytest.fixture(scope="module")
def benign_shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Shape]:
    code, site = _build_with(tmp_path_factory.mktemp("benign") / "project",
                             dict.fromkeys(FIELDS, BENIGN))
    assert code == 0
    return {name: _shape(read_page((site / name).read_text("utf-8"))) for name in PAGES}


@settings(max_examples=60 if CI else 12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(FIELDS)), value=hostile_text)
@example(field="title", value="MD &amp Notice")
@example(field="statement", value="&#60img src=x onerror=alert(1)&#62 ![x](y) [x](z)")
@example(field="statement", value="[x](javascript:alert(1))")  # refused: not a link scheme
@example(field="heading", value="{: onclick=\"alert(1)\" } *x* `y` ## z")
@example(field="summary", value="&#x3Cscript&#x3Ealert(1)&#x3C/script&#x3E | # - >")
@example(field="retirement note", value="]]> <!-- --> &amp")
@example(field="publisher", value="Evil\" onmouseover=\"alert(1)")
def test_hostile_values_never_inject_into_the_built_site(
    tmp_path_factory: pytest.TempPathFactory,
    benign_shapes: dict[str, Shape], field: str, value: str,
) -> None:
    """A real build with a hostile value in one field that reaches HTML: either the sources
    are refused (and nothing is built), or every built page has exactly the elements and
    attributes of the same site built with plain words, and the value reads as written."""
    values = {**dict.fromkeys(FIELDS, BENIGN), field: value}
    code, site = _build_with(tmp_path_factory.mktemp("hostile") / "project", values)
    event("refused by check" if code else "built")
    if code != 0:
        assert not site.exists()
        return
    for name in PAGES:
        built = read_page((site / name).read_text("utf-8"))
        assert _shape(built) == benign_shapes[name], (name, field, value)
    if field in ("title", "heading", "statement"):
        shown = visible_text(parse(value)) if field == "statement" else collapse_whitespace(value)
        current = read_page((site / "do-not-sell/index.html").read_text("utf-8"))
        texts = [element.text for element in current.legal_blocks()]
        assert shown in texts or f"1. {shown}" in texts, (shown, texts)
        if field == "title":
            title = next(element for element in current.elements if element.tag == "title")
            assert title.text == f"{shown} - QualSights policies"
            navigation = [element.text for element in current.elements
                          if "md-nav__link" in element.classes]
            assert shown in navigation, navigation


# --- 2. A released version cannot be rewritten ------------------------------------------------

def test_a_deleted_archive_released_again_is_caught_by_version_control(tmp_path: Path) -> None:
    """(a) rm -r policy/releases, flip a claim, keep 1.0.0, release: HEAD remembers."""
    project = committed(copy_project(tmp_path / "project"))
    subprocess.run(["rm", "-r", str(project / RELEASES)], check=True)
    edit(project, ("sells_personal_data: false", "sells_personal_data: true"))
    assert found(project) == [
        f"{SOURCE}:9:10 not-released",
        *[f"{RELEASES}/SHA256SUMS:0:0 release-changed"] * 3,
        f"{RELEASES}/do-not-sell/1.0.0.json:0:0 release-missing",
        f"{RELEASES}/do-not-sell/1.0.0.released:0:0 release-missing",
        f"{RELEASES}/do-not-sell/1.0.0.yaml:0:0 release-missing",
    ]
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 1  # nothing is released
    assert not (project / RELEASES).exists()
    commit = git(project, "rev-parse", "HEAD").strip()
    assert messages(project, "release-missing")[0] == (
        f"this file was released in HEAD ({commit[:12]}) but is missing"
    )
    assert check(project, "--strict") == 1


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The default site as deployed: its catalog served on a local address."""
    from conftest import build

    site = build(copy_project(tmp_path_factory.mktemp("live") / "project"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_live_catalog_witnesses_every_published_version(
    tmp_path: Path, live_site: str, capsys: pytest.CaptureFixture[str],
) -> None:
    """(a) again, without version control: the live site remembers."""
    catalog = live_site + "disclosures/index.json"
    project = copy_project(tmp_path / "project")
    assert check(project, "--published", catalog) == 0
    subprocess.run(["rm", "-r", str(project / RELEASES)], check=True)
    edit(project, ("sells_personal_data: false", "sells_personal_data: true"))
    assert main(["release", "-f", str(project / "mkdocs.yml")]) == 0
    capsys.readouterr()
    assert check(project, "--strict") == 0  # the archive agrees with itself ...
    assert check(project, "--strict", "--published", catalog) == 1  # ... not with the live site
    out = capsys.readouterr().out
    assert f"{RELEASES}/do-not-sell/1.0.0.json: error: the archived disclosure of do-not-sell " \
           "1.0.0 has SHA-256" in out
    assert "[published-differs]" in out
    subprocess.run(["rm", "-r", str(project / RELEASES)], check=True)
    assert check(project, "--published", catalog) == 1
    assert "[published-missing]" in capsys.readouterr().out
    assert check(project, "--published", live_site + "nothing/index.json") == 0
    assert "[published-nothing]" in capsys.readouterr().out
    assert check(project, "--published", "http://127.0.0.1:9/disclosures/index.json") == 2


def test_a_disclosure_edited_with_its_checksum_is_caught(tmp_path: Path) -> None:
    """(b) the disclosure no longer says what its archived source says."""
    project = copy_project(tmp_path / "project")
    archived = project / RELEASES / "do-not-sell" / "1.0.0.json"
    before = hashlib.sha256(archived.read_bytes()).hexdigest()
    archived.write_bytes(archived.read_bytes().replace(b'"value": false', b'"value": true', 1))
    sums = project / RELEASES / "SHA256SUMS"
    after = hashlib.sha256(archived.read_bytes()).hexdigest()
    sums.write_text(sums.read_text().replace(before, after))
    derived = [
        f"{SOURCE}:9:10 version-released",
        f"{RELEASES}/do-not-sell/1.0.0.json:31:16 release-not-derived",
    ]
    assert found(project) == derived
    committed(project)
    assert "release-changed" not in " ".join(found(project))  # HEAD is the tampered commit ...
    assert found(project, base="HEAD") == found(project)
    git(project, "commit", "-q", "--allow-empty", "-m", "later")
    assert check(project, "--base", "HEAD~1") == 1  # ... a named base cannot be rewritten


def test_a_released_source_that_cannot_be_read_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """A released source rewritten (with its checksum) into something that is not YAML: one
    problem, at its line, however many pages it would have published."""
    project = copy_project(tmp_path / "project")
    archived = project / RELEASES / "do-not-sell" / "1.0.0.yaml"
    before = hashlib.sha256(archived.read_bytes()).hexdigest()
    archived.write_text("id: [unclosed\n", "utf-8")
    sums = project / RELEASES / "SHA256SUMS"
    sums.write_text(sums.read_text().replace(
        before, hashlib.sha256(archived.read_bytes()).hexdigest()))
    assert check(project) == 1
    shown = capsys.readouterr().out
    assert shown.count("[yaml-syntax]") == 1
    assert f"{RELEASES}/do-not-sell/1.0.0.yaml:2:1: error: not valid YAML" in shown


def test_a_source_deleted_with_its_checksum_is_caught(tmp_path: Path) -> None:
    """(c) a release is its disclosure and its source, together."""
    project = copy_project(tmp_path / "project")
    (project / RELEASES / "do-not-sell" / "1.0.0.yaml").unlink()
    sums = project / RELEASES / "SHA256SUMS"
    sums.write_text("".join(line for line in sums.read_text().splitlines(keepends=True)
                            if "1.0.0.yaml" not in line))
    assert found(project) == [
        f"{SOURCE}:9:10 not-released",
        f"{RELEASES}/do-not-sell/1.0.0.json:0:0 release-incomplete",
    ]


def test_a_base_that_had_the_release_catches_a_rewritten_history(tmp_path: Path) -> None:
    project = committed(copy_project(tmp_path / "project"))
    base = git(project, "rev-parse", "HEAD").strip()
    (project / RELEASES / "do-not-sell" / "1.0.0.yaml").unlink()
    (project / RELEASES / "do-not-sell" / "1.0.0.json").unlink()
    (project / RELEASES / "do-not-sell" / "1.0.0.released").unlink()
    (project / RELEASES / "SHA256SUMS").write_text("")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the archive, gone")
    assert check(project, "--base", base) == 1
    assert found(project, base=base)[:5] == [
        f"{SOURCE}:9:10 not-released",
        *[f"{RELEASES}/SHA256SUMS:0:0 release-changed"] * 3,
        f"{RELEASES}/do-not-sell/1.0.0.json:0:0 release-missing",
    ]
    assert main(["check", "--root", str(project), "--base", "no-such-revision"]) == 2


def test_a_linked_archive_is_refused_and_cannot_hide_a_change(tmp_path: Path) -> None:
    """3. The cache key is what is read: a linked archive is not read at all, but refused."""
    project = copy_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    (project / RELEASES).rename(elsewhere)
    (project / RELEASES).symlink_to(elsewhere, target_is_directory=True)
    assert found(project) == [f"{SOURCE}:9:10 not-released", f"{RELEASES}:0:0 release-symlink"]
    inside = copy_project(tmp_path / "inside")
    (inside / RELEASES / "do-not-sell" / "1.0.0.yaml").unlink()
    (inside / RELEASES / "do-not-sell" / "1.0.0.yaml").symlink_to(
        project / "policy" / "do-not-sell.yaml")
    assert f"{RELEASES}/do-not-sell/1.0.0.yaml:0:0 release-symlink" in found(inside)


def test_a_cached_clean_check_never_hides_a_later_change(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert check(project) == 0
    archived = project / RELEASES / "do-not-sell" / "1.0.0.json"
    archived.write_bytes(archived.read_bytes() + b" ")
    assert check(project) == 1


# --- 5. Layout changes need a bump and show -----------------------------------------------------

def test_renumbering_a_section_needs_a_bump(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    edit(project, ("  - number: 3\n", "  - number: 7\n"))
    assert messages(project, "version-released") == [
        "version 1.0.0 is already released: bump it (at least patch: section 3 is now "
        "numbered 7)",
    ]


def test_a_bullet_moved_to_paragraph_level_needs_a_bump_and_shows_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(tmp_path / "project")
    source = project / SOURCE
    data = yaml.safe_load(source.read_text("utf-8"))
    blocks = data["sections"][1]["blocks"]
    bullets = next(block for block in blocks if "bullets" in block)
    blocks.insert(blocks.index(bullets), bullets["bullets"].pop(0))
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    layout = ("the layout of section 2 changed: paragraph, paragraph, list of 3 bullets, "
              "paragraph → paragraph, paragraph, paragraph, list of 2 bullets, paragraph")
    assert messages(project, "version-released") == [
        f"version 1.0.0 is already released: bump it (at least patch: {layout})",
    ]
    assert main(["diff", "1.0.0", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "No changes" not in out and layout in out
    from policygen.render.page import changes_html
    from policygen.rules.changes import compare

    files = read_project(Project.at(project))
    current = review(files, TODAY).drafts[0]
    released = review(read_project(Project.at(ROOT)), TODAY).policies[0]
    assert "section 2 changed" in changes_html(compare(released, current), {})


def test_any_change_the_reader_would_see_needs_a_bump(tmp_path: Path) -> None:
    """The last guard: the working copy of a released version must render that release."""
    project = copy_project(tmp_path / "project")
    edit(project, ("summary: First published version.", "summary: Another summary."))
    assert found(project) == []  # the summary is not on the version's page nor in its JSON
    edit(project, ("language: en", "language: en-US"))
    assert messages(project, "version-released") == [
        "version 1.0.0 is already released: bump it (at least patch: language: en → en-US)",
    ]


# --- 6. check finds what the build would --------------------------------------------------------

def test_check_validates_the_catalog_as_the_build_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A catalog that breaks its schema is found by check, not first by the build."""
    from policygen.source import cache, schemas

    original = schemas.shipped_schema
    monkeypatch.setattr(cache, "_folder", lambda: None)
    project = copy_project(tmp_path / "project")
    from policygen.source import schemas

    catalog = {**schemas.shipped_schema("catalog.schema.json")}
    catalog["properties"] = {**catalog["properties"], "format_version": {"const": "9.9"}}
    monkeypatch.setattr(schemas, "shipped_schema", lambda name: catalog if name.startswith(
        "catalog") else original(name))
    assert check(project) == 1
    assert "disclosures/index.json: error: the generated file breaks its schema at " \
           "format_version" in capsys.readouterr().out


# --- 7. What a failed build leaves ----------------------------------------------------------------

def test_the_workflow_publishes_with_the_build_that_keeps_the_old_site() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "policy.yml").read_text("utf-8"))
    commands = [step.get("run", "") for step in workflow["jobs"]["check-and-build"]["steps"]]
    assert "policygen build" in commands
    assert not any(command.startswith("mkdocs build") for command in commands)
