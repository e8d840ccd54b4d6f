"""`deckbuilder push` against real Anki desktop with AnkiConnect: what Anki holds after each push, its reviews
kept, and the one line a user reads when Anki cannot be reached or refuses.

The article deck's size is read from its build, never written here: its cards change with the article.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from deckbuilder.pipeline.build import compile_decks
from tests.support import anki_desktop as desktop
from tests.support.anki_desktop import deck_query
from tests.support.cli import run
from tests.support.decks import ARTICLE_DECK, PROJECT, write_every_type_deck

# What a card's schedule is: a push must leave all of it, and the review history, as it was.
SCHEDULE = ("interval", "due", "reps", "lapses", "type", "queue", "factor", "deckName")
ADDED = "      - id: push-test-added\n        front: Which command puts a deck into the running Anki?\n" \
        "        back: deckbuilder push\n"


@pytest.fixture
def article(tmp_path, monkeypatch) -> Path:
    """A deck repository holding the article deck and its lock file, run from its root; returns the card file.
    The lock's retired notes are pruned (a push would bring them along), its notes keep their mods."""
    (tmp_path / "cards").mkdir()
    shutil.copy(ARTICLE_DECK, tmp_path / "cards")
    shutil.copy(ARTICLE_DECK.with_suffix(".lock"), tmp_path / "cards")
    monkeypatch.chdir(tmp_path)
    assert run("build", "--prune-retired", "-q", "-o", "scratch").exit_code == 0
    shutil.rmtree(tmp_path / "scratch")
    return tmp_path / "cards" / ARTICLE_DECK.name


def push(anki, *more: str):
    return run("push", "--anki-url", anki.url, "--anki-key", anki.api_key, *more)


def compiled(card_file: Path):
    [deck] = compile_decks([card_file])
    return deck


def built_line(deck, unchanged: bool = False) -> str:
    return (f"build/{deck.key}.apkg: {deck.name} — {deck.note_count} notes, {deck.card_count} cards"
            f"{' (unchanged)' if unchanged else ''}\n")


def notes_of(anki, deck: str) -> dict[int, dict]:
    """Note id → notesInfo of every note with a card in the deck."""
    return {note["noteId"]: note for note in anki.call("notesInfo", notes=anki.call("findNotes", query=deck_query(deck)))}


def fields_of(note: dict) -> tuple[str, ...]:
    return tuple(field["value"] for field in sorted(note["fields"].values(), key=lambda field: field["order"]))


def schedule_of(anki, deck: str) -> dict[int, tuple]:
    """Card id → its schedule and how many reviews it has, for every card of the deck."""
    cards = anki.call("findCards", query=deck_query(deck))
    reviews = anki.call("getReviewsOfCards", cards=cards)
    return {card["cardId"]: (*(card[key] for key in SCHEDULE), len(reviews[str(card["cardId"])]))
            for card in anki.call("cardsInfo", cards=cards)}


def card_lines(lines: list[str], card_id: str) -> tuple[int, int]:
    """Where a card's entry is in a card file's lines: from its `- id:` line to the next line as little indented."""
    start = next(number for number, line in enumerate(lines) if re.fullmatch(rf"\s*- id: {card_id}\n", line))
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    return start, end


def edit_cards(card_file: Path, edit: str, new_back: str, remove: str | None = None, add: str = "") -> None:
    """Give card `edit` a new back and a card `add` after it, and remove card `remove`, as an author would."""
    lines = card_file.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end = card_lines(lines, edit)
    [back] = [number for number in range(start, end) if lines[number].lstrip().startswith("back: ")]
    lines[back] = lines[back][:lines[back].index("back: ")] + f"back: {json.dumps(new_back)}\n"
    lines[end:end] = [add]
    if remove is not None:
        start, end = card_lines(lines, remove)
        del lines[start:end]
    card_file.write_text("".join(lines), encoding="utf-8")


