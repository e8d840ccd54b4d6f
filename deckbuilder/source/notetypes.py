"""The note types a deck declares, checked across its files: unique ids and names, templates that Anki can
read and that name only fields the note type has, and cards that give only fields their type has."""

from __future__ import annotations

from deckbuilder.anki import notetypes
from deckbuilder.anki.templates import SPECIAL_FIELDS, Replacement, field_names_used, parse_template
from deckbuilder.model import AuthoredText, Card, DeclaredNoteType
from deckbuilder.problems import Problem
from deckbuilder.source.cardformat import CARD_TYPES
from deckbuilder.source.schema import did_you_mean

BUILT_IN = tuple(notetypes.NOTE_TYPES)  # the card types of deckbuilder's own note types, and 'relationship'
OWN_NAMES = {note_type.name for note_type in notetypes.NOTE_TYPES.values()}
# An imported deckbuilder package's note types keep their names and ids: the deck then declares them as its own.
OWN_IDS = {note_type.id: key for key, note_type in notetypes.NOTE_TYPES.items()}


def collect_note_types(declared: list[DeclaredNoteType]) -> tuple[dict[str, DeclaredNoteType], list[Problem]]:
    """The deck's note types by id, each id and name once; every problem of each."""
    found: dict[str, DeclaredNoteType] = {}
    names: dict[str, DeclaredNoteType] = {}
    anki_ids: dict[int, DeclaredNoteType] = {}
    problems = []
    for note_type in declared:
        if note_type.key in BUILT_IN or (note_type.name in OWN_NAMES and note_type.anki_id not in OWN_IDS):
            built_in = note_type.key in BUILT_IN
            problems.append(Problem(note_type.id_where if built_in else note_type.name_where,
                                    f"'{note_type.key if built_in else note_type.name}' is one of deckbuilder's own "
                                    f"{'card types' if built_in else 'note types'}",
                                    f"give the note type another {'id' if built_in else 'name'}"))
            continue
        first = found.get(note_type.key) or names.get(note_type.name) or anki_ids.get(note_type.anki_id)
        if first is not None:
            what, place = ((f"id '{note_type.key}'", note_type.id_where) if first.key == note_type.key else
                           (f"name '{note_type.name}'", note_type.name_where) if first.name == note_type.name else
                           (f"anki_id {note_type.anki_id}", note_type.where))
            problems.append(Problem(place, f"two note types have the {what}",
                                    f"the first is at {first.where}; Anki knows a note type by its id and shows "
                                    "its name: give each its own"))
            continue
        found[note_type.key] = names[note_type.name] = note_type
        if note_type.anki_id is not None:
            anki_ids[note_type.anki_id] = note_type
        problems += note_type_problems(note_type)
    return found, problems


def note_type_problems(note_type: DeclaredNoteType) -> list[Problem]:
    names = [field.name for field in note_type.fields]
    problems = [Problem(field.where, f"note type '{note_type.key}' has two fields named '{field.name}'",
                        "Anki needs each field's name once") for index, field in enumerate(note_type.fields)
                if field.name in names[:index]]
    templates = [template.name for template in note_type.templates]
    problems += [Problem(template.where, f"note type '{note_type.key}' has two templates named '{template.name}'",
                         "Anki needs each template's name once") for index, template in enumerate(note_type.templates)
                 if template.name in templates[:index]]
    if note_type.sort_field is not None and note_type.sort_field.value not in names:
        problems.append(unknown_field(note_type, note_type.sort_field.value, note_type.sort_field,
                                      f"sort_field names '{note_type.sort_field.value}'"))
    if note_type.cloze and len(note_type.templates) > 1:
        problems.append(Problem(note_type.templates[1].where, f"cloze note type '{note_type.key}' has more than one "
                                "template", "Anki makes every cloze card from the first: keep one"))
    fronts: dict[str, str] = {}
    for template in note_type.templates:
        for side in (template.front, template.back):
            problems += template_problems(note_type, template.name, side)
        if not problems and not shows_a_field(template.front.value):
            problems.append(Problem(template.front.where, f"template '{template.name}' shows no field on its front",
                                    "Anki refuses a note type whose card would ask nothing: show a field, e.g. "
                                    f"{{{{{names[0]}}}}}"))
        elif fronts.setdefault(template.front.value, template.name) != template.name:
            problems.append(Problem(template.front.where, f"templates '{fronts[template.front.value]}' and "
                                    f"'{template.name}' have the same front", "Anki refuses two card types that ask "
                                    "the same: make each front differ"))
    if note_type.cloze and not problems and not has_cloze_field(note_type):
        front = note_type.templates[0].front
        problems.append(Problem(front.where, f"cloze note type '{note_type.key}' has no cloze field on its front",
                                f"show one with {{{{cloze:{names[0]}}}}}: Anki hides each card's deletions there"))
    return problems


def template_problems(note_type: DeclaredNoteType, name: str, side: AuthoredText) -> list[Problem]:
    """A template Anki could not read, or one naming a field the note type lacks (each field once)."""
    try:
        nodes = parse_template(side.value)
    except ValueError as error:
        return [Problem(side.where, f"template '{name}': {error}", "close every {{#Field}} and {{^Field}} with "
                        "{{/Field}}, in the order they open")]
    known = {field.name for field in note_type.fields} | set(SPECIAL_FIELDS)
    missing = {field: written for written, field in reversed(field_names_used(nodes)) if field not in known}
    return [unknown_field(note_type, field, side, f"template '{name}' names {written}")
            for field, written in reversed(missing.items())]


def unknown_field(note_type: DeclaredNoteType, field: str, text: AuthoredText, what: str) -> Problem:
    names = [declared.name for declared in note_type.fields]
    guess = did_you_mean(field, names)
    return Problem(text.where, f"{what + ', but ' if what else ''}note type '{note_type.key}' has no field '{field}'",
                   (guess + " " if guess else "") + "its fields are " + ", ".join(names))


def replacements(template: str):
    """Every {{…}} that fills in a field, inside conditionals too."""
    stack = list(parse_template(template))
    while stack:
        node = stack.pop()
        if isinstance(node, Replacement) and node.field:
            yield node
        stack += getattr(node, "children", ())


def shows_a_field(template: str) -> bool:
    return any(True for _ in replacements(template))


def has_cloze_field(note_type: DeclaredNoteType) -> bool:
    return any("cloze" in node.filters for node in replacements(note_type.templates[0].front.value))


def card_type_problems(card: Card, note_types: dict[str, DeclaredNoteType]) -> list[Problem]:
    """A card of an undeclared type, or giving a field its note type lacks; a card of one of deckbuilder's types
    whose Anki id a note type of the deck's has (an imported deckbuilder package's)."""
    if card.type in BUILT_IN:
        clash = next((note_type for note_type in note_types.values()
                      if OWN_IDS.get(note_type.anki_id) == card.type), None)
        return [Problem(card.type_where, f"note type '{clash.key}' of this deck has the Anki id of deckbuilder's "
                        f"'{card.type}' cards", f"give this card 'type: {clash.key}'")] if clash else []
    note_type = note_types.get(card.type)
    if note_type is None:
        guess = did_you_mean(card.type, [*CARD_TYPES, *note_types])
        return [Problem(card.type_where, f"unknown card type '{card.type}'",
                        (guess + " " if guess else "") + "expected basic, reversed, cloze, type-in, or the id of a "
                        "note type the deck declares under 'note_types:'")]
    names = {field.name for field in note_type.fields}
    return [unknown_field(note_type, name, text, "")
            for name, text in card.fields if name not in names]
