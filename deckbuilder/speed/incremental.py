"""Which card files a build must read and which decks it can leave as they are, using the build cache.

A deck is left alone when its card files (by content), its media, package and lock file (by size and
time) are all as its last successful build left them: its package would come out the same. Card files whose
content the cache has seen are not parsed again. Files are read on every core once there is enough to
read. Nothing is written to the cache here: a build stores what it learnt only once it has succeeded
(see `remember`).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from deckbuilder.problems import Problem, display_path
from deckbuilder.progress import SILENT, Progress
from deckbuilder.source.validate import FilePart, read_part
from deckbuilder.speed import parallel
from deckbuilder.speed.cache import BuildCache, DeckRecord, file_digest
from deckbuilder.tuning import Speed


@dataclass
class Reading:
    """What a build reads: the parts of the decks it must make, and what it may leave."""

    parts: list[FilePart] = field(default_factory=list)  # the files of the decks to build
    problems: list[Problem] = field(default_factory=list)
    unchanged: dict[str, DeckRecord] = field(default_factory=dict)  # deck key → its last build
    inputs: dict[str, list[str]] = field(default_factory=dict)  # deck key → digests of its files
    fresh: dict[str, tuple] = field(default_factory=dict)  # digest → (part, problems) read this time
    pickled: dict[str, bytes] = field(default_factory=dict)  # digest → its (part, problems) as a worker sent it
    digests: set[str] = field(default_factory=set)  # of every card file seen


def read_parts(paths: list[Path], speed: Speed = Speed(), progress: Progress = SILENT) -> dict[Path, tuple]:
    """Each file's (part, problems), and the same pickled if a worker process read it (else None)."""
    jobs = speed.workers()
    if jobs > 1 and len(paths) > 1 and sum(map(size_of, paths)) >= speed.read_in_workers_from:
        read = {}
        with parallel.started(read_pickled, [(path,) for path in paths], jobs) as results:
            for path in progress.over("read", paths):  # unpickled here while the workers read on
                data = next(results)
                read[path] = pickle.loads(data), data
        return read
    return {path: (read_part(path), None) for path in progress.over("read", paths)}


def size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # load_file says why it cannot be read


def read_pickled(path: Path) -> bytes:
    """In a worker: the file read and checked, pickled here (in parallel) rather than in the main process."""
    return pickle.dumps(read_part(path), protocol=pickle.HIGHEST_PROTOCOL)


def reading(files: list[Path], cache: BuildCache, package_of: Callable[[str], Path], speed: Speed = Speed(),
            progress: Progress = SILENT) -> Reading:
    """Read what must be read; `package_of(key)` is where a deck's package goes. With `speed.reuse` off,
    every file is read and no deck is left."""
    found = Reading()
    digests = {path: file_digest(path, display_path(path)) for path in files}
    found.digests = set(digests.values()) - {None}
    reuse = speed.reuse
    read: dict[Path, tuple] = {}
    unread = [path for path, digest in digests.items() if not (reuse and digest in cache.index)]
    for path, (entry, data) in read_parts(unread, speed, progress).items():
        read[path] = entry
        if data is not None and digests[path] is not None:
            found.pickled[digests[path]] = data
    keys = {path: part_key(read[path][0]) if path in read else cache.index[digest]
            for path, digest in digests.items()}
    for key in dict.fromkeys(keys.values()):
        paths = [path for path in files if keys[path] == key]
        inputs = [digests[path] for path in paths]
        record = cache.unchanged(key, inputs, package_of(key)) if reuse and key and None not in inputs else None
        if record is not None:
            found.unchanged[key] = record
            continue
        if key is not None:
            found.inputs[key] = inputs
        for path in paths:
            entry = read.get(path) or cache.part(digests[path])
            if entry is None:  # indexed, but its part is gone from the cache
                entry = read[path] = read_part(path)
            if path in read and digests[path] is not None:  # the cache learns it once the build succeeds
                found.fresh[digests[path]] = entry
            part, problems = entry
            found.problems += problems
            if part is not None:
                found.parts.append(part)
    return found


def part_key(part: FilePart | None) -> str | None:
    return part.deck_key if part is not None else None


def remember(cache: BuildCache, found: Reading, built: dict, notes: dict) -> None:
    """After a successful build: the parts read, the decks built (key → (release, package, lock file)) with
    their compiled notes (key → BuildCache.pickled_notes), and the index."""
    for digest, (part, problems) in found.fresh.items():
        cache.keep_part(digest, part, problems, found.pickled.get(digest))
    for key, (release, package, lock) in built.items():
        cache.keep_deck(key, found.inputs[key], release, package, lock)
        cache.keep_notes(key, notes[key])
    cache.save_index(found.digests)
