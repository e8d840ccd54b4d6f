"""Terminal manners shared by the commands: colour only where it helps, counted words, aligned tables."""

from __future__ import annotations

import os
from typing import IO, Sequence

import click


def colour_enabled(stream: IO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, stream: IO, **styles) -> str:
    """`text` styled with click.style's keywords when `stream` gets colour, as it is otherwise."""
    return click.style(text, **styles) if colour_enabled(stream) else text


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def table(header: Sequence[str], rows: list[Sequence[object]]) -> list[str]:
    """Rows as aligned columns under their header: numbers to the right, text to the left."""
    cells = [[str(cell) for cell in header]] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[index]) for row in cells) for index in range(len(header))]
    numeric = [all(isinstance(row[index], int) for row in rows) for index in range(len(header))]
    lines = []
    for row in cells:
        padded = [cell.rjust(width) if right else cell.ljust(width)
                  for cell, width, right in zip(row, widths, numeric)]
        lines.append("  ".join(padded).rstrip())
    return lines