def test_a_push_puts_the_deck_into_anki_with_its_sections(anki, article):
    deck = compiled(article)
    result = push(anki)
    assert (result.exit_code, result.output) == (0, built_line(deck) + (
        f"k2-calcification: Anki added {deck.note_count} notes, updated 0 and left 0 unchanged; it holds "
        f"{deck.note_count} notes of the deck\n"))
    held = notes_of(anki, deck.name)
    assert sorted((fields_of(note), sorted(note["tags"])) for note in held.values()) == \
        sorted((note.fields, sorted(note.tags)) for note in deck.notes)
    assert {f"k2-calcification::{note.section}" for note in deck.notes} <= {tag for note in held.values()
                                                                           for tag in note["tags"]}
    cards = anki.call("cardsInfo", cards=anki.call("findCards", query=deck_query(deck.name)))
    assert len(cards) == deck.card_count and {card["deckName"] for card in cards} == {deck.name}


def test_edits_reach_anki_and_every_review_stays(anki, article):
    deck = compiled(article)
    assert push(anki).exit_code == 0
    basic = [note for note in deck.notes if note.note_type == "basic"]
    edited, removed = basic[0], basic[1]
    before = notes_of(anki, deck.name)
    by_front = {fields_of(note)[0]: note_id for note_id, note in before.items()}
    edited_id, removed_id = by_front[edited.fields[0]], by_front[removed.fields[0]]
    studied = [card for note_id in (edited_id, removed_id, *list(before)[:6]) for card in before[note_id]["cards"]]
    answers = [{"cardId": card, "ease": (3, 4, 1, 2)[number % 4]} for number, card in enumerate(dict.fromkeys(studied))]
    assert all(anki.call("answerCards", answers=answers))
    schedule = schedule_of(anki, deck.name)
    assert sum(reviews for *_, reviews in schedule.values()) == len(answers)

    edit_cards(article, edited.card_id, "A team of nutrients (edited by the push test)", removed.card_id, ADDED)
    now = compiled(article)
    result = push(anki)
    assert (result.exit_code, result.output) == (0, (
        f"build/k2-calcification.apkg: {deck.name} — {now.note_count + 1} notes (1 retired), "
        f"{now.card_count + removed.card_count} cards\n"

        f"k2-calcification: Anki added 1 note, updated 2 (1 of them retired now) and left {deck.note_count - 2} "
        f"unchanged; it holds {deck.note_count + 1} notes of the deck (1 retired)\n"))

    after = notes_of(anki, deck.name)
    assert len(after) == deck.note_count + 1 and before.keys() < after.keys()
    [added_id] = after.keys() - before.keys()
    expected = {note.card_id: note.fields for note in now.notes}
    assert fields_of(after[edited_id]) == expected[edited.card_id] != fields_of(before[edited_id])
    assert fields_of(after[added_id]) == expected["push-test-added"]
    assert after[removed_id]["tags"] == ["k2-calcification::retired"]
    assert "Removed from the source" in after[removed_id]["fields"]["Notice"]["value"]
    assert [note_id for note_id in before if note_id not in (edited_id, removed_id)
            and (fields_of(before[note_id]), before[note_id]["tags"]) != (fields_of(after[note_id]), after[note_id]["tags"])] == []
    copies = Counter((note["modelName"], fields_of(note)) for note in after.values())
    assert max(copies.values()) == 1, "a note came twice"
    kept = schedule_of(anki, deck.name)
    assert {card: kept[card] for card in schedule} == schedule, "a card's schedule or reviews changed"


def test_a_second_push_leaves_anki_as_it_is(anki, article):
    deck = compiled(article)
    assert push(anki).exit_code == 0
    notes, schedule = notes_of(anki, deck.name), schedule_of(anki, deck.name)
    result = push(anki)
    assert (result.exit_code, result.output) == (0, built_line(deck, unchanged=True) + (
        f"k2-calcification: Anki holds it already ({deck.note_count} notes); nothing imported\n"))
    assert (notes_of(anki, deck.name), schedule_of(anki, deck.name)) == (notes, schedule)


