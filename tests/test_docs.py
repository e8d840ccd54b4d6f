"""The README stays true: its set-up commands are the ones CI runs."""

from __future__ import annotations

import re

from tests.conftest import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")
CI_RUN = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_setup_is_two_commands_that_ci_runs_verbatim():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.DOTALL)
    assert commands == ["pip install . && deckbuilder build", "pip install '.[test]' && python -m pytest"]
    ci_lines = CI_RUN.splitlines()
    for command in commands:
        assert command in ci_lines


def test_readme_lists_every_command():
    from deckbuilder.cli import main

    for name in main.commands:
        assert f"`deckbuilder {name}" in README


def test_readme_states_the_article_decks_real_size():
    from deckbuilder.build import check
    from tests.conftest import ARTICLE_DECK

    [deck] = check([ARTICLE_DECK])
    sections = len({note.tags[0] for note in deck.notes})
    assert f"{sections} sections, {len(deck.notes)} notes, {deck.card_count} cards" in README


def transcript(block: str) -> list[tuple[str, str]]:
    """A README terminal example as (command, what it printed) pairs."""
    steps = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
    return [(step.split("\n", 1)[0], step.split("\n", 1)[1]) for step in steps]


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def run_transcript(block: str) -> None:
    import shlex

    from click.testing import CliRunner

    from deckbuilder.cli import main

    for command, printed in transcript(block):
        result = CliRunner().invoke(main, shlex.split(command)[1:])
        assert result.output == printed, command


def test_the_authoring_loop_example_is_a_real_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_transcript(re.search(r"```text\n(.*?)```", section("The authoring loop"), re.DOTALL).group(1))


def test_the_lint_example_is_a_real_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from deckbuilder.scaffold import create_deck

    [deck, _] = create_deck("vitamin-d", tmp_path / "cards")
    lint_section = section("Lint rules")
    card, ignore = re.findall(r"```yaml\n(.*?)```", lint_section, re.DOTALL)[:2]
    text = deck.read_text().replace("    relationships:", card + "    relationships:")
    deck.write_text(text)
    run_transcript(re.search(r"```text\n(.*?)```", lint_section, re.DOTALL).group(1))
    deck.write_text(text.replace(card, card + ignore.splitlines()[0] + "\n"))
    run_transcript("$ deckbuilder lint\nno problems found\n")


def test_readme_lists_every_lint_rule_with_its_severity():
    from deckbuilder.lint_rules import RULES

    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", section("Lint rules"), re.MULTILINE)
    assert rows == [(rule.id, rule.severity) for rule in RULES.values()]


def test_readme_shows_completion_for_every_shell_tested():
    for shell in ("bash", "zsh", "fish"):
        assert f"_DECKBUILDER_COMPLETE={shell}_source deckbuilder" in section("Shell completion")
