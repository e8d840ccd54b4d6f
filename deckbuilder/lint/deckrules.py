"""Lint rules that read the deck as a whole: problems between cards, which no card shows on its own.

A learner meets each card alone, with the rest of the deck in memory. A question that another card asks
with another answer, a reverse card that several subjects answer, an answer that many questions share (so
the question gives it away): each card is fine by itself, and together they teach guessing. Also here:
words of a relationship's answer already in its question, type-in answers a learner would type otherwise,
and words that point at a context the card does not show.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from deckbuilder.lint.rules import RULES, Hit, LintContext, each_prompt, rule
from deckbuilder.lint.text import Prompt, content_words
from deckbuilder.model import Card, Deck

__all__ = ["RULES"]  # rules.py's rules and, once this module is imported, its own: lint/linter.py runs them all

MAX_SHARED_ANSWER = 3  # cards that may share one answer before the question gives it away
LISTED = 3  # other cards named in a message before "and N more"
ARTICLES = re.compile(r"(?:a|an|the)\s+", re.IGNORECASE)
CODE = re.compile(r"(?=[A-Za-z-]*\d)(?=\d*[A-Za-z])[A-Za-z0-9-]+\Z")  # B6, K2, MK-7: letters and digits
QUALIFIERS = ("vitamin", "mineral", "protein", "form", "type")  # words learners put before a code
FORM_NOTE = re.compile(r"\([^()]+\)[\s?.!]*\Z")  # "… in what? (one word, plural)": the question says what to type
CONTEXT_WORDS = re.compile(
    r"\b(?:(?:all\s+)?(?:these|those)(?:\s+(?!and\b|or\b|are\b|is\b)\w+)?"
    r"|this\s+(?:section|article|part|chapter|passage|paragraph|list|point|step|process|text|image|table|figure)"
    r"|the\s+(?:above|following|previous|former|latter)(?:\s+\w+)?|(?:mentioned|shown|listed)\s+above)\b",
    re.IGNORECASE)
SHOWN_FIELDS = ("front", "back", "text", "subject", "relation", "object", "inverse")  # on a card's question or answer


def others(cards: list[Card], card: Card) -> str:
    """The other cards' ids, the first few named."""
    ids = list(dict.fromkeys(other.id for other in cards if other.id != card.id))
    named = ", ".join(f"'{card_id}'" for card_id in ids[:LISTED])
    return named + (f" and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


def answer_of(prompt: Prompt) -> str:
    return " / ".join(prompt.answers)


@rule("same-question", "warning",
      "two cards that ask the same question for different answers can only be answered by guessing which one "
      "is meant: ask one cloze over the set, or name in each question what tells it apart")
def same_questions(deck: Deck, context: LintContext) -> Iterator[Hit]:
    asked: dict[frozenset[str], list[tuple[Card, Prompt]]] = defaultdict(list)
    for card, prompt in each_prompt(deck, context):
        words = content_words(prompt.question)
        if words:
            asked[words].append((card, prompt))
    for same in asked.values():
        first_card, first = same[0]
        for card, prompt in same[1:]:
            if reverse_of_relationship(card, prompt) and reverse_of_relationship(first_card, first):
                continue  # relationships sharing object and relation: reverse-has-many-answers says so
            if card.id != first_card.id and content_words(answer_of(prompt)) != content_words(answer_of(first)):
                yield Hit(prompt.where, f"card '{first_card.id}' ({first.where.path}:{first.where.line}) asks the "
                          f"same question for '{answer_of(first)}', this one for '{answer_of(prompt)}'; name in "
                          "the question what tells them apart", card)


def reverse_of_relationship(card: Card, prompt: Prompt) -> bool:
    return card.type == "relationship" and prompt.where == card.text("subject").where


@rule("reverse-has-many-answers", "warning",
      "relationships that share their object and relation make reverse cards with several right answers, "
      "answered by elimination: write them as one group (a set cloze, and a card per member with its cue)")
def reverses_with_many_answers(deck: Deck, context: LintContext) -> Iterator[Hit]:
    alike: dict[tuple[frozenset[str], frozenset[str]], list[Card]] = defaultdict(list)
    for card in deck.cards:
        if card.type == "relationship":
            plain = context.plain(deck, card)
            alike[(content_words(plain("object")), content_words(plain("relation")))].append(card)
    for cards in alike.values():
        subjects = {content_words(context.plain(deck, card)("subject")) for card in cards}
        if len(subjects) < 2:
            continue
        for card in cards:
            plain = context.plain(deck, card)
            yield Hit(card.text("subject").where, f"the reverse card, asking what '{plain('relation')}' "
                      f"'{plain('object')}', has {len(subjects)} right answers in this deck (also the subjects of "
                      f"{others(cards, card)}); make them one group, each member with a cue only it fits", card)


@rule("shared-answer", "warning",
      f"an answer shared by more than {MAX_SHARED_ANSWER} cards is given away by the question: ask what tells the "
      "cards apart (a cue, a group), not what they have in common")
def shared_answers(deck: Deck, context: LintContext) -> Iterator[Hit]:
    by_answer: dict[frozenset[str], list[tuple[Card, Prompt]]] = defaultdict(list)
    for card, prompt in each_prompt(deck, context):
        words = content_words(answer_of(prompt))
        if words:
            by_answer[words].append((card, prompt))
    for sharing in by_answer.values():
        if len(sharing) <= MAX_SHARED_ANSWER:
            continue
        cards = [card for card, _ in sharing]
        for card, prompt in sharing:
            yield Hit(prompt.where, f"{len(sharing)} cards have the answer '{answer_of(prompt)}' (also "
                      f"{others(cards, card)}); ask what tells this one apart", card)


@rule("relation-holds-answer", "warning",
      "a relationship card whose question already holds half its answer's words or more asks only for the rest: "
      "move those words out of the relation, or out of the answer")
def relations_holding_answers(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, prompt in each_prompt(deck, context):
        if card.type != "relationship":
            continue
        answer = content_words(answer_of(prompt))
        shown = answer & content_words(prompt.question)
        # Half the answer or more, not all of it (that is answer-in-question's finding): "the vitamin …?" → "vitamin
        # D" asks one letter; a topic word the whole deck shares ("calcium") gives nothing away.
        if shown and not answer <= shown and 2 * len(shown) >= len(answer):
            words = " ".join(sorted(shown))
            yield Hit(prompt.where, f"the question already shows '{words}' of the answer '{answer_of(prompt)}'; "
                      "take those words out of the relation or the answer", card)


@rule("type-in-variants", "warning",
      "Anki marks a typed answer wrong for any difference in case, article, plural or qualifier: say in the "
      "question what to type, or make it a basic card")
def type_in_variants(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card, prompt in each_prompt(deck, context):
        if card.type != "type-in" or FORM_NOTE.search(prompt.question):
            continue
        found = likely_typed(prompt.answers[0], prompt.question)
        if found:
            typed = " or ".join(f"'{variant}'" for variant in found)
            yield Hit(prompt.where, f"learners may type {typed} for '{prompt.answers[0]}', which Anki marks wrong; say "
                      "what to type in brackets at the end of the question, e.g. '(one word, plural)'", card)


def likely_typed(answer: str, question: str) -> list[str]:
    """What a learner may type for `answer` instead: with the qualifier the question uses, in lower case,
    without its article, in the singular."""
    variants = []
    question_words = content_words(question)
    if CODE.match(answer):
        variants += [f"{word} {answer}" for word in QUALIFIERS if word in question_words][:1]
    variants.append(answer.lower())
    variants.append(ARTICLES.sub("", answer, count=1) if ARTICLES.match(answer) else answer)
    if " " not in answer and len(answer) > 3 and answer.endswith("s") and not answer.endswith("ss"):
        variants.append(answer[:-1])
    return [variant for variant in dict.fromkeys(variants) if variant != answer]


@rule("context-word", "warning",
      "words such as 'these', 'this section' or 'the above' point at a context the card does not show: "
      "a card is met alone, so name what they mean")
def context_words(deck: Deck, context: LintContext) -> Iterator[Hit]:
    for card in deck.cards:
        for name in SHOWN_FIELDS:
            text = card.text(name)
            if text is None:
                continue
            for match in CONTEXT_WORDS.finditer(context.plain(deck, card)(name)):
                yield Hit(text.where, f"'{match.group()}' points at something the card does not show; "
                          "name what it means", card)
