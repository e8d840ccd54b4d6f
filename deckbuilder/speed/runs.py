"""Compiling decks on every core: their cards in runs, each run in a worker process that inherits the decks."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from deckbuilder.speed import parallel
from deckbuilder.compiler.notes import CompiledCards, CompiledDeck, DeckTotals, compile_cards, deck_of
from deckbuilder.model import Deck
from deckbuilder.speed.parallel import default_jobs, started
from deckbuilder.problems import Problem
from deckbuilder.progress import SILENT, Progress

PARALLEL_COMPILE_CARDS = 2000  # fewer compile in less time than worker processes take to start and report


@contextmanager
def compiling(decks: list[Deck], progress: Progress = SILENT, memos: dict | None = None, jobs: int | None = None,
              notes: bool = True) -> Iterator[Callable[[], tuple[list[CompiledDeck | DeckTotals], list[Problem]]]]:
    """Every deck's notes, compiled in runs of cards on `jobs` cores (default: all), begun at once so that the
    block can work meanwhile; its `compiled()` gives the decks and the problems of all. `memos` (deck key →
    NoteMemo) holds the notes earlier builds compiled, and gets the notes of this build; None keeps none.
    The notes are the same whatever the number of jobs. Without `notes`, only each deck's totals are kept."""
    jobs = jobs or default_jobs()
    runs = card_runs([len(deck.cards) for deck in decks], jobs)
    known = [memos[deck.header.key].known if memos is not None else None for deck in decks]
    if runs is None:  # compiled here when asked for, deck by deck, each card shown on the progress bar
        runs = [(index, 0, len(deck.cards)) for index, deck in enumerate(decks)]
        yield lambda: decks_of(decks, runs, [compile_cards(deck, 0, len(deck.cards), known[index], progress, notes)
                                             for index, deck in enumerate(decks)], memos)
        return
    with started(compile_run, runs, jobs, (decks, known, notes)) as results:
        def compiled():
            steps = lambda run: run[2] - run[1]  # noqa: E731
            return decks_of(decks, runs, [next(results) for _ in progress.over("compile", runs, steps)], memos)

        yield compiled


def decks_of(decks: list[Deck], runs: list[tuple[int, int, int]], done: list[CompiledCards],
             memos: dict | None) -> tuple[list[CompiledDeck | DeckTotals], list[Problem]]:
    """The compiled decks that the runs of cards make, and all their problems; the memos get their notes."""
    compiled, problems = [], []
    for (index, start, _), cards in zip(runs, done):
        if memos is not None:
            memo = memos[decks[index].header.key]
            cards.resolve(memo.known, start)
            memo.used.update(cards.used)
    for index, deck in enumerate(decks):
        deck_notes, deck_problems = deck_of(deck, [cards for run, cards in zip(runs, done) if run[0] == index])
        compiled.append(deck_notes)
        problems += deck_problems
    return compiled, problems


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
    """In a worker: one run of cards of the decks it shares (see parallel.started)."""
    decks, known, notes = parallel.shared
    return compile_cards(decks[index], start, stop, known[index], stamp=notes, by_key=True)
