"""A foreign deck's note types as the deck's own (`note_types:` entries): Anki's ids, names, fields, templates,
CSS and settings kept, each under the card format's key, written only where it differs from what a build sends
without it; checked as any note type a deck declares is, so an imported deck builds as it is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deckbuilder.anki.notetypes import NoteType, Template
from deckbuilder.authoring.ids import first_free, slugify
from deckbuilder.importing.foreign import NoteType as ForeignType
from deckbuilder.model import AuthoredText, DeclaredField, DeclaredNoteType, DeclaredTemplate
from deckbuilder.problems import Location
from deckbuilder.source.cardformat import (FIELD_NAME_PATTERN, FIELD_SETTINGS, NOTE_TYPE_SETTINGS, STOCK_KINDS,
                                           TEMPLATE_SETTINGS)
from deckbuilder.source.notetypes import BUILT_IN, note_type_problems

# What a build writes for a setting the card file leaves out (genanki's defaults, and Anki's for the others).
FIELD_DEFAULTS = {"font": "Liberation Sans", "size": 20, "rtl": False, "sticky": False, "description": "",
                  "plainText": False, "collapsed": False, "excludeFromSearch": False, "id": None, "tag": None,
                  "preventDeletion": False}
TEMPLATE_DEFAULTS = {"bqfmt": "", "bafmt": "", "bfont": "", "bsize": 0, "id": None, "did": None}
LATEX_PRE = ("\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n"
             "\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n")
NOTE_TYPE_DEFAULTS = {"latexPre": LATEX_PRE, "latexPost": "\\end{document}", "latexsvg": False,
                      "originalStockKind": 0, "originalId": None}
# Keys of Anki's dicts that the card format holds elsewhere, or that belong to the source collection alone (usn,
# the last deck a note was added to, req: Anki works it out again from the templates).
KEPT_ELSEWHERE = {"id", "name", "type", "mod", "sortf", "tmpls", "flds", "css", "usn", "did", "req"}
FIELD_KEPT_ELSEWHERE = {"name", "ord", "font", "size", "rtl", "sticky"}
TEMPLATE_KEPT_ELSEWHERE = {"name", "ord", "qfmt", "afmt", "did"}
EMPTY_EXTRAS = {"vers": [], "tags": [], "media": []}  # what genanki writes into every note type: nothing to keep
STOCK_NAMES = {number: name for name, number in STOCK_KINDS.items()}
WHERE = Location("")


@dataclass(frozen=True)
class ImportedType:
    """A foreign note type as the deck declares it: its key, its `note_types:` entry, the note type a build makes
    of it (to know the cards its notes make), and why it cannot be kept, if it cannot."""

    key: str
    foreign: ForeignType
    entry: dict
    note_type: NoteType
    refused: str | None
    not_kept: tuple[str, ...]  # Anki settings the card format has no key for


def imported_types(types: tuple[ForeignType, ...], with_ids: bool) -> list[ImportedType]:
    """Each note type with a key of its own (from its name); `with_ids`: Anki's id is kept (a table has none)."""
    taken: set[str] = set(BUILT_IN)
    return [imported_type(foreign, type_key(foreign.name, taken), with_ids) for foreign in types]


def type_key(name: str, taken: set[str]) -> str:
    """A key from the name, unique: 'Basic (and reversed card)' → basic-reversed-card; 'Basic' → anki-basic, as
    'basic' is deckbuilder's own card type."""
    base = slug_of(name, "note-type")
    return unique(f"anki-{base}" if base in BUILT_IN else base, taken)


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… if taken; taken from now on."""
    key = first_free(base, taken)
    taken.add(key)
    return key


def slug_of(text: str, fallback: str) -> str:
    slug = slugify(text)
    return fallback if slug == "card" and "card" not in text.lower() else slug


def imported_type(foreign: ForeignType, key: str, with_ids: bool) -> ImportedType:
    anki = foreign.anki
    names = foreign.field_names
    templates = tuple(Template(t["name"], t.get("qfmt") or "", t.get("afmt") or "") for t in anki["tmpls"])
    note_type = NoteType(foreign.id, foreign.name, names, templates, foreign.kind == "cloze", markdown=False)
    return ImportedType(key, foreign, type_entry(foreign, key, with_ids), note_type, refusal(foreign, key),
                        unknown_settings(anki))


def type_entry(foreign: ForeignType, key: str, with_ids: bool) -> dict:
    """The `note_types:` entry, keys in the order an author reads them."""
    anki = foreign.anki
    entry = {"id": key, **({"anki_id": foreign.id} if with_ids else {}), "name": foreign.name}
    if foreign.kind == "cloze":
        entry["kind"] = "cloze"
    entry["markup"] = "html"
    entry.update(settings_of(anki, NOTE_TYPE_SETTINGS, NOTE_TYPE_DEFAULTS))
    if "stock" in entry:
        entry["stock"] = STOCK_NAMES.get(entry["stock"], entry.pop("stock"))
    entry["fields"] = [field_entry(field) for field in anki["flds"]]
    entry["templates"] = [template_entry(template) for template in anki["tmpls"]]
    entry["css"] = anki.get("css") or ""
    sort_field = anki.get("sortf") or 0
    if 0 < sort_field < len(foreign.field_names):
        entry["sort_field"] = foreign.field_names[sort_field]
    if not entry["css"]:
        del entry["css"]
    return entry


def settings_of(anki: dict, settings: dict[str, str], defaults: dict) -> dict:
    """The card format's keys for the settings that differ from what a build writes without them."""
    return {key: anki[name] for key, name in settings.items()
            if anki.get(name, defaults.get(name)) != defaults.get(name) and anki.get(name) is not None}


