"""Drafts: a card or relationship without an id checks, lints, previews and plans with a warning and a
temporary id; build refuses it, and the temporary id never reaches a package or a lock file."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from deckbuilder.problems import Location
from deckbuilder.source.cardformat import ID_PATTERN
from deckbuilder.source.drafts import draft_id
from tests.support.cli import run
from tests.support.decks import MINIMAL_DECK

# The smallest deck with a new card and a new relationship whose ids are not written yet.
WITH_DRAFTS = MINIMAL_DECK + """\
      - front: What is second?
        back: Two
    relationships:
      - {subject: Vitamin K2, relation: activates, object: MGP}
"""
CARD_WARNING = ("cards/demo.yaml:14:9: warning: this card has no id yet: a draft, shown as "
                "'draft@cards/demo.yaml:14:9' ('deckbuilder build' needs one: run 'deckbuilder ids --write' to give "
                "every card without one a fresh id)")
RELATIONSHIP_WARNING = ("cards/demo.yaml:17:9: warning: this relationship has no id yet: a draft, shown as "
                        "'draft@cards/demo.yaml:17:9' ('deckbuilder build' needs one: run 'deckbuilder ids --write' "
                        "to give every card without one a fresh id)")
REFUSALS = [
    "cards/demo.yaml:14:9: this card has no id, and a package needs one for every note (run 'deckbuilder ids "
    "--write' to give every card without one a fresh id)",
    "cards/demo.yaml:17:9: this relationship has no id, and a package needs one for every note (run 'deckbuilder "
    "ids --write' to give every card without one a fresh id)",
    "2 problems found; nothing was written.",
]


@pytest.fixture
def drafts_project(minimal_project):
    (minimal_project / "cards" / "demo.yaml").write_text(WITH_DRAFTS)
    return minimal_project


def test_check_passes_with_a_warning_per_draft(drafts_project):
    result = run("check")
    assert (result.exit_code, result.output.splitlines()) == (
        0, [CARD_WARNING, RELATIONSHIP_WARNING, "demo: ok — 3 notes, 4 cards"])


def test_lint_shows_drafts_as_warnings_and_lints_them(drafts_project):
    text = WITH_DRAFTS.replace("back: Two", "back: one, two and three")
    (drafts_project / "cards" / "demo.yaml").write_text(text)
    result = run("lint")
    assert (result.exit_code, result.output.splitlines()) == (0, [
        CARD_WARNING,
        "cards/demo.yaml:15:15: enumeration the answer lists 3 items; make it a cloze card with one deletion per item",
        RELATIONSHIP_WARNING,
        "3 problems found: 0 errors, 3 warnings"])


@pytest.mark.parametrize("command", [["build"], ["build", "--check"], ["push", "--anki-url", "http://127.0.0.1:9"]])
def test_build_refuses_drafts_and_writes_nothing(drafts_project, command):
    """push builds as build does: it refuses before it asks Anki anything (nothing listens on port 9)."""
    result = run(*command)
    assert (result.exit_code, result.output.splitlines()) == (1, REFUSALS)
    assert not (drafts_project / "build").exists()
    assert not (drafts_project / "cards" / "demo.lock").exists()


def test_build_lists_drafts_with_the_problems_compiling_finds(drafts_project):
    text = WITH_DRAFTS.replace("back: Two", "back: '![a picture](img/missing.png)'")
    (drafts_project / "cards" / "demo.yaml").write_text(text)
    missing = ("cards/demo.yaml:15:15: media file 'img/missing.png' not found (looked for cards/img/missing.png; "
               "media paths are relative to the card file)")
    result = run("build")
    assert (result.exit_code, result.output.splitlines()) == (
        1, [REFUSALS[0], missing, REFUSALS[1], "3 problems found; nothing was written."])
    result = run("check")
    assert (result.exit_code, result.output.splitlines()) == (
        1, [CARD_WARNING, missing, RELATIONSHIP_WARNING, "1 problem found; nothing was written."])


def test_the_preview_shows_the_drafts(drafts_project):
    result = run("preview")
    assert (result.exit_code, result.output.splitlines()) == (
        0, [CARD_WARNING, RELATIONSHIP_WARNING, "build/demo.preview.html: Demo deck — 3 notes, 4 cards"])
    page = (drafts_project / "build" / "demo.preview.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="deck-data">(.*?)</script>', page, re.DOTALL)[1])
    cards = [(card["note"], card["card"]) for section in data["sections"] for card in section["cards"]]
    assert cards == [("first", "Card 1"), ("draft@cards/demo.yaml:14:9", "Card 1"),
                     ("draft@cards/demo.yaml:17:9", "Forward"), ("draft@cards/demo.yaml:17:9", "Reverse")]
    assert "What is second?" in page


def test_plan_shows_drafts_as_new_notes(drafts_project):
    (drafts_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK)
    assert run("build").exit_code == 0
    (drafts_project / "cards" / "demo.yaml").write_text(WITH_DRAFTS)
    result = run("plan")
    assert (result.exit_code, result.output.splitlines()) == (0, [
        CARD_WARNING, RELATIONSHIP_WARNING,
        "demo: Demo deck → build/demo.apkg",
        "  Anki will add 2 notes, update 0 and leave 1 unchanged",
        "  + draft@cards/demo.yaml:14:9 (new basic note, section s01-intro)",
        "  + draft@cards/demo.yaml:17:9 (new relationship note, section s01-intro)",
        "  note type deckbuilder Relationship: new to this deck's package"])


def test_a_temporary_id_is_never_a_card_id_so_it_cannot_meet_one_in_the_deck_or_the_lock_file():
    for where in (Location("cards/demo.yaml", 14, 9), Location("demo.yaml"), Location("a b/ü.yml", 99999, 1)):
        assert re.fullmatch(ID_PATTERN, draft_id(where)) is None


def test_a_draft_in_place_of_a_removed_card_does_not_bring_its_note_back(minimal_project):
    """The removed card's note is retired, the draft is a new note: the draft never takes over an id the lock
    file knows."""
    assert run("build").exit_code == 0
    (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK.replace("- id: first\n        front", "- front"))
    result = run("plan")
    assert result.exit_code == 0
    assert result.output.splitlines()[2:] == [
        "  Anki will add 1 note, update 1 (1 of them retired now) and leave 0 unchanged",
        "  + draft@cards/demo.yaml:11:9 (new basic note, section s01-intro)",
        "  - first removed from the source: Anki keeps it, now with a notice and the tag demo::retired"]


def test_once_the_ids_are_written_nothing_of_the_draft_reaches_the_package_or_the_lock(drafts_project):
    assert run("ids", "--write").exit_code == 0
    result = run("build")
    assert (result.exit_code, result.output) == (0, "build/demo.apkg: Demo deck — 3 notes, 4 cards\n")
    lock = (drafts_project / "cards" / "demo.lock").read_text(encoding="utf-8")
    collection = zipfile.ZipFile(drafts_project / "build" / "demo.apkg").read("collection.anki2")
    assert "draft@" not in lock and b"draft@" not in collection
