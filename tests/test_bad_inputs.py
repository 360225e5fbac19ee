"""Bad and hostile inputs: each gets exactly the problems it must, at the right place, and none
crashes the checker, executes anything, or takes long."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, TODAY, copy_project
from policygen.model.problems import Problem
from policygen.plan.review import review_project
from policygen.source.project import Project

CASES_DIR = ROOT / "tests" / "bad_inputs"
CASES: list[dict[str, Any]] = yaml.safe_load((CASES_DIR / "cases.yaml").read_text("utf-8"))
DEFAULT = (ROOT / "policy" / "do-not-sell.yaml").read_bytes()


def source_of(case: dict[str, Any]) -> bytes:
    if "file" in case:
        return (CASES_DIR / case["file"]).read_bytes()
    text = DEFAULT.decode("utf-8")
    for old, new in case["replace"]:
        assert old in text, f"{case['name']}: {old!r} is not in the default policy"
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


@pytest.fixture(autouse=True)
def _in_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each case from inside a project folder of its own, where "pwned" would appear."""
    (tmp_path / "project").mkdir()
    monkeypatch.chdir(tmp_path / "project")


def problems_for(tmp_path: Path, content: bytes) -> list[Problem]:
    # Without the release archive: these cases are about the source alone.
    project = copy_project(tmp_path / "project", releases=False)
    (project / "policy" / "do-not-sell.yaml").write_bytes(content)
    problems = review_project(Project.at(project), TODAY).problems
    return [problem for problem in problems if problem.rule != "not-released"]


def short(problems: list[Problem]) -> list[str]:
    return [f"{problem.line}:{problem.column} {problem.rule}" for problem in problems]


def test_every_case_is_counted_and_named_once() -> None:
    """The README states how many bad inputs there are: the number is exact."""
    assert len(CASES) == 67
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"lists {len(CASES)} bad inputs" in readme
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_bad_input_gets_exactly_its_problems(tmp_path: Path, case: dict[str, Any]) -> None:
    problems = problems_for(tmp_path, source_of(case))
    assert short(problems) == case["expect"]
    assert all(problem.file == "policy/do-not-sell.yaml" for problem in problems)
    assert all(problem.message and problem.hint for problem in problems)
    # The python tag would run "touch pwned" in the working folder: it must never run.
    assert not (Path.cwd() / "pwned").exists()
    assert not (tmp_path / "project" / "pwned").exists()


def test_invalid_utf8_is_reported_at_its_line(tmp_path: Path) -> None:
    content = DEFAULT.replace(b"In General", b"In G\xe9n\xe9ral", 1)
    assert short(problems_for(tmp_path, content)) == ["25:18 not-utf8"]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert problems_for(tmp_path, b"\xef\xbb\xbf" + DEFAULT) == []


def test_dates_stay_text_even_unquoted(tmp_path: Path) -> None:
    content = DEFAULT.replace(b'effective_date: "2026-11-24"', b"effective_date: 2026-11-24")
    assert problems_for(tmp_path, content) == []


def test_a_20_mb_file_is_refused_at_once(tmp_path: Path) -> None:
    content = DEFAULT + b"#" * (20 * 1024 * 1024)
    start = time.perf_counter()
    assert short(problems_for(tmp_path, content)) == ["0:0 file-too-large"]
    assert time.perf_counter() - start < 5  # generous: a refusal, not a parse


def test_the_alias_bomb_fails_fast_and_small(tmp_path: Path) -> None:
    content = (CASES_DIR / "alias-bomb.yaml").read_bytes()
    tracemalloc.start()
    try:
        problems = problems_for(tmp_path, content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert short(problems) == ["2:4 yaml-alias"]
    assert peak < 50 * 1024 * 1024


SCALARS = """\
text: plain words
quoted: "2026-11-29"
day: 2026-11-29
integers: [0, 7, -3, +4, 0x1F, 0o17, 017, 1_000, "12"]
floats: [1.5, -0.25, 1e3, .inf, -.Inf, 6.8523015e+5]
truths: [true, false, yes, no, on, off, True, NO]
nothing: [~, null, ]
nested: {a: [1, {b: c}], "d": [[e, f], []], g: {}}
unicode: "Se\\u00f1or \\u2014 caf\\u00e9"
block: |
  two lines
  of text
folded: >
  one
  line
"""


def test_sources_read_as_pypyaml_reads_them() -> None:
    """The loader builds text, lists and mappings itself and leaves every other value to
    PyYAML: the data is exactly what PyYAML's safe constructor makes (dates aside, kept as text
    by both)."""
    from policygen.source import loader

    source, problems = loader.parse_source(SCALARS.encode(), "policy/x.yaml")
    assert source is not None and problems == []
    reference = loader._PolicyLoader(SCALARS)
    try:
        expected = reference.get_single_data()
    finally:
        reference.dispose()
    assert repr(source.data) == repr(expected)
    assert source.data["day"] == "2026-11-29" and source.data["truths"][4] is True


@pytest.mark.parametrize(("text", "message"), [
    ("? [a, b]\n: c\n", "while constructing a mapping: found unhashable key"),
    ("a: !!int abc\n", "'abc' is not a valid !!int"),
    ("a: !!bool maybe\n", "'maybe' is not a valid !!bool"),
    ("a: !!map [1]\n", "expected a mapping node, but found sequence"),
])
def test_what_pyyaml_cannot_build_is_refused_as_it_says(text: str, message: str) -> None:
    from policygen.source import loader

    source, problems = loader.parse_source(text.encode(), "policy/x.yaml")
    assert source is None
    assert [problem.rule for problem in problems] == ["yaml-syntax"]
    assert message in problems[0].message
