"""Shared by the render and preview tests: a deck with every card type, and Anki's own rendering of a package."""

from __future__ import annotations

import textwrap
from pathlib import Path

from deckbuilder.anki.notetypes import stylesheet
from tests.conftest import import_package

# Every card type, with the things a renderer can get wrong: cloze hints, a deletion used twice, nested
# deletions, math, Markdown (list, table, emphasis), an image, a sound, HTML-special characters, a
# type-in answer, relationships with and without an inverse, a section without a number.
EVERY_TYPE_DECK = r"""
deck:
  key: every-type
  name: Every card type
  source:
    title: "An article on <everything> & more"
    author: A. Writer
    url: https://example.org/article?a=1&b=2
sections:
  - id: s01-basics
    number: 1
    title: "Basics & <friends>"
    cards:
      - id: basic-markdown
        front: "Which word is **bold**, and what is $x^2$ when x is 3? ![a dot](img/dot.png)"
        back: |
          Three things:

          - first
          - second

          $$
          x^2 = 9
          $$
        extra: "See *the table*:\n\n| a | b |\n|---|---|\n| 1 | 2 |"
      - id: reversed
        type: reversed
        front: MGP
        back: Matrix Gla Protein
        extra: A protein.
      - id: type-in
        type: type-in
        front: Type the name of `__init__`'s job?
        back: constructor & <more>
      - id: sound
        front: "What do you hear? [sound:audio/note.mp3]"
        back: A note
  - id: s02-clozes
    title: Cloze deletions
    cards:
      - id: cloze-hints
        type: cloze
        text: "K2 moves calcium from {{c1::soft tissues::where?}} into {{c2::bones}}, {{c1::not back}}."
        extra: Hints show in brackets.
      - id: cloze-nested
        type: cloze
        text: "{{c1::Vitamin {{c2::K2}} activates MGP::a sentence}} and {{c3::half is $\\frac{1}{2}$}}."
    relationships:
      - id: with-inverse
        subject: Vitamin K2
        relation: activates
        object: MGP
        inverse: is activated by
        why: keeps calcium out of the arteries
      - id: without-inverse
        subject: Water
        relation: dissolves
        object: table salt
"""
EVERY_TYPE_CARDS = 14  # 1 + 2 + 1 + 1 basic, reversed, type-in, sound; 2 + 3 cloze; 2 + 2 relationship


def write_every_type_deck(folder: Path) -> Path:
    """The every-type deck, its image and its sound, written into `folder`; returns the card file."""
    from tests.test_anki_import import tiny_png

    (folder / "img").mkdir(parents=True, exist_ok=True)
    (folder / "img" / "dot.png").write_bytes(tiny_png())
    (folder / "audio").mkdir(exist_ok=True)
    (folder / "audio" / "note.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00not really audio")
    path = folder / "every-type.yaml"
    path.write_text(textwrap.dedent(EVERY_TYPE_DECK), encoding="utf-8")
    return path


def without_style(rendered: str) -> str:
    """Anki's card.question()/answer() minus the <style> block it puts first, which must be card.css."""
    style = f"<style>{stylesheet()}</style>"
    assert rendered.startswith(style), f"Anki's rendering does not start with card.css: {rendered[:200]!r}"
    return rendered[len(style):]


def anki_rendering(col, package: Path) -> dict[tuple[str, int], dict]:
    """(note GUID, card ordinal) → Anki's front, back and sound files for every card of the package."""
    import_package(col, package)
    rendered = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        rendered[card.note().guid, card.ord] = {
            "front": without_style(card.question()), "back": without_style(card.answer()),
            "front sounds": tuple(tag.filename for tag in card.question_av_tags()),
            "back sounds": tuple(tag.filename for tag in card.answer_av_tags()),
        }
    return rendered
