"""The site planned once per set of inputs: ``check`` and the MkDocs plugin ask here first.

The plan (every problem, every published file) depends only on the bytes that a review reads
(``project_files``: the sources, the release archive, the schemas, and what version control
holds of the archive), on the site URL, the day, and policygen's own code and libraries. When
all of them are byte for byte as before, the plan is read back from the content-addressed
cache without loading, validating or rendering anything again; any changed byte plans the site
afresh. Heavy modules are imported only then, so that a cached plan starts fast. A live preview
plans again on every save, from the results of its parts kept in memory, and does not store
plans that it will not see again. A build that finds no stored plan has a helper process make
it, while MkDocs goes on (``plan_beside``).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import pickle
import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import IO, TYPE_CHECKING, Any

from policygen.model.output import Output
from policygen.model.problems import Problem
from policygen.plan.parallel import WORTH_SHARING, end_helper, kill_helper, start_helper
from policygen.source import cache
from policygen.source.project_files import ProjectFiles

if TYPE_CHECKING:
    from policygen.plan.review import Review


def plan(
    files: ProjectFiles, site_url: str, today: dt.date, *, preview: bool = False,
) -> tuple[tuple[Problem, ...], list[Output]]:
    """Every problem of the sources and every file of the site (see the module's docstring)."""
    known = _known(files, site_url, today, preview)
    if known is not None:
        return known
    review, outputs = _planned(files, site_url, today, preview=preview)
    if not preview:
        _store(files, site_url, today, review.problems, outputs)
    cache.flush()
    return review.problems, outputs


def _plan_name(files: ProjectFiles, site_url: str, today: dt.date, preview: bool) -> str:
    return cache.key("plan", site_url, today.isoformat(), str(preview), files.digest)


def _known(files: ProjectFiles, site_url: str, today: dt.date,
           preview: bool) -> tuple[tuple[Problem, ...], list[Output]] | None:
    known = cache.get(_plan_name(files, site_url, today, preview))
    if isinstance(known, dict):
        outputs = _outputs(known["outputs"], files)
        if outputs is not None:
            return _problems(known["problems"]), outputs
    return None


def _store(files: ProjectFiles, site_url: str, today: dt.date,
           problems: tuple[Problem, ...], outputs: list[Output]) -> dict[str, Any]:
    stored = {"problems": [asdict(problem) for problem in problems],
              "outputs": [_stored(output) for output in outputs]}
    cache.put(_plan_name(files, site_url, today, False), remember=False, value=stored)
    return stored


class PlanInProgress:
    """A plan that a helper process is still making beside a build: see :func:`plan_beside`.
    The build begins once the helper has sent what it begins with (:meth:`begun`). A thread here
    takes each message as soon as the helper sends it, so that the helper never waits."""

    def __init__(self, files: ProjectFiles, site_url: str, today: dt.date, helper: int,
                 pipe: IO[bytes]) -> None:
        self._inputs = (files, site_url, today)
        self._helper: tuple[int, IO[bytes]] | None = (helper, pipe)
        self._began: tuple[tuple[Problem, ...], list[Output]] | None = None
        self._made: dict[str, str | bytes] = {}
        self._stored: dict[str, Any] | None = None
        self._ended = False
        self._finished: tuple[tuple[Problem, ...], list[Output]] | None = None
        self._news = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(pipe,), daemon=True,
                                        name="policygen: the history made beside the build")
        self._reader.start()

    def begun(self) -> tuple[tuple[Problem, ...], list[Output]]:
        """What the build begins with: what the sources themselves show (not yet the released
        versions' problems), and every file of the site, those ``later`` empty until
        :meth:`content` is asked; else the whole plan."""
        with self._news:
            self._news.wait_for(lambda: self._began is not None or self._stored is not None
                                or self._ended)
            began = self._began
        return began if began is not None else self.finish()

    def content(self, path: str) -> str | bytes:
        """The content of the ``later`` file at ``path``, once the helper has made it (empty if
        it could not be: the problems say why)."""
        with self._news:
            self._news.wait_for(lambda: path in self._made or self._stored is not None
                                or self._ended)
            if path in self._made:
                return self._made[path]
        return next((output.content for output in self.finish()[1] if output.path == path), "")

    def finish(self) -> tuple[tuple[Problem, ...], list[Output]]:
        """Every problem and every file, as :func:`plan` would have planned them (planned here
        if the helper failed)."""
        if self._finished is None:
            with self._news:
                self._news.wait_for(lambda: self._stored is not None or self._ended)
            files, site_url, today = self._inputs
            stored = self._stored
            outputs = _outputs(stored["outputs"], files) if stored is not None else None
            if stored is not None and outputs is not None:
                self._finished = _problems(stored["problems"]), outputs
            else:
                self.close()
                self._finished = plan(files, site_url, today)
        return self._finished

    def close(self) -> None:
        """Wait for the helper to end (it stores the plan in the cache after sending it)."""
        if self._helper is not None:
            helper, pipe = self._helper
            self._helper = None
            self._reader.join()
            end_helper(helper, pipe)

    def cancel(self) -> None:
        """Stop the helper, unless it has sent its plan: then it is storing it, and may."""
        if self._helper is not None:
            if self._stored is None:
                kill_helper(self._helper[0])
            self.close()

    def _read(self, pipe: IO[bytes]) -> None:
        while True:
            try:
                said = pickle.load(pipe)
            except Exception:  # the end, or a helper that died: what is missing is done here
                said = None
            with self._news:
                if isinstance(said, tuple) and said[0] == "began":
                    self._began = said[1]
                elif isinstance(said, tuple) and said[0] == "files":
                    self._made.update(said[1])
                elif isinstance(said, tuple) and said[0] == "plan":
                    self._stored = said[1]
                else:
                    self._ended = True
                self._news.notify_all()
                if self._ended:
                    return


def plan_beside(files: ProjectFiles, site_url: str, today: dt.date) -> PlanInProgress | None:
    """For a build that finds no stored plan: the plan made by a helper process while this one
    goes on with MkDocs (see :class:`PlanInProgress`). On a large archive the helper first sends
    everything but the history, then the history, a policy at a time, as it makes it; on a
    smaller one it sends the whole plan. None when :func:`plan` is as good (a stored plan, or no
    second core free)."""
    if _known(files, site_url, today, False) is not None:
        return None
    whole = sum(name.endswith(".yaml") for name in files.releases) < WORTH_SHARING

    def make_plan(pipe: IO[bytes]) -> None:
        def send(*message: Any) -> None:
            pickle.dump(message, pipe, pickle.HIGHEST_PROTOCOL)
            pipe.flush()

        review, outputs = _planned(
            files, site_url, today,
            began=None if whole else lambda problems, outputs: send("began", (problems, outputs)),
            delivered=None if whole else lambda made: send(
                "files", {output.path: output.content for output in made}),
        )
        send("plan", _store(files, site_url, today, review.problems, outputs))
        cache.flush()  # while the build goes on

    started = start_helper(make_plan)
    return None if started is None else PlanInProgress(files, site_url, today, *started)


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
             history: bool = True,
             delivered: Callable[[list[Output]], None] | None = None,
             began: Callable[[tuple[Problem, ...], list[Output]], None] | None = None,
             ) -> tuple[Review, list[Output]]:
    from policygen.plan.site import plan_site

    # Planning makes hundreds of thousands of small objects that live until it is done; the
    # cyclic garbage collector would walk them all again and again. Its few cycles (PyYAML's
    # loaders: about 35 objects per file read) wait for the next collection after it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return plan_site(files, site_url, today, preview=preview, history=history,
                         delivered=delivered, began=began)
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

