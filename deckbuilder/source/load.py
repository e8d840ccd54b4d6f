"""Load: a card file's bytes → a YAML node tree with positions, or the problems that stop it.

Hostile input stops here, before anything walks the tree: files that are not regular files or are too
big, nesting deeper than libyaml allows, and aliases that expand a small file into a huge one
("billion laughs"). YAML is composed into nodes, never constructed, so no tag can run code.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from yaml.events import MappingStartEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode

from deckbuilder.source.files import TABLE_HINT, TABLE_SUFFIXES, NotRegularFile, open_regular
from deckbuilder.problems import Location, Problem, display_path
from deckbuilder.source.yamlerrors import MAX_NESTING, NESTING_PROBLEM, reader_problem, syntax_problem

# A 100,000-card file is about 18 MB; past this a deck should be split over several files.
MAX_FILE_BYTES = 32_000_000
# Values a file may hold once its aliases are expanded: far above any real deck (100,000 cards are 0.9 to
# 1.1 million values), far below what a "billion laughs" file expands to.
MAX_EXPANDED_VALUES = 5_000_000
# An anchor (&name) is the only way a file can contain aliases; text without one needs no alias walk.
ANCHOR = re.compile(r"&[^\s,\[\]{}]")
ANCHOR_PRECEDED_BY = frozenset(" \t\r\n[{,")


@dataclass(frozen=True)
class SourceFile:
    """A card file, by its path as given and as shown to users."""

    path: Path
    shown: str


@dataclass(frozen=True)
class LoadedFile(SourceFile):
    """One card file's node tree: held only while the file is checked, as it is many times the text's size."""

    root: Node


STRING_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
MAYBE_NOT_TEXT = frozenset(key for key in yaml.SafeLoader.yaml_implicit_resolvers if key)
# A resolver for any first character (None) would have to be asked every time, a path resolver
# (which depends on where the value is) would make a value's tag not its own.
QUICK = None not in yaml.SafeLoader.yaml_implicit_resolvers and not yaml.SafeLoader.yaml_path_resolvers


class QuickResolver:
    """PyYAML's tag resolution, without its per-value regex search where none can match.

    Only plain (unquoted) values starting with one of a few characters can be anything but text; for
    all others the answer is text, as PyYAML's own resolver would find, at a fraction of the cost (the
    composer asks for every value). The others' tags depend on their text alone, so each distinct one
    is resolved once per file: keys such as 'front', 'type' and 'tags' start with such a character."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plain_tags: dict[str, str] = {}

    def resolve(self, kind, value, implicit):
        if not QUICK or kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0] or (value and value[0] not in MAYBE_NOT_TEXT):
            return STRING_TAG
        tag = self.plain_tags.get(value)
        if tag is None:
            tag = self.plain_tags[value] = super().resolve(kind, value, implicit)
        return tag


