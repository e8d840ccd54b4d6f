"""The lock file: what the last build put in a deck's package, committed beside its card files.

Anki updates a note on re-import only when the package's `mod` is newer than its own (ANKI_FACTS.md).
So a build must know, for every note, what it last sent and when: the lock file records it. It holds
each note's full content too (as it reached Anki), so a card removed from the source can still be sent
as a retired note, and `deckbuilder plan` can show a field-by-field diff, from a fresh clone.

One entry per line, keys sorted, so a rebuild's change to the lock reads well in `git diff`. Here: the
records and the text they are written as; read.py reads the text back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from deckbuilder.anki.notetypes import NOTE_TYPES, NoteType

FORMAT = 1
HEADER = "deckbuilder lock file: written by 'deckbuilder build'; commit it, do not edit it"


def json_line(data) -> str:
    """One value as the lock file writes it: on one line, keys sorted."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


@dataclass(frozen=True, slots=True)  # slots: a big deck's lock holds 100,000 of them
class LockedNote:
    """A note as the last build sent it to Anki. Its fields are kept only in `line`, its entry's text in the
    lock file, and read from it when asked for, as few notes' are: a big deck's would take hundreds of
    megabytes, and an unchanged note's line is written again as it is."""

    guid: str
    note_type: str  # its card type: a key of NOTE_TYPES or the id of a note type the deck declares
    section: str
    tags: tuple[str, ...]
    hash: str  # the note's digest (compiler.note.note_digest): equal hashes, nothing for Anki to update
    mod: int  # seconds; rises exactly when the note's content does
    retired: bool  # removed from the source, kept in the package with a notice
    line: str  # the entry's JSON text
    subdeck: str = ""  # where its cards went below the deck, when it was sent; "" the deck itself
    media: tuple[tuple[str, str], ...] = ()  # the note's kept_media when it was sent (compiler/note.py)

    @classmethod
    def of(cls, guid: str, note_type: str, section: str, names: tuple[str, ...], fields: tuple[str, ...],
           tags: tuple[str, ...], digest: str, mod: int, retired: bool = False, subdeck: str = "",
           media: tuple[tuple[str, str], ...] = ()) -> "LockedNote":
        """The record of a note with these fields (in the order of its note type's field `names`)."""
        named = {name: text for name, text in zip(names, fields) if text}
        data = {"guid": guid, "type": note_type, "section": section, "fields": named, "tags": list(tags),
                "hash": digest, "mod": mod}
        if retired:
            data["retired"] = True
        if subdeck:
            data["subdeck"] = subdeck
        if media:
            data["media"] = dict(media)
        return cls(guid, note_type, section, tags, digest, mod, retired, json_line(data), subdeck, media)

    def named_fields(self) -> dict[str, str]:
        """The note's fields that are not empty, by name."""
        return json.loads(self.line)["fields"]

    def fields(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Every field of the note's type (whose field names are `names`), in its order."""
        by_name = self.named_fields()
        return tuple(by_name.get(name, "") for name in names)


def changed_files(sent: tuple[tuple[str, str], ...], now: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The names of the files in `now` ((name, content hash) of the files a note names under their own names)
    whose content differs from `sent` (the same, as the note was last sent), or that it did not send. None when
    `sent` is empty: a lock file written before notes' media were recorded knows of no change."""
    if not sent:
        return ()
    by_name = dict(sent)
    return tuple(name for name, digest in now if by_name.get(name) != digest)


@dataclass(frozen=True)
class LockedNoteType:
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    hash: str  # of everything Anki updates in place: templates and CSS (and the names)
    mod: int
    kind: str | None = None  # a deck's own note type's: standard or cloze; None for deckbuilder's own


@dataclass(frozen=True)
class Lock:
    key: str
    name: str  # the deck's name: Anki matches decks by it
    note_types: dict[str, LockedNoteType]  # card type → the note type as last sent
    notes: dict[str, LockedNote]  # card id → the note as last sent
    # (name, content hash) of the files the deck's note types name ('_font.woff2'), as last sent: Anki never
    # replaces such a file it has (see refusals.py)
    template_media: tuple[tuple[str, str], ...] = ()


def kind_of(key: str, note_type: NoteType) -> str | None:
    """A deck's own note type's kind as the lock file records it; None for deckbuilder's own."""
    return None if key in NOTE_TYPES else "cloze" if note_type.is_cloze else "standard"


def note_type_hash(note_type: NoteType) -> str:
    templates = [[t.name, t.front, t.back] for t in note_type.templates]
    parts = [note_type.name, list(note_type.fields), templates, note_type.card_css, note_type.is_cloze]
    if note_type.settings:  # a deck's own note type: its fields' settings and sort field reach Anki too
        parts += [[setting.anki() for setting in note_type.settings], note_type.sort_field]
    if note_type.anki or any(t.anki or t.deck for t in note_type.templates):  # Anki's other settings, if given
        parts += [list(note_type.anki), [[list(t.anki), t.deck] for t in note_type.templates]]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def lock_path(folder: Path, deck_key: str) -> Path:
    """Beside the deck's main card file: committed with the cards it describes."""
    return folder / f"{deck_key}.lock"


def lock_text(lock: Lock) -> str:
    """The lock file's text: the same lock always gives the same bytes."""
    types = [f"    {json_line(key)}: {json_line(note_type_data(t))}" for key, t in sorted(lock.note_types.items())]
    notes = [f"    {json_line(card_id)}: {note.line}" for card_id, note in sorted(lock.notes.items())]
    return "\n".join([
        "{", f'  "deckbuilder": {json_line(HEADER)},', f'  "format": {FORMAT},',
        f'  "deck": {json_line({"key": lock.key, "name": lock.name})},',
        *([f'  "template media": {json_line(dict(lock.template_media))},'] if lock.template_media else []),
        '  "note types": {', ",\n".join(types), "  },",
        '  "notes": {', ",\n".join(notes), "  }", "}", ""])


def note_type_data(note_type: LockedNoteType) -> dict:
    data = {"id": note_type.id, "name": note_type.name, "fields": list(note_type.fields),
            "templates": list(note_type.templates), "hash": note_type.hash, "mod": note_type.mod}
    if note_type.kind is not None:
        data["kind"] = note_type.kind
    return data
