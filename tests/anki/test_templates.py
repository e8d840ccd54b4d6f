"""The card renderer against Anki's own: every card of several decks, and a table of tricky fields.

Anki's card.question()/answer() start with a <style> block holding the note type's CSS; that block is
checked to be card.css and then removed (the preview applies the same CSS to the card another way).
Nothing else is normalised: the HTML must be the same string.
"""

from __future__ import annotations

import re

import pytest

from deckbuilder.pipeline.build import build
from deckbuilder.anki.notetypes import NOTE_TYPES, NoteType, Template, stylesheet
from deckbuilder.anki.templates import is_empty, parse_template, render_note
from tests.support.anki import add_note_type, anki_rendering, without_style
from tests.support.decks import ARTICLE_DECK, EVERY_TYPE_CARDS, write_every_type_deck
from tests.support.anki import import_package


def our_rendering(deck) -> dict[tuple[str, int], dict]:
    rendered = {}
    for note in deck.notes:
        for card in render_note(NOTE_TYPES[note.note_type], note.fields):
            rendered[note.guid, card.ord] = {"front": card.front.html, "back": card.back.html,
                                            "front sounds": card.front.sounds, "back sounds": card.back.sounds}
    return rendered


def assert_renders_as_anki(col, paths, tmp_path) -> int:
    [written] = build(paths, tmp_path / "build")
    anki, ours = anki_rendering(col, written.path), our_rendering(written.deck)
    assert sorted(ours) == sorted(anki), "the renderer makes other cards than Anki has"
    for key, expected in anki.items():
        for part in expected:
            assert ours[key][part] == expected[part], f"card {key}, {part}"
    return len(anki)


def test_every_card_of_the_article_deck_renders_as_in_anki(collection, tmp_path):
    assert assert_renders_as_anki(collection, [ARTICLE_DECK], tmp_path) == 163  # 117 cards, 46 of notes retired since


def test_every_card_type_renders_as_in_anki(collection, tmp_path):
    path = write_every_type_deck(tmp_path / "cards")
    assert assert_renders_as_anki(collection, [path], tmp_path) == EVERY_TYPE_CARDS


def test_nested_deletion_gets_its_own_card_in_anki(collection, tmp_path):
    [written] = build([write_every_type_deck(tmp_path / "cards")], tmp_path / "build")
    anki = anki_rendering(collection, written.path)
    nested = next(note for note in written.deck.notes if note.card_id == "cloze-nested")
    assert sorted(ord_ for guid, ord_ in anki if guid == nested.guid) == [0, 1, 2]
    assert '<span class="cloze" data-cloze="K2" data-ordinal="2">[...]</span>' in anki[nested.guid, 1]["front"]


# Field texts that no shipped card has, each a place where a renderer could part from Anki's.
TRICKY_CLOZES = [
    "tab\there é ü ' \" & < > — … ’ {{c1::tab\there é ü ' \" &amp; &lt; — … ’ ·§}}",
    "{{c1::a::b::c}} {{c2::x::}} {{c3:: ::hint}}",
    "stray }} and {{c1::x}} and {{c2::never closed",
    "{{c0::zero}} {{c1::one}} {{c01::leading zero}}",
    "".join(f"{{{{c{number}::" for number in range(1, 13)) + "twelve deep" + "}}" * 12,
    r"math \(x^{ {{c1::2}} }\) and \[ {{c2::<b>y</b>}} \] and \( a < b \)",
    "{{c1::a {{c1::b}} c}} {{c2::d}}",
    "{{c1::hint in nested {{c2::inner::ih}} tail::oh}}",
    "{{C1::upper}} {{c1:one colon}} {{c99999::too big}} {{c1::real}}",
    "[sound:a.mp3] {{c1::[sound:b.mp3]}} {{c2::[sound:c.mp3]::hint}}",
]
# What Anki counts as an empty field in {{#Extra}}: white space, <br> and <div> tags only.
EXTRAS = ["", " ", "<br>", " <div></div> ", "<BR />", "<br/>", "<div ></div>", "&nbsp;", "\xa0", "<p></p>",
          "\u200b", "0"]


@pytest.fixture
def note_types_in(collection, tmp_path):
    """The collection with deckbuilder's note types in it, and a function that adds a note and returns it."""
    [written] = build([write_every_type_deck(tmp_path / "cards")], tmp_path / "build")
    import_package(collection, written.path)

    def add(note_type: str, **fields: str):
        note = collection.new_note(collection.models.by_name(NOTE_TYPES[note_type].name))
        for name, value in fields.items():
            note[name] = value
        collection.add_note(note, collection.decks.id_for_name("Every card type"))
        return note

    return add