def field_entry(field: dict) -> str | dict:
    """A field's name, or its name and settings: Anki's id first."""
    anki = settings_of(field, FIELD_SETTINGS, FIELD_DEFAULTS)
    own = {key: field[key] for key in ("font", "size", "rtl", "sticky")
           if key in field and field[key] != FIELD_DEFAULTS[key]}
    settings = {**({"anki_id": anki.pop("anki_id")} if "anki_id" in anki else {}), **own, **anki}
    return {"name": field["name"], **settings} if settings else field["name"]


def template_entry(template: dict) -> dict:
    anki = settings_of(template, TEMPLATE_SETTINGS, TEMPLATE_DEFAULTS)
    entry = {"name": template["name"], **({"anki_id": anki.pop("anki_id")} if "anki_id" in anki else {}),
             "front": template.get("qfmt") or "", "back": template.get("afmt") or "", **anki}
    if template.get("did"):
        entry["deck"] = template["did"]
    return entry


def refusal(foreign: ForeignType, key: str) -> str | None:
    """Why deckbuilder cannot declare this note type as it is, in the words its checks use; None if it can."""
    for name in foreign.field_names:
        if not re.fullmatch(FIELD_NAME_PATTERN, name):
            return (f"its field name {name!r} is not one Anki allows (Anki removes ':', '{{', '}}' and '\"' from a "
                    "field's name, and '#', '/' or '^' before it, and its templates then no longer show the field)")
    if any(not t.get("qfmt") or not t.get("afmt") for t in foreign.anki["tmpls"]):
        return "a template has an empty side"
    declared = declared_type(foreign, key)
    problems = note_type_problems(declared)
    return problems[0].message + (f" ({problems[0].hint})" if problems[0].hint else "") if problems else None


def declared_type(foreign: ForeignType, key: str) -> DeclaredNoteType:
    """The note type as a card file would declare it, for the checks every declared note type gets."""
    anki = foreign.anki
    fields = tuple(DeclaredField(name, WHERE) for name in foreign.field_names)
    templates = tuple(DeclaredTemplate(t["name"], AuthoredText(t.get("qfmt") or "", WHERE),
                                       AuthoredText(t.get("afmt") or "", WHERE), WHERE) for t in anki["tmpls"])
    return DeclaredNoteType(key, foreign.name, foreign.kind == "cloze", False, fields, templates, None, None,
                            WHERE, WHERE, WHERE)


def unknown_settings(anki: dict) -> tuple[str, ...]:
    """The keys of Anki's note type (and of its fields and templates) the card format does not keep."""
    known = KEPT_ELSEWHERE | set(NOTE_TYPE_SETTINGS.values()) | {"latexPre", "latexPost"}
    found = [key for key, value in anki.items() if key not in known and EMPTY_EXTRAS.get(key, ()) != value]
    field_known = FIELD_KEPT_ELSEWHERE | set(FIELD_SETTINGS.values())
    found += [f"field {key}" for field in anki["flds"] for key, value in field.items()
              if key not in field_known and EMPTY_EXTRAS.get(key, ()) != value]
    template_known = TEMPLATE_KEPT_ELSEWHERE | set(TEMPLATE_SETTINGS.values())
    found += [f"template {key}" for template in anki["tmpls"] for key in template if key not in template_known]
    return tuple(dict.fromkeys(found))
