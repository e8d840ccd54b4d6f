"""A deck's note types as Anki gets them: deckbuilder's five, and the ones the deck declares."""

from __future__ import annotations

from deckbuilder.anki.notetypes import NOTE_TYPES, FieldSettings, NoteType, Template
from deckbuilder.compiler.activecontent import OPT_IN, active_content
from deckbuilder.compiler.identity import note_type_id
from deckbuilder.model import Deck, DeclaredNoteType
from deckbuilder.problems import Problem


def declared_note_type(declared: DeclaredNoteType, deck_key: str) -> NoteType:
    """The Anki note type a declaration makes; its id comes from the deck's key and its own."""
    names = tuple(field.name for field in declared.fields)
    sort_field = names.index(declared.sort_field.value) if declared.sort_field is not None else 0
    return NoteType(
        note_type_id(deck_key, declared.key), declared.name, names,
        tuple(Template(t.name, t.front.value, t.back.value) for t in declared.templates), declared.cloze,
        css=declared.css.value if declared.css is not None else None,
        settings=tuple(FieldSettings(f.font, f.size, f.rtl, f.sticky) for f in declared.fields),
        sort_field=sort_field, markdown=declared.markdown)


def deck_note_types(deck: Deck) -> dict[str, NoteType]:
    """Card type → note type: deckbuilder's own, then the deck's."""
    return {**NOTE_TYPES, **{declared.key: declared_note_type(declared, deck.header.key)
                             for declared in deck.note_types}}


def note_type_problems(deck: Deck) -> list[Problem]:
    """Scripts in a declared note type's templates or CSS: Anki runs them on every card, unless the deck allows
    them."""
    if deck.header.allow_scripts:
        return []
    texts = [(text, "template") for declared in deck.note_types for template in declared.templates
             for text in (template.front, template.back)]
    texts += [(declared.css, "CSS") for declared in deck.note_types if declared.css is not None]
    return [Problem(text.where, f"this {what} holds {danger}", OPT_IN)
            for text, what in texts for danger in active_content(text.value)]
