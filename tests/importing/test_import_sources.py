"""`deckbuilder import` of every other kind of source, in real Anki: a CrowdAnki folder (with and without the Anki
ids of the collection it came from), Anki's own CSV export with its GUID column, a plain table, and the packages
deckbuilder and genanki write."""

from __future__ import annotations

import shutil
import textwrap
from unicodedata import normalize

import pytest

from tests.support.anki import collection_state, import_as_ankiconnect, import_package, log_counts
from tests.support.ankidecks import make_collection, write_crowdanki
from tests.support.cli import run
from tests.support.decks import tiny_png, write_every_type_deck

NOTHING = {"new": 0, "updated": 0, "conflicting": 0, "first_field_match": 0, "missing_notetype": 0, "missing_deck": 0,
           "empty_first_field": 0}


@pytest.fixture(scope="module")
def author(tmp_path_factory):
    """A CrowdAnki author's collection: deck A exported by CrowdAnki (each note type keeps its crowdanki_uuid in the
    collection, as CrowdAnki's exporter leaves it) and by File > Export; and Anki's CSV export of every note."""
    from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("author")
    source = make_collection(folder / "source")
    col = Collection(str(source))
    try:
        write_crowdanki(col, "A", folder / "crowdanki")
        for model in col.models.all():
            import uuid

            model["crowdanki_uuid"] = str(uuid.uuid5(uuid.NAMESPACE_OID, str(model["id"])))
            col.models.update_dict(model)
        col.export_anki_package(out_path=str(folder / "a.apkg"), limit=DeckIdLimit(col.decks.id_for_name("A")),
                                options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True))
        col.export_note_csv(out_path=str(folder / "notes.txt"), limit=None, with_html=True, with_tags=True,
                            with_deck=True, with_notetype=True, with_guid=True)
    finally:
        col.close()
    return folder


@pytest.fixture
def learner(author, tmp_path):
    """The author's own collection (a copy), which has the deck."""
    from anki.collection import Collection

    shutil.copytree(author / "source", tmp_path / "learner")
    col = Collection(str(tmp_path / "learner" / "collection.anki2"))
    yield col
    col.close()


