"""zstd, as packages from Anki 2.1.50 on compress their collection, media map and media files: decompressed as a
stream with a cap on the output, because Anki writes frames without their size.

Reading such a package needs deckbuilder's `anki` extra (`pip install 'deckbuilder[anki]'`): a zstd decoder
(`zstandard`) and Anki's own protobuf definitions (`anki`). Legacy packages need neither.
"""

from __future__ import annotations

import importlib
from typing import BinaryIO

EXTRA_HINT = ("pip install 'deckbuilder[anki]', or export the deck from Anki with "
              "'Support older Anki versions' ticked")
# Input is fed in small pieces: a zstd block can expand about 32,000-fold (a 4-byte RLE block makes 128 KiB),
# so one piece yields at most about 32 MiB, whatever the data.
PIECE = 1024


class ZstdError(Exception):
    """The zstd data is damaged, cut short, or decompresses to more than allowed: the message says which, as a
    predicate ('is cut short …') for the caller to put after what it was reading."""


class MissingExtra(Exception):
    """A module of the `anki` extra is not installed; the message names it."""


def modern_modules():
    """The zstandard module and Anki's protobuf modules, or MissingExtra naming what is missing."""
    missing = []
    modules = {}
    for name in ("zstandard", "anki.import_export_pb2", "anki.notetypes_pb2", "anki.decks_pb2"):
        try:
            modules[name] = importlib.import_module(name)
        except ImportError:
            missing.append(name.split(".")[0])
    if missing:
        raise MissingExtra(" and ".join(dict.fromkeys(missing)))
    return modules


def copy(source: BinaryIO, target: BinaryIO, cap: int) -> int:
    """Decompress zstd frames from source into target; ZstdError past `cap` bytes of output, or if the data is
    damaged or ends inside a frame. Returns the size written."""
    import zstandard

    decompressor, total, pending = zstandard.ZstdDecompressor().decompressobj(), 0, b""
    while True:
        piece = pending or source.read(PIECE)
        pending = b""
        if not piece:
            break
        try:
            out = decompressor.decompress(piece)
        except zstandard.ZstdError as error:
            raise ZstdError(f"is damaged ({error})") from error
        total += len(out)
        if total > cap:
            raise ZstdError(f"decompresses to more than {cap:,} bytes")
        target.write(out)
        if decompressor.eof:  # a frame ended; another may follow
            pending = decompressor.unused_data or source.read(PIECE)
            if not pending:
                return total
            decompressor = zstandard.ZstdDecompressor().decompressobj()
    if not decompressor.eof:
        raise ZstdError("is cut short (its zstd data ends early)")
    return total


def decompress(data: bytes, cap: int) -> bytes:
    import io

    out = io.BytesIO()
    copy(io.BytesIO(data), out, cap)
    return out.getvalue()
