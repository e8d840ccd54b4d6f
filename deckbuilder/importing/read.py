"""Any source a deck author brings → a ForeignDeck: the one entry point the writer calls."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from deckbuilder.importing.crowdanki import read_crowdanki
from deckbuilder.importing.foreign import ForeignDeck, Note
from deckbuilder.importing.limits import LIMITS, Limits, unreadable
from deckbuilder.importing.package import read_package
from deckbuilder.importing.text import read_table
from deckbuilder.source.files import NotRegularFile, open_regular

READERS = {".apkg": read_package, ".colpkg": read_package, ".json": read_crowdanki, ".csv": read_table,
           ".tsv": read_table, ".txt": read_table}
KINDS_HINT = ("deckbuilder imports Anki packages (.apkg, .colpkg), CrowdAnki exports (a folder with deck.json) "
              "and CSV/TSV files (.csv, .tsv, .txt)")


def read_foreign(path: str | os.PathLike, limits: Limits = LIMITS) -> ForeignDeck:
    """The deck `path` holds; ContentError (`path: what is wrong`) if it cannot be read or holds no notes."""
    path = Path(path)
    deck = reader_for(path)(path, limits)
    if not deck.notes:
        deck.close()
        raise unreadable(path, f"nothing to import: the {what_it_is(deck.source.kind)} holds no notes")
    shared = shared_guids(deck)
    return replace(deck, warnings=deck.warnings + shared) if shared else deck


def shared_guids(deck: ForeignDeck) -> tuple[str, ...]:
    """Notes that share a GUID, which Anki matches notes by: an import would not keep them as two notes."""
    first: dict[str, Note] = {}
    warnings = []
    for note in deck.notes:
        if note.guid is not None and note.guid in first:
            where = f" (lines {first[note.guid].line} and {note.line})" if note.line else ""
            warnings.append(f"two notes have the GUID {note.guid}{where}: Anki matches notes by GUID, so it would "
                            "not keep both")
        first.setdefault(note.guid, note)
    return tuple(warnings)


def reader_for(path: Path):
    if path.is_dir():
        return read_crowdanki
    if not path.exists():
        raise unreadable(path, "no such file or folder")
    reader = READERS.get(path.suffix.lower())
    if reader is not None:
        return reader
    try:
        with open_regular(path) as handle:
            start = handle.read(4)
    except (NotRegularFile, OSError) as error:
        raise unreadable(path, f"cannot be read ({error})", KINDS_HINT) from error
    if start.startswith(b"PK"):
        return read_package
    if start.lstrip()[:1] == b"{":
        return read_crowdanki
    raise unreadable(path, f"not a kind of file deckbuilder imports ('{path.suffix or path.name}')", KINDS_HINT)


def what_it_is(kind: str) -> str:
    return {"apkg": "package", "colpkg": "package", "crowdanki": "CrowdAnki deck", "text": "file"}[kind]
