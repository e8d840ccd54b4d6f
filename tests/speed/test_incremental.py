"""Rebuilds: an unchanged deck is left as it is, a changed one comes out exactly as a full build makes it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner

from deckbuilder.cli.main import main
from deckbuilder.pipeline.build import build, check, read_decks
from deckbuilder.problems import ContentError
from deckbuilder.source import validate
from deckbuilder.speed import cache, memo
from deckbuilder.tuning import Speed
from tests.support.decks import MINIMAL_DECK, PART_FILE

OTHER_DECK = MINIMAL_DECK.replace("key: demo", "key: other").replace("Demo deck", "Other deck")


@pytest.fixture
def two_decks(tmp_path, monkeypatch):
    """Two decks in cards/, one of them over two files and showing a picture, built at one fixed time."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "cards" / "img").mkdir(parents=True)
    (tmp_path / "cards" / "img" / "a.png").write_bytes(b"first picture")
    (tmp_path / "cards" / "demo.yaml").write_text(
        MINIMAL_DECK + "      - {id: pic, front: '![](img/a.png)', back: '**bold** answer'}\n")
    (tmp_path / "cards" / "more.yaml").write_text(PART_FILE)
    (tmp_path / "cards" / "other.yaml").write_text(OTHER_DECK)
    return tmp_path


def outcome(two_decks) -> dict[str, tuple[bool, bytes]]:
    """deck key → (left unchanged?, package bytes) after a build of cards/ with two processes."""
    return {item.deck.key: (item.unchanged, item.path.read_bytes())
            for item in build([two_decks / "cards"], two_decks / "build", speed=Speed(jobs=2))}


def full_build(two_decks) -> dict[str, bytes]:
    """What a build that reuses nothing, in one process, writes in a folder of its own."""
    return {item.deck.key: item.path.read_bytes()
            for item in build([two_decks / "cards"], two_decks / "full", speed=Speed(jobs=1, reuse=False))}


def test_rebuild_without_change_leaves_every_package_alone(two_decks):
    first = outcome(two_decks)
    times = {key: (two_decks / "build" / f"{key}.apkg").stat().st_mtime_ns for key in first}
    again = outcome(two_decks)
    assert {key: unchanged for key, (unchanged, _) in again.items()} == {"demo": True, "other": True}
    assert {key: data for key, (_, data) in again.items()} == {key: data for key, (_, data) in first.items()}
    assert {key: (two_decks / "build" / f"{key}.apkg").stat().st_mtime_ns for key in first} == times


def test_cli_says_which_packages_were_already_up_to_date(two_decks):
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    (two_decks / "cards" / "other.yaml").write_text(OTHER_DECK.replace("back: One", "back: Uno"))
    result = CliRunner().invoke(main, ["build"])
    assert (result.exit_code, result.output) == (0, (
        "build/demo.apkg: Demo deck — 4 notes, 4 cards (unchanged)\n"
        "build/other.apkg: Other deck — 1 note, 1 card\n"))


@pytest.mark.parametrize("change", [
    lambda p: (p / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "back: changed")),
    lambda p: (p / "cards" / "demo.yaml").write_text(
        (p / "cards" / "demo.yaml").read_text().replace("**bold** answer", "*other* answer")),
    lambda p: (p / "cards" / "img" / "a.png").write_bytes(b"another picture, same name"),
    lambda p: (p / "build" / "demo.apkg").unlink(),
    lambda p: (p / "cards" / "more.yaml").unlink(),
    lambda p: (p / "cards" / "demo.yaml").write_text(
        (p / "cards" / "demo.yaml").read_text().replace("title: Intro", "title: Introduction")),
    lambda p: (p / "cards" / "demo.yaml").write_text(
        (p / "cards" / "demo.yaml").read_text().replace("title: A demo article", "title: Another article")),
    lambda p: (p / "cards" / "demo.yaml").write_text(
        (p / "cards" / "demo.yaml").read_text().replace("title: Intro\n", "title: Intro\n    subdeck: Sub\n")),
], ids=["part file", "markdown", "media content", "package deleted", "file removed", "section title",
        "article title", "section subdeck"])
