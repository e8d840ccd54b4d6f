"""A CSV/TSV file → a ForeignDeck: Anki's own "Notes in Plain Text" export, or a plain table with a header row.

A file that starts with header lines (`#separator:tab`, `#html:true`, `#columns:…`, `#notetype:…`, `#deck:…`,
`#tags:…`, `#notetype column:2`, `#deck column:3`, `#tags column:9`, `#guid column:1`; or the historic first
line `tags:…`) is read as Anki reads it (rslib import_export/text/csv/metadata.rs and import.rs): a value counts
up to its first character and the letters and digits after it; without `#separator:` the first of tab, |, ;,
:, comma and space in the first 8 KiB is the separator; without `#html:` the cells are HTML if any of the
first five rows looks like HTML; cells that are not HTML are escaped as Anki escapes them; later lines that
start with '#' are comments. A file without them is a plain table: its first row names the columns (`guid`,
`notetype`, `deck` and `tags` are those columns; the others are fields) and its separator is the first of
tab, ;, comma and | in that row.

A spreadsheet holds no note types, mods, cards or media: every note's note type is the name (or id) the file
gives, or None, for the writer to find; its fields are all the columns that are not guid, note type, deck or
tags, in order. Every row must have as many cells as the first.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from deckbuilder.importing import scan
from deckbuilder.importing.foreign import NONE, ForeignDeck, Note, Source
from deckbuilder.importing.limits import LIMITS, Limits, problem, read_text
from deckbuilder.problems import ContentError

SEPARATORS = {"tab": "\t", "pipe": "|", "semicolon": ";", "colon": ":", "comma": ",", "space": " "}
TABLE_SEPARATORS = ("\t", ";", ",", "|")
LOOKS_LIKE_HTML = re.compile(r"<.*?>", re.DOTALL)  # Anki's is_html: any tag, comment or style block
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
META_LABELS = {"guid": "guid", "notetype": "notetype", "note type": "notetype", "deck": "deck", "tags": "tags"}
PREVIEW_ROWS = 5  # the rows Anki guesses HTML from


@dataclass
class Header:
    """What the header lines say; a column is 1-based, 0 for none."""

    separator: str | None = None
    html: bool | None = None
    tags: list[str] = field(default_factory=list)
    labels: list[str] | None = None
    notetype: str | None = None
    deck: str | None = None
    columns: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("notetype", "deck", "tags", "guid"), 0))
    lines: int = 0  # how many lines the header takes


def leading_value(value: str) -> str:
    """Anki's parse_meta_value trimming: the first character, then letters and digits up to anything else."""
    match = re.match(r".[A-Za-z0-9]*", value, re.DOTALL)
    return match.group(0) if match else value


def separator_from(value: str) -> str | None:
    normed = value.lower()
    for name, character in SEPARATORS.items():
        if normed.strip() == name or normed == character:
            return character
    return None


def read_header(lines: list[str]) -> Header:
    header = Header()
    if lines and lines[0].startswith("tags:"):
        header.tags = lines[0][5:].split()
        header.lines = 1
    while header.lines < len(lines) and lines[header.lines].startswith("#"):
        key, colon, value = lines[header.lines][1:].rstrip("\r\n").partition(":")
        if colon:
            header_value(header, key.strip().lower(), value)
        header.lines += 1
    return header


def header_value(header: Header, key: str, value: str) -> None:
    trimmed = leading_value(value)
    if key == "separator":
        header.separator = separator_from(trimmed) or header.separator
    elif key == "html" and trimmed.lower() in ("true", "false"):
        header.html = trimmed.lower() == "true"
    elif key == "tags":
        header.tags = value.split()
    elif key == "columns":
        header.labels = next(csv.reader([value], delimiter=header.separator or "\t"), [])
    elif key in ("notetype", "deck") and value:
        setattr(header, key, value)
        header.columns[key] = 0
    elif key.endswith(" column") and key[:-7] in header.columns and trimmed.strip().isdigit():
        header.columns[key[:-7]] = int(trimmed.strip())
        if key[:-7] in ("notetype", "deck"):
            setattr(header, key[:-7], None)


def records(lines: list[str], separator: str, first: int):
    """(line number, cells) per record, the first line being number `first`, as the csv crate Anki uses reads
    them: a line starting with '#' where a record would start is a comment, blank lines are skipped, rows may
    differ in length."""
    state = {"at_start": True, "start": 0}

    def physical_lines():
        for number, line in enumerate(lines, first):
            if state["at_start"]:
                if line.startswith("#"):
                    continue
                state["start"], state["at_start"] = number, False
            yield line

    for cells in csv.reader(physical_lines(), delimiter=separator, quotechar='"', doublequote=True, strict=False):
        state["at_start"] = True
        if cells:
            yield state["start"], cells


