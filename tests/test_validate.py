"""Validation: each kind of mistake, reported at its place, all of them in one run."""

from __future__ import annotations

import textwrap

import pytest

from deckbuilder.build import read_decks
from deckbuilder.problems import ContentError
from tests.conftest import MINIMAL_DECK, PART_FILE

# The minimal deck up to its first card: cards added after it are in section s01-intro.
HEADER = MINIMAL_DECK[: MINIMAL_DECK.index("      - id: first")]


def problems_of(tmp_path, monkeypatch, files: dict[str, str]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        read_decks([tmp_path / name for name in files])
    return [str(problem) for problem in raised.value.problems]


def cards(yaml_cards: str) -> str:
    """The minimal header with these card entries (written at list-item indentation)."""
    return HEADER + textwrap.indent(textwrap.dedent(yaml_cards), "      ")


# Each case: the card file, and exactly the problems it must give (path:line:col: message (hint)).
INVALID_FILES = {
    "missing back": (cards("- id: c1\n  front: Q\n"), [
        "deck.yaml:11:9: 'back' is required (basic card needs a back: the answer)"]),
    "unknown key with a near miss": (cards("- id: c1\n  front: Q\n  bakc: A\n"), [
        "deck.yaml:11:9: 'back' is required (basic card needs a back: the answer)",
        "deck.yaml:13:9: unknown key 'bakc' in basic card (did you mean 'back'?)"]),
    "unknown key without a near miss": (cards("- id: c1\n  front: Q\n  back: A\n  colour: red\n"), [
        "deck.yaml:14:9: unknown key 'colour' in basic card (expected one of id, type, kind, front, back, "
        "extra, tags, lint)"]),
    "duplicate mapping key": (cards("- id: c1\n  front: Q\n  back: A\n  back: B\n"), [
        "deck.yaml:14:9: duplicate key 'back' (it is already given at line 13; keep one)"]),
    "wrong type: list for text": (cards("- id: c1\n  front: [a, b]\n  back: A\n"), [
        "deck.yaml:12:16: expected text, got a list"]),
    "wrong type: nothing for text": (cards("- id: c1\n  front:\n  back: A\n"), [
        "deck.yaml:12:15: expected text, got nothing"]),
    "empty text": (cards("- id: c1\n  front: ''\n  back: A\n"), [
        "deck.yaml:12:16: must not be empty"]),
    "card is not a mapping": (cards("- just a question\n"), [
        "deck.yaml:11:9: expected a card (a mapping of keys to values), got 'just a question'"]),
    "unknown card type": (cards("- id: c1\n  type: clozed\n  text: a {{c1::b}}\n"), [
        "deck.yaml:12:15: unknown value 'clozed' (did you mean 'cloze'? expected one of basic, reversed, "
        "cloze, type-in)"]),
    "cloze keys on a basic card": (cards("- id: c1\n  text: a {{c1::b}}\n"), [
        "deck.yaml:11:9: 'back' is required (basic card needs a back: the answer)",
        "deck.yaml:11:9: 'front' is required (basic card needs a front: the question)",
        "deck.yaml:12:9: unknown key 'text' in basic card ('text' belongs to cloze cards: add 'type: cloze')"]),
    "cloze without deletions": (cards("- id: c1\n  type: cloze\n  text: nothing hidden\n"), [
        "deck.yaml:13:15: a cloze card needs at least one deletion (mark the answer as {{c1::answer}})"]),
    "cloze c0, empty and unclosed": (cards('- id: c1\n  type: cloze\n  text: "{{c0::a}} {{c1::}} {{c2::b"\n'), [
        "deck.yaml:13:15: cloze deletion {{c1::…}} is empty",
        "deck.yaml:13:15: cloze deletion {{c2::…}} is not closed with '}}'",
        "deck.yaml:13:15: cloze numbers start at 1: {{c0::…}} makes no card"]),
    "malformed cloze opening": (cards('- id: c1\n  type: cloze\n  text: "{{c1:a}}"\n'), [
        "deck.yaml:13:15: '{{c1:' is not a cloze opening; write it as {{c1::…}}"]),
    "duplicate card id": (cards("- {id: c1, front: Q, back: A}\n- {id: c1, front: R, back: B}\n"), [
        "deck.yaml:12:14: duplicate card id 'c1' (first used at deck.yaml:11:14; ids must be unique in the deck)"]),
    "invalid card id": (cards("- {id: 'my card', front: Q, back: A}\n"), [
        "deck.yaml:11:14: 'my card' is not a valid card id (use letters, digits, '-', '_' or '.', starting "
        "with a letter or digit)"]),
    "tag with a space": (cards("- {id: c1, front: Q, back: A, tags: [good, 'not good']}\n"), [
        "deck.yaml:11:50: 'not good' is not a valid tag (tags may not contain spaces; use '-' or '_', "
        "and '::' for a hierarchy)"]),
    "missing card id": (cards("- {front: Q, back: A}\n"), [
        "deck.yaml:11:9: 'id' is required (every card needs a stable id: run 'deckbuilder ids --write' to give "
        "every card without one a fresh id)"]),
    "relationship without relation": (HEADER.replace("    cards:\n", "    relationships:\n")
                                      + "      - {id: r1, subject: A, object: B}\n", [
        "deck.yaml:11:9: 'relation' is required (a relationship reads 'subject relation object')"]),
    "section number is not a number": (MINIMAL_DECK.replace("number: 1", "number: one"), [
        "deck.yaml:8:13: expected a whole number, got 'one'"]),
    "reserved section id": (MINIMAL_DECK.replace("s01-intro", "kind"), [
        "deck.yaml:7:9: 'kind' is reserved for deckbuilder's own tags (choose another section id)"]),
    "section defined twice": (MINIMAL_DECK + "  - id: s01-intro\n    title: Again\n", [
        "deck.yaml:14:9: section 's01-intro' is defined twice (it already has a title at deck.yaml:7:5; "
        "to add cards to it elsewhere, repeat only its id)"]),
    "missing source": (MINIMAL_DECK.replace("  source:\n    title: A demo article\n", ""), [
        "deck.yaml:2:3: 'source' is required (the article the deck teaches)"]),
    "deck without cards": ("deck:\n  key: demo\n  name: Demo\n  source: {title: T}\n", [
        "deck.yaml:2:3: deck 'demo' has no cards (add sections with cards or relationships)"]),
    "bad deck key": (MINIMAL_DECK.replace("key: demo", "key: Demo Deck"), [
        "deck.yaml:2:8: 'Demo Deck' is not a valid deck key (use lowercase letters, digits and '-', "
        "starting with a letter or digit)"]),
    "a list, not a mapping": ("- a\n- b\n", [
        "deck.yaml:1:1: expected a mapping of keys to values, got a list (a card file needs keys such as deck)"]),
    "empty file": ("", [
        "deck.yaml:1:1: the file is empty (a card file starts with 'deck:'; run 'deckbuilder schema' for "
        "the format)"]),
    "tab indentation": ("deck:\n\tkey: demo\n", [
        "deck.yaml:2:1: a tab character is used for indentation (YAML indents with spaces only)"]),
    "unclosed flow list": ("deck: [demo\n", [
        "deck.yaml:2:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence (check "
        "the indentation and quoting on this line and the one before)"]),
    "two documents": (MINIMAL_DECK + "---\n" + MINIMAL_DECK, [
        "deck.yaml:14:1: the file holds more than one YAML document ('---') (keep one deck part per file)"]),
}


@pytest.mark.parametrize("case", list(INVALID_FILES))
def test_invalid_file_gives_exact_problems(tmp_path, monkeypatch, case):
    text, expected = INVALID_FILES[case]
    assert problems_of(tmp_path, monkeypatch, {"deck.yaml": text}) == expected


def test_all_problems_of_all_files_are_reported_in_order(tmp_path, monkeypatch):
    problems = problems_of(tmp_path, monkeypatch, {
        "b.yaml": cards("- id: c1\n  front: Q\n"),
        "a.yaml": "deck: [\n",
        "c.yaml": cards("- id: c1\n  type: cloze\n  text: none\n").replace("key: demo", "key: other")
                  .replace("Demo deck", "Other deck"),
    })
    assert [p.split(":")[0] for p in problems] == ["a.yaml", "b.yaml", "c.yaml"]
    assert len(problems) == 3


def test_invalid_utf8_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deck.yaml").write_bytes(MINIMAL_DECK.encode().replace(b"One", b"On\xff"))
    with pytest.raises(ContentError) as raised:
        read_decks([tmp_path / "deck.yaml"])
    assert [str(p) for p in raised.value.problems] == [
        "deck.yaml:13:17: the file is not valid UTF-8 text (save it as UTF-8)"]


@pytest.mark.parametrize("encode", [
    lambda text: b"\xef\xbb\xbf" + text.encode(),  # byte-order mark
    lambda text: text.replace("\n", "\r\n").encode(),  # Windows line endings
], ids=["bom", "crlf"])
def test_bom_and_windows_line_endings_are_accepted(tmp_path, encode):
    (tmp_path / "deck.yaml").write_bytes(encode(MINIMAL_DECK))
    [deck] = read_decks([tmp_path / "deck.yaml"])
    assert [card.text("back").value for card in deck.cards] == ["One"]


def test_scalars_stay_text_as_written(tmp_path):
    (tmp_path / "deck.yaml").write_text(MINIMAL_DECK.replace("back: One", "back: no") + textwrap.indent(
        "- {id: version, front: Which version?, back: 1.10}\n", "      "))
    [deck] = read_decks([tmp_path / "deck.yaml"])
    assert [card.text("back").value for card in deck.cards] == ["no", "1.10"]


def test_deck_spanning_files_keeps_article_order(tmp_path):
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "main.yaml").write_text(MINIMAL_DECK)
    (tmp_path / "deck" / "another.yaml").write_text(PART_FILE)  # sorts before main.yaml on purpose
    [deck] = read_decks([tmp_path / "deck"])
    assert [(card.id, card.section) for card in deck.cards] == [
        ("first", "s01-intro"), ("continued", "s01-intro"), ("second", "s02-more")]
    assert [section.id for section in deck.sections] == ["s01-intro", "s02-more"]


