"""The round trip, by Anki's own import log: a deck imported with `deckbuilder import` and built without an edit
changes nothing in the collection it came from (0 new, 0 updated, 0 conflicting; every note, card, review, deck
and note type as it was), with Anki's default options and with AnkiConnect's; one field edited in the card file
updates exactly that note; a new learner gets every note, tag and card's deck as the source has them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from unicodedata import normalize

import pytest

from tests.support.anki import collection_state, import_as_ankiconnect, import_package, log_counts
from tests.support.ankidecks import export_all, make_collection
from tests.support.cli import run

EXPORTS = ["modern.apkg", "legacy.apkg", "modern.colpkg", "legacy.colpkg", "modern-nosched.apkg",
           "legacy-nosched.apkg", "deck-a.apkg"]
# Each top deck of the test collection, as `deckbuilder import --deck` takes it, with its key and notes.
ROOTS = {"A": ("a", 10), "Sprachen 日本語": ("sprachen", 2), "Default": ("default", 1), "Filter source": ("filter-source", 1)}
NOTHING = {"new": 0, "updated": 0, "conflicting": 0, "first_field_match": 0, "missing_notetype": 0, "missing_deck": 0,
           "empty_first_field": 0}
IMPORTS = {"Anki's defaults": import_package, "AnkiConnect's": import_as_ankiconnect}


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The test collection and its exports, and an export of deck A alone as File > Export writes one."""
    from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("anki")
    collection = make_collection(folder / "source")
    exports = export_all(collection, folder / "exports")
    col = Collection(str(collection))
    try:
        col.export_anki_package(out_path=str(folder / "exports" / "deck-a.apkg"), limit=DeckIdLimit(
            col.decks.id_for_name("A")), options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True))
    finally:
        col.close()
    return {"collection": collection, **exports, "deck-a.apkg": folder / "exports" / "deck-a.apkg"}


@pytest.fixture(scope="module")
def built(source, tmp_path_factory):
    """(export, deck) → the package `deckbuilder build` makes of `deckbuilder import`'s card files, made once."""
    made = {}

    def make(export: str, root: str) -> Path:
        if (export, root) not in made:
            folder = tmp_path_factory.mktemp("import")
            made[export, root] = import_and_build(source[export], root, folder)
        return made[export, root]

    return make


def import_and_build(export: Path, root: str, folder: Path) -> Path:
    imported = run("import", str(export), "--deck", root, "-o", str(folder / "cards"))
    assert imported.exit_code == 0, imported.output
    built = run("build", str(folder / "cards"), "-o", str(folder / "build"))
    assert built.exit_code == 0, built.output
    return folder / "build" / f"{ROOTS[root][0]}.apkg"


@pytest.fixture
def learner(source, tmp_path):
    """A copy of the collection the decks came from: the one that studied them."""
    from anki.collection import Collection

    shutil.copytree(source["collection"].parent, tmp_path / "learner")
    col = Collection(str(tmp_path / "learner" / source["collection"].name))
    yield col
    col.close()


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")


def cases():
    """Every top deck of every export; an export without scheduling moved the filtered deck's card out of its home
    deck (the reader says so, and the README advises exporting with scheduling)."""
    return [(export, root) for export in EXPORTS for root in ROOTS
            if root == "A" or export != "deck-a.apkg" and (root != "Filter source" or "nosched" not in export)]


@pytest.mark.parametrize("how", IMPORTS)
@pytest.mark.parametrize("export, root", cases())
def test_building_an_imported_deck_without_an_edit_changes_nothing_where_it_came_from(built, learner, export, root,
                                                                                     how):
    package = built(export, root)
    merge = how == "AnkiConnect's"
    before = collection_state(learner, note_type_mods=not merge)
    log = IMPORTS[how](learner, package)
    assert log_counts(log) == {**NOTHING, "duplicate": ROOTS[root][1]}
    assert collection_state(learner, note_type_mods=not merge) == before
    assert not [model["name"] for model in learner.models.all() if model["name"].endswith("+")]


def edit(folder: Path, key: str, old: str, new: str) -> None:
    path = folder / "cards" / f"{key}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("how", IMPORTS)
@pytest.mark.parametrize("export", ["modern.apkg", "legacy.apkg"])
def test_one_field_edited_updates_exactly_that_note(source, learner, tmp_path, monkeypatch, export, how):
    import_and_build(source[export], "A", tmp_path / "project")
    edit(tmp_path / "project", "a", "Back: hello world", "Back: hello, world")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000100")
    assert run("build", str(tmp_path / "project" / "cards"), "-o", str(tmp_path / "project" / "build")).exit_code == 0
    before = collection_state(learner)
    log = IMPORTS[how](learner, tmp_path / "project" / "build" / "a.apkg")
    assert log_counts(log) == {**NOTHING, "updated": 1, "duplicate": 9}
    [updated] = log.updated
    assert list(updated.fields) == ["Listen: [sound:hello world.mp3]", "hello, world"]
    after = collection_state(learner)
    changed = {guid for guid in before["notes"] if before["notes"][guid] != after["notes"][guid]}
    assert [after["notes"][guid][3] for guid in changed] == ["Listen: [sound:hello world.mp3]\x1fhello, world"]
    assert after["cards"] == before["cards"] and after["revlog"] == before["revlog"]  # every review kept


