"""Reading a lock file back: every entry checked, a damaged one reported at its line.

A big deck's lock file is tens of megabytes. Laid out as a build writes it (one note per line), it is
read a note at a time, so its parsed JSON never sits in memory all at once, and each note keeps its
line for the next build to write again if the note is unchanged. Any other layout (a file reformatted
by hand or by a tool) is read whole.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from deckbuilder.anki.notetypes import NOTE_TYPES
from deckbuilder.lock.records import FORMAT, Lock, LockedNote, LockedNoteType
from deckbuilder.source.files import NotRegularFile, open_regular
from deckbuilder.problems import ContentError, Location, Problem, display_path

RESTORE = ("restore it from version control, or delete it: the next build then sends every note again, "
           "and notes removed from the source since are no longer retired")
CONFLICT = "a merge conflict? keep either side: the next build sends the notes that differ again"
NOTES_START = '\n  "notes": {\n'
NOTES_END = "\n  }\n}"
NOTE_LINE = re.compile(r'    ("(?:[^"\\]|\\.)*"): (\{.*\})(,?)')


def read_lock(path: Path) -> Lock | None:
    """The lock file at `path`, None if there is none; a damaged one is a ContentError. Every entry is
    checked."""
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
    return parse_lock_text(raw, shown)


def parse_lock_text(raw: bytes, shown: str) -> Lock:
    """A lock file's bytes, from a file or from git, shown as `shown`; a damaged one is a ContentError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(Location(shown), "the lock file is not UTF-8 text", RESTORE)]) from error
    return parse_lock(parsed(text, shown), text, shown)


def parsed(text: str, shown: str) -> dict:
    """The lock's JSON; its notes as their lines' text where the layout is a build's, else as parsed. A
    JSON error is located in the whole file."""
    split = split_notes(text)
    if split is not None:
        header, lines = split
        try:
            data = json.loads(header)
        except ValueError:
            data = None  # parsed whole below, to say where
        if isinstance(data, dict):
            data["notes"] = lines
            return data
    try:
        return json.loads(text)
    except ValueError as error:
        raise not_json(error, text, shown) from error


def not_json(error: ValueError, text: str, shown: str) -> ContentError:
    where = Location(shown, error.lineno, error.colno)
    return ContentError([Problem(where, f"the lock file is not valid JSON: {error.msg}",
                                 CONFLICT if "<<<<<<<" in text else RESTORE)])


def split_notes(text: str) -> tuple[str, dict[str, str]] | None:
    """The lock without its notes, and card id → that note's line; None if the layout is not a build's."""
    start, end = text.find(NOTES_START), text.rfind(NOTES_END)
    if start < 0 or end < start + len(NOTES_START) - 1:
        return None
    block = text[start + len(NOTES_START):end]
    lines = block.split("\n") if block else []
    notes = {}
    for number, line in enumerate(lines, start=1):
        match = NOTE_LINE.fullmatch(line)
        if match is None or (match.group(3) == ",") != (number < len(lines)):
            return None
        key = match.group(1)
        notes[json.loads(key) if "\\" in key else key[1:-1]] = match.group(2)
    return text[:start + len(NOTES_START)] + text[end + 1:], notes


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
                                             tuple(entry["templates"]), entry["hash"], whole(entry["mod"]),
                                             entry.get("kind"))
        except (KeyError, TypeError, ValueError):
            wrong(key, f"the lock file's entry for note type '{key}' is damaged")
    names = {**{key: note_type.fields for key, note_type in NOTE_TYPES.items()},
             **{key: note_type.fields for key, note_type in note_types.items()}}
    for card_id, entry in entries(data, "notes", wrong):
        try:
            line = entry if isinstance(entry, str) else None
            notes[card_id] = note_record(json.loads(line) if line else entry, line, names)
        except (KeyError, TypeError, ValueError, AttributeError):
            wrong(card_id, f"the lock file's entry for card '{card_id}' is damaged")
    template_media = data.get("template media", {})  # lock files from before they were kept lack it
    if not (isinstance(template_media, dict) and all(isinstance(text, str) for text in template_media.values())):
        wrong("template media", "the lock file's 'template media' entry is damaged")
        template_media = {}
    if problems:
        raise ContentError(problems)
    return Lock(deck["key"], deck["name"], note_types, notes, tuple(sorted(template_media.items())))


def entries(data: dict, name: str, wrong):
    """The entries of a section of the lock, each let go once taken."""
    section = data.get(name)
    if not isinstance(section, dict):
        wrong(name, f"the lock file has no '{name}' entry")
        return
    for key in list(section):
        yield key, section.pop(key)


def note_record(entry: dict, line: str | None, field_names: dict[str, tuple[str, ...]]) -> LockedNote:
    """A note's entry, checked against its note type's field names; kept as its line if the file has it on one,
    else written as a build would."""
    by_name = entry["fields"]
    names = field_names[entry["type"]]
    if not (type(by_name) is dict and by_name.keys() <= set(names)
            and all(type(text) is str for text in by_name.values())):
        raise ValueError(entry["type"])
    tags = tuple(entry["tags"])
    subdeck = entry.get("subdeck", "")
    media = tuple(sorted(entry.get("media", {}).items()))  # lock files from before notes' media were kept lack it
    texts = (entry["guid"], entry["hash"], subdeck, *tags, *(text for pair in media for text in pair))
    if not all(isinstance(text, str) for text in texts):
        raise ValueError(texts)
    guid, note_type, section, mod = entry["guid"], entry["type"], str(entry["section"]), whole(entry["mod"])
    retired = entry.get("retired") is True
    if line is None:
        fields = tuple(by_name.get(name, "") for name in names)
        return LockedNote.of(guid, note_type, section, names, fields, tags, entry["hash"], mod, retired, subdeck,
                             media)
    return LockedNote(guid, note_type, section, tags, entry["hash"], mod, retired, line, subdeck, media)


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
