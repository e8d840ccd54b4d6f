"""The note types of a table's rows: a CSV/TSV file names note types (or none) but holds no definition of them.

A row whose note type is one of Anki's stock ones by name ('Basic', 'Basic (and reversed card)', 'Basic (optional
reversed card)', 'Basic (type in the answer)', 'Cloze') gets that note type as Anki 26.9 makes it; any other name,
and a plain table's rows, get a note type of that name whose fields are the table's columns (its header row's
names, or 'Field 1', 'Field 2'…) and one card asking the first field. The ids are deckbuilder's, derived from the
deck's key: a table cannot say which note type a collection has.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from deckbuilder.importing.foreign import ForeignDeck, Note, NoteType

CSS = (".card {\n    font-family: arial;\n    font-size: 20px;\n    line-height: 1.5;\n    text-align: center;\n"
       "    color: black;\n    background-color: white;\n}\n")
CLOZE_CSS = CSS + (".cloze {\n    font-weight: bold;\n    color: blue;\n}\n"
                   ".nightMode .cloze {\n    color: lightblue;\n}\n")
ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"
# Anki's stock note types: fields, templates (name, front, back) and kind, as a fresh collection of Anki 26.9 has them.
STOCK = {
    "Basic": (("Front", "Back"), (("Card 1", "{{Front}}", ANSWER + "{{Back}}"),), False, 1),
    "Basic (and reversed card)": (("Front", "Back"), (("Card 1", "{{Front}}", ANSWER + "{{Back}}"),
                                                      ("Card 2", "{{Back}}", ANSWER + "{{Front}}")), False, 2),
    "Basic (optional reversed card)": (("Front", "Back", "Add Reverse"), (
        ("Card 1", "{{Front}}", ANSWER + "{{Back}}"),
        ("Card 2", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}", ANSWER + "{{Front}}")), False, 3),
    "Basic (type in the answer)": (("Front", "Back"), (
        ("Card 1", "{{Front}}\n\n{{type:Back}}", "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}"),), False, 4),
    "Cloze": (("Text", "Back Extra"), (("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}"),), True, 5),
}
DEFAULT_TYPE = "Basic"  # what Anki's import of a text file picks when the file names no note type


def table_types(deck: ForeignDeck) -> ForeignDeck:
    """The deck with a note type for every row: the rows' fields fitted to it, what does not fit said."""
    names = deck.source.details.get("field columns")
    fallback = Path(deck.source.path).stem if names else DEFAULT_TYPE
    wanted = list(dict.fromkeys(note.notetype_name or fallback for note in deck.notes))
    widths = {name: max(last_filled(note) for note in deck.notes if (note.notetype_name or fallback) == name)
              for name in wanted}
    types = {name: stock_type(name) if name in STOCK else table_type(name, names, widths[name]) for name in wanted}
    warnings, notes = [], []
    for note in deck.notes:
        notetype = types[note.notetype_name or fallback]
        fields, cut = fitted(note.fields, len(notetype.field_names))
        if cut:
            warnings.append(f"line {note.line}: {cut} cell{'s' if cut != 1 else ''} more than note type "
                            f"'{notetype.name}' has fields: left out")
        notes.append(replace(note, notetype_id=notetype.id, notetype_name=notetype.name, fields=fields))
    return replace(deck, notetypes=tuple(types.values()), notes=tuple(notes), warnings=deck.warnings + tuple(warnings))


def last_filled(note: Note) -> int:
    return max((index + 1 for index, text in enumerate(note.fields) if text), default=1)


def fitted(fields: tuple[str, ...], count: int) -> tuple[tuple[str, ...], int]:
    """The fields padded or cut to `count`, and how many cut cells held text."""
    return (fields + ("",) * count)[:count], sum(1 for text in fields[count:] if text)


def type_id(name: str) -> int:
    """An id to tell the note types apart until the writer gives them the deck's own."""
    return (1 << 32) + int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")


def notetype(name: str, fields, templates, cloze: bool, css: str, stock: int = 0) -> NoteType:
    anki = {"id": type_id(name), "name": name, "type": 1 if cloze else 0, "mod": None, "sortf": 0, "css": css,
            "flds": [{"name": field, "ord": index} for index, field in enumerate(fields)],
            "tmpls": [{"name": template, "ord": index, "qfmt": front, "afmt": back, "did": None}
                      for index, (template, front, back) in enumerate(templates)]}
    if stock:
        anki["originalStockKind"] = stock
    return NoteType(anki)


def stock_type(name: str) -> NoteType:
    fields, templates, cloze, stock = STOCK[name]
    return notetype(name, fields, templates, cloze, CLOZE_CSS if cloze else CSS, stock)


def table_type(name: str, labels: list[str] | None, width: int) -> NoteType:
    """Fields named as the table names its columns (else Field 1, Field 2…); one card asks the first, shows all."""
    fields = field_names(labels) if labels else tuple(f"Field {number}" for number in range(1, width + 1))
    back = ANSWER + "<br>\n".join(f"{{{{{field}}}}}" for field in fields[1:]) if len(fields) > 1 else "{{FrontSide}}"
    return notetype(name, fields, (("Card 1", f"{{{{{fields[0]}}}}}", back),), False, CSS)



def field_names(labels: list[str]) -> tuple[str, ...]:
    """The header row's names as field names, as Anki names a field ('Front:' → 'Front'), each once."""
    names: list[str] = []
    for number, label in enumerate(labels, start=1):
        name = re.sub(r'[:{}"]', "", label).strip().lstrip("#/^").strip() or f"Field {number}"
        names.append(name if name not in names else f"{name} {number}")
    return tuple(names)
