"""Running one stage for several decks at once, on as many cores as asked."""

from __future__ import annotations

import os
from typing import Callable, Sequence


def default_jobs() -> int:
    """One deck per core: building a deck is CPU-bound Python, which threads would not spread."""
    return os.cpu_count() or 1


def run_all(function: Callable, calls: Sequence[tuple], jobs: int) -> list:
    """`function(*arguments)` for each call, results in call order; in worker processes when there is more
    than one call and more than one job. An exception in any call is raised here."""
    if jobs <= 1 or len(calls) <= 1:
        return [function(*arguments) for arguments in calls]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(calls))) as pool:
        futures = [pool.submit(function, *arguments) for arguments in calls]
        return [future.result() for future in futures]
