"""Time reading a 20,000-note package into the import model (deckbuilder.importing.read_foreign), against the
time deckbuilder takes to build the same deck and Anki takes to import it.

The package is deckbuilder's build of bench/generate.py's deck; Anki's own modern (zstd, schema 18) and legacy
(schema 11) exports of it are made by importing it into a fresh collection. Every measurement runs in a fresh
process (imports included); the median of --repeat runs is printed. Needs the test extra (anki, zstandard).

    python bench/import_read.py                 # 20,000 notes, 3 runs each
    python bench/import_read.py --notes 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402  (bench/ is a folder of scripts, not a package)

READ = """
import sys, time
start = time.perf_counter()
from deckbuilder.importing.read import read_foreign
with read_foreign(sys.argv[1]) as deck:
    media = sum(len(file.read()) for file in deck.media)
    print(time.perf_counter() - start, len(deck.notes), sum(len(note.cards) for note in deck.notes))
"""
IMPORT = """
import sys, tempfile, time
from pathlib import Path
from anki.collection import Collection, ImportAnkiPackageRequest
col = Collection(str(Path(tempfile.mkdtemp()) / "c.anki2"))
start = time.perf_counter()
log = col.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[1])).log
print(time.perf_counter() - start, len(log.new), 0)
col.close()
"""


def median_run(code: str, argument: str, repeat: int) -> tuple[float, str]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code, argument], capture_output=True, text=True, check=True)
        seconds, notes, cards = out.stdout.split()
        runs.append(float(seconds))
    return statistics.median(runs), f"{int(notes):,} notes, {int(cards):,} cards"


def build(notes: int, folder: Path) -> tuple[Path, float]:
    generate(notes, folder / "cards", files=max(1, notes // 1000))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "deckbuilder", "build", "-q", str(folder / "cards"), "-o",
                    str(folder / "build")], check=True)
    return folder / "build" / "bench.apkg", time.perf_counter() - start


def anki_exports(package: Path, folder: Path) -> list[Path]:
    from anki.collection import Collection, ExportAnkiPackageOptions, ImportAnkiPackageRequest

    (folder / "anki").mkdir()
    col = Collection(str(folder / "anki" / "c.anki2"))
    made = []
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
        for legacy in (False, True):
            path = folder / f"anki-{'legacy' if legacy else 'modern'}.apkg"
            col.export_anki_package(out_path=str(path), options=ExportAnkiPackageOptions(
                with_scheduling=True, with_media=True, legacy=legacy), limit=None)
            made.append(path)
    finally:
        col.close()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="deckbuilder-bench-import-"))
    try:
        package, seconds = build(args.notes, folder)
        print(f"Machine: {platform.machine()}, Python {platform.python_version()}, {args.notes:,} notes")
        print(f"deckbuilder build of the deck (cold, one run): {seconds:.2f} s")
        for path in [package] + anki_exports(package, folder):
            read, what = median_run(READ, str(path), args.repeat)
            anki, _ = median_run(IMPORT, str(path), args.repeat)
            print(f"{path.name} ({path.stat().st_size / 1e6:.1f} MB): read {read:.2f} s ({what}); "
                  f"Anki's own import into an empty collection {anki:.2f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
