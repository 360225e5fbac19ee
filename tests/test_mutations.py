"""Property: however the default policy is mangled, ``check`` answers with problems in the problem
format (or success), never an uncaught exception or stray output, and whatever is rendered (the
pages, and the preview's problem boxes) carries the mangled text as text, never as markup."""

from __future__ import annotations

import copy
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import yaml
from conftest import ROOT, TODAY, copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from policygen.model.report import as_text
from policygen.plan.site import plan_site, with_preview_problems
from policygen.source.html_reader import read_page
from policygen.source.project import Project
from policygen.source.project_files import read_project

DEFAULT_TEXT = (ROOT / "policy" / "do-not-sell.yaml").read_text("utf-8")
DEFAULT = yaml.safe_load(DEFAULT_TEXT)
EXAMPLES = 500 if os.environ.get("CI") else 100

_FOLDER = tempfile.TemporaryDirectory(prefix="policygen-mutations-")
"""One project for every example (hypothesis examples cannot take a pytest fixture per example);
removed when the test session ends."""
_PROJECT = copy_project(Path(_FOLDER.name) / "project")
_SOURCE = _PROJECT / "policy" / "do-not-sell.yaml"
_TAGS = {"h1", "h2", "p", "ul", "li", "a", "strong", "em", "code", "del", "ins", "div", "br", "span", "small",
         "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"id", "class", "href", "role", "title"}
_LINE = re.compile(
    r"^(policy/do-not-sell\.yaml(:\d+:\d+)?: (error|warning): [^\n]+ \[[a-z0-9-]+\]"
    r"|    hint: [^\n]+)$"
)

scalars = st.one_of(
    st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.sampled_from(["no", "yes", "on", "2026-11-24", "<script>x</script>", "javascript:x",
                     "http://x.example/", "[a][b]", "a@b.example", "1.0.0", "*", "&a"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3),
), max_leaves=6)


def paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*here, index))
    return found


def parent_of(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    document = copy.deepcopy(DEFAULT)
    for _ in range(draw(st.integers(1, 3))):
        targets = [path for path in paths(document) if path]
        if not targets:
            break
        path = draw(st.sampled_from(targets))
        parent, last = parent_of(document, path), path[-1]
        operation = draw(st.sampled_from(
            ["delete", "duplicate", "retype", "reorder", "truncate", "insert"]
        ))
        value = parent[last]
        if operation == "delete":
            del parent[last]
        elif operation == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(value))
        elif operation == "retype" or (operation == "duplicate" and isinstance(parent, dict)):
            parent[last] = draw(values)
        elif operation == "reorder" and isinstance(value, (list, dict)):
            items = list(value.items()) if isinstance(value, dict) else list(value)
            items = draw(st.permutations(items))
            parent[last] = dict(items) if isinstance(value, dict) else list(items)
        elif operation == "truncate" and isinstance(value, str):
            parent[last] = value[: draw(st.integers(0, len(value)))]
        elif operation == "insert" and isinstance(value, str):
            at = draw(st.integers(0, len(value)))
            parent[last] = value[:at] + draw(st.text(max_size=20)) + value[at:]
    return str(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


@st.composite
def mangled_texts(draw: st.DrawFn) -> str:
    text = DEFAULT_TEXT
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.text(max_size=40)) + text[at:]


def assert_answers_in_problem_format(content: str) -> None:
    _SOURCE.write_bytes(content.encode("utf-8", "surrogatepass"))
    files = read_project(Project.at(_PROJECT))
    review, outputs = plan_site(files, "https://policies.example/", TODAY)
    # The live preview also renders drafts (text sound, release state not): it must not crash.
    preview, shown = plan_site(files, "https://policies.example/", TODAY, preview=True)
    with_preview_problems(shown, preview.problems)
    assert preview.problems == review.problems
    # check finds the same problems without rendering the history pages.
    assert plan_site(files, "https://policies.example/", TODAY, history=False)[0] == review
    for problem in review.problems:
        assert problem.file == "policy/do-not-sell.yaml"
        assert problem.line >= 0 and problem.column >= 0
        assert problem.severity in ("error", "warning")
    for line in as_text(review.problems).splitlines():
        assert _LINE.match(line), line
    for output in [*outputs, *with_preview_problems(shown, preview.problems)]:
        if output.is_page:
            assert_nothing_injected(str(output.content))
    if not review.errors:
        assert any(output.path == "disclosures/do-not-sell.json" for output in outputs)


def assert_nothing_injected(page_markdown: str) -> None:
    """The page, as MkDocs' Markdown renders it, holds only elements and attributes that
    policygen writes, and links only to https:, mailto: or relative targets."""
    body = page_markdown.partition("\n---\n")[2]
    built = read_page(markdown.markdown(body, extensions=["attr_list", "tables", "toc"]))
    for element in built.elements:
        assert element.tag in _TAGS, element
        assert set(element.attributes) <= _ATTRIBUTES, element
        href = element.attributes.get("href")
        if href is not None:
            scheme = urlsplit(href).scheme
            assert scheme in ("https", "mailto") or (not scheme and not href.startswith("//")), href
            assert not any(character in href for character in "\"'<> "), href


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_mutated_policies_get_problems_or_success(content: str) -> None:
    assert_answers_in_problem_format(content)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_texts())
def test_mangled_files_get_problems_or_success(content: str) -> None:
    assert_answers_in_problem_format(content)
