"""The lock file: what the last build put in a deck's package, committed beside its card files.

Anki updates a note on re-import only when the package's `mod` is newer than its own (ANKI_FACTS.md).
So a build must know, for every note, what it last sent and when: the lock file records it. It holds
each note's full content too (as it reached Anki), so a card removed from the source can still be sent
as a retired note, and `deckbuilder plan` can show a field-by-field diff, from a fresh clone.

One entry per line, keys sorted, so a rebuild's change to the lock reads well in `git diff`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .files import NotRegularFile, open_regular
from . import notetypes
from .notetypes import NOTE_TYPES, NoteType
from .problems import ContentError, Location, Problem, display_path

FORMAT = 1
HEADER = "deckbuilder lock file: written by 'deckbuilder build'; commit it, do not edit it"
NOTE_LINE = re.compile(r'^    ("(?:[^"\\]|\\.)*"): (\{.*\}),?$', re.MULTILINE)
RESTORE = ("restore it from version control, or delete it: the next build then sends every note again, "
           "and notes removed from the source since are no longer retired")


@dataclass(frozen=True, slots=True)  # slots: a big deck's lock holds 100,000 of them
class LockedNote:
    """A note as the last build sent it to Anki."""

    guid: str
    note_type: str  # a key of NOTE_TYPES
    section: str
    fields: tuple[tuple[str, str], ...]  # (field name, HTML) in the note type's order, empty fields left out
    tags: tuple[str, ...]
    hash: str  # content_hash of the above: equal hashes, nothing for Anki to update
    mod: int  # seconds; rises exactly when the note's content does
    retired: bool = False  # removed from the source, kept in the package with a notice
    line: str | None = field(default=None, compare=False, repr=False)  # as the lock file had it, if read


@dataclass(frozen=True)
class LockedNoteType:
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    hash: str  # of everything Anki updates in place: templates and CSS (and the names)
    mod: int


@dataclass(frozen=True)
class Lock:
    key: str
    name: str  # the deck's name: Anki matches decks by it
    note_types: dict[str, LockedNoteType]  # NOTE_TYPES key → the note type as last sent
    notes: dict[str, LockedNote]  # card id → the note as last sent


def named_fields(note_type: NoteType, fields: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """A note's fields as the lock file keeps them: by name, in the note type's order, empty ones left out."""
    return tuple((name, text) for name, text in zip(note_type.fields, fields) if text)


def content_hash(note_type: str, fields: tuple[tuple[str, str], ...], tags: tuple[str, ...]) -> str:
    """A hash of everything that reaches Anki for a note: note type, fields (by name, in the note type's
    order), tags."""
    # Card files cannot hold control characters and tags hold no spaces: joined with these, different
    # notes never give the same text.
    named = "\x1f".join(f"{name}\x1d{value}" for name, value in fields)
    text = "\x1e".join([note_type, named, " ".join(tags)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def note_type_hash(note_type: NoteType) -> str:
    templates = [[t.name, t.front, t.back] for t in note_type.templates]
    text = json.dumps([note_type.name, list(note_type.fields), templates, notetypes.stylesheet(), note_type.is_cloze])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def lock_path(folder: Path, deck_key: str) -> Path:
    """Beside the deck's main card file: committed with the cards it describes."""
    return folder / f"{deck_key}.lock"


def lock_text(lock: Lock) -> str:
    """The lock file's text: the same lock always gives the same bytes."""
    def line(data) -> str:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))

    types = [f"    {line(key)}: {line(note_type_data(t))}" for key, t in sorted(lock.note_types.items())]
    notes = [f"    {line(card_id)}: {n.line or line(note_data(n))}" for card_id, n in sorted(lock.notes.items())]
    return "\n".join([
        "{", f'  "deckbuilder": {line(HEADER)},', f'  "format": {FORMAT},',
        f'  "deck": {line({"key": lock.key, "name": lock.name})},',
        '  "note types": {', ",\n".join(types), "  },",
        '  "notes": {', ",\n".join(notes), "  }", "}", ""])


def note_type_data(note_type: LockedNoteType) -> dict:
    return {"id": note_type.id, "name": note_type.name, "fields": list(note_type.fields),
            "templates": list(note_type.templates), "hash": note_type.hash, "mod": note_type.mod}


def note_data(note: LockedNote) -> dict:
    data = {"guid": note.guid, "type": note.note_type, "section": note.section, "fields": dict(note.fields),
            "tags": list(note.tags), "hash": note.hash, "mod": note.mod}
    if note.retired:
        data["retired"] = True
    return data


