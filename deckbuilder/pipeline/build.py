"""The build, check and compile commands as short lists of named stages.

    card files ─read→ parts ─assemble→ decks ─compile→ notes ─release (lock)→ releases ─write→ packages

Each stage is a folder of its own (source/, compiler/, lock/, write/); the speed machinery in speed/ (the
build cache, worker processes, the cycle-collector pause) is wrapped around them here, and only here.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from deckbuilder.compiler.note import CompiledDeck, DeckTotals
from deckbuilder.lock.records import Lock
from deckbuilder.lock.refusals import deck_lock_path, last_lock
from deckbuilder.lock.release import Release, ReleaseOptions, release
from deckbuilder.model import Deck
from deckbuilder.problems import ContentError, OutputError, Problem
from deckbuilder.progress import SILENT, Progress
from deckbuilder.source.assemble import assemble_decks
from deckbuilder.source.drafts import DraftsRefused, draft_refusals, draft_warnings
from deckbuilder.source.files import card_files
from deckbuilder.speed.cache import BuildCache
from deckbuilder.speed.gcpause import without_cycle_collection
from deckbuilder.speed.incremental import Reading, read_parts, reading, remember
from deckbuilder.speed.memo import NoteMemo
from deckbuilder.speed.runs import compiling
from deckbuilder.tuning import Speed
from deckbuilder.speed.writing import packages_written
from deckbuilder.write.output import Written, package_path, staged_locks, writable_output


@without_cycle_collection
def read_decks(paths: list[Path], progress: Progress = SILENT, speed: Speed = Speed(),
               warnings: list[Problem] | None = None) -> list[Deck]:
    """Every card file under `paths` read and checked into decks; raises ContentError with all problems of
    all files. Drafts (cards without an id) and tables among the card files are warnings, added to
    `warnings`."""
    parts, problems = [], []
    warnings = [] if warnings is None else warnings
    for (part, part_problems), _ in read_parts(card_files(paths, warnings), speed, progress).values():
        problems += part_problems
        if part is not None:
            parts.append(part)
    return assembled(parts, problems, warnings=warnings)


def assembled(parts: list, problems: list[Problem], other_names: dict[str, str] | None = None,
              warnings: list[Problem] | None = None, drafts_allowed: bool = True) -> list[Deck]:
    """The decks the parts make; raises ContentError with these problems, any found here and the `warnings`.
    A draft is a warning, added to `warnings`; where drafts are not allowed (a build) it is refused with the
    other problems, or by `build` once the decks are compiled, so that compiling's problems are listed too."""
    decks, deck_problems = assemble_decks(parts, other_names)
    warnings = [] if warnings is None else warnings
    if drafts_allowed:
        warnings += draft_warnings(decks)
    if problems or deck_problems:
        stop_on(problems + deck_problems, [] if drafts_allowed else draft_refusals(decks), warnings)
    return decks


def stop_on(problems: list[Problem], refusals: list[Problem] = (), warnings: list[Problem] | None = None) -> None:
    """Raise ContentError with every problem and warning if there is a problem, DraftsRefused if a draft is
    among them."""
    if problems or refusals:
        raise (DraftsRefused if refusals else ContentError)([*problems, *refusals, *(warnings or ())])


def compiled_against_locks(decks: list[Deck], options: ReleaseOptions = ReleaseOptions(),
                           progress: Progress = SILENT, speed: Speed = Speed(),
                           memos: dict[str, NoteMemo] | None = None, totals_only: bool = False,
                           warnings: list[Problem] | None = None, refusals: list[Problem] = ()) -> list[tuple]:
    """Every deck compiled, with its lock file: (CompiledDeck or DeckTotals, Lock or None) per deck. Raises
    ContentError with the problems of all decks, the changes since the lock files that Anki would refuse
    included, the `refusals` (drafts in a build) and the `warnings` found before."""
    with compiling(decks, memos, speed, progress, totals_only) as compiled_decks:
        locks, lock_problems = [], []
        for deck in decks:  # read here while workers compile
            lock, problems = last_lock(deck, options.force, options.prune_retired)
            locks.append(lock)
            lock_problems += problems
        compiled, problems = compiled_decks()
    stop_on(problems + lock_problems, refusals, warnings)
    return list(zip(compiled, locks))


