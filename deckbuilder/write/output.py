"""Writing a build's files: packages into the output folder, lock files beside the cards; whole or not at all."""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator

from deckbuilder.speed import parallel
from deckbuilder.lock.records import Lock, lock_text
from deckbuilder.write.package import output_lock, remove_leftovers, sync_folder, temporary_file, write_package_file
from deckbuilder.speed.parallel import started
from deckbuilder.problems import OutputError, WorkerLost, display_path
from deckbuilder.progress import Progress
from deckbuilder.lock.release import Release
from deckbuilder.write.atomic import stage

PARALLEL_WRITE_NOTES = 2000  # a smaller package is written before a worker would have started
NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
NOT_ALLOWED = {errno.EACCES, errno.EPERM, errno.EROFS}


def package_path(output: Path, deck_key: str) -> Path:
    return output / f"{deck_key}.apkg"


@contextmanager
def packages_written(releases: list[Release], output: Path, jobs: int) -> Iterator[Callable[[Progress], list[Path]]]:
    """Each release's package, begun at once in up to `jobs` worker processes if there are several or a big one
    (else in the block's `install`), each written beside its place: the block can stage the lock files
    meanwhile. `install(progress)` waits for each package and renames it into place; a failed build leaves
    every package as it was."""
    targets = [package_path(output, item.deck.key) for item in releases]
    if len(releases) < 2 and sum(len(item.deck.notes) for item in releases) < PARALLEL_WRITE_NOTES:
        jobs = 1
    with ExitStack() as temporaries:
        files = []
        for target in targets:
            try:
                files.append(temporaries.enter_context(temporary_file(target)))
            except OSError as error:
                raise cannot_write(target, error) from error
        calls = [(index,) for index in range(len(releases))]
        with started(write_temporary, calls, jobs, (releases, targets, files)) as results:
            def install(progress: Progress) -> list[Path]:
                for _ in progress.over("write", releases, steps=lambda item: len(item.deck.notes)):
                    next(results)
                for target, temporary in zip(targets, files):  # only once every package is written
                    try:
                        os.replace(temporary, target)
                    except OSError as error:
                        raise cannot_write(target, error) from error
                if targets:
                    sync_folder(output)  # the renames survive a power cut, not only a crash
                return targets

            try:
                yield install
            except WorkerLost:
                remove_leftovers(output)  # the killed worker's scratch database (the folder is ours: locked)
                raise


def write_temporary(index: int) -> None:
    """In a worker (or here): package `index` of the shared releases, written to its temporary file."""
    releases, targets, files = parallel.shared
    try:
        write_package_file(releases[index], targets[index], files[index])
    except (OSError, sqlite3.Error) as error:
        raise cannot_write(targets[index], error) from error


def cannot_write(target: Path, error: Exception) -> OutputError:
    return OutputError(f"cannot write {display_path(target)}: {reason(error)} "
                       f"({what_to_do(error)}; any package already there is unchanged)")


@contextmanager
def writable_output(output: Path) -> Iterator[None]:
    """The output folder, made if need be and locked against other builds, cleared of killed builds' files."""
    with ExitStack() as stack:
        try:
            output.mkdir(parents=True, exist_ok=True)
            stack.enter_context(output_lock(output))
            remove_leftovers(output)
        except OSError as error:
            raise OutputError(f"cannot write to {display_path(output)}/: {reason(error)} "
                              f"({what_to_do(error)})") from error
        yield


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
                for leftover in path.parent.glob(f".{path.name}.*.tmp"):  # of a build that was killed
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
