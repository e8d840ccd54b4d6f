"""The card format, declared once: it checks card files and is exported as JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

from deckbuilder.source.schema import Choice, DeckName, Flag, Identifier, Integer, Text
from deckbuilder.source.structure import Either, Key, ListOf, Mapping, TextMapping, Variants

SCHEMA_ID = "https://deckbuilder.invalid/deckbuilder.schema.json"
SCHEMA_FILE_NAME = "deckbuilder.schema.json"

KEY_PATTERN = r"[a-z0-9][a-z0-9-]*"
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"
TAG_PATTERN = r"[^\s\"]+"
CARD_TYPES = ["basic", "reversed", "cloze", "type-in"]
# The lint rules a card file may switch off: the format's own words, so an unknown one is found when the file
# is checked; lint/rules.py and lint/deckrules.py define a rule for each (a test holds the two together).
LINT_RULE_IDS = ("long-answer", "enumeration", "near-duplicate", "cloze-hides-most", "answer-in-question",
                 "dangerous-html", "unbalanced-html", "missing-media", "unused-media", "empty-section",
                 "same-question", "reverse-has-many-answers", "shared-answer", "relation-holds-answer",
                 "type-in-variants", "context-word")

card_id = Identifier(ID_PATTERN, "card id",
                     "Stable id, unique in the deck. The note's identity in Anki comes from it: "
                     "never change it once people study the card, or they get a new card and lose its history.")
section_id = Identifier(KEY_PATTERN, "section key",
                        "Stable id of the section; every note in it is tagged '<deck key>::<section id>'.")
tags = ListOf(Identifier(TAG_PATTERN, "tag"), "Extra Anki tags for this note (no spaces; '::' for a hierarchy).")
kind = Identifier(KEY_PATTERN, "kind key",
                  "What the card teaches, as a tag '<deck key>::kind::<kind>': e.g. takeaway, fact, definition. "
                  "Default: fact.")
extra = Text("Markdown shown on the back below the answer: context, an example, a why.")
subdeck = DeckName("The subdeck its cards go to, below the deck's name: 'Verbs' puts them in '<deck name>::Verbs'; "
                   "'Verbs::Strong' one level further down. Cards already imported stay where they are.")
# Anki's rules for a field's name: it is used in templates as {{Name}}.
FIELD_NAME_PATTERN = r'[^:{}"#/^\s](?:[^:{}"]*[^:{}"\s])?'
field_name = Identifier(FIELD_NAME_PATTERN, "field name", "A field's name, as templates name it: {{Name}}.")
ADD_IDS = "run 'deckbuilder ids --write' to give every card without one a fresh id"
# Anki's ids are 64-bit numbers; a field's or template's may be negative.
ANKI_ID_RANGE = -(1 << 63)
# The stock note type Anki made a note type from (its originalStockKind): Anki's Image Occlusion editor needs it.
STOCK_KINDS = {"basic": 1, "basic-and-reversed": 2, "basic-optional-reversed": 3, "basic-typing": 4, "cloze": 5,
               "image-occlusion": 6}
# The settings of a note type (but its id: `anki_id`), of its fields and of its templates that Anki keeps beyond
# deckbuilder's own keys: each key of the card format → its key in Anki's note type (what an import keeps, what a
# build sends).
NOTE_TYPE_SETTINGS = {"latex_pre": "latexPre", "latex_post": "latexPost", "latex_svg": "latexsvg",
                      "stock": "originalStockKind", "original_id": "originalId"}
FIELD_SETTINGS = {"anki_id": "id", "description": "description", "plain_text": "plainText",
                  "collapsed": "collapsed", "exclude_from_search": "excludeFromSearch", "tag": "tag",
                  "prevent_deletion": "preventDeletion"}
TEMPLATE_SETTINGS = {"anki_id": "id", "browser_front": "bqfmt", "browser_back": "bafmt", "browser_font": "bfont",
                     "browser_size": "bsize"}
CARD_NAME_PATTERN = r"\S(?:.*\S)?"
card_subdecks = TextMapping(
    Identifier(CARD_NAME_PATTERN, "card name", "A card of the note: its template's name, or c1, c2… for a cloze."),
    DeckName("The subdeck this card goes to, below the deck's name."),
    "Cards of this note that go to another subdeck than the note's, by card: a template's name ('Card 2'), or "
    "c1, c2… for the deletions of a cloze. Cards already imported stay where they are.", what="card subdecks")
guid = Text("The GUID the note has in Anki, kept from an imported deck: its identity in every collection that has "
            "it. Never change it. Without it, the GUID comes from the deck's key and the card's id.")


def anki_id(what: str) -> Integer:
    return Integer(f"Anki's id of the {what}, kept from an imported deck: Anki matches {what}s by it.",
                   minimum=ANKI_ID_RANGE)


def lint_settings(where: str) -> Mapping:
    rule_id = Choice(list(LINT_RULE_IDS), "A lint rule id; 'deckbuilder lint --rules' lists them.", what="lint rule",
                     listing="'deckbuilder lint --rules' lists them")
    return Mapping({"ignore": Key(ListOf(rule_id, f"Lint rules switched off {where}."))},
                   what="lint settings", description=f"How 'deckbuilder lint' treats {where}.")


def card_keys(**text_keys: Key) -> dict[str, Key]:
    """The keys every card has, with the text keys of one card type in between."""
    return {
        "id": Key(card_id, required=True, draft_without=True),
        "type": Key(Choice(CARD_TYPES, "Card type; default basic.")),
        "kind": Key(kind),
        **text_keys,
        "extra": Key(extra),
        "tags": Key(tags),
        "lint": Key(lint_settings("for this card")),
        "subdeck": Key(subdeck),
        "card_subdecks": Key(card_subdecks),
        "guid": Key(guid),
    }


def question_card(what: str, front: str, back: str) -> Mapping:
    return Mapping(card_keys(
        front=Key(Text(front), required=True, hint=f"{what} needs a front: the question"),
        back=Key(Text(back), required=True, hint=f"{what} needs a back: the answer"),
    ), what=what, description=f"A {what}.",
        misplaced={"text": "'text' belongs to cloze cards: add 'type: cloze'"})


own_type_card = Mapping({
    **{key: value for key, value in card_keys().items() if key != "extra"},
    "type": Key(Identifier(KEY_PATTERN, "note type id", "The id of a note type the deck declares.")),
    "fields": Key(TextMapping(field_name, Text("The field's text: Markdown, or HTML if its note type says "
                                               "'markup: html'.", blank=True),
                              "The note's fields by name, as its note type declares them; a field left out is empty.",
                              what="fields"),
                  required=True, hint="a card of a deck's own note type gives its fields by name under 'fields:'"),
}, what="card of a deck's own note type", description="A card of a note type the deck declares.",
    misplaced={name: f"'{name}' belongs to deckbuilder's own card types; give this note type's fields under 'fields:'"
               for name in ("front", "back", "text", "extra")})

card = Variants({
    "basic": question_card("basic card", "Markdown question.", "Markdown answer: short, one fact."),
    "reversed": question_card("reversed card", "Markdown; also asked as the answer of the reverse card.",
                              "Markdown; also asked as the question of the reverse card."),
    "cloze": Mapping(card_keys(
        text=Key(Text("Markdown with Anki cloze deletions: {{c1::answer}} or {{c1::answer::hint}}."),
                 required=True, hint="a cloze card needs text with at least one {{c1::…}} deletion"),
    ), what="cloze card", description="A cloze card: one Anki card per deletion number.",
        misplaced={side: "a cloze card has 'text' with {{c1::…}} deletions instead of front and back"
                   for side in ("front", "back")}),
    "type-in": question_card("type-in card", "Markdown question.",
                             "The exact answer the learner types: short plain text, not Markdown."),
}, default="basic", what="a card", description="A card; 'type' picks its kind (default basic) or a note type the "
   "deck declares under 'note_types:'.", other=(Identifier(KEY_PATTERN, "note type id"), own_type_card))

relationship = Mapping({
    "id": Key(card_id, required=True, draft_without=True),
    "subject": Key(Text("Who acts, e.g. 'Vitamin K2'."), required=True,
                   hint="a relationship reads 'subject relation object'"),
    "relation": Key(Text("What the subject does to the object, e.g. 'activates'."), required=True,
                    hint="a relationship reads 'subject relation object'"),
    "object": Key(Text("What is acted on, e.g. 'MGP'."), required=True,
                  hint="a relationship reads 'subject relation object'"),
    "inverse": Key(Text("The relation read backwards, e.g. 'is activated by': the reverse card asks "
                        "'object inverse …?'. Without it the reverse card asks '… relation object?'.")),
    "why": Key(Text("The why or effect, shown on the back, e.g. 'keeps calcium out of the arteries'.")),
    "extra": Key(extra),
    "tags": Key(tags),
    "lint": Key(lint_settings("for this relationship")),
    "subdeck": Key(subdeck),
}, what="relationship",
    description="One relationship the article states: compiles to a forward and a reverse card.")

GROUP_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]*"  # no '.': it joins a group's id and its members' ids


class GroupIdentifier(Identifier):
    def explain(self) -> str:
        return ("use letters, digits, '-' or '_', starting with a letter or digit: a '.' joins a group's id to "
                "its members'")


member = Mapping({
    "id": Key(GroupIdentifier(GROUP_ID_PATTERN, "member id",
                              "Stable id, unique in the group: the member's card is '<group id>.<member id>'."),
              required=True, hint="every member needs a stable id, e.g. 'zinc'"),
    "n": Key(Integer("The member's deletion number in the group's set cloze: never changed, never reused by "
                     "another member, even after this one is removed.", minimum=1),
             required=True, hint="give the next number no member of the group has used"),
    "answer": Key(Text("The member, short: its card's answer and its deletion in the set."), required=True,
                  hint="the member as the learner recalls it, e.g. 'zinc'"),
    "cue": Key(Text("What tells this member from the others, as the article states it: its card asks "
                    "'<ask> — <cue>?'."), required=True,
               hint="a fact the article gives about this member and no other, so the card has one right answer"),
    "extra": Key(extra),
}, what="group member", description="One member of a group: asked on its own card and in the set.")

retired_member = Mapping({
    "id": Key(member.keys["id"].spec, required=True, hint="the removed member's id"),
    "n": Key(member.keys["n"].spec, required=True, hint="the removed member's deletion number"),
}, what="retired member", description="A member removed from the group: kept here so that its deletion number "
                                      "is never given to another member (Anki keeps card n's reviews).")

group = Mapping({
    "id": Key(GroupIdentifier(GROUP_ID_PATTERN, "group id",
                              "Stable id, unique in the deck; the group's cards are '<id>.set', '<id>.<member id>' "
                              "and '<id>.common'."),
              required=True, hint="every group needs a stable id, e.g. 'step4-guide'"),
    "subject": Key(Text("The one subject every member shares (e.g. 'Vitamin K2' activates each member); "
                        "give subject or object.")),
    "object": Key(Text("The one object every member shares (e.g. each member serves 'Step 4: guiding calcium "
                       "into bone'); give subject or object.")),
    "relation": Key(Text("The relation on each edge of the map, member → object or subject → member, e.g. "
                         "'serves'."), required=True, hint="the map draws it on each member's edge"),
    "ask": Key(Text("The question each member's card asks, completed by the member's cue: "
                    "'<ask> — <cue>?'."), required=True, hint="e.g. 'Which co-factor does step 4 rely on'"),
    "set": Key(Text("The set as one cloze: a sentence naming each member once as {member id}, e.g. "
                    "'… like {zinc}, {b-vitamins} and {protein}.'"), required=True,
               hint="write the sentence with each member's id in braces"),
    "members": Key(ListOf(member, "Two or more members, each with its cue and its deletion number."),
                   required=True, hint="a group has two or more members"),
    "common": Key(Text("Optional question that shows every member and asks for the shared subject or object.")),
    "retired": Key(ListOf(retired_member, "Members removed from the group: their cards are retired in Anki, and "
                                          "their ids and deletion numbers are never used again.")),
    "kind": Key(kind),
    "extra": Key(extra),
    "tags": Key(tags),
    "lint": Key(lint_settings("for this group's cards")),
}, what="group", description="A one-to-many relation written once: compiles to a set cloze (one deletion "
                             "per member), a card per member and, with 'common', a card asking the shared side.")

section = Mapping({
    "id": Key(section_id, required=True, hint="every section needs a stable id, e.g. 's05-electrolytes'"),
    "number": Key(Integer("The section's number in the article; leave out for unnumbered parts.")),
    "title": Key(Text("The section's title as in the article. Given once per section in the deck; "
                      "a later entry with the same id and no title continues the section.")),
    "cards": Key(ListOf(card, "The section's cards, in the order they are introduced.")),
    "relationships": Key(ListOf(relationship, "Relationships the section states.")),
    "groups": Key(ListOf(group, "One-to-many relations the section states, each written once.")),
    "subdeck": Key(subdeck),
}, what="section", description="A section of the article and its cards.")

source = Mapping({
    "title": Key(Text("The article's title."), required=True, hint="the source needs the article's title"),
    "author": Key(Text("Author or byline.")),
    "credit": Key(Text("Credit line as the article gives it.")),
    "url": Key(Identifier(r"\S+", "web address", "Where the article can be read.")),
}, what="source", description="The article the deck teaches; shown on the back of every card.")

deck_header = Mapping({
    "key": Key(Identifier(KEY_PATTERN, "deck key",
                          "Short stable key: the namespace of every id and tag in the deck. Never change it."),
               required=True, hint="e.g. 'k2-calcification'; it names the package and namespaces every id"),
    "name": Key(DeckName("Deck name shown in Anki; '::' makes it a subdeck, e.g. 'Health::K2'. "
                         "Anki matches decks by name: renaming makes a new deck on import."),
                required=True, hint="the name Anki shows"),
    "description": Key(Text("Markdown shown on the deck's overview screen.")),
    "source": Key(source, required=True, hint="the article the deck teaches"),
    "allow_scripts": Key(Flag("Let fields hold <script>, <iframe>, <object> and <embed> elements, event-handler "
                              "attributes (onclick=…) and javascript: URLs. Anki runs them on the learner's "
                              "device; off unless the deck needs it.")),
    "automatic_tags": Key(Flag("Tag every note '<deck key>::<section id>' and '<deck key>::kind::<kind>' (default "
                               "true). false: each note has exactly the tags its card gives (an imported deck's).")),
    "markup": Key(Choice(["markdown", "html"], "How the description (and the subdecks') is written: markdown "
                         "(default), or html, kept exactly as written.", what="markup")),
    "subdeck_descriptions": Key(TextMapping(subdeck, Text("The subdeck's description, written as the deck's."),
                                            "What Anki shows on a subdeck's screen, by subdeck.",
                                            what="subdeck descriptions")),
    "missing_media": Key(ListOf(Text("A media file's name."), "Media files the cards name that the deck does not "
                                "have (an imported deck's): their names stay in the fields and no file is packaged; "
                                "put a file of that name beside the card file to package it.")),
}, what="deck", description="The deck's header, given in exactly one of its files.")

field = Either(field_name, Mapping({
    "name": Key(field_name, required=True, hint="the field's name, as templates name it: {{Name}}"),
    "font": Key(Text("The font Anki's editor shows the field in.")),
    "size": Key(Integer("The font size in Anki's editor.", minimum=1)),
    "rtl": Key(Flag("Written right to left (Arabic, Hebrew…) in Anki's editor.")),
    "sticky": Key(Flag("Anki's editor keeps the field's text for the next note added.")),
    "anki_id": Key(anki_id("field")),
    "description": Key(Text("The hint Anki's editor shows in the empty field.")),
    "plain_text": Key(Flag("Anki's editor edits the field as plain text, not HTML.")),
    "collapsed": Key(Flag("Anki's editor shows the field collapsed.")),
    "exclude_from_search": Key(Flag("Anki's search leaves the field out.")),
    "tag": Key(Integer("The number Anki's own note types (Cloze, Image Occlusion) mark the field with.")),
    "prevent_deletion": Key(Flag("Anki refuses to delete the field (its own note types' fields).")),
}, what="field", description="A field with the settings Anki keeps for it."),
    "A field: its name, or its name and settings.", what="a field's name, or a mapping with its name and settings")

template = Mapping({
    "name": Key(Text("The card type's name in Anki (e.g. 'Reading'). Never change it once people study the cards."),
                required=True, hint="every template needs a name: Anki names the cards it makes after it"),
    "front": Key(Text("The question side: HTML with {{Field}}, {{#Field}}…{{/Field}}, {{^Field}}…{{/Field}}, "
                      "{{cloze:Field}}, {{type:Field}}, {{hint:Field}}, {{tts en_US:Field}}…"),
                 required=True, hint="the question side: HTML with {{Field}} replacements"),
    "back": Key(Text("The answer side; {{FrontSide}} shows the question."), required=True,
                hint="the answer side, e.g. '{{FrontSide}}<hr id=answer>{{Meaning}}'"),
    "anki_id": Key(anki_id("template")),
    "browser_front": Key(Text("What Anki's browser shows of the question, if not the front.")),
    "browser_back": Key(Text("What Anki's browser shows of the answer, if not the back.")),
    "browser_font": Key(Text("The font of the card in Anki's browser.")),
    "browser_size": Key(Integer("The font size of the card in Anki's browser.")),
    "deck": Key(DeckName("The deck Anki puts this template's new cards in when a note is added in Anki (a full deck "
                         "name): Anki's deck override.")),
}, what="template", description="One card type of a note type: a note makes a card from it when its front shows "
   "a filled field.")

note_type = Mapping({
    "id": Key(Identifier(KEY_PATTERN, "note type id",
                         "Stable id: cards name the note type by it ('type: <id>'), and Anki knows it by a number "
                         "derived from it and the deck's key. Never change it."),
              required=True, hint="every note type needs a stable id, e.g. 'vocab'; cards say 'type: vocab'"),
    "name": Key(Text("The note type's name in Anki; it may change."), required=True,
                hint="the name Anki shows, e.g. 'Vocabulary'"),
    "kind": Key(Choice(["standard", "cloze"], "standard: a card per template whose front shows a filled field; "
                       "cloze: a card per cloze number ({{c1::…}}) in any field. Never change it.",
                       what="note type kind")),
    "markup": Key(Choice(["markdown", "html"], "How the cards' fields are written: markdown (default), or html, "
                         "kept exactly as written.", what="markup")),
    "fields": Key(ListOf(field, "The fields, in order. Never rename, add or remove one once people study the cards: "
                         "Anki would stop updating the notes."),
                  required=True, hint="a note type needs its fields, e.g. '[Word, Meaning]'"),
    "templates": Key(ListOf(template, "The card types, in order (a cloze note type has one). Never rename, add "
                            "or remove one once people study the cards."),
                     required=True, hint="a note type needs at least one template with front and back"),
    "css": Key(Text("The cards' CSS; default: deckbuilder's own.")),
    "sort_field": Key(Text("The field Anki's browser sorts by; default: the first.")),
    "anki_id": Key(Integer("Anki's id of the note type, kept from an imported deck: Anki matches note types by it. "
                           "Never change it. Without it, the id comes from the deck's key and the note type's id.",
                           minimum=1)),
    "latex_pre": Key(Text("The LaTeX Anki puts before a card's LaTeX.")),
    "latex_post": Key(Text("The LaTeX Anki puts after a card's LaTeX.")),
    "latex_svg": Key(Flag("Anki makes LaTeX images as SVG.")),
    "stock": Key(Choice(list(STOCK_KINDS), "The stock note type Anki made this one from (Anki's Image Occlusion "
                        "editor needs 'image-occlusion').", what="stock note type")),
    "original_id": Key(Integer("The id of the note type Anki copied this one from.", minimum=1)),
}, what="note type", description="A note type of the deck's own: its fields, card templates and CSS.")

card_file = Mapping({
    "deck": Key(Either(Identifier(KEY_PATTERN, "deck key"), deck_header,
                       "The deck header (in the deck's main file) or, in further files of a big deck, its key.",
                       what="the deck's header (key, name, source) or, in a further file of a deck, its key"),
                required=True, hint="give the deck header, or the deck's key in a file that continues a deck"),
    "sections": Key(ListOf(section, "The article's sections in order, each with its cards.")),
    "note_types": Key(ListOf(note_type, "Note types of the deck's own, in any file of the deck.")),
    "lint": Key(lint_settings("in this file")),
}, what="a card file", description="A deckbuilder card file: one deck, or part of a deck that spans files.",
    misplaced={name: f"{name} belong to a section: put them under 'sections: - id: … title: …'"
               for name in ("cards", "relationships")})


def json_schema() -> dict:
    """The card format as a JSON Schema document, for editors and other tools."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "deckbuilder card file",
        **card_file.json_schema(),
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_to_write(folder: Path) -> Path | None:
    """The JSON Schema file beside the card files in `folder`, if it is missing or not this version's."""
    schema = folder / SCHEMA_FILE_NAME
    return None if schema.exists() and schema.read_text(encoding="utf-8") == json_schema_text() else schema
