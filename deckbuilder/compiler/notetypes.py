"""A deck's note types as Anki gets them: deckbuilder's five, and the ones the deck declares."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from deckbuilder.anki.notetypes import NOTE_TYPES, FieldSettings, NoteType, Template
from deckbuilder.compiler.activecontent import OPT_IN, active_content
from deckbuilder.compiler.identity import note_type_id
from deckbuilder.compiler.media import MediaFile, resolve_media
from deckbuilder.model import AuthoredText, Deck, DeclaredNoteType
from deckbuilder.problems import Problem

# A file a template or the CSS names (an image, a sound, a font): Anki exports and keeps the ones whose names start
# with '_', which no note needs to name.
TEMPLATE_MEDIA = re.compile(r"""(?:\bsrc\s*=\s*["']?|\burl\(\s*["']?)(_[^"'()\s<>/\\]+)|\[sound:(_[^\]/\\]+)\]""")


def declared_note_type(declared: DeclaredNoteType, deck_key: str) -> NoteType:
    """The Anki note type a declaration makes; its id comes from the deck's key and its own."""
    names = tuple(field.name for field in declared.fields)
    sort_field = names.index(declared.sort_field.value) if declared.sort_field is not None else 0
    return NoteType(
        declared.anki_id or note_type_id(deck_key, declared.key), declared.name, names,
        tuple(Template(t.name, t.front.value, t.back.value, t.anki, t.deck) for t in declared.templates),
        declared.cloze, css=declared.css.value if declared.css is not None else None,
        settings=tuple(FieldSettings(f.font, f.size, f.rtl, f.sticky, f.anki) for f in declared.fields),
        sort_field=sort_field, markdown=declared.markdown, anki=declared.anki)


def deck_note_types(deck: Deck) -> dict[str, NoteType]:
    """Card type → note type: deckbuilder's own, then the deck's."""
    return {**NOTE_TYPES, **{declared.key: declared_note_type(declared, deck.header.key)
                             for declared in deck.note_types}}


def note_type_texts(note_types: Iterable[DeclaredNoteType]) -> list[tuple[AuthoredText, str]]:
    """The templates' sides and the CSS of a deck's own note types, each with what it is."""
    texts = [(text, "template") for declared in note_types for template in declared.templates
             for text in (template.front, template.back)]
    return texts + [(declared.css, "CSS") for declared in note_types if declared.css is not None]


def note_type_problems(deck: Deck) -> list[Problem]:
    """Scripts in a declared note type's templates or CSS (Anki runs them on every card, unless the deck allows
    them), and files they name that are not beside the deck's main card file."""
    problems = template_media(deck)[1]
    if deck.header.allow_scripts:
        return problems
    return problems + [Problem(text.where, f"this {what} holds {danger}", OPT_IN)
                       for text, what in note_type_texts(deck.note_types) for danger in active_content(text.value)]


def template_media_names(text: str) -> list[str]:
    return [src or sound for src, sound in TEMPLATE_MEDIA.findall(text)] if "_" in text else []


def template_media(deck: Deck) -> tuple[list[MediaFile], list[Problem]]:
    """The files the deck's own note types' templates and CSS name ('_font.woff2'), packaged under their names from
    beside the deck's main card file, and a problem for each that is not there (unless the deck lists it as
    missing)."""
    return declared_media(deck.note_types, deck.folder, deck.header.missing_media)


def declared_media(note_types: Iterable[DeclaredNoteType], folder: Path,
                   missing: frozenset[str]) -> tuple[list[MediaFile], list[Problem]]:
    """The files these note types' templates and CSS name, from `folder`; see template_media."""
    files: dict[str, MediaFile] = {}
    problems = []
    for text, what in note_type_texts(note_types):
        for name in template_media_names(text.value):
            if name in files:
                continue
            found, problem = resolve_media(name, folder, folder)
            if found is not None:
                files[name] = MediaFile(name, found.path, digest=found.digest)
            elif name not in missing:
                why = "which is not beside the deck's main card file" if "not found" in problem.message \
                    else f"but {problem.message}"
                problems.append(Problem(text.where, f"this {what} names the file '{name}', {why}",
                                        "put it there, or list it under the deck's missing_media"))
    return list(files.values()), problems
