"""One card file's node tree → what it contributes to its deck: the header, sections and checked cards.

Every problem of the file is reported at its line and column; a file with problems still gives the parts
that check, so that problems elsewhere in the deck (a duplicate id in another file) are found in the same
run. assemble.py puts the parts of all files together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckbuilder.model import (AuthoredText, Card, DeckHeader, DeclaredField, DeclaredNoteType, DeclaredTemplate,
                               Group, Source)
from deckbuilder.problems import Location, Problem
from deckbuilder.source.cardformat import (FIELD_SETTINGS, NOTE_TYPE_SETTINGS, STOCK_KINDS, TEMPLATE_SETTINGS,
                                           card_file)
from deckbuilder.source.drafts import draft_id
from deckbuilder.source.groups import group_cards
from deckbuilder.source.load import LoadedFile, SourceFile, load_file
from deckbuilder.source.schema import Checked, Checker

TEXT_KEYS = ("front", "back", "text", "subject", "relation", "object", "inverse", "why", "extra")
EMPTY_NOTE_TYPE = (("fields", "field", "e.g. 'fields: [Word, Meaning]'"),
                   ("templates", "template", "give a template with a name, a front and a back"))
# One empty set for every card that switches no lint rule off: each frozenset() is a new 216-byte
# object, 21 MB over 100,000 cards.
NO_RULES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PartSection:
    """A section entry of one file: a section's definition (with its title) or a continuation (without)."""

    id: str
    title: str | None
    number: int | None
    where: Location
    id_where: Location
    number_where: Location | None  # where a number is written, if one is
    entries: int  # cards, relationships and groups written under it, whether or not they check
    cards: tuple[tuple[Card, Location], ...]  # its cards that check, each with where its id stands
    subdeck: str = ""
    subdeck_where: Location | None = None  # where a subdeck is written, if one is
    groups: tuple[Group, ...] = ()  # its groups that check; their cards are among `cards`


@dataclass(frozen=True)
class FilePart:
    """What one file contributes to a deck: its header (if it is the main file) and its sections."""

    file: SourceFile
    deck_key: str
    deck_where: Location
    header: DeckHeader | None
    sections: tuple[PartSection, ...]
    lint_ignore: frozenset[str] = NO_RULES
    note_types: tuple[DeclaredNoteType, ...] = ()  # the deck's own note types declared in this file


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
    source = SourceFile(file.path, file.shown)  # not the node tree: parts outlive it, and are cached
    problems = checker.problems
    sections = tuple(part_section(entry, source.path.parent, key, problems)
                     for entry in checked.get("sections") or () if entry is not None and entry.get("id"))
    note_types = tuple(declared for entry in checked.get("note_types") or () if entry is not None
                       if (declared := to_note_type(entry)) is not None)
    problems += [Problem(entry.place(key), f"a note type needs at least one {what}", hint)
                 for entry in checked.get("note_types") or () if entry is not None
                 for key, what, hint in EMPTY_NOTE_TYPE if entry.get(key) == []]
    return FilePart(source, key, checked.place("deck"), header, sections, lint_ignore(checked),
                    note_types), problems


def part_section(entry: Checked, folder: Path, deck_key: str, problems: list[Problem]) -> PartSection:
    """A section entry with its cards, relationships and groups' cards, each with the place of its id; the
    groups' problems are added to `problems`."""
    cards, relationships = entry.get("cards") or (), entry.get("relationships") or ()
    items = [(c, c.get("type"), c.get("kind") or "fact") for c in cards if c]
    items += [(r, "relationship", "relationship") for r in relationships if r]
    checked_cards = [(card, checked.place("id")) for checked, card_type, kind in items
                     if (card := to_card(checked, card_type, kind, entry.get("id"), folder)) is not None]
    groups = []
    for checked in entry.get("groups") or ():
        if checked is not None:
            group, group_cards_made, group_problems = group_cards(checked, entry.get("id"), folder, deck_key,
                                                                  lint_ignore(checked))
            problems += group_problems
            checked_cards += group_cards_made
            groups += [group] if group is not None else []
    return PartSection(entry.get("id"), entry.get("title"), entry.get("number"), entry.where, entry.place("id"),
                       entry.place("number") if "number" in entry.values else None,
                       len(cards) + len(relationships) + len(entry.get("groups") or ()), tuple(checked_cards),
                       entry.get("subdeck") or "", entry.place("subdeck") if "subdeck" in entry.values else None,
                       tuple(groups))


def lint_ignore(checked: Checked) -> frozenset[str]:
    """The lint rules a file or card switches off with `lint: {ignore: [...]}`."""
    settings = checked.get("lint")
    rules = [rule for rule in (settings.get("ignore") or ()) if rule] if settings else []
    return frozenset(rules) if rules else NO_RULES


