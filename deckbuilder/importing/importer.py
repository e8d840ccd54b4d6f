"""`deckbuilder import`: a deck made elsewhere → card files, its media and its lock file, so that building it
without an edit makes a package that changes nothing in the collections that have the deck.

    source ─read→ ForeignDeck ─tree→ notes placed ─cards→ card entries ─layout→ card files ─install→ output
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from deckbuilder.compiler.note import CompiledNote
from deckbuilder.compiler.notetypes import template_media_names
from deckbuilder.importing import scan
from deckbuilder.importing.cards import ImportedCard, Left, imported_cards, section_ids
from deckbuilder.importing.decktree import Placed, choose_root, in_tree, note_decks, place_notes, relative
from deckbuilder.importing.foreign import NONE, ForeignDeck
from deckbuilder.importing.idsfrom import with_ids_from
from deckbuilder.importing.install import checked_types, deck_lock, install, stage_files, staging, with_kept_media
from deckbuilder.importing.layout import Section, deck_files
from deckbuilder.importing.limits import unreadable
from deckbuilder.importing.notetypes import ImportedType, imported_types, slug_of
from deckbuilder.importing.read import read_foreign
from deckbuilder.importing.report import Report, report_lines
from deckbuilder.importing.tables import table_types
from deckbuilder.importing.yamltext import Flow
from deckbuilder.lock.records import lock_path
from deckbuilder.problems import OutputError, display_path


@dataclass(frozen=True)
class Options:
    key: str | None = None  # the deck's key; default: from the deck's name
    deck: str | None = None  # the deck tree to import; default: the one deck holding every card
    force: bool = False  # replace the deck's files if they exist
    ids_from: Path | None = None  # an .apkg of the collection a CrowdAnki deck came from: its Anki ids


@dataclass(frozen=True)
class Plan:
    """Everything the import writes, worked out before anything is."""

    key: str
    root: str
    types: dict[int, ImportedType]
    sections: list[Section]
    cards: list[ImportedCard]
    header: dict
    media: list
    report: Report


def import_deck(source: Path, output: Path, options: Options, now: int) -> tuple[list[Path], list[str]]:
    """Write the deck `source` holds into `output`; returns the files written and the summary's lines. `now` is the
    mod of notes and note types whose source keeps none (CrowdAnki, tables)."""
    with read_foreign(source) as foreign:
        if options.ids_from is not None:
            foreign = with_ids_from(foreign, options.ids_from)
        plan = planned(source, table_types(foreign) if foreign.origin == NONE else foreign, options)
        files = deck_files(plan.key, plan.header, [plan.types[ntid].entry for ntid in used_types(plan)],
                           plan.sections, plan.cards, display_path(source))
        refuse_existing(output, plan.key, files, options.force)
        notes = compiled_notes(plan)
        mods = {card.entry["id"]: now if card.mod is None else card.mod for card in plan.cards}
        type_mods = {imported.key: now if imported.foreign.mod is None else imported.foreign.mod
                     for imported in plan.types.values()}
        with staging(output) as folder:
            staged = stage_files(folder, files, plan.media)
            missing = frozenset(plan.header.get("missing_media", ()))
            types, template_media = checked_types(folder, files[0], notes, display_path(source), missing)
            notes = with_kept_media(notes, folder, missing)
            lock = deck_lock(plan.key, plan.root, notes, mods, types, type_mods, template_media)
            written = install(folder, output, staged, lock, lambda: make_room(output, folder, plan, files,
                                                                              options.force))
    return written, report_lines(plan.report, [display_path(path) for path in written])


def compiled_notes(plan: Plan) -> list[CompiledNote]:
    """The notes a build makes of the card files: the fields as written (every imported note type keeps them so),
    the card's own tags (no automatic ones), its GUID, its section's subdeck."""
    names = {imported.key: imported.note_type.fields for imported in plan.types.values()}
    subdecks = {section.id: section.subdeck for section in plan.sections}
    return [CompiledNote(plan.key, card.entry["id"], card.section, card.entry["type"], card.fields,
                         tuple(dict.fromkeys(card.entry.get("tags", ()))), (), given_guid=card.entry.get("guid"),
                         field_names=names[card.entry["type"]], subdeck=subdecks[card.section])
            for card in plan.cards]


def planned(source: Path, foreign: ForeignDeck, options: Options) -> Plan:
    root = choose_root(source, foreign.notes, options.deck, source.stem.title())  # a table's rows may name no deck
    placed = place_notes(foreign.notes, root)
    wanted = {item.note.notetype_id for item in placed}
    types = {imported.foreign.id: imported for imported in imported_types(
        tuple(notetype for notetype in foreign.notetypes if notetype.id in wanted), foreign.origin != NONE)}
    subdecks = sorted(dict.fromkeys(item.subdeck for item in placed), key=deck_order)
    ids = section_ids(subdecks, root)
    left = Left()
    cards = imported_cards(placed, types, ids, left)
    if not cards:
        raise unreadable(source, f"nothing to import: no note of deck '{root}' can be built", why_none(left))
    sections = [Section(ids[subdeck], subdeck or root, subdeck) for subdeck in subdecks
                if any(card.section == ids[subdeck] for card in cards)]
    key = options.key or slug_of(root.split("::")[-1], "deck")
    kept_types = [imported for imported in types.values() if not imported.refused]
    media, missing = used_media(foreign, cards, [imported.foreign for imported in kept_types])
    scripts = scan.scripts(tuple(imported.foreign for imported in kept_types), tuple(
        item.note for item in placed if item.note.notetype_id in types)) if foreign.scripts else ()  # of the source
    header = deck_header(key, root, foreign, missing, bool(scripts))
    report = Report(root, key, foreign, len(cards), sum(card.cards for card in cards),
                    len(sections), kept_types, media, missing, scripts, left, outside_notes(foreign, placed, root))
    return Plan(key, root, types, sections, cards, header, media, report)


def used_types(plan: Plan) -> list[int]:
    """The note types the cards use, in the source's order."""
    keys = {card.entry["type"] for card in plan.cards}
    return [ntid for ntid, imported in plan.types.items() if imported.key in keys]


