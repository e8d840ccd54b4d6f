"""Compiling decks on every core: their cards in runs, each run in a worker process that inherits the decks.

The workers call the compiler's pure `compile_card`, as a one-process build does; what is particular to
workers is how little they send back: a note the memo already holds is named by its memo key, and a check
gets only each run's problems and counts.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from deckbuilder.compiler.card import CompiledCard, DeckContext, compile_card
from deckbuilder.compiler.deck import assemble_deck, deck_description
from deckbuilder.compiler.notetypes import note_type_problems
from deckbuilder.compiler.note import CompiledDeck, DeckTotals
from deckbuilder.model import Deck
from deckbuilder.problems import Problem
from deckbuilder.progress import SILENT, Progress
from deckbuilder.speed import parallel
from deckbuilder.speed.memo import NoteMemo, compile_remembered, memo_key, worth_remembering
from deckbuilder.tuning import Speed

Compiled = Callable[[], tuple[list[CompiledDeck | DeckTotals], list[Problem]]]


@dataclass(frozen=True)
class RunTotals:
    """What a check needs of a run of cards: its problems and how many notes and cards it makes."""

    problems: tuple[Problem, ...]
    notes: int
    cards: int


@contextmanager
def compiling(decks: list[Deck], memos: dict[str, NoteMemo] | None, speed: Speed = Speed(),
              progress: Progress = SILENT, totals_only: bool = False) -> Iterator[Compiled]:
    """Every deck's notes, compiled in runs of cards on every core, begun at once so that the block can work
    meanwhile; its `compiled()` gives the decks (only their totals with `totals_only`) and the problems of
    all. `memos` (deck key → NoteMemo) holds the notes earlier builds made and gets those of this build;
    None remembers nothing. The notes are the same whatever the number of processes."""
    contexts = [DeckContext.of(deck) for deck in decks]
    runs = card_runs([len(deck.cards) for deck in decks], speed)
    if runs is None:  # compiled here when asked for, deck by deck, each card shown on the progress bar
        yield lambda: compiled_here(decks, contexts, memos, progress, totals_only)
        return
    known = [memos[deck.header.key].known if memos is not None else None for deck in decks]
    with parallel.started(compile_run, runs, speed.workers(), (decks, contexts, known, totals_only)) as results:
        def compiled():
            steps = lambda run: run[2] - run[1]  # noqa: E731
            done = [next(results) for _ in progress.over("compile", runs, steps)]
            return decks_of(decks, runs, done, memos, totals_only)

        yield compiled


def compiled_here(decks: list[Deck], contexts: list[DeckContext], memos: dict[str, NoteMemo] | None,
                  progress: Progress, totals_only: bool) -> tuple[list, list[Problem]]:
    compiled, problems = [], []
    for deck, context in zip(decks, contexts):
        memo = memos[deck.header.key] if memos is not None else None
        cards = (compile_card(card, context) if memo is None else compile_remembered(card, context, memo)
                 for card in progress.over(f"compile {deck.header.key}", deck.cards))
        made, deck_problems = assemble_deck(deck, cards)
        compiled.append(totals_of(made) if totals_only else made)
        problems += deck_problems
    return compiled, problems


def totals_of(deck: CompiledDeck) -> DeckTotals:
    return DeckTotals(deck.key, deck.name, deck.note_count, deck.card_count)


def card_runs(counts: list[int], speed: Speed) -> list[tuple[int, int, int]] | None:
    """(deck index, start, stop) of the runs of cards for workers to compile, small enough that they are kept
    busy while results come back; None when the build is too small to share or there is one core."""
    total, jobs = sum(counts), speed.workers()
    if jobs <= 1 or total < speed.compile_in_workers_from:
        return None
    size = max(1, speed.compile_in_workers_from // 2, -(-total // (jobs * 4)))
    return [(index, start, min(start + size, count))
            for index, count in enumerate(counts) for start in range(0, max(count, 1), size)]


def compile_run(index: int, start: int, stop: int) -> list | RunTotals:
    """In a worker: cards start…stop of deck `index` of the shared decks (see parallel.started). Each card is
    its memo key if the memo holds its note, else (its memo key or None, its CompiledCard) with the note's
    GUID and digest worked out here, on this core."""
    decks, contexts, known, totals_only = parallel.shared
    deck, context, remembered = decks[index], contexts[index], known[index]
    if totals_only:
        cards = [compile_card(card, context) for card in deck.cards[start:stop]]
        return RunTotals(tuple(problem for card in cards for problem in card.problems), len(cards),
                         sum(card.note.card_count for card in cards))
    items = []
    for card in deck.cards[start:stop]:
        key = memo_key(card, context) if remembered is not None else None
        if key is not None and key in remembered:
            items.append(key)
            continue
        compiled = compile_card(card, context)
        compiled.note.guid, compiled.note.digest  # noqa: B018  (worked out in parallel; pickled with the note)
        items.append((key if worth_remembering(compiled) else None, compiled))
    return items


def decks_of(decks: list[Deck], runs: list[tuple[int, int, int]], done: list, memos: dict[str, NoteMemo] | None,
             totals_only: bool) -> tuple[list, list[Problem]]:
    """The compiled decks (or totals) that the runs of cards make, and all their problems."""
    by_deck: list[list] = [[] for _ in decks]
    for (index, _, _), result in zip(runs, done):
        by_deck[index].append(result)
    compiled, problems = [], []
    for deck, results in zip(decks, by_deck):
        if totals_only:
            description_problems = deck_description(deck.header)[1] + note_type_problems(deck)
            problems += [problem for run in results for problem in run.problems] + description_problems
            compiled.append(DeckTotals(deck.header.key, deck.header.name, sum(run.notes for run in results),
                                       sum(run.cards for run in results)))
            continue
        memo = memos[deck.header.key] if memos is not None else None
        made, deck_problems = assemble_deck(deck, resolved(results, memo))
        compiled.append(made)
        problems += deck_problems
    return compiled, problems


def resolved(results: list[list], memo: NoteMemo | None) -> Iterator[CompiledCard]:
    """The compiled cards of a deck's runs, each note a worker named by key taken from the memo."""
    for items in results:
        for item in items:
            if type(item) is bytes:
                known = memo.known[item]
                memo.used[item] = known
                yield known
                continue
            key, compiled = item
            if key is not None and memo is not None:
                memo.used[key] = compiled
            yield compiled
