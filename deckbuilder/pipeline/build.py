"""The build as a short list of named stages: find files → load → validate → compile → package."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from deckbuilder.speed.cache import BuildCache
from deckbuilder.compiler.notes import CompiledDeck, DeckTotals
from deckbuilder.speed.runs import compiling
from deckbuilder.speed.gcpause import without_cycle_collection
from deckbuilder.speed.incremental import plan_build, read_parts, remember
from deckbuilder.lock.records import Lock, lock_path
from deckbuilder.lock.read import read_lock
from deckbuilder.model import Deck
from deckbuilder.write.output import package_path, packages_written, staged_locks, writable_output
from deckbuilder.speed.parallel import default_jobs
from deckbuilder.lock.refusals import schema_changes, type_changes
from deckbuilder.problems import ContentError, Location, OutputError, Problem, display_path
from deckbuilder.progress import SILENT, Progress
from deckbuilder.lock.release import Release, release
from deckbuilder.source.validate import assemble_decks

CARD_FILE_PATTERNS = ("*.yaml", "*.yml")


@dataclass(frozen=True)
class Written:
    """One package a build wrote, or found already up to date (`unchanged`)."""

    deck: CompiledDeck | DeckTotals
    path: Path
    unchanged: bool = False
    retired: int = 0  # of the deck's notes, those removed from the source


@dataclass(frozen=True)
class ReleaseOptions:
    force: bool = False  # accept a note type schema change (Anki then leaves its notes unupdated)
    prune_retired: bool = False  # drop retired notes from package and lock file


def find_card_files(paths: list[Path]) -> list[Path]:
    """The card files named, and those below the folders named, each once, in a stable order."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            below = (p for pattern in CARD_FILE_PATTERNS for p in path.rglob(pattern) if p.is_file())
            found.update(dict.fromkeys(sorted(below)))
        else:
            found[path] = None
    return list(found)


def card_files(paths: list[Path]) -> list[Path]:
    """The card files to read; none at all is a problem."""
    files = find_card_files(paths)
    if not files:
        shown = ", ".join(display_path(path) for path in paths)
        raise ContentError([Problem(Location(shown), "no card files (*.yaml) found",
                                    "run 'deckbuilder build' where cards/ is, or name the card files")])
    return files


def read_decks(paths: list[Path], progress: Progress = SILENT, jobs: int | None = None) -> list[Deck]:
    """Load and validate every file, `jobs` at a time (default: one per core); raises ContentError with all
    problems of all files."""
    parts, problems = [], []
    for (part, part_problems), _ in read_parts(card_files(paths), progress, jobs or default_jobs()).values():
        problems += part_problems
        if part is not None:
            parts.append(part)
    return assembled(parts, problems)


def assembled(parts: list, problems: list[Problem], other_names: dict[str, str] | None = None) -> list[Deck]:
    """The decks the parts make; raises ContentError with these problems and any found here."""
    decks, deck_problems = assemble_decks(parts)
    problems = problems + deck_problems + name_clashes(decks, other_names or {})
    if problems:
        raise ContentError(problems)
    return decks


def name_clashes(decks: list[Deck], other_names: dict[str, str]) -> list[Problem]:
    """Anki matches decks by name: two decks of one name would pour into one. `other_names` maps the names
    of decks not read this time (left as they were) to their keys."""
    first: dict[str, str] = dict(other_names)
    problems = []
    for deck in decks:
        other = first.setdefault(deck.header.name, deck.header.key)
        if other != deck.header.key:
            problems.append(Problem(deck.header.where, f"deck name '{deck.header.name}' is also used by "
                                    f"deck '{other}'", "Anki would merge them; rename one"))
    return problems


def build_time() -> int:
    """Now, in seconds since 1970, for the notes that changed: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None:
        return int(time.time())
    if not fixed.strip().isdigit():
        raise OutputError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not '{fixed}'")
    return int(fixed)


def compiled_against_locks(decks: list[Deck], progress: Progress = SILENT, memos: dict | None = None,
                           jobs: int | None = None, options: ReleaseOptions = ReleaseOptions(),
                           content: bool = True, notes: bool = True) -> list[tuple]:
    """Every deck compiled, with its lock file: (CompiledDeck, Lock or None) per deck. Raises ContentError
    with the problems of all decks, the changes since the lock files that Anki would refuse included.
    `content=False` leaves the notes' fields out of the locks: only their types are compared; `notes=False`
    keeps only each deck's totals (DeckTotals), not its notes."""
    with compiling(decks, progress, memos, jobs, notes) as compiled_decks:
        locks, lock_problems = [], []
        for deck in decks:  # read here while workers compile
            lock, problems = previous_lock(deck, options, content)
            locks.append(lock)
            lock_problems += problems
        compiled, problems = compiled_decks()
    problems += lock_problems
    if problems:
        raise ContentError(problems)
    return list(zip(compiled, locks))


