"""Stage 3, compile: a checked deck → the notes Anki will get: ids, fields as HTML, tags, order, media."""

from __future__ import annotations

import dataclasses
import hashlib
import html
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from deckbuilder.compiler.activecontent import OPT_IN, active_content, is_script_url
from deckbuilder.compiler.markdown import to_html
from deckbuilder.lock.records import content_hash, named_fields
from deckbuilder.compiler.media import MediaFile, link_media
from deckbuilder.model import Card, Deck, DeckHeader, Section, Text
from deckbuilder.anki.notetypes import NOTE_TYPES
from deckbuilder.problems import Problem
from deckbuilder.progress import SILENT, Progress
from deckbuilder.anki.templates import card_ords

# Which authored text goes into which note-type field; Section, Source and Notice are filled by us.
FIELD_SOURCES = {"Front": "front", "Back": "back", "Text": "text", "Extra": "extra", "Subject": "subject",
                 "Relation": "relation", "Object": "object", "Inverse": "inverse", "Why": "why"}


@dataclass(frozen=True)
class CompiledNote:
    card_id: str
    section: str  # the id of the section the card is in
    guid: str
    note_type: str  # a key of NOTE_TYPES
    fields: tuple[str, ...]  # in the note type's field order
    tags: tuple[str, ...]
    due: int  # authored position: new cards are introduced in article order
    card_ords: tuple[int, ...]  # the cards Anki makes of the note: template or cloze numbers, from 0
    digest: str  # the hash of what reaches Anki (lockfile.content_hash), to compare with the lock file

    @property
    def card_count(self) -> int:
        return len(self.card_ords)


@dataclass(frozen=True)
class CompiledDeck:
    key: str
    name: str
    deck_id: int
    description: str
    notes: tuple[CompiledNote, ...]
    media: tuple[MediaFile, ...]

    @property
    def note_count(self) -> int:
        return len(self.notes)

    @property
    def card_count(self) -> int:
        return sum(note.card_count for note in self.notes)


@lru_cache(maxsize=None)
def note_guid(deck_key: str, card_id: str) -> str:
    """A note's GUID comes from its deck key and card id only, so editing its text updates it in Anki."""
    import genanki

    return genanki.guid_for(deck_key, card_id)


def deck_id(name: str) -> int:
    """A fixed id derived from the deck name (Anki matches decks by name; 1 is its Default deck)."""
    # Below 2**39: safe in JavaScript numbers, and apart from Anki's own ids (milliseconds, over 2**40).
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return (1 << 32) + digest % (1 << 38)


@dataclass
class NoteMemo:
    """Notes an earlier build compiled, by everything that went into them, for a rebuild to reuse.

    A note that shows media is never reused: its files may have changed under the same names. `used`
    holds the notes of this build, all that is worth keeping for the next one."""

    known: dict = dataclasses.field(default_factory=dict)
    used: dict = dataclasses.field(default_factory=dict)


def memo_key(card: Card, deck: Deck, section: Section, source: str) -> bytes:
    """A digest of everything that goes into a card's note: short to keep, and to send from a worker."""
    header = deck.header
    key = (header.key, header.allow_scripts, str(deck.folder), str(card.folder), section_label(section), source,
           card.id, card.type, card.kind, card.section, card.tags,
           tuple((name, text.value) for name, text in card.fields))
    return hashlib.blake2b(repr(key).encode(), digest_size=16).digest()  # repr: each value quoted, unambiguous


@dataclass
class CompiledCards:
    """A run of a deck's cards compiled: their notes, media and problems, and the notes worth keeping."""

    notes: list[CompiledNote]
    media: dict[str, MediaFile]
    problems: list[Problem]
    used: dict  # memo key → note, for NoteMemo.used
    totals: tuple[int, int] | None = None  # (notes, cards) of a run only checked: its notes not kept

    def checked(self) -> "CompiledCards":
        """What a check needs of the run: its problems and totals, not its notes (a worker sends less)."""
        return CompiledCards([], {}, self.problems, {}, (len(self.notes), sum(n.card_count for n in self.notes)))

    def resolve(self, known: dict, start: int) -> None:
        """Put in the notes a worker only named by memo key (see compile_cards), the run starting at `start`."""
        for offset, note in enumerate(self.notes):
            if type(note) is bytes:
                self.notes[offset] = reused(known[note], start + offset + 1)
                self.used[note] = known[note]


@dataclass(frozen=True)
class DeckTotals:
    """How many notes and cards a deck makes (of a check, or as its last build left it)."""

    key: str
    name: str
    note_count: int
    card_count: int


