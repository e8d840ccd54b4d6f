"""`deckbuilder push` and Anki's media folder, against real Anki desktop with AnkiConnect: a file of the package
Anki lacks comes back with the package's bytes, a file Anki has is never replaced, and a picture Anki's importer
stored under a name of its own (the package's name plus the SHA-1 of its bytes) is not taken for an edit.

The session's Anki keeps its media folder from test to test: each test here starts and ends with it empty.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path

import pytest

from deckbuilder.push.ankiconnect import AnkiConnect
from tests.support.anki_desktop import deck_query
from tests.support.cli import run
from tests.support.decks import tiny_png

# Pictures kept by name, as in a deck brought from Anki (`markup: html`): a changed picture keeps its name.
BONES_DECK = """\
deck:
  key: bones
  name: Bones
  source:
    title: Bones of the leg
note_types:
  - id: picture
    name: Bone picture
    markup: html
    fields: [Name, Picture]
    templates:
      - name: Card 1
        front: '{{Picture}}'
        back: '{{FrontSide}}<hr id="answer">{{Name}}'
sections:
  - id: legs
    title: Legs
    cards:
      - id: femur
        type: picture
        fields: {Name: femur, Picture: '<img src="femur bone.png">'}
      - id: tibia
        type: picture
        fields: {Name: tibia, Picture: '<img src="tibia.png"> [sound:tibia.mp3]'}
"""
FILES = {"femur bone.png": tiny_png(), "tibia.png": tiny_png() + b"tibia", "tibia.mp3": b"ID3\x03\x00 a knee"}
FIRST_BUILD, LATER_BUILD = "1700000000", "1700000100"  # SOURCE_DATE_EPOCH: each note's mod in the package
BUILT = "build/bones.apkg: Bones — 2 notes, 2 cards\n"
UPDATED_ONE = "bones: Anki added 0 notes, updated 1 and left 1 unchanged; it holds 2 notes of the deck"


@pytest.fixture
def media(anki) -> Path:
    """Anki's media folder, empty when the test starts and when it ends."""
    folder = Path(anki.call("getMediaDirPath"))

    def empty() -> None:
        for path in folder.iterdir():
            if path.is_file():
                path.unlink()

    empty()
    yield folder
    empty()


@pytest.fixture
def bones(in_tmp_path, monkeypatch) -> Path:
    """A deck repository holding the bones deck and its pictures and sound, built at FIRST_BUILD from its root."""
    cards = in_tmp_path / "cards"
    cards.mkdir()
    (cards / "bones.yaml").write_text(BONES_DECK, encoding="utf-8")
    for name, data in FILES.items():
        (cards / name).write_bytes(data)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIRST_BUILD)
    return cards


def pushed(anki):
    """`deckbuilder push` into the test's Anki."""
    return run("push", "--anki-url", anki.url, "--anki-key", anki.api_key)


@pytest.fixture
def actions(monkeypatch) -> list[str]:
    """Every AnkiConnect action deckbuilder sends from now on, those inside a `multi` after it, in order."""
    sent: list[str] = []
    post = AnkiConnect.post

    def spy(self, data: bytes) -> bytes:
        body = json.loads(data)
        sent.extend([body["action"], *(action["action"] for action in body["params"].get("actions", []))])
        return post(self, data)

    monkeypatch.setattr(AnkiConnect, "post", spy)
    return sent


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Each file of the media folder: its bytes and its modification time (ns)."""
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.iterdir() if path.is_file()}


def in_anki(anki, name: str) -> bytes | None:
    """The bytes Anki's media folder holds under `name`, as AnkiConnect gives them; None if it has no such file."""
    data = anki.call("retrieveMediaFile", filename=name)
    return None if data is False else base64.b64decode(data)


def fields_of(anki, name: str) -> dict[str, str]:
    """The fields of the bones note whose Name starts with `name`, as Anki holds them."""
    [note] = [note for note in anki.call("notesInfo", notes=anki.call("findNotes", query=deck_query("Bones")))
              if note["fields"]["Name"]["value"].startswith(name)]
    return {field: value["value"] for field, value in note["fields"].items()} | {"id": note["noteId"]}


def pushed_edit(anki, cards: Path, monkeypatch, old: str, new: str):
    """Edit the bones card file as an author would, then push a build made after the first."""
    card_file = cards / "bones.yaml"
    text = card_file.read_text(encoding="utf-8")
    assert old in text
    card_file.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER_BUILD)
    return pushed(anki)


