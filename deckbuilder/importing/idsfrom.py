"""`--ids-from export.apkg`: a CrowdAnki deck given the Anki ids and mods of the collection it was exported from.

CrowdAnki leaves every Anki id and mod out of deck.json, but keeps each note type's `crowdanki_uuid` in the
collection's note type as well: an .apkg exported from that collection names, for each uuid, the note type's
Anki id and mod, and for each GUID the note's mod. With them, a package built from deck.json is what that
collection holds, and its import changes nothing there (README "Bring your deck").
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from deckbuilder.importing.crowdanki import IDS_WARNING
from deckbuilder.importing.foreign import DERIVED_IDS, FROM_PACKAGE, ForeignDeck, NoteType
from deckbuilder.importing.limits import unreadable
from deckbuilder.importing.read import read_foreign


def with_ids_from(deck: ForeignDeck, package: Path) -> ForeignDeck:
    """The CrowdAnki deck with the ids and mods `package` gives; what it cannot give is said in the warnings."""
    if deck.origin != DERIVED_IDS:
        deck.close()
        raise unreadable(deck.source.path, "--ids-from is for a CrowdAnki deck, which keeps no Anki ids; this "
                                           "source has its own", "import it without --ids-from")
    with read_foreign(package) as known:
        by_uuid = {notetype.anki["crowdanki_uuid"]: notetype for notetype in known.notetypes
                   if isinstance(notetype.anki.get("crowdanki_uuid"), str)}
        mods = {note.guid: note.mod for note in known.notes}
    types, ids, warnings = [], {}, []
    for notetype in deck.notetypes:
        found = by_uuid.get(notetype.anki["crowdanki_uuid"])
        if found is None:
            warnings.append(f"--ids-from: {package.name} has no note type with the crowdanki_uuid of "
                            f"'{notetype.name}': its id stays derived")
            types.append(notetype)
            continue
        ids[notetype.id] = found.id
        types.append(NoteType({**notetype.anki, "id": found.id, "mod": found.mod,
                               "flds": with_ids(notetype.anki["flds"], found.anki["flds"]),
                               "tmpls": with_ids(notetype.anki["tmpls"], found.anki["tmpls"])}))
    notes = tuple(replace(note, notetype_id=ids.get(note.notetype_id, note.notetype_id), mod=mods.get(note.guid))
                  for note in deck.notes)
    unknown = sum(1 for note in notes if note.mod is None)
    if unknown:
        warnings.append(f"--ids-from: {unknown} note{'s are' if unknown != 1 else ' is'} not in {package.name}: "
                        "the import's time is their mod")
    every = len(ids) == len(deck.notetypes)
    kept = tuple(warning for warning in deck.warnings if not (every and warning == IDS_WARNING))
    return replace(deck, origin=FROM_PACKAGE if every else DERIVED_IDS, notetypes=tuple(types), notes=notes,
                   warnings=kept + tuple(warnings))


def with_ids(items: list[dict], known: list[dict]) -> list[dict]:
    """Fields or templates with the collection's id where deck.json has none (CrowdAnki before Anki 2.1.67)."""
    ids = {item["name"]: item.get("id") for item in known}
    return [item if item.get("id") is not None or ids.get(item["name"]) is None else {**item, "id": ids[item["name"]]}
            for item in items]
