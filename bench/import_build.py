"""Bringing a deck in: `deckbuilder import` of a 20,000-note Anki package, then `deckbuilder build` of what it
wrote, against `deckbuilder build` of a deckbuilder deck of as many notes (bench/generate.py's). The target: the two
together within 2× the build alone.

The package is made with Anki's own library, as a learner's collection holds such a deck: Anki's stock note types
(Basic 50 %, Basic (and reversed card) 20 %, Cloze 30 %) with HTML in one field in four, two tags a note, 20
subdecks, exported as Anki 2.1.50 and later export (zstd, schema 18, with scheduling). Both builds are cold, as in
bench/run.py: the card files and their lock file, no build folder. Every command runs in a fresh process, in rounds
(build, import, build of the import, …) so that a slow minute on a shared machine weighs on all alike; medians of
--repeat rounds. Needs the test extra (anki, zstandard).

    python bench/import_build.py                 # 20,000 notes, 3 rounds
    python bench/import_build.py --notes 5000 --repeat 5
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
from generate import WORDS, generate  # noqa: E402  (bench/ is a folder of scripts, not a package)

SUBDECKS = 20


def anki_package(notes: int, folder: Path) -> Path:
    """A collection of `notes` notes made by Anki, exported as a modern .apkg."""
    import random

    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    rng = random.Random(notes)
    col = Collection(str(folder / "collection.anki2"))
    try:
        types = [col.models.by_name(name) for name in ("Basic", "Basic (and reversed card)", "Cloze")]
        decks = [col.decks.id(f"Big deck::Part {number:02d}") for number in range(1, SUBDECKS + 1)]
        requests = []
        for number in range(notes):
            words = " ".join(rng.choice(WORDS) for _ in range(6))
            kind = types[0] if number % 10 < 5 else types[1] if number % 10 < 7 else types[2]
            note = col.new_note(kind)
            if kind["name"] == "Cloze":
                note["Text"] = f"The {{{{c1::{words}}}}} step needs {{{{c2::{rng.choice(WORDS)}}}}} {number}."
            else:
                note["Front"] = f"What does <b>{words}</b> do? ({number})" if number % 4 == 0 else f"{words} {number}?"
                note["Back"] = " ".join(rng.choice(WORDS) for _ in range(3))
            note.tags = [rng.choice(WORDS), f"part::{number % SUBDECKS}"]
            requests.append(AddNoteRequest(note=note, deck_id=decks[number % SUBDECKS]))
        col.add_notes(requests)
        path = folder / "big.apkg"
        col.export_anki_package(out_path=str(path), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False))
        return path
    finally:
        col.close()


def timed(*args: str, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "deckbuilder", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def rounds(folder: Path, package: Path, repeat: int) -> dict[str, list[float]]:
    """Each round: a cold build of the deckbuilder deck, an import of the package, a cold build of the import."""
    seconds: dict[str, list[float]] = {"build": [], "import": [], "build of the import": []}
    for _ in range(repeat):
        shutil.rmtree(folder / "build", ignore_errors=True)
        seconds["build"].append(timed("build", "-q", "deck", "-o", "build", cwd=folder))
        shutil.rmtree(folder / "imported", ignore_errors=True)
        shutil.rmtree(folder / "imported-build", ignore_errors=True)
        seconds["import"].append(timed("import", str(package), "-o", "imported", cwd=folder))
        seconds["build of the import"].append(timed("build", "-q", "imported", "-o", "imported-build", cwd=folder))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="deckbuilder-bench-import-build-"))
    try:
        (folder / "anki").mkdir()
        package = anki_package(args.notes, folder / "anki")
        generate(args.notes, folder / "deck", files=max(1, args.notes // 1000))
        timed("build", "-q", "deck", "-o", "build", cwd=folder)  # the deck's lock file, as a clone has it
        seconds = {what: statistics.median(runs) for what, runs in rounds(folder, package, args.repeat).items()}
        both = seconds["import"] + seconds["build of the import"]
        print(f"Machine: {platform.machine()}, {platform.python_version()}; {args.notes:,} notes; "
              f"{package.name} {package.stat().st_size / 1e6:.1f} MB; medians of {args.repeat} rounds")
        for what, value in seconds.items():
            print(f"{what:<22} {value:6.2f} s")
        print(f"import + its build     {both:6.2f} s = {both / seconds['build']:.2f}× the build "
              f"({'✓' if both <= 2 * seconds['build'] else '✗'} target ≤ 2×)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