def read_table(path: Path, limits: Limits = LIMITS) -> ForeignDeck:
    """Every row as a note; ContentError if the file cannot be read or its rows differ in length."""
    text = read_text(path, limits)
    lines = LINE.findall(text)
    header = read_header(lines)
    anki_format = header.lines > 0
    separator = header.separator or guess_separator(lines[header.lines:], anki_format)
    skip = 1 if lines and lines[0].startswith("tags:") else 0  # Anki reads past it; '#' lines are comments
    previous = csv.field_size_limit(limits.max_text)
    try:
        rows = list(records(lines[skip:], separator, 1 + skip))
    except csv.Error as error:
        raise ContentError([problem(path, f"not a readable table: {error}")]) from error
    finally:
        csv.field_size_limit(previous)
    if not anki_format and rows:
        header.labels = rows[0][1]
        header.columns.update(table_columns(header.labels))
        rows = rows[1:]
    check_rows(path, rows, header)
    return table_deck(path, rows, header, separator, anki_format)


def guess_separator(lines: list[str], anki_format: bool) -> str:
    if anki_format:
        sample = "".join(lines)[:8192]
        return next((character for character in SEPARATORS.values() if character in sample), " ")
    first = lines[0] if lines else ""
    return next((character for character in TABLE_SEPARATORS if character in first), ",")


def table_columns(labels: list[str]) -> dict[str, int]:
    """A plain table's guid, notetype, deck and tags columns, by their labels (the first of each)."""
    found: dict[str, int] = {}
    for index, label in enumerate(labels, start=1):
        kind = META_LABELS.get(label.strip().lower())
        if kind and kind not in found:
            found[kind] = index
    return found


def check_rows(path: Path, rows: list[tuple[int, list[str]]], header: Header) -> None:
    expected = len(header.labels) if header.labels else len(rows[0][1]) if rows else 0
    where = "the header row" if header.labels else "the first row"
    problems = [problem(path, f"this row has {len(cells)} cell{'s' if len(cells) != 1 else ''}, {where} has "
                              f"{expected}", "every row needs the same columns; check for a missing separator or "
                                             "an unclosed quote", number)
                for number, cells in rows if len(cells) != expected]
    meta = {column for column in header.columns.values() if column}
    if rows and not [index for index in range(1, expected + 1) if index not in meta]:
        problems.append(problem(path, "no column holds a field (every column is a guid, note type, deck or tags "
                                      "column)"))
    if problems:
        raise ContentError(problems)


def table_deck(path: Path, rows, header: Header, separator: str, anki_format: bool) -> ForeignDeck:
    is_html = header.html
    if is_html is None:
        is_html = any(LOOKS_LIKE_HTML.search(cell) for _, cells in rows[:PREVIEW_ROWS] for cell in cells)
    notes = tuple(note_of(number, cells, header, is_html) for number, cells in rows)
    meta = {column for column in header.columns.values() if column}
    labels = [label for index, label in enumerate(header.labels or [], start=1) if index not in meta] or None
    warnings = [] if header.html is not None else [
        f"the file does not say whether its cells are HTML: read as {'HTML' if is_html else 'plain text'}, as Anki "
        f"guesses from its first {PREVIEW_ROWS} rows"]
    details = {"format": "Anki notes in plain text" if anki_format else "table with a header row",
               "separator": separator, "html": is_html, "field columns": labels}
    warnings += scan.media_warnings(notes, ())
    return ForeignDeck(Source(str(path), "text", details), NONE, (), (), notes, (), tuple(warnings),
                       scan.scripts((), notes))


def note_of(number: int, cells: list[str], header: Header, is_html: bool) -> Note:
    def column(kind: str) -> str | None:
        index = header.columns.get(kind, 0)
        return cells[index - 1] if 0 < index <= len(cells) else None

    meta = {column for column in header.columns.values() if column}
    fields = tuple(cell if is_html else html.escape(cell).replace("\n", "<br>")
                   for index, cell in enumerate(cells, start=1) if index not in meta)
    tags = tuple(dict.fromkeys((column("tags") or "").split() + header.tags))
    return Note(column("guid") or None, None, header.notetype or column("notetype") or None, fields, tags, None,
                header.deck or column("deck") or None, (), number)
