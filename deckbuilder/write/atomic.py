"""Files written whole or not at all: the one way deckbuilder writes a file that someone may be reading.

The data goes to a hidden temporary file beside the target (`.<name>.<random>.tmp`), is synced, and is
renamed onto the target: a reader, a crash or a `kill -9` sees the old file or the new one, never a part.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def default_mode() -> int:
    """The permissions a new file gets from the umask (mkstemp makes its files private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def temporary_path(target: Path) -> Path:
    """A new, empty hidden file beside `target`, named so that leftovers_of(target) finds it."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    return Path(name)


def leftovers_of(target: Path) -> list[Path]:
    """The temporary files of writes to `target` that a killed process left behind."""
    return [path for path in target.parent.glob(f".{target.name}.*.tmp") if path.is_file() and not path.is_symlink()]


@contextmanager
def temporary_beside(target: Path) -> Iterator[Path]:
    """An empty hidden file beside `target` (on its file system, so it can be renamed onto it), removed
    afterwards unless it was renamed."""
    path = temporary_path(target)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def stage(path: Path, data: bytes, durable: bool = True) -> Path:
    """`data` in a new hidden file beside `path`, synced unless not `durable`, with the permissions `path` has
    or would get: renamed onto `path`, it replaces it whole."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = default_mode()
    temporary = temporary_path(path)
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace (or create) `path` with `data`; an existing file keeps its permissions. Not `durable`: not
    synced (a cache file, which a power cut may lose)."""
    temporary = stage(path, data, durable)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def copy_atomically(source: Path, target: Path) -> None:
    """Copy a file (a picture for the preview page) into place whole, streamed: media can be large."""
    temporary = temporary_path(target)
    try:
        shutil.copyfile(source, temporary)
        os.chmod(temporary, default_mode())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def sync_folder(folder: Path) -> None:
    """Make a rename in the folder survive a power cut, not only a crash of this process."""
    if hasattr(os, "O_DIRECTORY"):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
