"""Synthetic decks in deckbuilder's card format, for benchmarks: N cards over one or several files.

Mixed like a real big deck: basic, cloze (with hints), reversed and type-in cards, relationships,
sections of 100 cards. Markdown is in about one card in five (emphasis in questions, math in clozes, a
list in an extra): real decks are mostly plain lines (the shipped article deck has no Markdown at all).
`--markdown-everywhere` puts Markdown in every card, for the worst case. Deterministic for a given size.

    python bench/generate.py 10000 /tmp/deck10k          # one file
    python bench/generate.py 100000 /tmp/deck100k --files 10
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = ("calcium magnesium vitamin protein albumin bone artery enzyme receptor kinase membrane "
         "potassium sodium boron zinc digestion absorption transport signal pathway hormone cell "
         "tissue matrix mineral electrolyte deficiency balance intake ratio").split()
SECTION_SIZE = 100


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def card_lines(rng: random.Random, number: int, markdown: bool) -> list[str]:
    """One card entry as YAML lines at list-item indentation; with `markdown`, its text uses Markdown."""
    kind = number % 10
    card_id = f"c{number:06d}"
    if kind in (0, 1, 2, 3, 4):
        topic = f"**{phrase(rng, 3)}**" if markdown else phrase(rng, 3)
        return [f"      - id: {card_id}", f"        front: {quoted(f'What does {topic} do?')}",
                f"        back: {quoted(phrase(rng, 3))}"]
    if kind in (5, 6):
        math = f" and $x_{number % 7}^2$" if markdown else ""
        text = f"The {{{{c1::{phrase(rng, 2)}::hint}}}} step needs {{{{c2::{phrase(rng, 1)}}}}}{math} {phrase(rng, 4)}."
        extra = ("- " if markdown else "") + phrase(rng, 2)
        return [f"      - id: {card_id}", "        type: cloze", f"        text: {quoted(text)}",
                f"        extra: {quoted(extra)}"]
    if kind == 7:
        return [f"      - id: {card_id}", "        type: reversed", f"        front: {quoted(phrase(rng, 2))}",
                f"        back: {quoted(phrase(rng, 2))}", "        tags: [reversed-pair]"]
    if kind == 8:
        return [f"      - id: {card_id}", "        type: type-in", f"        front: {quoted(phrase(rng, 5) + '?')}",
                f"        back: {rng.choice(WORDS)}"]
    return []  # kind 9: a relationship, written under the section's relationships


def relationship_lines(rng: random.Random, number: int) -> list[str]:
    return [f"      - id: r{number:06d}", f"        subject: {quoted(phrase(rng, 2).capitalize())}",
            "        relation: activates", f"        object: {quoted(phrase(rng, 2))}",
            "        inverse: is activated by", f"        why: {quoted(phrase(rng, 6))}"]


def section_lines(rng: random.Random, index: int, numbers: range, markdown_everywhere: bool) -> list[str]:
    lines = [f"  - id: s{index:05d}", f"    number: {index + 1}", f"    title: {quoted(phrase(rng, 4).title())}",
             "    cards:"]
    for number in numbers:
        lines += card_lines(rng, number, markdown_everywhere or (number // 10) % 5 == 0)
    relationships = [number for number in numbers if number % 10 == 9]
    if relationships:
        lines.append("    relationships:")
        for number in relationships:
            lines += relationship_lines(rng, number)
    return lines


def header_lines(key: str) -> list[str]:
    return ["deck:", f"  key: {key}", f"  name: Bench::{key}", "  source:", "    title: A synthetic article",
            "sections:"]


def generate(cards: int, folder: Path, files: int = 1, key: str = "bench",
             markdown_everywhere: bool = False) -> list[Path]:
    """Write a deck of `cards` notes over `files` files in `folder`; returns the files written."""
    rng = random.Random(cards)
    folder.mkdir(parents=True, exist_ok=True)
    sections = [range(start, min(start + SECTION_SIZE, cards)) for start in range(0, cards, SECTION_SIZE)]
    per_file = -(-len(sections) // files)
    written = []
    for part in range(files):
        lines = header_lines(key) if part == 0 else [f"deck: {key}", "sections:"]
        for index in range(part * per_file, min((part + 1) * per_file, len(sections))):
            lines += section_lines(rng, index, sections[index], markdown_everywhere)
        path = folder / f"{key}-{part + 1:03d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cards", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", type=int, default=1)
    parser.add_argument("--markdown-everywhere", action="store_true")
    args = parser.parse_args()
    for path in generate(args.cards, args.folder, args.files, markdown_everywhere=args.markdown_everywhere):
        print(path)


if __name__ == "__main__":
    main()
