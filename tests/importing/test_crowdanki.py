"""A CrowdAnki export (written here as CrowdAnki's exporter writes one, from a real collection) read into the
model: notes and note types as the collection holds them, ids derived and said so, and each note's cards those
Anki made."""

from __future__ import annotations


import pytest

from deckbuilder.importing.read import read_foreign
from tests.support.ankidecks import add, make_collection, write_crowdanki


@pytest.fixture(scope="module")
def crowdanki(tmp_path_factory):
    """(the CrowdAnki folder, the collection it came from as Anki reads it)."""
    from anki.collection import Collection

    folder = tmp_path_factory.mktemp("crowdanki")
    source = make_collection(folder / "source")
    col = Collection(str(source))
    try:
        add(col, "Vocab (custom)", {"Word": "水", "Meaning": "water", "Example": "", "Audio": ""}, "A::B", ["vocab"])
        add(col, "Vocab (custom)", {"Word": "火", "Meaning": "", "Example": "", "Audio": ""}, "A::B", [])
        write_crowdanki(col, "A", folder / "export")
        names = {deck["id"]: deck["name"] for deck in col.decks.all()}
        notes = {}
        for nid in col.find_notes("deck:A"):
            note = col.get_note(nid)
            model = {k: v for k, v in col.models.get(note.mid).items() if k not in ("id", "mod", "usn", "did")}
            notes[note.guid] = {"fields": tuple(note.fields), "tags": tuple(note.tags), "model": model,
                                "ords": sorted(card.ord for card in note.cards()),
                                "decks": {names[card.odid or card.did] for card in note.cards()}}
        media = {path.name: path.read_bytes() for path in (source.parent / "collection.media").iterdir()}
    finally:
        col.close()
    return folder / "export", notes, media


def exported(decks: set[str]) -> list[str]:
    """The decks of the exported tree (A and below), deepest first."""
    return sorted((name for name in decks if name == "A" or name.startswith("A::")), key=depth, reverse=True)


def depth(name: str) -> int:
    return name.count("::")


def test_notes_are_the_collection_s_without_mods(crowdanki):
    folder, notes, _ = crowdanki
    with read_foreign(folder) as deck:
        assert {note.guid: (note.fields, note.tags) for note in deck.notes} == \
            {guid: (note["fields"], note["tags"]) for guid, note in notes.items()}
        assert {note.mod for note in deck.notes} == {None}


def test_note_types_are_the_collection_s_with_derived_ids(crowdanki):
    folder, notes, _ = crowdanki
    with read_foreign(folder) as deck:
        for note in deck.notes:
            anki = dict(deck.notetype(note.notetype_id).anki)
            assert (1 << 30) <= anki.pop("id") < (1 << 31) and anki.pop("mod") is None
            assert anki.pop("crowdanki_uuid")
            model = notes[note.guid]["model"]
            assert anki == {**model, "tmpls": [{**template, "did": None} for template in model["tmpls"]]}
        assert deck.origin == "derived ids"


def test_each_note_has_the_cards_anki_made(crowdanki):
    folder, notes, _ = crowdanki
    with read_foreign(folder) as deck:
        assert {note.guid: [card.ord for card in note.cards] for note in deck.notes} == \
            {guid: note["ords"] for guid, note in notes.items()}
        # CrowdAnki's importer saves a deck's children before it: a note's cards end in its shallowest deck
        assert {note.guid: note.deck for note in deck.notes} == {guid: min(exported(note["decks"]), key=depth)
                                                                 for guid, note in notes.items()}
        assert all({card.deck for card in note.cards} == {note.deck} for note in deck.notes)


def test_media_are_the_collection_s(crowdanki):
    folder, _, media = crowdanki
    with read_foreign(folder) as deck:
        files = {file.name: file.read() for file in deck.media}
    assert {"red dot.png", "hello world.mp3"} < set(files)
    assert files == {name: media[name] for name in files}


def test_what_could_not_be_kept_is_said(crowdanki):
    folder, notes, _ = crowdanki
    with read_foreign(folder / "deck.json") as deck:
        split = {guid: sorted(exported(note["decks"]), key=depth, reverse=True) for guid, note in notes.items()
                 if len(exported(note["decks"])) > 1}
        assert sorted(deck.warnings) == sorted([
            "CrowdAnki keeps no Anki ids, mods or cards: each note type's id is derived from its crowdanki_uuid, "
            "mods are left to the writer, and each note has the cards Anki makes for its fields",
            "note type 'Vocab (custom)', template 'Production': its deck override names a deck by the author's "
            "Anki id, which deck.json does not give: left out",
        ] + [f"note {guid} is listed under " + ", ".join(f"'{name}'" for name in names[:-1]) + f" and '{names[-1]}' "
             f"(its cards were in each): all its cards go to '{names[-1]}', as CrowdAnki's importer does"
             for guid, names in split.items()])
