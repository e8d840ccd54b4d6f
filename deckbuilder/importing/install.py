"""An import's files written whole or not at all: first into a hidden folder inside the output folder, where the
main card file is read and checked as a build reads it, its cards compared with the source, field by field;
then its lock file; then every file renamed into place. A failure before the renames leaves the output folder as it
was; one during them takes back the files it had added.

Card files are staged under another name ('<name>.staged'), so a staging folder that a killed import left behind
holds no card file a build would read; the next import into the folder removes it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

from deckbuilder.anki.notetypes import NoteType
from deckbuilder.compiler.media import kept_media, link_media
from deckbuilder.compiler.note import CompiledNote
from deckbuilder.compiler.notetypes import declared_media, declared_note_type
from deckbuilder.importing.foreign import MediaFile
from deckbuilder.importing.layout import DeckFile
from deckbuilder.lock.records import Lock, lock_path, lock_text
from deckbuilder.lock.release import locked_note_type, lock_record
from deckbuilder.model import AuthoredText
from deckbuilder.problems import ContentError, Location, OutputError, Problem, display_path
from deckbuilder.source.cardformat import SCHEMA_FILE_NAME, json_schema_text, schema_to_write
from deckbuilder.source.validate import read_part
from deckbuilder.write.atomic import sync_folder
from deckbuilder.write.output import reason, writable_output

STAGING_PREFIX = ".deckbuilder-import-"
STAGED = ".staged"
EMPTY = AuthoredText("", Location(""))


@contextmanager
def staging(output: Path) -> Iterator[Path]:
    """A fresh hidden folder in `output` (made if need be), the folder locked against other imports into it and
    cleared of what killed imports left; removed afterwards, whatever was renamed out of it."""
    with writable_output(output):
        for leftover in output.glob(STAGING_PREFIX + "*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
        try:
            folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output))
        except OSError as error:
            raise OutputError(f"cannot write to {display_path(output)}/: {reason(error)} (choose a folder you can "
                              "write to with -o; nothing was written)") from error
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def stage_files(folder: Path, files: list[DeckFile], media: list[MediaFile]) -> list[Path]:
    """The card files and the media in the staging folder; every media file read (and checked) as it is written."""
    staged = []
    try:
        for file in media:
            data = file.read()
            (folder / file.name).write_bytes(data)
            staged.append(folder / file.name)
        for file in files:
            (folder / (file.name + STAGED)).write_text(file.text, encoding="utf-8")
            staged.append(folder / (file.name + STAGED))
    except OSError as error:
        raise OutputError(f"cannot write the imported deck: {reason(error)} (free some disk space, or import into "
                          "another folder with -o; nothing was written)") from error
    return staged


def checked_types(folder: Path, main: DeckFile, notes: list[CompiledNote], source: str,
                  missing: frozenset[str]) -> tuple[dict[str, NoteType], tuple[tuple[str, str], ...]]:
    """The deck's note types as a build makes them of the staged main card file, read and checked as a build reads
    it, and the files their templates and CSS name (`missing`: the deck's missing_media) as the lock records them;
    the notes of its cards (a deck of up to NOTES_PER_FILE notes has them all) compared with the source's. A
    problem or a difference is a bug of the import, said as one, and nothing is written. (The other files of a big
    deck are not read again: what the card files are made of is tested to read back as it was written.)"""
    part, problems = read_part(folder / (main.name + STAGED))
    if problems or part is None:
        raise internal(source, str(problems[0]) if problems else "its main card file does not read back")
    by_id = {note.card_id: note for note in notes}
    for section in part.sections:
        for card, _ in section.cards:
            note = by_id[card.id]
            if tuple((card.text(name) or EMPTY).value for name in note.field_names) != note.fields or (
                    card.guid or None) != note.given_guid or card.tags != note.tags:
                raise internal(source, f"note '{card.id}' would not be kept exactly")
    return ({declared.key: declared_note_type(declared, part.deck_key) for declared in part.note_types},
            kept_media(declared_media(part.note_types, folder, missing)[0]))


def internal(source: str, what: str) -> ContentError:
    return ContentError([Problem(Location(source), f"deckbuilder could not write this deck as it is: {what}",
                                 "nothing was written; please report it with the file, if you can share it")])


def deck_lock(key: str, name: str, notes: list[CompiledNote], mods: dict[str, int], types: dict[str, NoteType],
              type_mods: dict[str, int], template_media: tuple[tuple[str, str], ...]) -> Lock:
    """The lock a build of the deck would write if its last build had sent every note and note type with the
    source's own mods (`mods` by card id): the first build then keeps them, and a re-import changes nothing."""
    locked = {note.card_id: lock_record(note, None, mods[note.card_id]) for note in notes}
    used = dict.fromkeys(note.note_type for note in notes)
    return Lock(key, name, {type_key: locked_note_type(type_key, types[type_key], None, type_mods[type_key])
                            for type_key in used}, locked, template_media)


def with_kept_media(notes: list[CompiledNote], folder: Path, missing: frozenset[str]) -> list[CompiledNote]:
    """The notes with the files their fields name, staged in `folder` beside the card files, as a build of them
    finds them (`missing`: the deck's missing_media), so the lock records what the first build would."""
    return [replace(note, kept_media=kept_media([file for text in note.fields
                                                  for file in link_media(text, folder, folder, True, missing)[1]]))
            for note in notes]


def install(folder: Path, output: Path, staged: list[Path], lock: Lock, prepare: Callable[[], None]) -> list[Path]:
    """Rename the staged files, the lock file and the schema into `output`; returns the paths written. `prepare`
    runs first, the deck checked: it raises if a file in the way may not be replaced."""
    prepare()
    (folder / (lock_path(output, lock.key).name + STAGED)).write_text(lock_text(lock), encoding="utf-8")
    moves = [(path, output / path.name.removesuffix(STAGED)) for path in staged]
    moves.append((folder / (lock_path(output, lock.key).name + STAGED), lock_path(output, lock.key)))
    schema = schema_to_write(output)
    if schema is not None:
        (folder / SCHEMA_FILE_NAME).write_text(json_schema_text(), encoding="utf-8")
        moves.append((folder / SCHEMA_FILE_NAME, schema))
    added: list[Path] = []
    try:
        for source, target in moves:
            existed = target.exists()
            os.replace(source, target)
            if not existed:
                added.append(target)
    except OSError as error:
        for path in added:
            path.unlink(missing_ok=True)
        raise OutputError(f"cannot write {display_path(error.filename or output)}: {reason(error)} (nothing of the "
                          "import was kept)") from error
    sync_folder(output)
    return [target for _, target in moves]
