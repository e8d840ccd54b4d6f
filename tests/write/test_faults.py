"""Faults while writing, with real processes: killed builds, builds at once, a full disk, a read-only folder.

The promise under test: whatever happens, build/<deck>.apkg is either the previous package, byte for
byte, or a complete new one that Anki imports; a failed write says what to do and exits 1.
"""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from deckbuilder.speed.cache import FOLDER
from tests.support.anki import import_package
from tests.support.decks import MINIMAL_DECK, output_files
HEADER = (MINIMAL_DECK[: MINIMAL_DECK.index("      - id: first")]
          + "      - {id: noise, front: '![n](img/noise.png)', back: Noise}\n")
CARDS = 2000
NOISE_BYTES = 8 << 20  # incompressible media: writing the package takes a moment that a kill can hit
LEFTOVERS = ".demo.apkg.*.tmp"


def write_version(built_version_a: Path, version: str) -> None:
    """The demo deck with 2000 cards whose answers name the version, and fresh random media."""
    (built_version_a / "cards" / "img").mkdir(parents=True, exist_ok=True)
    (built_version_a / "cards" / "img" / "noise.png").write_bytes(os.urandom(NOISE_BYTES))
    cards = "".join(f"      - {{id: c{i}, front: Question {i}, back: Answer {i} {version}}}\n" for i in range(CARDS))
    (built_version_a / "cards" / "demo.yaml").write_text(HEADER + cards)


def start_build(built_version_a: Path, *args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "deckbuilder", "build", *args], cwd=built_version_a,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def run_build(built_version_a: Path, *args: str, **options) -> subprocess.CompletedProcess:
    process = start_build(built_version_a, *args, **options)
    stdout, stderr = process.communicate(timeout=120)  # the timeout only keeps a hang from stalling the suite
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def version_of(package: Path) -> str:
    """The version a complete package was built from; fails if the package is not whole."""
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        database = archive.read("collection.anki2")
    for version in ("A", "B", "C"):
        if f"Answer 0 {version}".encode() in database:
            return version
    raise AssertionError("package holds no known version")


def assert_imports_cleanly(package: Path, tmp_path: Path, name: str) -> None:
    from anki.collection import Collection

    col = Collection(str(tmp_path / f"{name}.anki2"))
    try:
        log = import_package(col, package)
        assert len(log.new) == CARDS + 1
        message, ok = col.fix_integrity()
        assert ok, message
    finally:
        col.close()


@pytest.fixture
def built_version_a(tmp_path):
    """A deck project whose version A is built: build/demo.apkg is the package a killed build must not lose."""
    write_version(tmp_path, "A")
    assert run_build(tmp_path).returncode == 0
    return tmp_path


def no_process_left_in(built_version_a: Path) -> bool:
    """Whether, within a few seconds, no deckbuilder process (a build's workers included) runs in `built_version_a`."""
    for _ in range(300):
        left = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and (entry / "cwd").resolve() == built_version_a.resolve() and \
                        b"deckbuilder" in (entry / "cmdline").read_bytes():
                    left.append(entry.name)
            except OSError:
                pass  # ended meanwhile, or not ours to look at
        if not left:
            return True
        time.sleep(0.01)
    return False


def wait_for_temporary_file(folder: Path, larger_than: int, process: subprocess.Popen, old: set[Path]) -> bool:
    """Poll until a new temporary file of the build passes `larger_than` bytes; False if the build ended first."""
    while process.poll() is None:
        for path in set(folder.glob(LEFTOVERS)) - old:
            try:
                if path.stat().st_size > larger_than:
                    return True
            except FileNotFoundError:
                pass
        time.sleep(0.001)
    return False


def test_a_killed_build_leaves_the_previous_package_or_a_complete_new_one(built_version_a, tmp_path):
    previous = (built_version_a / "build" / "demo.apkg").read_bytes()
    write_version(built_version_a, "B")
    # Kill points: while the scratch database is written, while the zip is half written (more than
    # 3 MB of the 8 MB media), and after fixed delays across the whole run (start, check, write, done).
    killed_mid_write = 0
    for moment in (0, 3 << 20, 0.2, 0.45, 0.7, 1.0):
        leftovers = set((built_version_a / "build").glob(LEFTOVERS))  # of the builds killed before this one
        process = start_build(built_version_a)
        hit = isinstance(moment, int) and wait_for_temporary_file(built_version_a / "build", moment, process, leftovers)
        if not isinstance(moment, int):
            time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert no_process_left_in(built_version_a), "a worker of the killed build lives on"
        if hit:  # killed mid-write: its temporary files stay behind
            killed_mid_write += 1
            assert set((built_version_a / "build").glob(LEFTOVERS)) - leftovers
        package = (built_version_a / "build" / "demo.apkg").read_bytes()
        assert package == previous or version_of(built_version_a / "build" / "demo.apkg") == "B"
    assert killed_mid_write == 2, "the build ended before the kill points: make the deck bigger"
    # A killed build leaves its temporary files; the next build removes them and writes the new package.
    write_version(built_version_a, "C")
    result = run_build(built_version_a)
    assert (result.returncode, result.stderr) == (0, "")
    assert output_files(built_version_a / "build") == ["demo.apkg"]
    assert sorted(path.name for path in (built_version_a / "cards").iterdir()) == ["demo.lock", "demo.yaml", "img"]
    assert version_of(built_version_a / "build" / "demo.apkg") == "C"
    assert_imports_cleanly(built_version_a / "build" / "demo.apkg", tmp_path, "after-kills")


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def test_a_worker_killed_mid_build_stops_it_cleanly(built_version_a):
    """The kernel's out-of-memory killer picks the biggest process: it may be one of the build's workers."""
    previous, lock = (built_version_a / "build" / "demo.apkg").read_bytes(), (built_version_a / "cards" / "demo.lock").read_bytes()
    write_version(built_version_a, "B")
    old = set((built_version_a / "build").glob(LEFTOVERS))
    process = start_build(built_version_a, "-j", "2")
    # Killed while it writes the package (a worker writes a package of over 2,000 notes): mid-task, surely.
    assert wait_for_temporary_file(built_version_a / "build", 0, process, old), "the build ended first"
    [writer] = children_of(process.pid)
    os.kill(writer, signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr) == (1, "Error: a worker process of the build was killed (out of memory? "
                                               "'-j 1' uses the least); nothing was written\n")
    assert (built_version_a / "build" / "demo.apkg").read_bytes() == previous
    assert (built_version_a / "cards" / "demo.lock").read_bytes() == lock
    assert output_files(built_version_a / "build") == ["demo.apkg"]
    assert no_process_left_in(built_version_a)


