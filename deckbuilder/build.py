"""The build as a short list of named stages: find files → load → validate → compile → package."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .compile import CompiledDeck, compile_deck
from .load import load_file
from .model import Deck
from .package import write_package
from .problems import ContentError, Location, OutputError, Problem, display_path
from .progress import SILENT, Progress
from .validate import assemble_decks, check_file

CARD_FILE_PATTERNS = ("*.yaml", "*.yml")


@dataclass(frozen=True)
class Written:
    """One package a build wrote."""

    deck: CompiledDeck
    path: Path


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


def read_decks(paths: list[Path], progress: Progress = SILENT) -> list[Deck]:
    """Load and validate every file; raises ContentError with all problems of all files."""
    files = find_card_files(paths)
    if not files:
        shown = ", ".join(display_path(path) for path in paths)
        raise ContentError([Problem(Location(shown), "no card files (*.yaml) found",
                                    "run 'deckbuilder build' where cards/ is, or name the card files")])
    parts, problems = [], []
    for path in progress.over("read", files):
        loaded, load_problems = load_file(path)
        problems += load_problems
        if loaded is not None:
            part, part_problems = check_file(loaded)
            problems += part_problems
            if part is not None:
                parts.append(part)
    decks, deck_problems = assemble_decks(parts)
    problems += deck_problems + name_clashes(decks)
    if problems:
        raise ContentError(problems)
    return decks


def name_clashes(decks: list[Deck]) -> list[Problem]:
    """Anki matches decks by name: two decks of one name would pour into one."""
    first: dict[str, Deck] = {}
    problems = []
    for deck in decks:
        other = first.setdefault(deck.header.name, deck)
        if other is not deck:
            problems.append(Problem(deck.header.where, f"deck name '{deck.header.name}' is also used by "
                                    f"deck '{other.header.key}'", "Anki would merge them; rename one"))
    return problems


def compile_decks(decks: list[Deck], progress: Progress = SILENT) -> list[CompiledDeck]:
    compiled, problems = [], []
    for deck in decks:
        result, deck_problems = compile_deck(deck, progress)
        compiled.append(result)
        problems += deck_problems
    if problems:
        raise ContentError(problems)
    return compiled


def build_time() -> int:
    """Seconds since the epoch stamped on notes: SOURCE_DATE_EPOCH when set, for reproducible builds."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None:
        return int(time.time())
    if not fixed.strip().isdigit():
        raise OutputError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not '{fixed}'")
    return int(fixed)


def check(paths: list[Path], progress: Progress = SILENT) -> list[CompiledDeck]:
    """Everything a build does but write: all problems of all files, or the decks that would be built."""
    return compile_decks(read_decks(paths, progress), progress)


def build(paths: list[Path], output: Path, progress: Progress = SILENT) -> list[Written]:
    """Check every deck first, then write each package; nothing is written if any deck has a problem."""
    compiled = check(paths, progress)
    timestamp = build_time()
    written = []
    for deck in progress.over("write", compiled, steps=lambda deck: len(deck.notes)):
        target = output / f"{deck.key}.apkg"
        try:
            write_package(deck, target, timestamp)
        except OSError as error:
            raise OutputError(f"cannot write {display_path(target)}: {error.strerror or error} "
                              "(any package already there is unchanged)") from error
        written.append(Written(deck, target))
    return written
