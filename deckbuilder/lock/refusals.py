"""The last build, from its lock file: the changes Anki would refuse on re-import.

Anki never changes an existing note's note type: a re-import whose note (matched by GUID) comes with
another note type is logged "conflicting" and the note is not updated. So a card whose type changed
since the last build would silently stop updating; deckbuilder refuses it instead. Likewise a note type
whose fields or templates were added, removed or renamed (a schema change) makes Anki copy the note
type and leave every note of it unupdated: that is refused unless the author forces it.
"""

from __future__ import annotations

from pathlib import Path

from deckbuilder.anki.notetypes import NOTE_TYPES
from deckbuilder.lock.groups import group_number_problems
from deckbuilder.lock.read import line_of, read_lock
from deckbuilder.lock.records import Lock, LockedNoteType, lock_path
from deckbuilder.model import Card, Deck
from deckbuilder.problems import ContentError, Location, Problem, display_path


def deck_lock_path(deck: Deck) -> Path:
    return lock_path(deck.folder, deck.header.key)


def last_lock(deck: Deck, force: bool = False) -> tuple[Lock | None, list[Problem]]:
    """A deck's lock file (its last build), and the changes since it that Anki would refuse: a schema change
    is accepted with `force`."""
    path = deck_lock_path(deck)
    try:
        lock = read_lock(path)
    except ContentError as error:
        return None, list(error.problems)
    problems = type_changes(deck, lock, path) + group_number_problems(deck, lock, path)
    if not force:
        problems += schema_changes(lock, path)
    return lock, problems


def type_changes(deck: Deck, lock: Lock | None, lock_file: Path) -> list[Problem]:
    """A problem for each card whose note in the last build has another note type."""
    previous = lock.notes if lock is not None else {}
    problems = []
    for card in deck.cards if previous else ():
        old = previous.get(card.id)
        if old is not None and old.note_type != card.type:
            problems.append(type_change(card, old.note_type, lock_file))
    return problems


def type_change(card: Card, old: str, lock_file: Path) -> Problem:
    was = "a relationship" if old == "relationship" else f"a {old} card"
    now = "a relationship" if card.type == "relationship" else f"a {card.type} card"
    keep = "keep it under 'relationships:'" if old == "relationship" else f"keep 'type: {old}'"
    return Problem(card.type_where, f"card '{card.id}' was {was} in the last build ({display_path(lock_file)}); "
                   f"Anki would not update its note as {now}",
                   f"{keep}, or give the card a new id: its old note and review history stay in Anki")


def schema_changed(key: str, old: LockedNoteType) -> bool:
    """Whether Anki would see another schema: a field or template added, removed, renamed or moved."""
    new = NOTE_TYPES.get(key)
    return new is not None and (old.fields != new.fields or old.templates != tuple(t.name for t in new.templates))


def schema_changes(lock: Lock | None, lock_file: Path) -> list[Problem]:
    """A problem for each note type the deck's notes use whose fields or templates changed since the lock."""
    changed = [(key, old) for key, old in sorted(lock.note_types.items()) if schema_changed(key, old)] \
        if lock is not None else []
    text = lock_file.read_text(encoding="utf-8") if changed else ""  # only to say where
    problems = []
    for key, old in changed:
        count = sum(1 for note in lock.notes.values() if note.note_type == key)
        if count:
            problems.append(Problem(
                Location(display_path(lock_file), line_of(text, key)),
                f"note type '{old.name}' has other fields or templates than in the last build: Anki would add a "
                f"copy of it and leave its {count} note{'s' if count != 1 else ''} in your users' collections "
                "unupdated (logged as conflicting)",
                "build with --force to accept that; users must then tick 'Merge note types' when importing"))
    return problems