def test_builds_at_once_to_one_folder_each_write_a_whole_package(tmp_path):
    """Two projects, two versions, one output folder, two processes started together."""
    output = tmp_path / "shared-build"
    for version in ("A", "B"):
        write_version(tmp_path / version, version)
    processes = [start_build(tmp_path / version, "-o", str(output)) for version in ("A", "B")]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], results
    assert output_files(output) == ["demo.apkg"]
    assert version_of(output / "demo.apkg") in ("A", "B")
    assert_imports_cleanly(output / "demo.apkg", tmp_path, "concurrent")


def test_a_build_waits_while_another_holds_the_output_folder(built_version_a):
    """Here the test holds the folder's lock the way a running build does: the build must not write."""
    before = (built_version_a / "build" / "demo.apkg").read_bytes()
    write_version(built_version_a, "B")
    descriptor = os.open(built_version_a / "build", os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        process = start_build(built_version_a)
        time.sleep(1.5)  # far longer than the build takes unlocked (about 0.6 s)
        assert process.poll() is None, "the build did not wait for the lock"
        assert (built_version_a / "build" / "demo.apkg").read_bytes() == before
    finally:
        os.close(descriptor)
    assert process.wait(timeout=120) == 0
    assert version_of(built_version_a / "build" / "demo.apkg") == "B"


def limit_file_size(limit: int):
    """In the child: files may not grow past `limit` bytes, and passing it fails the write (EFBIG)
    instead of killing the process, as a full disk fails a write (ENOSPC)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("limit, version, message", [
    # The scratch database fits, the package with its media does not.
    (4 << 20, "B", "cannot write build/demo.apkg: File too large (free some disk space, or write elsewhere with -o; "
                   "any package already there is unchanged)"),
    # Nothing changed but the build cache is gone, so the lock file stays; SQLite cannot even write the
    # scratch database.
    (64 << 10, None, "cannot write build/demo.apkg: disk I/O error (free some disk space, or write elsewhere with "
                    "-o; any package already there is unchanged)"),
    # The lock file is written (beside its place) before any package: it fails first, nothing is written.
    (64 << 10, "B", "cannot write cards/demo.lock: File too large (the lock file sits beside the card files: make "
                    "that folder writable or free some space; nothing was written)"),
], ids=["package", "database", "lock"])
def test_a_full_disk_gives_a_clear_error_and_keeps_the_previous_package(built_version_a, limit, version, message):
    before = (built_version_a / "build" / "demo.apkg").read_bytes()
    lock = (built_version_a / "cards" / "demo.lock").read_bytes()
    if version is None:
        shutil.rmtree(built_version_a / "build" / FOLDER)
    else:
        write_version(built_version_a, version)
    result = run_build(built_version_a, preexec_fn=limit_file_size(limit))
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")
    assert (built_version_a / "build" / "demo.apkg").read_bytes() == before
    assert output_files(built_version_a / "build") == ["demo.apkg"]
    assert (built_version_a / "cards" / "demo.lock").read_bytes() == lock
    assert sorted(path.name for path in (built_version_a / "cards").iterdir()) == ["demo.lock", "demo.yaml", "img"]


@pytest.mark.parametrize("output, message", [
    # sysfs refuses new files, even to root: a real read-only folder whoever runs the tests.
    ("/sys/kernel", "cannot write /sys/kernel/demo.apkg: Permission denied (choose a folder you can write to "
                    "with -o; any package already there is unchanged)"),
    ("/sys/deckbuilder-build", "cannot write to /sys/deckbuilder-build/: Operation not permitted (choose a "
                               "folder you can write to with -o)"),
], ids=["existing-folder", "new-folder"])
def test_a_read_only_output_folder_gives_a_clear_error(tmp_path, output, message):
    write_version(tmp_path, "A")
    result = run_build(tmp_path, "-o", output)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")