def deck_order(subdeck: str) -> tuple:
    """Anki's order: the deck itself first, then by name, a deck before its subdecks."""
    return (subdeck != "", [part.lower() for part in subdeck.split("::")])


def why_none(left: Left) -> str:
    if left.refused_types:
        why, names = next(iter(left.refused_types.items()))
        return f"note type '{names[0]}': {why}"
    return "its notes make no card" if left.no_card else ""


def used_media(foreign: ForeignDeck, cards: list[ImportedCard], types) -> tuple[list, list[str]]:
    """The media files the cards' fields and the note types' templates and CSS show, and the names they show that
    the source lacks."""
    named = dict.fromkeys(name for card in cards for text in card.fields if text for name in scan.references(text))
    named.update(dict.fromkeys(name for notetype in types for text in type_texts(notetype)
                               for name in template_media_names(text)))
    have = {file.name: file for file in foreign.media}
    return [have[name] for name in named if name in have], sorted(name for name in named if name not in have)


def deck_header(key: str, root: str, foreign: ForeignDeck, missing: list[str], scripts: bool) -> dict:
    decks = {deck.name: deck for deck in foreign.decks}
    header = {"key": key, "name": root}
    own = decks[root].description if root in decks else ""
    described = {relative(name, root): deck.description for name, deck in decks.items()
                 if name != root and in_tree(name, root) and deck.description.strip()}
    if own.strip():
        header["description"] = own
    if own.strip() or described:
        header["markup"] = "html"
    header["source"] = {"title": root.split("::")[-1]}
    header["automatic_tags"] = False
    if scripts:
        header["allow_scripts"] = True
    if described:
        header["subdeck_descriptions"] = described
    if missing:
        header["missing_media"] = Flow(missing)
    return header


def outside_notes(foreign: ForeignDeck, placed: list[Placed], root: str) -> Counter:
    """How many notes of the source are in other decks only, by the top deck of their first card's."""
    inside = {id(item.note) for item in placed}
    return Counter(note_decks(note)[0].split("::")[0] for note in foreign.notes
                   if id(note) not in inside and note_decks(note))


def refuse_existing(output: Path, key: str, files, force: bool) -> None:
    """An import never overwrites a deck's files unless told to (--force)."""
    found = [path for path in [output / file.name for file in files] + [lock_path(output, key)] if path.exists()]
    if found and not force:
        raise OutputError(f"{display_path(found[0])} already exists (nothing was written; import with --force to "
                          "replace the deck's files, --key to give the deck another key, or -o to write elsewhere)")


def make_room(output: Path, folder: Path, plan: Plan, files, force: bool) -> None:
    """Just before the files are renamed into place: a media file of the same name with other content belongs to
    someone else (kept unless --force); with --force, the parts of an earlier, bigger import of the deck go, or
    they would add their cards again."""
    for file in plan.media:
        existing = output / file.name
        if existing.is_file() and not force and existing.read_bytes() != (folder / file.name).read_bytes():
            raise OutputError(f"{display_path(existing)} already exists with other content (nothing was written; "
                              "import into another folder with -o, or replace it with --force)")
    names = {file.name for file in files}
    for path in output.glob(f"{plan.key}-*-*.yaml") if force else ():
        if path.name not in names and re.search(f"^deck: {re.escape(plan.key)}$", path.read_text(encoding="utf-8"),
                                                re.MULTILINE):
            path.unlink()


def type_texts(notetype) -> list[str]:
    return [notetype.anki.get("css") or ""] + [template.get(side) or "" for template in notetype.anki["tmpls"]
                                               for side in ("qfmt", "afmt")]
