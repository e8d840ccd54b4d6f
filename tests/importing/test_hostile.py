"""Broken and hostile inputs, each made here, each with its exact answer: one `path: what is wrong (hint)` problem
per thing wrong (never a traceback), or a warning where the deck can still be read. A shared deck is a file from
a stranger. The cases live in tests/support/hostile.py: `deckbuilder import` is held to them too."""

from __future__ import annotations

import json
import zipfile

import pytest

from deckbuilder.importing.limits import Limits
from deckbuilder.importing.read import read_foreign
from deckbuilder.problems import ContentError
from tests.support.ankidecks import export_all, make_collection
from tests.support.hostile import (AGAIN, CASES, cases, genanki_collection, legacy_package, modern_package, zip_of,
                                   zstd_frame, zstd_zeros)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anki")
    return export_all(make_collection(folder / "source"), folder / "exports")


@pytest.fixture(scope="module")
def schema18(exports) -> bytes:
    """A real zstd schema-18 collection, as Anki's modern export holds it."""
    with zipfile.ZipFile(exports["modern.apkg"]) as archive:
        return archive.read("collection.anki21b")


@pytest.mark.parametrize("case", CASES)
def test_each_broken_input_gives_its_exact_problems(case, exports, schema18, tmp_path, monkeypatch):
    name, make, expected = cases(exports, schema18)[case]
    (tmp_path / name).write_bytes(make())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as error:
        read_foreign(name)
    assert [str(problem) for problem in error.value.problems] == expected
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]  # nothing written beside it


def read_problems(path, **kwargs) -> list[str]:
    with pytest.raises(ContentError) as error:
        read_foreign(path, **kwargs)
    return [str(problem) for problem in error.value.problems]


def test_a_zstd_collection_is_stopped_at_the_limit_while_it_streams(schema18, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bomb.apkg").write_bytes(modern_package(zstd_zeros(64 << 20), []))
    assert read_problems("bomb.apkg", limits=Limits(max_collection=8 << 20)) == [
        "bomb.apkg:1:1: collection.anki21b decompresses to more than 8,388,608 bytes, the limit for a collection"]


def test_a_media_file_is_read_no_further_than_its_map_says(schema18, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bomb.apkg").write_bytes(modern_package(schema18, [
        ("small.png", b"ten bytes!", zstd_zeros(1 << 30)), ("lies.png", b"declared", zstd_frame(b"different")),
        ("other.png", b"declared", zstd_frame(b"DECLARED"))]))
    with read_foreign("bomb.apkg") as deck:
        files = {file.name: file for file in deck.media}
        for name in files:
            with pytest.raises(ContentError) as error:
                files[name].read()
            assert [str(problem) for problem in error.value.problems] == {
                "small.png": [f"bomb.apkg:1:1: media file 'small.png' (zip file '0') decompresses to more than 10 "
                              f"bytes, more than its media map says ({AGAIN})"],
                "lies.png": [f"bomb.apkg:1:1: media file 'lies.png' (zip file '1') decompresses to more than 8 bytes, "
                             f"more than its media map says ({AGAIN})"],
                "other.png": ["bomb.apkg:1:1: media file 'other.png' (zip file '2') does not match its size and "
                              f"checksum in the media map ({AGAIN})"]}[name]


def test_what_can_still_be_read_is_read_and_the_rest_is_said(tmp_path):
    collection = genanki_collection(front='<img src="../../etc/passwd"> <img src="gone.png"> <b onclick="x()">'
                                          '[sound:con.txt]')
    (tmp_path / "deck.apkg").write_bytes(legacy_package({"0": "con.txt", "1": "missing.png"}, {"0": b"text"},
                                                        collection))
    with read_foreign(tmp_path / "deck.apkg") as deck:
        assert [(file.name, file.read()) for file in deck.media] == [("con.txt", b"text")]
        assert deck.warnings == (
            "media file 'con.txt': Anki stores it as 'con_.txt' when it imports this package; kept as 'con.txt'",
            "media file 'missing.png' is missing from the package (its media map names zip file '1', which is not "
            "there): left out",
            "note hostile-1 refers to media '../../etc/passwd', whose name leads to the parent folder ('..'): kept "
            "in the field as written, and no file is made for it",
            "1 media file that notes refer to is not in the source: gone.png")
        assert deck.scripts == ("note hostile-1, field 1: an event handler (onclick) on <b>",)


def test_names_crafted_to_break_yaml_are_kept_as_plain_strings(tmp_path):
    names = ("F: {x}", "- &anchor *alias !!python/object:os.system")
    (tmp_path / "deck.apkg").write_bytes(legacy_package({}, {}, genanki_collection(
        front="'quoted' \"text\"\n---\n...", model_name="a: b\n- c # d", field_names=names)))
    with read_foreign(tmp_path / "deck.apkg") as deck:
        (notetype,) = deck.notetypes
        assert (notetype.name, notetype.field_names) == ("a: b\n- c # d", names)
        assert deck.notes[0].fields == ("'quoted' \"text\"\n---\n...", "back")


def test_the_placeholder_collection_is_said(exports, tmp_path):
    with zipfile.ZipFile(exports["modern.apkg"]) as source:
        placeholder = source.read("collection.anki2")
    (tmp_path / "old.apkg").write_bytes(zip_of({"collection.anki2": placeholder, "media": b"{}"}))
    with read_foreign(tmp_path / "old.apkg") as deck:
        assert len(deck.notes) == 1
        assert "the package holds only the placeholder note Anki writes for versions older than 2.1.50: its real " \
               "collection is missing (export the deck again)" in deck.warnings


def test_a_crowdanki_media_folder_is_read_safely(tmp_path, monkeypatch):
    folder = tmp_path / "export"
    (folder / "media").mkdir(parents=True)
    (folder / "deck.json").write_text(json.dumps({
        "__type__": "Deck", "name": "D", "children": [], "media_files": ["gone.png"], "note_models": [{
            "crowdanki_uuid": "u", "name": "M", "flds": [{"name": "F"}], "tmpls": [{"name": "C", "qfmt": "{{F}}"}]}],
        "notes": [{"guid": "g", "fields": ["f"], "tags": [], "note_model_uuid": "u"}]}), encoding="utf-8")
    (folder / "media" / "link.png").symlink_to("/etc/passwd")
    (folder / "media" / "ok.png").write_bytes(b"png")
    with read_foreign(folder) as deck:
        assert [(file.name, file.read()) for file in deck.media] == [("ok.png", b"png")]
        assert deck.warnings[1:] == ("media file 'gone.png' is listed in deck.json but not in media/: left out",
                                     "media/link.png is not a regular file (a link or a folder): left out")
    (folder / "media" / "back\\slash.png").write_bytes(b"png")
    monkeypatch.chdir(tmp_path)
    assert read_problems("export") == [
        "export/deck.json:1:1: media file name 'back\\\\slash.png' holds a path separator: it could be written outside "
        "the deck's folder"]


def test_too_many_members_are_refused_before_zipfile_reads_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "many.apkg").write_bytes(zip_of({str(index): b"" for index in range(5)}))
    assert read_problems("many.apkg", limits=Limits(max_members=4)) == [
        "many.apkg:1:1: the package holds 5 files, over the limit of 4"]
