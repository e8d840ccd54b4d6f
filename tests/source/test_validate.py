"""Validation: mistakes that span files, all of them in one run, and input that is accepted as it is."""

from __future__ import annotations

import textwrap

import pytest

from deckbuilder.pipeline.build import read_decks
from deckbuilder.problems import ContentError
from tests.support.decks import MINIMAL_DECK, PART_FILE, with_cards
def problems_of(tmp_path, monkeypatch, files: dict[str, str]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        read_decks([tmp_path / name for name in files])
    return [str(problem) for problem in raised.value.problems]


# Broken files, each with its exact problems, are in tests/corpus/ (see test_corpus.py).


def test_all_problems_of_all_files_are_reported_in_order(tmp_path, monkeypatch):
    problems = problems_of(tmp_path, monkeypatch, {
        "b.yaml": with_cards("- id: c1\n  front: Q\n"),
        "a.yaml": "deck: [\n",
        "c.yaml": with_cards("- id: c1\n  type: cloze\n  text: none\n").replace("key: demo", "key: other")
                  .replace("Demo deck", "Other deck"),
    })
    assert [p.split(":")[0] for p in problems] == ["a.yaml", "b.yaml", "c.yaml"]
    assert len(problems) == 3


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


def test_a_checked_part_keeps_positions_not_the_parsers_marks(tmp_path, monkeypatch):
    """The build cache pickles each file's part; the pure-Python loader's marks would carry the whole text."""
    import pickle

    from deckbuilder.source import load
    from deckbuilder.source.validate import check_file

    monkeypatch.setattr(load, "loader", lambda: load.GuardedSafeLoader)
    path = tmp_path / "deck.yaml"
    path.write_text(MINIMAL_DECK + "# a comment no checked value holds\n", encoding="utf-8")
    loaded, _ = load.load_file(path)
    part, problems = check_file(loaded)
    assert problems == []
    assert b"a comment no checked value holds" not in pickle.dumps(part)
    assert [(entry.id, entry.id_where.line) for entry in part.sections] == [("s01-intro", 7)]
