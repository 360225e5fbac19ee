"""The site planned once per set of inputs: ``check`` and the MkDocs plugin ask here first.

The plan (every problem, every published file) depends only on the bytes of the policy folder
(sources and release archive), of the schema folder, on the site URL, the day, and policygen's
own code. When all of them are byte for byte as before, the plan is read back from the
content-addressed cache without loading, validating or rendering anything again; any changed
byte plans the site afresh. Heavy modules are imported only then, so that a cached plan starts
fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import asdict
from typing import Any

from generator import cache
from generator.output import Output
from generator.problems import Problem
from generator.project import Project, files_below


def _inputs(project: Project) -> list[str]:
    """A digest for every file that the plan depends on, with its place."""
    found: list[str] = []
    for folder in (project.policy_dir, project.schema_dir):
        if not folder.is_dir():
            found.append(f"{folder}: missing")
            continue
        for name in files_below(folder):
            with open(os.path.join(folder, name), "rb") as stream:
                found.append(f"{folder.name}/{name}:{hashlib.sha256(stream.read()).hexdigest()}")
    return found


def plan(
    project: Project, site_url: str, today: dt.date, *, preview: bool = False, full: bool = True,
) -> tuple[tuple[Problem, ...], list[Output]]:
    """Every problem of the sources and every file of the site (see the module's docstring).
    Without ``full`` (for ``check``) only the problems are kept."""
    name = cache.key("plan", site_url, today.isoformat(), str(preview), str(full),
                     str(project.policy_dir), *_inputs(project))
    known = cache.get(name)
    if isinstance(known, dict):
        return _problems(known["problems"]), _outputs(known["outputs"])
    from generator.site import plan_site

    review, outputs = plan_site(project, site_url, today, preview=preview, full=full)
    if not full:
        outputs = []
    cache.put(name, {
        "problems": [asdict(problem) for problem in review.problems],
        "outputs": [_stored(output) for output in outputs],
    })
    return review.problems, outputs


def _stored(output: Output) -> dict[str, Any]:
    stored = asdict(output)
    if isinstance(output.content, bytes):
        stored["content"] = output.content.decode("utf-8")
        stored["bytes"] = True
    return stored


def _outputs(stored: list[dict[str, Any]]) -> list[Output]:
    outputs = []
    for entry in stored:
        entry = dict(entry)
        if entry.pop("bytes", False):
            entry["content"] = entry["content"].encode("utf-8")
        outputs.append(Output(**entry))
    return outputs


def _problems(stored: list[dict[str, Any]]) -> tuple[Problem, ...]:
    return tuple(Problem(**problem) for problem in stored)