def test_a_changed_deck_is_rebuilt_exactly_as_a_full_build_makes_it(two_decks, change, sharing):
    outcome(two_decks)
    change(two_decks)
    rebuilt = outcome(two_decks)
    assert rebuilt["demo"][0] is False, "the changed deck must be rebuilt"
    assert rebuilt["other"][0] is True, "the deck that did not change is left alone"
    assert rebuilt["demo"][1] == full_build(two_decks)["demo"]


def test_another_source_date_epoch_rebuilds(two_decks, monkeypatch):
    outcome(two_decks)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000001")
    assert {key: unchanged for key, (unchanged, _) in outcome(two_decks).items()} == {"demo": False, "other": False}


def test_a_damaged_cache_only_costs_time(two_decks):
    expected = full_build(two_decks)
    outcome(two_decks)
    for path in (two_decks / "build" / cache.FOLDER).rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x80not what was written")
    (two_decks / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "back: changed"))
    (two_decks / "cards" / "more.yaml").write_text(PART_FILE)  # back as it was
    assert {key: data for key, (_, data) in outcome(two_decks).items()} == expected


def test_a_problem_found_in_a_cached_file_is_reported_again(two_decks):
    (two_decks / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "bakc: A3"))
    for _ in range(2):
        result = CliRunner().invoke(main, ["build"])
        assert result.exit_code == 1
        assert "cards/more.yaml:10:36: unknown key 'bakc' in basic card, and 'back' is missing (did you mean 'back'?)" in result.output


def test_a_new_version_of_deckbuilder_reads_nothing_an_old_one_kept(two_decks, monkeypatch):
    outcome(two_decks)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version")
    assert {key: unchanged for key, (unchanged, _) in outcome(two_decks).items()} == {"demo": False, "other": False}


def test_a_new_version_of_deckbuilder_compiles_every_note_again(two_decks, monkeypatch):
    """Notes an older version compiled may have other HTML or fields: none is reused."""
    outcome(two_decks)
    compiled = []
    real = memo.compile_card
    monkeypatch.setattr(memo, "compile_card",
                        lambda card, *rest: compiled.append(card.id) or real(card, *rest))
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version")
    build([two_decks / "cards"], two_decks / "build", speed=Speed(jobs=1))
    assert len(compiled) == sum(len(deck.cards) for deck in read_decks([two_decks / "cards"]))


def test_a_file_moved_to_another_deck_rebuilds_both(two_decks):
    outcome(two_decks)
    (two_decks / "cards" / "more.yaml").write_text(PART_FILE.replace("deck: demo", "deck: other")
                                                 .replace("- id: s01-intro\n", "- id: s01-intro\n"))
    rebuilt = outcome(two_decks)
    assert {key: unchanged for key, (unchanged, _) in rebuilt.items()} == {"demo": False, "other": False}
    assert {key: data for key, (_, data) in rebuilt.items()} == full_build(two_decks)


@pytest.fixture(params=["as shipped", "shared"])
def sharing(request) -> Speed:
    """Two processes as shipped (these decks are too small for workers to read or compile; their two
    packages are written by workers), or with every file read and every card compiled by workers, in runs
    of a card or two, as a big deck's are."""
    if request.param == "shared":
        return Speed(jobs=2, read_in_workers_from=0, compile_in_workers_from=2)
    return Speed(jobs=2)


def test_decks_built_in_parallel_are_the_decks_built_one_by_one(two_decks, sharing):
    serial = {item.deck.key: item.path.read_bytes()
              for item in build([two_decks / "cards"], two_decks / "serial", speed=Speed(jobs=1, reuse=False))}
    parallel = {item.deck.key: item.path.read_bytes()
                for item in build([two_decks / "cards"], two_decks / "parallel",
                                  speed=replace(sharing, reuse=False))}
    assert serial == parallel and sorted(serial) == ["demo", "other"]


def test_an_edit_rebuilt_in_parallel_is_the_full_build(two_decks, sharing, monkeypatch):
    build([two_decks / "cards"], two_decks / "build", speed=sharing)
    (two_decks / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "back: changed"))
    read, load_file = [], validate.load_file
    monkeypatch.setattr(validate, "load_file", lambda path: read.append(path.name) or load_file(path))
    rebuilt = {item.deck.key: item.path.read_bytes()
               for item in build([two_decks / "cards"], two_decks / "build", speed=sharing)}
    assert read == ["more.yaml"], "the files read by workers last time come from the cache"
    assert rebuilt["demo"] == full_build(two_decks)["demo"]


