"""The parts of every card file → checked decks: what spans files (headers, sections, unique ids) and what
spans decks (their names) is checked here, every problem at its place."""

from __future__ import annotations

from itertools import groupby

from deckbuilder.anki.cloze import card_numbers, mistakes
from deckbuilder.model import Card, Deck, DeclaredNoteType, Group, Section
from deckbuilder.problems import Problem
from deckbuilder.source.notetypes import card_type_problems, collect_note_types
from deckbuilder.source.validate import FilePart, PartSection

# Tags under the deck key that are not sections: '<key>::kind::…', '<key>::retired' and '<key>::group::…'.
RESERVED_SECTION_IDS = {"kind", "retired", "group"}
GROUP_IDS = " (a group's cards have the ids '<group id>.set', '<group id>.<member id>' and '<group id>.common')"


def assemble_decks(parts: list[FilePart], other_names: dict[str, str] | None = None,
                   ) -> tuple[list[Deck], list[Problem]]:
    """Group file parts by deck key into decks. `other_names` maps the names of decks not read this time (a
    build leaves them as they were) to their keys: no two decks may share a name."""
    decks, problems = [], []
    by_key = sorted(parts, key=lambda part: part.deck_key)
    for key, group in groupby(by_key, key=lambda part: part.deck_key):
        deck, deck_problems = assemble_deck(key, order_parts(list(group)))
        problems += deck_problems
        if deck is not None:
            decks.append(deck)
    return decks, problems + name_clashes(decks, other_names or {})


def order_parts(parts: list[FilePart]) -> list[FilePart]:
    """The main file (with the header) first, then the others by path, so order never depends on the OS."""
    return sorted(parts, key=lambda part: (part.header is None, str(part.file.path)))


def assemble_deck(key: str, parts: list[FilePart]) -> tuple[Deck | None, list[Problem]]:
    headers = [part for part in parts if part.header is not None]
    problems = header_problems(key, parts, headers)
    sections, section_problems = collect_sections(parts)
    problems += section_problems
    note_types, type_problems = collect_note_types([declared for part in parts for declared in part.note_types])
    problems += type_problems
    cards, card_problems = collect_cards(parts, sections, note_types)
    problems += card_problems
    if not headers:
        return None, problems
    header = headers[0].header
    if not any(entry.entries for part in parts for entry in part.sections):
        problems.append(Problem(header.where, f"deck '{key}' has no cards",
                                "add sections with cards or relationships"))
    ignored = tuple((part.file.shown, part.lint_ignore) for part in parts if part.lint_ignore)
    return Deck(header, tuple(sections.values()), tuple(cards), tuple(p.file.shown for p in parts),
                headers[0].file.path.parent, ignored, tuple(note_types.values()),
                collect_groups(parts, sections)), problems


def header_problems(key: str, parts: list[FilePart], headers: list[FilePart]) -> list[Problem]:
    if not headers:
        return [Problem(part.deck_where, f"no file given declares deck '{key}'",
                        "give the file whose 'deck:' has the key, name and source too, e.g. build the whole folder")
                for part in parts]
    first = headers[0]
    return [Problem(part.deck_where, f"deck '{key}' is declared twice",
                    f"its header is already in {first.file.shown}:{first.deck_where.line}; "
                    f"other files of the deck say just 'deck: {key}'")
            for part in headers[1:]]


