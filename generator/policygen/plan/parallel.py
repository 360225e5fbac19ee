"""Work on many released versions shared with a second process, when the machine has a second
core: the same results, in the same order, as doing it all here.

A process forked at the point of need inherits everything already read (sources, archive,
schemas) without copying or pickling it, and sends back only its results (and what it put in
the cache, which this process writes). It is forked only
where that is safe and pays: on a system that forks, from a process with one thread (MkDocs'
live preview runs a server thread, so its builds work alone), with a second core free to this
process, and with enough work to share. If the helper fails in any way, its share is done here.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from policygen.source import cache

Item = TypeVar("Item")
Result = TypeVar("Result")

WORTH_SHARING = 100
"""Below this many released versions, forking costs more than it saves (one takes ~0.6 ms)."""


def shared_map(
    work: Callable[[Item], Result], items: Sequence[Item], *, releases: int | None = None,
) -> list[Result]:
    """``[work(item) for item in items]``, the second half done by a forked helper process when
    the work touches enough released versions (``releases``, one per item unless said) and
    :func:`can_share` says so. ``work`` must not depend on or change state other than its item
    and the cache (the helper's other changes are lost), and its results must pickle."""
    touched = len(items) if releases is None else releases
    if len(items) < 2 or touched < WORTH_SHARING or not can_share():
        return [work(item) for item in items]
    global _sharing
    _sharing = True  # work that shares again is done in the process it runs in
    try:
        return _shared(work, items)
    finally:
        _sharing = False


def _shared(work: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    half = len(items) // 2
    reading, writing = os.pipe()
    try:
        helper = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return [work(item) for item in items]
    if helper == 0:  # the helper: its share, sent back whole; never returns
        code = 1
        try:
            os.close(reading)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            cache.taken()  # what was pending before the fork is the parent's to write
            with os.fdopen(writing, "wb") as pipe:
                results = [work(item) for item in items[half:]]
                pickle.dump((results, cache.taken()), pipe, pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing of what the parent will flush
    os.close(writing)
    try:
        mine = [work(item) for item in items[:half]]
        with os.fdopen(reading, "rb") as pipe:
            sent = pipe.read()
    except BaseException:
        os.kill(helper, signal.SIGKILL)
        os.waitpid(helper, 0)
        raise
    _, status = os.waitpid(helper, 0)
    theirs = _results(sent, len(items) - half) if status == 0 else None
    if theirs is None:
        theirs = [work(item) for item in items[half:]]
    return mine + theirs


_sharing = False
"""Whether this process is a helper, or has one: then it does not fork another."""


def can_share() -> bool:
    """Whether a helper process may be forked here, and would run beside this one."""
    if _sharing or not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(
        os.cpu_count() or 1)
    return len(cores) > 1


def _results(sent: bytes, count: int) -> list[Any] | None:
    try:
        results, cached = pickle.loads(sent)
    except Exception:  # a helper that died half-way: its share is done here
        return None
    if not isinstance(results, list) or len(results) != count:
        return None
    cache.keep(cached)
    return results
