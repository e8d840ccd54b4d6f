"""deckbuilder's built-in Anki note types: ids, field and template names fixed forever.

Anki matches note types by id and treats any added, removed or renamed field or template as a schema
change: it then refuses to update the user's notes (see ANKI_FACTS.md). So every note type carries all
the fields it will ever need from its first release, including some that are often empty (Extra, Notice).
Templates and CSS may change; Anki updates those in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

NOTICE = '{{#Notice}}<div class="db-notice">{{Notice}}</div>{{/Notice}}\n'
SOURCE = ('<div class="db-source">{{#Section}}<div class="db-section">{{Section}}</div>{{/Section}}'
          '<div class="db-article">{{Source}}</div></div>')
EXTRA = '{{#Extra}}<div class="db-extra">{{Extra}}</div>{{/Extra}}\n'


def page(body: str) -> str:
    return f'<div class="db">\n{body}</div>'


def back_of(front: str, answer: str) -> str:
    return page(f'{NOTICE}{front}\n<hr id="answer">\n{answer}\n{EXTRA}{SOURCE}\n')


@dataclass(frozen=True)
class Template:
    name: str
    front: str
    back: str
    anki: tuple[tuple[str, object], ...] = ()  # Anki's other settings by its keys (id, bqfmt, …): kept as given
    deck: str | None = None  # Anki's deck override: the deck its new cards go to when added in Anki


@dataclass(frozen=True)
class FieldSettings:
    """The settings Anki keeps for a field, for its editor: None where the note type leaves Anki's default."""

    font: str | None = None
    size: int | None = None
    rtl: bool | None = None
    sticky: bool | None = None
    other: tuple[tuple[str, object], ...] = ()  # Anki's other settings by its keys (id, description, …)

    def anki(self) -> dict:
        return {**{name: value for name, value in vars(self).items() if value is not None and name != "other"},
                **dict(self.other)}


@dataclass(frozen=True)
class NoteType:
    id: int  # fixed: the note type's identity in every user's collection
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    is_cloze: bool = False
    # What a deck's own note type sets; deckbuilder's five leave them as they are.
    css: str | None = None  # None: deckbuilder's card.css
    settings: tuple[FieldSettings, ...] = ()  # per field, in order; () for all Anki's defaults
    sort_field: int = 0  # the field Anki's browser sorts by
    markdown: bool = True  # fields are written in Markdown; False: HTML, kept exactly as written
    anki: tuple[tuple[str, object], ...] = ()  # Anki's other settings by its keys (latexsvg, …): kept as given

    @property
    def card_css(self) -> str:
        return stylesheet() if self.css is None else self.css


QUESTION_FIELDS = ("Front", "Back", "Extra", "Section", "Source", "Notice")
FRONT = '<div class="db-question">{{Front}}</div>'
BACK = '<div class="db-question">{{Back}}</div>'

BASIC = NoteType(1280227056, "deckbuilder Basic", QUESTION_FIELDS, (
    Template("Card 1", page(NOTICE + FRONT + "\n"), back_of(FRONT, '<div class="db-answer">{{Back}}</div>')),
))

REVERSED = NoteType(1220044243, "deckbuilder Basic (and reversed card)", QUESTION_FIELDS, (
    Template("Card 1", page(NOTICE + FRONT + "\n"), back_of(FRONT, '<div class="db-answer">{{Back}}</div>')),
    Template("Card 2", page(NOTICE + BACK + "\n"), back_of(BACK, '<div class="db-answer">{{Front}}</div>')),
))

TYPE_IN = NoteType(1147447889, "deckbuilder Type-in answer", QUESTION_FIELDS, (
    Template("Card 1", page(NOTICE + FRONT + "\n{{type:Back}}\n"),
             back_of(FRONT, '<div class="db-answer">{{type:Back}}</div>')),
))

CLOZE_TEXT = '<div class="db-question db-cloze">{{cloze:Text}}</div>'
CLOZE = NoteType(1583040937, "deckbuilder Cloze", ("Text", "Extra", "Section", "Source", "Notice"), (
    Template("Cloze", page(NOTICE + CLOZE_TEXT + "\n"), page(f"{NOTICE}{CLOZE_TEXT}\n{EXTRA}{SOURCE}\n")),
), is_cloze=True)

ASK_FORWARD = ('<div class="db-question db-relationship">{{Subject}} <span class="db-relation">{{Relation}}</span>'
               ' <span class="db-blank">…?</span></div>')
ASK_REVERSE = ('<div class="db-question db-relationship">'
               '{{#Inverse}}{{Object}} <span class="db-relation">{{Inverse}}</span> <span class="db-blank">…?</span>'
               '{{/Inverse}}{{^Inverse}}<span class="db-blank">…</span> <span class="db-relation">{{Relation}}'
               '</span> {{Object}}?{{/Inverse}}</div>')
WHY = '{{#Why}}<div class="db-why">{{Why}}</div>{{/Why}}'
RELATIONSHIP = NoteType(1941608096, "deckbuilder Relationship",
                        ("Subject", "Relation", "Object", "Inverse", "Why", "Extra", "Section", "Source", "Notice"), (
    Template("Forward", page(NOTICE + ASK_FORWARD + "\n"),
             back_of(ASK_FORWARD, f'<div class="db-answer">{{{{Object}}}}</div>{WHY}')),
    Template("Reverse", page(NOTICE + ASK_REVERSE + "\n"),
             back_of(ASK_REVERSE, f'<div class="db-answer">{{{{Subject}}}}</div>{WHY}')),
))

NOTE_TYPES = {"basic": BASIC, "reversed": REVERSED, "type-in": TYPE_IN, "cloze": CLOZE,
              "relationship": RELATIONSHIP}


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The CSS every deckbuilder note type shares."""
    return files("deckbuilder.anki").joinpath("card.css").read_text(encoding="utf-8")


def to_genanki(note_type: NoteType):
    """A fresh genanki Model for every package: genanki fills in the dicts it is given."""
    import genanki

    settings = note_type.settings or (FieldSettings(),) * len(note_type.fields)
    other = dict(note_type.anki)
    latex = {argument: other[key] for argument, key in (("latex_pre", "latexPre"), ("latex_post", "latexPost"))
             if key in other}
    return genanki.Model(
        note_type.id, note_type.name,
        fields=[{"name": name, **setting.anki()} for name, setting in zip(note_type.fields, settings)],
        templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back, **dict(t.anki)} for t in note_type.templates],
        css=note_type.card_css,
        model_type=genanki.Model.CLOZE if note_type.is_cloze else genanki.Model.FRONT_BACK,
        sort_field_index=note_type.sort_field, **latex,
    )
