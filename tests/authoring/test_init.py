"""`deckbuilder init`: a new deck that checks, lints clean, builds and imports as it is."""

from __future__ import annotations

import json
import subprocess

import pytest

from deckbuilder.cli.config import load_config
from deckbuilder.source.cardformat import json_schema_text
from tests.support.cli import run
from tests.support.anki import import_package



def test_init_makes_a_deck_every_command_accepts(tmp_path, monkeypatch, collection):
    monkeypatch.chdir(tmp_path)
    result = run("init", "vitamin-d")
    assert (result.exit_code, result.output) == (0, "created cards/vitamin-d.yaml\n"
                                                    "created cards/deckbuilder.schema.json\n"
                                                    "created pyproject.toml\n"
                                                    "created .gitignore\n"
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


def test_init_into_another_folder_keeps_a_current_schema_and_writes_nothing_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "first", "-d", "decks").output.splitlines()[:2] == [
        "created decks/first.yaml", "created decks/deckbuilder.schema.json"]
    result = run("init", "second", "-d", "decks")
    assert result.output.splitlines() == ["created decks/second.yaml", "next: fill in the article and cards, "
                                          "then 'deckbuilder lint' and 'deckbuilder build'"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["decks"]


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


def git(folder, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout


def test_an_empty_folder_becomes_a_deck_repository_whose_builds_git_does_not_see(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    assert run("init", "vitamin-d").exit_code == 0
    assert load_config(tmp_path) == load_config(tmp_path / "cards"), "the settings are found from anywhere inside"
    for command in (["build"], ["preview"], ["check"]):
        assert run(*command).exit_code == 0
    assert sorted((tmp_path / "build").iterdir())  # packages, pages, media and the build cache are there…
    assert git(tmp_path, "status", "--porcelain", "--untracked-files=all").splitlines() == [
        "?? .gitignore", "?? cards/deckbuilder.schema.json", "?? cards/vitamin-d.lock", "?? cards/vitamin-d.yaml",
        "?? pyproject.toml"]  # …but git sees only what is to be committed


def test_a_second_deck_adds_its_file_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "first").exit_code == 0
    settings = (tmp_path / "pyproject.toml").read_text()
    (tmp_path / "cards" / "deep").mkdir()
    monkeypatch.chdir(tmp_path / "cards" / "deep")  # the repository is found from a folder inside it
    result = run("init", "second")
    assert result.output.splitlines()[0] == f"created {tmp_path / 'cards' / 'second.yaml'}"
    assert len(result.output.splitlines()) == 2
    assert (tmp_path / "pyproject.toml").read_text() == settings


@pytest.mark.parametrize("pyproject, ignored", [
    ("[project]\nname = 'mine'\n", "/build/"),
    ("[tool.deckbuilder]\ncards = 'decks'\nbuild = 'dist/anki'\n", "/dist/anki/"),
])
def test_an_existing_project_keeps_its_settings_and_gets_a_gitignore(tmp_path, monkeypatch, pyproject, ignored):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    result = run("init", "vitamin-d")
    assert result.exit_code == 0 and "created pyproject.toml" not in result.output
    assert (tmp_path / "pyproject.toml").read_text() == pyproject
    assert ignored in (tmp_path / ".gitignore").read_text().splitlines()


def test_an_existing_gitignore_is_left_as_it_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".gitignore").write_text("/build/*\n!/build/.gitkeep\n")
    result = run("init", "vitamin-d")
    assert result.output.splitlines()[:3] == ["created cards/vitamin-d.yaml", "created cards/deckbuilder.schema.json",
                                              "created pyproject.toml"]
    assert (tmp_path / ".gitignore").read_text() == "/build/*\n!/build/.gitkeep\n"


def test_the_settings_written_are_valid_and_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "vitamin-d").exit_code == 0
    written = load_config(tmp_path)
    (tmp_path / "pyproject.toml").unlink()
    assert written == load_config(tmp_path)
