"""Media a field refers to: found in the rendered HTML, resolved beside the card file, named for the package."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

SRC_ATTRIBUTE = re.compile(r"""(<(?:img|audio|video|source)\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)
SOUND_TAG = re.compile(r"\[sound:([^\]]+)\]")
REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


@dataclass(frozen=True)
class MediaFile:
    """A file to put in the package under `name`: Anki keeps media in one flat folder."""

    name: str
    path: Path


def packaged_name(path: Path) -> str:
    """The file's name plus a hash of its content: unique in a package and in the user's media folder,
    and a changed image gets a new name, so the notes showing it update."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return f"{path.stem}-{digest}{path.suffix}"


def link_media(html: str, folder: Path) -> tuple[str, list[MediaFile], list[str]]:
    """Rewrite local media references to packaged names; returns the HTML, the files and the problems."""
    files: list[MediaFile] = []
    problems: list[str] = []

    def packaged(reference: str) -> str | None:
        if REMOTE.match(reference):
            return None
        path = folder / unquote(reference)
        if not path.exists():
            problems.append(f"media file '{reference}' not found (looked for {path})")
        elif not path.is_file():
            problems.append(f"media '{reference}' is not a file")
        else:
            files.append(MediaFile(packaged_name(path), path))
            return files[-1].name
        return None

    def replace_src(match: re.Match) -> str:
        name = packaged(match.group(3))
        return match.group(0) if name is None else f"{match.group(1)}{match.group(2)}{name}{match.group(2)}"

    def replace_sound(match: re.Match) -> str:
        name = packaged(match.group(1))
        return match.group(0) if name is None else f"[sound:{name}]"

    html = SRC_ATTRIBUTE.sub(replace_src, html)
    html = SOUND_TAG.sub(replace_sound, html)
    return html, files, problems
