"""Card faces as Anki renders them: a note type's template filled in with one note's fields.

The preview must not need the `anki` package at run time, so this reproduces the output of Anki's
renderer for the template features deckbuilder's note types use — `{{Field}}`, `{{#Field}}…{{/Field}}`,
`{{^Field}}…{{/Field}}`, `{{cloze:Field}}`, `{{type:Field}}`, `{{FrontSide}}` — and the
`[sound:…]` → `[anki:play:q:0]` step that `card.question()` ends with. tests/test_render.py holds
every card of several decks against Anki's own `card.question()` and `card.answer()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence, Set

from deckbuilder.anki import cloze
from deckbuilder.anki.notetypes import NoteType

HANDLE = re.compile(r"\{\{((?:(?!\{\{|\}\}).)+)\}\}", re.DOTALL)
# Anki treats a field holding only white space, <br> and <div> tags as empty in {{#Field}}.
EMPTY_FIELD = re.compile(r"(?:[ \t\n\x0b\x0c\r]|</?(?:br|div) ?/?>)*\Z", re.IGNORECASE)
SOUND = re.compile(r"\[sound:(.+?)\]", re.DOTALL)
# Fields Anki fills in itself (rslib notetype SPECIAL_FIELDS); on a front, any of them but FrontSide shows text.
SPECIAL_FIELDS = frozenset({"FrontSide", "Card", "CardFlag", "Deck", "Subdeck", "Tags", "Type", "CardID"})


@dataclass(frozen=True)
class Replacement:
    field: str
    filters: tuple[str, ...]  # in the order they apply: {{type:cloze:Text}} → ("cloze", "type")


@dataclass(frozen=True)
class Conditional:
    field: str
    negated: bool
    children: tuple  # of str, Replacement and Conditional


@dataclass(frozen=True)
class Face:
    """One side of a card: its HTML as card.question()/answer() give it without the <style> block,
    and the sound files its [anki:play:…] placeholders stand for, in order."""

    html: str
    sounds: tuple[str, ...]


@dataclass(frozen=True)
class RenderedCard:
    ord: int  # Anki's card ordinal: the template's index, or the cloze number minus 1
    name: str  # the template's name, or "Cloze 2"
    front: Face
    back: Face


@lru_cache(maxsize=None)
def parse_template(template: str) -> tuple:
    """A template as a tree of text, replacements and conditionals; raises ValueError if unbalanced."""
    root: list = []
    open_tags: list[tuple[str, list]] = []  # ("#Field" or "^Field", the nodes inside it so far)

    def add(node) -> None:
        if node != "":
            (open_tags[-1][1] if open_tags else root).append(node)

    position = 0
    for handle in HANDLE.finditer(template):
        add(template[position:handle.start()])
        position = handle.end()
        tag = handle.group(1).strip()
        if len(tag) > 1 and tag[0] in "#^":
            open_tags.append((tag[0] + tag[1:].lstrip(), []))
        elif len(tag) > 1 and tag[0] == "/":
            if not open_tags or open_tags[-1][0][1:] != tag[1:].lstrip():
                raise ValueError(f"template closes {{{{{tag}}}}} that is not open")
            opening, children = open_tags.pop()
            add(Conditional(opening[1:], opening[0] == "^", tuple(children)))
        else:
            *filters, field = tag.split(":")
            add(Replacement(field, tuple(reversed(filters))))
    if open_tags:
        raise ValueError(f"template leaves {{{{{open_tags[-1][0]}}}}} open")
    add(template[position:])
    return tuple(root)


def fill(nodes: tuple, fields: dict[str, str], ord_: int, front_side: str | None) -> str:
    """The template's text with its fields filled in; front_side is None on the question side."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Conditional):
            if is_empty(fields.get(node.field, "")) == node.negated:
                out.append(fill(node.children, fields, ord_, front_side))
        elif node.field == "FrontSide" and front_side is not None:
            out.append(front_side)
        elif node.field not in fields:
            raise ValueError(f"template refers to unknown field {node.field!r}")
        else:
            out.append(apply_filters(fields[node.field], node, ord_, front_side is None))
    return "".join(out)


def apply_filters(text: str, replacement: Replacement, ord_: int, question: bool) -> str:
    for name in replacement.filters:
        if name == "cloze":
            text = cloze.cloze_filter(text, ord_ + 1, question)
        elif name == "type":
            text = f"[[type:{replacement.field}]]"
        else:
            raise ValueError(f"template uses filter {name!r}, which the preview does not render")
    return text


def is_empty(field: str) -> bool:
    return EMPTY_FIELD.match(field) is not None


def extract_sounds(html: str, question: bool) -> Face:
    """[sound:x.mp3] → [anki:play:q:0], as Anki does before the reviewer puts play buttons there."""
    sounds: list[str] = []
    side = "q" if question else "a"

    def placeholder(match: re.Match) -> str:
        sounds.append(match.group(1))
        return f"[anki:play:{side}:{len(sounds) - 1}]"

    return Face(SOUND.sub(placeholder, html), tuple(sounds))


def render_card(note_type: NoteType, fields: tuple[str, ...], ord_: int) -> RenderedCard:
    """Front and back of the card with ordinal `ord_` of a note with these fields (in field order)."""
    by_name = dict(zip(note_type.fields, fields, strict=True))
    template = note_type.templates[0 if note_type.is_cloze else ord_]
    front = extract_sounds(fill(parse_template(template.front), by_name, ord_, None), question=True)
    back = extract_sounds(fill(parse_template(template.back), by_name, ord_, front.html), question=False)
    name = f"Cloze {ord_ + 1}" if note_type.is_cloze else template.name
    return RenderedCard(ord_, name, front, back)


def card_ords(note_type: NoteType, fields: tuple[str, ...]) -> list[int]:
    """The ordinals of the cards Anki makes for a note: one per template, or for a cloze note type one per
    cloze number in any of its fields."""
    if not note_type.is_cloze:
        return list(range(len(note_type.templates)))
    return cloze.card_ords(fields)


def render_note(note_type: NoteType, fields: tuple[str, ...]) -> list[RenderedCard]:
    """Every card of a note, in Anki's card order."""
    return [render_card(note_type, fields, ord_) for ord_ in card_ords(note_type, fields)]


def renders_with_fields(template: str, nonempty: Set[str]) -> bool:
    """Whether a front shows anything, given the names of the fields that are not empty: Anki makes a standard
    note's card only then (rslib template.rs template_is_empty). A template that does not parse makes none."""
    try:
        return shows_a_field(parse_template(template), nonempty)
    except ValueError:
        return False


def shows_a_field(nodes: tuple, nonempty: Set[str]) -> bool:
    for node in nodes:
        if isinstance(node, Replacement) and node.field in nonempty:
            return True
        if isinstance(node, Conditional) and (node.field in nonempty) != node.negated \
                and shows_a_field(node.children, nonempty):
            return True
    return False


def generated_ords(fronts: Sequence[str], is_cloze: bool, names: Sequence[str], fields: Sequence[str],
                   has_tags: bool) -> list[int]:
    """The cards Anki makes when it adds a note of any note type (rslib notetype/cardgen.rs): a cloze note one
    per cloze number, a standard note one per template whose front shows a field, and card 1 if that is none."""
    if is_cloze:
        return cloze.card_ords(fields) or [0]
    nonempty = {name for name, text in zip(names, fields) if not is_empty(text)}
    nonempty |= {name for name in SPECIAL_FIELDS - {"FrontSide"} - set(names) if name != "Tags" or has_tags}
    return [ord_ for ord_, front in enumerate(fronts) if renders_with_fields(front, nonempty)] or [0]
