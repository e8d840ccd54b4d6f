"""What the compiler makes: the notes Anki will get, and the deck they form."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

from deckbuilder.anki.notetypes import NoteType
from deckbuilder.compiler.identity import note_guid
from deckbuilder.compiler.media import MediaFile


@dataclass(frozen=True)
class CompiledNote:
    """One note as Anki gets it. Its position in its deck is its `due`: new cards come in article order."""

    deck_key: str
    card_id: str
    section: str  # the id of the section the card is in
    note_type: str  # its card type: a key of NOTE_TYPES or the id of a note type the deck declares
    fields: tuple[str, ...]  # HTML, in the note type's field order
    tags: tuple[str, ...]
    card_ords: tuple[int, ...]  # the cards Anki makes of the note: template or cloze numbers, from 0
    given_guid: str | None = None  # a GUID the note already has in Anki (a retired note's, from the lock)
    field_names: tuple[str, ...] = ()  # its note type's, in order (one tuple shared by all its notes)
    subdeck: str = ""  # where its cards go below the deck; "" the deck itself
    card_subdecks: tuple[tuple[int, str], ...] = ()  # (ord, subdeck) of its cards that go elsewhere
    # (name, hash of the content) of each file its fields name under the file's own name (a note type kept as
    # HTML): a changed file keeps its name, so the fields alone do not show the change; see lock/release.py
    kept_media: tuple[tuple[str, str], ...] = ()

    @cached_property
    def guid(self) -> str:
        return self.given_guid or note_guid(self.deck_key, self.card_id)

    @cached_property
    def digest(self) -> str:
        """A hash of everything that reaches Anki: equal digests, nothing for Anki to update."""
        return note_digest(self.note_type, self.field_names, self.fields, self.tags)

    @property
    def card_count(self) -> int:
        return len(self.card_ords)


@dataclass(frozen=True)
class CompiledDeck:
    key: str
    name: str
    deck_id: int
    description: str
    notes: tuple[CompiledNote, ...]
    media: tuple[MediaFile, ...]
    note_types: dict[str, NoteType] | None = None  # card type → note type: deckbuilder's and the deck's own
    section_titles: tuple[tuple[str, str], ...] = ()  # (section id, its label as HTML), in order
    subdeck_descriptions: tuple[tuple[str, str], ...] = ()  # (subdeck, its description as HTML)
    template_media: tuple[tuple[str, str], ...] = ()  # (name, content hash) of the files its note types name

    def subdeck_name(self, subdeck: str) -> str:
        """The Anki deck a note of this subdeck goes to."""
        return f"{self.name}::{subdeck}" if subdeck else self.name

    @property
    def note_count(self) -> int:
        return len(self.notes)

    @property
    def card_count(self) -> int:
        return sum(note.card_count for note in self.notes)


@dataclass(frozen=True)
class DeckTotals:
    """How many notes and cards a deck makes (of a check, or as its last build left it)."""

    key: str
    name: str
    note_count: int
    card_count: int


def note_digest(note_type: str, names: tuple[str, ...], fields: tuple[str, ...], tags: tuple[str, ...]) -> str:
    """A hash of a note's note type, fields (by name, in the note type's order, empty ones left out) and
    tags."""
    # Card files cannot hold control characters and tags hold no spaces: joined with these, different
    # notes never give the same text.
    named = "\x1f".join(f"{name}\x1d{value}" for name, value in zip(names, fields) if value)
    text = "\x1e".join([note_type, named, " ".join(tags)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
