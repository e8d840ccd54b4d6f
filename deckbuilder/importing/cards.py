"""A foreign deck's notes as cards of the deck's own note types: each with a readable id from its first field,
its GUID, its note type's key, its tags exactly, its cards' subdecks, and its fields byte for byte (left out where
empty); grouped into one section per subdeck. What a card file cannot hold is left out and counted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deckbuilder.anki.templates import card_ords
from deckbuilder.compiler.media import SOUND_TAG
from deckbuilder.importing.decktree import Placed
from deckbuilder.importing.notetypes import ImportedType, slug_of, unique
from deckbuilder.source.assemble import RESERVED_SECTION_IDS
from deckbuilder.source.cardformat import TAG_PATTERN
from deckbuilder.source.schema import CONTROL_CHARACTER

TAG = re.compile(TAG_PATTERN + r"\Z")
OCCLUSION = re.compile(r"\{\{c\d+::image-occlusion:")  # Anki's Image Occlusion shapes, in its first field


@dataclass
class Left:
    """What could not be kept, counted for the summary."""

    refused_types: dict[str, list[str]] = field(default_factory=dict)  # why → the note types' names
    refused_notes: int = 0  # notes of those note types
    no_card: list[str] = field(default_factory=list)  # GUIDs of notes that make no card
    no_type: int = 0  # notes whose note type the source lacks
    control: list[str] = field(default_factory=list)  # GUIDs of notes whose fields lost control characters
    tags: dict[str, None] = field(default_factory=dict)  # tags a card file cannot hold
    empty_cards: int = 0  # cards the source has that their notes no longer make
    added_cards: int = 0  # cards Anki makes of the notes that the source lacks (genanki misses nested deletions)
    outside: int = 0  # cards in decks outside the tree, now with their note
    same_guid: int = 0  # notes with the GUID of an earlier one: Anki keeps one


@dataclass(frozen=True)
class ImportedCard:
    """A card entry of the card file and what the lock and the check need of it."""

    section: str
    entry: dict
    mod: int | None
    fields: tuple[str, ...]  # as written, in the note type's order ("" for empty ones)
    cards: int  # how many cards Anki makes of it


def card_name(imported: ImportedType, ord_: int) -> str:
    """How a card of the note is named in `card_subdecks`: its template's name, or c1, c2… for a cloze."""
    return f"c{ord_ + 1}" if imported.note_type.is_cloze else imported.note_type.templates[ord_].name


def imported_cards(placed: list[Placed], types: dict[int, ImportedType], sections: dict[str, str],
                   left: Left) -> list[ImportedCard]:
    """The card of every placed note that deckbuilder can build, in the source's order; `sections` maps each
    subdeck to its section's id."""
    taken: set[str] = set()
    guids: set[str] = set()
    cards = []
    for item in placed:
        imported = types.get(item.note.notetype_id)
        if imported is None:
            left.no_type += 1
            continue
        if item.note.guid is not None and item.note.guid in guids:
            left.same_guid += 1
            continue
        if imported.refused:
            left.refused_notes += 1
            left.refused_types.setdefault(imported.refused, []).append(imported.foreign.name)
            continue
        card = imported_card(item, imported, sections[item.subdeck], taken, left)
        if card is not None:
            cards.append(card)
            guids.add(item.note.guid)  # None (a table's row without one) is never looked up
    for names in left.refused_types.values():
        names[:] = list(dict.fromkeys(names))
    return cards


def imported_card(item: Placed, imported: ImportedType, section: str, taken: set[str],
                  left: Left) -> ImportedCard | None:
    note = item.note
    names = imported.note_type.fields
    fields = tuple(CONTROL_CHARACTER.sub("", text) for text in (note.fields + ("",) * len(names))[:len(names)])
    if fields != (note.fields + ("",) * len(names))[:len(names)]:
        left.control.append(note.guid or str(note.line))
    tags = [tag for tag in note.tags if TAG.match(tag)]
    left.tags.update(dict.fromkeys(tag for tag in note.tags if not TAG.match(tag)))
    ords = card_ords(imported.note_type, fields, tuple(tags))
    if not ords:
        left.no_card.append(note.guid or str(note.line))
        return None
    left.empty_cards += len(set(item.card_subdecks) - set(ords))
    left.added_cards += len(set(ords) - {card.ord for card in note.cards}) if note.cards and not item.outside else 0
    left.outside += item.outside
    entry = {"id": card_id(fields, taken)}
    if note.guid is not None:
        entry["guid"] = note.guid
    entry["type"] = imported.key
    if tags:
        entry["tags"] = tags
    elsewhere = {card_name(imported, ord_): item.card_subdecks[ord_] for ord_ in ords
                 if item.card_subdecks.get(ord_, item.subdeck) != item.subdeck}
    if elsewhere:
        entry["card_subdecks"] = elsewhere
    entry["fields"] = {name: text for name, text in zip(names, fields) if text}
    return ImportedCard(section, entry, note.mod, fields, len(ords))


def card_id(fields: tuple[str, ...], taken: set[str]) -> str:
    """A readable id from the first field that has words ('What colour?' → colour), unique in the deck; sounds and
    Image Occlusion's shapes are no words."""
    texts = (SOUND_TAG.sub("", text) for text in fields if text and not OCCLUSION.search(text))
    return unique(next((slug for text in texts if (slug := slug_of(text, "")) != ""), "card"), taken)


def section_ids(subdecks: list[str], root: str) -> dict[str, str]:
    """A section id per subdeck ("" the deck itself), from its name, unique and none of deckbuilder's own."""
    taken = set(RESERVED_SECTION_IDS)
    return {subdeck: unique(slug_of((subdeck or root.split("::")[-1]).replace("::", " "), "section"), taken)
            for subdeck in subdecks}
