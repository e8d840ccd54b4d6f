"""`deckbuilder stats`: how many notes and cards each deck has, by section, by type and by tag."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from deckbuilder.source.cardformat import CARD_TYPES
from deckbuilder.model import Deck
from deckbuilder.terminal import plural, table

TYPE_ORDER = [*CARD_TYPES, "relationship"]


@dataclass(frozen=True)
class Count:
    """Notes and cards of one section, type or tag."""

    name: str
    notes: int
    cards: int
    title: str = ""  # a section's title


@dataclass(frozen=True)
class DeckStats:
    key: str
    name: str
    notes: int
    cards: int
    sections: tuple[Count, ...]
    types: tuple[Count, ...]
    tags: tuple[Count, ...]  # kind tags and the cards' own tags; section tags are in `sections`


def deck_stats(paths: list[Path]) -> list[DeckStats]:
    """The counts of every deck under `paths`, from the notes a build makes of it; raises ContentError if a
    deck has problems."""
    from deckbuilder.compiler.deck import compile_deck
    from deckbuilder.pipeline.build import read_decks

    return [count_deck(deck, compile_deck(deck)[0].notes) for deck in read_decks(paths)]


def count_deck(deck: Deck, notes) -> DeckStats:
    """A deck's counts from its compiled notes: its cards are the ones Anki makes."""
    by_notes: dict[str, Counter] = {"section": Counter(), "type": Counter(), "tag": Counter()}
    by_cards: dict[str, Counter] = {"section": Counter(), "type": Counter(), "tag": Counter()}
    section_tags = {f"{deck.header.key}::{section.id}" for section in deck.sections}
    for note in notes:
        tags = [tag for tag in note.tags if tag not in section_tags]
        for kind, name in [("section", note.section), ("type", note.note_type), *(("tag", tag) for tag in tags)]:
            by_notes[kind][name] += 1
            by_cards[kind][name] += note.card_count
    return DeckStats(
        deck.header.key, deck.header.name, len(notes), sum(by_cards["type"].values()),
        tuple(Count(section.id, by_notes["section"][section.id], by_cards["section"][section.id], section.title)
              for section in deck.sections),
        tuple(Count(name, by_notes["type"][name], by_cards["type"][name])
              for name in [*TYPE_ORDER, *(declared.key for declared in deck.note_types)] if by_notes["type"][name]),
        tuple(Count(name, by_notes["tag"][name], by_cards["tag"][name]) for name in sorted(by_notes["tag"])),
    )


def stats_lines(decks: list[DeckStats]) -> list[str]:
    """Each deck's counts as text tables."""
    lines: list[str] = []
    for deck in decks:
        if lines:
            lines.append("")
        lines += [f"{deck.key} ({deck.name}): {plural(deck.notes, 'note')}, {plural(deck.cards, 'card')}", ""]
        lines += table(("section", "title", "notes", "cards"),
                       [(count.name, count.title, count.notes, count.cards) for count in deck.sections])
        lines.append("")
        lines += table(("type", "notes", "cards"), [(count.name, count.notes, count.cards) for count in deck.types])
        if deck.tags:
            lines.append("")
            lines += table(("tag", "notes", "cards"), [(count.name, count.notes, count.cards) for count in deck.tags])
    return lines


def stats_json(decks: list[DeckStats]) -> str:
    data = [{**asdict(deck), "types": [count_json(count) for count in deck.types],
             "tags": [count_json(count) for count in deck.tags]} for deck in decks]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def count_json(count: Count) -> dict:
    """A type's or tag's counts: only sections have titles."""
    return {"name": count.name, "notes": count.notes, "cards": count.cards}
