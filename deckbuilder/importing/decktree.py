"""Which deck of a foreign source becomes the deckbuilder deck, and where each of its notes and cards goes in it.

A deckbuilder deck has one name; its subdecks are below it. So the import takes one deck tree: the one the user
names (`--deck`), else the deepest deck that holds every card. A note is in the tree when one of its cards is (a
table's note: when its deck is); a card of it in a deck outside the tree goes with the note, as Anki's own export
of one deck leaves such cards out. Each note gets the subdeck of its cards (the deck itself if any card is there,
else its first card's), and each card in another subdeck is named in `card_subdecks`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from deckbuilder.importing.foreign import Note
from deckbuilder.importing.limits import problem
from deckbuilder.problems import ContentError


@dataclass(frozen=True)
class Placed:
    """A note of the tree: its subdeck below the deck's name ("" the deck itself), the subdeck of each card that
    the source has (by ordinal), and how many of its cards were in decks outside the tree."""

    note: Note
    subdeck: str
    card_subdecks: dict[int, str]
    outside: int


def in_tree(name: str, root: str) -> bool:
    return name == root or name.startswith(root + "::")


def relative(name: str, root: str) -> str:
    return name[len(root) + 2:] if name != root else ""


def note_decks(note: Note) -> list[str]:
    """The decks of the note's cards; a table's note (no cards): its deck, if it names one."""
    if note.cards:
        return [card.deck for card in note.cards]
    return [note.deck] if note.deck else []


def common_deck(names: list[str]) -> str | None:
    """The deepest deck that every name is, or is below; None if they have no top deck in common."""
    if not names:
        return None
    parts = names[0].split("::")
    for name in names[1:]:
        other = name.split("::")
        depth = next((index for index, (a, b) in enumerate(zip(parts, other)) if a != b), min(len(parts), len(other)))
        parts = parts[:depth]
    return "::".join(parts) or None


def choose_root(path, notes: tuple[Note, ...], wanted: str | None, fallback: str) -> str:
    """The deck to import: `wanted` (which must hold cards), the deepest deck holding every card, or `fallback`
    when the source names no decks (a table). Several top decks without `wanted` is a problem listing them."""
    names = [name for note in notes for name in note_decks(note)]
    if wanted is not None:
        if not any(in_tree(name, wanted) for name in names):
            tops = ", ".join(f"'{name}'" for name in sorted({name.split('::')[0] for name in names}))
            raise ContentError([problem(path, f"no card of the source is in deck '{wanted}' or below it",
                                        f"its decks at the top are {tops}" if tops else "")])
        return wanted
    if not names:
        return fallback
    common = common_deck(names)
    if common is None:
        counts = Counter(note_decks(note)[0].split("::")[0] for note in notes if note_decks(note))
        listed = ", ".join(f"'{name}' ({count} note{'s' if count != 1 else ''})"
                           for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        raise ContentError([problem(path, f"the source holds notes in {len(counts)} decks at the top: {listed}",
                                    "a deckbuilder deck is one deck and its subdecks: import one at a time with "
                                    "--deck NAME")])
    return common


def place_notes(notes: tuple[Note, ...], root: str) -> list[Placed]:
    """The notes of the tree, each with its subdeck and its cards' subdecks."""
    placed = []
    for note in notes:
        decks = note_decks(note)
        if decks and not any(in_tree(name, root) for name in decks):
            continue
        inside = {card.ord: relative(card.deck, root) for card in note.cards if in_tree(card.deck, root)}
        if not note.cards:
            subdeck = relative(note.deck, root) if note.deck else ""
        elif "" in inside.values():
            subdeck = ""
        else:
            subdeck = inside[min(inside)]
        placed.append(Placed(note, subdeck, inside, len(note.cards) - len(inside)))
    return placed
