"""Packages written on every core: each in a worker process while the build stages its lock files."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from deckbuilder.lock.release import Release
from deckbuilder.problems import WorkerLost
from deckbuilder.progress import Progress
from deckbuilder.speed import parallel
from deckbuilder.tuning import Speed
from deckbuilder.write.output import install, package_path, package_temporaries, remove_leftovers, write_package


@contextmanager
def packages_written(releases: list[Release], output: Path, speed: Speed,
                     held: int) -> Iterator[Callable[[Progress], list[Path]]]:
    """Each release's package, begun at once in worker processes if there are several or a big one (else in
    the block's `install`), each written beside its place: the block can stage the lock files meanwhile.
    `install(progress)` waits for each package and renames them all into place. `held`: the output folder's
    lock, which workers must not keep."""
    targets = [package_path(output, item.deck.key) for item in releases]
    jobs = speed.workers()
    if len(releases) < 2 and sum(len(item.deck.notes) for item in releases) < speed.write_in_workers_from:
        jobs = 1
    with package_temporaries(targets) as files:
        calls = [(index,) for index in range(len(releases))]
        with parallel.started(write_one, calls, jobs, (releases, targets, files), private=(held,)) as results:
            def installed(progress: Progress) -> list[Path]:
                for _ in progress.over("write", releases, steps=lambda item: len(item.deck.notes)):
                    next(results)
                install(files, targets)
                return targets

            try:
                yield installed
            except WorkerLost:
                remove_leftovers(output)  # the killed worker's scratch database (the folder is ours: locked)
                raise


def write_one(index: int) -> None:
    """In a worker (or here): package `index` of the shared releases, written to its temporary file."""
    releases, targets, files = parallel.shared
    write_package(releases[index], targets[index], files[index])