def assert_note_renders_as_anki(note, note_type: str) -> None:
    anki = {card.ord: (without_style(card.question()), without_style(card.answer())) for card in note.cards()}
    ours = {card.ord: (card.front.html, card.back.html)
            for card in render_note(NOTE_TYPES[note_type], tuple(note.values()))}
    assert ours == anki


@pytest.mark.parametrize("text", TRICKY_CLOZES)
def test_tricky_cloze_text_renders_as_in_anki(note_types_in, text):
    assert_note_renders_as_anki(note_types_in("cloze", Text=text, Extra="extra"), "cloze")


@pytest.mark.parametrize("extra", EXTRAS)
def test_empty_or_not_fields_render_as_in_anki(note_types_in, extra):
    assert_note_renders_as_anki(note_types_in("cloze", Text="{{c1::x}}", Extra=extra), "cloze")
    basic = note_types_in("basic", Front="f [sound:x.mp3] [sound:y.ogg]", Back="b [sound:z.mp3]", Extra=extra)
    assert_note_renders_as_anki(basic, "basic")
    reverse = note_types_in("relationship", Subject="s", Relation="r", Object="o", Inverse=extra, Why=extra)
    assert_note_renders_as_anki(reverse, "relationship")


def test_what_counts_as_empty():
    assert [is_empty(extra) for extra in EXTRAS] == [True] * 7 + [False] * 5


