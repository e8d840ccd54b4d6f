"""What only packages from Anki 2.1.50 on need, read with deckbuilder's `anki` extra: the zstd protobuf media
map, and the schema-18 note types and decks turned into Anki's legacy JSON shape exactly as Anki itself turns
them (rslib notetype/schema11.rs, decks/schema11.rs), so that every source gives the writer one shape.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from deckbuilder.importing import zstd
from deckbuilder.importing.limits import Limits, unreadable

# Keys of a legacy dict that schema 18 keeps in columns: an `other` JSON blob never overrides them.
NOTETYPE_KEYS = {"latexPost", "flds", "css", "originalStockKind", "originalId", "id", "usn", "mod", "req",
                 "latexPre", "name", "did", "tmpls", "type", "sortf", "latexsvg"}
FIELD_KEYS = {"name", "ord", "sticky", "rtl", "plainText", "font", "size", "collapsed", "description",
              "excludeFromSearch", "id", "tag", "preventDeletion"}
TEMPLATE_KEYS = {"name", "ord", "did", "afmt", "bafmt", "qfmt", "bqfmt", "bfont", "bsize", "id"}
REQUIREMENT_KINDS = {0: "none", 1: "any", 2: "all"}


def require(path: Path) -> dict:
    """The extra's modules, or the one problem that names what to install."""
    try:
        return zstd.modern_modules()
    except zstd.MissingExtra as missing:
        raise unreadable(path, f"a package from Anki 2.1.50 or later needs deckbuilder's 'anki' extra to be read "
                               f"({missing} not installed)", zstd.EXTRA_HINT) from None


def media_map(path: Path, raw: bytes, limits: Limits) -> list[tuple[str, str, int, str]]:
    """(member, name, size, sha1) per entry; the member is the entry's position, as Anki reads it
    (package/media.rs SafeMediaEntry::from_entry)."""
    modules = require(path)
    try:
        data = zstd.decompress(raw, limits.max_map)
        entries = modules["anki.import_export_pb2"].MediaEntries.FromString(data).entries
    except zstd.ZstdError as error:
        raise unreadable(path, f"the media map {error}", "download or export it again") from error
    except Exception as error:  # protobuf's DecodeError
        raise unreadable(path, f"the media map is damaged ({error})", "download or export it again") from error
    if any(len(entry.sha1) != 20 for entry in entries):
        raise unreadable(path, "the media map is damaged (a checksum that is not SHA-1)")
    return [(str(index), entry.name, entry.size, entry.sha1.hex()) for index, entry in enumerate(entries)]


def optional(message, name: str):
    return getattr(message, name) if message.HasField(name) else None


def other(raw: bytes, reserved: set[str]) -> dict:
    """The extra keys Anki keeps as JSON beside the protobuf config (parse_other_fields)."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return {key: item for key, item in value.items() if key not in reserved} if isinstance(value, dict) else {}


def field_dict(ord_: int, name: str, config: bytes, Notetype) -> dict:
    c = Notetype.Field.Config.FromString(config)
    return {"name": name, "ord": ord_, "sticky": c.sticky, "rtl": c.rtl, "font": c.font_name, "size": c.font_size,
            "description": c.description, "plainText": c.plain_text, "collapsed": c.collapsed,
            "excludeFromSearch": c.exclude_from_search, "id": optional(c, "id"), "tag": optional(c, "tag"),
            "preventDeletion": c.prevent_deletion, **other(c.other, FIELD_KEYS)}


def template_dict(ord_: int, name: str, config: bytes, Notetype) -> dict:
    c = Notetype.Template.Config.FromString(config)
    return {"name": name, "ord": ord_, "qfmt": c.q_format, "afmt": c.a_format, "bqfmt": c.q_format_browser,
            "bafmt": c.a_format_browser, "did": c.target_deck_id if c.target_deck_id > 0 else None,
            "bfont": c.browser_font_name, "bsize": c.browser_font_size, "id": optional(c, "id"),
            **other(c.other, TEMPLATE_KEYS)}


def notetypes(con: sqlite3.Connection) -> list[dict]:
    """Every note type of a schema-18 collection as Anki's legacy JSON dict."""
    from anki.notetypes_pb2 import Notetype

    result = []
    for ntid, name, mtime, usn, config in con.execute(
            "select id, name, mtime_secs, usn, config from notetypes order by id"):
        c = Notetype.Config.FromString(config)
        fields = [field_dict(*row, Notetype) for row in con.execute(
            "select ord, name, config from fields where ntid = ? order by ord", (ntid,))]
        templates = [template_dict(*row, Notetype) for row in con.execute(
            "select ord, name, config from templates where ntid = ? order by ord", (ntid,))]
        notetype = {
            "id": ntid, "name": name, "type": 1 if c.kind == 1 else 0, "mod": mtime, "usn": usn,
            "sortf": c.sort_field_idx, "did": c.target_deck_id_unused or None, "tmpls": templates, "flds": fields,
            "css": c.css, "latexPre": c.latex_pre, "latexPost": c.latex_post, "latexsvg": c.latex_svg,
            "req": [[r.card_ord, REQUIREMENT_KINDS.get(r.kind, "none"), list(r.field_ords)] for r in c.reqs],
            **other(c.other, NOTETYPE_KEYS)}
        if c.original_stock_kind:
            notetype["originalStockKind"] = c.original_stock_kind
        if c.HasField("original_id"):
            notetype["originalId"] = c.original_id
        result.append(notetype)
    return result


def decks(con: sqlite3.Connection) -> list[dict]:
    """Every deck of a schema-18 collection: id, name ('::' between levels), description, filtered or not."""
    from anki.decks_pb2 import Deck

    result = []
    for did, name, kind in con.execute("select id, name, kind from decks order by id"):
        container = Deck.KindContainer.FromString(kind)
        deck = {"id": did, "name": name.replace("\x1f", "::"), "dyn": 0, "desc": "", "md": False}
        if container.HasField("filtered"):
            deck["dyn"] = 1
        else:
            deck.update(desc=container.normal.description, md=container.normal.markdown_description)
        result.append(deck)
    return result
