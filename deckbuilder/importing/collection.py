"""The package's own SQLite collection, read as it is: never imported into a scratch collection, where Anki
would rename clashing note types ("Basic+") and stamp new mods.

Schema 11 (legacy packages) keeps note types and decks as JSON in the `col` table and needs nothing but the
standard library; schema 18 keeps them in tables with protobuf configs (modern.py, the `anki` extra).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

from deckbuilder.importing import modern, zstd
from deckbuilder.importing.container import Layout
from deckbuilder.importing.limits import Limits, unreadable

TABLES = ("col", "notes", "cards")
SCHEMA_18 = 15  # schema versions 15 to 17 were betas with schema 18's tables


@dataclass
class Contents:
    """The collection's rows that make a deck, in Anki's legacy shapes."""

    schema: int
    notetypes: list[dict]
    decks: list[dict]
    notes: list[tuple[int, str, int, int, str, str]]  # id, guid, note type id, mod, tags, fields
    cards: list[tuple[int, int, int, int, int]]  # note id, ord, deck id, original deck id, type (0 = new)
    reviews: int


def extract(path: Path, layout: Layout, folder: Path, limits: Limits) -> Path:
    """The collection member, decompressed into `folder`, at most limits.max_collection bytes."""
    target = folder / "collection.sqlite"
    info = layout.zip.getinfo(layout.collection)
    if layout.compressed:
        modern.require(path)
    try:
        with layout.zip.open(info) as member, open(target, "wb") as out:
            if layout.compressed:
                zstd.copy(member, out, limits.max_collection)
            else:
                shutil.copyfileobj(member, out, 1 << 20)
    except zstd.ZstdError as error:
        limit = ", the limit for a collection" if "more than" in str(error) else ""
        raise unreadable(path, f"{layout.collection} {error}{limit}",
                         "" if limit else "download or export it again") from error
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
        raise unreadable(path, f"{layout.collection} is damaged ({error})", "download or export it again") from error
    return target


def read(path: Path, database: Path) -> Contents:
    """Note types, decks, notes, cards and the number of reviews; ContentError if it is no collection."""
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        check_tables(path, connection)
        schema = connection.execute("select ver from col").fetchone()[0]
        if schema >= SCHEMA_18:
            modern.require(path)
            notetypes, decks = modern.notetypes(connection), modern.decks(connection)
        else:
            notetypes, decks = legacy_notetypes(path, connection), legacy_decks(path, connection)
        notes = connection.execute("select id, guid, mid, mod, tags, flds from notes order by id").fetchall()
        cards = connection.execute("select nid, ord, did, odid, type from cards order by nid, ord").fetchall()
        reviews = connection.execute("select count() from revlog").fetchone()[0] if has_table(connection,
                                                                                                "revlog") else 0
        return Contents(schema, notetypes, decks, notes, cards, reviews)
    except (sqlite3.DatabaseError, TypeError, ValueError, KeyError, AttributeError) as error:
        raise unreadable(path, f"the collection inside is damaged ({error})", "download or export it again") from error
    finally:
        connection.close()


def has_table(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("select type from sqlite_master where name = ?", (name,)).fetchone() == ("table",)


def check_tables(path: Path, connection: sqlite3.Connection) -> None:
    """A collection's tables must be tables: a view or trigger in a stranger's file could run any query."""
    try:
        missing = [name for name in TABLES if not has_table(connection, name)]
    except sqlite3.DatabaseError as error:
        raise unreadable(path, f"the collection inside is not an SQLite database ({error})",
                         "download or export it again") from error
    if missing:
        raise unreadable(path, f"the collection inside is not an Anki collection (no '{missing[0]}' table)")


def legacy_notetypes(path: Path, connection: sqlite3.Connection) -> list[dict]:
    """Schema 11: the `col.models` JSON, keyed by id (genanki writes ids as text)."""
    models = json_column(path, connection, "models")
    result = []
    for key, model in models.items():
        model = dict(model)
        model["id"] = int(model.get("id", key))
        result.append(model)
    return sorted(result, key=lambda model: model["id"])


def legacy_decks(path: Path, connection: sqlite3.Connection) -> list[dict]:
    decks = json_column(path, connection, "decks")
    return sorted(({**deck, "id": int(deck.get("id", key))} for key, deck in decks.items()),
                  key=lambda deck: deck["id"])


def json_column(path: Path, connection: sqlite3.Connection, column: str) -> dict:
    (text,) = connection.execute(f"select {column} from col").fetchone()
    try:
        value = json.loads(text or "{}")
    except (TypeError, json.JSONDecodeError) as error:
        raise unreadable(path, f"the collection inside is damaged (its {column} are not JSON)") from error
    if not isinstance(value, dict) or not all(isinstance(item, dict) for item in value.values()):
        raise unreadable(path, f"the collection inside is damaged (its {column} are not JSON objects)")
    return value