def test_duplicate_id_across_files_names_both_places(tmp_path, monkeypatch):
    problems = problems_of(tmp_path, monkeypatch, {
        "main.yaml": MINIMAL_DECK,
        "part.yaml": PART_FILE.replace("id: second", "id: first"),
    })
    assert problems == ["part.yaml:7:14: duplicate card id 'first' (first used at main.yaml:11:13; "
                        "ids must be unique in the deck)"]


def test_part_without_its_main_file(tmp_path, monkeypatch):
    problems = problems_of(tmp_path, monkeypatch, {"part.yaml": PART_FILE})
    assert problems == [
        "part.yaml:1:7: no file given declares deck 'demo' (give the file whose 'deck:' has the key, name and "
        "source too, e.g. build the whole folder)",
        "part.yaml:8:9: section 's01-intro' has no title anywhere in the deck (give it a title where it is "
        "first defined)"]


def test_deck_declared_in_two_files(tmp_path, monkeypatch):
    problems = problems_of(tmp_path, monkeypatch, {"a.yaml": MINIMAL_DECK, "b.yaml": MINIMAL_DECK})
    assert problems[0] == ("b.yaml:2:3: deck 'demo' is declared twice (its header is already in a.yaml:2; "
                           "other files of the deck say just 'deck: demo')")


def test_two_decks_with_one_name(tmp_path, monkeypatch):
    problems = problems_of(tmp_path, monkeypatch, {
        "a.yaml": MINIMAL_DECK, "b.yaml": MINIMAL_DECK.replace("key: demo", "key: demo-two")})
    assert problems == ["b.yaml:2:3: deck name 'Demo deck' is also used by deck 'demo' (Anki would merge "
                        "them; rename one)"]
