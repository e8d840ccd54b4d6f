"""An .apkg or .colpkg as a zip: which collection file Anki would read, and the media map, every size checked
from the zip's central directory before anything is decompressed.

The layout (rslib import_export/package/meta.rs): `meta` (protobuf PackageMetadata, from Anki 2.1.50 on) says
the version: 1 → `collection.anki2`, 2 → `collection.anki21` (both SQLite schema 11), 3 → `collection.anki21b`
(zstd, schema 18). Without `meta`, Anki reads `collection.anki21` if present, else `collection.anki2` (genanki,
deckbuilder, Anki before 2.1.50). Modern packages also hold a `collection.anki2` with one "please update
Anki" note for old Anki versions: it is never read. The media map `media` is JSON `{"0": "name.png"}` in
legacy packages, zstd protobuf MediaEntries (the entry's position is its member name) in version 3, where
every media member is zstd too.
"""

from __future__ import annotations

import json
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from deckbuilder.importing.limits import Limits, over_limit, problem, unreadable
from deckbuilder.importing.medianames import anki_name, unsafe_reason
from deckbuilder.problems import ContentError, Problem
from deckbuilder.source.files import NotRegularFile, open_regular

COLLECTIONS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
LATEST = 3
ZIP_MAGIC = b"PK\x03\x04"
TOO_NEW_HINT = "export it from Anki with 'Support older Anki versions' ticked"


@dataclass(frozen=True)
class MediaEntry:
    member: str  # the zip member holding the file
    name: str  # its name in Anki's media folder
    size: int  # uncompressed, as declared by the zip (legacy) or the media map (version 3)
    sha1: str | None  # hex, declared by the media map (version 3 only)


@dataclass
class Layout:
    """An open package: its zip, which member holds the collection, and its media. Close the zip when done."""

    zip: zipfile.ZipFile  # on a file object, which ZipFile.close() leaves open: close() closes both
    meta_version: int | None  # None: no 'meta' member (a package older than Anki 2.1.50, genanki, deckbuilder)
    collection: str
    media: list[MediaEntry]
    warnings: list[str]

    @property
    def compressed(self) -> bool:
        return self.meta_version == LATEST

    def close(self) -> None:
        close_zip(self.zip)


def open_package(path: Path, limits: Limits) -> Layout:
    """The package's layout, or ContentError with every reason it cannot be read."""
    archive = open_zip(path, limits)
    try:
        infos = checked_members(path, archive, limits)
        meta_version = read_meta(path, archive, infos, limits)
        collection = collection_member(path, meta_version, infos)
        media, warnings = media_entries(path, archive, infos, meta_version == LATEST, limits)
        check_sizes(path, infos, infos[collection], media, meta_version == LATEST, limits)
    except BaseException:
        close_zip(archive)
        raise
    return Layout(archive, meta_version, collection, media, warnings)


def close_zip(archive: zipfile.ZipFile) -> None:
    handle = archive.fp
    archive.close()
    if handle is not None:
        handle.close()


def open_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    try:
        handle = open_regular(path)
    except NotRegularFile as error:
        raise unreadable(path, f"not an Anki package but {error.kind}") from error
    except OSError as error:
        raise unreadable(path, f"cannot read the file: {error.strerror or error}") from error
    count = declared_members(handle)
    if count is not None and count > limits.max_members:
        handle.close()
        raise unreadable(path, f"the package holds {count:,} files, over the limit of {limits.max_members:,}")
    try:
        return zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        handle.seek(0)
        starts_like_a_zip = handle.read(4) == ZIP_MAGIC
        handle.close()
        if starts_like_a_zip:
            raise unreadable(path, "the package is damaged or cut short (its zip directory is missing)",
                             "download or export it again") from error
        raise unreadable(path, "not an Anki package: not a zip file",
                         "export the deck from Anki with File > Export") from error


