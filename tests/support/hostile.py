"""Broken and hostile inputs a reader or `deckbuilder import` may be given, each made here, with the exact
problems they must give: a shared deck is a file from a stranger."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import struct
import warnings
import zipfile

AGAIN = "download or export it again"
NOT_CROWDANKI = "CrowdAnki exports a folder holding deck.json and media/"
OUTSIDE = "Anki refuses such a package too; use the deck's original package"


def genanki_collection(front: str = "front", model_name: str = "M", field_names=("F", "B")) -> bytes:
    """A small genanki collection (schema 11) holding one note."""
    import genanki
    import sqlite3
    import tempfile
    from pathlib import Path

    model = genanki.Model(1234567890, model_name, fields=[{"name": name} for name in field_names],
                          templates=[{"name": "C", "qfmt": "{{%s}}" % field_names[0], "afmt": "{{FrontSide}}"}])
    deck = genanki.Deck(2345678901, "Hostile")
    deck.add_note(genanki.Note(model=model, fields=[front, "back"], guid="hostile-1"))
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "c.anki2")
        genanki.Package(deck).write_to_db(connection.cursor(), 1_700_000_000, itertools.count(1_700_000_000_000))
        connection.commit()
        connection.close()
        return (Path(folder) / "c.anki2").read_bytes()


def legacy_package(media_map: dict, members: dict[str, bytes], collection: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("collection.anki2", collection or genanki_collection())
        archive.writestr("media", json.dumps(media_map))
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zstd_frame(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


def zstd_zeros(size: int) -> bytes:
    """A valid zstd frame of RLE blocks (4 bytes per 128 KiB) that says nothing of its size, as Anki's do."""
    out = bytearray(struct.pack("<I", 0xFD2FB528) + bytes([0x00, 7 << 3]))
    blocks = [128 * 1024] * (size // (128 * 1024))
    for index, length in enumerate(blocks):
        out += ((index == len(blocks) - 1) | (1 << 1) | (length << 3)).to_bytes(3, "little") + b"\0"
    return bytes(out)


def modern_package(collection: bytes, entries: list[tuple[str, bytes, bytes]], meta: bytes = b"\x08\x03") -> bytes:
    """A version-3 package; each entry is (name, what the map says the file is, the zstd data in the zip)."""
    from anki.import_export_pb2 import MediaEntries

    media = MediaEntries()
    for name, declared, _ in entries:
        media.entries.add(name=name, size=len(declared), sha1=hashlib.sha1(declared).digest())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("meta", meta)
        archive.writestr("collection.anki21b", collection)
        archive.writestr("collection.anki2", b"the placeholder")
        archive.writestr("media", zstd_frame(media.SerializeToString()))
        for index, (_, _, data) in enumerate(entries):
            archive.writestr(str(index), data)
    return buffer.getvalue()


def claim_size(data: bytes, member: str, claimed: int) -> bytes:
    """The zip with `member`'s uncompressed size in its central directory record changed to `claimed`."""
    data = bytearray(data)
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46:position + 46 + length] == member.encode():
            struct.pack_into("<I", data, position + 24, claimed)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def deflated_zeros(name: str, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", genanki_collection())
        archive.writestr("media", json.dumps({"0": name}))
        with archive.open("0", "w", force_zip64=True) as member:
            for _ in range(size >> 24):
                member.write(bytes(1 << 24))
    return buffer.getvalue()


BAD_NAMES = {"../evil.png": "leads to the parent folder ('..')", "/etc/passwd": "is an absolute path",
             "C:\\win.ini": "is an absolute path", "sub/dir.png": "holds a path separator",
             "nul\x00byte.png": "holds a control character", "bell\x07.png": "holds a control character",
             "..": "names a folder"}


def refused(name: str, reason: str) -> str:
    return f"hostile.apkg:1:1: media file name {name!r} {reason}: it could be written outside the deck's folder " \
           f"({OUTSIDE})"


def cases(exports, schema18) -> dict[str, tuple[str, object, list[str]]]:
    """case → (file name, a function making its bytes, the exact problems)."""
    modern = exports["modern.apkg"].read_bytes
    return {
        "not a zip": ("hostile.apkg", lambda: b"this is a text file\n" * 10, [
            "hostile.apkg:1:1: not an Anki package: not a zip file (export the deck from Anki with File > Export)"]),
        "a zip that is not a package": ("hostile.apkg", lambda: zip_of({"readme.txt": b"hello"}), [
            "hostile.apkg:1:1: not an Anki package: the zip holds no collection (collection.anki2 or "
            "collection.anki21) (export the deck from Anki with File > Export)"]),
        "a package cut short": ("hostile.apkg", lambda: modern()[:len(modern()) // 2], [
            f"hostile.apkg:1:1: the package is damaged or cut short (its zip directory is missing) ({AGAIN})"]),
        "its collection cut short": ("hostile.apkg", lambda: cut_collection(exports), [
            f"hostile.apkg:1:1: collection.anki21b is cut short (its zstd data ends early) ({AGAIN})"]),
        "a newer Anki's package": ("hostile.apkg", lambda: modern_package(schema18, [], meta=b"\x08\x04"), [
            "hostile.apkg:1:1: made by a newer Anki (package version 4) than deckbuilder reads (export it from Anki "
            "with 'Support older Anki versions' ticked)"]),
        "collection.anki21b without meta": ("hostile.apkg", lambda: no_meta(modern()), [
            "hostile.apkg:1:1: the package is damaged: it holds collection.anki21b but no 'meta' (export it from "
            "Anki again)"]),
        "two members of one name": ("hostile.apkg", twice, [
            "hostile.apkg:1:1: the zip holds two files named 'media' (a damaged or crafted package)"]),
        "a member whose size lies": ("hostile.apkg", lambda: claim_size(legacy_package({}, {}), "collection.anki2",
                                                                          1000), [
            "hostile.apkg:1:1: collection.anki2 is damaged (Bad CRC-32 for file 'collection.anki2') "
            f"({AGAIN})"]),
        "a collection that claims 2 GiB": ("hostile.apkg", lambda: claim_size(legacy_package({}, {}), "collection.anki2",
                                                                        2 << 30), [
            "hostile.apkg:1:1: collection.anki2 is 2,147,483,648 bytes (2,048 MiB) uncompressed, over the limit of "
            "1,073,741,824 bytes (1,024 MiB) for a collection"]),
        "a zip bomb: 256 MiB of zeros as a media file": ("hostile.apkg",
                                                         lambda: deflated_zeros("zeros.png", 256 << 20), [
            "hostile.apkg:1:1: media file 'zeros.png' is 268,435,456 bytes (256 MiB) uncompressed, over the limit "
            "of 104,857,600 bytes (100 MiB) for one media file"]),
        "media names that leave the folder (legacy map)": ("hostile.apkg", lambda: legacy_package(
            {str(index): name for index, name in enumerate(BAD_NAMES)},
            {str(index): b"data" for index in range(len(BAD_NAMES))}),
            sorted(refused(name, reason) for name, reason in BAD_NAMES.items())),
        "media names that leave the folder (modern map)": ("hostile.apkg", lambda: modern_package(
            schema18, [(name, b"data", zstd_frame(b"data")) for name in BAD_NAMES]),
            sorted(refused(name, reason) for name, reason in BAD_NAMES.items())),
        "media names Anki would not write (modern map)": ("hostile.apkg", lambda: modern_package(
            schema18, [("con.txt", b"x", zstd_frame(b"x")), ("cafe\u0301.png", b"x", zstd_frame(b"x"))]), [
            "hostile.apkg:1:1: media file name 'cafe\u0301.png' is not one Anki writes (it would be 'caf\u00e9.png') "
            "(Anki refuses such a package too; export it from Anki again)",
            "hostile.apkg:1:1: media file name 'con.txt' is not one Anki writes (it would be 'con_.txt') (Anki "
            "refuses such a package too; export it from Anki again)"]),
        "an empty deck": ("hostile.apkg", lambda: empty_package(exports), [
            "hostile.apkg:1:1: nothing to import: the package holds no notes"]),
        "a JSON that is not CrowdAnki's": ("deck.json", lambda: b'{"name": "My deck", "cards": []}', [
            f"deck.json:1:1: not a CrowdAnki deck: no deck with 'note_models' at the top ({NOT_CROWDANKI})"]),
        "a JSON that is not JSON": ("deck.json", lambda: b'{"__type__": "Deck",\n "note_models": [}', [
            f"deck.json:2:18: not valid JSON: Expecting value ({NOT_CROWDANKI})"]),
        "a CrowdAnki note without a guid": ("deck.json", lambda: json.dumps({
            "__type__": "Deck", "name": "D", "note_models": [], "children": [],
            "notes": [{"fields": ["a"], "note_model_uuid": "u"}]}).encode(), [
            "deck.json:1:1: deck 'D', notes[0] is not a CrowdAnki note (it needs a guid, fields, tags and "
            "note_model_uuid)"]),
        "a CSV with ragged rows": ("table.csv", lambda: b"Front,Back\nq,a\nq2\n", [
            "table.csv:3:1: this row has 1 cell, the header row has 2 (every row needs the same columns; check for "
            "a missing separator or an unclosed quote)"]),
        "a file of another kind": ("notes.pdf", lambda: b"%PDF-1.4 not a deck", [
            "notes.pdf:1:1: not a kind of file deckbuilder imports ('.pdf') (deckbuilder imports Anki packages "
            "(.apkg, .colpkg), CrowdAnki exports (a folder with deck.json) and CSV/TSV files (.csv, .tsv, .txt))"]),
    }


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def cut_collection(exports) -> bytes:
    """The modern export with its zstd collection cut in half, the zip intact."""
    with zipfile.ZipFile(exports["modern.apkg"]) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members["collection.anki21b"] = members["collection.anki21b"][:len(members["collection.anki21b"]) // 2]
    return zip_of(members)


def twice() -> bytes:
    """A zip naming 'media' twice: zipfile warns as it writes it."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")
        archive.writestr("collection.anki2", genanki_collection())
        archive.writestr("media", "{}")
        archive.writestr("media", '{"0": "x.png"}')
    return buffer.getvalue()


def no_meta(package: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            if info.filename != "meta":
                archive.writestr(info.filename, source.read(info))
    return buffer.getvalue()


def empty_package(exports) -> bytes:
    """Anki's export of a collection with a deck and no notes (the export closes the collection)."""
    from anki.collection import Collection

    folder = exports["modern.apkg"].parent / "empty"
    folder.mkdir(exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    col.decks.id("Empty deck")
    col.export_collection_package(str(folder / "empty.colpkg"), include_media=False, legacy=False)
    return (folder / "empty.colpkg").read_bytes()


CASES = ["not a zip", "a zip that is not a package", "a package cut short", "its collection cut short",
         "a newer Anki's package", "collection.anki21b without meta", "two members of one name",
         "a member whose size lies", "a collection that claims 2 GiB", "a zip bomb: 256 MiB of zeros as a media file",
         "media names that leave the folder (legacy map)", "media names that leave the folder (modern map)",
         "media names Anki would not write (modern map)", "an empty deck", "a JSON that is not CrowdAnki's",
         "a JSON that is not JSON", "a CrowdAnki note without a guid", "a CSV with ragged rows",
         "a file of another kind"]


