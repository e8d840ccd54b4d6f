"""Settings from pyproject.toml's [tool.deckbuilder]: used as defaults, and bad values reported at their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckbuilder.cli.config import Config, load_config
from deckbuilder.lint.linter import LintSettings
from deckbuilder.problems import ContentError
from tests.support.cli import run
from tests.support.decks import MINIMAL_DECK



@pytest.fixture
def configured_project(tmp_path, monkeypatch):
    """A deck repository whose cards live in decks/ and whose packages go to dist/, as its pyproject says."""
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "demo.yaml").write_text(MINIMAL_DECK)
    (tmp_path / "pyproject.toml").write_text('[configured_project]\nname = "my-decks"\n\n[tool.deckbuilder]\n'
                                             'cards = "decks"\nbuild = "dist"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_no_pyproject_means_the_defaults(tmp_path):
    assert load_config(tmp_path) == Config(Path("cards"), Path("build"), LintSettings(frozenset(), 10))


def test_a_pyproject_without_the_table_means_the_defaults(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[configured_project]\nname = "x"\n')
    assert load_config(tmp_path) == Config()


def test_commands_take_their_folders_from_the_settings(configured_project):
    assert run("check").output == "demo: ok — 1 note, 1 card\n"
    assert run("build").output == "dist/demo.apkg: Demo deck — 1 note, 1 card\n"
    assert (configured_project / "dist" / "demo.apkg").is_file()
    assert run("init", "second").output.splitlines()[0] == "created decks/second.yaml"


def test_folders_are_relative_to_the_pyproject_from_a_folder_below(configured_project, monkeypatch):
    monkeypatch.chdir(configured_project / "decks")
    result = run("build")
    assert result.output == f"{configured_project / 'dist' / 'demo.apkg'}: Demo deck — 1 note, 1 card\n"


def test_a_missing_cards_folder_names_the_configured_one(configured_project):
    (configured_project / "pyproject.toml").write_text('[tool.deckbuilder]\ncards = "elsewhere"\n')
    result = run("check")
    assert result.exit_code == 2
    assert "no elsewhere/ folder here; name the card files or folders to use" in result.output


BAD_SETTINGS = {
    "unknown key": ('[tool.deckbuilder]\ncard = "decks"\n', [
        "pyproject.toml:2:1: unknown key 'card' in [tool.deckbuilder] (did you mean 'cards'?)"]),
    "wrong type": ('[tool.deckbuilder]\ncards = ["decks"]\nbuild = ""\n', [
        "pyproject.toml:2:1: expected a folder path as a string, got an array",
        "pyproject.toml:3:1: expected a folder path as a string, got the string ''"]),
    "lint table": ('[tool.deckbuilder.lint]\nignore = [\n  "long-answer",\n  "near-duplicates",\n]\n'
                   "max-answer-words = 0\n", [
        "pyproject.toml:4:3: unknown lint rule 'near-duplicates' (did you mean 'near-duplicate'?)",
        "pyproject.toml:6:1: expected a whole number from 1 up, got the number 0"]),
    "dotted keys": ('[tool.deckbuilder]\nlint.max-answer-words = "ten"\nlint.colour = true\n', [
        "pyproject.toml:2:1: expected a whole number from 1 up, got the string 'ten'",
        "pyproject.toml:3:1: unknown key 'colour' in [tool.deckbuilder.lint] (expected one of ignore, "
        "max-answer-words)"]),
    "not a table": ('[tool]\ndeckbuilder = "cards"\n', [
        "pyproject.toml:2:1: expected a table, got the string 'cards'"]),
    "invalid TOML": ('[tool.deckbuilder]\ncards = decks\n', [
        "pyproject.toml:2:9: invalid TOML: Invalid value"]),
}


@pytest.mark.parametrize("case", BAD_SETTINGS, ids=list(BAD_SETTINGS))
def test_bad_settings_are_reported_where_they_are_set(configured_project, case):
    text, expected = BAD_SETTINGS[case]
    (configured_project / "pyproject.toml").write_text(text)
    with pytest.raises(ContentError) as raised:
        load_config(configured_project)
    assert [str(problem) for problem in raised.value.problems] == expected


def test_bad_settings_stop_a_command_with_exit_1(configured_project):
    (configured_project / "pyproject.toml").write_text('[tool.deckbuilder]\nbuild = 3\n')
    result = run("build")
    assert result.exit_code == 1
    assert result.output == ("pyproject.toml:2:1: expected a folder path as a string, got the number 3\n"
                             "1 problem found; nothing was written.\n")
    assert not (configured_project / "build").exists()
