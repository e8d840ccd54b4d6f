"""Cloze deletions as Anki shows them: the {{cloze:Field}} filter, nested deletions and hints included.

This is the rendering side; cloze.py is the checking side (which reports syntax mistakes to authors).
They read a text the same way for every text that passes the checks; this one also mirrors Anki's
handling of what the checks reject (unclosed deletions vanish, a stray `}}` stays text), because
Anki's output is the reference the preview is tested against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKER = re.compile(r"\{\{c([0-9]+)::|\}\}")
MAX_OPEN = 10  # Anki ignores deletions opened more than ten deep
MATHJAX = re.compile(r"(\\[(\[])(.*?)(\\[)\]])", re.DOTALL)
HTML_TAG = re.compile(r"<!--.*?-->|<style.*?>.*?</style>|<script.*?>.*?</script>|<.*?>",
                      re.DOTALL | re.IGNORECASE)
NAMED_IN_ATTRIBUTES = {'"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;"}


@dataclass
class Deletion:
    number: int
    nodes: list = field(default_factory=list)  # of str and Deletion
    hint: str | None = None


def tokens(text: str):
    """('open', number), ('close', None) and ('text', str), the way Anki splits a field."""
    position = 0
    search_from = 0
    while True:
        marker = MARKER.search(text, search_from)
        if marker and marker.group(1) and int(marker.group(1)) > 0xFFFF:
            search_from = marker.start() + 1  # not a number Anki reads: plain text
            continue
        end = marker.start() if marker else len(text)
        if end > position:
            yield "text", text[position:end]
        if not marker:
            return
        yield ("open", int(marker.group(1))) if marker.group(1) else ("close", None)
        position = search_from = marker.end()


def parse(text: str) -> list:
    """The field as text and (nested) deletions; a deletion never closed is dropped, as Anki does."""
    output: list = []
    open_deletions: list[Deletion] = []
    for kind, value in tokens(text):
        if kind == "open":
            if len(open_deletions) < MAX_OPEN:
                open_deletions.append(Deletion(value))
        elif kind == "text":
            if open_deletions:
                head, colons, hint = value.partition("::")
                if colons:
                    open_deletions[-1].hint = hint
                open_deletions[-1].nodes.append(head)
            else:
                output.append(value)
        elif open_deletions:
            closed = open_deletions.pop()
            (open_deletions[-1].nodes if open_deletions else output).append(closed)
        else:
            output.append("}}")
    return output


def numbers_in(nodes: list) -> set[int]:
    found: set[int] = set()
    for node in nodes:
        if isinstance(node, Deletion) and node.number != 0:
            found |= {node.number} | numbers_in(node.nodes)
    return found


def cloze_numbers_in(text: str) -> set[int]:
    """The deletion numbers of a field, nested ones included: one card each."""
    return numbers_in(parse(text))


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


def reveal(nodes: list, number: int, question: bool) -> tuple[str, bool]:
    """The nodes' HTML for the card of deletion `number`, and whether that deletion occurs."""
    out, found = [], False
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        inner, inner_found = reveal(node.nodes, number, question)
        found |= inner_found or node.number == number
        if node.number != number:
            out.append(f'<span class="cloze-inactive" data-ordinal="{node.number}">{inner}</span>')
        elif question:
            hint = "..." if node.hint is None else node.hint
            out.append(f'<span class="cloze" data-cloze="{encode_attribute(inner)}" '
                       f'data-ordinal="{node.number}">[{hint}]</span>')
        else:
            out.append(f'<span class="cloze" data-ordinal="{node.number}">{inner}</span>')
    return "".join(out), found


def cloze_filter(text: str, number: int, question: bool) -> str:
    """What {{cloze:Field}} shows on the card of deletion `number`: empty if the field lacks it."""
    revealed, found = reveal(parse(text), number, question)
    if not found:
        return ""
    # MathJax cannot typeset HTML, so tags inside \(…\) and \[…\] (the cloze spans) are dropped.
    return MATHJAX.sub(lambda m: m.group(1) + HTML_TAG.sub("", m.group(2)) + m.group(3), revealed)
