"""Turning problems into text for people, annotations for GitHub, or JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict

from policygen.model.problems import Problem

_LINE_BREAKS = str.maketrans({
    character: repr(character)[1:-1]
    for character in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
})


def one_line(text: str) -> str:
    """``text`` with every character that could end a line escaped: one problem, one line."""
    return text.translate(_LINE_BREAKS)


def location(problem: Problem) -> str:
    if problem.line <= 0:
        return problem.file
    return f"{problem.file}:{problem.line}:{problem.column}"


def as_text(problems: Iterable[Problem]) -> str:
    """``file:line:col: severity: message [rule]``, with the hint indented below."""
    lines = []
    for problem in problems:
        lines.append(
            f"{one_line(location(problem))}: {problem.severity}: {one_line(problem.message)}"
            f" [{problem.rule}]"
        )
        if problem.hint:
            lines.append(f"    hint: {one_line(problem.hint)}")
    return "\n".join(lines)


NOT_RELEASED = "not-released"


def summary(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    errors = sum(problem.is_error for problem in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def only_unreleased(problems: Iterable[Problem]) -> bool:
    """Whether the one thing between these sources and a strict build is a release."""
    problems = list(problems)
    return bool(problems) and all(problem.rule == NOT_RELEASED for problem in problems)


def verdict(problems: Iterable[Problem]) -> str:
    """The outcome in words, the same for ``check`` and the build: the counts, and what to do
    when all that is left is to release."""
    problems = list(problems)
    if only_unreleased(problems):
        count = len(problems)
        return (f"ready to release ({count} new version{'s' * (count != 1)} not released yet): "
                "run 'policygen release' and commit policy/releases/; a strict build "
                "publishes released versions only")
    return summary(problems)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    lines = []
    for problem in problems:
        properties = [f"file={_escape_property(problem.file)}"]
        if problem.line > 0:
            properties += [f"line={problem.line}", f"col={problem.column}"]
        properties.append(f"title={_escape_property(problem.rule)}")
        message = problem.message + (f"\n{problem.hint}" if problem.hint else "")
        lines.append(f"::{problem.severity} {','.join(properties)}::{_escape_data(message)}")
    return "\n".join(lines)


def as_json(problems: Iterable[Problem]) -> str:
    return json.dumps([asdict(problem) for problem in problems], ensure_ascii=False, indent=2)
