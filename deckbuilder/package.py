"""Stage 4, package: compiled notes → an .apkg file, written whole or not at all."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from .compile import CompiledDeck
from .notetypes import NOTE_TYPES, to_genanki
from .render import card_ords

# Fixed zip entry times and modes: the package's bytes depend on its content only.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_collection(deck: CompiledDeck, database: Path, timestamp: int) -> None:
    """The Anki collection inside the package, written by genanki with fresh models and notes."""
    import genanki

    models = {key: to_genanki(note_type) for key, note_type in NOTE_TYPES.items()}
    anki_deck = genanki.Deck(deck.deck_id, deck.name, deck.description)
    for note in deck.notes:
        anki_note = genanki.Note(model=models[note.note_type], fields=list(note.fields),
                                 tags=list(note.tags), guid=note.guid, due=note.due)
        if NOTE_TYPES[note.note_type].is_cloze:
            # genanki finds no card for a nested deletion ({{c1::a {{c2::b}}}}); Anki would make one.
            anki_note.cards = [genanki.Card(ord_) for ord_ in card_ords(NOTE_TYPES[note.note_type], note.fields)]
        anki_deck.add_note(anki_note)
    connection = sqlite3.connect(database)
    try:
        genanki.Package(anki_deck).write_to_db(connection.cursor(), timestamp,
                                              itertools.count(timestamp * 1000))
        connection.commit()
    finally:
        connection.close()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def write_package(deck: CompiledDeck, target: Path, timestamp: int) -> None:
    """Write the .apkg beside its target and rename it into place, so a failed build leaves the old one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with tempfile.TemporaryDirectory() as scratch, os.fdopen(handle, "wb") as output:
            database = Path(scratch) / "collection.anki2"
            write_collection(deck, database, timestamp)
            with zipfile.ZipFile(output, "w") as archive:
                archive.writestr(zip_entry("collection.anki2"), database.read_bytes())
                media_names = {str(index): file.name for index, file in enumerate(deck.media)}
                archive.writestr(zip_entry("media"), json.dumps(media_names, sort_keys=True))
                for index, file in enumerate(deck.media):
                    archive.writestr(zip_entry(str(index)), file.path.read_bytes())
            output.flush()
            os.fsync(output.fileno())
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes it private; packages are shared
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
