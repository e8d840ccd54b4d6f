"""Benchmark: what the load stage's guards cost on a big card file, against a plain libyaml parse.

Run: .venv/bin/python bench/load_guards.py [CARDS]   (default 100,000 cards, an ~18 MB file)

It writes one deck of CARDS basic cards in 100 sections (Markdown text, tags, 'Q&A' in every
front) to a temporary folder, then times, best of 3:
  plain     yaml.compose with libyaml's CSafeLoader on the decoded text: the floor for any loader
  load      deckbuilder.load.load_file: read, size and type checks, decode, compose, nesting and
            alias guards: what `deckbuilder check` pays before validation
  anchors   the scan for an anchor (&name) that decides whether the alias walk runs
  aliases   the alias-expansion walk alone (it runs only when that scan finds one)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

from deckbuilder import load

HEADER = """\
# yaml-language-server: $schema=deckbuilder.schema.json
deck:
  key: big
  name: Big deck
  description: A generated deck for benchmarks.
  source:
    title: A long article
    author: Someone
sections:
"""


def big_deck_text(cards: int, sections: int = 100) -> str:
    """A valid deck of `cards` basic cards spread over `sections` sections."""
    parts = [HEADER]
    per_section = max(1, cards // sections)
    for number in range(1, sections + 1):
        parts.append(f"  - id: s{number:03d}\n    number: {number}\n    title: Section {number}\n    cards:\n")
        first = (number - 1) * per_section
        for index in range(first, min(cards, first + per_section)):
            parts.append(
                f"      - id: card-{index}\n"
                f"        front: What does **step {index}** of the Q&A process do to *calcium*?\n"
                f"        back: Moves it into bone (see [the source](https://example.org/{index})).\n"
                f"        tags: [bench, topic-{index % 17}]\n")
    return "".join(parts)


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
        path = Path(folder) / "big.yaml"
        path.write_text(big_deck_text(cards), encoding="utf-8")
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
