"""The build as a short list of named stages: find files → load → validate → compile → package."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .buildcache import BuildCache
from . import parallel
from .compile import CompiledCards, CompiledDeck, compile_cards, deck_of
from .gcpause import without_cycle_collection
from .incremental import plan_build, read_parts, remember
from .lockfile import Lock, lock_path
from .lockread import read_lock
from .model import Deck
from .output import package_path, staged_locks, writable_output, write_one
from .parallel import default_jobs, run_all
from .previous import schema_changes, type_changes
from .problems import ContentError, Location, OutputError, Problem, display_path
from .progress import SILENT, Progress
from .release import Release, release
from .validate import assemble_decks

CARD_FILE_PATTERNS = ("*.yaml", "*.yml")


@dataclass(frozen=True)
class DeckTotals:
    """What a deck left as its last build made it holds."""

    key: str
    name: str
    note_count: int
    card_count: int


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


def compile_decks(decks: list[Deck], progress: Progress = SILENT, memos: dict | None = None,
                  jobs: int | None = None) -> tuple[list[CompiledDeck], list[Problem]]:
    """Every deck's notes, compiled in runs of cards on `jobs` cores (default: all), and the problems of all
    decks. `memos` (deck key → NoteMemo) holds the notes earlier builds compiled, and gets the notes of this
    build; None keeps none. The notes are the same whatever the number of jobs."""
    jobs = jobs or default_jobs()
    runs = card_runs([len(deck.cards) for deck in decks], jobs)
    known = [memos[deck.header.key].known if memos is not None else None for deck in decks]
    if runs is None:  # compiled here, deck by deck, each card shown on the progress bar
        runs = [(index, 0, len(deck.cards)) for index, deck in enumerate(decks)]
        done = [compile_cards(deck, 0, len(deck.cards), known[index], progress) for index, deck in enumerate(decks)]
    else:
        steps = lambda run: run[2] - run[1]  # noqa: E731
        done = run_all(compile_run, runs, jobs, (decks, known), lambda runs: progress.over("compile", runs, steps))
    compiled, problems = [], []
    for index, deck in enumerate(decks):
        own = [cards for run, cards in zip(runs, done) if run[0] == index]
        if memos is not None:
            for cards in own:
                memos[deck.header.key].used.update(cards.used)
        deck_notes, deck_problems = deck_of(deck, own)
        compiled.append(deck_notes)
        problems += deck_problems
    return compiled, problems


PARALLEL_COMPILE_CARDS = 2000  # fewer compile in less time than worker processes take to start and report


def card_runs(counts: list[int], jobs: int) -> list[tuple[int, int, int]] | None:
    """(deck index, start, stop) of the runs of cards for workers to compile, small enough that they are kept
    busy while results come back; None when the build is too small to share or there is one core."""
    total = sum(counts)
    if jobs <= 1 or total < PARALLEL_COMPILE_CARDS:
        return None
    size = max(1, PARALLEL_COMPILE_CARDS // 2, -(-total // (jobs * 4)))
    return [(index, start, min(start + size, count))
            for index, count in enumerate(counts) for start in range(0, max(count, 1), size)]


def compile_run(index: int, start: int, stop: int) -> CompiledCards:
    """In a worker: one run of cards of the decks it shares (see parallel.in_order)."""
    decks, known = parallel.shared
    return compile_cards(decks[index], start, stop, known[index])


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
                           content: bool = True) -> list[tuple]:
    """Every deck compiled, with its lock file: (CompiledDeck, Lock or None) per deck. Raises ContentError
    with the problems of all decks, the changes since the lock files that Anki would refuse included.
    `content=False` leaves the notes' fields out of the locks: only their types are compared."""
    compiled, problems = compile_decks(decks, progress, memos, jobs)
    locks = []
    for deck in decks:
        lock, lock_problems = previous_lock(deck, options, content)
        locks.append(lock)
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
def check(paths: list[Path], progress: Progress = SILENT) -> list[CompiledDeck]:
    """Everything a build does but write: all problems of all files (changes since each deck's lock file
    that Anki would refuse included), or the decks that would be built."""
    return [deck for deck, _ in compiled_against_locks(read_decks(paths, progress), progress, content=False)]


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
    (`reuse=False` rebuilds everything). `jobs` decks are built at once (default: one per core); the
    packages are the same whatever the number."""
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
        with staged_locks([(item.lock, locks[item.deck.key]) for item in releases]):
            if jobs > 1 and len(releases) > 1:
                paths = run_all(write_one, [(item, output) for item in releases], jobs)
            else:
                paths = [write_one(item, output)
                         for item in progress.over("write", releases, steps=lambda item: len(item.deck.notes))]
        written += [Written(item.deck, path, retired=item.retired_count) for item, path in zip(releases, paths)]
        # Once the lock files are in place: the cache records them as this build left them.
        remember(cache, plan, {item.deck.key: (item, path, locks[item.deck.key])
                               for item, path in zip(releases, paths)}, memos)
    return sorted(written, key=lambda item: item.deck.key)
