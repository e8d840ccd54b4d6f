"""Stage 2, validate: node trees → checked decks, with every problem of every file at once."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from deckbuilder.source.cardformat import card_file
from deckbuilder.anki.cloze import card_numbers, mistakes
from deckbuilder.speed.gcpause import without_cycle_collection
from deckbuilder.source.load import LoadedFile, SourceFile
from deckbuilder.model import Card, Deck, DeckHeader, Section, Source, Text
from deckbuilder.problems import Location, Problem
from deckbuilder.source.schema import Checked, Checker

TEXT_KEYS = ("front", "back", "text", "subject", "relation", "object", "inverse", "why", "extra")
# Tags under the deck key that are not sections: '<key>::kind::…' and the future '<key>::retired'.
RESERVED_SECTION_IDS = {"kind", "retired"}
# One empty set for every card that switches no lint rule off: each frozenset() is a new 216-byte
# object, 21 MB over 100,000 cards.
NO_RULES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FilePart:
    """What one file contributes to a deck: its header (if it is the main file) and its sections."""

    file: SourceFile
    deck_key: str
    deck_where: Location
    header: DeckHeader | None
    sections: tuple[Checked, ...]  # 'cards' and 'relationships' hold how many entries were written
    lint_ignore: frozenset[str] = frozenset()
    cards: tuple[tuple[tuple[Card, Location], ...], ...] = ()  # per section: its cards, where each id stands


@without_cycle_collection
def check_file(file: LoadedFile) -> tuple[FilePart | None, list[Problem]]:
    """Check one file against the card format; a part is returned even when some cards have problems."""
    checker = Checker(file.shown)
    checked = card_file.check(file.root, checker)
    if checked is None or checked.get("deck") is None:
        return None, checker.problems
    deck = checked.get("deck")
    if isinstance(deck, Checked):  # the main file: the header names the deck
        header = to_header(deck)
        if header is None:
            return None, checker.problems  # the header's own problems are already reported
        key = header.key
    else:  # a further file of the deck: just its key
        header, key = None, deck
    entries = tuple(s for s in checked.get("sections") or () if s is not None and s.get("id"))
    source = SourceFile(file.path, file.shown)  # not the node tree: parts outlive it, and are cached
    # Cards are made here, per file, so a cached part holds them ready and the checked mappings can go.
    cards = tuple(section_cards(entry, source) for entry in entries)
    sections = tuple(entry.kept(cards=len(entry.get("cards") or ()),
                                relationships=len(entry.get("relationships") or ())) for entry in entries)
    part = FilePart(source, key, checked.place("deck"), header, sections, lint_ignore(checked), cards)
    return part, checker.problems


def section_cards(entry: Checked, file: SourceFile) -> tuple[tuple[Card, Location], ...]:
    """The cards and relationships of one section entry, each with the place of its id."""
    items = [(c, c.get("type"), c.get("kind") or "fact") for c in entry.get("cards") or () if c]
    items += [(r, "relationship", "relationship") for r in entry.get("relationships") or () if r]
    folder = file.path.parent  # one object for all the file's cards: stored once when the part is cached
    return tuple((card, checked.place("id")) for checked, card_type, kind in items
                 if (card := to_card(checked, card_type, kind, entry.get("id"), folder)) is not None)


def lint_ignore(checked: Checked) -> frozenset[str]:
    """The lint rules a file or card switches off with `lint: {ignore: [...]}`."""
    settings = checked.get("lint")
    rules = [rule for rule in (settings.get("ignore") or ()) if rule] if settings else []
    return frozenset(rules) if rules else NO_RULES


def to_header(deck: Checked) -> DeckHeader | None:
    source = deck.get("source")
    if not deck.get("key") or not deck.get("name") or source is None or not source.get("title"):
        return None
    description = Text(deck.get("description"), deck.place("description")) if deck.get("description") else None
    return DeckHeader(
        key=deck.get("key"), name=deck.get("name"), description=description, where=deck.where,
        source=Source(source.get("title"), source.get("author") or "", source.get("credit") or "",
                      source.get("url") or "", source.place("url")),
        allow_scripts=bool(deck.get("allow_scripts")),
    )


def assemble_decks(parts: list[FilePart]) -> tuple[list[Deck], list[Problem]]:
    """Group file parts by deck key and check what spans files: headers, sections, unique ids."""
    decks, problems = [], []
    by_key = sorted(parts, key=lambda part: part.deck_key)
    for key, group in groupby(by_key, key=lambda part: part.deck_key):
        deck, deck_problems = assemble_deck(key, order_parts(list(group)))
        problems += deck_problems
        if deck is not None:
            decks.append(deck)
    return decks, problems


def order_parts(parts: list[FilePart]) -> list[FilePart]:
    """The main file (with the header) first, then the others by path, so order never depends on the OS."""
    return sorted(parts, key=lambda part: (part.header is None, str(part.file.path)))


def assemble_deck(key: str, parts: list[FilePart]) -> tuple[Deck | None, list[Problem]]:
    headers = [part for part in parts if part.header is not None]
    problems = header_problems(key, parts, headers)
    sections, section_problems = collect_sections(parts)
    problems += section_problems
    cards, card_problems = collect_cards(parts, sections)
    problems += card_problems
    if not headers:
        return None, problems
    header = headers[0].header
    if not any(entry.get("cards") or entry.get("relationships") for part in parts for entry in part.sections):
        problems.append(Problem(header.where, f"deck '{key}' has no cards",
                                "add sections with cards or relationships"))
    ignored = tuple((part.file.shown, part.lint_ignore) for part in parts if part.lint_ignore)
    return Deck(header, tuple(sections.values()), tuple(cards), tuple(p.file.shown for p in parts),
                headers[0].file.path.parent, ignored), problems


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
    continued: dict[str, Checked] = {}
    for part in parts:
        for entry in part.sections:
            section_id = entry.get("id")
            if section_id in RESERVED_SECTION_IDS:
                problems.append(Problem(entry.place("id"), f"'{section_id}' is reserved for deckbuilder's own tags",
                                        "choose another section id"))
            if entry.get("title") is None:
                if "number" in entry.values:
                    problems.append(Problem(entry.place("number"), "a section's number goes with its title",
                                            "give number and title where the section is first defined"))
                continued.setdefault(section_id, entry)
            elif section_id in sections:
                problems.append(Problem(entry.place("id"), f"section '{section_id}' is defined twice",
                                        f"it already has a title at {sections[section_id].where}; to add cards to "
                                        "it elsewhere, repeat only its id"))
            else:
                sections[section_id] = Section(section_id, entry.get("number"), entry.get("title"), entry.where)
    for section_id, entry in continued.items():
        if section_id not in sections:
            problems.append(Problem(entry.place("id"), f"section '{section_id}' has no title anywhere in the deck",
                                    "give it a title where it is first defined"))
    return sections, problems


def collect_cards(parts: list[FilePart], sections: dict[str, Section]) -> tuple[list[Card], list[Problem]]:
    """Cards in article order: by section, then file, then as written; ids unique across the deck."""
    entries = [(entry.get("id"), cards) for part in parts for entry, cards in zip(part.sections, part.cards)]
    entries = [entry for entry in entries if entry[0] in sections]
    order = {section_id: index for index, section_id in enumerate(sections)}
    entries.sort(key=lambda entry: order[entry[0]])  # stable: file order kept within a section
    cards, problems, first_use = [], [], {}
    for _, section_cards in entries:
        for card, id_place in section_cards:
            if card.id in first_use:
                problems.append(Problem(id_place, f"duplicate card id '{card.id}'",
                                        f"first used at {first_use[card.id]}; ids must be unique in the deck"))
                continue
            first_use[card.id] = id_place
            problems += card_problems(card)
            cards.append(card)
    return cards, problems


def to_card(checked: Checked, card_type: str, kind: str, section: str, folder: Path) -> Card | None:
    if not checked.get("id"):
        return None
    values = checked.values
    fields = tuple((name, Text(values[name], checked.place(name)))
                   for name in TEXT_KEYS if values.get(name) is not None)
    tags = tuple(tag for tag in values.get("tags") or () if tag)
    type_where = checked.place("type" if "type" in checked.starts else "id")  # 'type' may be the default
    return Card(values["id"], card_type, kind, section, fields, tags, checked.where,
                folder, type_where, lint_ignore(checked))


def card_problems(card: Card) -> list[Problem]:
    """Checks that need a whole card: cloze deletions (genanki makes no card for a cloze without one)."""
    text = card.text("text")
    if card.type != "cloze" or text is None:
        return []
    messages = mistakes(text.value)
    problems = [Problem(text.where, message) for message in messages]
    if not messages and not card_numbers(text.value):
        problems.append(Problem(text.where, "a cloze card needs at least one deletion",
                                "mark the answer as {{c1::answer}}"))
    return problems
