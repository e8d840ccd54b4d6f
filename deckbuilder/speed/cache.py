"""What earlier builds into an output folder already worked out, so a rebuild redoes only what changed.

Kept in `<output>/.deckbuilder-cache/`, never needed: a missing, damaged or foreign cache only makes a
build slower. Every key includes a fingerprint of deckbuilder's own code, so a new version never reads
an old version's results. What is kept:
- per card file content: the file's checked part and its problems, so an unchanged file is not parsed;
- per deck: the inputs, media, package and lock file of its last build, so an unchanged deck is not rebuilt;
- per deck: its compiled notes, so an edit recompiles only the cards that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from deckbuilder.source.files import NotRegularFile, open_regular
from deckbuilder.source.load import MAX_FILE_BYTES
from deckbuilder.speed.memo import NoteMemo
from deckbuilder.write.atomic import write_atomically

FOLDER = ".deckbuilder-cache"
PROTOCOL = pickle.HIGHEST_PROTOCOL


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of deckbuilder's own files and the Python and libyaml in use."""
    import yaml

    digest = hashlib.sha256(f"{sys.version}|{getattr(yaml, '__with_libyaml__', False)}".encode())
    package = Path(__file__).parent.parent  # the whole deckbuilder package
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def file_digest(path: Path, shown: str) -> str | None:
    """The key of a card file's content as read from `path` and shown as `shown`; None if it can't be read."""
    try:
        with open_regular(path) as file:
            if os.fstat(file.fileno()).st_size > MAX_FILE_BYTES:
                return None
            data = file.read()
    except (OSError, NotRegularFile):
        return None  # load_file reports why, every time
    digest = hashlib.sha256(f"{code_fingerprint()}|{shown}|{path.resolve()}|".encode())
    digest.update(data)
    return digest.hexdigest()


def media_state(path: Path) -> list:
    try:
        status = path.stat()
    except OSError:
        return []
    return [status.st_size, status.st_mtime_ns]


@dataclass
class DeckRecord:
    """A deck as its last successful build left it."""

    inputs: list[str]  # digests of its card files, in order
    media: dict[str, list]  # media path → [size, mtime_ns] when packaged
    package: list  # [size, mtime_ns] of the package written
    epoch: str | None  # SOURCE_DATE_EPOCH of that build
    lock: list  # [path, [size, mtime_ns]] of the lock file as it left it
    name: str
    notes: int
    cards: int
    retired: int


@dataclass
class BuildCache:
    """The cache of one output folder; `folder` None turns it off."""

    folder: Path | None
    index: dict[str, str | None] = field(default_factory=dict)  # file digest → its deck key

    @classmethod
    def of(cls, output: Path | None) -> "BuildCache":
        cache = cls(output / FOLDER if output is not None else None)
        cache.index = cache.read_json("index.json") or {}
        return cache

    def part(self, digest: str | None):
        """The (part, problems) checked from a file of this digest, if a build kept them."""
        return self.read_pickle(f"parts/{digest}.pickle") if digest else None

    def keep_part(self, digest: str | None, part, problems, pickled: bytes | None = None) -> None:
        """Keep what a file of this digest checked to; `pickled`: (part, problems) already pickled."""
        if digest:
            self.write_bytes(f"parts/{digest}.pickle", pickled or pickle.dumps((part, problems), PROTOCOL))
            self.index[digest] = part.deck_key if part is not None else None

    def unchanged(self, key: str, inputs: list[str], package: Path) -> DeckRecord | None:
        """The record of deck `key` if its files, media and package are just as its last build left them."""
        data = self.read_json(f"decks/{key}.json")
        record = DeckRecord(**data) if isinstance(data, dict) and data.keys() == DeckRecord.__annotations__.keys() \
            else None
        if record is None or record.inputs != inputs or record.epoch != os.environ.get("SOURCE_DATE_EPOCH"):
            return None
        if media_state(package) != record.package or media_state(Path(record.lock[0])) != record.lock[1]:
            return None
        return record if all(media_state(Path(path)) == state for path, state in record.media.items()) else None

    def keep_deck(self, key: str, inputs: list[str], release, package: Path, lock: Path) -> None:
        compiled = release.deck
        files = {str(m.path): media_state(m.path) for m in compiled.media if m.path is not None}  # not the map
        record = DeckRecord(inputs, files, media_state(package),
                            os.environ.get("SOURCE_DATE_EPOCH"), [str(lock), media_state(lock)], compiled.name,
                            len(compiled.notes), compiled.card_count, release.retired_count)
        self.write_json(f"decks/{key}.json", record.__dict__)

    def notes(self, key: str):
        """The notes deck `key` compiled last time, ready to be looked up."""
        kept = self.read_pickle(f"notes/{key}.pickle")
        # Notes another deckbuilder version compiled may be wrong for this one (other HTML, other fields).
        fresh = isinstance(kept, tuple) and len(kept) == 2 and kept[0] == code_fingerprint()
        return NoteMemo(kept[1] if fresh and isinstance(kept[1], dict) else {})

    def pickled_notes(self, memo) -> bytes | None:
        """A deck's notes as keep_notes keeps them (a build pickles them while its packages are written)."""
        return pickle.dumps((code_fingerprint(), memo.used), PROTOCOL) if self.folder is not None else None

    def keep_notes(self, key: str, pickled: bytes | None) -> None:
        if pickled is not None:
            self.write_bytes(f"notes/{key}.pickle", pickled)

    def save_index(self, live: set[str]) -> None:
        """Keep the index (and the parts) of the files this build saw; forget the rest."""
        if self.folder is None:
            return
        for path in (self.folder / "parts").glob("*.pickle"):
            if path.stem not in live:
                path.unlink(missing_ok=True)
        for path in self.folder.rglob(".*.tmp"):  # left by a build that was killed while writing here
            path.unlink(missing_ok=True)
        self.write_json("index.json", {digest: key for digest, key in self.index.items() if digest in live})

    def read_json(self, name: str):
        raw = self.read_bytes(name)
        try:
            return json.loads(raw) if raw is not None else None
        except ValueError:
            return None

    def read_pickle(self, name: str):
        raw = self.read_bytes(name)
        try:
            # Only deckbuilder writes this folder, inside the user's own output folder.
            return pickle.loads(raw) if raw is not None else None
        except Exception:  # a damaged or foreign file is a cache miss, never a failed build
            return None

    def read_bytes(self, name: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def write_json(self, name: str, data) -> None:
        self.write_bytes(name, json.dumps(data, sort_keys=True).encode())

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write whole or not at all; a cache that cannot be written is simply not kept."""
        if self.folder is None:
            return
        target = self.folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, data, durable=False)  # a cache lost in a power cut only costs time
        except OSError:
            pass
