"""A release → an .apkg file: Anki's collection written by genanki, zipped with the media, whole or not at all."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import warnings
import zipfile
from pathlib import Path

from deckbuilder.anki.notetypes import NOTE_TYPES, to_genanki
from deckbuilder.compiler.identity import deck_id
from deckbuilder.compiler.note import CompiledDeck
from deckbuilder.lock.release import Release
from deckbuilder.source.files import open_regular
from deckbuilder.write.atomic import default_mode, temporary_beside

# Fixed zip entry times and modes: the package's bytes depend on its content only.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_collection(release: Release, database: Path) -> None:
    """The Anki collection inside the package, written by genanki with fresh models and notes.

    genanki writes the deck and the note types it is given, then each note as it is made: no list of all
    notes is held (a big deck's notes would otherwise sit in memory twice). Every note and note type
    carries its own mod (see release.py); ids count up from the release's timestamp."""
    import genanki

    deck, timestamp = release.deck, release.timestamp
    anki_deck = genanki.Deck(deck.deck_id, deck.name, deck.description)
    types = deck.note_types or NOTE_TYPES
    used = {key: types[key] for key in dict.fromkeys(note.note_type for note in deck.notes)}
    models = {key: to_genanki(note_type) for key, note_type in used.items()}
    for model in models.values():  # the note types the notes use, in the order of first use
        anki_deck.add_model(model)
    deck_ids = package_decks(deck, used.values())
    described = {deck.subdeck_name(subdeck): text for subdeck, text in deck.subdeck_descriptions}
    subdecks = [genanki.Deck(ident, name, described.get(name, "")) for name, ident in deck_ids.items()
                if name != deck.name]
    connection = sqlite3.connect(database)
    try:
        # A scratch database: no journal file to leave behind, no waiting for the disk.
        connection.execute("pragma journal_mode = off")
        connection.execute("pragma synchronous = off")
        cursor = connection.cursor()
        ids = itertools.count(timestamp * 1000)
        genanki.Package([anki_deck, *subdecks]).write_to_db(cursor, timestamp, ids)
        finish_note_types(cursor, {key: (used[key], models[key].model_id, mod)
                                   for key, mod in release.note_type_mods.items()}, deck_ids)
        with warnings.catch_warnings():  # HTML kept as written is sent as Anki keeps it; Markdown is checked before
            warnings.filterwarnings("ignore", "Field contained the following invalid HTML tags", module="genanki")
            write_notes(cursor, release, models, deck_ids, ids)
        connection.commit()
    finally:
        connection.close()


def write_notes(cursor: sqlite3.Cursor, release: Release, models: dict, deck_ids: dict[str, int], ids) -> None:
    import genanki

    deck = release.deck
    for due, (note, mod) in enumerate(zip(deck.notes, release.mods), start=1):  # new cards in article order
        anki_note = genanki.Note(model=models[note.note_type], fields=list(note.fields),
                                 tags=note.tags, guid=note.guid, due=due)
        # The cards compile worked out as Anki does: genanki would find none for a nested deletion
        # ({{c1::a {{c2::b}}}}), and works the others out again slowly.
        anki_note.cards = [genanki.Card(ord_) for ord_ in note.card_ords]
        note_id = next(ids)
        anki_note.write_to_db(cursor, mod, deck_ids[deck.subdeck_name(note.subdeck)], itertools.chain((note_id,), ids))
        for ord_, subdeck in note.card_subdecks:  # genanki puts all of a note's cards in one deck
            cursor.execute("update cards set did = ? where nid = ? and ord = ?",
                           (deck_ids[deck.subdeck_name(subdeck)], note_id, ord_))


def package_decks(deck: CompiledDeck, note_types) -> dict[str, int]:
    """Every deck the package names (the deck, the subdecks its notes and cards go to or that it describes, its
    templates' deck overrides) → its id, in the order of first use; Anki makes their parents itself."""
    subdecks = dict.fromkeys(subdeck for note in deck.notes for subdeck in (
        note.subdeck, *(subdeck for _, subdeck in note.card_subdecks)) if subdeck)
    subdecks.update(dict.fromkeys(subdeck for subdeck, _ in deck.subdeck_descriptions))
    names = [deck.name, *(deck.subdeck_name(subdeck) for subdeck in subdecks)]
    names += [template.deck for note_type in note_types for template in note_type.templates if template.deck]
    return {name: deck.deck_id if name == deck.name else deck_id(name) for name in dict.fromkeys(names)}


def finish_note_types(cursor: sqlite3.Cursor, note_types: dict, deck_ids: dict[str, int]) -> None:
    """genanki stamps every note type with one time and knows nothing of Anki's other settings: each note type
    gets its own mod (Anki updates a note type only if its mod is newer), the settings given, and its templates'
    deck overrides as the ids of the package's decks."""
    [models_json] = cursor.execute("select models from col").fetchone()
    models = json.loads(models_json)
    for note_type, model_id, mod in note_types.values():
        model = models[str(model_id)]
        model["mod"] = mod
        model.update((key, value) for key, value in note_type.anki if key not in ("latexPre", "latexPost"))
        for template, anki_template in zip(note_type.templates, model["tmpls"]):
            if template.deck:
                anki_template["did"] = deck_ids[template.deck]
    cursor.execute("update col set models = ?", (json.dumps(models),))


def zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def copy_into(archive: zipfile.ZipFile, name: str, source: Path) -> None:
    """Stream a file into the archive: media can be large."""
    with open_regular(source) as reader, archive.open(zip_entry(name), "w") as writer:
        shutil.copyfileobj(reader, writer, 1 << 20)


def write_package_file(release: Release, target: Path, temporary: Path) -> None:
    """The package for `target`, written whole to `temporary` (beside it, to be renamed into place)."""
    deck = release.deck
    with temporary_beside(target) as database:
        write_collection(release, database)
        with open(temporary, "wb") as output:
            with zipfile.ZipFile(output, "w") as archive:
                copy_into(archive, "collection.anki2", database)
                media_names = {str(index): file.name for index, file in enumerate(deck.media)}
                archive.writestr(zip_entry("media"), json.dumps(media_names, sort_keys=True))
                for index, file in enumerate(deck.media):
                    if file.content is not None:  # made by deckbuilder (the map)
                        archive.writestr(zip_entry(str(index)), file.content)
                    else:
                        copy_into(archive, str(index), file.path)
            output.flush()
            os.fsync(output.fileno())
    os.chmod(temporary, default_mode())  # mkstemp makes it private; packages are shared