def test_problems_found_in_parallel_are_all_reported(two_decks, sharing):
    (two_decks / "cards" / "other.yaml").write_text(OTHER_DECK.replace("back: One", "back: '![](missing.png)'"))
    (two_decks / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "back: '![](gone.png)'")
                                                 .replace("back: A2", "back: '![](lost.png)'"))
    with pytest.raises(ContentError) as built:
        build([two_decks / "cards"], two_decks / "build", speed=sharing)
    assert [str(problem.where) for problem in built.value.problems] == [
        "cards/more.yaml:7:39", "cards/more.yaml:10:42", "cards/other.yaml:13:15"]
    assert not (two_decks / "build").exists()
    with pytest.raises(ContentError) as checked:
        check([two_decks / "cards"], speed=sharing)
    assert checked.value.problems == built.value.problems


def test_check_counts_the_same_notes_and_cards_whoever_compiles_them(two_decks, sharing):
    assert [(deck.key, deck.note_count, deck.card_count) for deck in check([two_decks / "cards"], speed=sharing)] == [
        ("demo", 4, 4), ("other", 1, 1)]


@pytest.mark.parametrize("old, new", [
    ("What is the plural of", "Plural of"),
    ("font-size: 22px", "font-size: 24px"),
    ("    markup: html\n", ""),
    ("    sort_field: Word\n", "    sort_field: Meaning\n"),
    ("        subdeck: Nouns::Animals\n", ""),
], ids=["template", "css", "markup", "sort field", "card subdeck"])
def test_a_changed_note_type_of_the_decks_own_rebuilds_as_a_full_build_makes_it(tmp_path, monkeypatch, old, new):
    from tests.support.decks import write_own_types_deck

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = write_own_types_deck(tmp_path / "cards")
    build([tmp_path / "cards"], tmp_path / "build", speed=Speed(jobs=2))
    path.write_text(path.read_text().replace(old, new))
    [rebuilt] = build([tmp_path / "cards"], tmp_path / "build", speed=Speed(jobs=2))
    [full] = build([tmp_path / "cards"], tmp_path / "full", speed=Speed(jobs=1, reuse=False))
    assert not rebuilt.unchanged and rebuilt.path.read_bytes() == full.path.read_bytes()


MAPPED_DECK = MINIMAL_DECK + """\
    relationships:
      - {id: k2-mgp, subject: Vitamin K2, relation: activates, object: MGP}
      - {id: d-absorb, subject: Vitamin D, relation: helps absorb, object: calcium}
  - id: s02-more
    number: 2
    title: More
    cards:
      - {id: second, front: Q2, back: A2}
    relationships:
      - {id: mg-bone, subject: Magnesium, relation: guides calcium into, object: bone}
"""


@pytest.mark.parametrize("edit, recompiled", [
    (lambda text: text.replace("back: A2", "back: B2"), ["second"]),
    (lambda text: text.replace("object: MGP", "object: Matrix Gla Protein"), ["k2-mgp", "d-absorb"]),
    (lambda text: text.replace("title: More", "title: Even more"), ["second", "mg-bone"]),
], ids=["a card beside the maps", "an edge of a map", "a mapped section's title"])
def test_cards_showing_a_map_are_reused_until_their_map_changes(deck_project, monkeypatch, sharing, edit, recompiled):
    """A relationship card's back shows its section's map: the memo keeps it with the map, and compiles it again
    when anything the map is drawn from changes; either way the package is the full build's."""
    project = deck_project(MAPPED_DECK)
    build([project / "cards"], project / "build", speed=sharing)
    (project / "cards" / "demo.yaml").write_text(edit(MAPPED_DECK))
    compiled, real = [], memo.compile_card
    monkeypatch.setattr(memo, "compile_card", lambda card, *rest: compiled.append(card.id) or real(card, *rest))
    [rebuilt] = build([project / "cards"], project / "build", speed=replace(sharing, jobs=1))
    assert compiled == recompiled
    [full] = build([project / "cards"], project / "full", speed=Speed(jobs=1, reuse=False))
    assert rebuilt.path.read_bytes() == full.path.read_bytes()
