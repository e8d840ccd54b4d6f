"""Which cards Anki makes for a note of any note type (templates.generated_ords): held against the cards Anki
itself adds for the same note type and fields."""

from __future__ import annotations

import pytest

from deckbuilder.anki.templates import generated_ords

FIELDS = ("A", "B", "C")
# (templates' fronts, kind, the note's fields, its tags)
CASES = [
    (["{{A}}"], "standard", ["", "x", ""], ""),
    (["{{A}}", "{{B}}"], "standard", ["a", "", ""], ""),
    (["{{A}}", "{{#C}}{{B}}{{/C}}"], "standard", ["a", "b", "c"], ""),
    (["{{A}}", "{{#C}}{{B}}{{/C}}"], "standard", ["a", "b", ""], ""),
    (["{{^A}}{{B}}{{/A}}", "{{#A}}{{B}}{{/A}}"], "standard", ["", "b", ""], ""),
    (["{{^A}}{{B}}{{/A}}", "{{#A}}{{B}}{{/A}}"], "standard", ["a", "b", ""], ""),
    (["{{A}}", "{{B}}{{Card}}"], "standard", ["", "", ""], ""),
    (["{{Tags}}", "{{C}}"], "standard", [" <br> ", "", "<div></div>"], "tagged"),
    (["{{Tags}}", "{{C}}"], "standard", ["a", "", "<div></div>"], ""),
    (["{{text:B}}", "{{ B }}", "{{#C}}{{A}}{{/C}}"], "standard", ["a", "b", ""], ""),
    (["{{#A}}{{#B}}{{C}}{{/B}}{{/A}}", "{{#A}}{{^B}}x{{/B}}{{C}}{{/A}}"], "standard", ["a", "", "c"], ""),
    (["{{cloze:A}}"], "cloze", ["{{c1::Vienna {{c2::Austria}}}} and {{c3::Bern}}", "", ""], ""),
    (["{{cloze:A}}"], "cloze", ["no deletion", "{{c2::in B}}", ""], ""),
    (["{{cloze:A}}"], "cloze", ["no deletion", "", ""], ""),
]


def anki_ords(col, fronts: list[str], kind: str, fields: list[str], tags: str) -> list[int]:
    models = col.models
    notetype = models.new(f"T{len(models.all_names_and_ids())}")
    notetype["type"] = 1 if kind == "cloze" else 0
    for name in FIELDS:
        models.add_field(notetype, models.new_field(name))
    for index, front in enumerate(fronts):
        template = models.new_template(f"Card {index + 1}")
        template["qfmt"], template["afmt"] = front, front if kind == "cloze" else "{{FrontSide}}"
        models.add_template(notetype, template)
    models.add(notetype)
    note = col.new_note(models.by_name(notetype["name"]))
    note.fields[:] = fields
    note.tags = tags.split()
    col.add_note(note, 1)
    return sorted(card.ord for card in note.cards())


@pytest.mark.parametrize("fronts, kind, fields, tags", CASES)
def test_the_cards_are_those_anki_makes(collection, fronts, kind, fields, tags):
    assert generated_ords(fronts, kind == "cloze", FIELDS, fields, bool(tags)) == \
        anki_ords(collection, fronts, kind, fields, tags)
