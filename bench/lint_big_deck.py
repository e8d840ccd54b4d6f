"""How long lint, ids and stats take on a big deck: python bench/lint_big_deck.py [CARDS]

Writes a deck of CARDS basic and cloze cards (default 20,000) with word-like wording into a temporary
folder, then times each command's work in this process. Numbers, not assertions: tests never time.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from deckbuilder.lint.linter import LintSettings
from deckbuilder.authoring.ids import missing_ids
from deckbuilder.lint.linter import lint
from deckbuilder.authoring.stats import deck_stats

# Words drawn as in natural text: a few very common, most rare (Zipf's law over 5,000 made-up words).
VOCABULARY = [f"w{rank}x" for rank in range(1, 5001)]
WEIGHTS = [1 / rank for rank in range(1, 5001)]


def deck_text(cards: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    lines = ["deck:\n  key: big\n  name: Big deck\n  source:\n    title: A long article\nsections:\n"]
    for section in range((cards + 999) // 1000):
        lines.append(f"  - id: s{section}\n    title: Section {section}\n    cards:\n")
        for number in range(section * 1000, min(cards, section * 1000 + 1000)):
            words = " ".join(rng.choices(VOCABULARY, WEIGHTS, k=rng.randint(4, 12)))
            answer = " ".join(rng.choices(VOCABULARY, WEIGHTS, k=rng.randint(1, 3)))
            if number % 4 == 0:
                lines.append(f"      - {{id: c{number}, type: cloze, text: 'The {words} {{{{c1::{answer}}}}}.'}}\n")
            else:
                lines.append(f"      - {{id: c{number}, front: 'Which {words}?', back: '{answer}'}}\n")
    return "".join(lines)


def timed(name: str, work) -> None:
    started = time.perf_counter()
    result = work()
    print(f"{name:<8}{time.perf_counter() - started:7.2f} s  ({result})")


def main() -> None:
    cards = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(deck_text(cards), encoding="utf-8")
        print(f"{cards} cards, {path.stat().st_size / 1e6:.1f} MB of YAML")
        timed("lint", lambda: f"{len(lint([path], LintSettings()))} findings")
        timed("ids", lambda: f"{sum(len(file.cards) for file in missing_ids([path]))} cards without an id")
        timed("stats", lambda: f"{deck_stats([path])[0].cards} cards counted")


if __name__ == "__main__":
    main()
