"""`deckbuilder ids`: cards without an id get one, and nothing else in the file changes."""

from __future__ import annotations

import re

import pytest

from deckbuilder.authoring.ids import slugify

# Cards without ids in every style the format allows, with comments that must survive.
WITHOUT_IDS = """\
# yaml-language-server: $schema=deckbuilder.schema.json
deck:
  key: demo   # never change
  name: Demo deck
  source: {title: A demo article}
sections:
  - id: s01-intro
    title: Intro
    cards:
      # the first card
      - front: "In the article's terms, what is tissue calcification?"   # keep this comment
        back: Calcium where it shouldn't be
      - {front: Where does K2 send calcium?, back: Bones}
      - { type: cloze, text: "Café {{c1::crème}} brûlée" }
      -   type: type-in
          front: What acts like a security guard?
          back: MGP
      - id: has-one
        front: What is first?
        back: One
    relationships:
      - subject: Vitamin K2
        relation: activates
        object: MGP
"""
from tests.support.cli import run


@pytest.fixture
def empty_project(tmp_path, monkeypatch):
    """An empty cards/ folder, run from its parent."""
    (tmp_path / "cards").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path



def test_listing_cards_without_ids_exits_1_and_writes_nothing(empty_project):
    (empty_project / "cards" / "demo.yaml").write_text(WITHOUT_IDS)
    result = run("ids")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "cards/demo.yaml:11:9: card has no id (--write gives it 'article-terms-tissue-calcification')",
        "cards/demo.yaml:13:9: card has no id (--write gives it 'k2-send-calcium')",
        "cards/demo.yaml:14:9: card has no id (--write gives it 'cafe-creme-brulee')",
        "cards/demo.yaml:15:11: card has no id (--write gives it 'acts-like-security-guard')",
        "cards/demo.yaml:22:9: relationship has no id (--write gives it 'vitamin-k2-activates-mgp')",
        "5 cards without an id; run 'deckbuilder ids --write' to add them"]
    assert (empty_project / "cards" / "demo.yaml").read_text() == WITHOUT_IDS


def test_write_adds_only_id_lines_and_the_deck_then_checks(empty_project):
    path = empty_project / "cards" / "demo.yaml"
    path.write_text(WITHOUT_IDS)
    listed = re.findall(r"gives it '([^']+)'", run("ids").output)
    result = run("ids", "--write")
    assert (result.exit_code, result.output) == (0, "cards/demo.yaml: 5 ids added\n")
    written = path.read_text()
    assert written == WITHOUT_IDS.replace(
        '      - front: "In', f'      - id: {listed[0]}\n        front: "In').replace(
        "      - {front: Where", f"      - {{id: {listed[1]}, front: Where").replace(
        "      - { type: cloze", f"      - {{ id: {listed[2]}, type: cloze").replace(
        "      -   type: type-in", f"      -   id: {listed[3]}\n          type: type-in").replace(
        "      - subject: Vitamin K2", f"      - id: {listed[4]}\n        subject: Vitamin K2")
    assert run("check").output == "demo: ok — 6 notes, 7 cards\n"
    assert run("ids").output == "every card has an id\n"


def test_crlf_line_ends_and_a_byte_order_mark_are_kept(empty_project):
    path = empty_project / "cards" / "demo.yaml"
    path.write_text(WITHOUT_IDS)
    assert run("ids", "--write").exit_code == 0
    with_lf = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + WITHOUT_IDS.replace("\n", "\r\n").encode("utf-8"))
    assert run("ids", "--write").exit_code == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + with_lf.replace(b"\n", b"\r\n")
    assert run("check").exit_code == 0


def test_new_ids_never_repeat_an_id_of_another_file(empty_project):
    (empty_project / "cards" / "demo.yaml").write_text(WITHOUT_IDS)
    taken = re.findall(r"gives it '([^']+)'", run("ids").output)[0]
    (empty_project / "cards" / "part.yaml").write_text(
        "deck: demo\nsections:\n  - id: s01-intro\n    cards:\n"
        f"      - {{id: {taken}, front: Q, back: A}}\n")
    again = re.findall(r"gives it '([^']+)'", run("ids").output)[0]
    assert again == "article-terms-tissue-calcification-2"
    assert run("ids", "--write").exit_code == 0
    assert run("check").exit_code == 0