def test_files_anki_lacks_come_back_and_a_file_anki_has_stays_as_it_is(anki, media, bones, actions):
    """A file deleted by hand and one Anki deleted itself (as Tools > Check Media does) come back, with no import;
    another deck's file, and another deck's file under a name of the package, are left as they are."""
    other_femur = b"another deck's femur"
    anki.call("storeMediaFile", filename="femur bone.png", data=base64.b64encode(other_femur).decode())
    anki.call("storeMediaFile", filename="pelvis.png", data=base64.b64encode(b"another deck's pelvis").decode())
    result = pushed(anki)
    assert (result.exit_code, result.output) == (0, "build/bones.apkg: Bones — 2 notes, 2 cards\n"
                                                    "bones: Anki added 2 notes, updated 0 and left 0 unchanged; it "
                                                    "holds 2 notes of the deck\n")
    assert "storeMediaFile" not in actions, "the import brought every file its notes use"
    renamed = f"femur bone-{hashlib.sha1(FILES['femur bone.png']).hexdigest()}.png"
    assert fields_of(anki, "femur")["Picture"] == f'<img src="{renamed}">'

    (media / "tibia.png").unlink()
    anki.call("deleteMediaFile", filename="tibia.mp3")
    assert (in_anki(anki, "tibia.png"), in_anki(anki, "tibia.mp3")) == (None, None)
    others = {name: folder_state(media)[name] for name in ("femur bone.png", "pelvis.png", renamed)}
    actions.clear()
    result = pushed(anki)
    assert (result.exit_code, result.output) == (0, "build/bones.apkg: Bones — 2 notes, 2 cards (unchanged)\n"
                                                    "bones: Anki holds it already (2 notes); nothing imported, 2 "
                                                    "media files restored\n")
    assert (in_anki(anki, "tibia.png"), in_anki(anki, "tibia.mp3")) == (FILES["tibia.png"], FILES["tibia.mp3"])
    assert {name: folder_state(media)[name] for name in others} == others, "a file Anki had was touched"
    assert sorted(folder_state(media)) == sorted([*others, "tibia.png", "tibia.mp3"])
    assert in_anki(anki, "femur bone.png") == other_femur
    assert "importPackage" not in actions and "retrieveMediaFile" not in actions, "no import, and no file's bytes"

    state = folder_state(media)
    actions.clear()
    result = pushed(anki)
    assert (result.exit_code, result.output) == (0, "build/bones.apkg: Bones — 2 notes, 2 cards (unchanged)\n"
                                                    "bones: Anki holds it already (2 notes); nothing imported\n")
    assert "storeMediaFile" not in actions and "importPackage" not in actions
    assert folder_state(media) == state


def test_a_file_the_import_does_not_bring_is_restored_beside_it(anki, media, bones, monkeypatch):
    """The importer copies only the files of the notes it updates: the push restores the femur's picture, whose
    note is left unchanged, while the tibia's note is updated."""
    assert pushed(anki).exit_code == 0
    (media / "femur bone.png").unlink()
    result = pushed_edit(anki, bones, monkeypatch, "Name: tibia", "Name: tibia (shin bone)")
    assert (result.exit_code, result.output) == (0, f"{BUILT}{UPDATED_ONE}, 1 media file restored\n")
    assert in_anki(anki, "femur bone.png") == FILES["femur bone.png"]
    assert fields_of(anki, "tibia")["Name"] == "tibia (shin bone)"


def test_a_picture_anki_stored_under_a_name_of_its_own_is_not_an_edit(anki, media, bones, monkeypatch):
    """A changed picture under the same name, and nothing else changed: the build sends its note again, Anki's
    importer keeps the file it has, stores the package's as 'femur bone-<sha1>.png' and rewrites the updated note
    to show it. Neither that push nor a later one, once the note was touched in Anki without a change (its mod
    rises), takes the note for one edited in Anki."""
    assert pushed(anki).exit_code == 0
    new_picture = tiny_png() + b"a sharper femur"
    (bones / "femur bone.png").write_bytes(new_picture)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER_BUILD)
    result = pushed(anki)
    assert (result.exit_code, result.output) == (0, f"{BUILT}{UPDATED_ONE}\n")
    renamed = f"femur bone-{hashlib.sha1(new_picture).hexdigest()}.png"
    femur = fields_of(anki, "femur")
    assert (femur["Name"], femur["Picture"]) == ("femur", f'<img src="{renamed}">')
    assert (in_anki(anki, renamed), in_anki(anki, "femur bone.png")) == (new_picture, FILES["femur bone.png"])

    time.sleep(1)  # a note's mod is in seconds: the touch below must make it newer than the push's
    anki.call("addTags", notes=[femur["id"]], tags="touched")
    anki.call("removeTags", notes=[femur["id"]], tags="touched")
    result = pushed(anki)
    assert (result.exit_code, result.output) == (0, "build/bones.apkg: Bones — 2 notes, 2 cards (unchanged)\n"
                                                    "bones: Anki holds it already (2 notes); nothing imported\n")

    anki.call("updateNoteFields", note={"id": femur["id"], "fields": {"Name": "my femur"}})
    result = pushed(anki)
    assert result.output.endswith("bones: Anki holds it already (2 notes); nothing imported\n  Anki keeps 1 note "
                                  "('my femur') as edited there, not as built (an edit made in Anki after the "
                                  "card last changed stays; edit the card to send it again)\n")
