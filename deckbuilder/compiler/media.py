"""Media a field refers to: found in the rendered HTML, resolved beside the card file, named for the package.

A reference may only name a regular file inside the deck's folder (the folder of its main file), after
following symbolic links: a card file cannot make deckbuilder read, or put in a package, anything else.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote

from deckbuilder.source.files import NotRegularFile, open_regular
from deckbuilder.problems import display_path

SRC_ATTRIBUTE = re.compile(r"""(<(?:img|audio|video|source)\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)
SOUND_TAG = re.compile(r"\[sound:([^\]]+)\]")
REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")
SIMILAR_NAME = 0.6  # difflib's ratio from which a file name is taken for a misspelling of another


@dataclass(frozen=True)
class MediaFile:
    """A file to put in the package under `name`: Anki keeps media in one flat folder. Either a file of the
    deck (`path`) or one deckbuilder made (`content`: the map)."""

    name: str
    path: Path | None
    content: bytes | None = None
    digest: str = ""  # of a file of the deck: media_digest of its content


@dataclass(frozen=True)
class MediaProblem:
    message: str
    hint: str


def packaged_name(path: Path, digest: str) -> str:
    """The file's name plus a hash of its content: unique in a package and in the user's media folder,
    and a changed image gets a new name, so the notes showing it update."""
    return f"{path.stem}-{digest[:10]}{path.suffix}"


def media_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def kept_media(media: list[MediaFile]) -> tuple[tuple[str, str], ...]:
    """(name, content hash) of files of the deck named under their own names (by a note's HTML fields, by the
    note types' templates), once each, sorted: what the lock file records of them."""
    return tuple(sorted({(file.name, file.digest[:32]) for file in media if file.path is not None}))


def resolve_media(reference: str, folder: Path, root: Path) -> tuple[MediaFile | None, MediaProblem | None]:
    """The media file a local reference names, or why it cannot be used."""
    name = unquote(reference)
    if "\0" in name:
        return None, MediaProblem(f"media path '{reference}' is not a valid file name", "")
    if os.path.isabs(name) or PureWindowsPath(name).drive:
        return None, MediaProblem(f"media path '{reference}' is absolute",
                                  "give a path relative to the card file, inside the deck's folder")
    path = folder / name
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        near = similar_file(name, folder, root)
        return None, MediaProblem(f"media file '{reference}' not found", f"looked for {display_path(path)}; " + (
            f"did you mean '{near}'?" if near else "media paths are relative to the card file"))
    except (OSError, RuntimeError) as error:  # a link loop, a name too long
        return None, MediaProblem(f"media file '{reference}' cannot be used: {getattr(error, 'strerror', error)}", "")
    outside = outside_problem(reference, path, real, root)
    if outside:
        return None, outside
    try:
        digest = media_digest(real)
        return MediaFile(packaged_name(real, digest), real, digest=digest), None
    except NotRegularFile as error:
        if error.kind == "a folder":
            return None, MediaProblem(f"media path '{reference}' is a folder, not a file", "name a file inside it")
        return None, MediaProblem(f"media file '{reference}' is {error.kind}, not a regular file",
                                  "media must be ordinary files")
    except OSError as error:
        return None, MediaProblem(f"media file '{reference}' cannot be read: {error.strerror}",
                                  "check that the file is readable")


def similar_file(name: str, folder: Path, root: Path) -> str | None:
    """The file in the deck's folder a missing reference most likely meant, as the card would refer to it: of
    the same kind (suffix) and a close name (a typo, another case, another folder), or of the same name and
    another kind (.jpg for .png)."""
    wanted = PurePosixPath(name.lower())
    candidates = sorted(Path(os.path.relpath(path, folder)).as_posix() for path in root.rglob("*") if path.is_file())

    def likeness(candidate: str) -> tuple[float, float]:
        found = PurePosixPath(candidate.lower())
        if found.stem == wanted.stem:
            return 1.0, similarity(name, candidate)
        same_kind = found.suffix == wanted.suffix
        return (similarity(wanted.name, found.name) if same_kind else 0.0), similarity(name, candidate)

    best = max(candidates, key=likeness, default=None)
    return best if best is not None and likeness(best)[0] >= SIMILAR_NAME else None


def similarity(one: str, other: str) -> float:
    return difflib.SequenceMatcher(None, one.lower(), other.lower()).ratio()


def outside_problem(reference: str, path: Path, real: Path, root: Path) -> MediaProblem | None:
    """A reference that leads out of the deck's folder, by '../' or through a symbolic link."""
    real_root = root.resolve()
    if real.is_relative_to(real_root):
        return None
    written = Path(os.path.normpath(os.path.abspath(path)))
    if written.is_relative_to(os.path.abspath(root)) or written.is_relative_to(real_root):
        return MediaProblem(f"media file '{reference}' is a link to a file outside the deck's folder",
                            "copy the file into the deck's folder instead of linking to it")
    return MediaProblem(f"media path '{reference}' leads outside the deck's folder",
                        f"media must be in {display_path(root)}/, the folder of the deck's main file, or below it")


def link_media(html: str, folder: Path, root: Path, keep_names: bool = False,
               missing: frozenset[str] = frozenset()) -> tuple[str, list[MediaFile], list[MediaProblem]]:
    """Rewrite local media references to packaged names; returns the HTML, the files and the problems. With
    `keep_names`, references stay as written: each names a file beside the card file, packaged under its name,
    or one of the `missing` names, which need no file (packaged if there is one)."""
    files: list[MediaFile] = []
    problems: list[MediaProblem] = []

    def packaged(reference: str) -> str | None:
        if REMOTE.match(reference):
            return None
        excused = keep_names and (reference in missing or unquote(reference) in missing)
        if keep_names and ("/" in reference or "\\" in reference):
            if not excused:
                problems.append(MediaProblem(f"media path '{reference}' names a folder",
                                             "a field kept as HTML names a media file as Anki's media folder does: "
                                             "put the file beside the card file and give its name alone"))
            return None
        file, problem = resolve_media(reference, folder, root)
        if problem:
            if not excused:
                problems.append(problem)
            return None
        # Anki decodes a src attribute: the file is in its media folder under the decoded name
        files.append(MediaFile(unquote(reference), file.path, digest=file.digest) if keep_names else file)
        return None if keep_names else file.name

    def replace_src(match: re.Match) -> str:
        name = packaged(match.group(3))
        return match.group(0) if name is None else f"{match.group(1)}{match.group(2)}{name}{match.group(2)}"

    def replace_sound(match: re.Match) -> str:
        name = packaged(match.group(1))
        return match.group(0) if name is None else f"[sound:{name}]"

    html = SRC_ATTRIBUTE.sub(replace_src, html)
    html = SOUND_TAG.sub(replace_sound, html)
    return html, files, problems
