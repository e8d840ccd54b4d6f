"""Card text as the learner sees it, for lint rules: plain words, each card's question and answers."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from deckbuilder.anki import cloze
from deckbuilder.anki.templates import field_names_used, parse_template
from deckbuilder.model import Card, DeclaredNoteType
from deckbuilder.problems import Location

BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|div|h[1-6]|tr|blockquote|pre)>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
WORD_CHARACTER = re.compile(r"\w")
TOKEN = re.compile(r"[\w'’]+")
# Words that carry no content: a question and its answer sharing them gives nothing away.
STOPWORDS = frozenset(
    "a an the of to in on at by for from with and or not no is are was were be been being it its this that these "
    "those as than then so what which who whom whose does do did how why when where per your you our we they "
    "their can could would should may might must has have had into onto about".split())
HIDDEN = "\u2591"  # stands for one hidden word in a cloze card's question
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def plain(rendered: str) -> str:
    """The text of rendered HTML: tags gone, entities decoded, block ends kept as line breaks."""
    text = html.unescape(TAG.sub("", BLOCK_END.sub("\n", rendered)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def word_count(text: str) -> int:
    return sum(1 for token in text.split() if WORD_CHARACTER.search(token))


def content_words(text: str) -> frozenset[str]:
    """The words that carry meaning, lower-cased, plural 's' dropped, so 'Bones' matches 'bone'.
    A capital stopword inside a text is a name, not filler: the 'A' of 'Vitamin A' counts."""
    words = set()
    for position, token in enumerate(token.strip("'’") for token in TOKEN.findall(text)):
        word = token.lower()
        if word and (word not in STOPWORDS or (position > 0 and token[0].isupper())):
            words.add(stem(word))
    return frozenset(words)


def stem(word: str) -> str:
    word = word.removesuffix("'s").removesuffix("’s")
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class Prompt:
    """One card of a note: the question it shows, the answers it asks for, and where those are written."""

    question: str
    answers: tuple[str, ...]
    where: Location
    cloze: bool = False  # a cloze card: its answers are its deletions


def cloze_prompt(text: str, number: int | None, where: Location) -> Prompt:
    """Cloze card `number` as Anki shows it: its deletions hidden (with their hints), the others shown;
    with `number` None, the text with every deletion shown."""

    def hide(answer: str, hint: str | None) -> str:
        marks = " ".join(HIDDEN for token in answer.split() if WORD_CHARACTER.search(token)) or HIDDEN
        return f"{marks} [{hint}]" if hint else marks

    question, hidden = cloze.masked(text, number, hide)
    return Prompt(question, tuple(hidden), where, cloze=True)


def prompts(card: Card, plain_text: Callable[[str], str], note_type: DeclaredNoteType | None = None) -> list[Prompt]:
    """Every card the note makes, as question and answers in plain text."""
    if note_type is not None:
        return declared_prompts(card, plain_text, note_type)
    text = {name: plain_text(name) for name, _ in card.fields}
    where = {name: value.where for name, value in card.fields}
    if card.type == "cloze":
        return [cloze_prompt(text["text"], number, where["text"])
                for number in sorted(cloze.card_numbers(text["text"]))]
    if card.type == "relationship":
        backwards = f"{text['object']} {text['inverse']}" if "inverse" in text else \
            f"{text['relation']} {text['object']}"
        return [Prompt(f"{text['subject']} {text['relation']}", (text["object"],), where["object"]),
                Prompt(backwards, (text["subject"],), where["subject"])]
    forwards = Prompt(text["front"], (text["back"],), where["back"])
    if card.type == "reversed":
        return [forwards, Prompt(text["back"], (text["front"],), where["front"])]
    return [forwards]


def declared_prompts(card: Card, plain_text: Callable[[str], str], note_type: DeclaredNoteType) -> list[Prompt]:
    """The cards of a note of a deck's own note type: for a cloze kind, each deletion of each field; else per
    template, the fields its front shows as the question, and those only its back shows as the answers."""
    where = {name: text.where for name, text in card.fields}
    if note_type.cloze:
        return [cloze_prompt(plain_text(name), number, where[name]) for name in where
                for number in sorted(cloze.card_numbers(plain_text(name)))]
    found = []
    for template in note_type.templates:
        shown = [names_shown(side.value) for side in (template.front, template.back)]
        asked = [name for name in shown[0] if name in where]
        answered = [name for name in shown[1] if name in where and name not in shown[0]]
        if asked and answered:
            found.append(Prompt(" ".join(plain_text(name) for name in asked),
                                tuple(plain_text(name) for name in answered), where[answered[0]]))
    return found


def names_shown(template: str) -> list[str]:
    """The fields a template shows or tests, in order, each once."""
    try:
        return list(dict.fromkeys(name for _, name in field_names_used(parse_template(template))))
    except ValueError:  # check reports it
        return []


def whole_question(card: Card, plain_text: Callable[[str], str], note_type: DeclaredNoteType | None = None) -> str:
    """What a note asks about, for comparing notes: the front, the cloze text in full, or the relationship."""
    if note_type is not None and note_type.cloze:
        return " ".join(cloze_prompt(plain_text(name), None, text.where).question for name, text in card.fields)
    if note_type is not None:
        asked = declared_prompts(card, plain_text, note_type)
        return asked[0].question if asked else ""
    if card.type == "cloze":
        return cloze_prompt(plain_text("text"), None, card.where).question
    if card.type == "relationship":
        return " ".join(plain_text(name) for name in ("subject", "relation", "object"))
    return plain_text("front")


def sentences_with_hidden_words(question: str) -> list[tuple[int, int]]:
    """For each sentence of a cloze question that hides words: (hidden words, all words)."""
    counts = []
    for sentence in SENTENCE_END.split(question):
        hidden = sentence.count(HIDDEN)
        if hidden:
            counts.append((hidden, word_count(sentence) + hidden))
    return counts
