"""CSV/TSV read into the model: Anki's own "Notes in Plain Text" exports as Anki's importer reads them, and plain
tables with a header row."""

from __future__ import annotations

import shutil
import textwrap
from unicodedata import normalize

import pytest

from deckbuilder.importing.read import read_foreign
from deckbuilder.problems import ContentError
from tests.support.ankidecks import make_collection

ALL_COLUMNS = dict(with_tags=True, with_deck=True, with_notetype=True, with_guid=True)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return make_collection(tmp_path_factory.mktemp("anki") / "source")


def export_notes(collection, out, with_html: bool):
    from anki.collection import Collection

    col = Collection(str(collection))
    try:
        col.export_note_csv(out_path=str(out), limit=None, with_html=with_html, **ALL_COLUMNS)
        names = {deck["id"]: deck["name"] for deck in col.decks.all()}
        notes = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            first = min(note.cards(), key=lambda card: card.ord)
            notes[note.guid] = (note.note_type()["name"], names[first.did], tuple(note.fields), set(note.tags))
        return notes
    finally:
        col.close()


def test_anki_s_html_export_holds_the_notes_fields_byte_for_byte(source, tmp_path):
    notes = export_notes(source, tmp_path / "notes.txt", with_html=True)
    with read_foreign(tmp_path / "notes.txt") as deck:
        read = {note.guid: (note.notetype_name, note.deck, note.fields[:len(notes[note.guid][2])], set(note.tags))
                for note in deck.notes}
        assert read == notes
        assert all(not any(note.fields[len(notes[note.guid][2]):]) for note in deck.notes)  # padding columns
        assert deck.origin == "none" and deck.notetypes == () and {note.mod for note in deck.notes} == {None}
        assert deck.source.details == {"format": "Anki notes in plain text", "separator": "\t", "html": True,
                                       "field columns": None}


def anki_import(collection, path):
    """Anki's own CSV import of `path` into `collection`, with the settings it reads from the file."""
    from anki.collection import Collection, ImportCsvRequest

    col = Collection(str(collection))
    try:
        col.import_csv(ImportCsvRequest(path=str(path), metadata=col.get_csv_metadata(str(path), None)))
        return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}, col
    except BaseException:
        col.close()
        raise


def test_anki_s_text_export_reads_as_anki_s_importer_stores_it(source, tmp_path):
    """html:false: cells are escaped as Anki escapes them; importing the file updates the notes to just that (but
    for Unicode normalisation, which Anki's importer applies to what it stores: the model keeps the file's text)."""
    export_notes(source, tmp_path / "notes.txt", with_html=False)
    shutil.copytree(source.parent, tmp_path / "copy")
    notes, col = anki_import(tmp_path / "copy" / source.name, tmp_path / "notes.txt")
    try:
        with read_foreign(tmp_path / "notes.txt") as deck:
            assert {note.guid: tuple(normalize("NFC", field) for field in note.fields[:len(notes[note.guid].fields)])
                    for note in deck.notes} == \
                {guid: tuple(note.fields) for guid, note in notes.items()}
            assert any("&amp;" in field for note in deck.notes for field in note.fields)
    finally:
        col.close()


HEADED = '''\
tags:from-first-line
#separator:Semicolon;;;
#html:false
#columns:Front;Back;Labels
#notetype:Basic
#deck:Imported::Sub
#tags column:3
#a comment line in the header
"Tom & Jerry";"<cats>
and ""mice""";one two
# a comment between rows
plain;text;
'''


def test_header_lines_are_read_as_anki_reads_them(collection, tmp_path):
    path = tmp_path / "headed.csv"
    path.write_text(HEADED, encoding="utf-8")
    collection.close()
    notes, col = anki_import(tmp_path / "collection.anki2", path)
    try:
        stored = sorted((tuple(note.fields), set(note.tags), col.decks.name(note.cards()[0].did))
                        for note in notes.values())
        with read_foreign(path) as deck:
            assert sorted((note.fields, set(note.tags), note.deck) for note in deck.notes) == stored
            assert [(note.line, note.notetype_name) for note in deck.notes] == [(9, "Basic"), (12, "Basic")]
            assert deck.source.details["field columns"] == ["Front", "Back"]
    finally:
        col.close()


def test_a_plain_table_s_first_row_names_its_columns(tmp_path):
    (tmp_path / "vocab.csv").write_text(textwrap.dedent("""\
        Front,Back,Tags,Deck
        "What is <b>2+2</b>?",4,math arithmetic,Maths
        "A field, with a comma","line one
        line two",,Maths::Sub
        """), encoding="utf-8")
    with read_foreign(tmp_path / "vocab.csv") as deck:
        assert [(note.line, note.fields, note.tags, note.deck, note.guid) for note in deck.notes] == [
            (2, ("What is <b>2+2</b>?", "4"), ("math", "arithmetic"), "Maths", None),
            (3, ("A field, with a comma", "line one\nline two"), (), "Maths::Sub", None)]
        assert deck.source.details == {"format": "table with a header row", "separator": ",", "html": True,
                                       "field columns": ["Front", "Back"]}
        assert deck.warnings == ("the file does not say whether its cells are HTML: read as HTML, as Anki guesses "
                                 "from its first 5 rows",)


def test_ragged_rows_are_each_a_problem_at_their_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ragged.tsv").write_text("Front\tBack\nq1\ta1\nonly one cell\n\"multi\nline\"\ta\textra\nq4\ta4\n",
                                         encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_foreign("ragged.tsv")
    hint = "every row needs the same columns; check for a missing separator or an unclosed quote"
    assert [str(problem) for problem in error.value.problems] == [
        f"ragged.tsv:3:1: this row has 1 cell, the header row has 2 ({hint})",
        f"ragged.tsv:4:1: this row has 3 cells, the header row has 2 ({hint})"]


def test_notes_that_share_a_guid_are_said(tmp_path):
    (tmp_path / "notes.txt").write_text("#separator:tab\n#html:true\n#guid column:1\ng1\tone\ng2\ttwo\ng1\tthree\n",
                                        encoding="utf-8")
    with read_foreign(tmp_path / "notes.txt") as deck:
        assert [note.guid for note in deck.notes] == ["g1", "g2", "g1"]
        assert deck.warnings == ("two notes have the GUID g1 (lines 4 and 6): Anki matches notes by GUID, so it "
                                 "would not keep both",)
