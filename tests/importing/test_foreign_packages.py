"""Packages Anki did not write: deckbuilder's own and genanki's (schema 11, no 'meta', ids written as text) read
into the model as Anki's importer takes them."""

from __future__ import annotations

import pytest

from deckbuilder.importing.read import read_foreign
from tests.support.anki import import_package
from tests.support.cli import run
from tests.support.decks import tiny_png, write_every_type_deck


def as_anki_imports_it(col, package) -> tuple[dict, dict]:
    """Notes by GUID and note types by id as a fresh collection holds them after importing the package."""
    import_package(col, package)
    names = {deck["id"]: deck["name"] for deck in col.decks.all()}
    notes = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        notes[note.guid] = (note.mid, note.mod, tuple(note.fields), sorted(note.tags),  # Anki sorts them
                            {card.ord: names[card.did] for card in note.cards()})
    notetypes = {model["id"]: essentials(model) for model in col.models.all() if model["id"] in
                 {note[0] for note in notes.values()}}
    return notes, notetypes


def essentials(model: dict) -> tuple:
    """What Anki keeps of a note type as the package has it (it fills in defaults for what genanki leaves out)."""
    return (model["name"], model["mod"], model["type"], model["sortf"], model["css"],
            tuple(field["name"] for field in model["flds"]),
            tuple((template["name"], template["qfmt"], template["afmt"]) for template in model["tmpls"]))


def model_of(deck) -> tuple[dict, dict]:
    notes = {note.guid: (note.notetype_id, note.mod, note.fields, sorted(note.tags),
                         {card.ord: card.deck for card in note.cards}) for note in deck.notes}
    return notes, {notetype.id: essentials(notetype.anki) for notetype in deck.notetypes}


def test_deckbuilder_s_own_package_reads_as_anki_imports_it(tmp_path, collection, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_every_type_deck(tmp_path / "cards")
    assert run("build", "cards", "-o", "build").exit_code == 0
    with read_foreign(tmp_path / "build" / "every-type.apkg") as deck:
        assert model_of(deck) == as_anki_imports_it(collection, tmp_path / "build" / "every-type.apkg")
        assert deck.source.details == {"collection": "collection.anki2", "package version": None, "schema": 11}
        # the image, the sound, and the map of the relationships (every-type.map.…svg)
        assert {file.name[:3] for file in deck.media} == {"dot", "not", "eve"} and deck.warnings == ()


def test_a_genanki_package_reads_as_anki_imports_it(tmp_path, collection):
    genanki = pytest.importorskip("genanki")
    basic = genanki.Model(1607392319, "Simple <Model>", fields=[{"name": "Question"}, {"name": "Answer"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{FrontSide}}{{Answer}}"}],
                          css=".card { color: red; }")
    cloze = genanki.Model(1550428389, "My Cloze", model_type=genanki.Model.CLOZE, fields=[{"name": "Text"}],
                          templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}])
    top, sub = genanki.Deck(2059400110, "Genanki"), genanki.Deck(2059400111, "Genanki::Sub")
    top.add_note(genanki.Note(basic, ['Where? <img src="dot.png">', "here"], tags=["a::b", "ü"], guid="g-1"))
    sub.add_note(genanki.Note(cloze, ["{{c1::Vienna}} is in {{c2::Austria}}"], guid="g-2"))
    (tmp_path / "dot.png").write_bytes(tiny_png())
    package = genanki.Package([top, sub], media_files=[str(tmp_path / "dot.png")])
    package.write_to_file(tmp_path / "genanki.apkg", timestamp=1_700_000_000)
    with read_foreign(tmp_path / "genanki.apkg") as deck:
        assert model_of(deck) == as_anki_imports_it(collection, tmp_path / "genanki.apkg")
        assert [(file.name, file.read()) for file in deck.media] == [("dot.png", tiny_png())]
        assert [d.name for d in deck.decks] == ["Genanki", "Genanki::Sub"]
