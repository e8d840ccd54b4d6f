"""Drafts: cards and relationships written without an `id` yet.

While an author writes, a new card may lack its id (`deckbuilder ids --write` gives it one later): it checks,
lints, previews and watches with a temporary id and a warning. A package is what learners keep, and a
note's identity in Anki comes from its id, so `build` refuses a draft.

The temporary id is `draft@<file>:<line>:<column>`: '@', ':' and '/' are not allowed in a card id, so it
can never be an id of the deck, of another draft, or of a note in the lock file (a retired card's id would
otherwise come back to life in the preview and in `plan`); being where the card stands, it is unique.
"""

from __future__ import annotations

from deckbuilder.model import Card, Deck
from deckbuilder.problems import ContentError, Location, Problem
from deckbuilder.source.cardformat import ADD_IDS

PREFIX = "draft@"


class DraftsRefused(ContentError):
    """A build met cards without an id (and maybe other problems): nothing was written."""


def draft_id(where: Location) -> str:
    return f"{PREFIX}{where}"


def is_draft(card_id: str) -> bool:
    return card_id.startswith(PREFIX)


def what(card: Card) -> str:
    return "relationship" if card.type == "relationship" else "card"


def draft_warning(card: Card) -> Problem:
    """What check, lint, preview, plan and watch say of a draft."""
    return Problem(card.where, f"this {what(card)} has no id yet: a draft, shown as '{card.id}'",
                   f"'deckbuilder build' needs one: {ADD_IDS}", warning=True)


def draft_refusal(card: Card) -> Problem:
    """What build says of a draft: learners' notes are known by their ids."""
    return Problem(card.where, f"this {what(card)} has no id, and a package needs one for every note",
                   ADD_IDS)


def draft_warnings(decks: list[Deck]) -> list[Problem]:
    return [draft_warning(card) for deck in decks for card in deck.cards if is_draft(card.id)]


def draft_refusals(decks: list[Deck]) -> list[Problem]:
    return [draft_refusal(card) for deck in decks for card in deck.cards if is_draft(card.id)]
