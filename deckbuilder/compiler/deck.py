"""Compiling a deck: every card's note in article order, the media they show, the deck's own HTML."""

from __future__ import annotations

import html
from typing import Iterable

from deckbuilder.compiler.activecontent import OPT_IN, active_content, is_script_url
from deckbuilder.compiler.card import CompiledCard, DeckContext, compile_card, section_label
from deckbuilder.compiler.identity import deck_id
from deckbuilder.compiler.markdown import to_html
from deckbuilder.compiler.media import kept_media
from deckbuilder.compiler.note import CompiledDeck
from deckbuilder.compiler.notetypes import deck_note_types, note_type_problems, template_media
from deckbuilder.model import AuthoredText, Deck, DeckHeader
from deckbuilder.problems import Problem, display_path


def compile_deck(deck: Deck) -> tuple[CompiledDeck, list[Problem]]:
    """The deck's notes, one per card in article order, and every problem found compiling them."""
    context = DeckContext.of(deck)
    return assemble_deck(deck, (compile_card(card, context) for card in deck.cards))


def assemble_deck(deck: Deck, cards: Iterable[CompiledCard]) -> tuple[CompiledDeck, list[Problem]]:
    """The compiled deck that a deck's compiled cards make, in their order, and all their problems."""
    notes, problems = [], []
    templates = template_media(deck)[0]
    media = {file.name: file for file in templates}
    for card in cards:
        notes.append(card.note)
        for file in card.media:
            first = media.setdefault(file.name, file)
            if first.path != file.path and first.path.read_bytes() != file.path.read_bytes():
                problems.append(Problem(deck.header.where, f"two media files are named '{file.name}': "
                                        f"{display_path(first.path)} and {display_path(file.path)}",
                                        "Anki keeps a deck's media in one folder: rename one"))
        problems += card.problems
    description, header_problems = deck_description(deck.header)
    compiled = CompiledDeck(deck.header.key, deck.header.name, deck_id(deck.header.name), description,
                            tuple(notes), tuple(media[name] for name in sorted(media)), deck_note_types(deck),
                            tuple((section.id, html.escape(section_label(section))) for section in deck.sections),
                            subdeck_descriptions(deck.header), kept_media(templates))
    return compiled, problems + header_problems + note_type_problems(deck)


def description_html(header: DeckHeader, text: AuthoredText) -> str:
    """A deck's or subdeck's description as Anki gets it: Markdown rendered, or HTML kept as written."""
    return text.value if header.html_description else to_html(text.value)


def subdeck_descriptions(header: DeckHeader) -> tuple[tuple[str, str], ...]:
    return tuple((subdeck, description_html(header, text)) for subdeck, text in header.subdeck_descriptions)


def deck_description(header: DeckHeader) -> tuple[str, list[Problem]]:
    """The description as HTML, and the scripts in it, in a subdeck's or in a javascript: source URL."""
    description = description_html(header, header.description) if header.description else ""
    if header.allow_scripts:
        return description, []
    texts = ([header.description] if header.description else []) + [text for _, text in header.subdeck_descriptions]
    problems = [Problem(text.where, f"the description holds {what}", OPT_IN)
                for text in texts for what in active_content(description_html(header, text))]
    if is_script_url(header.source.url):
        problems.append(Problem(header.source.url_where, "the source URL is a javascript: URL", OPT_IN))
    return description, problems

