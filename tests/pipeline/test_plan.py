"""`deckbuilder plan` and `build --check`: what a rebuild will do, said before it is done, and true in Anki."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import run
from tests.support.anki import import_package
from tests.support.decks import MINIMAL_DECK

DECK = MINIMAL_DECK + """\
      - {id: sun, type: cloze, text: "The {{c1::sun}} is a {{c2::star}}"}
      - {id: gone, front: To be removed, back: Soon}
"""


@pytest.fixture
def cloze_deck_project(deck_project):
    """A deck with a basic, a cloze and a soon-removed card, built at one fixed time."""
    return deck_project(DECK)



def edit(cloze_deck_project, text: str) -> None:
    (cloze_deck_project / "cards" / "demo.yaml").write_text(text)


def test_plan_before_the_first_build_says_every_note_is_new(cloze_deck_project):
    result = run("plan")
    assert (result.exit_code, result.output) == (0, """\
demo: Demo deck → build/demo.apkg
  first build (no cards/demo.lock): every note is new to Anki
  Anki will add 3 notes, update 0 and leave 0 unchanged
  + first (new basic note, section s01-intro)
  + gone (new basic note, section s01-intro)
  + sun (new cloze note, section s01-intro)
""")
    assert not (cloze_deck_project / "build").exists() and not (cloze_deck_project / "cards" / "demo.lock").exists()


def test_plan_shows_each_change_field_by_field(cloze_deck_project):
    assert run("build").exit_code == 0
    edit(cloze_deck_project, DECK.replace("back: One", "back: Uno\n        tags: [numbers]")
         .replace("{{c1::sun}} is a {{c2::star}}", "{{c2::sun}} is a {{c1::star}}")
         .replace("      - {id: gone, front: To be removed, back: Soon}\n", "")
         .replace("name: Demo deck", "name: Demo deck 2") + "      - {id: fresh, front: New, back: Card}\n")
    result = run("plan")
    assert (result.exit_code, result.output) == (0, """\
demo: Demo deck 2 → build/demo.apkg
  Anki will add 1 note, update 3 (1 of them retired now) and leave 0 unchanged
  deck renamed from 'Demo deck': Anki matches decks by name, so importing makes a new deck 'Demo deck 2' for \
new cards; cards already imported stay in 'Demo deck'
  + fresh (new basic note, section s01-intro)
  ~ first
      Back:
        - One
        + Uno
      tags:
        - demo::s01-intro demo::kind::fact
        + demo::s01-intro demo::kind::fact numbers
  ~ sun
      Text:
        - The {{c1::sun}} is a {{c2::star}}
        + The {{c2::sun}} is a {{c1::star}}
  - gone removed from the source: Anki keeps it, now with a notice and the tag demo::retired
  ! cloze renumbered in sun: 'sun' was c1, now c2. The reviews of card 1 stay with c1, which now asks for 'star'
  ! cloze renumbered in sun: 'star' was c2, now c1. The reviews of card 2 stay with c2, which now asks for 'sun'
