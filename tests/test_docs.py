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
