"""`deckbuilder stats`: notes and cards by section, type and tag, as a table and as JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from deckbuilder.cli.main import main
from tests.support.decks import ARTICLE_DECK, MINIMAL_DECK, PART_FILE


def two_file_deck(tmp_path, monkeypatch) -> None:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "demo.yaml").write_text(
        MINIMAL_DECK + "        tags: [basics]\n      - {id: c2, type: cloze, text: '{{c1::a}} and {{c2::b}}'}\n")
    (tmp_path / "cards" / "part.yaml").write_text(PART_FILE)
    monkeypatch.chdir(tmp_path)


def test_stats_table(tmp_path, monkeypatch):
    two_file_deck(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0
    assert result.output == """\
demo (Demo deck): 4 notes, 5 cards

section    title  notes  cards
s01-intro  Intro      3      4
s02-more   More       1      1

type   notes  cards
basic      3      3
cloze      1      2

tag               notes  cards
basics                1      1
demo::kind::fact      4      5
"""


def test_stats_json(tmp_path, monkeypatch):
    two_file_deck(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["stats", "--json"])
    assert json.loads(result.output) == [{
        "key": "demo", "name": "Demo deck", "notes": 4, "cards": 5,
        "sections": [{"name": "s01-intro", "title": "Intro", "notes": 3, "cards": 4},
                     {"name": "s02-more", "title": "More", "notes": 1, "cards": 1}],
        "types": [{"name": "basic", "notes": 3, "cards": 3}, {"name": "cloze", "notes": 1, "cards": 2}],
        "tags": [{"name": "basics", "notes": 1, "cards": 1}, {"name": "demo::kind::fact", "notes": 4, "cards": 5}],
    }]


def test_stats_of_the_article_deck_agree_with_its_build():
    from deckbuilder.pipeline.build import compile_decks

    [compiled] = compile_decks([ARTICLE_DECK])
    [stats] = json.loads(CliRunner().invoke(main, ["stats", str(ARTICLE_DECK), "--json"]).output)
    assert (stats["notes"], stats["cards"]) == (len(compiled.notes), compiled.card_count)
    assert sum(row["cards"] for row in stats["sections"]) == compiled.card_count
    assert sum(row["cards"] for row in stats["types"]) == compiled.card_count
    kinds = [row for row in stats["tags"] if "::kind::" in row["name"]]  # every note has exactly one kind
    assert sum(row["cards"] for row in kinds) == compiled.card_count


def test_stats_of_a_broken_deck_lists_its_problems(tmp_path, monkeypatch):
    (tmp_path / "deck.yaml").write_text(MINIMAL_DECK.replace("back: One", "bakc: One"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["stats", "deck.yaml"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 problem found; nothing was written."


def test_stats_count_a_decks_own_note_types_by_their_id(tmp_path, monkeypatch):
    from tests.support.decks import write_own_types_deck

    write_own_types_deck(tmp_path / "cards")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["stats", "--json"])
    assert json.loads(result.output)[0]["types"] == [
        {"name": "basic", "notes": 1, "cards": 1}, {"name": "vocab", "notes": 2, "cards": 3},
        {"name": "sentence", "notes": 2, "cards": 5}]
