"""Tables among the card files (a spreadsheet's .csv, Anki's .txt export): one clear line each, never read
as YAML. A folder search does not read them but says so; a table named, or saved as .yaml, is a problem."""

from __future__ import annotations

import pytest

from tests.support.cli import run
from tests.support.decks import MINIMAL_DECK

HOW = ("bring it in with 'deckbuilder import FILE' (Anki's text export, or a table whose first row names its "
       "columns), which writes a card file beside it")


def not_read(path: str) -> str:
    return f"{path}:1:1: warning: this table is not read: card files are YAML (*.yaml, *.yml) ({HOW})"


@pytest.mark.parametrize("name", ["terms.csv", "words.TSV", "sub/anki-export.txt"])
def test_a_table_in_the_cards_folder_is_named_and_the_cards_are_built(minimal_project, name):
    table = minimal_project / "cards" / name
    table.parent.mkdir(exist_ok=True)
    table.write_text("front,back\nWhat is X?,Y\n")
    for command, printed in (("check", "demo: ok — 1 note, 1 card"),
                             ("build", "build/demo.apkg: Demo deck — 1 note, 1 card")):
        result = run(command)
        assert (result.exit_code, result.output.splitlines()) == (0, [not_read(f"cards/{name}"), printed])


def test_a_cards_folder_with_only_a_table_says_both(minimal_project):
    (minimal_project / "cards" / "demo.yaml").unlink()
    (minimal_project / "cards" / "terms.csv").write_text("front,back\n")
    result = run("check")
    assert (result.exit_code, result.output.splitlines()) == (1, [
        "cards:1:1: no card files (*.yaml) found (run 'deckbuilder build' where cards/ is, or name the card files)",
        not_read("cards/terms.csv"), "1 problem found; nothing was written."])


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".txt"])
def test_a_table_named_on_the_command_line_is_a_problem(minimal_project, suffix):
    (minimal_project / f"terms{suffix}").write_text("front,back\nWhat is X?,Y\n")
    result = run("check", "cards", f"terms{suffix}")
    assert (result.exit_code, result.output.splitlines()) == (1, [
        f"terms{suffix}:1:1: a table ({suffix}), not a card file: card files are YAML (*.yaml, *.yml) ({HOW})",
        "1 problem found; nothing was written."])


@pytest.mark.parametrize("text, kind", [
    ("front,back\nWhat is X?,Y\n", "comma-separated"),
    ("# exported\n\nfront\tback\nWhat is X?\tY\n", "tab-separated"),
])
def test_a_table_saved_as_yaml_is_named_as_such(minimal_project, text, kind):
    (minimal_project / "cards" / "terms.yaml").write_text(text)
    result = run("check")
    assert (result.exit_code, result.output.splitlines()) == (1, [
        f"cards/terms.yaml:1:1: this file holds a table of {kind} values, not YAML cards ({HOW})",
        "1 problem found; nothing was written."])


@pytest.mark.parametrize("first_line", ["deck: {key: demo, name: 'A, B', source: {title: T}}",
                                        "[a, b]", "- a, b", "key, value: x"])
def test_yaml_with_commas_on_its_first_line_is_not_taken_for_a_table(minimal_project, first_line):
    (minimal_project / "cards" / "demo.yaml").write_text(first_line + "\n" + MINIMAL_DECK.split("\n", 1)[1])
    assert "table" not in run("check").output


def test_the_hint_for_a_table_works(minimal_project):
    """Following the hint: 'deckbuilder import' turns the table into a card file beside it, which builds."""
    table = minimal_project / "cards" / "terms.csv"
    table.write_text("front,back\nWhat is X?,Y\nWhat is Z?,W\n")
    result = run("import", "cards/terms.csv")
    assert result.exit_code == 0, result.output
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "build/terms.apkg: Terms — 2 notes, 2 cards" in result.output.splitlines()