class GuardedSafeLoader(QuickResolver, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, refusing nesting deeper than MAX_NESTING (its composer recurses)."""

    depth = 0

    def get_single_node(self):
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(limit + 3 * MAX_NESTING)  # three frames per level, above what is in use
        try:
            return super().get_single_node()
        finally:
            sys.setrecursionlimit(limit)

    def compose_node(self, parent, index):
        if not self.check_event(SequenceStartEvent, MappingStartEvent):
            return super().compose_node(parent, index)
        if self.depth >= MAX_NESTING:
            raise yaml.composer.ComposerError(None, None, NESTING_PROBLEM, self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def refuses_deep_nesting(loader_class: type) -> bool:
    """Whether this libyaml stops at MAX_NESTING; an older one would overflow the C stack instead."""
    try:
        yaml.compose("[" * (MAX_NESTING + 1), Loader=loader_class)
    except yaml.MarkedYAMLError as error:
        return NESTING_PROBLEM in (error.problem or "")
    return False


@lru_cache(maxsize=1)
def loader() -> type:
    """libyaml's loader when present and safe (several times faster, same positions), else pure Python."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None or not refuses_deep_nesting(fast):
        return GuardedSafeLoader
    return type("QuickCSafeLoader", (QuickResolver, fast), {})


def load_file(path: Path) -> tuple[LoadedFile | None, list[Problem]]:
    """Read and parse one card file, or say why it cannot be used."""
    shown = display_path(path)
    if path.suffix.lower() in TABLE_SUFFIXES:  # named on the command line: a folder search never reads one
        return None, [Problem(Location(shown), f"a table ({path.suffix}), not a card file: card files are YAML "
                              "(*.yaml, *.yml)", TABLE_HINT)]
    data, problem = read_card_file(path, shown)
    if problem is None:
        text, problem = decode(data, shown)
    if problem is None:
        problem = table_problem(text, shown)
    if problem is None:
        root, problem = compose(text, shown)
    if problem is None and root is None:
        problem = Problem(Location(shown), "the file is empty",
                          "a card file starts with 'deck:'; run 'deckbuilder schema' for the format")
    if problem is None and may_hold_anchor(text):
        problem = alias_problem(root, shown)
    return (None, [problem]) if problem else (LoadedFile(path, shown, root), [])


def read_card_file(path: Path, shown: str) -> tuple[bytes, Problem | None]:
    """The file's bytes; a FIFO or device is refused without blocking, a huge file without reading it."""
    try:
        with open_regular(path) as file:
            size = os.fstat(file.fileno()).st_size
            data = file.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
    except NotRegularFile as error:
        return b"", Problem(Location(shown), f"not a regular file but {error.kind}", "card files are plain text files")
    except OSError as error:
        return b"", Problem(Location(shown), f"cannot read the file: {error.strerror}")
    size = max(size, len(data))  # the file may have grown since it was measured
    return data, too_big(shown, size) if size > MAX_FILE_BYTES else None


def too_big(shown: str, size: int) -> Problem:
    return Problem(Location(shown), f"the file is {size / 1e6:.1f} MB, over the limit of "
                   f"{MAX_FILE_BYTES / 1e6:.0f} MB for one card file",
                   "split the deck over several files; see 'Big decks' in the README")


def table_problem(text: str, shown: str) -> Problem | None:
    """A table saved as a card file: its first line has separators and no ':', which every card file's has."""
    first = first_content_line(text)
    separator = "\t" if "\t" in first else "," if "," in first else None
    if separator is None or ":" in first or first.lstrip().startswith(("[", "{", "-", "?")):
        return None
    kind = "tab-separated" if separator == "\t" else "comma-separated"
    return Problem(Location(shown), f"this file holds a table of {kind} values, not YAML cards", TABLE_HINT)


def first_content_line(text: str) -> str:
    """The first line that is neither blank nor a comment, found without splitting a big file into lines."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) % (len(text) + 1)  # -1 (the last line) becomes len(text)
        line = text[start:end]
        if line.strip() and not line.lstrip().startswith("#"):
            return line
        start = end + 1
    return ""


def decode(data: bytes, shown: str) -> tuple[str, Problem | None]:
    """UTF-8 text, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return "", Problem(byte_location(shown, data, error.start), "the file is not valid UTF-8 text",
                           "save it as UTF-8")


def byte_location(shown: str, data: bytes, offset: int) -> Location:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return Location(shown, data.count(b"\n", 0, offset) + 1, offset - line_start + 1)


def compose(text: str, shown: str) -> tuple[Node | None, Problem | None]:
    """The node tree; aliases stay shared nodes here, so nothing is expanded yet."""
    try:
        return yaml.compose(text, Loader=loader()), None
    except yaml.MarkedYAMLError as error:
        return None, syntax_problem(shown, text, error)
    except yaml.reader.ReaderError as error:
        return None, reader_problem(shown, text, error)
    except yaml.YAMLError as error:
        return None, Problem(Location(shown), f"invalid YAML: {error}")


def may_hold_anchor(text: str) -> bool:
    """Whether an '&' stands where YAML would read an anchor; '&' inside words ("Q&A") does not count."""
    # A regex with the preceding character in it is 20 times slower: it loses the fast literal search.
    for match in ANCHOR.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] in ANCHOR_PRECEDED_BY:
            return True
    return False


def alias_problem(root: Node, shown: str) -> Problem | None:
    """Refuse a file whose aliases expand it past MAX_EXPANDED_VALUES or make a value contain itself."""
    found = oversized_value(root, MAX_EXPANDED_VALUES)
    if found is None:
        return None
    node, is_cycle = found
    where = Location(shown, node.start_mark.line + 1, node.start_mark.column + 1)
    if is_cycle:
        return Problem(where, "this value contains itself through an alias (*name)",
                       "an alias may only refer to a value that is complete before it")
    return Problem(where, f"aliases (*name) expand this value to more than {MAX_EXPANDED_VALUES:,} values",
                   "deckbuilder refuses such 'billion laughs' files; write the values out or use fewer aliases")


def oversized_value(root: Node, limit: int) -> tuple[Node, bool] | None:
    """The first value whose expanded size passes `limit` (False), or one that contains itself (True).

    A depth-first walk over the shared nodes, each sized once: its cost follows the file's length,
    however far the aliases would expand it.
    """
    sizes: dict[int, int] = {}  # id(collection) → values it holds once expanded, itself included
    open_ids: set[int] = set()  # the collections on the current path from the root
    stack = [root]
    while stack:
        node = stack[-1]
        if isinstance(node, ScalarNode) or id(node) in sizes:
            stack.pop()
            continue
        children = children_of(node)
        if id(node) in open_ids:
            size = 1 + sum(sizes.get(id(child), 1) for child in children)
            if size > limit:
                return node, False
            sizes[id(node)] = size
            open_ids.discard(id(node))
            stack.pop()
            continue
        open_ids.add(id(node))
        for child in children:
            if id(child) in open_ids:
                return child, True
            if not isinstance(child, ScalarNode) and id(child) not in sizes:
                stack.append(child)
    return None


def children_of(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return node.value
