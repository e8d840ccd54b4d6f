"""The build as a short list of named stages: find files → load → validate → compile → package."""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .buildcache import BuildCache
from .compile import CompiledDeck, compile_deck
from .incremental import plan_build, read_part, remember
from .model import Deck
from .package import output_lock, remove_leftovers, write_package
from .parallel import default_jobs, run_all
from .previous import type_changes
from .problems import ContentError, Location, OutputError, Problem, display_path
from .progress import SILENT, Progress
from .validate import assemble_decks

CARD_FILE_PATTERNS = ("*.yaml", "*.yml")
NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
NOT_ALLOWED = {errno.EACCES, errno.EPERM, errno.EROFS}


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


def read_decks(paths: list[Path], progress: Progress = SILENT) -> list[Deck]:
    """Load and validate every file; raises ContentError with all problems of all files."""
    parts, problems = [], []
    for path in progress.over("read", card_files(paths)):
        part, part_problems = read_part(path)
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


def package_path(output: Path, deck_key: str) -> Path:
    return output / f"{deck_key}.apkg"


def compile_decks(decks: list[Deck], progress: Progress = SILENT, output: Path | None = None,
                  memos: dict | None = None, jobs: int = 1) -> list[CompiledDeck]:
    """Every deck's notes, `jobs` decks at a time; raises ContentError with the problems of all decks,
    type changes included. `memos` (deck key → NoteMemo) holds the notes earlier builds compiled, and
    gets the notes of this build."""
    memos = {} if memos is None else memos
    alone = jobs <= 1 or len(decks) <= 1  # a progress bar only follows work done in this process
    results = run_all(compile_one, [(deck, output, memos.get(deck.header.key), progress if alone else None)
                                    for deck in decks], jobs)
    problems = [problem for _, deck_problems, _ in results for problem in deck_problems]
    if problems:
        raise ContentError(problems)
    memos.update((compiled.key, memo) for compiled, _, memo in results)
    return [compiled for compiled, _, _ in results]


def compile_one(deck: Deck, output: Path | None, memo, progress: Progress | None):
    """One deck's notes, its problems (type changes since the package in `output` included) and memo.
    In a worker process `progress` is None: a progress bar cannot follow it there."""
    from .compile import NoteMemo

    memo = memo or NoteMemo()
    compiled, problems = compile_deck(deck, progress or SILENT, memo)
    if output is not None:
        problems += type_changes(deck, package_path(output, deck.header.key))
    return compiled, problems, memo


def build_time() -> int:
    """Seconds since the epoch stamped on notes: SOURCE_DATE_EPOCH when set, for reproducible builds."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None:
        return int(time.time())
    if not fixed.strip().isdigit():
        raise OutputError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not '{fixed}'")
    return int(fixed)


def check(paths: list[Path], progress: Progress = SILENT, output: Path | None = None) -> list[CompiledDeck]:
    """Everything a build does but write: all problems of all files, or the decks that would be built.

    With `output`, the packages of the last build there are compared too (a card that changed type)."""
    return compile_decks(read_decks(paths, progress), progress, output)


def build(paths: list[Path], output: Path, progress: Progress = SILENT, reuse: bool = True,
          jobs: int | None = None) -> list[Written]:
    """Check every deck first, then write each package; nothing is written if any deck has a problem.

    Decks whose card files, media and package are as the last build left them are not rebuilt
    (`reuse=False` rebuilds everything). `jobs` decks are built at once (default: one per core); the
    packages are the same whatever the number."""
    jobs = jobs or default_jobs()
    cache = BuildCache.of(output)
    plan = plan_build(card_files(paths), cache, lambda key: package_path(output, key), reuse, progress)
    names = {record.name: key for key, record in plan.unchanged.items()}
    decks = assembled(plan.parts, plan.problems, names)
    memos = {deck.header.key: cache.notes(deck.header.key) for deck in decks}
    compiled = compile_decks(decks, progress, output, memos, jobs)
    timestamp = build_time()
    written = [Written(DeckTotals(key, record.name, record.notes, record.cards), package_path(output, key), True)
               for key, record in plan.unchanged.items()]
    with writable_output(output):
        if jobs > 1 and len(compiled) > 1:
            paths = run_all(write_one, [(deck, output, timestamp) for deck in compiled], jobs)
            written += [Written(deck, path) for deck, path in zip(compiled, paths)]
        else:
            for deck in progress.over("write", compiled, steps=lambda deck: len(deck.notes)):
                written.append(Written(deck, write_one(deck, output, timestamp)))
        remember(cache, plan, {item.deck.key: (item.deck, item.path) for item in written if not item.unchanged}, memos)
    return sorted(written, key=lambda item: item.deck.key)


def write_one(deck: CompiledDeck, output: Path, timestamp: int) -> Path:
    target = package_path(output, deck.key)
    try:
        write_package(deck, target, timestamp)
    except (OSError, sqlite3.Error) as error:
        raise OutputError(f"cannot write {display_path(target)}: {reason(error)} "
                          f"({what_to_do(error)}; any package already there is unchanged)") from error
    return target


@contextmanager
def writable_output(output: Path) -> Iterator[None]:
    """The output folder, made if need be and locked against other builds, cleared of killed builds' files."""
    with ExitStack() as stack:
        try:
            output.mkdir(parents=True, exist_ok=True)
            stack.enter_context(output_lock(output))
            remove_leftovers(output)
        except OSError as error:
            raise OutputError(f"cannot write to {display_path(output)}/: {reason(error)} "
                              f"({what_to_do(error)})") from error
        yield


def reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def what_to_do(error: Exception) -> str:
    """The likely way out: a full disk needs space, a protected folder another folder."""
    if isinstance(error, sqlite3.Error) or getattr(error, "errno", None) in NO_SPACE:
        return "free some disk space, or write elsewhere with -o"
    if getattr(error, "errno", None) in NOT_ALLOWED:
        return "choose a folder you can write to with -o"
    return "check the output folder, or write elsewhere with -o"
