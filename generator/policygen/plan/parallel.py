"""Work on many released versions shared with a second process, when the machine has a second
core: the same results, in the same order, as doing it all here.

A process forked at the point of need inherits everything already read (sources, archive,
schemas) without copying or pickling it, and sends back only its results (and what it put in
the cache, which this process writes). It is forked only where that is safe and pays: on a
system that forks, from a process with one thread (MkDocs' live preview runs a server thread,
so its builds work alone), with a second core free to this process, and with enough work to
share. One helper at a time: a helper never forks another. If the helper fails in any way, its
share is done here.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import IO, Any, TypeVar

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
    half = len(items) // 2
    started = (start_helper(lambda pipe: pickle.dump(
        ([work(item) for item in items[half:]], cache.taken()), pipe, pickle.HIGHEST_PROTOCOL,
    )) if len(items) >= 2 and touched >= WORTH_SHARING else None)
    if started is None:
        return [work(item) for item in items]
    helper, pipe = started
    try:
        mine = [work(item) for item in items[:half]]
        sent = pipe.read()
    except BaseException:
        end_helper(helper, pipe, kill=True)
        raise
    end_helper(helper, pipe)
    theirs = _results(sent, len(items) - half)  # whole, or it failed on the way
    if theirs is None:
        theirs = [work(item) for item in items[half:]]
    return mine + theirs


def start_helper(work: Callable[[IO[bytes]], None]) -> tuple[int, IO[bytes]] | None:
    """Fork a helper that runs ``work`` with the writing end of a pipe, then exits; its process
    id and the reading end, or None when :func:`can_share` says no or the fork fails. What was
    pending for the cache before the fork is this process's to write; what the helper puts
    there, it must send. Every helper is ended with :func:`end_helper`."""
    if not can_share():
        return None
    reading, writing = os.pipe()
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl  # Linux: the helper may run 1 MiB ahead of a reader that is often busy

        fcntl.fcntl(writing, fcntl.F_SETPIPE_SZ, 1 << 20)
    try:
        helper = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return None
    global _sharing
    _sharing = True
    if helper == 0:  # the helper: never returns
        code = 1
        try:
            os.close(reading)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            cache.taken()
            with os.fdopen(writing, "wb") as pipe:
                work(pipe)
            code = 0
        except Exception:  # policygen's bug: said, though the work is done again without it
            print("policygen: a helper process failed (its work is done in the main process; "
                  "please report this):", file=sys.stderr)
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(code)  # no atexit handlers, no flushing of what the parent will flush
    os.close(writing)
    return helper, os.fdopen(reading, "rb")


def end_helper(helper: int, pipe: IO[bytes], *, kill: bool = False) -> None:
    """Wait for (or first ``kill``) a helper. Whether it did its work is told by what it sent:
    its exit status may not be known (a process that ignores SIGCHLD has its children reaped
    by the system)."""
    global _sharing
    try:
        if kill:
            kill_helper(helper)
        pipe.close()
        os.waitpid(helper, 0)
    except ChildProcessError:
        pass
    finally:
        _sharing = False


def kill_helper(helper: int) -> None:
    """Stop a helper at once (it is still to be ended with :func:`end_helper`)."""
    try:
        ended, _ = os.waitpid(helper, os.WNOHANG)
    except ChildProcessError:
        return  # reaped already by the system (see end_helper): its number is not ours
    if ended == 0:
        os.kill(helper, signal.SIGKILL)


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
