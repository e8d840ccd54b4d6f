"""Lint rules for cards that are hard to learn, after the minimum information principle
("Effective learning: Twenty rules of formulating knowledge"), and for cards that render badly."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable, Iterator

from deckbuilder.compiler.activecontent import active_parts
from deckbuilder.compiler.fields import RenderedField, render_field
from deckbuilder.compiler.notetypes import template_media
from deckbuilder.lint.text import (Prompt, content_words, plain, prompts, sentences_with_hidden_words, whole_question,
                                   word_count)
from deckbuilder.model import AuthoredText, Card, Deck
from deckbuilder.problems import Location, display_path
from deckbuilder.source.cardformat import LINT_RULE_IDS

SIMILAR_QUESTIONS = 0.8  # Jaccard similarity of content words from which two questions interfere
CLOZE_MOST_HIDDEN = 0.5  # a cloze card hiding more than this share of a sentence leaves too few cues
ENUMERATION_ITEMS = 3
ENUMERATION_SEPARATOR = re.compile(r"\n|[,;]\s|\s(?:and|or|&)\s")
# A part that starts a clause or an aside about the part before it: not an item of a list.
NOT_AN_ITEM = re.compile(r"(?:that|which|who|whom|whose|where|when|while|because|although|though|since|unless|if|"
                         r"usually|often|mostly|mainly|typically|especially|sometimes|such as|like|e\.g\.|i\.e\.|"
                         r"for example|for instance|including|not)\b", re.IGNORECASE)
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MEDIA_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".tif", ".tiff",
                  ".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".flac", ".mp4", ".webm", ".ogv", ".mov"}


@dataclass(frozen=True)
class Hit:
    """One thing a rule found: where, what, and the card it belongs to (for the card's own ignores)."""

    where: Location
    message: str
    card: Card | None = None


@dataclass
class LintContext:
    """What rules share in one run: the settings, every deck linted, and each field rendered once, by the
    compiler's own renderer (lint judges the HTML learners get)."""

    max_answer_words: int
    decks: list[Deck]
    rendered: dict[tuple[Location, str], RenderedField] = field(default_factory=dict)
    card_prompts: dict[Location, list[Prompt]] = field(default_factory=dict)

    def rendered_field(self, deck: Deck, card: Card, name: str) -> RenderedField:
        key = (card.where, name)
        if key not in self.rendered:
            declared = deck.note_type(card.type)
            self.rendered[key] = render_field(card.type, name, card.text(name), card.folder, deck.folder,
                                              allow_scripts=True, markdown=declared is None or declared.markdown,
                                              missing=deck.header.missing_media)
        return self.rendered[key]

    def html(self, deck: Deck, card: Card, name: str) -> str:
        return self.rendered_field(deck, card, name).html

    def plain(self, deck: Deck, card: Card) -> Callable[[str], str]:
        return lambda name: plain(self.html(deck, card, name))

    def prompts(self, deck: Deck, card: Card) -> list[Prompt]:
        if card.where not in self.card_prompts:
            self.card_prompts[card.where] = prompts(card, self.plain(deck, card), deck.note_type(card.type))
        return self.card_prompts[card.where]

    def media(self, deck: Deck, card: Card, name: str) -> tuple[list[Path], list[str]]:
        """The local files a field refers to, and a message for each that is missing or may not be used."""
        rendered = self.rendered_field(deck, card, name)
        messages = [f"{problem.message} ({problem.hint})" if problem.hint else problem.message
                    for problem in rendered.media_problems]
        return [file.path for file in rendered.media], messages


Check = Callable[[Deck, LintContext], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error" (lint exits 1) or "warning"
    why: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, why: str) -> Callable[[Check], Check]:
    if rule_id not in LINT_RULE_IDS:  # a card file could not switch it off
        raise ValueError(f"lint rule '{rule_id}' is not in the card format's LINT_RULE_IDS")

    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, severity, why, check)
        return check
    return register


def each_prompt(deck: Deck, context: LintContext) -> Iterator[tuple[Card, Prompt]]:
    for card in deck.cards:
        for prompt in context.prompts(deck, card):
            yield card, prompt


def each_field(deck: Deck) -> Iterator[tuple[Card, str, AuthoredText]]:
    for card in deck.cards:
        for name, text in card.fields:
            yield card, name, text


@rule("long-answer", "warning",
      "a long answer is recalled in pieces or not at all: keep one short fact per card (minimum information)")
