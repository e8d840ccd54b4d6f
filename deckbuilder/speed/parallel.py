"""Running one stage's pieces of work at once, on as many cores as asked."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from deckbuilder.problems import WorkerLost

# What every worker of a pool works on (see started): set once per worker, not sent with every call.
shared: tuple = ()


@contextmanager
def started(function: Callable, calls: Sequence[tuple], jobs: int, share: tuple = (),
            private: tuple[int, ...] = ()) -> Iterator[Iterator]:
    """`function(*arguments)` for each call, begun in up to `jobs` worker processes (none if `jobs` is 1: the
    calls are then made here, one by one as their results are asked for): the results in call order. The
    block can do other work while the workers run. In the workers `parallel.shared` is `share`: forked
    workers inherit it as it is in memory, other platforms send it once per worker. `private` descriptors
    (the output folder's lock) are closed in forked workers: one holding the lock would keep the next build
    waiting. An exception in a call is raised where its result is asked for; calls not begun when the block
    ends are cancelled."""
    global shared
    if jobs <= 1:
        shared = share
        try:
            yield (function(*arguments) for arguments in calls)
        finally:
            shared = ()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else None)
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(calls))), mp_context=context,
                             initializer=_start_worker,
                             initargs=(share, private if forking else (), os.getpid())) as pool:
        futures = [pool.submit(function, *arguments) for arguments in calls]
        try:
            yield results_of(futures)
        finally:
            for future in futures:
                future.cancel()


def results_of(futures: list) -> Iterator:
    from concurrent.futures.process import BrokenProcessPool

    for future in futures:
        try:
            yield future.result()
        except BrokenProcessPool as error:
            raise WorkerLost("a worker process of the build was killed (out of memory? '-j 1' uses the least); "
                             "nothing was written") from error


def _start_worker(share: tuple, private: tuple[int, ...], parent: int) -> None:
    global shared
    shared = share
    for descriptor in private:
        os.close(descriptor)  # this copy only: the build keeps its lock
    _end_with(parent)


def _end_with(parent: int) -> None:
    """Have the kernel end this worker when the build's process ends, killed or not (Linux): an orphaned
    worker would wait for work forever."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        return  # not Linux: the pool's own checks end its workers when the build exits normally
    if os.getppid() != parent:  # the build ended before the line above took effect
        os._exit(1)
