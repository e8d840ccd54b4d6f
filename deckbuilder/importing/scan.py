"""What every source's notes and note types are checked for once read: active content (a deck with scripts
needs `allow_scripts: true`, the same test the compiler applies), and media references in fields that name no
file of the deck or could not be a file in its folder."""

from __future__ import annotations

from urllib.parse import unquote

from deckbuilder.compiler.activecontent import active_content
from deckbuilder.compiler.media import REMOTE, SOUND_TAG, SRC_ATTRIBUTE
from deckbuilder.importing.foreign import MediaFile, Note, NoteType
from deckbuilder.importing.medianames import unsafe_reason

SHOWN_NAMES = 5  # media names listed in one warning


def scripts(notetypes: tuple[NoteType, ...], notes: tuple[Note, ...]) -> tuple[str, ...]:
    """Where Anki would run code: each template side and each note field with active content, one line each."""
    found = []
    for notetype in notetypes:
        for template in notetype.anki["tmpls"]:
            for side, key in (("front", "qfmt"), ("back", "afmt")):
                found += [f"note type '{notetype.name}', template '{template['name']}' {side}: {what}"
                          for what in active_content(template.get(key) or "")]
    seen: dict[str, list[str]] = {}  # a deck repeats many field texts (a source line, a section title)
    for note in notes:
        for index, text in enumerate(note.fields):
            if text not in seen:
                seen[text] = active_content(text)
            found += [f"note {note.guid or note.line}, field {index + 1}: {what}" for what in seen[text]]
    return tuple(found)


def references(text: str) -> list[str]:
    """The local media names a field's HTML refers to, as Anki reads them (URL-decoded)."""
    names = [match.group(3) for match in SRC_ATTRIBUTE.finditer(text)] if "src" in text else []
    names += [match.group(1) for match in SOUND_TAG.finditer(text)] if "[sound:" in text else []
    return [unquote(name) for name in names if not REMOTE.match(name)]


def media_warnings(notes: tuple[Note, ...], media: tuple[MediaFile, ...]) -> list[str]:
    """A warning per field reference that is no plain file name, and one for references to missing files."""
    have = {file.name for file in media}
    warnings, missing, seen = [], {}, set()
    for note in notes:
        for text in note.fields:
            if text in seen:
                continue
            seen.add(text)
            for name in references(text):
                reason = unsafe_reason(name)
                if reason:
                    warnings.append(f"note {note.guid or note.line} refers to media {name!r}, whose name {reason}: "
                                    "kept in the field as written, and no file is made for it")
                elif name not in have:
                    missing.setdefault(name, note.guid or note.line)
    if missing:
        names = ", ".join(sorted(missing)[:SHOWN_NAMES]) + (", …" if len(missing) > SHOWN_NAMES else "")
        warnings.append(f"{len(missing)} media file{'s' if len(missing) != 1 else ''} that notes refer to "
                        f"{'are' if len(missing) != 1 else 'is'} not in the source: {names}")
    return warnings
