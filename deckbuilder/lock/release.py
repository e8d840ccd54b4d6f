"""The release: the compiled deck and the last lock → each note's `mod`, the retired notes, the new lock.

Anki updates a note (or note type) on re-import only if the package's `mod` is newer than the one it
has. So a note keeps its recorded `mod` while its content is unchanged — Anki then leaves it alone,
edits the user made to it included — and a changed note gets max(now, previous + 1): newer than
anything sent before, even from two builds within one second. Cards removed from the source stay in
the package as retired notes (Anki never deletes on import): a notice on the card and one tag to find
them all by.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from deckbuilder.anki.notetypes import NOTE_TYPES, NoteType
from deckbuilder.anki.templates import card_ords
from deckbuilder.compiler.note import CompiledDeck, CompiledNote, note_digest
from deckbuilder.lock.records import Lock, LockedNote, LockedNoteType, changed_files, kind_of, note_type_hash


@dataclass(frozen=True)
class ReleaseOptions:
    force: bool = False  # accept a note type schema change (Anki then leaves its notes unupdated)
    prune_retired: bool = False  # drop retired notes from package and lock file


@dataclass(frozen=True)
class Release:
    """What a deck's package holds and what its lock file will say."""

    deck: CompiledDeck  # the notes of the source, then the retired notes
    live: int  # how many of deck.notes are in the source
    mods: tuple[int, ...]  # per note of deck.notes
    note_type_mods: dict[str, int]  # card type → its note type's mod
    lock: Lock

    @property
    def timestamp(self) -> int:
        """The package's own time (ids, collection): its newest mod, so an unchanged deck gives the same bytes."""
        return max((*self.mods, *self.note_type_mods.values()))

    @property
    def retired_count(self) -> int:
        return len(self.deck.notes) - self.live


def retired_tag(deck_key: str) -> str:
    return f"{deck_key}::retired"


def retired_notice(deck_key: str) -> str:
    return ("Removed from the source of this deck: it is no longer taught. Find every such card with the "
            f"search <b>tag:{retired_tag(deck_key)}</b> and delete them.")


def release(compiled: CompiledDeck, previous: Lock | None, now: int, prune_retired: bool = False) -> Release:
    """The notes with their mods; `now` is the time of this build, for what changed since `previous`."""
    before = previous.notes if previous is not None else {}
    types = compiled.note_types or NOTE_TYPES
    notes, mods, locked = [], [], {}
    for note in compiled.notes:
        locked[note.card_id] = entry = lock_record(note, before.get(note.card_id), now)
        notes.append(note)
        mods.append(entry.mod)
    for card_id, old in before.items():  # in the lock file's order: sorted by card id
        if card_id in locked or prune_retired:
            continue
        entry = old if old.retired else retire(old, types[old.note_type], compiled.key, now)
        locked[card_id] = entry
        notes.append(retired_note(compiled.key, card_id, entry, types[entry.note_type]))
        mods.append(entry.mod)
    used = dict.fromkeys(note.note_type for note in notes)
    note_types = {key: locked_note_type(key, types[key], previous, now) for key in used}
    lock = Lock(compiled.key, compiled.name, note_types, locked, compiled.template_media)
    deck = replace(compiled, notes=tuple(notes))
    return Release(deck, len(compiled.notes), tuple(mods), {key: t.mod for key, t in note_types.items()}, lock)


def lock_record(note: CompiledNote, old: LockedNote | None, now: int) -> LockedNote:
    """The lock's record of a note. An unchanged note keeps its record, mod included (so Anki leaves it
    alone); a changed one gets a mod newer than any it had."""
    # The digest covers type, fields and tags: an unchanged note's fields need not be read from the lock. A file
    # its fields name under its own name can change with none of them: Anki's importer copies a package's file
    # only for a note it adds or updates (one whose name it has with other content under a new name, rewriting
    # that note's references), so such a change, too, needs a newer mod.
    unchanged = old is not None and old.hash == note.digest and not old.retired and (
        old.guid, old.note_type, old.section, old.tags) == (note.guid, note.note_type, note.section, note.tags)
    if unchanged and not changed_files(old.media, note.kept_media):
        if (old.subdeck, old.media) == (note.subdeck, note.kept_media):
            return old
        # Moved to another subdeck only (Anki never moves cards), or media recorded by a lock from before they
        # were: nothing for Anki to update, so the same mod.
        return LockedNote.of(note.guid, note.note_type, note.section, note.field_names, note.fields, note.tags,
                             note.digest, old.mod, subdeck=note.subdeck, media=note.kept_media)
    mod = now if old is None else max(now, old.mod + 1)
    return LockedNote.of(note.guid, note.note_type, note.section, note.field_names, note.fields, note.tags,
                         note.digest, mod, subdeck=note.subdeck, media=note.kept_media)


def retire(old: LockedNote, note_type: NoteType, deck_key: str, now: int) -> LockedNote:
    """A note removed from the source, as it is sent from now on: its last text, one tag, and a notice where its
    note type has a Notice field (deckbuilder's own do)."""
    names = note_type.fields
    fields = tuple(retired_notice(deck_key) if name == "Notice" else text
                   for name, text in zip(names, old.fields(names)))
    tags = (retired_tag(deck_key),)
    return LockedNote.of(old.guid, old.note_type, old.section, names, fields, tags,
                         note_digest(old.note_type, names, fields, tags), max(now, old.mod + 1), retired=True,
                         subdeck=old.subdeck, media=old.media)


def retired_note(deck_key: str, card_id: str, entry: LockedNote, note_type: NoteType) -> CompiledNote:
    """A retired note as the package holds it: as the lock has it, with the GUID it has in Anki."""
    fields = entry.fields(note_type.fields)
    return CompiledNote(deck_key, card_id, entry.section, entry.note_type, fields, entry.tags,
                        tuple(card_ords(note_type, fields, entry.tags)), given_guid=entry.guid,
                        field_names=note_type.fields, subdeck=entry.subdeck)


def locked_note_type(key: str, note_type: NoteType, previous: Lock | None, now: int) -> LockedNoteType:
    """A note type's record: its mod rises only when its templates or CSS (or names) change."""
    digest = note_type_hash(note_type)
    old = previous.note_types.get(key) if previous is not None else None
    mod = now if old is None else old.mod if old.hash == digest else max(now, old.mod + 1)
    templates = tuple(template.name for template in note_type.templates)
    kind = kind_of(key, note_type)
    return LockedNoteType(note_type.id, note_type.name, note_type.fields, templates, digest, mod, kind)
