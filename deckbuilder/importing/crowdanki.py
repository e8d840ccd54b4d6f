"""A CrowdAnki export (a folder with deck.json and media/, or the deck.json alone) → a ForeignDeck.

CrowdAnki (crowd_anki/representation/*.py) writes each deck with its notes and `children` (a child's name is its
last component), and note models and deck options on the top deck. It leaves out every Anki id and mod
(JsonSerializable.export_filter_set), and lists no cards: a note is listed under each deck holding one of its
cards, and CrowdAnki's importer leaves all of its cards in the last of those it saves (children before their
parent). So a note type's id is derived from its `crowdanki_uuid`, mods are None, and a note's cards are those
Anki makes for its fields (anki/templates.generated_ords), all in that deck.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from deckbuilder.anki.templates import generated_ords
from deckbuilder.importing import scan
from deckbuilder.importing.foreign import DERIVED_IDS, Card, Deck, ForeignDeck, MediaFile, Note, NoteType, Source
from deckbuilder.importing.limits import LIMITS, Limits, over_limit, problem, read_text, unreadable
from deckbuilder.importing.medianames import anki_name, unsafe_reason
from deckbuilder.problems import ContentError
from deckbuilder.source.files import NotRegularFile, open_regular

NOT_CROWDANKI = "CrowdAnki exports a folder holding deck.json and media/"
IDS_WARNING = ("CrowdAnki keeps no Anki ids, mods or cards: each note type's id is derived from its crowdanki_uuid, "
               "mods are left to the writer, and each note has the cards Anki makes for its fields")


def deck_file(path: Path) -> Path:
    """The deck.json of a CrowdAnki folder (or `<folder>.json`, as older CrowdAnki versions name it)."""
    if not path.is_dir():
        return path
    for candidate in (path / "deck.json", path / f"{path.name}.json"):
        if candidate.is_file():
            return candidate
    raise unreadable(path, "not a CrowdAnki folder: it holds no deck.json", NOT_CROWDANKI)


def load_json(path: Path, limits: Limits) -> dict:
    try:
        top = json.loads(read_text(path, limits))
    except json.JSONDecodeError as error:
        raise ContentError([problem(path, f"not valid JSON: {error.msg}", NOT_CROWDANKI, error.lineno,
                                    error.colno)]) from error
    except RecursionError as error:
        raise unreadable(path, "not a CrowdAnki deck: nested too deeply", NOT_CROWDANKI) from error
    if not isinstance(top, dict) or top.get("__type__") != "Deck" or not isinstance(top.get("note_models"), list):
        raise unreadable(path, "not a CrowdAnki deck: no deck with 'note_models' at the top", NOT_CROWDANKI)
    return top


def read_crowdanki(path: Path, limits: Limits = LIMITS) -> ForeignDeck:
    """Everything the export holds; ContentError if it cannot be read."""
    source = deck_file(path)
    top = load_json(source, limits)
    warnings, problems = [IDS_WARNING], []
    notetypes = note_models(source, top["note_models"], warnings, problems)
    decks, listed = [], []
    walk(source, top, "", "deck", decks, listed, problems)
    if problems:
        raise ContentError(problems)
    by_uuid = {notetype.anki["crowdanki_uuid"]: notetype for notetype in notetypes}
    notes = notes_of(source, listed, by_uuid, warnings)
    media = media_files(source, listed_media(top), limits, warnings)
    warnings += scan.media_warnings(notes, media)
    return ForeignDeck(Source(str(source), "crowdanki", {"deck": top.get("name")}), DERIVED_IDS, notetypes,
                       tuple(decks), notes, media, tuple(warnings), scan.scripts(notetypes, notes))


def note_models(source: Path, models: list, warnings: list[str], problems: list) -> tuple[NoteType, ...]:
    result, taken = [], set()
    for index, model in enumerate(models):
        where = f"note_models[{index}]"
        if not (isinstance(model, dict) and isinstance(model.get("crowdanki_uuid"), str)
                and isinstance(model.get("name"), str) and named_list(model.get("flds"))
                and named_list(model.get("tmpls"))):
            problems.append(problem(source, f"{where} is not a CrowdAnki note model (it needs crowdanki_uuid, "
                                            "name, flds and tmpls)"))
            continue
        anki = {key: value for key, value in model.items() if key != "__type__"}
        anki["id"], anki["mod"] = derived_id(model["crowdanki_uuid"], taken), None
        anki["tmpls"] = [without_deck(model["name"], template, warnings) for template in model["tmpls"]]
        result.append(NoteType(anki))
    return tuple(result)


def named_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) and isinstance(item.get("name"), str)
                                           for item in value)


def derived_id(uuid: str, taken: set[int]) -> int:
    """A stable id in genanki's range for model ids, unique in the deck."""
    for attempt in range(1000):
        digest = hashlib.sha256(f"{uuid}\n{attempt}".encode("utf-8")).digest()
        candidate = (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("no free note type id after 1000 tries")  # 2**30 ids: cannot happen


def without_deck(notetype: str, template: dict, warnings: list[str]) -> dict:
    """CrowdAnki keeps a template's deck override as the author's deck id, which no deck in deck.json has."""
    if template.get("did"):
        warnings.append(f"note type '{notetype}', template '{template['name']}': its deck override names a deck "
                        "by the author's Anki id, which deck.json does not give: left out")
    return {**template, "did": None}


def walk(source: Path, deck, parent: str, where: str, decks: list, listed: list, problems: list) -> None:
    """Each deck with its full name, and each note entry with the deck it is listed under, children first."""
    if not isinstance(deck, dict) or not isinstance(deck.get("name"), str) \
            or not all(isinstance(deck.get(key, []), list) for key in ("notes", "children")):
        problems.append(problem(source, f"{where} is not a CrowdAnki deck (it needs a name, notes and children)"))
        return
    name = f"{parent}::{deck['name']}" if parent else deck["name"]
    decks.append(Deck(name, deck.get("desc") or "", bool(deck.get("md"))))
    for index, child in enumerate(deck.get("children", [])):
        walk(source, child, name, f"{where} '{name}', children[{index}]", decks, listed, problems)
    for index, note in enumerate(deck.get("notes", [])):
        if not (isinstance(note, dict) and isinstance(note.get("guid"), str) and note["guid"]
                and string_list(note.get("fields")) and string_list(note.get("tags", []))
                and isinstance(note.get("note_model_uuid"), str)):
            problems.append(problem(source, f"deck '{name}', notes[{index}] is not a CrowdAnki note (it needs a "
                                            "guid, fields, tags and note_model_uuid)"))
            continue
        listed.append((name, note))


def string_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def notes_of(source: Path, listed: list, by_uuid: dict[str, NoteType], warnings: list[str]) -> tuple[Note, ...]:
    """One note per GUID, in the last deck that lists it (where CrowdAnki's importer leaves its cards)."""
    decks: dict[str, list[str]] = {}
    first: dict[str, dict] = {}
    problems = []
    for deck, entry in listed:
        if entry["note_model_uuid"] not in by_uuid:
            problems.append(problem(source, f"note {entry['guid']} in deck '{deck}' names a note model that "
                                            f"deck.json does not have ({entry['note_model_uuid']})"))
        decks.setdefault(entry["guid"], []).append(deck)
        first.setdefault(entry["guid"], entry)
    if problems:
        raise ContentError(problems)
    for guid, names in decks.items():
        if len(set(names)) > 1:
            shown = ", ".join(f"'{name}'" for name in names[:-1]) + f" and '{names[-1]}'"
            warnings.append(f"note {guid} is listed under {shown} (its cards were in each): all its cards go to "
                            f"'{names[-1]}', as CrowdAnki's importer does")
    return tuple(note_of(entry, by_uuid[entry["note_model_uuid"]], decks[guid][-1], warnings)
                 for guid, entry in first.items())


def note_of(entry: dict, notetype: NoteType, deck: str, warnings: list[str]) -> Note:
    fields, tags = tuple(entry["fields"]), tuple(entry.get("tags", []))
    if len(fields) != len(notetype.field_names):
        warnings.append(f"note {entry['guid']}: {len(fields)} fields, its note type '{notetype.name}' has "
                        f"{len(notetype.field_names)}")
    fronts = [template.get("qfmt") or "" for template in notetype.anki["tmpls"]]
    ords = generated_ords(fronts, notetype.kind == "cloze", notetype.field_names, fields, bool(tags))
    return Note(entry["guid"], notetype.id, notetype.name, fields, tags, None, deck,
                tuple(Card(ord_, deck) for ord_ in ords))


def listed_media(deck: dict) -> set[str]:
    names = {name for name in deck.get("media_files", []) if isinstance(name, str)}
    for child in deck.get("children", []):
        names |= listed_media(child) if isinstance(child, dict) else set()
    return names


def media_files(source: Path, listed: set[str], limits: Limits, warnings: list[str]) -> tuple[MediaFile, ...]:
    """The regular files in media/ beside deck.json, every name and size checked before any is read."""
    folder = source.parent / "media"
    found = {entry.name: entry for entry in os.scandir(folder)} if folder.is_dir() else {}
    problems, files = [], []
    for name in sorted(set(found) | listed):
        reason = unsafe_reason(name)
        if reason:
            problems.append(problem(source, f"media file name {name!r} {reason}: it could be written outside the "
                                            "deck's folder"))
        elif name not in found:
            warnings.append(f"media file '{name}' is listed in deck.json but not in media/: left out")
        elif not stat.S_ISREG(found[name].stat(follow_symlinks=False).st_mode):
            warnings.append(f"media/{name} is not a regular file (a link or a folder): left out")
        else:
            files.append(local_media(source, folder / name, found[name].stat().st_size, limits, problems))
            if anki_name(name) != name:
                warnings.append(f"media file '{name}': Anki stores it as '{anki_name(name)}'; kept as '{name}'")
    total = sum(file.size for file in files)
    if total > limits.max_total:
        problems.append(problem(source, over_limit("media/", total, limits.max_total, "a whole deck")))
    if problems:
        raise ContentError(problems)
    return tuple(files)


def local_media(source: Path, path: Path, size: int, limits: Limits, problems: list) -> MediaFile:
    if size > limits.max_media_file:
        problems.append(problem(source, over_limit(f"media file '{path.name}'", size, limits.max_media_file,
                                                   "one media file")))
    return MediaFile(path.name, size, None, lambda: read_local(path, size))


def read_local(path: Path, size: int) -> bytes:
    """A media file's bytes, as large as it was when listed."""
    try:
        with open_regular(path) as handle:
            data = handle.read(size + 1)
    except (NotRegularFile, OSError) as error:
        raise unreadable(path, f"cannot read the media file ({error})") from error
    if len(data) != size:
        raise unreadable(path, "the media file changed while it was read", "import it again")
    return data
