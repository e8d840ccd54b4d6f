"""The last build, from its lock file: the changes Anki would refuse on re-import.

Anki never changes an existing note's note type: a re-import whose note (matched by GUID) comes with
another note type is logged "conflicting" and the note is not updated. So a card whose type changed
since the last build would silently stop updating; deckbuilder refuses it instead. Likewise a note type
whose fields or templates were added, removed or renamed (a schema change) makes Anki copy the note
type and leave every note of it unupdated: that is refused unless the author forces it, as is a file the
note types name ('_font.woff2') changed under its name, which Anki would never replace.
"""

from __future__ import annotations

from pathlib import Path

from deckbuilder.anki.notetypes import NoteType
from deckbuilder.compiler.identity import note_guid
from deckbuilder.compiler.media import kept_media
from deckbuilder.compiler.notetypes import deck_note_types, note_type_texts, template_media, template_media_names
from deckbuilder.lock.groups import group_number_problems
from deckbuilder.lock.read import line_of, read_lock
from deckbuilder.lock.records import Lock, LockedNoteType, kind_of, lock_path
from deckbuilder.model import Card, Deck
from deckbuilder.problems import ContentError, Location, Problem, display_path


def deck_lock_path(deck: Deck) -> Path:
    return lock_path(deck.folder, deck.header.key)


def last_lock(deck: Deck, force: bool = False, prune_retired: bool = False) -> tuple[Lock | None, list[Problem]]:
    """A deck's lock file (its last build), and the changes since it that Anki would refuse: a schema change
    is accepted with `force`."""
    path = deck_lock_path(deck)
    try:
        lock = read_lock(path)
    except ContentError as error:
        return None, list(error.problems)
    note_types = deck_note_types(deck)
    problems = type_changes(deck, lock, path) + group_number_problems(deck, lock, path)
    if not force:
        problems += schema_changes(lock, path, note_types) + template_media_changes(deck, lock)
    if not prune_retired:
        problems += missing_note_types(deck, lock, path, note_types)
    return lock, problems


def type_changes(deck: Deck, lock: Lock | None, lock_file: Path) -> list[Problem]:
    """A problem for each card whose note in the last build has another note type or another GUID."""
    previous = lock.notes if lock is not None else {}
    problems = []
    for card in deck.cards if previous else ():
        old = previous.get(card.id)
        if old is not None and old.note_type != card.type:
            problems.append(type_change(card, old.note_type, lock_file))
        elif old is not None and old.guid != (card.guid or note_guid(deck.header.key, card.id)):
            problems.append(guid_change(card, old.guid, note_guid(deck.header.key, card.id), lock_file))
    return problems


def guid_change(card: Card, old: str, derived: str, lock_file: Path) -> Problem:
    keep = "remove its 'guid:'" if old == derived else f"give it back its GUID '{old}'"
    return Problem(card.where, f"card '{card.id}' had the GUID '{old}' in the last build ({display_path(lock_file)}); "
                   "Anki would take it for a new note",
                   f"{keep}; or give the card a new id: its old note and review history stay in Anki")


def type_change(card: Card, old: str, lock_file: Path) -> Problem:
    was = "a relationship" if old == "relationship" else f"a {old} card"
    now = "a relationship" if card.type == "relationship" else f"a {card.type} card"
    keep = "keep it under 'relationships:'" if old == "relationship" else f"keep 'type: {old}'"
    return Problem(card.type_where, f"card '{card.id}' was {was} in the last build ({display_path(lock_file)}); "
                   f"Anki would not update its note as {now}",
                   f"{keep}, or give the card a new id: its old note and review history stay in Anki")


def schema_change(old: LockedNoteType, new: LockedNoteType) -> str | None:
    """What Anki would see: "schema" for a field or template added, removed, renamed or moved; "kind" for a
    standard note type become a cloze one or back; None for neither."""
    if (old.fields, old.templates) != (new.fields, new.templates):
        return "schema"
    return "kind" if old.kind != new.kind else None


def schema_changes(lock: Lock | None, lock_file: Path, note_types: dict[str, NoteType]) -> list[Problem]:
    """A problem for each note type the deck's notes use whose fields, templates or kind changed since the lock."""
    def change_since(key: str, old: LockedNoteType) -> str | None:
        new = note_types.get(key)
        return None if new is None else schema_change(old, LockedNoteType(
            new.id, new.name, new.fields, tuple(t.name for t in new.templates), "", 0, kind_of(key, new)))

    changed = [(key, old, change) for key, old in sorted(lock.note_types.items())
               if (change := change_since(key, old))] if lock is not None else []
    text = lock_file.read_text(encoding="utf-8") if changed else ""  # only to say where
    problems = []
    for key, old, change in changed:
        count = sum(1 for note in lock.notes.values() if note.note_type == key)
        notes = f"{count} note{'s' if count != 1 else ''}"
        where = Location(display_path(lock_file), line_of(text, key))
        if count and change == "schema":
            problems.append(Problem(
                where, f"note type '{old.name}' has other fields or templates than in the last build: Anki would add "
                f"a copy of it and leave its {notes} in your users' collections unupdated (logged as conflicting)",
                "build with --force to accept that; users must then tick 'Merge note types' when importing"))
        elif count:
            problems.append(Problem(
                where, f"note type '{old.name}' was a {old.kind} note type in the last build: Anki would change its "
                f"kind in place, and the cards of its {notes} keep their reviews by number (the card of a standard "
                "note type's first template is cloze card 1 after, whatever that asks)",
                "keep its kind, or declare a note type with a new id for these cards; --force builds it anyway"))
    return problems


def template_media_changes(deck: Deck, lock: Lock | None) -> list[Problem]:
    """A problem for each file the deck's note types name whose content changed since the last build: Anki's
    importer never replaces a file whose name starts with '_' that its media folder has (rslib
    apkg/import/media.rs, "static" files), so collections that have the deck would keep the old one."""
    sent = dict(lock.template_media) if lock is not None else {}
    if not sent:
        return []
    changed = {name for name, digest in kept_media(template_media(deck)[0]) if sent.get(name, digest) != digest}
    problems = []
    for text, what in note_type_texts(deck.note_types):
        for name in dict.fromkeys(template_media_names(text.value)):
            if name in changed:
                changed.discard(name)  # said once, where it is first named
                stem, dot, suffix = name.rpartition(".")
                renamed = f"{stem}-2.{suffix}" if dot else f"{name}-2"
                problems.append(Problem(
                    text.where, f"the file '{name}' this {what} names has changed since the last build, but Anki "
                    "keeps the copy it has of a file whose name starts with '_': collections that have the deck "
                    "would never show the change",
                    f"give the changed file a new name (e.g. '{renamed}') and name that here; --force builds it "
                    "anyway, for new learners only"))
    return problems


def missing_note_types(deck: Deck, lock: Lock | None, lock_file: Path,
                       note_types: dict[str, NoteType]) -> list[Problem]:
    """A deck's own note type gone from the source while notes in users' collections (retired ones, or ones
    still in the source) have it: a package cannot send them without it."""
    if lock is None:
        return []
    gone = {note.note_type for note in lock.notes.values()} - set(note_types)
    text = lock_file.read_text(encoding="utf-8") if gone else ""
    return [Problem(Location(display_path(lock_file), line_of(text, key)),
                    f"note type '{key}' is no longer declared, but the last build sent notes of it",
                    "keep its declaration under 'note_types:' while its notes are retired, or build with "
                    "--prune-retired") for key in sorted(gone)]
