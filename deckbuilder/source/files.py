"""Finding card files, and opening input files safely: only regular files, never blocking on a named pipe
or a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from deckbuilder.problems import ContentError, Location, Problem, display_path

CARD_FILE_PATTERNS = ("*.yaml", "*.yml")
# Tables an author may put among the card files, hoping they are read (a spreadsheet's or Anki's export).
TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
TABLE_HINT = ("bring it in with 'deckbuilder import FILE' (Anki's text export, or a table whose first row names "
              "its columns), which writes a card file beside it")

KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket",
         stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


class NotRegularFile(Exception):
    """The path is a folder, pipe, socket or device, which deckbuilder never reads."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def open_regular(path: os.PathLike | str) -> BinaryIO:
    """Open a regular file for reading; raises NotRegularFile for anything else, OSError if it cannot be read."""
    # O_NONBLOCK: opening a named pipe with no writer would otherwise wait forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(KINDS.get(stat.S_IFMT(mode), "not a regular file"))
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def find_card_files(paths: list[Path]) -> list[Path]:
    """The card files named, and those below the folders named, each once, in a stable order."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            below = (p for pattern in CARD_FILE_PATTERNS for p in path.rglob(pattern) if p.is_file())
            found.update(dict.fromkeys(sorted(below)))
        else:
            found[path] = None
    return list(found)


def card_files(paths: list[Path], warnings: list[Problem] | None = None) -> list[Path]:
    """The card files to read; none at all is a problem. Tables found beside them are warnings."""
    files = find_card_files(paths)
    tables = [table_warning(path) for path in tables_among(paths)]
    if not files:
        shown = ", ".join(display_path(path) for path in paths)
        raise ContentError([Problem(Location(shown), "no card files (*.yaml) found",
                                    "run 'deckbuilder build' where cards/ is, or name the card files"), *tables])
    if warnings is not None:
        warnings += tables
    return files


def tables_among(paths: list[Path]) -> list[Path]:
    """The tables (.csv, .tsv, .txt) below the folders named: never read as cards, but worth a word."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in TABLE_SUFFIXES and p.is_file())
    return found


def table_warning(path: Path) -> Problem:
    return Problem(Location(display_path(path)), "this table is not read: card files are YAML (*.yaml, *.yml)",
                   TABLE_HINT, warning=True)
