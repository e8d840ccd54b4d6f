"""`deckbuilder push`: the packages a build wrote (or left as they were), imported into the running Anki.

Anki imports a package with its own importer (AnkiConnect's `importPackage`), exactly as a double-click
would, so notes are matched by GUID, updated when the package's are newer, and keep every review. What
decides whether a deck is imported is what Anki holds, never the last build: a deck is sent whole whenever
Anki lacks any of it — the deck, a note as the package has it, a note type's fields, templates or styling.
So a deck Anki never got (Anki was closed, a new profile, a deleted deck) is sent on the next
push, and a push that finds everything there imports nothing (an import is not free: it stamps the deck's
note types as modified, see README "Push to Anki desktop").

What Anki then holds is read back, not predicted: AnkiConnect shows no note's GUID or mod, so the deck's
notes are compared by note id and content before and after the import.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from deckbuilder.lock.release import retired_tag
from deckbuilder.push.ankiconnect import AnkiConnect, AnkiUnavailable, check_version
from deckbuilder.push.collection import has_deck, held_note_types, held_notes
from deckbuilder.push.contents import Content, PackageContents, read_package
from deckbuilder.write.output import Written


@dataclass(frozen=True)
class Pushed:
    """What Anki holds of a deck after a push, in the words `plan` uses, counted in Anki."""

    key: str
    name: str
    imported: bool  # False: Anki held the package already
    added: int
    updated: int
    retired_now: int  # of the updated notes, those that carry the retired tag since this import
    unchanged: int
    holds: int  # the deck's notes in Anki, retired ones included
    retired: int
    not_as_built: tuple[str, ...] = ()  # the package's notes Anki holds otherwise, by their first field
    note_types_not_as_built: tuple[str, ...] = ()


def push_packages(anki: AnkiConnect, written: list[Written]) -> Iterator[Pushed]:
    """Each package made to be held by Anki, in turn: what Anki holds of its deck afterwards. AnkiUnavailable
    stops at the deck it happened at; the next push starts from what Anki holds, so it repairs that."""
    check_version(anki)
    for item in written:
        yield push_package(anki, item)


def push_package(anki: AnkiConnect, written: Written) -> Pushed:
    key, name = written.deck.key, written.deck.name
    package = read_package(written.path)
    before = held_notes(anki, name, key)
    if not lacks(anki, package, name, before):
        return outcome(key, name, before, before, imported=False)
    if anki.call("importPackage", path=str(written.path.resolve())) is not True:
        raise AnkiUnavailable(f"Anki did not import {written.path}: open your profile in Anki, then push again")
    after = held_notes(anki, name, key)
    not_as_built = Counter(package.notes) - Counter(after.values())
    shapes = held_note_types(anki, list(package.note_types))
    return outcome(key, name, before, after, imported=True,
                   not_as_built=tuple(content.first_field for content in not_as_built.elements()),
                   note_types_not_as_built=tuple(type_name for type_name, shape in package.note_types.items()
                                                 if shapes[type_name] != shape))


def lacks(anki: AnkiConnect, package: PackageContents, deck: str, held: dict[int, Content]) -> bool:
    """Whether Anki lacks anything of the package that an import would bring: the deck, a note as built (as
    many notes of each content: two cards may read alike), a note type as built. (Not a media file deleted in
    Anki: Anki copies a package's media for the notes it adds or updates only.) Cheapest questions first."""
    if Counter(package.notes) - Counter(held.values()) or not has_deck(anki, deck):
        return True
    shapes = held_note_types(anki, list(package.note_types))
    return any(shapes[type_name] != shape for type_name, shape in package.note_types.items())


def outcome(key: str, name: str, before: dict[int, Content], after: dict[int, Content], imported: bool,
            **checks) -> Pushed:
    """The import's effect, from the deck's notes in Anki before and after it (by note id)."""
    retired = retired_tag(key)
    kept = before.keys() & after.keys()
    updated = [note_id for note_id in kept if before[note_id] != after[note_id]]
    retired_now = sum(after[note_id].has_tag(retired) and not before[note_id].has_tag(retired) for note_id in updated)
    return Pushed(key, name, imported, added=len(after.keys() - before.keys()), updated=len(updated),
                  retired_now=retired_now, unchanged=len(kept) - len(updated), holds=len(after),
                  retired=sum(content.has_tag(retired) for content in after.values()), **checks)
