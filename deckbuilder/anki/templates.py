"""Card faces as Anki renders them: a note type's template filled in with one note's fields.

The one template reader: the checks (a template naming a missing field), card generation (which cards a
note makes) and the preview all read templates here. It mirrors Anki's own (rslib/src/template.rs): `{{`
opens a handle that the first `}}` closes, HTML comments are left as they are, `{{=<% %>=}}` at the start
switches to Anki's old `<% %>` syntax; `{{#Field}}`/`{{^Field}}` conditionals, the special fields (Tags,
Deck, Card…), `{{FrontSide}}`, and Anki's filters (filters.py). The preview must not need the `anki`
package at run time; tests/anki/test_templates.py holds every card of several decks, and a table of
templates, against Anki's own `card.question()` and `card.answer()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from deckbuilder.anki import cloze
from deckbuilder.anki.filters import apply_filters, strip_html
from deckbuilder.anki.notetypes import NoteType

# Anki treats a field holding only white space, <br> and <div> tags as empty in {{#Field}}.
EMPTY_FIELD = re.compile(r"(?:[ \t\n\x0b\x0c\r]|</?(?:br|div) ?/?>)*\Z", re.IGNORECASE)
ALT_SYNTAX = "{{=<% %>=}}"
COMMENT_START, COMMENT_END = "<!--", "-->"
# Fields Anki fills in for every card; a note type's own field of the same name wins.
SPECIAL_FIELDS = ("FrontSide", "Card", "CardFlag", "Deck", "Subdeck", "Tags", "Type", "CardID")
# [sound:…] and [anki:tts …]…[/anki:tts], which card.question() turns into [anki:play:q:0] placeholders.
AV_TAG = re.compile(r"\[sound:([^\]]+)\]|\[anki:tts((?:[ \t\r\n]+[^\] \t\r\n=]+=(?:\"[^\"]*\"|[^\] \t\r\n\"]*))*)"
                    r"[ \t\r\n]*\](.*?)\[/anki:tts\]", re.DOTALL)
TTS_OPTION = re.compile(r"([^\] \t\r\n=]+)=(?:\"([^\"]*)\"|([^\] \t\r\n\"]*))")
TTS_LINE_BREAK = re.compile(r"</?(?:br|address|article|aside|blockquote|canvas|dd|div|dl|dt|fieldset|figcaption"
                            r"|figure|footer|form|h[1-6]|header|hr|li|main|nav|noscript|ol|output|p|pre|section"
                            r"|table|tfoot|ul|video)>", re.IGNORECASE)


@dataclass(frozen=True)
class Replacement:
    field: str
    filters: tuple[str, ...]  # in the order they apply: {{type:cloze:Text}} → ("cloze", "type")


@dataclass(frozen=True)
class Conditional:
    field: str
    negated: bool
    children: tuple  # of str, Comment, Replacement and Conditional


@dataclass(frozen=True)
class Comment:
    text: str  # what is between <!-- and -->: Anki leaves it, handles included


@dataclass(frozen=True)
class Speech:
    """A text Anki reads aloud ({{tts …:Field}}), as card.question_av_tags() gives it."""

    text: str
    lang: str
    voices: tuple[str, ...]
    speed: float
    other: tuple[str, ...]


@dataclass(frozen=True)
class Face:
    """One side of a card: its HTML as card.question()/answer() give it without the <style> block,
    and the sound files (or Speech) its [anki:play:…] placeholders stand for, in order."""

    html: str
    sounds: tuple  # of str (a sound file) and Speech


@dataclass(frozen=True)
class RenderedCard:
    ord: int  # Anki's card ordinal: the template's index, or the cloze number minus 1
    name: str  # the template's name, or "Cloze 2"
    front: Face
    back: Face


@dataclass(frozen=True)
class CardContext:
    """What Anki knows of a card besides its note's fields: its tags, its deck, and its note type's name."""

    tags: tuple[str, ...] = ()
    deck: str = ""
    note_type: str = ""


def tokens(template: str):
    """('text'|'comment'|'handle', str) in order, the way Anki splits a template."""
    start, end = "{{", "}}"
    if template.lstrip().startswith(ALT_SYNTAX):
        template = template.lstrip()
        while template.startswith(ALT_SYNTAX):
            template = template[len(ALT_SYNTAX):]
        start, end = "<%", "%>"
    last_end, last_comment_end = template.rfind(end), template.rfind(COMMENT_END)
    position = 0
    while position < len(template):
        handle = template.find(start, position)
        if handle < 0 or last_end < handle + len(start):
            handle = len(template)
        comment = template.find(COMMENT_START, position, handle)
        if comment >= 0 and last_comment_end >= comment + len(COMMENT_START):
            if comment > position:
                yield "text", template[position:comment]
            close = template.find(COMMENT_END, comment + len(COMMENT_START))
            yield "comment", template[comment + len(COMMENT_START):close]
            position = close + len(COMMENT_END)
            continue
        if handle > position:
            yield "text", template[position:handle]
        if handle == len(template):
            return
        close = template.find(end, handle + len(start))
        yield "handle", template[handle + len(start):close]
        position = close + len(end)


def classify(handle: str) -> tuple[str, str]:
    """('#', field), ('^', field), ('/', field) or ('', replacement), as Anki reads a handle."""
    tag = handle.lstrip("{").strip()
    if len(tag.encode("utf-8")) < 2 or tag[0] not in "#^/":
        return "", tag
    return tag[0], tag[1:].lstrip()


@lru_cache(maxsize=None)
def parse_template(template: str) -> tuple:
    """A template as a tree of text, comments, replacements and conditionals; raises ValueError if a
    conditional is not closed, or closed without being open, as Anki would refuse it."""
    root: list = []
    open_tags: list[tuple[str, str, list]] = []  # (# or ^, the field, the nodes inside it so far)
    for kind, value in tokens(template):
        nodes = open_tags[-1][2] if open_tags else root
        if kind == "text":
            nodes.append(value)
        elif kind == "comment":
            nodes.append(Comment(value))
        else:
            prefix, name = classify(value)
            if prefix in ("#", "^"):
                open_tags.append((prefix, name, []))
            elif prefix == "/":
                if not open_tags or open_tags[-1][1] != name:
                    raise ValueError(f"template closes {{{{/{name}}}}} that is not open")
                opening, field, children = open_tags.pop()
                (open_tags[-1][2] if open_tags else root).append(Conditional(field, opening == "^", tuple(children)))
            else:
                *filters, field = name.split(":")
                nodes.append(Replacement(field, tuple(reversed(filters))))
    if open_tags:
        prefix, name, _ = open_tags[-1]
        raise ValueError(f"template leaves {{{{{prefix}{name}}}}} open")
    return tuple(root)


def field_names_used(nodes: tuple) -> list[tuple[str, str]]:
    """('{{Field}}' as written, the field) for every field a template fills in or tests, in order; FrontSide,
    a filter given no field, and {{#c1}} (a card number) left out."""
    used = []
    for node in nodes:
        if isinstance(node, Replacement) and node.field != "FrontSide" and (node.field or not node.filters):
            used.append((f"{{{{{':'.join((*reversed(node.filters), node.field))}}}}}", node.field))
        elif isinstance(node, Conditional):
            if not is_card_number(node.field):
                used.append((f"{{{{{'^' if node.negated else '#'}{node.field}}}}}", node.field))
            used += field_names_used(node.children)
    return used


def is_card_number(key: str) -> bool:
    """{{#c2}}: true on card 2, on any note type (Anki's cloze conditional)."""
    return key[:1] == "c" and key[1:].isdigit() and key[1:].isascii()


def is_empty(field: str) -> bool:
    return EMPTY_FIELD.match(field) is not None


def special_fields(note_type: NoteType, template_name: str, context: CardContext) -> dict[str, str]:
    """What Anki fills the special fields with; a card's id is Anki's own, unknown before it is imported."""
    tags = " ".join(sorted(context.tags, key=str.lower))  # Anki keeps a note's tags sorted, ignoring case
    return {"Tags": tags, "Type": note_type.name, "Subdeck": context.deck.rsplit("::", 1)[-1], "Deck": context.deck,
            "CardFlag": "flag0", "Card": template_name, "CardID": ""}


def fill(nodes: tuple, fields: dict[str, str], ord_: int, front_side: str | None) -> str:
    """The template's text with its fields filled in; front_side is None on the question side."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Comment):
            out.append(f"{COMMENT_START}{node.text}{COMMENT_END}")
        elif isinstance(node, Conditional):
            if node.field not in fields and not is_card_number(node.field):
                raise ValueError(f"template refers to unknown field {node.field!r}")
            if is_empty(fields.get(node.field, "")) == node.negated:
                out.append(fill(node.children, fields, ord_, front_side))
        elif node.field == "FrontSide":
            out.append(front_side or "")
        elif not node.field and node.filters:
            continue  # a filter given no field: Anki passes it nothing, and no filter of its own adds text
        elif node.field not in fields:
            raise ValueError(f"template refers to unknown field {node.field!r}")
        else:
            out.append(apply_filters(fields[node.field], node.filters, node.field, ord_, front_side is None))
    return "".join(out)


def speech(options: str, content: str) -> Speech | None:
    """A [anki:tts …] tag as Anki reads it aloud; None if it names no language (Anki shows an error)."""
    values = {key: quoted or bare for key, quoted, bare in TTS_OPTION.findall(options)}
    if not values.get("lang"):
        return None
    try:
        speed = float(values.get("speed", "1"))
    except ValueError:
        speed = 1.0
    voices = tuple(values["voices"].split(",")) if "voices" in values else ()
    other = tuple(f"{key}={value}" for key, value in values.items()
                  if key not in ("lang", "voices", "speed", "cloze_blank"))
    text = strip_html(TTS_LINE_BREAK.sub(" ", content)).replace("[...]", values.get("cloze_blank", "blank"))
    return Speech(text, values["lang"], voices, speed, other)


def extract_sounds(html: str, question: bool) -> Face:
    """[sound:x.mp3] and [anki:tts …]…[/anki:tts] → [anki:play:q:0], as Anki does before the reviewer puts
    play buttons there."""
    sounds: list = []
    side = "q" if question else "a"

    def placeholder(match: re.Match) -> str:
        if match.group(1) is not None:
            sounds.append(match.group(1))
        else:
            spoken = speech(match.group(2), match.group(3))
            if spoken is None:
                return match.group(0)
            sounds.append(spoken)
        return f"[anki:play:{side}:{len(sounds) - 1}]"

    return Face(AV_TAG.sub(placeholder, html), tuple(sounds))


def render_card(note_type: NoteType, fields: tuple[str, ...], ord_: int,
                context: CardContext = CardContext()) -> RenderedCard:
    """Front and back of the card with ordinal `ord_` of a note with these fields (in field order)."""
    template = note_type.templates[0 if note_type.is_cloze else ord_]
    by_name = {**special_fields(note_type, template.name, context), **dict(zip(note_type.fields, fields, strict=True))}
    by_name.setdefault(f"c{ord_ + 1}", "1")
    front = extract_sounds(fill(parse_template(template.front), by_name, ord_, None), question=True)
    back = extract_sounds(fill(parse_template(template.back), by_name, ord_, front.html), question=False)
    name = f"Cloze {ord_ + 1}" if note_type.is_cloze else template.name
    return RenderedCard(ord_, name, front, back)


def renders_with_fields(nodes: tuple, nonempty: set[str]) -> bool:
    """Whether a template's front shows anything when these fields are filled (Anki's template_is_empty)."""
    for node in nodes:
        if isinstance(node, Replacement):
            if node.field in nonempty:
                return True
        elif isinstance(node, Conditional):
            if (node.field in nonempty) != node.negated and renders_with_fields(node.children, nonempty):
                return True
    return False


def nonempty_fields(names: Sequence[str], fields: Sequence[str], has_tags: bool) -> set[str]:
    """The fields Anki counts as filled when it makes a note's cards: its own that are not empty, and the
    special fields (Tags only when the note has tags) that no field of the note type hides."""
    filled = {name for name, text in zip(names, fields) if not is_empty(text)}
    specials = {name for name in SPECIAL_FIELDS if name != "FrontSide" and (name != "Tags" or has_tags)}
    return filled | (specials - set(names))


def card_ords(note_type: NoteType, fields: tuple[str, ...], tags: tuple[str, ...] = ()) -> list[int]:
    """The ordinals of the cards Anki makes for a note: each template whose front shows something for the
    fields that are filled, or for a cloze note type one per cloze number in any of its fields."""
    if note_type.is_cloze:
        return cloze.card_ords(fields)
    nonempty = frozenset(nonempty_fields(note_type.fields, fields, bool(tags)))
    return list(showing_fronts(tuple(template.front for template in note_type.templates), nonempty))


@lru_cache(maxsize=4096)
def showing_fronts(fronts: tuple[str, ...], nonempty: frozenset[str]) -> tuple[int, ...]:
    """The templates whose front shows something for these filled fields: a deck's notes fill few different
    sets of fields, so each set is worked out once (every note of a big deck asks)."""
    return tuple(ord_ for ord_, front in enumerate(fronts) if renders_with_fields(parse_template(front), nonempty))


def render_note(note_type: NoteType, fields: tuple[str, ...], context: CardContext = CardContext(),
                ords: tuple[int, ...] | None = None) -> list[RenderedCard]:
    """Every card of a note (or those of `ords`), in Anki's card order."""
    chosen = card_ords(note_type, fields, context.tags) if ords is None else ords
    return [render_card(note_type, fields, ord_, context) for ord_ in chosen]


def generated_ords(fronts: Sequence[str], is_cloze: bool, names: Sequence[str], fields: Sequence[str],
                   has_tags: bool) -> list[int]:
    """The cards Anki makes when it adds a note of a note type known only by its templates' fronts (a foreign
    deck's, rslib notetype/cardgen.rs): as card_ords, and card 1 when that is none (Anki never adds a note
    without a card). A front that does not parse makes no card."""
    if is_cloze:
        return cloze.card_ords(fields) or [0]
    nonempty = nonempty_fields(names, fields, has_tags)
    ords = []
    for ord_, front in enumerate(fronts):
        try:
            if renders_with_fields(parse_template(front), nonempty):
                ords.append(ord_)
        except ValueError:
            continue
    return ords or [0]
