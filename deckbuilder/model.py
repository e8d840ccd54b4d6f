"""The checked model of a deck: frozen, so no stage can change what an earlier one decided."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckbuilder.problems import Location


@dataclass(frozen=True)
class AuthoredText:
    """A text as the author wrote it (Markdown, mostly), with where it stands."""

    value: str
    where: Location


@dataclass(frozen=True)
class Source:
    title: str
    author: str = ""
    credit: str = ""
    url: str = ""
    url_where: Location | None = None


@dataclass(frozen=True)
class DeckHeader:
    key: str
    name: str
    description: AuthoredText | None
    source: Source
    where: Location
    allow_scripts: bool = False  # fields may hold scripts: the deck opted in
    automatic_tags: bool = True  # each note tagged with its section and kind; False: its own tags only
    html_description: bool = False  # the description is HTML, kept as written (`markup: html`), not Markdown
    subdeck_descriptions: tuple[tuple[str, AuthoredText], ...] = ()  # (subdeck, its description), as written
    missing_media: frozenset[str] = frozenset()  # media names cards may refer to that the deck lacks


@dataclass(frozen=True)
class Section:
    id: str
    number: int | None
    title: str
    where: Location
    subdeck: str = ""  # where its cards go below the deck ('Verbs' → '<deck name>::Verbs'); "" the deck itself


@dataclass(frozen=True)
class DeclaredField:
    """A field of a deck's own note type, with the editor settings Anki keeps (None: Anki's default)."""

    name: str
    where: Location
    font: str | None = None
    size: int | None = None
    rtl: bool | None = None
    sticky: bool | None = None
    anki: tuple[tuple[str, object], ...] = ()  # Anki's other settings, by their key in Anki: (("id", 123), …)


@dataclass(frozen=True)
class DeclaredTemplate:
    name: str
    front: AuthoredText
    back: AuthoredText
    where: Location
    anki: tuple[tuple[str, object], ...] = ()  # Anki's other settings, by their key in Anki: (("bqfmt", "…"), …)
    deck: str | None = None  # the deck Anki puts its new cards in when a note is added in Anki (full name)


@dataclass(frozen=True)
class DeclaredNoteType:
    """A note type a deck declares (`note_types:`): cards name it by its key in their `type:`."""

    key: str  # its `id`: stable, namespaced by the deck's key
    name: str
    cloze: bool
    markdown: bool  # its cards' fields are Markdown; False: HTML kept as written
    fields: tuple[DeclaredField, ...]
    templates: tuple[DeclaredTemplate, ...]
    css: AuthoredText | None  # None: deckbuilder's card.css
    sort_field: AuthoredText | None  # a field's name; None: the first field
    where: Location
    id_where: Location
    name_where: Location
    anki_id: int | None = None  # Anki's id, kept from an imported deck; None: derived from the deck's key and `key`
    anki: tuple[tuple[str, object], ...] = ()  # Anki's other settings, by their key in Anki: (("latexsvg", True), …)


@dataclass(frozen=True)
class Card:
    """One note to be: a card of any type or a relationship, in the section it belongs to."""

    id: str
    type: str  # basic, reversed, cloze, type-in or relationship
    kind: str
    section: str
    fields: tuple[tuple[str, AuthoredText], ...]  # authored text fields by name: ("front", AuthoredText(…))
    tags: tuple[str, ...]
    where: Location
    folder: Path  # the card file's folder: media paths are relative to it
    type_where: Location  # its 'type:' value, or its id where the type is not written
    lint_ignore: frozenset[str] = frozenset()  # lint rules switched off for this card
    subdeck: str = ""  # its own subdeck; "" the section's
    guid: str = ""  # the GUID its note has in Anki, kept from an imported deck; "" derived from the deck key and id
    card_subdecks: tuple[tuple[str, str, Location], ...] = ()  # (card name, subdeck, where) for cards elsewhere

    def text(self, name: str) -> AuthoredText | None:
        # A scan, not dict(self.fields): compiling asks for every field of every card, and a card has few.
        for field_name, text in self.fields:
            if field_name == name:
                return text
        return None


@dataclass(frozen=True)
class GroupMember:
    id: str
    n: int  # its deletion number in the group's set cloze
    answer: str  # as written (Markdown); empty for a retired member
    where: Location  # where its number is written


@dataclass(frozen=True)
class Group:
    """A one-to-many relation written once: every member shares one subject or one object. Its cards are in
    the deck's cards (ids '<id>.set', '<id>.<member id>', '<id>.common'); this is what the map and lint need."""

    id: str
    section: str
    shared: str  # "subject" (the subject relates to each member) or "object" (each member relates to it)
    shared_text: str
    relation: str
    members: tuple[GroupMember, ...]
    where: Location
    retired: tuple[GroupMember, ...] = ()  # members removed: their ids and numbers are never used again

    def card_id(self, part: str) -> str:
        return f"{self.id}.{part}"


@dataclass(frozen=True)
class Deck:
    header: DeckHeader
    sections: tuple[Section, ...]
    cards: tuple[Card, ...]  # in article order: by section, then as written
    files: tuple[str, ...]
    folder: Path  # the main file's folder: no media may come from outside it
    files_lint_ignore: tuple[tuple[str, frozenset[str]], ...] = ()  # (file, lint rules switched off in it)
    note_types: tuple[DeclaredNoteType, ...] = ()  # the deck's own, in the order declared
    groups: tuple[Group, ...] = ()  # in article order; their cards are among `cards`

    def note_type(self, key: str) -> DeclaredNoteType | None:
        return next((declared for declared in self.note_types if declared.key == key), None)
