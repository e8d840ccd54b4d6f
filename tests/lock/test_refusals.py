"""Changes since the lock file that Anki would refuse: a card's type, a note type's fields or templates."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckbuilder.lock import refusals

from deckbuilder.anki import notetypes
from deckbuilder.pipeline.build import build
from deckbuilder.cli.main import main
from tests.support.anki import import_package
from tests.support.decks import MINIMAL_DECK

AS_CLOZE = MINIMAL_DECK.replace("        front: What is first?\n        back: One\n",
                                "        type: cloze\n        text: '{{c1::One}} is first'\n")


def test_anki_leaves_a_note_whose_type_changed_unupdated(tmp_path, collection, monkeypatch):
    """The reason for the check: without it, the build succeeds and Anki logs the note as conflicting."""
    (tmp_path / "deck.yaml").write_text(MINIMAL_DECK)
    [first] = build([tmp_path / "deck.yaml"], tmp_path / "out")
    import_package(collection, first.path)
    monkeypatch.setattr(refusals, "type_changes", lambda deck, lock, path: [])
    (tmp_path / "deck.yaml").write_text(AS_CLOZE)
    [second] = build([tmp_path / "deck.yaml"], tmp_path / "out")
    log = import_package(collection, second.path)
    assert (len(log.conflicting), len(log.updated), len(log.new)) == (1, 0, 0)
    [note_id] = collection.find_notes("")
    assert collection.get_note(note_id).fields[:2] == ["What is first?", "One"]


@pytest.fixture
def built_project(tmp_path, monkeypatch):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "demo.yaml").write_text(MINIMAL_DECK)
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    return tmp_path


def test_text_tags_and_new_cards_are_free_to_change(built_project):
    (built_project / "cards" / "demo.yaml").write_text(
        MINIMAL_DECK.replace("back: One", "back: Uno\n        tags: [numbers]")
        + textwrap.indent("- {id: second, type: cloze, text: '{{c1::Two}} is second'}\n", "      "))
    result = CliRunner().invoke(main, ["build"])
    assert (result.exit_code, result.output) == (0, "build/demo.apkg: Demo deck — 2 notes, 2 cards\n")


@pytest.mark.parametrize("command", [["check"], ["build"], ["build", "-o", "elsewhere"], ["build", "--check"]])
def test_a_type_change_is_refused_against_the_lock_file_whatever_the_output_folder(built_project, command):
    (built_project / "cards" / "demo.yaml").write_text(AS_CLOZE)
    lock_before = (built_project / "cards" / "demo.lock").read_bytes()
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1
    assert result.output.startswith("cards/demo.yaml:12:15: card 'first' was a basic card in the last build "
                                    "(cards/demo.lock); Anki would not update its note as a cloze card")
    assert (built_project / "cards" / "demo.lock").read_bytes() == lock_before
    assert not (built_project / "elsewhere").exists()


def test_a_removed_card_that_comes_back_with_another_type_is_refused_too(built_project):
    """Its retired note is still in users' collections, with the old type."""
    (built_project / "cards" / "demo.yaml").write_text(
        MINIMAL_DECK.replace("id: first", "id: other"))
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    (built_project / "cards" / "demo.yaml").write_text(AS_CLOZE)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "card 'first' was a basic card in the last build" in result.output


def with_extra_field(monkeypatch):
    """deckbuilder's Basic note type as a release that added a field would have it."""
    basic = dataclasses.replace(notetypes.BASIC, fields=notetypes.BASIC.fields + ("Hint",))
    monkeypatch.setitem(notetypes.NOTE_TYPES, "basic", basic)


def test_a_note_type_schema_change_is_refused_without_force(built_project, monkeypatch):
    with_extra_field(monkeypatch)  # a new deckbuilder's code: the build cache would not hold, so edit a card too
    (built_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK.replace("back: One", "back: Uno"))
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.output.startswith(
        "cards/demo.lock:6:1: note type 'deckbuilder Basic' has other fields or templates than in the last build: "
        "Anki would add a copy of it and leave its 1 note in your users' collections unupdated (logged as "
        "conflicting) (build with --force to accept that; users must then tick 'Merge note types' when importing)")
    assert CliRunner().invoke(main, ["check"]).exit_code == 1