def test_a_note_edited_in_anki_is_kept_and_named_until_its_card_changes(anki, article, monkeypatch):
    deck = compiled(article)
    assert push(anki).exit_code == 0
    edited = [note for note in deck.notes if note.note_type == "basic"][0]
    [note_id] = [note_id for note_id, note in notes_of(anki, deck.name).items() if fields_of(note) == edited.fields]
    anki.call("updateNoteFields", note={"id": note_id, "fields": {"Back": "My own words"}})
    front = edited.fields[0] if len(edited.fields[0]) <= 50 else edited.fields[0][:49] + "…"
    result = push(anki)
    assert (result.exit_code, result.output) == (0, built_line(deck, unchanged=True) + (
        f"k2-calcification: Anki holds it already ({deck.note_count} notes); nothing imported\n"
        f"  Anki keeps 1 note ('{front}') as edited there, not as built (an edit made in Anki after the card last "
        "changed stays; edit the card to send it again)\n"))
    assert notes_of(anki, deck.name)[note_id]["fields"]["Back"]["value"] == "My own words"

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time()) + 2))  # a second after the edit in Anki, at least
    edit_cards(article, edited.card_id, "The author's new words")
    result = push(anki)
    assert result.output.endswith(f"k2-calcification: Anki added 0 notes, updated 1 and left {deck.note_count - 1} "
                                  f"unchanged; it holds {deck.note_count} notes of the deck\n")
    assert fields_of(notes_of(anki, deck.name)[note_id]) == \
        {note.card_id: note.fields for note in compiled(article).notes}[edited.card_id]


def test_a_note_moved_to_another_deck_in_anki_is_updated_there_and_named(anki, article):
    deck = compiled(article)
    assert push(anki).exit_code == 0
    moved = [note for note in deck.notes if note.note_type == "basic"][0]
    [note] = [note for note in notes_of(anki, deck.name).values() if fields_of(note) == moved.fields]
    anki.call("createDeck", deck="Moved")
    anki.call("changeDeck", cards=note["cards"], deck="Moved")
    edit_cards(article, moved.card_id, "Edited after the move")
    front = moved.fields[0] if len(moved.fields[0]) <= 50 else moved.fields[0][:49] + "…"
    result = push(anki)
    assert result.output.endswith(
        f"k2-calcification: Anki added 0 notes, updated 0 and left {deck.note_count - 1} unchanged; it holds "
        f"{deck.note_count - 1} notes of the deck\n"
        f"  the deck in Anki lacks 1 note ('{front}') of the package (moved to another deck there? Anki updates a "
        "note where it is)\n")
    [now] = anki.call("notesInfo", notes=[note["noteId"]])
    assert fields_of(now) == {note.card_id: note.fields for note in compiled(article).notes}[moved.card_id]
    assert {card["deckName"] for card in anki.call("cardsInfo", cards=now["cards"])} == {"Moved"}


def test_a_deck_deleted_in_anki_is_sent_whole_by_the_next_push(anki, article):
    deck = compiled(article)
    assert push(anki).exit_code == 0
    anki.call("deleteDecks", decks=[deck.name], cardsToo=True)
    result = push(anki)
    assert (result.exit_code, result.output) == (0, built_line(deck, unchanged=True) + (
        f"k2-calcification: Anki added {deck.note_count} notes, updated 0 and left 0 unchanged; it holds "
        f"{deck.note_count} notes of the deck\n"))
    assert len(notes_of(anki, deck.name)) == deck.note_count


