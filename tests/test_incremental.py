"""Rebuilds: an unchanged deck is left as it is, a changed one comes out exactly as a full build makes it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from deckbuilder.speed import cache as buildcache, incremental, runs as compile_runs
from deckbuilder.pipeline.build import build, read_decks
from deckbuilder.cli.main import main
from tests.conftest import MINIMAL_DECK, PART_FILE

OTHER_DECK = MINIMAL_DECK.replace("key: demo", "key: other").replace("Demo deck", "Other deck")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "cards" / "img").mkdir(parents=True)
    (tmp_path / "cards" / "img" / "a.png").write_bytes(b"first picture")
    (tmp_path / "cards" / "demo.yaml").write_text(
        MINIMAL_DECK + "      - {id: pic, front: '![](img/a.png)', back: '**bold** answer'}\n")
    (tmp_path / "cards" / "more.yaml").write_text(PART_FILE)
    (tmp_path / "cards" / "other.yaml").write_text(OTHER_DECK)
    return tmp_path


def outcome(project) -> dict[str, tuple[bool, bytes]]:
    """deck key → (left unchanged?, package bytes) after a build of cards/ with two processes."""
    return {item.deck.key: (item.unchanged, item.path.read_bytes())
            for item in build([project / "cards"], project / "build", jobs=2)}


def full_build(project) -> dict[str, bytes]:
    """What a build that reuses nothing, in one process, writes in a folder of its own."""
    return {item.deck.key: item.path.read_bytes()
            for item in build([project / "cards"], project / "full", reuse=False, jobs=1)}


def test_rebuild_without_change_leaves_every_package_alone(project):
    first = outcome(project)
    times = {key: (project / "build" / f"{key}.apkg").stat().st_mtime_ns for key in first}
    again = outcome(project)
    assert {key: unchanged for key, (unchanged, _) in again.items()} == {"demo": True, "other": True}
    assert {key: data for key, (_, data) in again.items()} == {key: data for key, (_, data) in first.items()}
    assert {key: (project / "build" / f"{key}.apkg").stat().st_mtime_ns for key in first} == times


def test_cli_says_which_packages_were_already_up_to_date(project):
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    (project / "cards" / "other.yaml").write_text(OTHER_DECK.replace("back: One", "back: Uno"))
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
], ids=["part file", "markdown", "media content", "package deleted", "file removed", "section title",
        "article title"])
def test_a_changed_deck_is_rebuilt_exactly_as_a_full_build_makes_it(project, change, sharing):
    outcome(project)
    change(project)
    rebuilt = outcome(project)
    assert rebuilt["demo"][0] is False, "the changed deck must be rebuilt"
    assert rebuilt["other"][0] is True, "the deck that did not change is left alone"
    assert rebuilt["demo"][1] == full_build(project)["demo"]


def test_another_source_date_epoch_rebuilds(project, monkeypatch):
    outcome(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000001")
    assert {key: unchanged for key, (unchanged, _) in outcome(project).items()} == {"demo": False, "other": False}


def test_a_damaged_cache_only_costs_time(project):
    expected = full_build(project)
    outcome(project)
    for path in (project / "build" / buildcache.FOLDER).rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x80not what was written")
    (project / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "back: changed"))
    (project / "cards" / "more.yaml").write_text(PART_FILE)  # back as it was
    assert {key: data for key, (_, data) in outcome(project).items()} == expected


def test_a_problem_found_in_a_cached_file_is_reported_again(project):
    (project / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "bakc: A3"))
    for _ in range(2):
        result = CliRunner().invoke(main, ["build"])
        assert result.exit_code == 1
        assert "cards/more.yaml:10:36: unknown key 'bakc' in basic card (did you mean 'back'?)" in result.output


def test_a_new_version_of_deckbuilder_reads_nothing_an_old_one_kept(project, monkeypatch):
    outcome(project)
    monkeypatch.setattr(buildcache, "code_fingerprint", lambda: "another version")
    assert {key: unchanged for key, (unchanged, _) in outcome(project).items()} == {"demo": False, "other": False}


def test_a_new_version_of_deckbuilder_compiles_every_note_again(project, monkeypatch):
    """Notes an older version compiled may have other HTML or fields: none is reused."""
    from deckbuilder.compiler import notes as compile_module

    outcome(project)
    compiled = []
    real = compile_module.compile_card
    monkeypatch.setattr(compile_module, "compile_card",
                        lambda card, *rest: compiled.append(card.id) or real(card, *rest))
    monkeypatch.setattr(buildcache, "code_fingerprint", lambda: "another version")
    build([project / "cards"], project / "build", jobs=1)
    assert len(compiled) == sum(len(deck.cards) for deck in read_decks([project / "cards"]))


def test_a_file_moved_to_another_deck_rebuilds_both(project):
    outcome(project)
    (project / "cards" / "more.yaml").write_text(PART_FILE.replace("deck: demo", "deck: other")
                                                 .replace("- id: s01-intro\n", "- id: s01-intro\n"))
    rebuilt = outcome(project)
    assert {key: unchanged for key, (unchanged, _) in rebuilt.items()} == {"demo": False, "other": False}
    assert {key: data for key, (_, data) in rebuilt.items()} == full_build(project)


@pytest.fixture(params=["as shipped", "shared"])
def sharing(request, monkeypatch):
    """Builds as shipped (these decks are too small for workers to read or compile; their two packages are
    written by workers), or with every file read and every card compiled by workers, in runs of a card or
    two, as a big deck's are."""
    if request.param == "shared":
        monkeypatch.setattr(incremental, "PARALLEL_READ_BYTES", 0)
        monkeypatch.setattr(compile_runs, "PARALLEL_COMPILE_CARDS", 2)
    return request.param