@pytest.mark.parametrize("template, message", [
    ("{{#Front}}never closed", "template leaves {{#Front}} open"),
    ("{{/Front}}", "template closes {{/Front}} that is not open"),
    ("{{#Front}}{{/Back}}", "template closes {{/Back}} that is not open"),
    ("{{^Front}}{{#Back}}{{/Back}}", "template leaves {{^Front}} open"),
])
def test_unbalanced_templates_are_refused(template, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_template(template)


def test_front_side_on_the_back_renders_as_in_anki(collection):
    # No built-in note type uses {{FrontSide}} yet; a note type made in Anki checks it does what Anki does.
    front, back = "{{Front}} [sound:q.mp3]{{#Back}}!{{/Back}}", "{{FrontSide}}\n<hr id=answer>\n{{Back}} [sound:a.mp3]"
    note_type = NoteType(1, "FrontSide test", ("Front", "Back"), (Template("Card 1", front, back),))
    models = collection.models
    model = models.new(note_type.name)
    model["css"] = stylesheet()
    for name in note_type.fields:
        models.add_field(model, models.new_field(name))
    template = models.new_template("Card 1")
    template["qfmt"], template["afmt"] = front, back
    models.add_template(model, template)
    models.add(model)
    note = collection.new_note(models.by_name(note_type.name))
    note["Front"], note["Back"] = "front & <b>bold</b>", "back"
    collection.add_note(note, 1)
    [card] = note.cards()
    [ours] = render_note(note_type, tuple(note.values()))
    assert (ours.front.html, ours.back.html) == (without_style(card.question()), without_style(card.answer()))
    assert (ours.front.sounds, ours.back.sounds) == (("q.mp3",), ("a.mp3",))


# Templates a deck's own note type may use, each rendered by Anki and by deckbuilder for the same note.
# Fields: F (HTML, entities, furigana, a sound), G empty, H a cloze text; the note is tagged.
OWN_FIELDS = {"F": "<b>日本[にほん]</b> a&amp;b &lt;c&gt; &nbsp;x [sound:f.mp3]", "G": "",
              "H": "{{c1::one::hint}} {{c2::two}} {{c1::three}}"}
OWN_TEMPLATES = [
    "{{F}}|{{text:F}}|{{furigana:F}}|{{kana:F}}|{{kanji:F}}",
    "{{hint:F}}{{hint:G}}",
    "{{tts en_US voices=Bob,Jane speed=1.2:F}} {{tts de_DE:G}}",
    "{{text:myfilter:F}}|{{myfilter:text:F}}|{{text:}}|{{::F}}",
    "{{cloze-only:H}}|{{cloze:H}}|{{type:H}}|{{type:cloze:H}}|{{type:nc:H}}|{{x:type:H}}",
    "{{Tags}}|{{Type}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{CardFlag}}|{{#c1}}first{{/c1}}{{^c2}}not second{{/c2}}",
    "<!-- {{Missing}} -->{{ F }}{{{F}}}{{#G}}g{{/G}}{{^G}}no g{{/G}}{{#Tags}}tagged{{/Tags}}",
    "{{F}}{{FrontSide}} (the front side is empty on the front)",
]
OWN_TEXTS = ["a &amp; b", "a & b", "&hellip;&apos;&#39;&#x41;", "&nbsp;x", "&AMP;", "&amp", "&#0;", "&#xD800;",
             "&eacute;", "a&b", "&#;", "<!-- c --><style>s</style><script>x</script>t", "&#1114112;"]


@pytest.fixture
def own_note(collection):
    """A note of a one-template note type made in Anki, rendered by Anki and by deckbuilder."""
    def make(front: str, fields: dict[str, str], tags=("b-tag", "A-tag"), cloze=False):
        note_type = NoteType(0, f"Own {len(collection.models.all())}", tuple(fields),
                             (Template("Card 1", front, "{{FrontSide}}<hr id=answer>back " + front),), cloze, css="")
        note = collection.new_note(add_note_type(collection, note_type))
        for name, value in fields.items():
            note[name] = value
        note.tags = list(tags)
        collection.add_note(note, 1)
        return note, note_type

    return make


def assert_own_note_renders_as_anki(note, note_type) -> None:
    from deckbuilder.anki.templates import CardContext, Speech

    context = CardContext(tuple(note.tags), "Default", note_type.name)
    ours = {card.ord: card for card in render_note(note_type, tuple(note.values()), context)}
    assert sorted(ours) == sorted(card.ord for card in note.cards())
    for card in note.cards():
        mine = ours[card.ord]
        assert (mine.front.html, mine.back.html) == (without_style(card.question(), ""), without_style(card.answer(), ""))
        anki_tags = [(tag.field_text, tag.lang, tuple(tag.voices), round(tag.speed, 3)) if hasattr(tag, "lang")
                     else tag.filename for tag in card.question_av_tags()]
        assert [(s.text, s.lang, s.voices, round(s.speed, 3)) if isinstance(s, Speech) else s
                for s in mine.front.sounds] == anki_tags


@pytest.mark.parametrize("front", OWN_TEMPLATES)
def test_templates_of_own_note_types_render_as_in_anki(own_note, front):
    assert_own_note_renders_as_anki(*own_note(front, OWN_FIELDS))


@pytest.mark.parametrize("text", OWN_TEXTS)
def test_the_text_filter_decodes_what_anki_decodes(own_note, text):
    assert_own_note_renders_as_anki(*own_note("{{text:F}}|{{tts en_US:F}}", {"F": text}))


# (front templates, fields) → Anki makes a card of each template whose front shows a filled field.
GENERATION = [
    (("{{A}}", "{{B}}"), {"A": "a", "B": ""}),
    (("{{A}}", "{{#B}}{{A}}{{/B}}"), {"A": "a", "B": ""}),
    (("{{A}}", "{{#B}}{{A}}{{/B}}"), {"A": "a", "B": "<br> <div></div>"}),
    (("{{^B}}{{A}}{{/B}}", "{{#B}}{{B}}{{/B}}"), {"A": "a", "B": "b"}),
    (("{{A}}", "{{Tags}}", "{{Deck}}"), {"A": "", "B": "b"}),
    (("static text {{#A}}{{/A}}", "{{text:B}}"), {"A": "a", "B": "b"}),
    (("<!-- {{B}} -->{{A}}", "{{B}}"), {"A": "", "B": "b"}),
]


@pytest.mark.parametrize("fronts, fields", GENERATION)
def test_a_note_makes_the_cards_anki_makes(collection, fronts, fields):
    from deckbuilder.anki.templates import card_ords

    note_type = NoteType(0, f"Generation {len(collection.models.all())}", tuple(fields),
                         tuple(Template(f"Card {n + 1}", front, "{{FrontSide}}") for n, front in enumerate(fronts)))
    note = collection.new_note(add_note_type(collection, note_type))
    for name, value in fields.items():
        note[name] = value
    collection.add_note(note, 1)
    anki = sorted(card.ord for card in note.cards())
    ours = card_ords(note_type, tuple(note.values()), tuple(note.tags))
    assert ours == anki or (ours == [] and anki == [0])  # Anki adds card 1 (blank) when none would show anything
