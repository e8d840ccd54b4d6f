"""Decks and files the tests build from: the smallest deck, a part file, the article deck, every card type."""

from __future__ import annotations

import struct
import textwrap
import zlib
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent.parent
ARTICLE_DECK = PROJECT / "cards" / "k2-calcification.yaml"

# The smallest deck that builds: used as the base of many tests.
MINIMAL_DECK = """\
deck:
  key: demo
  name: Demo deck
  source:
    title: A demo article
sections:
  - id: s01-intro
    number: 1
    title: Intro
    cards:
      - id: first
        front: What is first?
        back: One
"""

# A second file of the demo deck: a new section, and more cards for the main file's section.
PART_FILE = """\
deck: demo
sections:
  - id: s02-more
    number: 2
    title: More
    cards:
      - {id: second, front: Q2, back: A2}
  - id: s01-intro
    cards:
      - {id: continued, front: Q3, back: A3}
"""


# The header of the smallest deck, for cards written after it (see `with_cards`).
HEADER = MINIMAL_DECK[: MINIMAL_DECK.index("      - id: first")]
# A card that does not check: a basic card without a back.
BROKEN_CARD = "      - {id: second, front: Q}\n"


def with_cards(yaml_cards: str) -> str:
    """The smallest deck's header with these card entries (written at list-item indentation)."""
    return HEADER + textwrap.indent(textwrap.dedent(yaml_cards), "      ")


def output_files(folder: Path) -> list[str]:
    """What a build left in its output folder for the user: all but deckbuilder's own build cache."""
    from deckbuilder.speed.cache import FOLDER

    return sorted(path.name for path in folder.iterdir() if path.name != FOLDER)


def tiny_png() -> bytes:
    """A valid 1×1 RGB PNG, made here byte by byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # width, height, bit depth, RGB, …
    pixels = zlib.compress(b"\x00\x2a\x80\xff")  # filter byte 0, then one RGB pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


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
    (folder / "img").mkdir(parents=True, exist_ok=True)
    (folder / "img" / "dot.png").write_bytes(tiny_png())
    (folder / "audio").mkdir(exist_ok=True)
    (folder / "audio" / "note.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00not really audio")
    path = folder / "every-type.yaml"
    path.write_text(textwrap.dedent(EVERY_TYPE_DECK), encoding="utf-8")
    return path




# A deck with a note type of its own of each kind: a standard one with conditional templates, two cards per
# note and CSS, in Markdown; a cloze one in HTML kept as written. Sections put their cards in subdecks.
OWN_TYPES_DECK = r"""
deck:
  key: german
  name: Languages::German
  source:
    title: My German course
note_types:
  - id: vocab
    name: Vocabulary (deckbuilder)
    fields:
      - Word
      - Meaning
      - {name: Example, font: Georgia, size: 18}
      - {name: Plural, sticky: true}
    templates:
      - name: Reading
        front: '<div class="word">{{Word}}</div>{{#Tags}}<div class="tags">{{Tags}}</div>{{/Tags}}<!-- {{Nope}} -->'
        back: |
          {{FrontSide}}
          <hr id="answer">
          {{Meaning}}
          {{#Example}}<div class="example">{{Example}}</div>{{/Example}}{{^Example}}<i>no example</i>{{/Example}}
          <div class="where">{{Deck}} / {{Subdeck}} / {{Card}} / {{Type}}</div>
          {{hint:Plural}}
      - name: Plural
        front: '{{#Plural}}What is the plural of <b>{{text:Word}}</b>? {{tts de_DE:Word}}{{/Plural}}'
        back: |
          {{FrontSide}}
          <hr id="answer">
          {{Plural}}
    css: |
      .card { font-family: Georgia, serif; font-size: 22px; text-align: center; }
      .word { font-size: 1.5em; }
    sort_field: Word
  - id: sentence
    name: Sentence cloze (deckbuilder)
    kind: cloze
    markup: html
    fields: [Sentence, Translation]
    templates:
      - name: Cloze
        front: '{{cloze:Sentence}}'
        back: '{{cloze:Sentence}}<br>{{Translation}}<div class="asked">{{cloze-only:Sentence}}</div>'
sections:
  - id: nouns
    title: Nouns
    subdeck: Nouns
    cards:
      - id: haus
        type: vocab
        fields:
          Word: das Haus
          Meaning: the house
          Plural: die Häuser
          Example: Das Haus ist *alt*.
        tags: [a1]
      - id: hund
        type: vocab
        subdeck: Nouns::Animals
        fields: {Word: der Hund, Meaning: the dog}
  - id: sentences
    title: Sentences
    cards:
      - id: ich-bin
        type: sentence
        fields:
          Sentence: 'Ich {{c1::bin::sein}} <i>müde</i>, du {{c2::bist}} &amp; wach.'
          Translation: I am tired, you are awake.
      - id: nested
        type: sentence
        fields:
          Sentence: '{{c1::Wien {{c2::Österreich}}}} und {{c3::Bern}}'
      - id: basic-beside
        front: A card of deckbuilder's own type, beside them
        back: still works
"""
OWN_TYPES_CARDS = 2 + 1 + 2 + 3 + 1  # haus (with a plural), hund, ich-bin, nested, basic-beside


def write_own_types_deck(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "german.yaml"
    path.write_text(textwrap.dedent(OWN_TYPES_DECK), encoding="utf-8")
    return path


# A deck whose note type keeps its fields as HTML, naming its media as Anki's media folder does.
HTML_DECK = """\
deck:
  key: pictures
  name: Pictures
  source:
    title: An atlas
note_types:
  - id: picture
    name: Picture (deckbuilder)
    markup: html
    fields: [Picture, Name]
    templates:
      - {name: Name it, front: "{{Picture}}", back: "{{FrontSide}}<hr id=answer>{{Name}}"}
sections:
  - id: bones
    title: Bones
    cards:
      - {id: femur, type: picture, fields: {Picture: '<img src="femur bone.png">  [sound:say.mp3] *kept*', Name: Femur}}
"""
