"""The baseline deckbuilder is measured against: parse the same YAML with libyaml, write the same notes
with plain genanki (same note types, GUIDs and fields as raw text: no checks, no Markdown, no media).

    python bench/baseline.py parse FILES…          # the parse alone
    python bench/baseline.py build OUT.apkg FILES…  # parse + genanki
"""

from __future__ import annotations

import sys

import genanki
import yaml

from deckbuilder.anki.notetypes import NOTE_TYPES, to_genanki

FIELDS = {"basic": ("front", "back", "extra"), "reversed": ("front", "back", "extra"),
          "type-in": ("front", "back", "extra"), "cloze": ("text", "extra"),
          "relationship": ("subject", "relation", "object", "inverse", "why", "extra")}


def parse(paths: list[str]) -> list[dict]:
    documents = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            documents.append(yaml.load(handle.read(), Loader=yaml.CSafeLoader))
    return documents


def entries(document: dict):
    for section in document.get("sections") or ():
        for card in section.get("cards") or ():
            yield section, card, card.get("type", "basic")
        for relationship in section.get("relationships") or ():
            yield section, relationship, "relationship"


def build(output: str, paths: list[str]) -> None:
    documents = parse(paths)
    key = documents[0]["deck"]["key"]
    models = {name: to_genanki(note_type) for name, note_type in NOTE_TYPES.items()}
    deck = genanki.Deck(1 << 33, documents[0]["deck"]["name"])
    for due, (section, card, kind) in enumerate((e for d in documents for e in entries(d)), start=1):
        fields = [str(card.get(name, "")) for name in FIELDS[kind]]
        fields += ["" for _ in range(len(NOTE_TYPES[kind].fields) - len(fields))]
        deck.add_note(genanki.Note(models[kind], fields, tags=[f"{key}::{section['id']}"],
                                   guid=genanki.guid_for(key, card["id"]), due=due))
    genanki.Package(deck).write_to_file(output)


if __name__ == "__main__":
    if sys.argv[1] == "parse":
        parse(sys.argv[2:])
    else:
        build(sys.argv[2], sys.argv[3:])
