"""Packaging: what the .apkg holds, that it is written whole or not at all, and reproducible."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest

from deckbuilder.write import package
from deckbuilder.tuning import Speed
from deckbuilder.pipeline.build import build, build_time
from deckbuilder.problems import OutputError
from tests.support.decks import MINIMAL_DECK, output_files


@pytest.fixture
def deck_file(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "b.png").write_bytes(b"b")
    (tmp_path / "img" / "a.png").write_bytes(b"a")
    path = tmp_path / "deck.yaml"
    path.write_text(MINIMAL_DECK + "      - {id: pics, front: '![](img/b.png)', back: '![](img/a.png)'}\n")
    return path


def test_entries_are_deflated_with_fixed_times_and_sorted_media(tmp_path, deck_file):
    [written] = build([deck_file], tmp_path / "out")
    archive = zipfile.ZipFile(written.path)
    assert archive.namelist() == ["collection.anki2", "media", "0", "1"]
    assert {entry.compress_type for entry in archive.infolist()} == {zipfile.ZIP_DEFLATED}
    assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    media = json.loads(archive.read("media"))
    assert [media["0"][:2], media["1"][:2]] == ["a-", "b-"]
    assert (archive.read("0"), archive.read("1")) == (b"a", b"b")


def test_same_cards_and_source_date_epoch_give_identical_bytes(tmp_path, deck_file, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [first] = build([deck_file], tmp_path / "one")
    [second] = build([deck_file], tmp_path / "two")
    assert first.path.read_bytes() == second.path.read_bytes()


def test_notes_carry_guid_tags_and_due(tmp_path, deck_file, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [written] = build([deck_file], tmp_path / "out")
    (tmp_path / "db").write_bytes(zipfile.ZipFile(written.path).read("collection.anki2"))
    with sqlite3.connect(tmp_path / "db") as db:
        notes = db.execute("select guid, tags, mod from notes order by id").fetchall()
        dues = db.execute("select due from cards order by id").fetchall()
    assert [note.guid for note in written.deck.notes] == [guid for guid, _, _ in notes]
    assert {tags for _, tags, _ in notes} == {" demo::s01-intro demo::kind::fact "}
    assert {mod for _, _, mod in notes} == {1700000000}
    assert dues == [(1,), (2,)]


def test_source_date_epoch_must_be_seconds(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(OutputError, match="SOURCE_DATE_EPOCH must be whole seconds since 1970, not 'yesterday'"):
        build_time()


def test_a_failure_while_writing_leaves_the_old_package_and_no_temporary_file(tmp_path, deck_file, monkeypatch):
    [written] = build([deck_file], tmp_path / "out")
    before = written.path.read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package, "write_collection", fail)
    with pytest.raises(OutputError, match="cannot write .*demo.apkg: No space left on device "
                                          r"\(free some disk space, or write elsewhere with -o; "
                                          r"any package already there is unchanged\)"):
        build([deck_file], tmp_path / "out", speed=Speed(reuse=False))
    assert written.path.read_bytes() == before
    assert output_files(tmp_path / "out") == ["demo.apkg"]


def test_package_is_readable_by_others(tmp_path, deck_file):
    [written] = build([deck_file], tmp_path / "out")
    assert written.path.stat().st_mode & 0o044 == 0o044
