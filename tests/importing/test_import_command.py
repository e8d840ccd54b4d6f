"""`deckbuilder import` as a user runs it: the summary it prints, the files it writes (and never writes: over a
deck's files, outside the output folder, or anything at all when the source cannot be read), and every broken or
hostile input of tests/support/hostile.py with its exact answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.anki import collection_state, import_package, log_counts
from tests.support.ankidecks import export_all, make_collection
from tests.support.cli import run
from tests.support.hostile import CASES, cases, genanki_collection, legacy_package

SUMMARY = """\
imported modern.apkg: A — 10 notes, 16 cards in 3 decks, 7 note types, 4 media files
  wrote cards/a.yaml, cards/a.lock, cards/deckbuilder.schema.json and 4 media files
  kept: each note's GUID, fields as Anki stores them, tags and mod; each note type's Anki id, mod, fields, \
templates, CSS and settings; each card's deck
  allow_scripts: true, as the deck has scripts Anki runs: note type 'Image Occlusion', template 'Image Occlusion' \
front: a <script> element (and 1 more)
  left out: 3 notes in other decks ('Default': 1, 'Filter source': 1, 'Sprachen 日本語': 1): import them with \
--deck NAME
  1 card of these notes is in decks outside 'A': new learners get it with the rest of the note (collections that \
have it keep it where it is)
next: 'deckbuilder build': its package changes nothing in collections that have the deck
"""
MEDIA = ["blauer_Punkt_ü.png", "hello world.mp3", "occlusion.png", "red dot.png"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anki")
    return {"collection": make_collection(folder / "source"), **export_all(folder / "source" / "collection.anki2",
                                                                           folder / "exports")}


@pytest.fixture
def project(tmp_path, monkeypatch, exports):
    """A deck repository with the modern export beside its cards folder, run from its root."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    shutil.copy(exports["modern.apkg"], tmp_path / "modern.apkg")
    return tmp_path


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"<folder>"
            for path in sorted(folder.rglob("*"))}


def test_the_summary_says_what_was_written_kept_and_left_out(project):
    result = run("import", "modern.apkg", "--deck", "A")
    assert (result.exit_code, result.output) == (0, SUMMARY)
    assert sorted(path.name for path in (project / "cards").iterdir()) == sorted(
        ["a.yaml", "a.lock", "deckbuilder.schema.json", *MEDIA])
    assert run("build").output == "build/a.apkg: A — 10 notes, 16 cards\n"


