"""The site planned once per set of inputs: ``check`` and the MkDocs plugin ask here first.

The plan (every problem, every published file) depends only on the bytes that a review reads
(``project_files``: the sources, the release archive, the schemas, and what version control
holds of the archive), on the site URL, the day, and policygen's own code and libraries. When
all of them are byte for byte as before, the plan is read back from the content-addressed
cache without loading, validating or rendering anything again; any changed byte plans the site
afresh. Heavy modules are imported only then, so that a cached plan starts fast. A live preview
plans again on every save, from the results of its parts kept in memory, and does not store
plans that it will not see again.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from policygen.model.output import Output
from policygen.model.problems import Problem
from policygen.source import cache
from policygen.source.project_files import ProjectFiles

if TYPE_CHECKING:
    from policygen.plan.review import Review


def plan(
    files: ProjectFiles, site_url: str, today: dt.date, *, preview: bool = False,
) -> tuple[tuple[Problem, ...], list[Output]]:
    """Every problem of the sources and every file of the site (see the module's docstring)."""
    name = cache.key("plan", site_url, today.isoformat(), str(preview), files.digest)
    known = cache.get(name)
    if isinstance(known, dict):
        outputs = _outputs(known["outputs"], files)
        if outputs is not None:
            return _problems(known["problems"]), outputs
    review, outputs = _planned(files, site_url, today, preview=preview)
    if not preview:
        cache.put(name, remember=False, value={
            "problems": [asdict(problem) for problem in review.problems],
            "outputs": [_stored(output) for output in outputs],
        })
    cache.flush()
    return review.problems, outputs


def problems_only(files: ProjectFiles, site_url: str, today: dt.date) -> tuple[Problem, ...]:
    """Every problem that ``plan`` finds, without rendering the files that only tell readers
    the history (a page per version, history pages, feeds): what ``check`` needs."""
    name = cache.key("problems", site_url, today.isoformat(), files.digest)
    known = cache.get(name)
    if isinstance(known, list):
        return _problems(known)
    review, _ = _planned(files, site_url, today, history=False)
    cache.put(name, [asdict(problem) for problem in review.problems], remember=False)
    cache.flush()
    return review.problems


def _planned(files: ProjectFiles, site_url: str, today: dt.date, *, preview: bool = False,
             history: bool = True) -> tuple[Review, list[Output]]:
    from policygen.plan.site import plan_site

    # Planning makes hundreds of thousands of small objects that live until it is done; the
    # cyclic garbage collector would walk them all again and again. Its few cycles (PyYAML's
    # loaders: about 35 objects per file read) wait for the next collection after it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return plan_site(files, site_url, today, preview=preview, history=history)
    finally:
        if collecting:
            gc.enable()


def _stored(output: Output) -> dict[str, Any]:
    """An output as the cache keeps it; a file published from the release archive by its
    digest alone (the plan is found again only for the same archive: half of a large plan)."""
    stored = asdict(output)
    if output.archived and isinstance(output.content, bytes):
        stored["content"] = hashlib.sha256(output.content).hexdigest()
    elif isinstance(output.content, bytes):
        stored["content"] = output.content.decode("utf-8")
        stored["bytes"] = True
    return stored


def _outputs(stored: list[dict[str, Any]], files: ProjectFiles) -> list[Output] | None:
    """The outputs of a stored plan (None if an archived file it names is not there)."""
    archived: dict[str, bytes] | None = None
    outputs = []
    for entry in stored:
        entry = dict(entry)
        if entry["archived"]:
            if archived is None:
                archived = {hashlib.sha256(content).hexdigest(): content
                            for name, content in files.releases.items()
                            if name.endswith(".json")}
            if entry["content"] not in archived:
                return None
            entry["content"] = archived[entry["content"]]
        elif entry.pop("bytes", False):
            entry["content"] = entry["content"].encode("utf-8")
        outputs.append(Output(**entry))
    return outputs


def _problems(stored: list[dict[str, Any]]) -> tuple[Problem, ...]:
    return tuple(Problem(**problem) for problem in stored)

