"""An imported deck as card files: the header and the note types first, then one section per subdeck, in one file,
or for a big deck one file per section of at most NOTES_PER_FILE notes.

Why that split: a deck author finds a card by the subdeck Anki shows it in, so a file per subdeck is where they
look; and a rebuild reads again only the files that changed (see README "Speed and big decks"), so files of a
thousand notes keep an edit's rebuild short and each file quick to open, far below the 32 MB a card file may hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckbuilder.importing.cards import ImportedCard
from deckbuilder.importing.yamltext import Flow, FlowMap, document
from deckbuilder.source.cardformat import SCHEMA_FILE_NAME

NOTES_PER_FILE = 1000


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    subdeck: str


@dataclass(frozen=True)
class DeckFile:
    name: str  # in the output folder
    text: str


def comments(source: str) -> list[str]:
    return [f"yaml-language-server: $schema={SCHEMA_FILE_NAME}",
            f"Imported by 'deckbuilder import' from {source}.",
            "A note's guid and a note type's anki_id are its identity in Anki: never change them, or Anki takes it",
            "for a new note or note type. Edit anything else. The lock file beside this one keeps each note's mod:",
            "a build without an edit changes nothing in collections that have the deck."]


def deck_files(key: str, header: dict, note_types: list[dict], sections: list[Section],
               cards: list[ImportedCard], source: str) -> list[DeckFile]:
    """The deck's card files, the main one first."""
    by_section: dict[str, list[dict]] = {section.id: [] for section in sections}
    for card in cards:
        by_section[card.section].append(card.entry)
    types = [written_type(entry) for entry in note_types]
    main = {"deck": header, "note_types": types}
    if len(cards) <= NOTES_PER_FILE:
        main["sections"] = [section_entry(section, by_section[section.id], True) for section in sections]
        return [DeckFile(f"{key}.yaml", document(main, comments(source)))]
    files = [DeckFile(f"{key}.yaml", document(main, comments(source)))]
    parts = [(section, chunk, start == 0) for section in sections
             for start in range(0, max(len(by_section[section.id]), 1), NOTES_PER_FILE)
             for chunk in [by_section[section.id][start:start + NOTES_PER_FILE]]]
    width = len(str(len(parts)))
    for number, (section, chunk, first) in enumerate(parts, start=1):
        part = {"deck": key, "sections": [section_entry(section, chunk, first)]}
        note = f"Part of deck '{key}', imported by 'deckbuilder import' from {source}."
        files.append(DeckFile(f"{key}-{number:0{width}d}-{section.id}.yaml", document(part, [note])))
    return files


def section_entry(section: Section, cards: list[dict], first: bool) -> dict:
    """A section's entry; a later part of a big section only continues it (its id, no title)."""
    entry = {"id": section.id}
    if first:
        entry["title"] = section.title
        if section.subdeck:
            entry["subdeck"] = section.subdeck
    entry["cards"] = [written_card(card) for card in cards]
    return entry


def written_card(entry: dict) -> dict:
    return {key: Flow(value) if key == "tags" else value for key, value in entry.items()}


def written_type(entry: dict) -> dict:
    """A note type's entry with each field that has settings on one line."""
    return {**entry, "fields": [FlowMap(field) if isinstance(field, dict) else field for field in entry["fields"]]}
