"""Anki's cloze deletions, read one way for every stage: the cards a text makes, how a card shows it, each
deletion's answer, and the mistakes an author makes in writing one.

The reading mirrors Anki's own (rslib/src/cloze.rs): `{{c1::…}}` and `{{c1,2::…}}` open a deletion, `}}`
closes the innermost open one, deletions nest up to ten deep (Anki ignores deeper openings), a deletion
never closed is dropped, a stray `}}` stays text, and `::` inside a deletion starts its hint. Every
number but 0 makes a card, nested deletions' too. The checks, stats, lint, the compiler, the preview and
`plan` all take their view of a cloze from `parse`, so none of them can disagree with another or with
Anki (tests/anki/test_cloze.py compares the card numbers with Anki's own for generated texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

# Anki's opening: 'c', then card numbers separated by commas, then '::'.
OPENING = re.compile(r"\{\{c([0-9,]+)::")
MARKER = re.compile(OPENING.pattern + r"|\}\}")
CLOSING = "}}"
MAX_OPEN = 10  # Anki ignores deletions opened more than ten deep
MAX_NUMBER = 0xFFFF  # Anki reads numbers as 16 bits: a larger one is not a number to it
# Anki makes cards for cloze numbers up to 500; it puts c501 and higher all on card 500.
MAX_CLOZE = 500
# Openings as Anki writes them, and what authors type by mistake ({{c::, {{C1:, {{c1:, {{ c1 ::).
WRITTEN_OPENING = re.compile(r"\{\{\s*[cC]\s*([0-9,]*)\s*(:{1,2})")
IMAGE_OCCLUSION = "image-occlusion:"  # Anki's image occlusion shapes: their '::' is not a hint
MATHJAX = re.compile(r"(\\[(\[])(.*?)(\\[)\]])", re.DOTALL)
HTML_TAG = re.compile(r"<!--.*?-->|<style.*?>.*?</style>|<script.*?>.*?</script>|<.*?>",
                      re.DOTALL | re.IGNORECASE)
NAMED_IN_ATTRIBUTES = {'"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;"}


@dataclass
class Deletion:
    """One deletion: its card numbers as written, what it holds (text and nested deletions), its hint."""

    numbers: tuple[int, ...]  # each once, in order; 0 makes no card
    written: str  # the numbers as written, for messages: '1' or '1,2'
    nodes: list = field(default_factory=list)  # of str and Deletion
    hint: str | None = None

    @property
    def ordinal(self) -> str:
        """Its numbers as Anki's HTML shows them (data-ordinal): '1', or '1,2' for {{c2,1::…}}."""
        return ",".join(map(str, self.numbers))

    def answer(self) -> str:
        """What it hides: its text with the nested deletions' text in place."""
        return "".join(node if isinstance(node, str) else node.answer() for node in self.nodes)


def card_numbers_written(written: str) -> tuple[int, ...]:
    """The numbers of an opening as Anki reads them; empty if none is a number it reads."""
    numbers = {int(part) for part in written.split(",") if part and int(part) <= MAX_NUMBER}
    return tuple(sorted(numbers))


def tokens(text: str):
    """('open', (numbers, written)), ('close', None) and ('text', str), the way Anki splits a field."""
    position = search_from = 0
    while True:
        marker = MARKER.search(text, search_from)
        numbers = card_numbers_written(marker.group(1)) if marker and marker.group(1) is not None else None
        if numbers == ():
            search_from = marker.start() + 1  # no number Anki reads: plain text
            continue
        end = marker.start() if marker else len(text)
        if end > position:
            yield "text", text[position:end]
        if not marker:
            return
        yield ("open", (numbers, marker.group(1))) if numbers is not None else ("close", None)
        position = search_from = marker.end()


@dataclass(frozen=True)
class Reading:
    """A field read as Anki reads it: text and deletions, and the deletions it drops for not being closed."""

    nodes: tuple  # of str and Deletion
    unclosed: tuple[Deletion, ...]  # opened and never closed: Anki drops them


def read(text: str) -> Reading:
    """The field as text and (nested) deletions."""
    output: list = []
    open_deletions: list[Deletion] = []
    for kind, value in tokens(text):
        if kind == "open":
            if len(open_deletions) < MAX_OPEN:
                open_deletions.append(Deletion(*value))
        elif kind == "text":
            if open_deletions:
                current = open_deletions[-1]
                if not value.startswith(IMAGE_OCCLUSION):
                    value, colons, hint = value.partition("::")
                    if colons:
                        current.hint = hint
                current.nodes.append(value)
            else:
                output.append(value)
        elif open_deletions:
            closed = open_deletions.pop()
            (open_deletions[-1].nodes if open_deletions else output).append(closed)
        else:
            output.append(CLOSING)
    return Reading(tuple(output), tuple(open_deletions))


