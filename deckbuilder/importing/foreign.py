"""A deck made elsewhere, as plain data: what an Anki package, a CrowdAnki folder or a spreadsheet holds.

Every reader in this stage returns a ForeignDeck; the writer maps it to card files and a lock file. Nothing
here knows YAML. The data is frozen dataclasses with tuples inside; a note type's `anki` dict is Anki's own
legacy JSON (nested lists and dicts): read it, never change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

STANDARD = "standard"
CLOZE = "cloze"


@dataclass(frozen=True)
class NoteType:
    """A note type as Anki keeps it: `anki` is its whole legacy JSON dict (what `col.models.all()` gives and
    genanki writes), verbatim, but for `usn` (the source collection's sync state, left out) and each
    template's `did`, which names the template's deck override by deck NAME (or None), because deck ids
    belong to the source collection while Anki matches decks by name. Where the source has no id or mod
    (CrowdAnki), `anki["id"]` is a derived id and `anki["mod"]` is None (see ForeignDeck.origin)."""

    anki: dict[str, Any]

    @property
    def id(self) -> int:
        return self.anki["id"]

    @property
    def name(self) -> str:
        return self.anki["name"]

    @property
    def mod(self) -> int | None:
        return self.anki.get("mod")

    @property
    def kind(self) -> str:
        return CLOZE if self.anki.get("type") == 1 else STANDARD

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(field["name"] for field in self.anki["flds"])


@dataclass(frozen=True)
class Card:
    """One card of a note: its ordinal (template index, or cloze number - 1) and its home deck's name (a
    card in a filtered deck counts in the deck it came from, as Anki's export and import do)."""

    ord: int
    deck: str


@dataclass(frozen=True)
class Note:
    """One note. `fields` are the exact strings Anki stores (HTML), in the note type's field order.

    `guid` is None where the source has none (a spreadsheet without a GUID column); `mod` is None where the
    source keeps no modification time (CrowdAnki, spreadsheets). `notetype_id` is None where the source has
    no note types (spreadsheets); `notetype_name` is then the name or id the file gives, or None. `deck` is
    the deck new cards of the note go to (its first card's deck, or the spreadsheet's deck column); `cards`
    is empty where the source says nothing about cards (spreadsheets: Anki makes them once the note type is
    known). `line` is the note's first line in a text source, else 0."""

    guid: str | None
    notetype_id: int | None
    notetype_name: str | None
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    mod: int | None
    deck: str | None
    cards: tuple[Card, ...]
    line: int = 0


@dataclass(frozen=True)
class Deck:
    """A deck the notes' cards are in, matched by Anki by name (`A::B::C` is three deep). `id` is the source
    collection's id where it has one."""

    name: str
    description: str = ""
    markdown_description: bool = False
    id: int | None = None


@dataclass(frozen=True)
class MediaFile:
    """A media file by its name in Anki's media folder. `size` is its size in bytes as the source declares it
    (already checked against the limits); `sha1` the hex SHA-1 the source declares, or None. read() returns
    the bytes, checked against both, or raises ContentError."""

    name: str
    size: int
    sha1: str | None
    reader: Callable[[], bytes]

    def read(self) -> bytes:
        return self.reader()


@dataclass(frozen=True)
class Source:
    """Where the deck came from: `kind` is 'apkg', 'colpkg', 'crowdanki' or 'text'; `details` says what the
    reader found (package layout and schema, a text file's separator and columns, …) for the summary."""

    path: str
    kind: str
    details: dict[str, Any]


# Where a deck's note types come from, for the writer:
FROM_PACKAGE = "package"  # ids, names, mods and everything else are the source collection's
DERIVED_IDS = "derived ids"  # CrowdAnki: ids derived from crowdanki_uuid, no mods
NONE = "none"  # a spreadsheet: no note types at all; each note names one (notetype_name) or none


@dataclass(frozen=True)
class ForeignDeck:
    """Everything a source holds that a deck author needs, and what could not be kept (`warnings`, each one
    line, saying what and why). `scripts` lists where active content is (templates and fields), each one
    line: such a deck needs `allow_scripts: true`. Close it (or use `with`) to release the package file."""

    source: Source
    origin: str  # FROM_PACKAGE, DERIVED_IDS or NONE
    notetypes: tuple[NoteType, ...]
    decks: tuple[Deck, ...]
    notes: tuple[Note, ...]
    media: tuple[MediaFile, ...]
    warnings: tuple[str, ...]
    scripts: tuple[str, ...]
    closer: Callable[[], None] = lambda: None

    def notetype(self, notetype_id: int) -> NoteType:
        return next(notetype for notetype in self.notetypes if notetype.id == notetype_id)

    def close(self) -> None:
        self.closer()

    def __enter__(self) -> ForeignDeck:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
