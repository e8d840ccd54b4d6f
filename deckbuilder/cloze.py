"""Anki cloze deletions: which card numbers a text makes, and what is wrong with its syntax."""

from __future__ import annotations

import re

# An opening as Anki writes it ({{c1::) and things authors type by mistake ({{c::, {{C1:, {{c1:).
OPENING = re.compile(r"\{\{\s*[cC]\s*(\d*)\s*(:{1,2})")
CLOSING = "}}"
# Anki makes cards for cloze numbers up to 500; it puts c501 and higher all on card 500.
MAX_CLOZE = 500


def cloze_numbers(text: str) -> tuple[set[int], list[str]]:
    """The deletion numbers in `text` and a message for each syntax problem, nested deletions allowed."""
    numbers: set[int] = set()
    problems: list[str] = []
    open_deletions: list[tuple[str, int]] = []  # (number as written, where its content starts)
    position = 0
    while True:
        opening = OPENING.search(text, position)
        closing = text.find(CLOSING, position) if open_deletions else -1
        if closing != -1 and (opening is None or closing < opening.start()):
            number, start = open_deletions.pop()
            if not text[start:closing].split("::")[0].strip():
                problems.append(f"cloze deletion {{{{c{number}::…}}}} is empty")
            position = closing + len(CLOSING)
            continue
        if opening is None:
            break
        number = opening.group(1)
        exact = opening.group(0) == f"{{{{c{number}::"
        if not number or not exact:
            problems.append(f"'{opening.group(0)}' is not a cloze opening; write it as {{{{c1::…}}}}")
        elif int(number) == 0:
            problems.append("cloze numbers start at 1: {{c0::…}} makes no card")
        elif int(number) > MAX_CLOZE:
            problems.append(f"cloze number {number} is over Anki's limit of {MAX_CLOZE}: it puts every "
                            f"deletion above c{MAX_CLOZE} on card {MAX_CLOZE}")
        else:
            numbers.add(int(number))
        open_deletions.append((number or "?", opening.end()))
        position = opening.end()
    for number, _ in open_deletions:
        problems.append(f"cloze deletion {{{{c{number}::…}}}} is not closed with '}}}}'")
    return numbers, problems
