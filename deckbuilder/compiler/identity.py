"""The ids Anki knows a deck's notes and its deck by: derived from stable names, never typed or random."""

from __future__ import annotations

import hashlib
from functools import lru_cache


@lru_cache(maxsize=None)
def note_guid(deck_key: str, card_id: str) -> str:
    """A note's GUID comes from its deck key and card id only, so editing its text updates it in Anki."""
    import genanki

    return genanki.guid_for(deck_key, card_id)


def deck_id(name: str) -> int:
    """A fixed id derived from the deck name (Anki matches decks by name); Anki's Default deck's own, 1, for it: a
    package holds a deck 1 named Default already, and Anki would rename a second one 'Default_'."""
    if name.casefold() == "default":
        return 1
    # Below 2**39: safe in JavaScript numbers, and apart from Anki's own ids (milliseconds, over 2**40).
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return (1 << 32) + digest % (1 << 38)


def note_type_id(deck_key: str, note_type_key: str) -> int:
    """A deck's own note type's fixed id, from the deck's key and the note type's: Anki matches note types by
    it, so its name, templates and CSS may change."""
    digest = int.from_bytes(hashlib.sha256(f"note type\x1f{deck_key}\x1f{note_type_key}".encode("utf-8")).digest()[:8],
                            "big")
    return (1 << 32) + digest % (1 << 38)
