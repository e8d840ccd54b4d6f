"""What a build would do, worked out without writing anything: `deckbuilder plan` and `build --check`."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from deckbuilder.lock.history import lock_at
from deckbuilder.lock.refusals import deck_lock_path
from deckbuilder.lock.reimport import Reimport, compare
from deckbuilder.lock.release import ReleaseOptions, release
from deckbuilder.pipeline.build import build_time, compiled_against_locks, decks_to_build, read_decks, released
from deckbuilder.problems import ContentError, Problem, display_path
from deckbuilder.progress import SILENT, Progress
from deckbuilder.source.drafts import draft_refusals
from deckbuilder.speed.cache import BuildCache
from deckbuilder.speed.gcpause import without_cycle_collection
from deckbuilder.write.output import changed_lock_text, package_path
from deckbuilder.write.package import write_package_file


@dataclass(frozen=True)
class Stale:
    """A file a build would change."""

    deck: str
    path: str
    why: str


@without_cycle_collection
def plan(paths: list[Path], output: Path, options: ReleaseOptions = ReleaseOptions(force=True),
         progress: Progress = SILENT, warnings: list[Problem] | None = None,
         since: str | None = None) -> list[tuple[Reimport, str, str]]:
    """Per deck: what importing the package a build would write does in a collection that has the last one
    (or, `since` a git ref, the one committed there: what learners of that release have), with the package's
    and the lock file's paths. A schema change is shown, not refused (`force`); drafts are shown as new notes,
    and are warnings."""
    decks = read_decks(paths, progress, warnings=warnings)
    now = build_time()
    results, problems = [], []
    for deck, (compiled, lock) in zip(decks, compiled_against_locks(decks, options, progress, warnings=warnings)):
        after = release(compiled, lock, now, options.prune_retired).lock  # the next package, as a build makes it
        try:
            before = lock if since is None else lock_at(since, deck_lock_path(deck))
        except ContentError as error:
            problems += error.problems
            continue
        results.append((compare(before, after), display_path(package_path(output, deck.header.key)),
                        display_path(deck_lock_path(deck))))
    if problems:
        raise ContentError(problems + (warnings or []))
    return results


@without_cycle_collection
def stale(paths: list[Path], output: Path, options: ReleaseOptions = ReleaseOptions(),
          progress: Progress = SILENT, warnings: list[Problem] | None = None) -> list[Stale]:
    """The lock files and packages a build would change. A deck with no package in `output` yet is checked
    against its lock file only: a content repository's CI has the lock files, not the packages. Drafts are
    refused, as a build refuses them."""
    _, decks = decks_to_build(paths, output, BuildCache.of(output), options, progress, warnings=warnings)
    compiled = compiled_against_locks(decks, options, progress, warnings=warnings, refusals=draft_refusals(decks))
    found = []
    for deck, item in zip(decks, released(compiled, options)):
        lock_file, package = deck_lock_path(deck), package_path(output, deck.header.key)
        if changed_lock_text(item.lock, lock_file) is not None:
            found.append(Stale(item.deck.key, display_path(lock_file), "lock file"))
        if package.is_file() and not same_package(item, package):
            found.append(Stale(item.deck.key, display_path(package), "package"))
    return found


def same_package(item, package: Path) -> bool:
    with tempfile.TemporaryDirectory() as scratch:  # a scratch file: nothing to rename into place
        fresh = Path(scratch) / package.name
        write_package_file(item, fresh, fresh)
        return fresh.read_bytes() == package.read_bytes()
