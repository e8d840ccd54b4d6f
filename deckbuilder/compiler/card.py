"""Compiling one card: a pure function of the card, its place in the deck and the deck's header.

Nothing here knows about caches or worker processes; the speed machinery (deckbuilder/speed/) calls
`compile_card` from the outside, as often and wherever it likes, and gets the same note every time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from deckbuilder.anki.notetypes import NOTE_TYPES, NoteType
from deckbuilder.anki.templates import card_ords
from deckbuilder.compiler.fields import RenderedField, render_field
from deckbuilder.compiler.map import DeckMaps
from deckbuilder.compiler.media import MediaFile, kept_media
from deckbuilder.compiler.note import CompiledNote
from deckbuilder.compiler.notetypes import deck_note_types
from deckbuilder.model import Card, Deck, DeckHeader, Section
from deckbuilder.problems import Problem

# The first word of a field's HTML, after any tags and spaces: letters only.
FIRST_WORD = re.compile(r"(?:\s|<[^>]*>)*([^\W\d_]+)")
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
    note_types: dict[str, NoteType]  # card type → note type: deckbuilder's and the deck's own
    maps: DeckMaps  # the map of each section's relationships and groups

    @classmethod
    def of(cls, deck: Deck) -> "DeckContext":
        titles = {section.id: section_label(section) for section in deck.sections}
        return cls(deck.header, deck.folder, {section.id: section for section in deck.sections},
                   source_html(deck.header), deck_note_types(deck), DeckMaps.of(deck, titles))


class CompiledCard(NamedTuple):
    """A card's note, the media files it shows and what is wrong with it (a named tuple: see RenderedField)."""

    note: CompiledNote
    media: tuple[MediaFile, ...]
    problems: tuple[Problem, ...]


def compile_card(card: Card, context: DeckContext) -> CompiledCard:
    """The note a card makes: its fields as HTML in its note type's order, its tags and its cards."""
    note_type = context.note_types[card.type]
    section = context.sections[card.section]
    header = context.header
    if card.type in NOTE_TYPES:
        rendered = built_in_fields(card, context, section)
    else:
        rendered = {name: render_field(card.type, name, text, card.folder, context.folder, header.allow_scripts,
                                       note_type.markdown, header.missing_media) for name, text in card.fields}
    media = [file for field in rendered.values() for file in field.media]
    problems = [problem for field in rendered.values() for problem in field.problems]
    fields = tuple(rendered[field].html if field in rendered else "" for field in note_type.fields)
    tags = note_tags(card, header.key) if header.automatic_tags else tuple(dict.fromkeys(card.tags))
    ords = tuple(card_ords(note_type, fields, tags))
    if not ords and not problems:
        problems.append(no_card(card, note_type))
    elsewhere, subdeck_problems = card_subdecks(card, note_type, ords)
    note = CompiledNote(header.key, card.id, section.id, card.type, fields, tags, ords, given_guid=card.guid or None,
                        field_names=note_type.fields, subdeck=card.subdeck or section.subdeck, card_subdecks=elsewhere,
                        kept_media=() if note_type.markdown else kept_media(media))
    return CompiledCard(note, tuple(media), tuple(problems + subdeck_problems))


def card_subdecks(card: Card, note_type: NoteType, ords: tuple[int, ...]) -> tuple[tuple, list[Problem]]:
    """(ord, subdeck) for each card the note sends elsewhere than its subdeck, and a problem for each name that is
    no card of it: a template's name, or c1, c2… for a cloze note type's cards."""
    if not card.card_subdecks:
        return (), []
    names = ({f"c{number + 1}": number for number in ords} if note_type.is_cloze
             else {template.name: index for index, template in enumerate(note_type.templates)})
    made = ", ".join(name for name, index in names.items() if index in ords)
    found, problems = [], []
    for name, subdeck, where in card.card_subdecks:
        if names.get(name) in ords:
            found.append((names[name], subdeck))
        elif name in names:
            problems.append(Problem(where, f"this note makes no card '{name}'", f"its fields make {made}"))
        elif note_type.is_cloze:
            problems.append(Problem(where, f"this note makes no card '{name}'",
                                    f"a cloze note's cards are c1, c2… for its deletions; this one makes {made}"))
        else:
            problems.append(Problem(where, f"note type '{note_type.name}' has no template '{name}'",
                                    "its templates are " + ", ".join(names)))
    return tuple(sorted(found)), problems


def built_in_fields(card: Card, context: DeckContext, section: Section) -> dict[str, RenderedField]:
    """The fields of a card of deckbuilder's own note types, by field name; Section, Source and Notice are ours."""
    note_type = NOTE_TYPES[card.type]
    filled = {"Section": RenderedField(html.escape(section_label(section))), "Source": RenderedField(context.source)}
    for field, key in FIELD_SOURCES.items():
        text = card.text(key)
        if field in note_type.fields and text is not None:
            filled[field] = render_field(card.type, key, text, card.folder, context.folder,
                                         context.header.allow_scripts)
    if card.type == "relationship":
        capitalise_question_starts(filled)
    shown = context.maps.for_card(card.id)
    if shown is not None:  # a relationship or group card: its back shows the section's map, its edge marked
        extra = filled.get("Extra", RenderedField(""))
        filled["Extra"] = extra._replace(html="\n".join(part for part in (extra.html, shown[0]) if part),
                                         media=extra.media + shown[1])
    return filled


def no_card(card: Card, note_type: NoteType) -> Problem:
    """Anki would make an empty card of a note whose templates all show nothing: a problem to fix instead."""
    if note_type.is_cloze:
        return Problem(card.where, f"a note of cloze note type '{note_type.name}' needs at least one deletion",
                       "mark the answer in one of its fields as {{c1::answer}}")
    return Problem(card.where, f"this note makes no card: no front of note type '{note_type.name}' shows a "
                   "field it fills", "fill a field that a template's front shows")


def capitalise_question_starts(filled: dict[str, RenderedField]) -> None:
    """A relationship's subject starts the forward question ("Killer T cells kill …?"), and with an inverse its
    object starts the reverse one: authors write the object as it reads inside the forward sentence
    ("infected cells"), so the reverse card would ask "infected cells are killed by …?"."""
    for name in ("Subject", "Object") if "Inverse" in filled else ("Subject",):
        filled[name] = filled[name]._replace(html=sentence_start(filled[name].html))


def sentence_start(html_text: str) -> str:
    """The HTML with its first word capitalised, if that word is all lower case: a word already holding a
    capital (mRNA, pH) is left as written."""
    match = FIRST_WORD.match(html_text)
    if match is None or not match.group(1).islower() or len(match.group(1)[0].upper()) != 1:
        return html_text
    start = match.start(1)
    return html_text[:start] + html_text[start].upper() + html_text[start + 1:]


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