@pytest.fixture
def project(tmp_path, monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    return folder


def test_a_crowdanki_deck_with_the_ids_of_its_collection_changes_nothing_there(author, learner, project):
    result = run("import", str(author / "crowdanki"), "--ids-from", str(author / "a.apkg"))
    assert result.exit_code == 0, result.output
    assert "warning: CrowdAnki keeps no Anki ids" not in result.output
    assert run("build").exit_code == 0
    before = collection_state(learner)
    assert log_counts(import_package(learner, project / "build" / "a.apkg")) == {**NOTHING, "duplicate": 10}
    assert collection_state(learner) == before


@pytest.mark.parametrize("merge", [False, True])
def test_a_crowdanki_deck_alone_brings_note_types_of_its_own(author, learner, project, merge):
    """deck.json keeps no Anki ids, so the collection that has the deck holds its note types under other ids: Anki
    adds copies ('Basic+') and updates no note (conflicting); with 'Merge note types' (AnkiConnect's option) it moves
    every note to the package's note type instead, which asks for a full sync. Reviews stay either way."""
    result = run("import", str(author / "crowdanki"))
    assert result.exit_code == 0, result.output
    assert result.output.endswith("next: 'deckbuilder build'; learners who have the deck from CrowdAnki import the "
                                  "package once with 'Merge note types' ticked (see README 'Bring your deck')\n")
    assert run("build").exit_code == 0
    before = collection_state(learner)
    log = (import_as_ankiconnect if merge else import_package)(learner, project / "build" / "a.apkg")
    after = collection_state(learner)
    moved = {"updated": 10} if merge else {"conflicting": 10}
    assert log_counts(log) == {**NOTHING, **moved, "duplicate": 0}
    assert after["revlog"] == before["revlog"]
    assert {key: card[2:] for key, card in after["cards"].items()} == \
        {key: card[2:] for key, card in before["cards"].items()}
    assert (after["scm"] == before["scm"]) != merge
    copies = sorted(model["name"] for model in learner.models.all() if model["name"].endswith("+"))
    assert len(copies) == 7 and (before["notes"] == after["notes"]) != merge


def test_ids_from_is_for_crowdanki_decks(author, project):
    result = run("import", str(author / "a.apkg"), "--ids-from", str(author / "a.apkg"))
    assert (result.exit_code, result.output) == (1, f"{author / 'a.apkg'}:1:1: --ids-from is for a CrowdAnki deck, "
                                                    "which keeps no Anki ids; this source has its own (import it "
                                                    "without --ids-from)\n1 problem found; nothing was written.\n")


def test_anki_s_csv_export_keeps_each_row_s_guid_fields_and_tags(author, project, collection):
    """A text file names its rows' note types but holds none: the stock ones are made as Anki makes them, under
    the deck's own ids."""
    result = run("import", str(author / "notes.txt"), "--deck", "A")
    assert result.exit_code == 0, result.output
    assert run("build").exit_code == 0
    import_package(collection, project / "build" / "a.apkg")
    from deckbuilder.importing.read import read_foreign

    with read_foreign(author / "notes.txt") as table:
        rows = {note.guid: note for note in table.notes if (note.deck or "").split("::")[0] == "A"}
    imported = {note.guid: note for note in map(collection.get_note, collection.find_notes(""))}
    assert set(imported) == set(rows)
    for guid, note in imported.items():
        # Anki stores a new note's text in NFC (one row is NFD: the card file keeps it as the file has it)
        assert list(note.fields) == [normalize("NFC", field) for field in rows[guid].fields[:len(note.fields)]]
        assert sorted(note.tags) == sorted(rows[guid].tags)
        assert note.note_type()["name"].rstrip("+") == rows[guid].notetype_name
    assert collection.decks.name(imported[next(iter(imported))].cards()[0].did).startswith("A")


def test_a_plain_table_gets_a_note_type_of_its_columns(project, collection):
    (project / "vocabulary.csv").write_text(textwrap.dedent("""\
        Word,Meaning,Tags
        das Haus,the house,nouns
        "der Hund","the dog, a pet",nouns animals
        """), encoding="utf-8")
    result = run("import", "vocabulary.csv")
    assert (result.exit_code, result.output.splitlines()[0]) == (
        0, "imported vocabulary.csv: Vocabulary — 2 notes, 2 cards in 1 deck, 1 note type, 0 media files")
    assert run("build").exit_code == 0
    import_package(collection, project / "build" / "vocabulary.apkg")
    notes = [collection.get_note(nid) for nid in collection.find_notes("")]
    assert [(note.note_type()["name"], list(note.keys()), list(note.fields), note.tags) for note in notes] == [
        ("vocabulary", ["Word", "Meaning"], ["das Haus", "the house"], ["nouns"]),
        ("vocabulary", ["Word", "Meaning"], ["der Hund", "the dog, a pet"], ["animals", "nouns"])]
    assert {collection.decks.name(card.did) for note in notes for card in note.cards()} == {"Vocabulary"}
    assert "<hr id=answer>" in collection.get_card(notes[0].cards()[0].id).answer()


def test_deckbuilder_s_own_package_round_trips(project, tmp_path, collection):
    """A deck built by deckbuilder, imported by a learner, then brought in by an author who has only the package."""
    write_every_type_deck(tmp_path / "original" / "cards")
    assert run("build", str(tmp_path / "original" / "cards"), "-o", str(tmp_path / "original" / "build")).exit_code == 0
    package = tmp_path / "original" / "build" / "every-type.apkg"
    import_package(collection, package)
    result = run("import", str(package))
    assert result.exit_code == 0, result.output
    assert run("build").exit_code == 0
    before = collection_state(collection)
    assert log_counts(import_package(collection, project / "build" / "every-card-type.apkg")) == \
        {**NOTHING, "duplicate": 8}
    assert collection_state(collection) == before


def test_a_genanki_package_round_trips_and_brings_the_card_genanki_lost(project, tmp_path, collection):
    """genanki makes no card of a nested deletion ({{c2::…}} inside {{c1::…}}): the learner lacks card 2, which the
    built package brings; nothing else changes."""
    import genanki

    model = genanki.Model(1607392319, "Simple Model", fields=[{"name": "Question"}, {"name": "Answer"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{FrontSide}}{{Answer}}"}])
    cloze = genanki.Model(1550428389, "My Cloze", model_type=genanki.Model.CLOZE, fields=[{"name": "Text"}],
                          templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}])
    top, sub = genanki.Deck(2059400110, "Genanki"), genanki.Deck(2059400111, "Genanki::Sub")
    top.add_note(genanki.Note(model, ['Where? <img src="dot.png">', "here"], tags=["a::b", "ü"], guid="g-1"))
    sub.add_note(genanki.Note(cloze, ["{{c1::Vienna {{c2::Austria}}}} and {{c3::Bern}}"], guid="g-2"))
    (tmp_path / "dot.png").write_bytes(tiny_png())
    genanki.Package([top, sub], media_files=[str(tmp_path / "dot.png")]).write_to_file(
        tmp_path / "genanki.apkg", timestamp=1_700_000_000)
    import_package(collection, tmp_path / "genanki.apkg")
    result = run("import", str(tmp_path / "genanki.apkg"))
    assert "  added: 1 card that Anki makes of the notes but the source lacks (genanki, for one, misses nested " \
           "cloze deletions): the next import brings it to collections that have the deck\n" in result.output
    assert run("build").exit_code == 0
    before = collection_state(collection)
    assert log_counts(import_package(collection, project / "build" / "genanki.apkg")) == {**NOTHING, "duplicate": 2}
    after = collection_state(collection)
    assert set(after["cards"]) - set(before["cards"]) == {("g-2", 1)}
    assert {key: value for key, value in after.items() if key != "cards"} == \
        {key: value for key, value in before.items() if key != "cards"}
    assert {key: card[0] for key, card in after["cards"].items()}[("g-2", 1)] == before["cards"][("g-2", 0)][0]
