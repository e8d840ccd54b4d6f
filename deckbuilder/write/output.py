"""Writing a build's files: packages into the output folder, lock files beside the cards; whole or not at all.

Every file is first written beside its place and renamed in only once all are written, so a failed build
leaves every package and lock file as it was. Builds into one folder take turns.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from deckbuilder.compiler.note import CompiledDeck, DeckTotals
from deckbuilder.lock.records import Lock, lock_text
from deckbuilder.lock.release import Release
from deckbuilder.problems import OutputError, display_path
from deckbuilder.write.atomic import leftovers_of, stage, sync_folder, temporary_beside
from deckbuilder.write.package import write_package_file

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
NOT_ALLOWED = {errno.EACCES, errno.EPERM, errno.EROFS}


@dataclass(frozen=True)
class Written:
    """One file a command wrote for a deck (a package, a preview), or found already up to date (`unchanged`)."""

    deck: CompiledDeck | DeckTotals
    path: Path
    unchanged: bool = False
    retired: int = 0  # of the deck's notes, those removed from the source


def package_path(output: Path, deck_key: str) -> Path:
    return output / f"{deck_key}.apkg"


@contextmanager
def writable_output(output: Path) -> Iterator[int]:
    """The output folder, made if need be and locked against other builds (the lock goes with the process,
    however it ends), cleared of killed builds' files. Yields the lock's descriptor, which worker processes
    must not keep (a worker holding it would keep the next build waiting)."""
    with ExitStack() as stack:
        try:
            output.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(output, os.O_RDONLY)
            stack.callback(os.close, descriptor)
            if fcntl is not None:  # Windows has no flock; its renames replace a file whole all the same
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            remove_leftovers(output)
        except OSError as error:
            raise OutputError(f"cannot write to {display_path(output)}/: {reason(error)} "
                              f"({what_to_do(error)})") from error
        yield descriptor


def remove_leftovers(output: Path) -> None:
    """Remove the temporary files of builds that were killed; call it holding the folder's lock."""
    for path in output.glob(".*.apkg.*.tmp"):
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


@contextmanager
def package_temporaries(targets: list[Path]) -> Iterator[list[Path]]:
    """An empty temporary file beside each package's place, for it to be written into; removed afterwards
    unless installed."""
    with ExitStack() as stack:
        files = []
        for target in targets:
            try:
                files.append(stack.enter_context(temporary_beside(target)))
            except OSError as error:
                raise cannot_write(target, error) from error
        yield files


def write_package(release: Release, target: Path, temporary: Path) -> None:
    """A release's package, written whole to `temporary`; a failure is an OutputError naming `target`."""
    try:
        write_package_file(release, target, temporary)
    except (OSError, sqlite3.Error) as error:
        raise cannot_write(target, error) from error


def install(temporaries: list[Path], targets: list[Path]) -> None:
    """Rename every written package into its place: only once all are written."""
    for temporary, target in zip(temporaries, targets):
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise cannot_write(target, error) from error
    for folder in dict.fromkeys(target.parent for target in targets):
        sync_folder(folder)  # the renames survive a power cut, not only a crash


def cannot_write(target: Path, error: Exception) -> OutputError:
    return OutputError(f"cannot write {display_path(target)}: {reason(error)} "
                       f"({what_to_do(error)}; any package already there is unchanged)")


def reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def what_to_do(error: Exception) -> str:
    """The likely way out: a full disk needs space, a protected folder another folder."""
    if isinstance(error, sqlite3.Error) or getattr(error, "errno", None) in NO_SPACE:
        return "free some disk space, or write elsewhere with -o"
    if getattr(error, "errno", None) in NOT_ALLOWED:
        return "choose a folder you can write to with -o"
    return "check the output folder, or write elsewhere with -o"


def changed_lock_text(lock: Lock, path: Path) -> bytes | None:
    """The lock file's new bytes, or None if the file at `path` already holds them."""
    text = lock_text(lock).encode("utf-8")
    return None if path.is_file() and path.read_bytes() == text else text


@contextmanager
def staged_locks(locks: list[tuple[Lock, Path]]) -> Iterator[None]:
    """Each changed lock file written beside its place first, renamed into place when the block succeeds:
    a lock file that cannot be written stops the build before any package is, and a failed build leaves
    every lock file as it was. An unchanged lock file is not touched, its time included."""
    staged: list[tuple[Path, Path]] = []
    try:
        for lock, path in locks:
            try:
                for leftover in leftovers_of(path):  # of a build that was killed
                    leftover.unlink(missing_ok=True)
                text = changed_lock_text(lock, path)
                if text is not None:
                    staged.append((stage(path, text), path))
            except OSError as error:
                raise OutputError(f"cannot write {display_path(path)}: {reason(error)} (the lock file sits beside "
                                  "the card files: make that folder writable or free some space; nothing was "
                                  "written)") from error
        yield
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