def test_a_template_edited_updates_its_note_type_in_place(source, learner, tmp_path, monkeypatch):
    import_and_build(source["modern.apkg"], "A", tmp_path / "project")
    edit(tmp_path / "project", "a", ".nightMode .example { color: #aaa; }", ".nightMode .example { color: #bbb; }")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000100")
    assert run("build", str(tmp_path / "project" / "cards"), "-o", str(tmp_path / "project" / "build")).exit_code == 0
    before = collection_state(learner)
    log = import_package(learner, tmp_path / "project" / "build" / "a.apkg")
    assert log_counts(log) == {**NOTHING, "duplicate": 10}
    after = collection_state(learner)
    vocab = learner.models.by_name("Vocab (custom)")
    assert vocab["css"].endswith(".nightMode .example { color: #bbb; }\n") and vocab["mod"] == 1800000100
    assert [field.get("id") for field in vocab["flds"]] == [field.get("id") for field in
                                                            before["note types"][vocab["id"]]["flds"]]
    assert {key: value for key, value in after.items() if key != "note types"} == \
        {key: value for key, value in before.items() if key != "note types"}
    assert len(after["note types"]) == len(before["note types"])


def test_a_new_learner_gets_every_note_tag_and_card_deck_as_the_source_has_them(source, built, collection):
    """A fresh collection: the stock note types arrive as 'Basic+' and so on (the fresh collection has its own, as
    with any shared deck); everything else is the source's, each card in its own deck (a card of deck A's notes in
    another top deck with the rest of its note)."""
    import_package(collection, built("modern.apkg", "A"))
    truth = collection_state_of(source["collection"])
    fresh = {note.guid: note for note in map(collection.get_note, collection.find_notes(""))}
    for guid, (fields, tags, decks) in truth.items():
        if guid not in fresh:
            continue
        note = fresh[guid]
        inside = {ord_: deck for ord_, deck in decks.items() if deck.split("::")[0] == "A"}
        home = inside[min(inside)] if "A" not in inside.values() else "A"
        # Anki stores a new note's text in NFC (the source holds one NFD note: the package keeps it as it is)
        assert (list(note.fields), sorted(note.tags)) == ([normalize("NFC", field) for field in fields], sorted(tags))
        assert {card.ord: collection.decks.name(card.did) for card in note.cards()} == \
            {ord_: inside.get(ord_, home) for ord_ in decks}
    assert len(fresh) == 10
    names = {model["name"] for model in collection.models.all()}
    assert {"Basic+", "Cloze+", "Image Occlusion+", "Vocab (custom)"} <= names and "Vocab (custom)+" not in names
    # Anki keeps a template's deck override as a deck id, which no package can make the learner's
    production = collection.models.by_name("Vocab (custom)")["tmpls"][1]
    assert production["did"] and production["did"] not in {deck["id"] for deck in collection.decks.all()}


def collection_state_of(path: Path) -> dict:
    """GUID → (fields, tags, {card ord: its home deck's name}) in a collection, read from a copy."""
    from anki.collection import Collection

    copy = path.parent.parent / "truth"
    if not copy.exists():
        shutil.copytree(path.parent, copy)
    col = Collection(str(copy / path.name))
    try:
        names = {deck["id"]: deck["name"] for deck in col.decks.all()}
        return {note.guid: (tuple(note.fields), tuple(note.tags),
                            {card.ord: names[card.odid or card.did] for card in note.cards()})
                for note in map(col.get_note, col.find_notes(""))}
    finally:
        col.close()


@pytest.mark.parametrize("how", IMPORTS)
def test_a_picture_replaced_under_its_own_name_reaches_the_learner_with_every_review_kept(source, learner, tmp_path,
                                                                                          monkeypatch, how):
    from tests.support.ankidecks import png

    project = tmp_path / "project"
    import_and_build(source["modern.apkg"], "A", project)
    (project / "cards" / "red dot.png").write_bytes(png(10, 200, 30))  # a better picture, under the same name
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000100")
    planned = run("plan", str(project / "cards"))
    assert ("      media file 'red dot.png': changed (where Anki has the old one, it keeps both and the note shows "
            "the new one under a name Anki gives it)") in planned.output.splitlines()
    assert run("build", str(project / "cards"), "-o", str(project / "build")).exit_code == 0
    before = collection_state(learner)
    log = IMPORTS[how](learner, project / "build" / "a.apkg")
    assert log_counts(log) == {**NOTHING, "updated": 1, "duplicate": 9}
    [note_id] = learner.find_notes('"front:What colour?*"')
    [shown] = re.findall(r'<img src="([^"]+)">', learner.get_note(note_id)["Front"])
    assert (Path(learner.media.dir()) / shown).read_bytes() == png(10, 200, 30)
    after = collection_state(learner)
    assert after["cards"] == before["cards"] and after["revlog"] == before["revlog"]  # every review kept
    again = IMPORTS[how](learner, project / "build" / "a.apkg")  # the same package: nothing more to do
    assert log_counts(again) == {**NOTHING, "duplicate": 10}
    lock = (project / "cards" / "a.lock").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000200")  # a later rebuild sends the note again no more
    assert run("build", str(project / "cards"), "-o", str(project / "build")).exit_code == 0
    assert (project / "cards" / "a.lock").read_bytes() == lock
