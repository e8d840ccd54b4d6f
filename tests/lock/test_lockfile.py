"""The lock file: written by build beside the deck, stable, read back exactly; a damaged one is a clear error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckbuilder.cli.main import main
from deckbuilder.lock.records import LockedNote, lock_text
from deckbuilder.lock.read import read_lock
from tests.support.ankidecks import png
from tests.support.decks import HTML_DECK, MINIMAL_DECK, PART_FILE


@pytest.fixture
def fixed_time_project(deck_project):
    """The smallest deck in a project whose builds happen at one fixed time."""
    return deck_project(MINIMAL_DECK)


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args])


def lock_entries(fixed_time_project) -> dict:
    return json.loads((fixed_time_project / "cards" / "demo.lock").read_text())


def test_build_writes_the_lock_beside_the_decks_main_file_whatever_the_output(fixed_time_project):
    (fixed_time_project / "cards" / "more").mkdir()
    (fixed_time_project / "cards" / "more" / "part.yaml").write_text(PART_FILE)
    assert build("-o", "elsewhere").exit_code == 0
    data = lock_entries(fixed_time_project)
    assert data["deck"] == {"key": "demo", "name": "Demo deck"}
    assert sorted(data["notes"]) == ["continued", "first", "second"]
    assert data["notes"]["first"]["mod"] == 1700000000
    assert data["notes"]["first"]["fields"]["Front"] == "What is first?"
    assert not list((fixed_time_project / "cards" / "more").glob("*.lock"))


def test_the_lock_file_reads_back_as_written_and_is_rewritten_byte_for_byte(fixed_time_project):
    assert build().exit_code == 0
    path = fixed_time_project / "cards" / "demo.lock"
    text = path.read_text()
    assert lock_text(read_lock(path)) == text
    assert text.endswith("}\n") and all(len(line) < 2000 for line in text.splitlines())


def test_an_unchanged_deck_leaves_its_lock_file_untouched(fixed_time_project, monkeypatch):
    assert build().exit_code == 0
    path = fixed_time_project / "cards" / "demo.lock"
    stamp = path.stat().st_mtime_ns
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert build().exit_code == 0
    assert path.stat().st_mtime_ns == stamp and lock_entries(fixed_time_project)["notes"]["first"]["mod"] == 1700000000


def test_without_a_lock_file_every_note_starts_at_the_build_time(fixed_time_project, monkeypatch):
    assert build().exit_code == 0
    (fixed_time_project / "cards" / "demo.lock").unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert "(unchanged)" not in build().output  # a deleted lock file is a change: the deck is rebuilt
    assert lock_entries(fixed_time_project)["notes"]["first"]["mod"] == 1800000000


def test_a_changed_note_gets_a_newer_mod_and_the_others_keep_theirs(fixed_time_project, monkeypatch):
    (fixed_time_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + "      - {id: other, front: Q, back: A}\n")
    assert build().exit_code == 0
    (fixed_time_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK.replace("back: One", "back: Uno")
                                                 + "      - {id: other, front: Q, back: A}\n")
    assert build().exit_code == 0  # the same SOURCE_DATE_EPOCH: as if in the same second
    notes = lock_entries(fixed_time_project)["notes"]
    assert (notes["first"]["mod"], notes["other"]["mod"]) == (1700000001, 1700000000)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    (fixed_time_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + "      - {id: other, front: Q, back: A}\n")
    assert build().exit_code == 0
    assert lock_entries(fixed_time_project)["notes"]["first"]["mod"] == 1750000000


DAMAGED = [
    ("{\n  \"format\": 1,\n<<<<<<< HEAD\n", "cards/demo.lock:3:1: the lock file is not valid JSON: Expecting "
     "property name enclosed in double quotes (a merge conflict? keep either side: the next build sends the notes "
     "that differ again)"),
    ("[1, 2]\n", "cards/demo.lock:1:1: not a deckbuilder lock file of format 1 (restore it from version "
     "control, or delete it: the next build then sends every note again, and notes removed from the source "
     "since are no longer retired)"),
]


@pytest.mark.parametrize("text, message", DAMAGED)
def test_a_damaged_lock_file_is_one_clear_problem_and_nothing_is_written(fixed_time_project, text, message):
    (fixed_time_project / "cards" / "demo.lock").write_text(text)
    for command in (["build"], ["check"], ["plan"]):
        result = CliRunner().invoke(main, command)
        assert (result.exit_code, result.output.splitlines()[0]) == (1, message)
    assert not (fixed_time_project / "build").exists()


def test_a_damaged_note_entry_is_reported_at_its_line(fixed_time_project):
    assert build().exit_code == 0
    path = fixed_time_project / "cards" / "demo.lock"
    lines = path.read_text().splitlines()
    [number] = [i for i, line in enumerate(lines, start=1) if line.startswith('    "first"')]
    lines[number - 1] = lines[number - 1].replace('"mod": 1700000000', '"mod": "soon"')
    path.write_text("\n".join(lines) + "\n")
    for command in (["build"], ["check"], ["plan"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1
        assert result.output.startswith(f"cards/demo.lock:{number}:1: the lock file's entry for card 'first' is "
                                        "damaged")


def test_a_lock_file_that_is_a_folder_is_refused(fixed_time_project):
    (fixed_time_project / "cards" / "demo.lock").mkdir()
    result = build()
    assert (result.exit_code, result.output.splitlines()[0].split(" (")[0]) == (
        1, "cards/demo.lock:1:1: the lock file is a folder")


def test_entries_kept_as_read_are_exactly_what_a_fresh_build_would_write(fixed_time_project):
    """A rebuild copies unchanged notes' entries from the lock file it read, for speed; same bytes."""
    import dataclasses

    (fixed_time_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + "      - {id: other, front: 'Q \"é\"', back: A}\n")
    assert build().exit_code == 0
    (fixed_time_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK.replace("One", "Uno")
                                                 + "      - {id: other, front: 'Q \"é\"', back: A}\n")
    assert build().exit_code == 0
    path = fixed_time_project / "cards" / "demo.lock"
    lock = read_lock(path)
    names = lock.note_types["basic"].fields
    fresh = dataclasses.replace(lock, notes={card_id: LockedNote.of(note.guid, note.note_type, note.section, names,
                                                                    note.fields(names), note.tags, note.hash, note.mod)
                                             for card_id, note in lock.notes.items()})
    assert lock_text(fresh) == path.read_text()


