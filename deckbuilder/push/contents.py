"""What a deck holds, in the terms AnkiConnect shows a collection in: notes as their note type's name, fields
and tags, note types as their fields, templates and styling.

A push compares what the package holds with what Anki holds, both read into these terms: the package from
the .apkg itself (what Anki imports), Anki through AnkiConnect (collection.py). AnkiConnect shows no note's
GUID or mod, so a note is known by its content.
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

# Between the fields of a note in Anki's database, and the name of a package's collection (genanki writes
# the schema Anki calls anki2).
FIELD_SEPARATOR = "\x1f"
COLLECTION = "collection.anki2"


class Content(NamedTuple):
    """A note as Anki stores it. Anki writes text in Unicode's composed form (NFC) and gives a tag the
    letter case of the same tag it already has, so both are compared that way."""

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


@dataclass(frozen=True)
class NoteTypeShape:
    """What an import may change of a note type: its fields, its templates (name, front, back) and its CSS."""

    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]
    css: str


@dataclass(frozen=True)
class PackageContents:
    notes: tuple[Content, ...]
    note_types: dict[str, NoteTypeShape]  # by name


def read_package(path: Path) -> PackageContents:
    """The notes and note types of an .apkg, as Anki will read them."""
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as scratch:
        archive.extract(COLLECTION, scratch)
        database = sqlite3.connect(Path(scratch, COLLECTION).as_uri() + "?mode=ro", uri=True)
        try:
            [models] = database.execute("select models from col").fetchone()
            note_types = {int(model_id): model for model_id, model in json.loads(models).items()}
            notes = tuple(note_content(note_types[model_id], fields, tags)
                          for model_id, fields, tags in database.execute("select mid, flds, tags from notes"))
        finally:
            database.close()
    return PackageContents(notes, {model["name"]: shape(model) for model in note_types.values()})


def note_content(model: dict, fields: str, tags: str) -> Content:
    names = [field["name"] for field in sorted(model["flds"], key=lambda field: field["ord"])]
    return Content.of(model["name"], zip(names, fields.split(FIELD_SEPARATOR)), tags.split())


def shape(model: dict) -> NoteTypeShape:
    fields = tuple(field["name"] for field in sorted(model["flds"], key=lambda field: field["ord"]))
    templates = tuple((template["name"], template["qfmt"], template["afmt"])
                      for template in sorted(model["tmpls"], key=lambda template: template["ord"]))
    return NoteTypeShape(fields, templates, model["css"])
