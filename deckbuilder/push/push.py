"""`deckbuilder push`: the packages a build wrote (or left as they were), imported into the running Anki.

Anki imports a package with its own importer (AnkiConnect's `importPackage`), exactly as a double-click
would, so notes are matched by GUID, updated when the package's are newer, and keep every review. What
decides whether a deck is imported is what Anki holds, never the last build: a deck is sent whenever
importing it would change what Anki holds — a note Anki lacks or holds older than the package's, a note type
whose templates or styling the package changes — so a deck Anki never got (Anki was closed, a new profile,
a deck deleted in Anki) is sent on the next push, and a push that finds nothing to change imports nothing
(an import is not free: it stamps the deck's note types as modified, see README "Push to Anki desktop").

What Anki then holds is read back from Anki, by GUID, not predicted. Then each media file of the package
whose name Anki's media folder lacks is stored there (media.py): the importer would never bring it back.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from deckbuilder.lock.release import retired_tag
from deckbuilder.push.ankiconnect import AnkiConnect, AnkiUnavailable, check_version
from deckbuilder.push.collection import held_deck
from deckbuilder.push.contents import DeckContents, read_package
from deckbuilder.push.media import PackageMedia, read_back, restore_media
from deckbuilder.problems import display_path
from deckbuilder.write.output import Written

NO_DECK = DeckContents({}, {})


@dataclass(frozen=True)
class Pushed:
    """What Anki holds of a deck after a push, in the words `plan` uses, counted in Anki."""

    key: str
    imported: bool  # False: importing would have changed nothing
    added: int
    updated: int
    retired_now: int  # of the updated notes, those that carry the retired tag since this import
    unchanged: int
    holds: int  # the deck's notes in Anki, retired ones included
    retired: int
    edited_in_anki: tuple[str, ...] = ()  # the package's notes Anki holds as edited there since, by first field
    not_in_deck: tuple[str, ...] = ()  # the package's notes the deck in Anki lacks after the push
    media_restored: int = 0  # the package's media files Anki's media folder lacked, stored there by the push


def push_packages(anki: AnkiConnect, written: list[Written]) -> Iterator[Pushed]:
    """Each package imported into Anki where it changes what Anki holds, in turn: what Anki holds of its deck
    afterwards. AnkiUnavailable stops at the deck it happened at; the next push starts from what Anki holds,
    so it sends what this one could not."""
    check_version(anki)
    for item in written:
        yield push_package(anki, item)


def push_package(anki: AnkiConnect, written: Written) -> Pushed:
    package, media = read_package(written.path), PackageMedia.read(written.path)
    with tempfile.TemporaryDirectory(prefix="deckbuilder-push-") as scratch:
        before = held_deck(anki, written.deck.name, Path(scratch, "before.apkg"))
        imported = before is None or would_change(package, before)
        after = before
        if imported:
            import_package(anki, written.path)
            after = held_deck(anki, written.deck.name, Path(scratch, "after.apkg")) or NO_DECK
        # Once the import has brought the files its notes use: what Anki lacks then, only this brings back.
        restored = restore_media(anki, media, Path(scratch))
    return replace(outcome(written.deck.key, package, media, before or NO_DECK, after, imported),
                   media_restored=restored)


def import_package(anki: AnkiConnect, path: Path) -> None:
    if anki.call("importPackage", path=str(path.resolve())) is not True:
        raise AnkiUnavailable(f"Anki did not import {display_path(path)}: open your profile in Anki, then push again")


def would_change(package: DeckContents, held: DeckContents) -> bool:
    """Whether importing the package changes what Anki holds, by the importer's rule: a note is added if its GUID
    is not there, updated if the package's mod is newer; a note type likewise, if its shape differs."""
    for guid, note in package.notes.items():
        there = held.notes.get(guid)
        if there is None or there.mod < note.mod:
            return True
    for type_id, (mod, shape) in package.note_types.items():
        there_mod, there_shape = held.note_types.get(type_id, (0, None))
        if there_mod < mod and there_shape != shape:
            return True
    return False


def outcome(key: str, package: DeckContents, media: PackageMedia, before: DeckContents, after: DeckContents,
            imported: bool) -> Pushed:
    """What Anki did with the package's notes, from the deck as Anki held it before and after the import. A note
    is edited in Anki if Anki holds it newer than the package and otherwise than built, once the names Anki's
    importer gave the package's media files are read back (see media.py)."""
    retired = retired_tag(key)
    present = [guid for guid in package.notes if guid in after.notes]
    added = [guid for guid in present if guid not in before.notes]
    updated = [guid for guid in present if guid in before.notes and before.notes[guid] != after.notes[guid]]
    edited = [guid for guid in present if after.notes[guid].mod > package.notes[guid].mod
              and after.notes[guid].content != package.notes[guid].content
              and read_back(after.notes[guid].content, media) != package.notes[guid].content]
    return Pushed(key, imported, added=len(added), updated=len(updated),
                  retired_now=sum(after.notes[guid].content.has_tag(retired)
                                  and not before.notes[guid].content.has_tag(retired) for guid in updated),
                  unchanged=len(present) - len(added) - len(updated), holds=len(after.notes),
                  retired=sum(note.content.has_tag(retired) for note in after.notes.values()),
                  edited_in_anki=tuple(after.notes[guid].content.first_field for guid in edited),
                  not_in_deck=tuple(note.content.first_field for guid, note in package.notes.items()
                                    if guid not in after.notes))