def test_decks_built_in_parallel_are_the_decks_built_one_by_one(project, sharing):
    serial = {item.deck.key: item.path.read_bytes()
              for item in build([project / "cards"], project / "serial", reuse=False, jobs=1)}
    parallel = {item.deck.key: item.path.read_bytes()
                for item in build([project / "cards"], project / "parallel", reuse=False, jobs=2)}
    assert serial == parallel and sorted(serial) == ["demo", "other"]


def test_an_edit_rebuilt_in_parallel_is_the_full_build(project, sharing, monkeypatch):
    build([project / "cards"], project / "build", jobs=2)
    (project / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "back: changed"))
    read, load_file = [], incremental.load_file
    monkeypatch.setattr(incremental, "load_file", lambda path: read.append(path.name) or load_file(path))
    rebuilt = {item.deck.key: item.path.read_bytes() for item in build([project / "cards"], project / "build", jobs=2)}
    assert read == ["more.yaml"], "the files read by workers last time come from the cache"
    assert rebuilt["demo"] == full_build(project)["demo"]


def test_problems_found_in_parallel_are_all_reported(project, sharing):
    (project / "cards" / "other.yaml").write_text(OTHER_DECK.replace("back: One", "back: '![](missing.png)'"))
    (project / "cards" / "more.yaml").write_text(PART_FILE.replace("back: A3", "back: '![](gone.png)'")
                                                 .replace("back: A2", "back: '![](lost.png)'"))
    result = CliRunner().invoke(main, ["build", "-j", "2"])
    assert result.exit_code == 1
    assert [line.split(": ")[0] for line in result.output.splitlines()[:-1]] == [
        "cards/more.yaml:7:39", "cards/more.yaml:10:42", "cards/other.yaml:13:15"]
    assert not (project / "build").exists()
    assert CliRunner().invoke(main, ["check"]).output == result.output


def test_check_counts_the_same_notes_and_cards_whoever_compiles_them(project, sharing):
    result = CliRunner().invoke(main, ["check"])
    assert (result.exit_code, result.output) == (0, "demo: ok — 4 notes, 4 cards\nother: ok — 1 note, 1 card\n")
