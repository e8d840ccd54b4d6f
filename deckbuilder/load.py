"""Stage 1, load: a card file's bytes → a YAML node tree with positions, or the problems that stop it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import Node

from .problems import Location, Problem, display_path

# libyaml is several times faster and gives the same node positions; fall back to pure Python without it.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class LoadedFile:
    """One card file's node tree, with its path as given and as shown to users."""

    path: Path
    shown: str
    root: Node


def load_file(path: Path) -> tuple[LoadedFile | None, list[Problem]]:
    """Read and parse one card file; YAML is composed, never constructed, so no tag can run code."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(Location(shown), f"cannot read the file: {error.strerror}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [Problem(byte_location(shown, data, error.start), "the file is not valid UTF-8 text",
                              "save it as UTF-8")]
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        return None, [syntax_problem(shown, text, error)]
    except yaml.YAMLError as error:
        return None, [Problem(Location(shown), f"invalid YAML: {error}")]
    if root is None:
        return None, [Problem(Location(shown), "the file is empty",
                              "a card file starts with 'deck:'; run 'deckbuilder schema' for the format")]
    return LoadedFile(path, shown, root), []


def byte_location(shown: str, data: bytes, offset: int) -> Location:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return Location(shown, data.count(b"\n", 0, offset) + 1, offset - line_start + 1)


def syntax_problem(shown: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error at the place PyYAML points to, in plain words where we know better ones."""
    mark = error.problem_mark or error.context_mark
    where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
    problem = error.problem or "invalid YAML"
    line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent:
        # libyaml says only "found character that cannot start any token"; the tab is the usual cause.
        return Problem(Location(shown, where.line, indent.index("\t") + 1),
                       "a tab character is used for indentation", "YAML indents with spaces only")
    context = f" {error.context}" if error.context else ""
    hint = "check the indentation and quoting on this line and the one before"
    if "expected a single document" in (error.context or ""):
        return Problem(where, "the file holds more than one YAML document ('---')", "keep one deck part per file")
    return Problem(where, f"invalid YAML: {problem}{context}", hint)
