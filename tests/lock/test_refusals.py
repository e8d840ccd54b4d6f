"""Changes since the lock file that Anki would refuse: a card's type, a note type's fields or templates."""

from __future__ import annotations

import dataclasses
import textwrap

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
