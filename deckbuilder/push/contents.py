"""A deck as a package holds it: its notes by GUID, each with its mod and content, and its note types by id.

Both sides of a push are read this way: the package a build wrote, and the deck as Anki holds it, which
Anki exports itself (collection.py). AnkiConnect shows no note's GUID or mod any other way, and these are
what Anki's importer decides by: a note is updated only when the package's mod is newer.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple

FIELD_SEPARATOR = "\x1f"  # between a note's fields in Anki's database
# The collection inside a package: genanki writes the old schema, collection.anki2; Anki's own legacy export
# writes collection.anki21, beside a collection.anki2 holding only a note asking to update Anki.
COLLECTIONS = ("collection.anki21", "collection.anki2")


class Content(NamedTuple):
    """What a note shows. Anki writes text in Unicode's composed form (NFC) and gives a tag the letter case of
    the same tag it already has, so both are compared that way."""

    note_type: str
    fields: tuple[tuple[str, str], ...]  # (name, text) in the note type's order
    tags: tuple[str, ...]  # sorted, case folded

    @classmethod
    def of(cls, note_type: str, fields: Iterable[tuple[str, str]], tags: Iterable[str]) -> "Content":
        return cls(note_type, tuple((name, unicodedata.normalize("NFC", text)) for name, text in fields),
                   tuple(sorted({tag.casefold() for tag in tags})))

    def has_tag(self, tag: str) -> bool:
        return tag.casefold() in self.tags

    @property
    def first_field(self) -> str:
        """What Anki's browser shows a note by."""
        return self.fields[0][1] if self.fields else ""


class Note(NamedTuple):
    mod: int  # seconds
    content: Content


@dataclass(frozen=True)
class NoteTypeShape:
    """What an import may change of a note type: its fields, its templates (name, front, back) and its CSS."""

    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]
    css: str


@dataclass(frozen=True)
class DeckContents:
    notes: dict[str, Note]  # by GUID
    note_types: dict[int, tuple[int, NoteTypeShape]]  # id → (mod, shape)


def read_package(path: Path) -> DeckContents:
    """The notes and note types of an .apkg, as Anki's importer reads them."""
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as scratch:
        name = next(name for name in COLLECTIONS if name in archive.namelist())
        archive.extract(name, scratch)
        database = sqlite3.connect(Path(scratch, name).as_uri() + "?mode=ro", uri=True)
        try:
            [models] = database.execute("select models from col").fetchone()
            shapes = {int(model_id): (model["mod"], shape(model)) for model_id, model in json.loads(models).items()}
            notes = {guid: Note(mod, note_content(shapes[model_id][1], fields, tags)) for guid, mod, model_id, fields,
                     tags in database.execute("select guid, mod, mid, flds, tags from notes")}
        finally:
            database.close()
    return DeckContents(notes, shapes)


def note_content(note_type: NoteTypeShape, fields: str, tags: str) -> Content:
    return Content.of(note_type.name, zip(note_type.fields, fields.split(FIELD_SEPARATOR)), tags.split())


def shape(model: dict) -> NoteTypeShape:
    fields = tuple(field["name"] for field in sorted(model["flds"], key=lambda field: field["ord"]))
    templates = tuple((template["name"], template["qfmt"], template["afmt"])
                      for template in sorted(model["tmpls"], key=lambda template: template["ord"]))
    return NoteTypeShape(model["name"], fields, templates, model["css"])
