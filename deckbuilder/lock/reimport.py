"""What importing a deck's new package will do in a collection that has its last one, in Anki's terms.

It compares two lock files: the one of the last build and the one this build would write. A note is
new when the last lock has no note of its card id, updated when its content hash changed (its mod then
rises, so Anki takes it), unchanged otherwise (same mod: Anki logs it as a duplicate and leaves it, the
user's own edits included).
"""

from __future__ import annotations

from dataclasses import dataclass

from deckbuilder.anki import cloze
from deckbuilder.lock.records import Lock, LockedNote, changed_files
from deckbuilder.lock.refusals import schema_change



@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class NoteUpdate:
    card_id: str
    fields: tuple[FieldChange, ...]
    tags: tuple[tuple[str, ...], tuple[str, ...]] | None  # (old, new) when they changed
    retired: bool  # removed from the source in this build: now carries the notice and the retired tag
    media: tuple[str, ...] = ()  # files it names under their own names whose content changed (or that it first sends)


@dataclass(frozen=True)
class NewNote:
    card_id: str
    note_type: str
    section: str


@dataclass(frozen=True)
class ClozeMove:
    """A deletion that another cloze number now holds: Anki keeps each card's reviews with its number."""

    card_id: str
    text: str
    old: int
    new: int
    old_now_asks: str | None  # what the old number holds now; None: it makes no card any more


@dataclass(frozen=True)
class SubdeckMove:
    """A note now in another deck than the one its cards went to: Anki never moves cards on import."""

    card_id: str
    old: str  # the deck its cards are in, in collections that have them
    new: str  # where new learners get them


@dataclass(frozen=True)
class EmptiedCloze:
    """A cloze number that asked something in the last build and makes no card now: Anki keeps the card,
    with its reviews, empty."""

    card_id: str
    number: int
    text: str


@dataclass(frozen=True)
class NoteTypeChange:
    name: str
    change: str  # "new", "in place" (templates or CSS), "schema" (fields or templates added/removed/renamed), "kind"
    notes: int  # the deck's notes of this type that users already have


@dataclass(frozen=True)
class Reimport:
    key: str
    name: str
    first_build: bool  # no lock file: nothing to compare with
    renamed_from: str | None
    new: tuple[NewNote, ...]
    updated: tuple[NoteUpdate, ...]  # source edits and newly retired notes
    unchanged: int  # notes Anki will leave as they are, retired ones included
    still_retired: int  # of those, removed from the source in an earlier build
    pruned: tuple[str, ...]  # retired notes dropped from the package: they stay in collections
    note_types: tuple[NoteTypeChange, ...]
    renumbered: tuple[ClozeMove, ...]
    moved: tuple[SubdeckMove, ...] = ()
    emptied: tuple[EmptiedCloze, ...] = ()  # studied cloze numbers that make no card any more

    @property
    def retired(self) -> tuple[str, ...]:
        return tuple(update.card_id for update in self.updated if update.retired)

    def anki_counts(self) -> dict[str, int]:
        """The import log Anki will write: new, updated, and unchanged ("duplicate" in its log) notes."""
        return {"new": len(self.new), "updated": len(self.updated), "unchanged": self.unchanged}


def compare(before: Lock | None, after: Lock) -> Reimport:
    """What a collection holding `before`'s notes will do when it imports `after`'s package."""
    old = before.notes if before is not None else {}
    new, updated, unchanged, still_retired, renumbered, moved, emptied = [], [], 0, 0, [], [], []
    for card_id, note in sorted(after.notes.items()):
        previous = old.get(card_id)
        if previous is not None and previous.subdeck != note.subdeck:
            moved.append(SubdeckMove(card_id, deck_name(before.name, previous.subdeck),
                                     deck_name(after.name, note.subdeck)))
        if previous is None:
            new.append(NewNote(card_id, note.note_type, note.section))
        elif previous.mod == note.mod:
            unchanged += 1
            still_retired += note.retired
        else:
            updated.append(note_update(card_id, previous, note))
            renumbered += cloze_moves(card_id, previous, note)
            emptied += emptied_numbers(card_id, previous, note)
    pruned = tuple(card_id for card_id in sorted(old) if card_id not in after.notes)
    renamed = before.name if before is not None and before.name != after.name else None
    return Reimport(after.key, after.name, before is None, renamed, tuple(new), tuple(updated), unchanged,
                    still_retired, pruned, note_type_changes(before, after), tuple(renumbered), tuple(moved),
                    tuple(emptied))


def deck_name(deck: str, subdeck: str) -> str:
    return f"{deck}::{subdeck}" if subdeck else deck


def note_update(card_id: str, old: LockedNote, new: LockedNote) -> NoteUpdate:
    before, after = old.named_fields(), new.named_fields()
    names = list(dict.fromkeys([*after, *before]))
    fields = tuple(FieldChange(name, before.get(name, ""), after.get(name, ""))
                   for name in names if before.get(name, "") != after.get(name, ""))
    tags = (old.tags, new.tags) if old.tags != new.tags else None
    return NoteUpdate(card_id, fields, tags, new.retired and not old.retired, changed_files(old.media, new.media))


def cloze_moves(card_id: str, old: LockedNote, new: LockedNote) -> list[ClozeMove]:
    """Deletions whose text another number holds now, in a cloze note users have studied."""
    if old.note_type != "cloze" or new.note_type != "cloze":
        return []
    before, after = deletions(old), deletions(new)
    asks = {number: text for text, numbers in after.items() for number in numbers}
    moves = []
    for text, numbers in before.items():
        now = after.get(text, set())
        if now and not numbers & now:
            moves.append(ClozeMove(card_id, text, min(numbers), min(now), asks.get(min(numbers))))
    return moves


def emptied_numbers(card_id: str, old: LockedNote, new: LockedNote) -> list[EmptiedCloze]:
    """Cloze numbers of a live note that made a card in the last build and make none now (a deletion whose
    text moved to another number is a renumbering instead)."""
    if old.note_type != "cloze" or new.note_type != "cloze" or new.retired:
        return []
    after = deletions(new)
    now = {number for numbers in after.values() for number in numbers}
    return [EmptiedCloze(card_id, number, text) for text, numbers in sorted(deletions(old).items())
            if text not in after for number in sorted(numbers - now)]


def deletions(note: LockedNote) -> dict[str, set[int]]:
    """Each deletion's answer, in any field of the note, → the cloze numbers it is under."""
    found: dict[str, set[int]] = {}
    for text in note.named_fields().values():
        for answer, numbers in cloze.answers(text).items():
            found.setdefault(answer, set()).update(numbers)
    return found


def note_type_changes(before: Lock | None, after: Lock) -> tuple[NoteTypeChange, ...]:
    changes = []
    for key, note_type in sorted(after.note_types.items()):
        old = before.note_types.get(key) if before is not None else None
        held = sum(1 for note in (before.notes.values() if before else ()) if note.note_type == key)
        if old is None:
            changes.append(NoteTypeChange(note_type.name, "new", held))
        elif schema_change(old, note_type):
            changes.append(NoteTypeChange(note_type.name, schema_change(old, note_type), held))
        elif old.mod != note_type.mod:
            changes.append(NoteTypeChange(note_type.name, "in place", held))
    return tuple(changes)