def build_time() -> int:
    """Now, in seconds since 1970, for the notes that changed: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None:
        return int(time.time())
    if not fixed.strip().isdigit():
        raise OutputError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not '{fixed}'")
    return int(fixed)


def released(compiled: list[tuple[CompiledDeck, Lock | None]], options: ReleaseOptions) -> list[Release]:
    """Each compiled deck stamped against its last lock: every note's mod, the retired notes, the new lock."""
    now = build_time()
    return [release(deck, lock, now, options.prune_retired) for deck, lock in compiled]


@without_cycle_collection
def check(paths: list[Path], progress: Progress = SILENT, speed: Speed = Speed(),
          warnings: list[Problem] | None = None) -> list[DeckTotals]:
    """Everything a build does but write: all problems of all files (changes since each deck's lock file that
    Anki would refuse included), or how many notes and cards each deck makes. Drafts are warnings."""
    decks = read_decks(paths, progress, speed, warnings)
    return [deck for deck, _ in compiled_against_locks(decks, progress=progress, speed=speed, totals_only=True,
                                                       warnings=warnings)]


@without_cycle_collection
def compile_decks(paths: list[Path], progress: Progress = SILENT, speed: Speed = Speed(),
                  warnings: list[Problem] | None = None) -> list[CompiledDeck]:
    """The decks a build would package, checked as `check` does, without writing anything; drafts included."""
    decks = read_decks(paths, progress, speed, warnings)
    return [deck for deck, _ in compiled_against_locks(decks, progress=progress, speed=speed, warnings=warnings)]


def decks_to_build(paths: list[Path], output: Path, cache: BuildCache, options: ReleaseOptions,
                   progress: Progress = SILENT, speed: Speed = Speed(),
                   warnings: list[Problem] | None = None) -> tuple[Reading, list[Deck]]:
    """What the build reads, and the decks it must make; the others are left as they are (`unchanged`). A
    draft is refused (DraftsRefused, see `assembled`): a package is what learners keep."""
    if options.prune_retired:  # an unchanged deck may still hold retired notes to drop
        speed = replace(speed, reuse=False)
    found = reading(card_files(paths, warnings), cache, lambda key: package_path(output, key), speed, progress)
    names = {record.name: key for key, record in found.unchanged.items()}
    return found, assembled(found.parts, found.problems, names, warnings, drafts_allowed=False)


@without_cycle_collection
def build(paths: list[Path], output: Path, options: ReleaseOptions = ReleaseOptions(), progress: Progress = SILENT,
          speed: Speed = Speed(), warnings: list[Problem] | None = None) -> list[Written]:
    """Check every deck first, then write each package and lock file; nothing is written if any deck has a
    problem or a card without an id (DraftsRefused). Decks whose card files, media, lock file and package are
    as the last build left them are not rebuilt. The packages are the same whatever `speed` says."""
    cache = BuildCache.of(output)
    found, decks = decks_to_build(paths, output, cache, options, progress, speed, warnings)
    memos = {deck.header.key: cache.notes(deck.header.key) for deck in decks}
    releases = released(compiled_against_locks(decks, options, progress, speed, memos, warnings=warnings,
                                               refusals=draft_refusals(decks)), options)
    locks = {deck.header.key: deck_lock_path(deck) for deck in decks}
    with writable_output(output) as held:
        with packages_written(releases, output, speed, held) as install:  # while workers write, this goes on:
            with staged_locks([(item.lock, locks[item.deck.key]) for item in releases]):
                notes = {key: cache.pickled_notes(memo) for key, memo in memos.items()}
                paths = install(progress)
        # Once the lock files are in place: the cache records them as this build left them.
        remember(cache, found, {item.deck.key: (item, path, locks[item.deck.key])
                                for item, path in zip(releases, paths)}, notes)
    written = [Written(item.deck, path, retired=item.retired_count) for item, path in zip(releases, paths)]
    written += [Written(DeckTotals(key, record.name, record.notes, record.cards), package_path(output, key), True,
                        record.retired) for key, record in found.unchanged.items()]
    return sorted(written, key=lambda item: item.deck.key)
