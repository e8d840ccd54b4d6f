"""Benchmark: what the load stage's guards against hostile files cost on a big card file.

    python bench/load_guards.py [CARDS]      # default 100,000 cards in one file (about 18 MB)

The deck comes from bench/generate.py, in one file. Times are the best of 3, in this process:
  plain     yaml.compose with libyaml's CSafeLoader on the decoded text: the floor for any loader
  load      deckbuilder.load.load_file: regular-file and size checks, read, decode, compose (libyaml
            refuses deep nesting itself), the anchor scan; what `check` pays before validation
  anchors   the scan for an anchor (&name) that decides whether the alias walk runs
  aliases   the alias-expansion walk alone: its cost for a file that has an anchor
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402  (bench/ is a folder of scripts, not a package)

from deckbuilder.source import load  # noqa: E402


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    cards = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        [path] = generate(cards, Path(folder))
        text = path.read_text(encoding="utf-8")
        print(f"{cards} cards, {path.stat().st_size / 1e6:.1f} MB, loader {load.loader().__name__}")
        plain = best_of(3, lambda: yaml.compose(text, Loader=yaml.CSafeLoader))
        loaded, problems = load.load_file(path)
        assert loaded is not None and not problems, problems
        guarded = best_of(3, lambda: load.load_file(path))
        anchors = best_of(3, lambda: load.may_hold_anchor(text))
        aliases = best_of(3, lambda: load.oversized_value(loaded.root, load.MAX_EXPANDED_VALUES))
    print(f"plain libyaml compose  {plain:6.2f} s")
    print(f"load_file              {guarded:6.2f} s  ({guarded / plain:.3f}x plain)")
    print(f"anchor scan            {anchors:6.3f} s  ({anchors / plain:.1%} of plain)")
    print(f"alias walk alone       {aliases:6.2f} s  ({aliases / plain:.1%} of plain)")


if __name__ == "__main__":
    main()
