"""Anki packages of every kind read into the model: what the model holds is what the source collection holds,
by Anki's own reading of it (note types, notes byte for byte, each card's deck, media bytes)."""

from __future__ import annotations

import shutil
import sys

import pytest

from deckbuilder.importing.read import read_foreign
from deckbuilder.problems import ContentError
from tests.support.ankidecks import export_all, make_collection

FULL = ["modern.apkg", "legacy.apkg", "modern.colpkg", "legacy.colpkg"]
NOSCHED = ["modern-nosched.apkg", "legacy-nosched.apkg"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The test collection and its exports: {'collection': path, 'modern.apkg': path, …}."""
    folder = tmp_path_factory.mktemp("anki")
    collection = make_collection(folder / "source")
    return {"collection": collection, **export_all(collection, folder / "exports")}


@pytest.fixture(scope="module")
def truth(exported, tmp_path_factory):
    """The source collection as Anki reads it (a copy: opening may change the file)."""
    from anki.collection import Collection

    copy = tmp_path_factory.mktemp("truth") / "source"
    shutil.copytree(exported["collection"].parent, copy)
    col = Collection(str(copy / "collection.anki2"))
    try:
        names = {deck["id"]: deck["name"] for deck in col.decks.all()}
        notetypes = {}
        for model in col.models.all():
            model = {key: value for key, value in model.items() if key != "usn"}
            model["tmpls"] = [{**t, "did": names.get(t["did"]) if t.get("did") else None} for t in model["tmpls"]]
            notetypes[model["id"]] = model
        notes = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            notes[note.guid] = (note.mid, note.mod, tuple(note.fields), tuple(note.tags),
                                {card.ord: names[card.odid or card.did] for card in note.cards()})
        media = {path.name: path.read_bytes() for path in (copy / "collection.media").iterdir()}
        descriptions = {deck["name"]: deck.get("desc", "") for deck in col.decks.all()}
        return {"notetypes": notetypes, "notes": notes, "media": media, "descriptions": descriptions}
    finally:
        col.close()


def model_notes(deck) -> dict:
    return {note.guid: (note.notetype_id, note.mod, note.fields, note.tags,
                        {card.ord: card.deck for card in note.cards}) for note in deck.notes}


@pytest.mark.parametrize("export", FULL)
def test_a_package_reads_as_its_collection_holds_it(exported, truth, export):
    with read_foreign(exported[export]) as deck:
        assert model_notes(deck) == truth["notes"]
        assert {notetype.id: notetype.anki for notetype in deck.notetypes} == \
            {ntid: truth["notetypes"][ntid] for ntid in {notetype.id for notetype in deck.notetypes}}
        assert {note.notetype_id for note in deck.notes} <= {notetype.id for notetype in deck.notetypes}
        assert {file.name: file.read() for file in deck.media} == \
            {name: data for name, data in truth["media"].items() if name in {file.name for file in deck.media}}
        assert {"red dot.png", "blauer_Punkt_ü.png", "hello world.mp3"} <= {file.name for file in deck.media}
        assert {d.name: d.description for d in deck.decks} == \
            {d.name: truth["descriptions"][d.name] for d in deck.decks}
        assert {d.name for d in deck.decks} == {"A", "A::B", "A::B::C", "Default", "Sprachen 日本語",
                                                 "Filter source"}
        assert deck.warnings == ()


@pytest.mark.parametrize("export", NOSCHED)
def test_an_export_without_scheduling_reads_as_anki_changed_it_and_says_so(exported, truth, export):
    """Anki's export without scheduling drops 'marked' and moves a filtered deck's cards (rslib gather.rs)."""
    expected = dict(truth["notes"])
    for guid, (mid, mod, fields, tags, cards) in truth["notes"].items():
        if "marked" in tags:
            expected[guid] = (mid, mod, fields, tuple(tag for tag in tags if tag != "marked"), cards)
        if "filtered" in tags:
            expected[guid] = (mid, mod, fields, tags, {0: "Filtered Deck 1"})
    with read_foreign(exported[export]) as deck:
        assert model_notes(deck) == expected
        assert deck.warnings == (
            "no card in the package was ever studied: if it was exported without scheduling, Anki left out the "
            "'marked' and 'leech' tags and put the cards of a filtered deck in a normal deck of that name (export "
            "with 'Include scheduling information' ticked to keep both)",)


def test_the_details_say_which_collection_was_read(exported):
    details = {}
    for export in FULL:
        with read_foreign(exported[export]) as deck:
            details[export] = deck.source.details
    assert details == {
        "modern.apkg": {"collection": "collection.anki21b", "package version": 3, "schema": 18},
        "legacy.apkg": {"collection": "collection.anki21", "package version": 2, "schema": 11},
        "modern.colpkg": {"collection": "collection.anki21b", "package version": 3, "schema": 18},
        "legacy.colpkg": {"collection": "collection.anki21", "package version": 2, "schema": 11},
    }


def test_scripts_in_templates_are_listed(exported):
    with read_foreign(exported["modern.apkg"]) as deck:
        assert deck.scripts == ("note type 'Image Occlusion', template 'Image Occlusion' front: a <script> element",
                                "note type 'Image Occlusion', template 'Image Occlusion' back: a <script> element")


def hide_the_anki_extra(monkeypatch):
    for name in [name for name in sys.modules if name == "anki" or name.startswith("anki.")] + ["zstandard"]:
        monkeypatch.setitem(sys.modules, name, None)


@pytest.mark.parametrize("export", ["legacy.apkg", "legacy.colpkg"])
def test_legacy_packages_need_nothing_but_the_standard_library(exported, truth, export, monkeypatch):
    hide_the_anki_extra(monkeypatch)
    with read_foreign(exported[export]) as deck:
        assert model_notes(deck) == truth["notes"]


@pytest.mark.parametrize("export", ["modern.apkg", "modern.colpkg"])
def test_a_modern_package_without_the_extra_names_it(exported, export, monkeypatch, tmp_path):
    shutil.copy(exported[export], tmp_path / export)
    monkeypatch.chdir(tmp_path)
    hide_the_anki_extra(monkeypatch)
    with pytest.raises(ContentError) as error:
        read_foreign(export)
    assert [str(problem) for problem in error.value.problems] == [
        f"{export}:1:1: a package from Anki 2.1.50 or later needs deckbuilder's 'anki' extra to be read (zstandard "
        "and anki not installed) (pip install 'deckbuilder[anki]', or export the deck from Anki with 'Support older "
        "Anki versions' ticked)"]