def test_a_lock_file_reformatted_by_a_tool_reads_the_same_and_is_rewritten_as_a_build_writes_it(fixed_time_project):
    assert build().exit_code == 0
    path = fixed_time_project / "cards" / "demo.lock"
    written = path.read_text()
    path.write_text(json.dumps(json.loads(written), indent=4, sort_keys=True))
    assert read_lock(path) == read_lock_from_text(fixed_time_project, written)
    (fixed_time_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK.replace("One", "Uno"))
    assert build().exit_code == 0
    rewritten = path.read_text()
    assert rewritten.splitlines()[:-6] == written.splitlines()[:-6]  # header and note types as they were
    assert rewritten.splitlines()[-3].startswith('    "first": {"fields": {"Back": "Uno", ')


def read_lock_from_text(fixed_time_project, text: str):
    copy = fixed_time_project / "copy.lock"
    copy.write_text(text)
    return read_lock(copy)


PICTURES = HTML_DECK + "      - {id: skull, type: picture, fields: {Picture: '<img src=\"skull.png\">', Name: Skull}}\n"


def pictures_project(deck_project) -> Path:
    project = deck_project(PICTURES)
    (project / "cards" / "femur bone.png").write_bytes(png(1, 2, 3))
    (project / "cards" / "say.mp3").write_bytes(b"ID3 not really audio")
    (project / "cards" / "skull.png").write_bytes(b"a skull")
    return project


def picture_notes(project: Path) -> dict:
    return json.loads((project / "cards" / "pictures.lock").read_text())["notes"]


def test_a_file_an_html_field_names_is_recorded_and_its_new_content_sends_its_note_again(deck_project,
                                                                                        monkeypatch):
    project = pictures_project(deck_project)
    assert build().exit_code == 0
    femur = picture_notes(project)["femur"]
    assert list(femur["media"]) == ["femur bone.png", "say.mp3"] and len(femur["media"]["say.mp3"]) == 32
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    (project / "cards" / "femur bone.png").write_bytes(png(9, 9, 9))  # the same name, another picture
    assert build().exit_code == 0
    notes = picture_notes(project)
    assert (notes["femur"]["mod"], notes["skull"]["mod"]) == (1750000000, 1700000000)
    assert notes["femur"]["media"] != femur["media"] and notes["femur"]["fields"] == femur["fields"]


def test_a_lock_file_from_before_media_were_recorded_sends_nothing_again_and_records_them(deck_project, monkeypatch):
    project = pictures_project(deck_project)
    assert build().exit_code == 0
    lock = project / "cards" / "pictures.lock"
    recorded = lock.read_text()
    old = re.sub(r'"media": \{[^}]*\}, ', "", recorded)
    assert old != recorded and '"media"' not in old
    lock.write_text(old)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    assert build().exit_code == 0
    assert lock.read_text() == recorded  # every mod kept; the files recorded as they are now


@pytest.mark.parametrize("entry", ['["_a.png"]', '{"_a.png": 7}'])
def test_a_damaged_template_media_entry_is_reported_at_its_line(fixed_time_project, entry):
    assert build().exit_code == 0
    path = fixed_time_project / "cards" / "demo.lock"
    lines = path.read_text().splitlines()
    lines.insert(4, f'  "template media": {entry},')
    path.write_text("\n".join(lines) + "\n")
    result = build()
    assert result.exit_code == 1
    assert result.output.startswith("cards/demo.lock:5:1: the lock file's 'template media' entry is damaged")