def released(decks: list[Deck], progress: Progress = SILENT, memos: dict | None = None, jobs: int | None = None,
             options: ReleaseOptions = ReleaseOptions()) -> list[Release]:
    """Compile every deck and stamp it against its lock file (see compiled_against_locks)."""
    compiled = compiled_against_locks(decks, progress, memos, jobs, options)
    now = build_time()
    return [release(deck, lock, now, options.prune_retired) for deck, lock in compiled]


def previous_lock(deck: Deck, options: ReleaseOptions, content: bool = True) -> tuple[Lock | None, list[Problem]]:
    """A deck's lock file and the changes since it that Anki would refuse."""
    path = deck_lock_path(deck)
    try:
        lock = read_lock(path, content)
    except ContentError as error:
        return None, list(error.problems)
    problems = type_changes(deck, lock, path)
    if not options.force:
        problems += schema_changes(lock, path)
    return lock, problems


def deck_lock_path(deck: Deck) -> Path:
    return lock_path(deck.folder, deck.header.key)


@without_cycle_collection
def check(paths: list[Path], progress: Progress = SILENT, notes: bool = True) -> list[CompiledDeck | DeckTotals]:
    """Everything a build does but write: all problems of all files (changes since each deck's lock file
    that Anki would refuse included), or the decks that would be built (`notes=False`: their totals only,
    which a big deck's workers make quicker)."""
    decks = read_decks(paths, progress)
    return [deck for deck, _ in compiled_against_locks(decks, progress, content=False, notes=notes)]


def decks_to_build(paths: list[Path], output: Path, cache: BuildCache, reuse: bool, options: ReleaseOptions,
                   progress: Progress = SILENT, jobs: int | None = None) -> tuple:
    """The build's plan and the decks it must make; the others are left as they are (`plan.unchanged`)."""
    reuse = reuse and not options.prune_retired  # an unchanged deck may still hold retired notes to drop
    plan = plan_build(card_files(paths), cache, lambda key: package_path(output, key), reuse, progress,
                      jobs or default_jobs())
    names = {record.name: key for key, record in plan.unchanged.items()}
    return plan, assembled(plan.parts, plan.problems, names)


@without_cycle_collection
def build(paths: list[Path], output: Path, progress: Progress = SILENT, reuse: bool = True,
          jobs: int | None = None, options: ReleaseOptions = ReleaseOptions()) -> list[Written]:
    """Check every deck first, then write each package and lock file; nothing is written if any deck has a
    problem.

    Decks whose card files, media, lock file and package are as the last build left them are not rebuilt
    (`reuse=False` rebuilds everything). `jobs` processes share the work of a big build (default: one per
    core); the packages are the same whatever the number."""
    jobs = jobs or default_jobs()
    cache = BuildCache.of(output)
    plan, decks = decks_to_build(paths, output, cache, reuse, options, progress, jobs)
    memos = {deck.header.key: cache.notes(deck.header.key) for deck in decks}
    releases = released(decks, progress, memos, jobs, options)
    locks = {deck.header.key: deck_lock_path(deck) for deck in decks}
    written = [Written(DeckTotals(key, record.name, record.notes, record.cards), package_path(output, key), True,
                       record.retired)
               for key, record in plan.unchanged.items()]
    with writable_output(output):
        with packages_written(releases, output, jobs) as install:  # while workers write, this process goes on:
            with staged_locks([(item.lock, locks[item.deck.key]) for item in releases]):
                notes = {key: cache.pickled_notes(memo) for key, memo in memos.items()}
                paths = install(progress)
        written += [Written(item.deck, path, retired=item.retired_count) for item, path in zip(releases, paths)]
        # Once the lock files are in place: the cache records them as this build left them.
        remember(cache, plan, {item.deck.key: (item, path, locks[item.deck.key])
                               for item, path in zip(releases, paths)}, notes)
    return sorted(written, key=lambda item: item.deck.key)
