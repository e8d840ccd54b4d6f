"""`plan --since REF`: the next package compared with the lock file committed at a release, as learners of
that release will see it, whatever was built in between; and what the README says to do after an experiment."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.support.anki import import_package
from tests.support.cli import run
from tests.support.decks import MINIMAL_DECK

DECK = MINIMAL_DECK + "      - {id: sun, type: cloze, text: \"The {{c1::sun}} is a {{c2::star}}\"}\n"


def git(folder, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def released(deck_project, monkeypatch):
    """A deck repository whose first build is committed and tagged v1."""
    for variable in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{variable}_NAME", "A. Author")
        monkeypatch.setenv(f"GIT_{variable}_EMAIL", "author@example.org")
    project = deck_project(DECK)
    git(project, "init", "-q")
    assert run("build").exit_code == 0
    git(project, "add", "cards")
    git(project, "commit", "-q", "-m", "The first release")
    git(project, "tag", "-a", "v1", "-m", "v1")
    return project


def build_at(seconds: int, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(seconds))
    assert run("build").exit_code == 0


def test_after_an_experiment_plan_since_the_release_is_what_its_learners_get(released, monkeypatch, collection):
    import_package(collection, released / "build" / "demo.apkg")  # a learner of v1
    card_file = released / "cards" / "demo.yaml"
    card_file.write_text(DECK.replace("back: One", "back: Uno") + "      - {id: trial, front: Q, back: A}\n")
    build_at(1700000100, monkeypatch)  # an experiment, built (watch builds on every save)…
    card_file.write_text(DECK.replace("{{c2::star}}", "{{c2::a star}}"))  # …undone in the YAML alone, and an edit
    assert run("plan").output.splitlines()[1:] == [
        "  Anki will add 0 notes, update 3 (1 of them retired now) and leave 0 unchanged",
        "  ~ first", "      Back:", "        - Uno", "        + One",
        "  ~ sun", "      Text:", "        - The {{c1::sun}} is a {{c2::star}}", "        + The {{c1::sun}} is a {{c2::a star}}",
        "  - trial removed from the source: Anki keeps it, now with a notice and the tag demo::retired"]
    since = run("plan", "--since", "v1")
    assert (since.exit_code, since.output.splitlines()) == (0, [
        "demo: Demo deck → build/demo.apkg",
        "  compared with cards/demo.lock as committed at v1: what learners of that release will see",
        "  Anki will add 1 note, update 2 and leave 0 unchanged",
        "  + trial (new basic note, section s01-intro)",
        "  ~ first (the same text, sent again: it was changed and changed back; restore the lock file with the "
        "cards to send nothing)",
        "  ~ sun", "      Text:", "        - The {{c1::sun}} is a {{c2::star}}",
        "        + The {{c1::sun}} is a {{c2::a star}}"])
    planned = json.loads(run("plan", "--since", "v1", "--json").output)["decks"][0]["anki"]
    build_at(1700000200, monkeypatch)
    log = import_package(collection, released / "build" / "demo.apkg")
    assert planned == {"new": len(log.new), "updated": len(log.updated), "unchanged": len(log.duplicate)}


def test_restoring_the_cards_and_the_lock_file_together_undoes_an_experiment(released, monkeypatch):
    card_file = released / "cards" / "demo.yaml"
    card_file.write_text(DECK.replace("back: One", "back: Uno"))
    build_at(1700000100, monkeypatch)
    git(released, "restore", "cards/demo.yaml", "cards/demo.lock")  # as the README says
    for command in (["plan"], ["plan", "--since", "v1"]):
        assert "Anki will add 0 notes, update 0 and leave 2 unchanged" in run(*command).output
    assert run("build").exit_code == 0
    assert git(released, "status", "--porcelain", "cards") == ""
    card_file.write_text(DECK.replace("back: One", "back: Eins"))
    build_at(1700000200, monkeypatch)
    git(released, "restore", "--source", "v1", "cards/")  # the README's other way: as at the release
    assert "Anki will add 0 notes, update 0 and leave 2 unchanged" in run("plan", "--since", "v1").output


def test_since_outside_a_git_repository_is_a_usage_error(deck_project):
    deck_project(DECK)
    result = run("plan", "--since", "v1")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        2, "Error: --since v1: cards/ is not in a git repository; commit the card and lock files, and tag each "
           "release (git tag v1)")


@pytest.mark.parametrize("ref", ["v2", "--help", "no such thing"])
def test_an_unknown_ref_is_a_usage_error(released, ref):
    result = run("plan", f"--since={ref}")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        2, f"Error: --since {ref}: no tag, branch or commit of that name in this repository ('git tag' lists the "
           "tags, 'git log' the commits)")


def test_a_deck_without_a_lock_file_at_the_ref_is_named(released):
    (released / "cards" / "more.yaml").write_text(MINIMAL_DECK.replace("key: demo", "key: more")
                                                  .replace("Demo deck", "More"))
    commit = git(released, "rev-parse", "v1^{commit}").strip()
    result = run("plan", "--since", "v1")
    assert (result.exit_code, result.output.splitlines()) == (1, [
        f"cards/more.lock:1:1: there is no lock file at v1 ({commit[:12]}): the deck had no build committed then "
        "(learners of that release have none of its notes: plan the other decks by naming their card files, or "
        "leave out --since to compare with the last build)", "1 problem found; nothing was written."])
    assert run("plan", "cards/demo.yaml", "--since", "v1").exit_code == 0


def test_a_commit_works_as_well_as_a_tag_and_a_damaged_committed_lock_is_located(released):
    (released / "cards" / "demo.lock").write_text("{ not json\n")
    git(released, "commit", "-q", "-am", "A damaged lock file")
    git(released, "checkout", "-q", "HEAD~1", "--", "cards/demo.lock")
    assert run("plan", "--since", "HEAD~1").exit_code == 0
    result = run("plan", "--since", "HEAD")
    assert (result.exit_code, result.output.splitlines()[0]) == (
        1, "HEAD:cards/demo.lock:1:3: the lock file is not valid JSON: Expecting property name enclosed in double "
           "quotes (restore it from version control, or delete it: the next build then sends every note again, "
           "and notes removed from the source since are no longer retired)")
