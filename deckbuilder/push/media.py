"""The media a package holds, beside what the running Anki's media folder holds.

Anki's importer copies a package's media file only when a note it imports (adds or updates) uses it, and
never replaces a file whose name starts with `_` or `latex-`. So a file the deck's notes use that went
missing from Anki's media folder (deleted by hand, by Tools > Check Media, lost by a sync) would never come
back: `restore_media` stores each file of the package whose name Anki's media folder lacks, and only those,
never replacing a file Anki has (it may be another deck's, of the same name).

When the package holds a file under a name Anki has with other bytes, the importer stores it as
`<stem>-<sha1 of its bytes>.<ext>` and rewrites the references of the notes it imports: `read_back` turns
such a name back into the package's, so a note is compared with the package as it was built.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from deckbuilder.push.ankiconnect import AnkiConnect
from deckbuilder.push.contents import Content

MEDIA_MAP = "media"  # the package's JSON of zip member → media file name (genanki writes the legacy format)
ANKI_NAME_BYTES = 120  # Anki's longest media file name (MAX_MEDIA_FILENAME_LENGTH), in UTF-8 bytes
EXTENSION_BYTES = 10  # Anki keeps at most this much of an extension when it adds a hash to a name
HASHED = re.compile(r"-([0-9a-f]{40})\.")  # the hash Anki puts into a renamed file's name


@dataclass
class PackageMedia:
    """A package's media files by name, as Anki names them (Unicode NFC, as its importer normalizes them)."""

    path: Path
    members: dict[str, str]  # name → zip member
    digests: dict[str, str] = field(default_factory=dict)  # name → SHA-1, of the files hashed so far

    @classmethod
    def read(cls, path: Path) -> "PackageMedia":
        with zipfile.ZipFile(path) as archive:
            listed = json.loads(archive.read(MEDIA_MAP)) if MEDIA_MAP in archive.namelist() else {}
        return cls(path, {unicodedata.normalize("NFC", name): member for member, name in listed.items()})

    def sha1(self, name: str) -> str:
        """The SHA-1 of the file's bytes, as Anki puts it in a renamed file's name; read once, when first asked."""
        if name not in self.digests:
            digest = hashlib.sha1()
            with zipfile.ZipFile(self.path) as archive, archive.open(self.members[name]) as file:
                for chunk in iter(lambda: file.read(1 << 20), b""):
                    digest.update(chunk)
            self.digests[name] = digest.hexdigest()
        return self.digests[name]


def missing_from_anki(anki: AnkiConnect, media: PackageMedia) -> list[str]:
    """The package's media names Anki's media folder lacks, asked of Anki: the names it holds, never their
    bytes. All of them in one call: 45 ms for 10,000 files here, where asking for each name (in one `multi`)
    takes 0.12 ms a name, as AnkiConnect looks up every action anew. A pattern of `*` leaves out names starting
    with a dot; those are asked for only if the package has one."""
    if not media.members:
        return []
    patterns = ["*", ".*"] if any(name.startswith(".") for name in media.members) else ["*"]
    held = {unicodedata.normalize("NFC", name) for pattern in patterns
            for name in anki.call("getMediaFilesNames", pattern=pattern)}
    return [name for name in media.members if name not in held]


def restore_media(anki: AnkiConnect, media: PackageMedia, scratch: Path) -> int:
    """Store in Anki's media folder each file of the package whose name it lacks, with the package's bytes;
    how many Anki stored under that name. The files go through `scratch` (a folder of this machine, which
    Anki reads from: it runs here), and Anki is told to keep whatever it holds (deleteExisting false): a file
    it has under that name after all it keeps, and stores these bytes under a name of its own."""
    missing = missing_from_anki(anki, media)
    if not missing:
        return 0
    folder = scratch / "media"
    folder.mkdir()
    stores = []
    with zipfile.ZipFile(media.path) as archive:
        for number, name in enumerate(missing):
            path = folder / str(number)  # the file's own name may not suit this machine's file system
            with archive.open(media.members[name]) as source, open(path, "wb") as target:
                shutil.copyfileobj(source, target)
            stores.append({"filename": name, "path": str(path.resolve()), "deleteExisting": False})
    stored = anki.call_each("storeMediaFile", stores)
    return sum(result == store["filename"] for result, store in zip(stored, stores))


def read_back(content: Content, media: PackageMedia) -> Content:
    """The note with each media name Anki's importer gave a file of the package (its name with the SHA-1 of
    its bytes) read back as the package's name, when that SHA-1 is the package's file's."""
    fields = tuple((name, read_back_text(text, media)) for name, text in content.fields)
    return content._replace(fields=fields)


def read_back_text(text: str, media: PackageMedia) -> str:
    for digest in set(HASHED.findall(text)):
        for name in media.members:
            renamed = hashed_name(name, digest)
            if renamed in text and media.sha1(name) == digest:
                text = text.replace(renamed, name)
    return text


def hashed_name(name: str, digest: str) -> str:
    """The name Anki gives a file it imports under `name` when it holds another file of that name
    (rslib's add_hash_suffix_to_file_stem): the stem and extension cut to fit, then the hash."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    extension = cut(extension, EXTENSION_BYTES)
    stem = cut(stem, ANKI_NAME_BYTES - len(digest) - 1 - len(extension.encode()) - 2)
    return f"{stem}-{digest}.{extension}"


def cut(text: str, most: int) -> str:
    """`text` cut to at most `most` UTF-8 bytes, at a character's end."""
    return text.encode()[:most].decode("utf-8", "ignore")
