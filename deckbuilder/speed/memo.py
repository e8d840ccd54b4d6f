"""Notes an earlier build compiled, kept by everything that went into them, so a rebuild compiles only the
cards that changed. `compile_card` is pure: the same inputs give the same note, so a remembered note is
the one it would make."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from dataclasses import dataclass, field

from deckbuilder.compiler.card import CompiledCard, DeckContext, compile_card
from deckbuilder.anki.notetypes import NOTE_TYPES
from deckbuilder.compiler.card import section_label
from deckbuilder.model import Card


@dataclass
class NoteMemo:
    """One deck's remembered compiled cards (see worth_remembering). `used` holds those of this build, all that is
    worth keeping for the next."""

    known: dict = field(default_factory=dict)  # memo key → CompiledCard
    used: dict = field(default_factory=dict)


def memo_key(card: Card, context: DeckContext) -> bytes:
    """A digest of everything that goes into a card's note: short to keep, and to send from a worker."""
    header = context.header
    section = context.sections[card.section]
    key = (header.key, header.allow_scripts, str(context.folder), str(card.folder), section_label(section),
           context.source, card.id, card.type, card.kind, card.section, card.tags,
           tuple((name, text.value) for name, text in card.fields), card.subdeck or section.subdeck,
           note_type_digest(context.note_types[card.type]) if card.type not in NOTE_TYPES else None,
           header.automatic_tags, sorted(header.missing_media), card.guid,
           tuple((name, subdeck) for name, subdeck, _ in card.card_subdecks), context.maps.signature(card.id))
    return hashlib.blake2b(repr(key).encode(), digest_size=16).digest()  # repr: each value quoted, unambiguous


@lru_cache(maxsize=64)
def note_type_digest(note_type) -> bytes:
    """A deck's own note type, as a memo key holds it: its notes' fields and cards depend on all of it."""
    return hashlib.blake2b(repr(note_type).encode(), digest_size=16).digest()


def compile_remembered(card: Card, context: DeckContext, memo: NoteMemo) -> CompiledCard:
    """The card's note from the memo if an earlier build made it, else compiled (and remembered)."""
    key = memo_key(card, context)
    known = memo.known.get(key)
    if known is not None:
        memo.used[key] = known
        return known
    compiled = compile_card(card, context)
    if worth_remembering(compiled):
        memo.used[key] = compiled
    return compiled


def worth_remembering(compiled: CompiledCard) -> bool:
    """Whether a compiled card may be reused as it is: without problems, and showing no file of the deck (it
    may change under the same name). The maps deckbuilder draws are made from the card's section, which its
    memo key holds, so they are kept with it."""
    return not compiled.problems and all(file.path is None for file in compiled.media)
