"""The last build, read back from its package: which note type each card's note has in Anki.

Anki never changes an existing note's note type: a re-import whose note (matched by GUID) comes with
another note type is logged "conflicting" and the note is not updated. So a card whose type changed
since the last build would silently stop updating; deckbuilder refuses it instead. The source is the
package in the output folder; a lock file beside the cards (later work) can replace it.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from pathlib import Path

from .compile import note_guid
from .model import Card, Deck
from .notetypes import NOTE_TYPES
from .problems import Problem, display_path

CAN_DESERIALIZE = hasattr(sqlite3.Connection, "deserialize")  # Python 3.11+
CARD_TYPE_OF_NOTE_TYPE = {note_type.id: card_type for card_type, note_type in NOTE_TYPES.items()}


def previous_note_types(package: Path) -> dict[str, int]:
    """GUID → note type id of every note in the package; empty when there is none or it cannot be read."""
    try:
        with zipfile.ZipFile(package) as archive:
            connection = open_collection(archive)
        try:
            return dict(connection.execute("select guid, mid from notes"))
        finally:
            connection.close()
    except (OSError, KeyError, zipfile.BadZipFile, sqlite3.Error):
        # No previous build, or one deckbuilder cannot read: nothing to compare, and the build replaces it.
        return {}


def open_collection(archive: zipfile.ZipFile) -> sqlite3.Connection:
    """The package's collection, in memory where Python can (3.11+): a killed check leaves no file behind."""
    data = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    if CAN_DESERIALIZE:
        connection.deserialize(data)
        return connection
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "collection.anki2"
        database.write_bytes(data)
        source = sqlite3.connect(database)
        try:
            source.backup(connection)
        finally:
            source.close()
    return connection


def type_changes(deck: Deck, package: Path) -> list[Problem]:
    """A problem for each card whose note in the last build has another note type."""
    previous = previous_note_types(package)
    problems = []
    for card in deck.cards if previous else ():
        old = previous.get(note_guid(deck.header.key, card.id))
        if old is not None and old != NOTE_TYPES[card.type].id:
            problems.append(type_change(card, CARD_TYPE_OF_NOTE_TYPE.get(old), package))
    return problems


def type_change(card: Card, old: str | None, package: Path) -> Problem:
    was = f"a {old} card" if old in NOTE_TYPES and old != "relationship" else (
        "a relationship" if old else "another note type")
    now = "a relationship" if card.type == "relationship" else f"a {card.type} card"
    keep = ("keep it under 'relationships:'" if old == "relationship" else
            f"keep 'type: {old}'" if old else "keep its old type")
    return Problem(card.type_where, f"card '{card.id}' was {was} in the last build ({display_path(package)}); "
                   f"Anki would not update its note as {now}",
                   f"{keep}, or give the card a new id: its old note and review history stay in Anki")
