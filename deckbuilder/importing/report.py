"""What `deckbuilder import` says when it is done: what it wrote, what it kept, and each thing it could not keep,
with why, one line each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from deckbuilder.importing.cards import Left
from deckbuilder.importing.foreign import DERIVED_IDS, NONE, ForeignDeck
from deckbuilder.importing.notetypes import ImportedType
from deckbuilder.problems import printable
from deckbuilder.terminal import plural

SHOWN = 3  # names listed in one line
MISSING_MEDIA_WARNING = "that notes refer to"  # the reader's own line on them: said here for the imported notes only


@dataclass(frozen=True)
class Report:
    root: str
    key: str
    foreign: ForeignDeck
    notes: int
    cards: int
    subdecks: int
    types: list[ImportedType]
    media: list
    missing: list[str]
    scripts: tuple[str, ...]
    left: Left
    outside: Counter  # notes in other decks only, by their deck


def listed(names, more: int = 0) -> str:
    names = list(names)
    shown = ", ".join(f"'{name}'" for name in names[:SHOWN])
    rest = len(names) - SHOWN + more
    return shown + (f" and {rest} more" if rest > 0 else "")


def report_lines(report: Report, written: list[str]) -> list[str]:
    """The summary: what was imported and written, then what was kept and what was not."""
    source = report.foreign.source.path
    cards = [path for path in written if path.endswith((".yaml", ".lock", ".json"))]
    lines = [f"imported {source}: {report.root} — {plural(report.notes, 'note')}, {plural(report.cards, 'card')} in "
             f"{plural(report.subdecks, 'deck')}, {plural(len(report.types), 'note type')}, "
             f"{plural(len(report.media), 'media file')}",
             "  wrote " + ", ".join(cards) + (f" and {plural(len(report.media), 'media file')}" if report.media
                                              else ""),
             "  kept: " + kept(report.foreign)]
    lines += ["  " + line for line in not_kept(report)]
    return [printable(line) for line in lines + [next_step(report.foreign)]]  # a name's line break stays in its line


def kept(foreign: ForeignDeck) -> str:
    if foreign.origin == NONE:
        return ("each row's fields and tags, its GUID where the file has one, its deck; note types made for the rows "
                "(a table holds none: see README 'Bring your deck')")
    if foreign.origin == DERIVED_IDS:
        return ("each note's GUID, fields as Anki stores them and tags; each note type's fields, templates, CSS and "
                "settings, its id derived from its crowdanki_uuid (CrowdAnki keeps no Anki ids); each note's deck")
    return ("each note's GUID, fields as Anki stores them, tags and mod; each note type's Anki id, mod, fields, "
            "templates, CSS and settings; each card's deck")


def either(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def not_kept(report: Report) -> list[str]:
    """One line per thing that could not be kept (or was changed), and for the scripts the deck runs."""
    lines = []
    if report.scripts:
        more = f" (and {len(report.scripts) - 1} more)" if len(report.scripts) > 1 else ""
        lines.append(f"allow_scripts: true, as the deck has scripts Anki runs: {report.scripts[0]}{more}")
    if report.outside:
        counts = ", ".join(f"'{name}': {count}" for name, count in sorted(report.outside.items()))
        lines.append(f"left out: {plural(sum(report.outside.values()), 'note')} in other decks ({counts}): import "
                     "them with --deck NAME")
    lines += left_lines(report.left, report.root)
    if report.missing:
        lines.append(f"{plural(len(report.missing), 'media file')} the fields name "
                     f"{either(len(report.missing), 'is', 'are')} not in the source ({listed(report.missing)}): "
                     "listed under missing_media")
    unknown = dict.fromkeys(setting for imported in report.types for setting in imported.not_kept)
    if unknown:
        lines.append(f"not kept: Anki settings of the note types that deckbuilder has no key for: {listed(unknown)}")
    return lines + [f"warning: {warning}" for warning in report.foreign.warnings
                    if MISSING_MEDIA_WARNING not in warning]


def left_lines(left: Left, root: str) -> list[str]:
    """What the notes of the deck lost, each with why."""
    lines = [f"left out: the notes of note type {listed(names)}: {why}" for why, names in left.refused_types.items()]
    if left.no_card:
        lines.append(f"left out: {plural(len(left.no_card), 'note')} whose fields make no card any more ("
                     f"{listed(left.no_card)}): collections that have {keep(len(left.no_card))}")
    if left.same_guid:
        lines.append(f"left out: {plural(left.same_guid, 'note')} with the GUID of an earlier one: Anki would keep "
                     "one of them")
    if left.no_type:
        lines.append(f"left out: {plural(left.no_type, 'note')} whose note type the source lacks")
    if left.control:
        lines.append(f"changed: control characters removed from the fields of {plural(len(left.control), 'note')} "
                     f"({listed(left.control)}): a card file cannot hold them")
    if left.tags:
        lines.append(f"left out: the tags {listed(left.tags)}: a tag has no spaces or '\"'")
    return card_lines(left, root) + lines


def card_lines(left: Left, root: str) -> list[str]:
    """The cards of the deck's notes that go elsewhere, or that the deck lacks or adds."""
    lines = []
    if left.outside:
        where = either(left.outside, "it is", "they are")
        lines.append(f"{plural(left.outside, 'card')} of these notes {either(left.outside, 'is', 'are')} in decks "
                     f"outside '{root}': new learners get {either(left.outside, 'it', 'them')} with the rest of "
                     f"the note (collections that have {keep(left.outside)} where {where})")
    if left.empty_cards:
        lines.append(f"not kept: {plural(left.empty_cards, 'card')} that the notes no longer make (Anki's Tools > "
                     f"Empty Cards would delete {either(left.empty_cards, 'it', 'them')}): collections that have "
                     f"{keep(left.empty_cards)}")
    if left.added_cards:
        lines.append(f"added: {plural(left.added_cards, 'card')} that Anki makes of the notes but the source lacks "
                     "(genanki, for one, misses nested cloze deletions): the next import brings "
                     f"{either(left.added_cards, 'it', 'them')} to collections that have the deck")
    return lines


def keep(count: int) -> str:
    return either(count, "it keep it", "them keep them")


def next_step(foreign: ForeignDeck) -> str:
    if foreign.origin == NONE:
        return "next: 'deckbuilder build' makes the package (see README 'Bring your deck' for what learners get)"
    if foreign.origin == DERIVED_IDS:
        return ("next: 'deckbuilder build'; learners who have the deck from CrowdAnki import the package once with "
                "'Merge note types' ticked (see README 'Bring your deck')")
    return "next: 'deckbuilder build': its package changes nothing in collections that have the deck"
