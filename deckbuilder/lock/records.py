"""The lock file: what the last build put in a deck's package, committed beside its card files.

Anki updates a note on re-import only when the package's `mod` is newer than its own (ANKI_FACTS.md).
So a build must know, for every note, what it last sent and when: the lock file records it. It holds
each note's full content too (as it reached Anki), so a card removed from the source can still be sent
as a retired note, and `deckbuilder plan` can show a field-by-field diff, from a fresh clone.

One entry per line, keys sorted, so a rebuild's change to the lock reads well in `git diff`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from deckbuilder.anki import notetypes
from deckbuilder.anki.notetypes import NoteType

FORMAT = 1
HEADER = "deckbuilder lock file: written by 'deckbuilder build'; commit it, do not edit it"


@dataclass(frozen=True, slots=True, eq=False)  # slots: a big deck's lock holds 100,000 of them
class LockedNote:
    """A note as the last build sent it to Anki."""

    guid: str
    note_type: str  # a key of NOTE_TYPES
    section: str
    # (field name, HTML) in the note type's order, empty fields left out; None: only in `line`, read from it
    # when asked for (`fields`), as few notes' are: a big deck's would take hundreds of megabytes.
    given_fields: tuple[tuple[str, str], ...] | None
    tags: tuple[str, ...]
    hash: str  # content_hash of the fields, tags and type: equal hashes, nothing for Anki to update
    mod: int  # seconds; rises exactly when the note's content does
    retired: bool = False  # removed from the source, kept in the package with a notice
    line: str | None = field(default=None, repr=False)  # as the lock file had it, if read

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        if self.given_fields is not None:
            return self.given_fields
        return ordered_fields(self.note_type, json.loads(self.line)["fields"])

    def __eq__(self, other) -> bool:  # fields compared whether they are kept apart or in the line
        return isinstance(other, LockedNote) and self.content() == other.content()

    def content(self) -> tuple:
        return self.guid, self.note_type, self.section, self.fields, self.tags, self.hash, self.mod, self.retired


@dataclass(frozen=True)
class LockedNoteType:
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    hash: str  # of everything Anki updates in place: templates and CSS (and the names)
    mod: int


@dataclass(frozen=True)
class Lock:
    key: str
    name: str  # the deck's name: Anki matches decks by it
    note_types: dict[str, LockedNoteType]  # NOTE_TYPES key → the note type as last sent
    notes: dict[str, LockedNote]  # card id → the note as last sent


def ordered_fields(note_type: str, by_name: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A lock entry's fields, a mapping by name, as LockedNote holds them: in the note type's order."""
    return tuple((name, by_name[name]) for name in notetypes.NOTE_TYPES[note_type].fields if name in by_name)


def named_fields(note_type: NoteType, fields: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """A note's fields as the lock file keeps them: by name, in the note type's order, empty ones left out."""
    return tuple((name, text) for name, text in zip(note_type.fields, fields) if text)


def field_values(note_type: NoteType, fields: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Every field of the note type in its order, from (name, text) pairs (the last of a name counts)."""
    texts = dict(fields)
    return tuple(texts.get(name, "") for name in note_type.fields)


def content_hash(note_type: str, fields: tuple[tuple[str, str], ...], tags: tuple[str, ...]) -> str:
    """A hash of everything that reaches Anki for a note: note type, fields (by name, in the note type's
    order), tags."""
    # Card files cannot hold control characters and tags hold no spaces: joined with these, different
    # notes never give the same text.
    named = "\x1f".join(f"{name}\x1d{value}" for name, value in fields)
    text = "\x1e".join([note_type, named, " ".join(tags)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def note_type_hash(note_type: NoteType) -> str:
    templates = [[t.name, t.front, t.back] for t in note_type.templates]
    text = json.dumps([note_type.name, list(note_type.fields), templates, notetypes.stylesheet(), note_type.is_cloze])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def lock_path(folder: Path, deck_key: str) -> Path:
    """Beside the deck's main card file: committed with the cards it describes."""
    return folder / f"{deck_key}.lock"


def lock_text(lock: Lock) -> str:
    """The lock file's text: the same lock always gives the same bytes."""
    def line(data) -> str:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))

    types = [f"    {line(key)}: {line(note_type_data(t))}" for key, t in sorted(lock.note_types.items())]
    notes = [f"    {line(card_id)}: {n.line or line(note_data(n))}" for card_id, n in sorted(lock.notes.items())]
    return "\n".join([
        "{", f'  "deckbuilder": {line(HEADER)},', f'  "format": {FORMAT},',
        f'  "deck": {line({"key": lock.key, "name": lock.name})},',
        '  "note types": {', ",\n".join(types), "  },",
        '  "notes": {', ",\n".join(notes), "  }", "}", ""])


def note_type_data(note_type: LockedNoteType) -> dict:
    return {"id": note_type.id, "name": note_type.name, "fields": list(note_type.fields),
            "templates": list(note_type.templates), "hash": note_type.hash, "mod": note_type.mod}


def note_data(note: LockedNote) -> dict:
    data = {"guid": note.guid, "type": note.note_type, "section": note.section, "fields": dict(note.fields),
            "tags": list(note.tags), "hash": note.hash, "mod": note.mod}
    if note.retired:
        data["retired"] = True
    return data
