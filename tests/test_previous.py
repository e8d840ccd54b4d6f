"""A card's type against the last build: why a change is refused (Anki's own importer), and what is free."""

from __future__ import annotations

import textwrap

import genanki
import pytest
from click.testing import CliRunner

from deckbuilder import build as build_module
from deckbuilder.build import build
from deckbuilder.cli import main
from tests.conftest import MINIMAL_DECK, import_package

AS_CLOZE = MINIMAL_DECK.replace("        front: What is first?\n        back: One\n",
                                "        type: cloze\n        text: '{{c1::One}} is first'\n")


def test_anki_leaves_a_note_whose_type_changed_unupdated(tmp_path, collection, monkeypatch):
    """The reason for the check: without it, the build succeeds and Anki logs the note as conflicting."""
    (tmp_path / "deck.yaml").write_text(MINIMAL_DECK)
    [first] = build([tmp_path / "deck.yaml"], tmp_path / "out")
    import_package(collection, first.path)
    monkeypatch.setattr(build_module, "type_changes", lambda deck, package: [])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(2_000_000_000))  # newer than the first import
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


@pytest.mark.parametrize("in_memory", [True, False], ids=["deserialize", "python-3.10-copy"])
def test_check_reads_the_last_build_with_or_without_sqlite_deserialize(built_project, monkeypatch, in_memory):
    from deckbuilder import previous

    monkeypatch.setattr(previous, "CAN_DESERIALIZE", in_memory)
    assert previous.previous_note_types(built_project / "build" / "demo.apkg") == {
        genanki.guid_for("demo", "first"): previous.NOTE_TYPES["basic"].id}


def test_text_tags_and_new_cards_are_free_to_change(built_project):
    (built_project / "cards" / "demo.yaml").write_text(
        MINIMAL_DECK.replace("back: One", "back: Uno\n        tags: [numbers]")
        + textwrap.indent("- {id: second, type: cloze, text: '{{c1::Two}} is second'}\n", "      "))
    result = CliRunner().invoke(main, ["build"])
    assert (result.exit_code, result.output) == (0, "build/demo.apkg: Demo deck — 2 notes, 2 cards\n")


def test_check_compares_with_the_output_folder_it_is_given(built_project):
    (built_project / "cards" / "demo.yaml").write_text(AS_CLOZE)
    assert CliRunner().invoke(main, ["check", "-o", "elsewhere"]).exit_code == 0
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.output.startswith("cards/demo.yaml:12:15: card 'first' was a basic card in the last build")


def test_an_unreadable_previous_package_is_not_compared_and_is_replaced(built_project):
    (built_project / "build" / "demo.apkg").write_bytes(b"not a zip file")
    (built_project / "cards" / "demo.yaml").write_text(AS_CLOZE)
    result = CliRunner().invoke(main, ["build"])
    assert (result.exit_code, result.output) == (0, "build/demo.apkg: Demo deck — 1 note, 1 card\n")
