"""Run a pure function over a stream in worker processes, results in input order, with bounded memory.

`multiprocessing.Pool.imap` would read the whole input ahead into its task queue; here at most `2 * workers`
chunks are in flight, so memory stays flat however long the stream is. With one worker everything runs in the
calling process (no pickling), which is also what tests use.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _timed(func: Callable[[list], list], chunk: list) -> tuple[list, float]:
    start = time.perf_counter()
    return func(chunk), time.perf_counter() - start


_PR_SET_PDEATHSIG = 1
_STOPPING_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies. A parent killed outright (SIGKILL, out of memory) cannot
    stop its workers, which would go on parsing and then print a traceback for the pipe nobody reads any more."""
    try:
        ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends at its next write to the closed pipe instead
        pass


def _worker_start(parent: int, initializer: Callable | None, initargs: tuple) -> None:
    """Workers leave signals to the parent, which stops them when it unwinds: Ctrl-C and a SIGTERM to the process
    group (systemd, `docker stop`, `pkill`) reach the workers too, and a worker killed while it sends a result
    would hold the result queue's lock for ever, so that the parent's pool could never be shut down."""
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING_SIGNALS)  # blocked since the fork (`Workers`)
    if initializer:
        initializer(*initargs)


class Workers:
    """A pool of forked worker processes (or none, for one worker). `initializer` runs once in each worker."""

    def __init__(self, count: int, initializer: Callable | None = None, initargs: tuple = ()):
        self.count = max(1, count)
        self.busy_seconds = 0.0  # time spent inside the mapped function, summed over workers
        self._pool = None
        if self.count > 1:
            # Blocked while the workers are forked, until each ignores them: a signal to the process group arriving
            # before that ran the parent's handler in the worker, in the middle of the fork's own clean-up, and the
            # pool then waited for it for ever. Once unblocked here, a signal that came meanwhile reaches the parent.
            mask_before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING_SIGNALS)
            try:
                self._pool = multiprocessing.get_context("fork").Pool(
                    self.count, _worker_start, (os.getpid(), initializer, initargs)
                )
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask_before)
        elif initializer:
            initializer(*initargs)

    def map_chunks(self, func: Callable[[list], list], chunks: Iterable[list]) -> Iterator:
        """`func(chunk)` for every chunk, flattened, in input order. `func` must be a module-level function."""
        if self._pool is None:
            for chunk in chunks:
                results, seconds = _timed(func, chunk)
                self.busy_seconds += seconds
                yield from results
            return
        pending: deque = deque()
        for chunk in chunks:
            pending.append(self._pool.apply_async(_timed, (func, chunk)))
            if len(pending) >= 2 * self.count:
                yield from self._collect(pending.popleft())
        while pending:
            yield from self._collect(pending.popleft())

    def _collect(self, result) -> list:
        results, seconds = result.get()
        self.busy_seconds += seconds
        return results

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        """Workers finish the few chunks already sent to them (`map_chunks` keeps at most two each in flight) and
        exit: stopping them mid-chunk with a signal could leave a queue's lock held."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
