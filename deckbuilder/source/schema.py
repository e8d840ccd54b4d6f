"""A small schema language for YAML nodes: checks a node tree with locations and exports JSON Schema.

The card format is declared once with these classes and those of `structure.py` (see `cardformat.py`);
the same declaration checks files (every problem, with its line and column) and is printed by
`deckbuilder schema` for editors, so the two can never disagree. Here: the checker, and the values.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from deckbuilder.problems import Location, Problem

YAML_TAG = "tag:yaml.org,2002:"
NULL_TAG = YAML_TAG + "null"
INT_TAG = YAML_TAG + "int"
BOOL_TAG = YAML_TAG + "bool"
# Anki separates a note's fields with U+001F; no control character but tab and line breaks belongs in text.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
# The tags YAML gives plain values by itself; any other was written out (!!python/object, !!binary, !foo).
PLAIN_TAGS = frozenset(YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge",
                                                    "value", "seq", "map"))


@dataclass
class Checker:
    """Collects the problems of one file while its nodes are checked."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def where(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def report(self, node: Node, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.where(node), message, hint))

    def untagged(self, node: Node) -> bool:
        """Whether the node is plain YAML; reports a tag such as !!python/object, which card files never need."""
        if node.tag in PLAIN_TAGS:
            return True
        tag = "!!" + node.tag[len(YAML_TAG):] if node.tag.startswith(YAML_TAG) else node.tag
        self.report(node, f"YAML tag '{shorten(tag)}' is not allowed in card files",
                    "remove it; if the '!' is text, put the whole value in quotes")
        return False


class Position(NamedTuple):
    """Where a value starts, counting from 0 as YAML's marks do."""

    line: int
    column: int


@dataclass(frozen=True)
class Checked:
    """A checked mapping: its values by key, where each key's value starts, and where it stands.

    The starts are YAML's own marks while the nodes are checked: a Location is made only for the few
    places asked for (an error, a text kept in the model), not for every value of the file."""

    values: dict[str, Any]
    starts: dict[str, Any]  # key → its value's start: a YAML mark or a Position, each with .line and .column
    where: Location

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def place(self, key: str) -> Location:
        start = self.starts.get(key)
        return self.where if start is None else Location(self.where.path, start.line + 1, start.column + 1)

    def kept(self, **values: Any) -> Checked:
        """This mapping with some values replaced, its starts as Positions: fit to outlive the nodes
        (the pure-Python loader's marks hold the whole file's text)."""
        starts = {key: Position(start.line, start.column) for key, start in self.starts.items()}
        return Checked({**self.values, **values}, starts, self.where)


def describe(node: Node) -> str:
    """What a node holds, in YAML's words rather than Python's."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "nothing"
    return f"'{shorten(node.value)}'"


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest(word: str, choices: list[str]) -> str | None:
    """The choice `word` is most likely a misspelling of, if any is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: list[str]) -> str:
    close = closest(word, choices)
    return f"did you mean '{close}'?" if close else ""


class Spec:
    """One kind of value in the card format."""

    description = ""

    def check(self, node: Node, checker: Checker) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def with_description(self, schema: dict) -> dict:
        return {"description": self.description, **schema} if self.description else schema


class Text(Spec):
    """Any scalar, kept exactly as written: `back: no` is the text "no", `back: 1.10` is "1.10"."""

    def __init__(self, description: str = "", blank: bool = False):
        self.description = description
        self.blank = blank  # white space alone is a text (a field kept exactly as Anki has it), not nothing

    def check(self, node, checker):
        if not checker.untagged(node):
            return None
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG:
            checker.report(node, f"expected text, got {describe(node)}",
                           "quote it if it is meant as text" if isinstance(node, MappingNode) else "")
            return None
        if not (node.value if self.blank else node.value.strip()):
            checker.report(node, "must not be empty")
            return None
        # Only a double-quoted escape ("\x1f") brings a control character in: YAML refuses them raw.
        control = CONTROL_CHARACTER.search(node.value) if node.style == '"' else None
        if control:
            code = ord(control.group())
            why = "Anki separates a note's fields with it" if code == 0x1F else "it would not show"
            checker.report(node, f"the text holds the control character U+{code:04X}", f"remove it: {why}")
            return None
        return node.value

    def json_schema(self):
        return self.with_description({"type": ["string", "number", "boolean"], "minLength": 1})


