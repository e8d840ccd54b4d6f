"""Compiling one card: a pure function of the card, its place in the deck and the deck's header.

Nothing here knows about caches or worker processes; the speed machinery (deckbuilder/speed/) calls
`compile_card` from the outside, as often and wherever it likes, and gets the same note every time.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from deckbuilder.anki.notetypes import NOTE_TYPES
from deckbuilder.anki.templates import card_ords
from deckbuilder.compiler.fields import render_field
from deckbuilder.compiler.map import DeckMaps
from deckbuilder.compiler.media import MediaFile
from deckbuilder.compiler.note import CompiledNote
from deckbuilder.model import Card, Deck, DeckHeader, Section
from deckbuilder.problems import Problem

# Which authored text goes into which note-type field; Section, Source and Notice are filled by us.
FIELD_SOURCES = {"Front": "front", "Back": "back", "Text": "text", "Extra": "extra", "Subject": "subject",
                 "Relation": "relation", "Object": "object", "Inverse": "inverse", "Why": "why"}


@dataclass(frozen=True)
class DeckContext:
    """What every card of a deck is compiled with: the deck's header, folder and sections."""

    header: DeckHeader
    folder: Path  # the deck's folder: no media may come from outside it
    sections: dict[str, Section]
    source: str  # the article's line at the foot of every back, as HTML
    maps: DeckMaps  # the map of each section's relationships and groups

    @classmethod
    def of(cls, deck: Deck) -> "DeckContext":
        titles = {section.id: section_label(section) for section in deck.sections}
        return cls(deck.header, deck.folder, {section.id: section for section in deck.sections},
                   source_html(deck.header), DeckMaps.of(deck, titles))


class CompiledCard(NamedTuple):
    """A card's note, the media files it shows and what is wrong with it (a named tuple: see RenderedField)."""

    note: CompiledNote
    media: tuple[MediaFile, ...]
    problems: tuple[Problem, ...]


def compile_card(card: Card, context: DeckContext) -> CompiledCard:
    """The note a card makes: its fields as HTML in its note type's order, its tags and its cards."""
    note_type = NOTE_TYPES[card.type]
    section = context.sections[card.section]
    filled = {"Section": html.escape(section_label(section)), "Source": context.source, "Notice": ""}
    media: list[MediaFile] = []
    problems: list[Problem] = []
    for field, key in FIELD_SOURCES.items():
        text = card.text(key)
        if field not in note_type.fields or text is None:
            continue
        rendered = render_field(card.type, key, text, card.folder, context.folder, context.header.allow_scripts)
        filled[field] = rendered.html
        media += rendered.media
        problems += rendered.problems
    shown = context.maps.for_card(card.id)
    if shown is not None:  # a relationship or group card: its back shows the section's map, its edge marked
        filled["Extra"] = "\n".join(part for part in (filled.get("Extra"), shown[0]) if part)
        media += shown[1]
    fields = tuple(filled.get(field, "") for field in note_type.fields)
    note = CompiledNote(context.header.key, card.id, section.id, card.type, fields,
                        note_tags(card, context.header.key), tuple(card_ords(note_type, fields)))
    return CompiledCard(note, tuple(media), tuple(problems))


def note_tags(card: Card, deck_key: str) -> tuple[str, ...]:
    """The section tag, the kind tag, then the card's own tags, each once."""
    tags = [f"{deck_key}::{card.section}", f"{deck_key}::kind::{card.kind}", *card.tags]
    return tuple(dict.fromkeys(tags))


def section_label(section: Section) -> str:
    return f"§{section.number} {section.title}" if section.number is not None else section.title


def source_html(header: DeckHeader) -> str:
    """The article, its byline and credit, shown at the foot of every card's back."""
    title = html.escape(header.source.title)
    if header.source.url:
        title = f'<a href="{html.escape(header.source.url)}">{title}</a>'
    parts = [title] + [html.escape(part) for part in (header.source.author, header.source.credit) if part]
    return " · ".join(parts)
