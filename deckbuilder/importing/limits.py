"""What a foreign deck may hold before it is refused, and how a refusal reads: a shared deck is a file from a
stranger, so every size is checked before anything is decompressed, and every unreadable input is one
`path: what is wrong (hint)` problem, never a traceback."""

from __future__ import annotations

import os
from dataclasses import dataclass

from deckbuilder.problems import ContentError, Location, Problem, display_path
from deckbuilder.source.files import NotRegularFile, open_regular

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Sizes are measured uncompressed: on what the zip's central directory declares (Python's zipfile never
    yields more than that, and fails the CRC check if the data says otherwise) and, for zstd, on the output
    as it is decompressed."""

    # A zip member count far above any real deck's (Anki's own sync sends 25 files a zip).
    max_members: int = 200_000
    # The SQLite collection: 1 GiB is about five million notes, far more than any shared deck.
    max_collection: int = 1024 * MIB
    # One media file: Anki's own limit (its Check Media reports larger files, and sync skips them).
    max_media_file: int = 100 * MIB
    # Everything decompressed together: the collection and every media file.
    max_total: int = 8192 * MIB
    # A CrowdAnki deck.json or a CSV/TSV file, read whole.
    max_text: int = 256 * MIB
    # The media map and the package's 'meta'.
    max_map: int = 64 * MIB


LIMITS = Limits()


def shown(path: str | os.PathLike) -> str:
    return display_path(path)


def problem(path: str | os.PathLike, message: str, hint: str = "", line: int = 1, column: int = 1) -> Problem:
    return Problem(Location(shown(path), line, column), message, hint)


def unreadable(path: str | os.PathLike, message: str, hint: str = "") -> ContentError:
    """The one problem that stops reading `path`: raise it."""
    return ContentError([problem(path, message, hint)])


def size_text(size: int) -> str:
    """'1,073,741,824 bytes (1024 MiB)': exact, and readable at a glance."""
    return f"{size:,} bytes ({size / MIB:,.0f} MiB)" if size >= MIB else f"{size:,} bytes"


def over_limit(what: str, size: int, limit: int, limit_name: str) -> str:
    return f"{what} is {size_text(size)} uncompressed, over the limit of {size_text(limit)} for {limit_name}"


def read_text(path: os.PathLike, limits: Limits) -> str:
    """A text file (deck.json, CSV) whole: a regular file, UTF-8, at most limits.max_text bytes."""
    try:
        with open_regular(path) as handle:
            data = handle.read(limits.max_text + 1)
    except NotRegularFile as error:
        raise unreadable(path, f"not a file but {error.kind}") from error
    except OSError as error:
        raise unreadable(path, f"cannot read the file: {error.strerror or error}") from error
    if len(data) > limits.max_text:
        raise unreadable(path, f"the file is over the limit of {limits.max_text:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise unreadable(path, f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from error
