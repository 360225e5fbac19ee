"""Work on many released versions shared with a second process, when the machine has a second
core: the same results, in the same order, as doing it all here.

A process forked at the point of need inherits everything already read (sources, archive,
schemas) without copying or pickling it, and sends back only its results. It is forked only
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

Item = TypeVar("Item")
Result = TypeVar("Result")

WORTH_SHARING = 100
"""Below this many items, forking costs more than it saves (a release takes about 0.6 ms)."""


def shared_map(
    work: Callable[[Item], Result], items: Sequence[Item], *, at_least: int = WORTH_SHARING,
) -> list[Result]:
    """``[work(item) for item in items]``, the second half done by a forked helper process when
    :func:`can_share` says so. ``work`` must not depend on or change state other than its item
    (the helper's changes are lost), and its results must pickle."""
    if len(items) < max(at_least, 2) or not can_share():
        return [work(item) for item in items]
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
            with os.fdopen(writing, "wb") as pipe:
                pickle.dump([work(item) for item in items[half:]], pipe, pickle.HIGHEST_PROTOCOL)
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


def can_share() -> bool:
    """Whether a helper process may be forked here, and would run beside this one."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(
        os.cpu_count() or 1)
    return len(cores) > 1


def _results(sent: bytes, count: int) -> list[Any] | None:
    try:
        results = pickle.loads(sent)
    except Exception:  # a helper that died half-way: its share is done here
        return None
    return results if isinstance(results, list) and len(results) == count else None