def collect_sections(parts: list[FilePart]) -> tuple[dict[str, Section], list[Problem]]:
    """Each section is defined once (with its title); later entries with the same id continue it."""
    sections: dict[str, Section] = {}
    problems: list[Problem] = []
    continued: dict[str, PartSection] = {}
    for part in parts:
        for entry in part.sections:
            if entry.id in RESERVED_SECTION_IDS:
                problems.append(Problem(entry.id_where, f"'{entry.id}' is reserved for deckbuilder's own tags",
                                        "choose another section id"))
            if entry.title is None:
                for where, what in ((entry.number_where, "number"), (entry.subdeck_where, "subdeck")):
                    if where is not None:
                        problems.append(Problem(where, f"a section's {what} goes with its title",
                                                f"give {what} and title where the section is first defined"))
                continued.setdefault(entry.id, entry)
            elif entry.id in sections:
                problems.append(Problem(entry.id_where, f"section '{entry.id}' is defined twice",
                                        f"it already has a title at {sections[entry.id].where}; to add cards to "
                                        "it elsewhere, repeat only its id"))
            else:
                sections[entry.id] = Section(entry.id, entry.number, entry.title, entry.where, entry.subdeck)
    for section_id, entry in continued.items():
        if section_id not in sections:
            problems.append(Problem(entry.id_where, f"section '{section_id}' has no title anywhere in the deck",
                                    "give it a title where it is first defined"))
    return sections, problems


def collect_cards(parts: list[FilePart], sections: dict[str, Section],
                  note_types: dict[str, DeclaredNoteType]) -> tuple[list[Card], list[Problem]]:
    """Cards in article order: by section, then file, then as written; ids unique across the deck."""
    entries = [entry for part in parts for entry in part.sections if entry.id in sections]
    order = {section_id: index for index, section_id in enumerate(sections)}
    entries.sort(key=lambda entry: order[entry.id])  # stable: file order kept within a section
    cards, problems, first_use, guids = [], [], {}, {}
    for entry in entries:
        for card, id_place in entry.cards:
            if card.id in first_use:
                problems.append(Problem(id_place, f"duplicate card id '{card.id}'",
                                        f"first used at {first_use[card.id]}; ids must be unique in the deck"
                                        + GROUP_IDS * ("." in card.id)))
                continue
            first_use[card.id] = id_place
            if card.guid and guids.setdefault(card.guid, card.where) != card.where:
                problems.append(Problem(card.where, f"two cards have the GUID '{card.guid}'",
                                        f"the first is at {guids[card.guid]}; Anki would take them for one note"))
                continue
            type_problems = card_type_problems(card, note_types)
            problems += type_problems or card_problems(card, note_types.get(card.type))
            if not type_problems:
                cards.append(card)
    return cards, problems


def collect_groups(parts: list[FilePart], sections: dict[str, Section]) -> tuple[Group, ...]:
    """The groups in article order, as their cards are."""
    order = {section_id: index for index, section_id in enumerate(sections)}
    entries = [entry for part in parts for entry in part.sections if entry.id in sections]
    return tuple(group for entry in sorted(entries, key=lambda entry: order[entry.id]) for group in entry.groups)


def card_problems(card: Card, note_type: DeclaredNoteType | None = None) -> list[Problem]:
    """Checks that need a whole card: cloze deletions (genanki makes no card for a cloze without one)."""
    if note_type is not None:  # a deck's own cloze note type: deletions in any field (compile_card checks one is)
        return [Problem(text.where, message) for _, text in card.fields
                for message in (mistakes(text.value) if note_type.cloze else ())]
    text = card.text("text")
    if card.type != "cloze" or text is None:
        return []
    messages = mistakes(text.value)
    problems = [Problem(text.where, message) for message in messages]
    if not messages and not card_numbers(text.value):
        problems.append(Problem(text.where, "a cloze card needs at least one deletion",
                                "mark the answer as {{c1::answer}}"))
    return problems


def name_clashes(decks: list[Deck], other_names: dict[str, str]) -> list[Problem]:
    """Anki matches decks by name: two decks of one name would pour into one."""
    first: dict[str, str] = dict(other_names)
    problems = []
    for deck in decks:
        other = first.setdefault(deck.header.name, deck.header.key)
        if other != deck.header.key:
            problems.append(Problem(deck.header.where, f"deck name '{deck.header.name}' is also used by "
                                    f"deck '{other}'", "Anki would merge them; rename one"))
    return problems
