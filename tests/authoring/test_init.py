"""`deckbuilder init`: a new deck that checks, lints clean, builds and imports as it is."""

from __future__ import annotations

import json


from deckbuilder.source.cardformat import json_schema_text
from tests.support.cli import run
from tests.support.anki import import_package



def test_init_makes_a_deck_every_command_accepts(tmp_path, monkeypatch, collection):
    monkeypatch.chdir(tmp_path)
    result = run("init", "vitamin-d")
    assert (result.exit_code, result.output) == (0, "created cards/vitamin-d.yaml\n"
                                                    "created cards/deckbuilder.schema.json\n"
                                                    "next: fill in the article and cards, then 'deckbuilder lint' "
                                                    "and 'deckbuilder build'\n")
    text = (tmp_path / "cards" / "vitamin-d.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=deckbuilder.schema.json\n")
    assert "  key: vitamin-d " in text and '  name: "Vitamin D" ' in text
    assert (tmp_path / "cards" / "deckbuilder.schema.json").read_text() == json_schema_text()
    assert run("check").output == "vitamin-d: ok — 5 notes, 7 cards\n"
    assert run("lint").output == "no problems found\n"
    assert run("ids").output == "every card has an id\n"
    [stats] = json.loads(run("stats", "--json").output)
    assert [row["name"] for row in stats["types"]] == ["basic", "reversed", "cloze", "type-in", "relationship"]
    assert run("build").exit_code == 0
    log = import_package(collection, tmp_path / "build" / "vitamin-d.apkg")
    assert len(log.new) == 5
    assert collection.card_count() == 7


def test_init_into_another_folder_keeps_a_current_schema(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "first", "-d", "decks").exit_code == 0
    result = run("init", "second", "-d", "decks")
    assert result.output.splitlines()[0:2] == ["created decks/second.yaml", "next: fill in the article and cards, "
                                               "then 'deckbuilder lint' and 'deckbuilder build'"]


def test_init_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "mine.yaml").write_text("my work\n")
    result = run("init", "mine")
    assert (result.exit_code, result.output) == (
        1, "Error: cards/mine.yaml already exists; choose another key, or remove it first (nothing was written)\n")
    assert (tmp_path / "cards" / "mine.yaml").read_text() == "my work\n"
    assert not (tmp_path / "cards" / "deckbuilder.schema.json").exists()


def test_init_wants_a_deck_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "Vitamin D")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for 'KEY': 'Vitamin D' is not a deck key: use lowercase letters, digits and '-', "
        "e.g. 'vitamin-d'")
    assert not (tmp_path / "cards").exists()