def to_header(deck: Checked) -> DeckHeader | None:
    source = deck.get("source")
    if not deck.get("key") or not deck.get("name") or source is None or not source.get("title"):
        return None
    description = AuthoredText(deck.get("description"), deck.place("description")) \
        if deck.get("description") else None
    subdecks = deck.get("subdeck_descriptions")
    return DeckHeader(
        key=deck.get("key"), name=deck.get("name"), description=description, where=deck.where,
        source=Source(source.get("title"), source.get("author") or "", source.get("credit") or "",
                      source.get("url") or "", source.place("url")),
        allow_scripts=bool(deck.get("allow_scripts")),
        automatic_tags=deck.get("automatic_tags") is not False, html_description=deck.get("markup") == "html",
        subdeck_descriptions=tuple((name, AuthoredText(text, subdecks.place(name)))
                                   for name, text in subdecks.values.items() if name and text) if subdecks else (),
        missing_media=frozenset(name for name in deck.get("missing_media") or () if name),
    )


def to_card(checked: Checked, card_type: str, kind: str, section: str, folder: Path) -> Card | None:
    """The card, a draft with a temporary id if it has none; None if its id is wrong (that is reported)."""
    values = checked.values
    if "id" not in values:
        values["id"] = draft_id(checked.where)
    elif not values["id"]:
        return None
    if "fields" in values:  # a card of a note type the deck declares: its fields by name
        given = values["fields"]
        if given is None:
            return None
        fields = tuple((name, AuthoredText(text, given.place(name))) for name, text in given.values.items()
                       if text is not None)
    else:
        fields = tuple((name, AuthoredText(values[name], checked.place(name)))
                       for name in TEXT_KEYS if values.get(name) is not None)
    tags = tuple(tag for tag in values.get("tags") or () if tag)
    type_where = checked.place("type" if "type" in checked.starts else "id")  # 'type' may be the default
    return Card(values["id"], card_type, kind, section, fields, tags, checked.where,
                folder, type_where, lint_ignore(checked), values.get("subdeck") or "", values.get("guid") or "",
                card_subdecks(values.get("card_subdecks")))


def card_subdecks(checked: Checked | None) -> tuple[tuple[str, str, Location], ...]:
    """(card name, subdeck, where) for each card of a note that goes elsewhere than the note."""
    if checked is None:
        return ()
    return tuple((name, subdeck, checked.place(name)) for name, subdeck in checked.values.items() if subdeck)


def to_note_type(checked: Checked) -> DeclaredNoteType | None:
    """A note type the file declares, if its parts check (their problems are already reported)."""
    values = checked.values
    fields = [to_field(entry, checked.place("fields")) for entry in values.get("fields") or ()]
    templates = [to_template(entry) for entry in values.get("templates") or ()]
    if not (values.get("id") and values.get("name") and fields and templates) or None in fields + templates:
        return None
    optional = {key: AuthoredText(values[key], checked.place(key)) if values.get(key) else None
                for key in ("css", "sort_field")}
    return DeclaredNoteType(values["id"], values["name"], values.get("kind") == "cloze",
                            values.get("markup") != "html", tuple(fields), tuple(templates), optional["css"],
                            optional["sort_field"], checked.where, checked.place("id"), checked.place("name"),
                            values.get("anki_id"), anki_settings(checked, NOTE_TYPE_SETTINGS))


def anki_settings(checked: Checked, settings: dict[str, str]) -> tuple[tuple[str, object], ...]:
    """The settings of `settings` (the card format's key → Anki's) that a mapping gives, by Anki's key; the stock
    note type as Anki's number."""
    values = checked.values
    return tuple((anki, STOCK_KINDS[values[key]] if key == "stock" else values[key])
                 for key, anki in settings.items() if values.get(key) is not None)


def to_field(entry, fields_where: Location) -> DeclaredField | None:
    """A field given as its name (placed at the list of fields) or as a mapping with its settings."""
    if entry is None or isinstance(entry, str):
        return None if entry is None else DeclaredField(entry, fields_where)
    if not entry.get("name"):
        return None
    return DeclaredField(entry.get("name"), entry.where, entry.get("font"), entry.get("size"), entry.get("rtl"),
                         entry.get("sticky"), anki_settings(entry, FIELD_SETTINGS))


def to_template(entry: Checked | None) -> DeclaredTemplate | None:
    if entry is None or not (entry.get("name") and entry.get("front") and entry.get("back")):
        return None
    return DeclaredTemplate(entry.get("name"), AuthoredText(entry.get("front"), entry.place("front")),
                            AuthoredText(entry.get("back"), entry.place("back")), entry.where,
                            anki_settings(entry, TEMPLATE_SETTINGS), entry.get("deck"))


def read_part(path: Path) -> tuple[FilePart | None, list[Problem]]:
    """Load and check one card file."""
    loaded, problems = load_file(path)
    if loaded is None:
        return None, problems
    part, part_problems = check_file(loaded)
    return part, problems + part_problems