def test_text_and_tags_as_anki_stores_them_are_recognised(anki, in_tmp_path):
    """Every card type, media, text that Anki stores composed (NFC) and a tag whose letter case Anki takes from
    the same tag it already has: the second push finds them held as built."""
    card_file = write_every_type_deck(in_tmp_path / "cards")
    text = card_file.read_text(encoding="utf-8").replace("back: A note", 'back: "Cafe\u0301"\n        tags: [Sounds]')
    card_file.write_text(text, encoding="utf-8")
    anki.call("createDeck", deck="Elsewhere")
    anki.call("addNote", note={"deckName": "Elsewhere", "modelName": "Basic", "fields": {"Front": "x", "Back": "y"},
                               "tags": ["SOUNDS"]})
    deck = compiled(card_file)
    assert "Cafe\u0301" in {field for note in deck.notes for field in note.fields}
    assert push(anki, "cards").exit_code == 0
    [sound] = [note for note in notes_of(anki, deck.name).values() if "SOUNDS" in note["tags"]]
    assert fields_of(sound)[1] == "Caf\u00e9", "Anki stores text composed"
    result = push(anki, "cards")
    assert (result.exit_code, result.output) == (0, built_line(deck, unchanged=True) + (
        f"every-type: Anki holds it already ({deck.note_count} notes); nothing imported\n"))


def test_with_anki_stopped_the_package_and_lock_are_written_and_the_next_push_sends_them(article, tmp_path_factory):
    """A push that cannot reach Anki leaves what build leaves; the next one sends what Anki lacks, though the
    build has nothing new to make. An Anki whose add-on asks for no key, as AnkiConnect is installed."""
    desktop.need_anki_desktop()
    port = desktop.free_port()
    own = desktop.AnkiDesktop(desktop.make_base(tmp_path_factory.mktemp("anki") / "base", port, None), port, None)
    own.start()
    try:
        deck = compiled(article)
        assert run("push", "--anki-url", own.url).exit_code == 0
        own.stop()
        basic = [note for note in deck.notes if note.note_type == "basic"]
        edit_cards(article, basic[0].card_id, "Edited while Anki was closed")
        result = run("push", "--anki-url", own.url)
        assert (result.exit_code, result.output) == (1, built_line(deck) + (
            f"Error: nothing answers at {own.url} (connection refused): start Anki with the AnkiConnect add-on "
            "(code 2055492159), or give its address with --anki-url (or DECKBUILDER_ANKI_URL)\n"))
        assert run("build", "--check").output == "up to date: a build would change no lock file or package\n"

        own.start()
        result = run("push", "--anki-url", own.url)
        assert (result.exit_code, result.output) == (0, built_line(deck, unchanged=True) + (
            f"k2-calcification: Anki added 0 notes, updated 1 and left {deck.note_count - 1} unchanged; it holds "
            f"{deck.note_count} notes of the deck\n"))
        edited = {note.card_id: note.fields for note in compiled(article).notes}[basic[0].card_id]
        assert edited in {fields_of(note) for note in notes_of(own, deck.name).values()}
    finally:
        own.stop()


@pytest.mark.parametrize("key, what", [
    ("wrong-key", "refused the API key given"),
    ("", "asks for an API key"),
])
def test_a_wrong_or_missing_key_is_one_line_and_anki_is_untouched(anki, article, key, what):
    deck = compiled(article)
    result = run("push", "--anki-url", anki.url, "--anki-key", key)
    assert (result.exit_code, result.output) == (1, built_line(deck) + (
        f"Error: AnkiConnect at {anki.url} {what}: give the apiKey of its settings (Tools > Add-ons > "
        "AnkiConnect > Config) with --anki-key or DECKBUILDER_ANKI_KEY\n"))
    assert anki.call("deckNames") == ["Default"]
    assert run("build", "--check").exit_code == 0, "the package and lock file are as build writes them"


def test_the_readme_example_is_a_real_run(anki, article, monkeypatch):
    """README "Push to Anki desktop": two pushes of the article deck into an Anki without it, Anki found by the
    environment."""
    monkeypatch.setenv("DECKBUILDER_ANKI_URL", anki.url)
    monkeypatch.setenv("DECKBUILDER_ANKI_KEY", anki.api_key)
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(\$ deckbuilder push\n.*?)```", readme, re.DOTALL).group(1)
    steps = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
    assert len(steps) == 2
    for step in steps:
        command, printed = step.split("\n", 1)
        assert run(*command.split()[1:]).output == printed, command