def parse(text: str) -> tuple:
    """The field as text and (nested) deletions; a deletion never closed is dropped, as Anki does."""
    return read(text).nodes


def deletions(nodes) -> list[Deletion]:
    """Every deletion, outer ones before the ones nested in them."""
    found = []
    for node in nodes:
        if isinstance(node, Deletion):
            found.append(node)
            found += deletions(node.nodes)
    return found


def card_numbers(text: str) -> set[int]:
    """The cloze numbers a field makes cards for, as Anki counts them: every one but 0, nested ones too."""
    return {number for deletion in deletions(parse(text)) for number in deletion.numbers if number}


def card_ords(fields) -> list[int]:
    """The cards Anki makes for a cloze note: one per number in any of its fields, from 0, at most 500."""
    numbers = set().union(*(card_numbers(text) for text in fields))
    return sorted({min(number, MAX_CLOZE) - 1 for number in numbers})


def answers(text: str) -> dict[str, set[int]]:
    """Each deletion's answer → the cloze numbers it is under."""
    found: dict[str, set[int]] = {}
    for deletion in deletions(parse(text)):
        found.setdefault(deletion.answer(), set()).update(deletion.numbers)
    return found


def masked(text: str, number: int | None, mask: Callable[[str, str | None], str]) -> tuple[str, list[str]]:
    """Card `number`'s question in plain terms: each of its deletions replaced by mask(answer, hint), the
    others shown; and the answers hidden. With `number` None, every deletion is shown."""
    hidden: list[str] = []

    def show(nodes) -> str:
        out = []
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif number is not None and number in node.numbers:
                hidden.append(node.answer())
                out.append(mask(node.answer(), node.hint))
            else:
                out.append(show(node.nodes))
        return "".join(out)

    return show(parse(text)), hidden


def mistakes(text: str) -> list[str]:
    """A message for each thing in an author's cloze text that Anki would read otherwise than meant."""
    problems = []
    for opening in WRITTEN_OPENING.finditer(text):
        written = opening.group(1)
        numbers = [int(part) for part in written.split(",") if part]
        if opening.group(0) != f"{{{{c{written}::" or not numbers:
            problems.append(f"'{opening.group(0)}' is not a cloze opening; write it as {{{{c1::…}}}}")
            continue
        if 0 in numbers:
            problems.append("cloze numbers start at 1: {{c0::…}} makes no card")
        over = [number for number in numbers if number > MAX_CLOZE]
        if over:
            problems.append(f"cloze number {over[0]} is over Anki's limit of {MAX_CLOZE}: it puts every "
                            f"deletion above c{MAX_CLOZE} on card {MAX_CLOZE}")
    reading = read(text)
    for deletion in deletions(reading.nodes):
        if not deletion.answer().strip():
            problems.append(f"cloze deletion {{{{c{deletion.written}::…}}}} is empty")
    for deletion in reading.unclosed:
        problems.append(f"cloze deletion {{{{c{deletion.written}::…}}}} is not closed with '}}}}'")
    return problems


def encode_attribute(text: str) -> str:
    """Escape an attribute value the way Anki does: every non-alphanumeric Latin-1 character."""
    out = []
    for char in text:
        code = ord(char)
        if code < 256 and (code > 127 or not char.isascii() or not char.isalnum()):
            out.append(NAMED_IN_ATTRIBUTES.get(char) or f"&#x{code:02X};")
        else:
            out.append(char)
    return "".join(out)


def reveal(nodes, number: int, question: bool) -> tuple[str, bool]:
    """The nodes' HTML for the card of deletion `number`, and whether that deletion occurs."""
    out, found = [], False
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        inner, inner_found = reveal(node.nodes, number, question)
        active = number in node.numbers
        found |= inner_found or active
        if not active:
            out.append(f'<span class="cloze-inactive" data-ordinal="{node.ordinal}">{inner}</span>')
        elif question:
            hint = "..." if node.hint is None else node.hint
            out.append(f'<span class="cloze" data-cloze="{encode_attribute(inner)}" '
                       f'data-ordinal="{node.ordinal}">[{hint}]</span>')
        else:
            out.append(f'<span class="cloze" data-ordinal="{node.ordinal}">{inner}</span>')
    return "".join(out), found


def cloze_filter(text: str, number: int, question: bool) -> str:
    """What {{cloze:Field}} shows on the card of deletion `number`: empty if the field lacks it."""
    revealed, found = reveal(parse(text), number, question)
    if not found:
        return ""
    # MathJax cannot typeset HTML, so tags inside \(…\) and \[…\] (the cloze spans) are dropped.
    return MATHJAX.sub(lambda m: m.group(1) + HTML_TAG.sub("", m.group(2)) + m.group(3), revealed)