def test_force_builds_a_schema_change_and_anki_then_keeps_the_old_notes(built_project, monkeypatch, collection):
    import_package(collection, built_project / "build" / "demo.apkg")
    with_extra_field(monkeypatch)
    (built_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK.replace("back: One", "back: Uno"))
    plan = CliRunner().invoke(main, ["plan"])
    assert "note type deckbuilder Basic: fields or templates added, removed or renamed" in plan.output
    result = CliRunner().invoke(main, ["build", "--force"])
    assert result.exit_code == 0, result.output
    log = import_package(collection, built_project / "build" / "demo.apkg")
    assert (len(log.conflicting), len(log.updated)) == (1, 0)
    assert CliRunner().invoke(main, ["build"]).exit_code == 0  # the lock now has the new schema


FONT_DECK = """\
deck:
  key: demo
  name: Demo deck
  source:
    title: An atlas
note_types:
  - id: word
    name: Word
    fields: [Word, Meaning]
    templates:
      - {name: Read it, front: "{{Word}}", back: "{{FrontSide}}<hr id=answer>{{Meaning}}"}
    css: '@font-face { font-family: hand; src: url("_hand.woff2"); } .card { font-family: hand; }'
sections:
  - id: words
    title: Words
    cards:
      - {id: casa, type: word, fields: {Word: casa, Meaning: house}}
"""


@pytest.fixture
def font_project(tmp_path, monkeypatch):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "demo.yaml").write_text(FONT_DECK)
    (tmp_path / "cards" / "_hand.woff2").write_bytes(b"wOF2 the first font")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    return tmp_path


def test_anki_keeps_the_file_it_has_of_a_name_starting_with_an_underscore(font_project, collection, monkeypatch):
    """The reason for the check: without it, the package holds the new font and Anki keeps the old one."""
    import_package(collection, font_project / "build" / "demo.apkg")
    monkeypatch.setattr(refusals, "template_media_changes", lambda deck, lock: [])
    (font_project / "cards" / "_hand.woff2").write_bytes(b"wOF2 a better font")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    import_package(collection, font_project / "build" / "demo.apkg")
    assert (Path(collection.media.dir()) / "_hand.woff2").read_bytes() == b"wOF2 the first font"


@pytest.mark.parametrize("command", [["check"], ["build"], ["build", "--check"]])
def test_a_changed_file_a_note_type_names_is_refused_where_it_is_named(font_project, command):
    (font_project / "cards" / "_hand.woff2").write_bytes(b"wOF2 a better font")
    before = {path: path.read_bytes() for path in [*(font_project / "cards").iterdir(),
                                                     *(font_project / "build").iterdir()] if path.is_file()}
    result = CliRunner().invoke(main, command)
    assert (result.exit_code, result.output.splitlines()[0]) == (1, (
        "cards/demo.yaml:12:10: the file '_hand.woff2' this CSS names has changed since the last build, but Anki "
        "keeps the copy it has of a file whose name starts with '_': collections that have the deck would never "
        "show the change (give the changed file a new name (e.g. '_hand-2.woff2') and name that here; --force "
        "builds it anyway, for new learners only)"))
    assert len(result.output.splitlines()) == 2  # and the count of problems
    assert {path: path.read_bytes() for path in before} == before


def test_a_changed_file_under_a_new_name_reaches_the_collections_that_have_the_deck(font_project, collection,
                                                                                   monkeypatch):
    import_package(collection, font_project / "build" / "demo.apkg")
    (font_project / "cards" / "_hand-2.woff2").write_bytes(b"wOF2 a better font")
    (font_project / "cards" / "demo.yaml").write_text(FONT_DECK.replace("_hand.woff2", "_hand-2.woff2"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    import_package(collection, font_project / "build" / "demo.apkg")
    assert (Path(collection.media.dir()) / "_hand-2.woff2").read_bytes() == b"wOF2 a better font"
    assert '"_hand-2.woff2"' in collection.models.by_name("Word")["css"]


def test_force_builds_a_changed_file_a_note_type_names_and_records_it(font_project, monkeypatch):
    (font_project / "cards" / "_hand.woff2").write_bytes(b"wOF2 a better font")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    assert CliRunner().invoke(main, ["build", "--force"]).exit_code == 0
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    assert '  "template media": {"_hand.woff2": "' in (font_project / "cards" / "demo.lock").read_text()