def compile_cards(deck: Deck, start: int, stop: int, known: dict | None, progress: Progress = SILENT,
                  stamp: bool = True, by_key: bool = False) -> CompiledCards:
    """Cards start…stop of the deck (a deck is compiled in runs, at once on several cores); `known` holds
    notes an earlier build compiled, by memo key (None: nothing is reused, no key worked out). Without
    `stamp`, notes get no GUID or hash and only the run's totals are kept: all a check needs. `by_key`
    (in a worker): a note found in `known` is given as its key, for the main process to put in (resolve)
    from the same memo, rather than sent whole."""
    sections = {section.id: section for section in deck.sections}
    source = source_html(deck.header)
    done = CompiledCards([], {}, [], {})
    cards = progress.over(f"compile {deck.header.key}", deck.cards[start:stop])
    for position, card in enumerate(cards, start=start + 1):
        key = note = None
        if known is not None:
            key = memo_key(card, deck, sections[card.section], source)
            note = known.get(key)
        if note is not None and by_key:
            done.notes.append(key)
            continue
        if note is not None:
            done.notes.append(reused(note, position))
            done.used[key] = note
            continue
        note, files, problems = compile_card(card, position, deck, sections[card.section], source, stamp)
        if key is not None and not files and not problems:
            done.used[key] = note
        done.notes.append(note)
        done.media.update((file.name, file) for file in files)
        done.problems += problems
    return done if stamp else done.checked()


def reused(note: CompiledNote, position: int) -> CompiledNote:
    return note if note.due == position else replace(note, due=position)


def deck_of(deck: Deck, runs: list[CompiledCards]) -> tuple[CompiledDeck | DeckTotals, list[Problem]]:
    """The compiled deck its runs of cards make, in order (only its totals if the runs were only checked),
    and all their problems."""
    problems = [problem for run in runs for problem in run.problems]
    description = to_html(deck.header.description.value) if deck.header.description else ""
    if not deck.header.allow_scripts:
        problems += header_scripts(deck.header, description)
    if any(run.totals for run in runs):
        return DeckTotals(deck.header.key, deck.header.name, *map(sum, zip(*(run.totals for run in runs)))), problems
    notes = tuple(note for run in runs for note in run.notes)
    media = {name: file for run in runs for name, file in run.media.items()}
    compiled = CompiledDeck(deck.header.key, deck.header.name, deck_id(deck.header.name), description,
                            notes, tuple(media[name] for name in sorted(media)))
    return compiled, problems


def compile_card(card: Card, position: int, deck: Deck, section: Section, source: str,
                 stamp: bool = True) -> tuple[CompiledNote, list[MediaFile], list[Problem]]:
    note_type = NOTE_TYPES[card.type]
    filled = {"Section": html.escape(section_label(section)), "Source": source, "Notice": ""}
    media, problems = [], []
    for field, key in FIELD_SOURCES.items():
        text = card.text(key)
        if field not in note_type.fields or text is None:
            continue
        if is_plain_text(card.type, key):
            filled[field] = html.escape(text.value.strip(), quote=False)
            continue
        filled[field], files, field_problems = render_field(text, card.folder, deck)
        media += files
        problems += field_problems
    fields = tuple(filled.get(field, "") for field in note_type.fields)
    key = deck.header.key
    tags = note_tags(card, key)
    # A check writes nothing: its notes need no GUID or hash (a tenth of compiling).
    digest = content_hash(card.type, named_fields(note_type, fields), tags) if stamp else ""
    note = CompiledNote(card.id, section.id, note_guid(key, card.id) if stamp else "", card.type, fields, tags,
                        position, tuple(card_ords(note_type, fields)), digest)
    return note, media, problems


def is_plain_text(card_type: str, key: str) -> bool:
    """Whether a field is kept as plain text: Anki compares the typed answer with the type-in back's text,
    and Markdown would turn "__init__" bold."""
    return card_type == "type-in" and key == "back"


def render_field(text: Text, folder: Path, deck: Deck) -> tuple[str, list[MediaFile], list[Problem]]:
    """A field's Markdown as HTML, its media linked; media paths are relative to the card file's folder."""
    import genanki

    rendered, files, media_problems = link_media(to_html(text.value), folder, deck.folder)
    problems = [Problem(text.where, problem.message, problem.hint) for problem in media_problems]
    invalid = genanki.Note._find_invalid_html_tags_in_field(rendered)
    if invalid:
        problems.append(Problem(text.where, f"invalid HTML: {' '.join(invalid)}",
                                "write a '<' that does not start a tag as '&lt;'"))
    if not deck.header.allow_scripts:
        problems += [Problem(text.where, f"this field holds {what}", OPT_IN) for what in active_content(rendered)]
    return rendered, files, problems


def header_scripts(header: DeckHeader, description: str) -> list[Problem]:
    """Scripts in the deck's description (shown on its screen in Anki) or a javascript: source URL."""
    problems = [Problem(header.description.where, f"the description holds {what}", OPT_IN)
                for what in active_content(description)]
    if is_script_url(header.source.url):
        problems.append(Problem(header.source.url_where, "the source URL is a javascript: URL", OPT_IN))
    return problems


def note_tags(card: Card, deck_key: str) -> tuple[str, ...]:
    """The section tag, the kind tag, then the card's own tags, each once."""
    tags = [f"{deck_key}::{card.section}", f"{deck_key}::kind::{card.kind}", *card.tags]
    return tuple(dict.fromkeys(tags))


def section_label(section: Section) -> str:
    return f"§{section.number} {section.title}" if section.number is not None else section.title


def source_html(header: DeckHeader) -> str:
    """The article, its byline and credit, shown at the foot of every card's back."""
    title = html.escape(header.source.title)
    if header.source.url:
        title = f'<a href="{html.escape(header.source.url)}">{title}</a>'
    parts = [title] + [html.escape(part) for part in (header.source.author, header.source.credit) if part]
    return " · ".join(parts)
