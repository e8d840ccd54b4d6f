"""Media file names from a foreign deck: which ones could lead out of the output folder, and what Anki makes of
the others.

Anki keeps media in one flat folder, and its importer refuses a whole package when one name in its media map is
not a single plain file name (rslib io filename_is_safe: `../x`, `/etc/x`, `sub/x`); packages from Anki 2.1.50
on must also hold names already in Anki's normal form (media/files.rs normalize_filename), and older ones are
normalised on import. deckbuilder refuses what Anki refuses, and also names with a backslash, a drive letter,
NUL or another control character, which Anki strips on Linux but which lead elsewhere (or nowhere) on another
system or in a terminal: no name that could leave the output folder ever reaches the writer.
"""

from __future__ import annotations

import re
import unicodedata

# Characters Anki removes from media names (media/files.rs disallowed_char), control characters aside.
DISALLOWED = set('[]<>:"/?*^\\|')
WINDOWS_DEVICE = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\.|$)", re.IGNORECASE)
WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
MAX_NAME_BYTES = 120  # Anki's MAX_MEDIA_FILENAME_LENGTH


def unsafe_reason(name: str) -> str | None:
    """Why this name cannot be a file in the output folder, or None if it can."""
    if not name:
        return "is empty"
    if name.startswith(("/", "\\")) or WINDOWS_DRIVE.match(name):
        return "is an absolute path"
    if name in (".", ".."):
        return "names a folder"
    if ".." in re.split(r"[/\\]", name):
        return "leads to the parent folder ('..')"
    if "/" in name or "\\" in name:
        return "holds a path separator"
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in name):
        return "holds a control character"
    return None


def is_disallowed(character: str) -> bool:
    return (character in DISALLOWED or ord(character) < 0x20 or ord(character) == 0x7F
            or unicodedata.category(character) == "Cn")


def anki_name(name: str) -> str:
    """The name Anki stores a media file under (media/files.rs normalize_filename): NFC, problem characters
    removed, no-break spaces made spaces, Windows device names and a trailing space or dot given a '_', at
    most 120 bytes."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(character for character in name if not is_disallowed(character)).replace("\u00a0", " ")
    name = WINDOWS_DEVICE.sub(r"\1_\2", name)
    if name.endswith((" ", ".")):
        name += "_"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = truncated(name)
    return name


def truncated(name: str) -> str:
    """Anki's truncate_filename: the extension cut to 10 bytes, the stem to what leaves room for it."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = cut_bytes(extension, 10)
    stem = cut_bytes(stem, MAX_NAME_BYTES - len(extension.encode("utf-8")) - 2)
    result = f"{stem}.{extension}" if extension else stem
    return result + "_" if result.endswith((" ", ".")) else result


def cut_bytes(text: str, limit: int) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")
