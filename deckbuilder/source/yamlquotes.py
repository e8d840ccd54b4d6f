"""Quoting mistakes, the commonest YAML errors in card text, found where the parser gave up: right after a
quoted value that ended too early. Either its opening quote was never closed on its own line, so YAML read on
to the next quote, lines later ("Which cell…? ⏎ back: … ⏎ front: "What…), or a quote inside it ended it
(`"<img src="…">"`). Both are told at the place to fix, with the fix.
"""

from __future__ import annotations

import re

import yaml

from deckbuilder.problems import Location, Problem

# What may stand before a value's opening quote: a key's ':', a list's '-', a flow collection's '[', '{' or
# ',', a complex key's '?', or nothing (a quoted key at the start of a line).
VALUE_START = re.compile(r"(?:^|[:\-\[{,?])\s*$")
# A line that reads as a key of a mapping ('back: …', '- id: …'): inside a quoted value, a sign that the
# value's opening quote was never closed.
KEY_LINE = re.compile(r"\s*(?:-\s+)*[\w-]+:(?:\s|$)")
NAMES = {'"': "double", "'": "single"}
FIXES = {
    '"': "put the whole value in single quotes instead, or write each \" inside it as \\\"",
    "'": "write each ' inside it as '' (two single quotes), or put the whole value in double quotes instead",
}


def quote_problem(shown: str, text: str, error: yaml.MarkedYAMLError) -> Problem | None:
    """The quoting mistake that explains a syntax error, if the parser gave up right after a quoted value."""
    starts = line_starts(text)
    # The problem mark follows the value; after '|' or '>' (read as a block scalar), the context mark does.
    for mark in (error.problem_mark, error.context_mark):
        if mark is None or mark.line >= len(starts):
            continue
        after = starts[mark.line] + mark.column
        end = closing_quote(text, starts[mark.line], after)
        opening = opening_quote(text, end) if end is not None else None
        if opening is None or not VALUE_START.search(text[starts[line_of(starts, opening)]:opening]):
            continue
        if line_of(starts, opening) == mark.line:
            return quote_inside(shown, text, starts, end, after)
        return runaway(shown, text, starts, opening, end)
    return None


def closing_quote(text: str, line_start: int, index: int) -> int | None:
    """The quote just before `index` on its line (spaces between allowed), if there is one."""
    before = text[line_start:index].rstrip(" ")
    return line_start + len(before) - 1 if before[-1:] in NAMES else None


def opening_quote(text: str, end: int) -> int | None:
    """Where the quoted value that closes at `end` opens: the nearest quote of its kind before it that is not
    escaped (a backslash before '"'; '' in single quotes)."""
    quote = text[end]
    index = text.rfind(quote, 0, end)
    while index >= 0:
        if quote == '"':
            if run_before(text, index, "\\") % 2 == 0:
                return index
        else:
            run = run_before(text, index, "'") + 1  # the quotes in a row ending here
            if run % 2 == 1:
                return index - run + 1
            index -= run - 1
        index = text.rfind(quote, 0, index)
    return None


def runaway(shown: str, text: str, starts: list[int], opening: int, end: int) -> Problem | None:
    """A value whose quote opens on one line and closes lines later, across what reads as keys."""
    first, last = line_of(starts, opening), line_of(starts, end)
    lines = text[opening:end].splitlines()[1:]
    if first == last or not any(KEY_LINE.match(line) for line in lines):
        return None
    quote = text[opening]
    return Problem(Location(shown, first + 1, opening - starts[first] + 1),
                   f"this quoted value is not closed on its line, so YAML reads on to the next {NAMES[quote]} "
                   f"quote, on line {last + 1}", "add the closing quote at the end of the value")


def quote_inside(shown: str, text: str, starts: list[int], end: int, after: int) -> Problem:
    """A value quoted on one line with text after its closing quote: a quote inside it ended it early, or it
    began with a quote meant as text ('"Vitamin" K2')."""
    line = line_of(starts, end)
    rest = text[end + 1: starts[line + 1] if line + 1 < len(starts) else len(text)]
    quote = text[end]
    name = NAMES[quote]
    if quote in rest:
        return Problem(Location(shown, line + 1, end - starts[line] + 1),
                       f"a {name} quote inside a value in {name} quotes ends the value here", FIXES[quote])
    return Problem(Location(shown, line + 1, after - starts[line] + 1),
                   f"text after the closing quote of a value in {name} quotes",
                   f"a value that starts with a quote ends where it closes: {FIXES[quote]}")


def run_before(text: str, index: int, character: str) -> int:
    """How many `character`s stand in a row just before `index`."""
    count = 0
    while index - count > 0 and text[index - count - 1] == character:
        count += 1
    return count


def line_starts(text: str) -> list[int]:
    """The index in `text` where each line starts, counted as YAML's marks count lines."""
    starts = [0]
    for match in re.finditer(r"\r\n|[\r\n\x85\u2028\u2029]", text):
        starts.append(match.end())
    return starts


def line_of(starts: list[int], index: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, index) - 1
