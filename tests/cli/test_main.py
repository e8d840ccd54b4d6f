"""The command line, as a user runs it: exit codes, exact messages, and what ends up on disk."""

from __future__ import annotations

import zipfile

import pytest

from deckbuilder import __version__
from deckbuilder.cli.main import main
from tests.support.cli import run
from tests.support.decks import BROKEN_CARD, MINIMAL_DECK, output_files


def test_build_defaults_to_cards_folder_and_build_folder(minimal_project):
    result = run("build")
    assert result.exit_code == 0, result.output
    assert result.output == "build/demo.apkg: Demo deck — 1 note, 1 card\n"
    assert zipfile.ZipFile(minimal_project / "build" / "demo.apkg").namelist() == ["collection.anki2", "media"]


def test_build_to_another_folder(minimal_project):
    result = run("build", "cards/demo.yaml", "-o", "dist")
    assert result.exit_code == 0, result.output
    assert result.output == "dist/demo.apkg: Demo deck — 1 note, 1 card\n"
    assert (minimal_project / "dist" / "demo.apkg").is_file()


def test_check_reports_each_deck_and_writes_nothing(minimal_project):
    result = run("check")
    assert (result.exit_code, result.output) == (0, "demo: ok — 1 note, 1 card\n")
    assert not (minimal_project / "build").exists()


def test_problems_exit_1_with_every_problem_and_nothing_written(minimal_project):
    (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + BROKEN_CARD)
    (minimal_project / "cards" / "other.yaml").write_text("deck: [demo\n")
    result = run("build")
    assert result.exit_code == 1
    assert result.output == (
        "cards/demo.yaml:14:9: 'back' is required (basic card needs a back: the answer)\n"
        "cards/other.yaml:1:7: this list in '[ ]' is never closed, or two of its items have no ',' between them "
        "(close it with ']'; if the '[' is text, put the whole value in quotes)\n"
        "2 problems found; nothing was written.\n")
    assert "Traceback" not in result.output
    assert not (minimal_project / "build").exists()


def test_failed_build_leaves_the_previous_package_as_it_was(minimal_project):
    assert run("build").exit_code == 0
    before = (minimal_project / "build" / "demo.apkg").read_bytes()
    (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + BROKEN_CARD)
    assert run("build").exit_code == 1
    assert (minimal_project / "build" / "demo.apkg").read_bytes() == before
    assert output_files(minimal_project / "build") == ["demo.apkg"]


def test_output_that_is_a_file_is_a_usage_error(minimal_project):
    (minimal_project / "build").write_text("a file where the folder should be")
    result = run("build")
    assert result.exit_code == 2
    assert "Error: Invalid value for '-o' / '--output': Directory 'build' is a file." in result.output


def test_check_with_a_problem_exits_1(minimal_project):
    (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + BROKEN_CARD)
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 problem found; nothing was written."


def test_usage_errors_exit_2(minimal_project):
    assert run("build", "no-such-file.yaml").exit_code == 2
    assert run("build", "--no-such-option").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_no_cards_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 2
    assert "no cards/ folder here; name the card files or folders to use" in result.output


def test_folder_without_card_files(minimal_project):
    (minimal_project / "empty").mkdir()
    result = run("check", "empty")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "empty:1:1: no card files (*.yaml) found (run 'deckbuilder build' where cards/ is, or name the card files)")


def test_version():
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"deckbuilder, version {__version__}\n")


@pytest.mark.parametrize("command", [[], *([name] for name in main.commands)])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help_with_an_example(command, flag):
    result = run(*command, flag)
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "deckbuilder " in result.output.split("Example:")[1]


def test_module_entry_point_runs(minimal_project):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "deckbuilder", "check"], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "demo: ok — 1 note, 1 card\n")