def read_lock(path: Path) -> Lock | None:
    """The lock file at `path`, None if there is none; a damaged one is a ContentError."""
    shown = display_path(path)
    try:
        with open_regular(path) as file:
            raw = file.read()
    except FileNotFoundError:
        return None
    except NotRegularFile as error:
        raise ContentError([Problem(Location(shown), f"the lock file is {error.kind}", RESTORE)]) from error
    except OSError as error:
        raise ContentError([Problem(Location(shown), f"cannot read the lock file: {error.strerror or error}",
                                    RESTORE)]) from error
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as error:
        raise ContentError([Problem(Location(shown), "the lock file is not UTF-8 text", RESTORE)]) from error
    except ValueError as error:
        where = Location(shown, error.lineno, error.colno)
        hint = "a merge conflict? keep either side: the next build sends the notes that differ again" \
            if "<<<<<<<" in text else RESTORE
        raise ContentError([Problem(where, f"the lock file is not valid JSON: {error.msg}", hint)]) from error
    return parse_lock(data, text, shown)


def parse_lock(data, text: str, shown: str) -> Lock:
    """The lock from its JSON; every entry that is not as a build writes it is a problem, at its line."""
    problems = []

    def wrong(key: str | None, message: str) -> None:
        problems.append(Problem(Location(shown, line_of(text, key)), message, RESTORE))

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContentError([Problem(Location(shown), f"not a deckbuilder lock file of format {FORMAT}", RESTORE)])
    deck = data.get("deck")
    if not (isinstance(deck, dict) and isinstance(deck.get("key"), str) and isinstance(deck.get("name"), str)):
        wrong("deck", "the lock file's 'deck' entry is damaged")
        deck = {"key": "", "name": ""}
    note_types, notes = {}, {}
    for key, entry in entries(data, "note types", wrong):
        try:
            note_types[key] = LockedNoteType(entry["id"], entry["name"], tuple(entry["fields"]),
                                             tuple(entry["templates"]), entry["hash"], whole(entry["mod"]))
        except (KeyError, TypeError, ValueError):
            wrong(key, f"the lock file's entry for note type '{key}' is damaged")
    lines = note_lines(text)
    for card_id, entry in entries(data, "notes", wrong):
        try:
            notes[card_id] = locked_note(entry, lines.get(card_id))
        except (KeyError, TypeError, ValueError, AttributeError):
            wrong(card_id, f"the lock file's entry for card '{card_id}' is damaged")
    if problems:
        raise ContentError(problems)
    return Lock(deck["key"], deck["name"], note_types, notes)


def entries(data: dict, name: str, wrong):
    """The entries of a section of the lock, each let go once taken: a big deck's parsed JSON is freed
    while its notes are made, instead of both being held at once."""
    section = data.get(name)
    if not isinstance(section, dict):
        wrong(name, f"the lock file has no '{name}' entry")
        return
    for key in list(section):
        yield key, section.pop(key)


def note_lines(text: str) -> dict[str, str]:
    """Card id → its entry's text, where the lock file is laid out as a build writes it: a build writes an
    unchanged note's entry as it was read (it has the same content), instead of making its JSON again."""
    found = {}
    for match in NOTE_LINE.finditer(text):
        key = match.group(1)
        try:
            found[json.loads(key) if "\\" in key else key[1:-1]] = match.group(2)
        except ValueError:
            continue
    return found


def locked_note(entry: dict, line: str | None = None) -> LockedNote:
    texts = entry["fields"]
    fields = tuple((name, texts[name]) for name in NOTE_TYPES[entry["type"]].fields if name in texts)
    if len(fields) != len(texts) or not all(isinstance(text, str) for _, text in fields):
        raise ValueError(entry["type"])
    tags = tuple(entry["tags"])
    texts = (entry["guid"], entry["hash"], *tags)
    if not all(isinstance(text, str) for text in texts):
        raise ValueError(texts)
    return LockedNote(entry["guid"], entry["type"], str(entry["section"]), fields, tags, entry["hash"],
                      whole(entry["mod"]), entry.get("retired") is True, line)


def whole(value) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(value)
    return value


def line_of(text: str, key: str | None) -> int:
    """The line of `"key":` in the lock file, where a build writes each entry; 1 if it is not found."""
    if key is None:
        return 1
    match = re.search(rf'^\s*{re.escape(json.dumps(key, ensure_ascii=False))}\s*:', text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
