"""What a push's import does that a double-click import does not, held to what README "Push to Anki desktop" says.

AnkiConnect's `importPackage` runs `anki.importing.AnkiPackageImporter`, which imports with 'Merge note types',
'Import scheduling' and 'Import deck presets' on; File > Import and a double-click start with them off. Both
are used here on a real collection with the `anki` package, as desktop Anki runs them.
"""

from __future__ import annotations

import pytest

from tests.support.anki import import_package
from tests.support.cli import run
from tests.support.decks import MINIMAL_DECK

BUILD_TIME = 1700000000  # SOURCE_DATE_EPOCH of deck_project's builds: every mod in the package


def pushed(col, package) -> None:
    """Import as AnkiConnect's importPackage does (its very importer)."""
    from anki.importing import AnkiPackageImporter

    AnkiPackageImporter(col, str(package)).run()
    col.models._clear_cache()


@pytest.fixture
def package(deck_project):
    project = deck_project(MINIMAL_DECK)
    assert run("build").exit_code == 0
    return project / "build" / "demo.apkg"


def note_type(col):
    return col.models.by_name("deckbuilder Basic")


def test_a_push_stamps_the_note_types_as_modified_and_a_double_click_does_not(collection, package):
    import_package(collection, package)
    import_package(collection, package)
    assert note_type(collection)["mod"] == BUILD_TIME, "the package's own"
    schema = collection.db.scalar("select scm from col")
    pushed(collection, package)
    assert note_type(collection)["mod"] > BUILD_TIME, "now: modified, for the next sync to upload"
    assert collection.db.list("select mod from notes") == [BUILD_TIME], "the notes are left alone"
    assert collection.db.scalar("select scm from col") == schema, "no full sync"


def test_a_push_leaves_import_options_ticked_for_the_next_file_import(collection, package):
    before = collection._backend.get_import_anki_package_presets()
    assert (before.merge_notetypes, before.with_scheduling, before.with_deck_configs) == (False, False, False)
    pushed(collection, package)
    after = collection._backend.get_import_anki_package_presets()
    assert (after.merge_notetypes, after.with_scheduling, after.with_deck_configs) == (True, True, True)


def test_a_push_never_changes_deck_options(collection, package):
    default = collection.decks.get_config(1)
    default["new"]["perDay"] = 3
    collection.decks.update_config(default)
    pushed(collection, package)
    pushed(collection, package)
    deck = collection.decks.by_name("Demo deck")
    assert deck["conf"] == 1 and collection.decks.get_config(1)["new"]["perDay"] == 3


def test_a_note_moved_to_another_note_type_in_anki_is_moved_back_and_asks_for_a_full_sync(collection, package):
    pushed(collection, package)
    [note_id] = collection.find_notes("")
    basic = collection.models.by_name("Basic")
    change = collection.models.change_notetype_info(old_notetype_id=note_type(collection)["id"],
                                                   new_notetype_id=basic["id"]).input
    change.note_ids.extend([note_id])
    collection.models.change_notetype_of_notes(change)
    collection.db.execute("update col set scm = 1")  # as after the full sync that change asked for
    import_package(collection, package)
    assert collection.get_note(note_id).note_type()["name"] == "Basic", "a double-click leaves it"
    pushed(collection, package)
    assert collection.get_note(note_id).note_type()["name"] == "deckbuilder Basic"
    assert collection.db.scalar("select scm from col") != 1, "a full sync"
    assert collection.models.by_name("Basic") is None, "Basic, left without notes, was merged away"
