"""`deckbuilder ids`: fresh ids for cards without one, added as text edits so the rest of the file stays."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from deckbuilder.lint.text import STOPWORDS, cloze_prompt, plain
from deckbuilder.lock.read import read_lock
from deckbuilder.lock.records import lock_path
from deckbuilder.problems import ContentError, Location
from deckbuilder.source.files import find_card_files
from deckbuilder.source.load import LoadedFile, load_file
from deckbuilder.write.atomic import write_atomically

CARD_LISTS = {"cards": "card", "relationships": "relationship"}
QUESTION_KEYS = ("front", "text", "subject", "relation", "object")
SLUG_WORDS = 6
SLUG_LENGTH = 48
# Short words kept between the meaningful ones of an id, so that it reads as the question does ("b-and-t-cells",
# "calcium-from-food"); the others (what, is, the…) are left out.
JOINING_WORDS = frozenset("and or of to in on at by for from with not no into than".split())


@dataclass(frozen=True)
class MissingId:
    """A card without an id, the id it gets, and the text that adds it."""

    where: Location
    what: str  # card or relationship
    new_id: str
    offset: int  # in the file's text, where `insertion` goes
    insertion: str


@dataclass(frozen=True)
class FileIds:
    """One card file's text and the cards in it that have no id."""

    path: Path
    text: str
    bom: bool
    cards: tuple[MissingId, ...]

    def with_ids(self) -> str:
        text = self.text
        for card in sorted(self.cards, key=lambda card: card.offset, reverse=True):
            text = text[: card.offset] + card.insertion + text[card.offset:]
        return text


def missing_ids(paths: list[Path]) -> list[FileIds]:
    """The files under `paths` with cards that have no id, each card with a fresh id unique among all."""
    loaded, problems = [], []
    for path in find_card_files(paths):
        file, file_problems = load_file(path)
        problems += file_problems
        if file is not None:
            loaded.append(file)
    if problems:
        raise ContentError(problems)
    cards = [(file, list(card_mappings(file.root))) for file in loaded]
    taken = {value(node, "id") for _, mappings in cards for node, _ in mappings} - {None}
    taken |= locked_ids(loaded)
    found = []
    for file, mappings in cards:
        data = file.path.read_bytes()
        text = data.decode("utf-8-sig")
        missing = tuple(missing_id(file.shown, text, node, what, taken)
                        for node, what in mappings if not has_key(node, "id"))
        if missing:
            found.append(FileIds(file.path, text, data.startswith(b"\xef\xbb\xbf"), missing))
    return found


def locked_ids(files: list[LoadedFile]) -> set[str]:
    """The card ids in the lock files of the decks whose main file is among `files`: a removed card's id stays
    there (its note is retired, and comes back to life with the id), so a new card never gets one."""
    ids = set()
    for file in files:
        key = value(entry(file.root, "deck"), "key") if isinstance(entry(file.root, "deck"), MappingNode) else None
        try:
            lock = read_lock(lock_path(file.path.parent, key)) if key else None
        except ContentError:
            continue  # a damaged lock file is reported by every build; no id is taken from it
        ids |= set(lock.notes) if lock is not None else set()
    return ids


def add_ids(files: list[FileIds]) -> list[FileIds]:
    """Write each file with its new ids; every other byte stays as it was."""
    for file in files:
        text = file.with_ids()
        write_atomically(file.path, (b"\xef\xbb\xbf" if file.bom else b"") + text.encode("utf-8"))
    return files


def card_mappings(root: Node) -> Iterator[tuple[MappingNode, str]]:
    """Every card and relationship mapping of a file, once each (an alias repeats a node)."""
    seen: set[int] = set()
    for section in items(entry(root, "sections")):
        for key, what in CARD_LISTS.items():
            for card in items(entry(section, key)):
                if isinstance(card, MappingNode) and id(card) not in seen:
                    seen.add(id(card))
                    yield card, what


def entry(node: Node | None, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return value_node
    return None


def items(node: Node | None) -> list[Node]:
    return node.value if isinstance(node, SequenceNode) else []


def has_key(node: MappingNode, key: str) -> bool:
    return any(isinstance(key_node, ScalarNode) and key_node.value == key for key_node, _ in node.value)


def value(node: MappingNode, key: str) -> str | None:
    found = entry(node, key)
    return found.value if isinstance(found, ScalarNode) else None


def missing_id(shown: str, text: str, card: MappingNode, what: str, taken: set[str]) -> MissingId:
    """The id a card gets and where it goes: before its first key, as a line or as a flow-style entry."""
    question = " ".join(value(card, key) or "" for key in QUESTION_KEYS).strip() or first_field(card)
    new_id = fresh_id(question, taken)
    taken.add(new_id)
    mark = card.start_mark
    where = Location(shown, mark.line + 1, mark.column + 1)
    if not card.value:  # an empty flow mapping: {}
        return MissingId(where, what, new_id, mark.index + 1, f"id: {new_id}")
    key_node = card.value[0][0]
    key = key_node.start_mark
    expected = key_node.style or key_node.value[:1] if isinstance(key_node, ScalarNode) else text[key.index]
    if text[key.index: key.index + 1] != expected:  # never write an id anywhere but before the first key
        raise RuntimeError(f"{where}: the parser's position of '{key_node.value}' does not match the text")
    if card.flow_style:
        return MissingId(where, what, new_id, key.index, f"id: {new_id}, ")
    newline = "\r\n" if "\r\n" in text else "\n"
    return MissingId(where, what, new_id, key.index, f"id: {new_id}{newline}{' ' * key.column}")


def first_field(card: MappingNode) -> str:
    """The first field a card of a deck's own note type gives (under `fields:`)."""
    fields = entry(card, "fields")
    if not isinstance(fields, MappingNode):
        return ""
    return next((node.value for _, node in fields.value if isinstance(node, ScalarNode)), "")


def fresh_id(question: str, taken: set[str]) -> str:
    """A readable id made of the question's words, with '-2', '-3'… if a card or a note of the lock file has it
    already: the same question and ids give the same id."""
    return first_free(slugify(question), taken)


def first_free(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… the first that is not taken."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def slugify(question: str) -> str:
    """The question's words from its first that carries meaning, up to the sixth such word, keeping the short
    words that join them and leaving out the rest: 'What happens most to B and T cells?' →
    'happens-most-to-b-and-t-cells', "In the article's terms, what is tissue calcification?" →
    'article-terms-tissue-calcification'."""
    prompt = cloze_prompt(question, None, Location("")).question if "{{" in question else question  # a cloze's
    shown = re.sub(r"['’]s\b", "", plain(prompt))
    ascii_text = unicodedata.normalize("NFKD", shown).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    chosen, meaningful = [], 0
    for word in words:
        if word not in STOPWORDS:
            chosen.append(word)
            meaningful += 1
            if meaningful == SLUG_WORDS:
                break
        elif chosen and word in JOINING_WORDS:
            chosen.append(word)
    while chosen and chosen[-1] in JOINING_WORDS:
        chosen.pop()
    slug = ""
    for word in chosen or words:
        if len(slug) + len(word) + 1 > SLUG_LENGTH and slug:
            break
        slug = f"{slug}-{word}" if slug else word[:SLUG_LENGTH]
    return slug or "card"