def test_an_imported_card_file_reads_well_and_matches_the_schema(project):
    import jsonschema
    import yaml

    from deckbuilder.importing.read import read_foreign

    run("import", "modern.apkg", "--deck", "A")
    text = (project / "cards" / "a.yaml").read_text(encoding="utf-8")
    schema = json.loads((project / "cards" / "deckbuilder.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(text), schema)
    with read_foreign(project / "modern.apkg") as deck:
        hund = next(note.guid for note in deck.notes if note.fields[0] == "Hund")
        word = next(notetype for notetype in deck.notetypes if notetype.name == "Vocab (custom)").anki["flds"][0]["id"]
    assert f"""\
      - id: hund
        guid: {hund}
        type: basic-and-reversed-card
        tags: ['Sprachen::Deutsch']
        card_subdecks:
          Card 2: B::C
        fields:
          Front: Hund
          Back: dog
""" in text
    assert f"      - {{name: Word, anki_id: {word}, font: Noto Serif, size: 28, sticky: true}}\n" in text


def test_an_existing_deck_is_never_overwritten_without_force(project):
    assert run("import", "modern.apkg", "--deck", "A").exit_code == 0
    (project / "cards" / "a.yaml").write_text("my edits", encoding="utf-8")
    before = tree(project)
    result = run("import", "modern.apkg", "--deck", "A")
    assert (result.exit_code, result.output) == (1, "Error: cards/a.yaml already exists (nothing was written; import "
                                                    "with --force to replace the deck's files, --key to give the deck "
                                                    "another key, or -o to write elsewhere)\n")
    assert tree(project) == before
    assert run("import", "modern.apkg", "--deck", "A", "--force").exit_code == 0
    assert (project / "cards" / "a.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server")
    assert run("import", "modern.apkg", "--deck", "A", "--key", "other").exit_code == 0
    assert (project / "cards" / "other.yaml").is_file()


def test_a_media_file_of_another_deck_is_never_replaced(project):
    (project / "cards").mkdir()
    (project / "cards" / "red dot.png").write_bytes(b"another deck's picture")
    before = tree(project)
    result = run("import", "modern.apkg", "--deck", "A")
    assert (result.exit_code, result.output) == (1, "Error: cards/red dot.png already exists with other content "
                                                    "(nothing was written; import into another folder with -o, or "
                                                    "replace it with --force)\n")
    assert tree(project) == before


def test_several_top_decks_ask_for_one(project):
    result = run("import", "modern.apkg")
    assert (result.exit_code, result.output) == (1, """\
modern.apkg:1:1: the source holds notes in 4 decks at the top: 'A' (9 notes), 'Sprachen 日本語' (2 notes), 'Default' \
(1 note), 'Filter source' (1 note) (a deckbuilder deck is one deck and its subdecks: import one at a time with \
--deck NAME)
1 problem found; nothing was written.
""")
    result = run("import", "modern.apkg", "--deck", "A::X")
    assert (result.exit_code, result.output) == (1, """\
modern.apkg:1:1: no card of the source is in deck 'A::X' or below it (its decks at the top are 'A', 'Default', \
'Filter source', 'Sprachen 日本語')
1 problem found; nothing was written.
""")
    assert not (project / "cards").exists()


def test_a_wrong_key_is_wrong_usage(project):
    result = run("import", "modern.apkg", "--key", "My Deck")
    assert result.exit_code == 2 and "'My Deck' is not a deck key" in result.output


def test_a_big_deck_is_one_file_per_subdeck_and_builds_the_same(project, exports, monkeypatch, tmp_path):
    """Parts of at most NOTES_PER_FILE notes (2 here): a subdeck with more continues its section in the next."""
    from anki.collection import Collection

    monkeypatch.setattr("deckbuilder.importing.layout.NOTES_PER_FILE", 2)
    assert run("import", "modern.apkg", "--deck", "A").exit_code == 0
    assert sorted(path.name for path in (project / "cards").glob("*.yaml")) == [
        "a-1-a.yaml", "a-2-a.yaml", "a-3-a.yaml", "a-4-b.yaml", "a-5-b.yaml", "a-6-b-c.yaml", "a.yaml"]
    assert (project / "cards" / "a-2-a.yaml").read_text(encoding="utf-8").split("\n")[1:4] == [
        "deck: a", "sections:", "  - id: a"]  # continues section a: no title
    assert run("build").exit_code == 0
    shutil.copytree(exports["collection"].parent, tmp_path / "learner")
    col = Collection(str(tmp_path / "learner" / "collection.anki2"))
    try:
        before = collection_state(col)
        assert log_counts(import_package(col, project / "build" / "a.apkg"))["duplicate"] == 10
        assert collection_state(col) == before
    finally:
        col.close()
    monkeypatch.setattr("deckbuilder.importing.layout.NOTES_PER_FILE", 1000)
    assert run("import", "modern.apkg", "--deck", "A", "--force").exit_code == 0  # the parts go with the old import
    assert sorted(path.name for path in (project / "cards").glob("*.yaml")) == ["a.yaml"]


@pytest.mark.parametrize("case", CASES)
def test_each_broken_input_gives_its_exact_problems_and_writes_nothing(case, exports, tmp_path, monkeypatch):
    import zipfile

    with zipfile.ZipFile(exports["modern.apkg"]) as archive:
        schema18 = archive.read("collection.anki21b")
    name, make, expected = cases(exports, schema18)[case]
    (tmp_path / name).write_bytes(make())
    monkeypatch.chdir(tmp_path)
    result = run("import", name, "-o", "out")
    count = len(expected)
    assert (result.exit_code, result.output) == (1, "".join(line + "\n" for line in expected) + (
        f"{count} problem{'s' if count != 1 else ''} found; nothing was written.\n"))
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


def hostile_package(tmp_path: Path, front: str, model_name: str = "M", field_names=("F", "B")) -> Path:
    path = tmp_path / "stranger.apkg"
    path.write_bytes(legacy_package({}, {}, genanki_collection(front, model_name, field_names)))
    return path


def test_names_crafted_to_break_yaml_are_kept_as_they_are(tmp_path, monkeypatch, collection):
    tmp_path = tmp_path / "project"
    tmp_path.mkdir()
    monkeypatch.chdir(tmp_path)
    hostile_package(tmp_path, "'quoted' \"text\"\n---\n...\n- &a *a !!python/object:os.system",
                    "a: b\n- c # d", ("- &anchor *alias !!python", "B"))
    assert run("import", "stranger.apkg", "-o", "out").exit_code == 0
    assert run("build", "out", "-o", "build").exit_code == 0
    import_package(collection, tmp_path / "build" / "hostile.apkg")
    [note] = [collection.get_note(nid) for nid in collection.find_notes("")]
    assert note.note_type()["name"] == "a: b\n- c # d"
    assert list(note.keys()) == ["- &anchor *alias !!python", "B"]
    assert note.fields[0] == "'quoted' \"text\"\n---\n...\n- &a *a !!python/object:os.system"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build", "out", "stranger.apkg"]


def test_a_field_name_anki_would_not_keep_leaves_its_note_type_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hostile_package(tmp_path, "front", "M", ("F: {x}", "B"))
    result = run("import", "stranger.apkg", "-o", "out")
    assert (result.exit_code, result.output) == (1, """\
stranger.apkg:1:1: nothing to import: no note of deck 'Hostile' can be built (note type 'M': its field name 'F: {x}' \
is not one Anki allows (Anki removes ':', '{', '}' and '"' from a field's name, and '#', '/' or '^' before it, and its \
templates then no longer show the field))
1 problem found; nothing was written.
""")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["stranger.apkg"]


def test_scripts_media_paths_and_control_characters_in_fields(tmp_path, monkeypatch, collection):
    """A stranger's fields: scripts need allow_scripts (said), a media path that leaves the folder stays in the
    field and reaches no file (said), a control character cannot be in a card file (said)."""
    tmp_path = tmp_path / "project"
    tmp_path.mkdir()
    monkeypatch.chdir(tmp_path)
    front = '<b onclick="steal()">x</b> <img src="../../etc/passwd"> <img src="/etc/shadow"> bell\x07'
    hostile_package(tmp_path, front)
    result = run("import", "stranger.apkg", "-o", "out")
    assert (result.exit_code, result.output) == (0, """\
imported stranger.apkg: Hostile — 1 note, 1 card in 1 deck, 1 note type, 0 media files
  wrote out/hostile.yaml, out/hostile.lock, out/deckbuilder.schema.json
  kept: each note's GUID, fields as Anki stores them, tags and mod; each note type's Anki id, mod, fields, \
templates, CSS and settings; each card's deck
  allow_scripts: true, as the deck has scripts Anki runs: note hostile-1, field 1: an event handler (onclick) on <b>
  changed: control characters removed from the fields of 1 note ('hostile-1'): a card file cannot hold them
  2 media files the fields name are not in the source ('../../etc/passwd', '/etc/shadow'): listed under \
missing_media
  warning: note hostile-1 refers to media '../../etc/passwd', whose name leads to the parent folder ('..'): kept in \
the field as written, and no file is made for it
  warning: note hostile-1 refers to media '/etc/shadow', whose name is an absolute path: kept in the field as \
written, and no file is made for it
next: 'deckbuilder build': its package changes nothing in collections that have the deck
""")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "stranger.apkg"]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["deckbuilder.schema.json", "hostile.lock",
                                                                          "hostile.yaml"]
    assert run("build", "out", "-o", "build").exit_code == 0
    import_package(collection, tmp_path / "build" / "hostile.apkg")
    [note] = [collection.get_note(nid) for nid in collection.find_notes("")]
    assert note.fields[0] == front.replace("\x07", "")


def test_what_a_card_file_cannot_hold_is_left_out_and_said(tmp_path, monkeypatch):
    """A tag with a '"' (Anki's own would never have one), a note whose fields make no card any more, and a
    second note with the GUID of the first: each one line."""
    import genanki

    monkeypatch.chdir(tmp_path)
    model = genanki.Model(1234567890, "M", fields=[{"name": "F"}, {"name": "B"}],
                          templates=[{"name": "C", "qfmt": "{{F}}", "afmt": "{{FrontSide}}{{B}}"}])
    deck = genanki.Deck(2345678901, "Odd")
    deck.add_note(genanki.Note(model, ["kept", "b"], tags=["fine", 'say"what'], guid="g-1"))
    deck.add_note(genanki.Note(model, ["", "b"], guid="g-2"))
    deck.add_note(genanki.Note(model, ["again", "b"], guid="g-1"))
    genanki.Package(deck).write_to_file(tmp_path / "odd.apkg", timestamp=1_700_000_000)
    result = run("import", "odd.apkg", "-o", "out")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[3:8] == [
        "  left out: 1 note whose fields make no card any more ('g-2'): collections that have it keep it",
        "  left out: 1 note with the GUID of an earlier one: Anki would keep one of them",
        "  left out: the tags 'say\"what': a tag has no spaces or '\"'",
        "  warning: note g-2 has no cards in the package",
        "  warning: two notes have the GUID g-1: Anki matches notes by GUID, so it would not keep both"]
    assert run("build", "out", "-o", "build").output == "build/odd.apkg: Odd — 1 note, 1 card\n"


def test_table_rows_without_a_guid_get_deckbuilder_s_own(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "words.tsv").write_text("#separator:tab\n#html:true\n#guid column:1\n#deck:Words\n"
                                        "g1\tone\n\ttwo\n\tthree\ng1\tfour\n", encoding="utf-8")
    result = run("import", "words.tsv", "-o", "out")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "imported words.tsv: Words — 3 notes, 3 cards in 1 deck, 1 note type, " \
                                            "0 media files"
    text = (tmp_path / "out" / "words.yaml").read_text(encoding="utf-8")
    assert text.count("guid: g1") == 1 and text.count("guid:") == 1
    assert run("build", "out", "-o", "build").exit_code == 0


def test_a_card_its_note_no_longer_makes_is_said_and_stays_where_it_is(tmp_path, monkeypatch):
    """A cloze whose {{c3::…}} was edited away keeps card 3 in Anki until Tools > Empty Cards: the deck makes no
    such card, and a collection that has it keeps it."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    from tests.support.ankidecks import add

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        nid = add(col, "Cloze", {"Text": "{{c1::a}} {{c2::b}} {{c3::c}}"}, "Letters", [])
        note = col.get_note(nid)
        note["Text"] = "{{c1::a}} {{c2::b}} c"
        col.update_note(note)
        col.export_anki_package(out_path=str(tmp_path / "letters.apkg"), limit=None,
                                options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True))
        result = run("import", "letters.apkg", "-o", "out")
        assert "  not kept: 1 card that the notes no longer make (Anki's Tools > Empty Cards would delete it): " \
               "collections that have it keep it\n" in result.output
        assert run("build", "out", "-o", "build").exit_code == 0
        before = collection_state(col)
        assert log_counts(import_package(col, tmp_path / "build" / "letters.apkg"))["duplicate"] == 1
        assert collection_state(col) == before
    finally:
        col.close()


def test_each_line_of_the_summary_is_one_line(tmp_path, monkeypatch):
    """A name with a line break (a stranger's note type) is shown escaped, as in every problem."""
    import genanki

    monkeypatch.chdir(tmp_path)
    crafted = genanki.Model(1234567890, "a: b\n- c # d", fields=[{"name": "F: {x}"}],
                            templates=[{"name": "C", "qfmt": "{{F: {x}}}", "afmt": "{{FrontSide}}"}])
    plain = genanki.Model(1234567891, "Plain", fields=[{"name": "F"}],
                          templates=[{"name": "C", "qfmt": "{{F}}", "afmt": "{{FrontSide}}"}])
    deck = genanki.Deck(2345678901, "Mixed")
    deck.add_note(genanki.Note(crafted, ["front"], guid="g-1"))
    deck.add_note(genanki.Note(plain, ["front"], guid="g-2"))
    genanki.Package(deck).write_to_file(tmp_path / "mixed.apkg", timestamp=1_700_000_000)
    result = run("import", "mixed.apkg", "-o", "out")
    assert result.exit_code == 0, result.output
    assert "  left out: the notes of note type 'a: b\\n- c # d': its field name 'F: {x}' is not one Anki allows" \
        in result.output


def test_the_files_an_imported_note_type_names_are_recorded_so_the_first_build_changes_nothing(tmp_path,
                                                                                              monkeypatch):
    """A changed font is then refused as in any deck: Anki keeps the copy of '_hand.woff2' it has."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        (Path(col.media.dir()) / "_hand.woff2").write_bytes(b"wOF2 the first font")
        basic = col.models.by_name("Basic")
        basic["css"] += '\n@font-face { font-family: hand; src: url("_hand.woff2"); }\n'
        col.models.update_dict(basic)
        note = col.new_note(basic)
        note["Front"], note["Back"] = "casa", "house"
        col.add_note(note, col.decks.id("Words"))
        col.export_anki_package(out_path=str(tmp_path / "words.apkg"), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=True, with_media=True, legacy=False))
    finally:
        col.close()
    monkeypatch.chdir(tmp_path)
    assert run("import", "words.apkg", "--deck", "Words").exit_code == 0
    assert run("build", "--check").exit_code == 0  # the lock is as the first build writes it
    (tmp_path / "cards" / "_hand.woff2").write_bytes(b"wOF2 a better font")
    checked = run("check")
    assert checked.exit_code == 1
    assert "the file '_hand.woff2' this CSS names has changed since the last build" in checked.output
