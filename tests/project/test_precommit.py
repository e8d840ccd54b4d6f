"""The pre-commit hooks deck repositories use: a valid manifest whose commands fail on what they should."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.decks import MINIMAL_DECK, PROJECT

MANIFEST = PROJECT / ".pre-commit-hooks.yaml"
DECKBUILDER = Path(sys.executable).with_name("deckbuilder")


def hooks() -> dict[str, dict]:
    from pre_commit.clientlib import load_manifest

    return {hook["id"]: hook for hook in load_manifest(str(MANIFEST))}


def test_the_manifest_is_valid_for_pre_commit():
    assert sorted(hooks()) == ["deckbuilder-check", "deckbuilder-lint"]
    for hook in hooks().values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False


@pytest.mark.parametrize("hook_id, broken, exit_code", [
    ("deckbuilder-check", MINIMAL_DECK.replace("back: One", "bakc: One"), 1),
    ("deckbuilder-lint", MINIMAL_DECK.replace("back: One", "back: <script>x()</script>"), 1),
    ("deckbuilder-lint", MINIMAL_DECK.replace("back: One", "back: one, two and three"), 0),  # a warning
])
def test_each_hook_passes_a_good_deck_and_fails_a_bad_one(tmp_path, hook_id, broken, exit_code):
    command = shlex.split(hooks()[hook_id]["entry"])
    assert command[0] == "deckbuilder"
    (tmp_path / "cards").mkdir()
    deck = tmp_path / "cards" / "demo.yaml"
    deck.write_text(MINIMAL_DECK)
    good = subprocess.run([DECKBUILDER, *command[1:]], cwd=tmp_path, capture_output=True, text=True)
    assert (good.returncode, good.stdout) == (0, "")
    deck.write_text(broken)
    bad = subprocess.run([DECKBUILDER, *command[1:]], cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == exit_code
    assert (bad.stdout + bad.stderr).startswith("cards/demo.yaml:")