def long_answers(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, prompt in each_prompt(deck, context):
        for answer in prompt.answers:
            words = word_count(answer)
            if words > context.max_answer_words:
                yield Hit(prompt.where, f"the answer has {words} words, more than {context.max_answer_words}; "
                          "split it into several cards or cloze its key words", card)


@rule("enumeration", "warning",
      "a list in an answer is hard to recall as a whole: a cloze per item asks each one (avoid enumerations)")
def enumerations(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, prompt in each_prompt(deck, context):
        if prompt.cloze:
            continue
        items = [item for item in enumeration_items(prompt.answers[0]) if item]
        if len(items) >= ENUMERATION_ITEMS:
            yield Hit(prompt.where, f"the answer lists {len(items)} items; make it a cloze card with one "
                      "deletion per item", card)


def enumeration_items(answer: str) -> list[str]:
    """The answer's parts between commas, 'and', 'or' and line breaks, less those that only say more of the
    part before them ("A molecule, usually a protein, that belongs to the pathogen" lists one thing)."""
    return [item for item in map(str.strip, ENUMERATION_SEPARATOR.split(answer)) if not NOT_AN_ITEM.match(item)]


@rule("near-duplicate", "warning",
      "two nearly identical questions interfere: you recall one when asked the other (combat interference)")
def near_duplicates(deck: Deck, context: LintContext) -> Iterator[Hit]:
    questions = [content_words(whole_question(card, context.plain(deck, card), deck.note_type(card.type)))
                 for card in deck.cards]
    for earlier, later in similar_pairs(questions, SIMILAR_QUESTIONS):
        first, card = deck.cards[earlier], deck.cards[later]
        yield Hit(question_place(card), f"the question is nearly the same as card '{first.id}' "
                  f"({first.where.path}:{first.where.line})", card)


def question_place(card: Card) -> Location:
    for name in ("front", "text", "subject"):
        if card.text(name) is not None:
            return card.text(name).where
    return card.fields[0][1].where if card.fields else card.where


def similar_pairs(sets: list[frozenset[str]], threshold: float) -> list[tuple[int, int]]:
    """Pairs (i < j) of word sets with Jaccard similarity >= threshold, each j once, without comparing all
    pairs: sets that similar must share a word among their rarest few (prefix filtering)."""
    frequency = Counter(word for words in sets for word in words)
    index: dict[str, list[int]] = defaultdict(list)
    pairs = []
    for position, words in enumerate(sets):
        ordered = sorted(words, key=lambda word: (frequency[word], word))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1]
        candidates = sorted({other for word in prefix for other in index[word]})
        for other in candidates:
            if not threshold * len(words) <= len(sets[other]) <= len(words) / threshold:
                continue  # sizes too far apart for the threshold
            union = len(words | sets[other])
            if union and len(words & sets[other]) / union >= threshold:
                pairs.append((other, position))
                break
        for word in prefix:
            index[word].append(position)
    return pairs


@rule("cloze-hides-most", "warning",
      "a cloze that hides most of its sentence leaves too few cues to recall it from: hide the key words only")
def clozes_hiding_most(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, prompt in each_prompt(deck, context):
        if not prompt.cloze:
            continue
        for hidden, total in sentences_with_hidden_words(prompt.question):
            if hidden / total > CLOZE_MOST_HIDDEN:
                yield Hit(prompt.where, f"a deletion hides {hidden} of the {total} words of its sentence; "
                          "hide only the key words", card)
                break


@rule("answer-in-question", "warning",
      "a question that shows its answer tests reading, not recall: reword it so the answer is not in it")
def answers_in_questions(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, prompt in each_prompt(deck, context):
        answer = content_words(" ".join(prompt.answers))
        if answer and answer <= content_words(prompt.question):
            shown = " / ".join(prompt.answers)
            yield Hit(prompt.where, f"the question already shows the answer '{shown}'", card)


@rule("dangerous-html", "error",
      "scripts, frames and event handlers run inside Anki on every device that shows the card")
def dangerous_html(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, name, text in each_field(deck):
        for danger in scan_html(context.html(deck, card, name)).dangers:
            yield Hit(text.where, f"{danger}; cards must not run code", card)


@rule("unbalanced-html", "error",
      "an unclosed or stray tag breaks the card's layout: the answer or the source line can vanish")
def unbalanced_html(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, name, text in each_field(deck):
        scanner = scan_html(context.html(deck, card, name))
        for tag in scanner.unclosed:
            yield Hit(text.where, f"<{tag}> is not closed", card)
        for tag in scanner.stray:
            yield Hit(text.where, f"</{tag}> closes a tag that is not open", card)


class TagScanner(HTMLParser):
    """Tags opened and closed in a field, and anything in it that would run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.stray: list[str] = []
        self.unclosed: list[str] = []
        self.dangers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.handle_startendtag(tag, attrs)
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.dangers += active_parts(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if tag not in self.open:
            self.stray.append(tag)
            return
        index = len(self.open) - 1 - self.open[::-1].index(tag)
        self.unclosed += self.open[index + 1:]  # opened inside it and never closed
        del self.open[index:]


def scan_html(fragment: str) -> TagScanner:
    scanner = TagScanner()
    scanner.feed(fragment)
    scanner.close()
    scanner.unclosed += scanner.open
    return scanner


@rule("missing-media", "error", "a card that refers to a missing file shows a broken image or plays nothing")
def missing_media(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, name, text in each_field(deck):
        for message in context.media(deck, card, name)[1]:
            yield Hit(text.where, message, card)


@rule("unused-media", "warning",
      "a media file no card refers to usually means a mistyped path or a card that lost its picture")
def unused_media(deck: Deck, context: LintContext) -> Iterator[Hit]:
    used = {path.resolve() for other in context.decks for card, name, _ in each_field(other)
            for path in context.media(other, card, name)[0]}
    used |= {file.path.resolve() for other in context.decks for file in template_media(other)[0]}  # '_logo.png'
    own = {path.resolve() for card, name, _ in each_field(deck) for path in context.media(deck, card, name)[0]}
    for folder in sorted({path.parent for path in own}):
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in MEDIA_SUFFIXES and path.is_file() and path not in used:
                yield Hit(Location(display_path(path)), f"no card uses '{path.name}'")


@rule("empty-section", "warning", "a section without cards teaches nothing and makes no tag: add cards or drop it")
def empty_sections(deck: Deck, context: LintContext) -> Iterator[Hit]:
    used = {card.section for card in deck.cards}
    for section in deck.sections:
        if section.id not in used:
            yield Hit(section.where, f"section '{section.id}' has no cards")
