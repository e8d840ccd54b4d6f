"""What the running Anki holds of a deck, asked through AnkiConnect: its notes, its note types, the deck itself."""

from __future__ import annotations

from deckbuilder.push.ankiconnect import AnkiConnect
from deckbuilder.push.contents import Content, NoteTypeShape

# notesInfo answers in one piece: a 100,000-note deck asks in parts, each well within the timeout.
NOTES_PER_REQUEST = 5000


def deck_query(deck: str) -> str:
    """Anki's search for the cards of a deck and its subdecks, quoted as Anki itself quotes it: in double
    quotes (a name has spaces), with the characters its search treats as special (`\\ " * _`) escaped."""
    escaped = "".join("\\" + character if character in '\\"*_' else character for character in deck)
    return f'"deck:{escaped}"'


def notes_query(deck: str, key: str) -> str:
    """The deck's notes wherever their cards are: in the deck, or moved elsewhere but tagged with the deck's key
    (`tag:key` finds `key::section` tags too; a deck key holds no character the search treats as special)."""
    return f"{deck_query(deck)} OR tag:{key}"


def held_notes(anki: AnkiConnect, deck: str, key: str) -> dict[int, Content]:
    """Note id → content of every note of the deck that Anki holds."""
    ids = anki.call("findNotes", query=notes_query(deck, key))
    held = {}
    for start in range(0, len(ids), NOTES_PER_REQUEST):
        for info in anki.call("notesInfo", notes=ids[start:start + NOTES_PER_REQUEST]):
            if info:  # a note deleted in Anki meanwhile comes back as {}
                fields = sorted(info["fields"].items(), key=lambda item: item[1]["order"])
                held[info["noteId"]] = Content.of(info["modelName"], ((name, field["value"]) for name, field in fields),
                                                  info["tags"])
    return held


def held_note_types(anki: AnkiConnect, names: list[str]) -> dict[str, NoteTypeShape | None]:
    """Each note type by name as Anki has it; None for one it does not have."""
    asked = [{"modelName": name} for name in names]
    fields, templates, styles = (anki.each(action, asked) for action in ("modelFieldNames", "modelTemplates",
                                                                         "modelStyling"))
    shapes = {}
    for name, (field_names, missing), (by_name, _), (style, _) in zip(names, fields, templates, styles):
        shapes[name] = None if missing else NoteTypeShape(
            tuple(field_names), tuple((template, sides["Front"], sides["Back"]) for template, sides in by_name.items()),
            style["css"])
    return shapes


def has_deck(anki: AnkiConnect, deck: str) -> bool:
    return deck in anki.call("deckNames")