def test_a_file_that_does_not_load_stops_every_write(empty_project):
    (empty_project / "cards" / "demo.yaml").write_text(WITHOUT_IDS)
    (empty_project / "cards" / "broken.yaml").write_text("deck: [demo\n")
    result = run("ids", "--write")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 problem found; nothing was written."
    assert (empty_project / "cards" / "demo.yaml").read_text() == WITHOUT_IDS


def test_check_hints_at_ids_for_a_card_without_one(empty_project):
    (empty_project / "cards" / "demo.yaml").write_text(WITHOUT_IDS)
    result = run("check")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "cards/demo.yaml:11:9: warning: this card has no id yet: a draft, shown as 'draft@cards/demo.yaml:11:9' "
        "('deckbuilder build' needs one: run 'deckbuilder ids --write' to give every card without one a fresh id)")


@pytest.mark.parametrize("question, slug", [
    ("What is **MGP**?", "mgp"),
    ("K2 directs calcium away from {{c1::soft tissues}} and into {{c2::bones::where?}}.",
     "k2-directs-calcium-away-from-soft-tissues"),
    ("What happens most to B and T cells?", "happens-most-to-b-and-t-cells"),  # was happens-most-b-t-cells-6312
    ("Stomach acid breaks down calcium from food", "stomach-acid-breaks-down-calcium-from-food"),
    ("The big four electrolytes keep calcium dissolved and moving through the body",
     "big-four-electrolytes-keep-calcium-dissolved"),
    ("What is it?", "what-is-it"),
    ("日本語", "card"),
    ("Pneumonoultramicroscopicsilicovolcanoconiosis is a word " * 3, "pneumonoultramicroscopicsilicovolcanoconiosis"),
])
def test_slugs_are_readable(question, slug):
    assert slugify(question) == slug


def test_a_new_id_is_never_one_the_lock_file_remembers(empty_project):
    """A removed card's note is retired under its id, and comes back to life with it: a new card must not
    take it, or it would inherit the old card's reviews."""
    card_file = empty_project / "cards" / "demo.yaml"
    card_file.write_text(WITHOUT_IDS.replace("      - front: \"In", "      - id: article-terms-tissue-calcification\n"
                                                                   "        front: \"In"))
    assert run("ids", "--write").exit_code == 0 and run("build").exit_code == 0
    card_file.write_text(WITHOUT_IDS)  # the card is removed, and written again as a new card without an id
    assert re.findall(r"gives it '([^']+)'", run("ids").output)[0] == "article-terms-tissue-calcification-2"


def test_the_same_question_twice_gets_two_ids(empty_project):
    twice = WITHOUT_IDS.replace("      - id: has-one\n", "      - {front: Where does K2 send calcium?, back: To bones}\n"
                                                        "      - id: has-one\n")
    (empty_project / "cards" / "demo.yaml").write_text(twice)
    listed = re.findall(r"gives it '([^']+)'", run("ids").output)
    assert (listed[1], listed[4]) == ("k2-send-calcium", "k2-send-calcium-2")
    assert run("ids", "--write").exit_code == 0 and run("check").exit_code == 0


def test_a_card_of_a_decks_own_note_type_is_named_after_its_first_field(empty_project):
    from tests.support.decks import write_own_types_deck

    card_file = write_own_types_deck(empty_project / "cards")
    text = card_file.read_text(encoding="utf-8")
    assert "      - id: hund\n" in text
    card_file.write_text(text.replace("      - id: hund\n        type: vocab", "      - type: vocab", 1),
                         encoding="utf-8")
    listed = re.findall(r"gives it '([^']+)'", run("ids").output)
    assert listed == ["der-hund"]
    assert run("ids", "--write").exit_code == 0 and run("check").exit_code == 0