class Identifier(Text):
    """Text that must match a pattern: ids, keys and tags, which end up in GUIDs and tag names."""

    def __init__(self, pattern: str, what: str, description: str = ""):
        super().__init__(description)
        self.pattern = pattern
        self.regex = re.compile(pattern + r"\Z")
        self.what = what

    def check(self, node, checker):
        value = super().check(node, checker)
        if value is not None and not self.regex.match(value):
            checker.report(node, f"'{shorten(value)}' is not a valid {self.what}", self.explain())
            return None
        return value

    def explain(self) -> str:
        return {
            "id": "use letters, digits, '-', '_' or '.', starting with a letter or digit",
            "key": "use lowercase letters, digits and '-', starting with a letter or digit",
            "tag": "tags may not contain spaces; use '-' or '_', and '::' for a hierarchy",
            "address": "a web address has no spaces or line breaks; write a space as %20",
        }.get(self.what.split()[-1], f"it must match {self.pattern}")

    def json_schema(self):
        return self.with_description({"type": "string", "pattern": f"^{self.pattern}$"})


class DeckName(Text):
    """An Anki deck name: '::' separates a deck from its subdecks, and no part may be empty."""

    def check(self, node, checker):
        value = super().check(node, checker)
        if value is None:
            return None
        for part in value.split("::"):
            trimmed = part.strip().strip(":").strip()
            if part != trimmed or not trimmed:
                anki = f"'{trimmed}'" if trimmed else "'blank'"
                what = "an empty part" if not trimmed else f"the part '{shorten(part)}' with spaces or ':' around it"
                checker.report(node, f"deck name '{shorten(value)}' has {what}",
                               f"Anki would call it {anki}; '::' separates a deck from its subdecks, e.g. 'A::B'")
                return None
        return value


class Choice(Text):
    """One of a fixed set of words."""

    def __init__(self, choices: list[str], description: str = "", what: str = "value", listing: str = ""):
        super().__init__(description)
        self.choices = choices
        self.what = what
        self.listing = listing or "expected one of " + ", ".join(choices)  # how to find the choices

    def check(self, node, checker):
        value = super().check(node, checker)
        if value is not None and value not in self.choices:
            guess = did_you_mean(value, self.choices)
            checker.report(node, f"unknown {self.what} '{shorten(value)}'",
                           (guess + " " if guess else "") + self.listing)
            return None
        return value

    def json_schema(self):
        return self.with_description({"enum": list(self.choices)})


class Integer(Spec):
    def __init__(self, description: str = "", minimum: int = 0):
        self.description = description
        self.minimum = minimum

    def check(self, node, checker):
        if not checker.untagged(node):
            return None
        if not isinstance(node, ScalarNode) or node.tag != INT_TAG:
            checker.report(node, f"expected a whole number, got {describe(node)}")
            return None
        value = int(node.value.replace("_", ""), 0) if node.value.lstrip("+-").isdigit() else None
        if value is None or value < self.minimum:
            checker.report(node, f"expected a whole number from {self.minimum} up, got '{node.value}'")
            return None
        return value

    def json_schema(self):
        return self.with_description({"type": "integer", "minimum": self.minimum})


class Flag(Spec):
    """true or false."""

    def __init__(self, description: str = ""):
        self.description = description

    def check(self, node, checker):
        if not checker.untagged(node):
            return None
        if not isinstance(node, ScalarNode) or node.tag != BOOL_TAG:
            checker.report(node, f"expected true or false, got {describe(node)}")
            return None
        return node.value.lower() in ("true", "yes", "on")

    def json_schema(self):
        return self.with_description({"type": "boolean"})