""")
    data = json.loads(run("plan", "--json").output)["decks"][0]
    assert data["anki"] == {"new": 1, "updated": 3, "unchanged": 0}
    assert (data["renamed_from"], data["retired"], data["lock"]) == ("Demo deck", ["gone"], "cards/demo.lock")
    assert data["updated"][0]["fields"] == [{"name": "Back", "old": "One", "new": "Uno"}]
    assert run("build").output == "build/demo.apkg: Demo deck 2 — 4 notes (1 retired), 5 cards\n"


def test_plan_and_anki_agree_on_a_rename_and_a_renumbered_cloze(cloze_deck_project, collection):
    """The rename makes a new deck; the renumbered cloze's reviews stay with their numbers: as plan said."""
    from anki.scheduler.v3 import CardAnswer

    assert run("build").exit_code == 0
    import_package(collection, cloze_deck_project / "build" / "demo.apkg")
    collection.decks.select(collection.decks.id_for_name("Demo deck"))
    while queued := collection.sched.get_queued_cards(fetch_limit=1).cards:
        card = collection.get_card(queued[0].card.id)
        card.start_timer()
        collection.sched.answer_card(collection.sched.build_answer(card=card, states=queued[0].states,
                                                                   rating=CardAnswer.EASY))
    sun = collection.find_notes("sun")[0]
    reviewed = {card.ord: card.ivl for card in collection.get_note(sun).cards()}
    edit(cloze_deck_project, DECK.replace("{{c1::sun}} is a {{c2::star}}", "{{c2::sun}} is a {{c1::star}}")
         .replace("name: Demo deck", "name: Renamed deck") + "      - {id: fresh, front: New, back: Card}\n")
    planned = json.loads(run("plan", "--json").output)["decks"][0]
    assert run("build").exit_code == 0
    log = import_package(collection, cloze_deck_project / "build" / "demo.apkg")
    assert planned["anki"] == {"new": len(log.new), "updated": len(log.updated), "unchanged": len(log.duplicate)}
    assert collection.decks.id_for_name("Renamed deck") is not None
    fresh = collection.get_card(collection.find_cards("New")[0])
    assert collection.decks.name(fresh.did) == "Renamed deck"
    assert {collection.decks.name(card.did) for card in collection.get_note(sun).cards()} == {"Demo deck"}
    question = {card.ord: card.question() for card in collection.get_note(sun).cards()}
    assert 'data-cloze="star"' in question[0] and 'data-cloze="sun"' in question[1]  # card 1 now asks 'star'
    assert {card.ord: card.ivl for card in collection.get_note(sun).cards()} == reviewed  # with card 1's history
    assert [move["old_now_asks"] for move in planned["renumbered"]] == ["star", "sun"]


def test_build_check_names_what_a_build_would_change(cloze_deck_project):
    result = run("build", "--check")
    assert (result.exit_code, result.output) == (1, "cards/demo.lock: a build would change this lock file of deck "
                                                    "'demo'\nrun 'deckbuilder build' and commit the lock files\n")
    assert not (cloze_deck_project / "build").exists() and not (cloze_deck_project / "cards" / "demo.lock").exists()
    assert run("build").exit_code == 0
    assert (run("build", "--check").exit_code, run("build", "--check", "-q").output) == (0, "")
    edit(cloze_deck_project, DECK.replace("back: One", "back: Uno"))
    result = run("build", "--check")
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "cards/demo.lock: a build would change this lock file of deck 'demo'",
        "build/demo.apkg: a build would change this package of deck 'demo'"]


def test_build_check_in_a_fresh_clone_checks_the_lock_files_only(cloze_deck_project):
    """A deck repository's CI has the cards and lock files, not the packages."""
    assert run("build").exit_code == 0
    (cloze_deck_project / "build" / "demo.apkg").unlink()
    result = run("build", "--check")
    assert (result.exit_code, result.output) == (0, "up to date: a build would change no lock file or package\n")
    assert not (cloze_deck_project / "build" / "demo.apkg").exists()


def test_build_check_sees_a_reordered_deck_whose_notes_are_unchanged(cloze_deck_project):
    """Order is in the package (new cards' due), not in the lock file."""
    assert run("build").exit_code == 0
    edit(cloze_deck_project, MINIMAL_DECK + "      - {id: gone, front: To be removed, back: Soon}\n"
         "      - {id: sun, type: cloze, text: \"The {{c1::sun}} is a {{c2::star}}\"}\n")
    result = run("build", "--check")
    assert (result.exit_code, result.output.splitlines()[0]) == (
        1, "build/demo.apkg: a build would change this package of deck 'demo'")
    assert "unchanged" in run("plan").output and "update 0" in run("plan").output


def test_plan_with_prune_retired_names_the_notes_a_pruning_build_drops(cloze_deck_project):
    assert run("build").exit_code == 0
    edit(cloze_deck_project, DECK.replace("      - {id: gone, front: To be removed, back: Soon}\n", ""))
    assert run("build").exit_code == 0
    assert "1 retired note still in the package" in run("plan").output
    result = run("plan", "--prune-retired")
    assert result.output.splitlines()[1:] == [
        "  Anki will add 0 notes, update 0 and leave 2 unchanged",
        "  x gone dropped from the package (retired; users' copies stay until they delete them)"]
    assert "gone" in (cloze_deck_project / "cards" / "demo.lock").read_text()