def declared_members(handle) -> int | None:
    """The member count the zip's end record declares, read before zipfile builds a record for each member (a
    small file can declare millions); None if there is no end record."""
    size = handle.seek(0, 2)
    handle.seek(max(0, size - (1 << 16) - 22))
    tail = handle.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 12 > len(tail):
        return None
    count = struct.unpack_from("<H", tail, end + 10)[0]
    zip64 = tail.rfind(b"PK\x06\x06", 0, end)
    if count == 0xFFFF and zip64 >= 0 and zip64 + 40 <= len(tail):
        count = struct.unpack_from("<Q", tail, zip64 + 32)[0]
    return count


def checked_members(path: Path, archive: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    """The zip's members by name, refused if there are too many, a name repeats, or one is encrypted."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise unreadable(path, f"the package holds {len(infos):,} files, over the limit of {limits.max_members:,}")
    by_name: dict[str, zipfile.ZipInfo] = {}
    problems = []
    for info in infos:
        if info.filename in by_name:
            problems.append(problem(path, f"the zip holds two files named '{info.filename}' (a damaged or "
                                          "crafted package)"))
        if info.flag_bits & 0x1:
            problems.append(problem(path, f"the zip's file '{info.filename}' is encrypted"))
        by_name.setdefault(info.filename, info)
    if problems:
        raise ContentError(problems)
    return by_name


def read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, what: str) -> bytes:
    if info.file_size > cap:
        raise unreadable(path, over_limit(what, info.file_size, cap, what))
    try:
        with archive.open(info) as member:
            return member.read()
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise unreadable(path, f"{what} is damaged ({error})", "download or export it again") from error


def read_meta(path: Path, archive, infos, limits: Limits) -> int | None:
    if "meta" not in infos:
        return None
    raw = read_member(path, archive, infos["meta"], limits.max_map, "the package's 'meta'")
    version = protobuf_varint_field(raw, 1)
    if version is None:
        raise unreadable(path, "the package's 'meta' is damaged", "download or export it again")
    if version not in COLLECTIONS:
        raise unreadable(path, f"made by a newer Anki (package version {version}) than deckbuilder reads",
                         TOO_NEW_HINT)
    return version


def protobuf_varint_field(data: bytes, wanted: int) -> int | None:
    """Field `wanted` of a protobuf message if it is a number (0 if absent, as protobuf has it); None if the
    message is damaged. PackageMetadata is one number: reading it needs no protobuf library."""
    position, found = 0, 0

    def varint() -> int:
        nonlocal position
        value = shift = 0
        while True:
            byte = data[position]
            position += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    try:
        while position < len(data):
            key = varint()
            number, wire = key >> 3, key & 7
            if wire == 0:
                value = varint()
                found = value if number == wanted else found
            elif wire == 2:
                position += varint()
            elif wire in (1, 5):
                position += 8 if wire == 1 else 4
            else:
                return None
    except IndexError:
        return None
    return found if position == len(data) else None


def collection_member(path: Path, meta_version: int | None, infos) -> str:
    """The collection file Anki reads (meta.rs MetaExt::from_archive)."""
    if meta_version is not None:
        member = COLLECTIONS[meta_version]
    elif "collection.anki21b" in infos:
        # Anki would take it for a legacy package and read only the placeholder collection.anki2
        raise unreadable(path, "the package is damaged: it holds collection.anki21b but no 'meta'",
                         "export it from Anki again")
    else:
        member = "collection.anki21" if "collection.anki21" in infos else "collection.anki2"
    if member not in infos:
        if meta_version is None:
            raise unreadable(path, "not an Anki package: the zip holds no collection (collection.anki2 or "
                                   "collection.anki21)", "export the deck from Anki with File > Export")
        raise unreadable(path, f"the package is damaged: its 'meta' names {member}, which it does not hold")
    return member


def check_sizes(path: Path, infos: dict[str, zipfile.ZipInfo], collection: zipfile.ZipInfo,
                media: list[MediaEntry], compressed: bool, limits: Limits) -> None:
    """Refuse a collection or media total over the limits, as declared, before anything is decompressed (a
    zstd collection is capped while it streams instead: its frames carry no size)."""
    problems = []
    if not compressed and collection.file_size > limits.max_collection:
        problems.append(problem(path, over_limit(collection.filename, collection.file_size, limits.max_collection,
                                                 "a collection")))
    # Every zip member as declared, and in version 3 the media files as their map declares them.
    total = sum(info.file_size for info in infos.values()) + (sum(entry.size for entry in media) if compressed else 0)
    if total > limits.max_total:
        problems.append(problem(path, over_limit("the package", total, limits.max_total, "a whole package")))
    if problems:
        raise ContentError(problems)


def media_entries(path: Path, archive, infos, compressed: bool, limits: Limits):
    """The media map's entries that can be read, and warnings for those that cannot; ContentError for names
    that could leave the output folder and files over the size limit."""
    if "media" not in infos:
        return [], []  # old AnkiDroid packages have no media map
    raw = read_member(path, archive, infos["media"], limits.max_map, "the media map")
    listed = modern_map(path, raw, limits) if compressed else legacy_map(path, raw, infos)
    entries, warnings, problems = [], [], []
    seen: set[str] = set()
    for member, name, size, sha1 in listed:
        trouble = media_trouble(path, member, name, size, compressed, limits)
        if isinstance(trouble, Problem):
            problems.append(trouble)
        elif member not in infos:
            warnings.append(f"media file '{name}' is missing from the package (its media map names zip file "
                            f"'{member}', which is not there): left out")
        elif name in seen:
            warnings.append(f"media file '{name}' is in the media map twice: the first one is kept")
        else:
            warnings += [trouble] if trouble else []
            seen.add(name)
            entries.append(MediaEntry(member, name, size if compressed else infos[member].file_size, sha1))
    if problems:
        raise ContentError(problems)
    return entries, warnings


def media_trouble(path: Path, member: str, name: str, size: int | None, compressed: bool,
                  limits: Limits) -> Problem | str | None:
    """A problem that refuses the package, a warning, or None for a media entry."""
    reason = unsafe_reason(name)
    if reason:
        return problem(path, f"media file name {name!r} {reason}: it could be written outside the deck's folder",
                       "Anki refuses such a package too; use the deck's original package")
    normal = anki_name(name)
    if normal != name and compressed:
        return problem(path, f"media file name {name!r} is not one Anki writes (it would be {normal!r})",
                       "Anki refuses such a package too; export it from Anki again")
    if size is not None and size > limits.max_media_file:
        return problem(path, over_limit(f"media file '{name}'", size, limits.max_media_file, "one media file"))
    if normal != name:
        return f"media file '{name}': Anki stores it as '{normal}' when it imports this package; kept as '{name}'"
    return None


def legacy_map(path: Path, raw: bytes, infos) -> list[tuple[str, str, int | None, None]]:
    """(member, name, size, sha1) from a JSON map; sizes from the zip's central directory."""
    try:
        mapping = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise unreadable(path, f"the media map is damaged (not JSON: {error})") from error
    if not isinstance(mapping, dict) or not all(isinstance(name, str) for name in mapping.values()):
        raise unreadable(path, "the media map is damaged (not a JSON object of file names)")
    if not all(member.isascii() and member.isdigit() for member in mapping):
        raise unreadable(path, "the media map is damaged (a zip file name that is not a number)")
    ordered = sorted(mapping.items(), key=lambda item: int(item[0]))
    return [(member, name, infos[member].file_size if member in infos else None, None) for member, name in ordered]


def modern_map(path: Path, raw: bytes, limits: Limits) -> list[tuple[str, str, int, str]]:
    """(member, name, size, sha1) from a version-3 map: zstd protobuf; an entry's position is its member."""
    from deckbuilder.importing.modern import media_map

    return media_map(path, raw, limits)
