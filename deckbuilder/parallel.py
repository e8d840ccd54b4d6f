"""Running one stage's pieces of work at once, on as many cores as asked."""

from __future__ import annotations

import os
from contextlib import closing
from typing import Callable, Iterable, Iterator, Sequence

# What every worker of a pool works on (see in_order): set once per worker, not sent with every call.
shared: tuple = ()


def default_jobs() -> int:
    """One worker per core: building is CPU-bound Python, which threads would not spread."""
    return os.cpu_count() or 1


def run_all(function: Callable, calls: Sequence[tuple], jobs: int, share: tuple = (),
            over: Callable[[Sequence[tuple]], Iterable] = iter) -> list:
    """`function(*arguments)` for each call, results in call order; in worker processes when there is more
    than one call and more than one job (see in_order). An exception in any call is raised here. `over(calls)`
    goes through the calls as each one's result is awaited: a progress bar follows the work that way."""
    with closing(in_order(function, calls, jobs, share)) as results:
        return [next(results) for _ in over(calls)]


def in_order(function: Callable, calls: Sequence[tuple], jobs: int, share: tuple = ()) -> Iterator:
    """The results of `function(*arguments)` for each call, in call order, each as soon as it and those before
    it are done. With more than one call and job they run in worker processes, where `parallel.shared` is
    `share`: forked workers inherit it as it is in memory, other platforms send it once per worker."""
    global shared
    if jobs <= 1 or len(calls) <= 1:
        shared = share
        try:
            yield from (function(*arguments) for arguments in calls)
        finally:
            shared = ()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else None)
    with ProcessPoolExecutor(max_workers=min(jobs, len(calls)), mp_context=context,
                             initializer=_share, initargs=(share,)) as pool:
        futures = [pool.submit(function, *arguments) for arguments in calls]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def _share(share: tuple) -> None:
    global shared
    shared = share
