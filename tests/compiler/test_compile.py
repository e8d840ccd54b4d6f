"""Compiling: identity, tags, order, HTML and media, which decide what Anki keeps and shows."""

from __future__ import annotations

import textwrap

import genanki
import pytest

from deckbuilder.compiler.deck import compile_deck
from deckbuilder.compiler.identity import deck_id, note_guid
from deckbuilder.compiler.markdown import to_html
from deckbuilder.pipeline.build import build, compile_decks, read_decks
from tests.support.anki import import_package
from tests.support.decks import MINIMAL_DECK


def compiled(tmp_path, text: str):
    (tmp_path / "deck.yaml").write_text(text)
    [deck] = compile_decks([tmp_path / "deck.yaml"])
    return deck


def with_cards(yaml_cards: str) -> str:
    return MINIMAL_DECK + textwrap.indent(textwrap.dedent(yaml_cards), "      ")


def test_guid_depends_on_deck_key_and_card_id_only(tmp_path):
    before = compiled(tmp_path, MINIMAL_DECK).notes[0]
    after = compiled(tmp_path, MINIMAL_DECK.replace("back: One", "back: Uno")).notes[0]
    assert before.guid == after.guid == genanki.guid_for("demo", "first")
    assert before.fields != after.fields
    assert note_guid("other-deck", "first") != before.guid


def test_deck_id_is_fixed_by_name_and_never_the_default_deck():
    assert deck_id("Health::K2") == deck_id("Health::K2")
    assert deck_id("Health::K2") != deck_id("Health::K3")
    assert 1 < deck_id("Health::K2") < 2**39  # never the Default deck; exact in JavaScript numbers


def test_tags_section_kind_and_own(tmp_path):
    deck = compiled(tmp_path, with_cards("- {id: t, kind: takeaway, front: Q, back: A, tags: [x::y, x::y]}\n"))
    assert [note.tags for note in deck.notes] == [
        ("demo::s01-intro", "demo::kind::fact"),
        ("demo::s01-intro", "demo::kind::takeaway", "x::y")]


def test_due_is_article_order_and_relationships_follow_cards(tmp_path, collection):
    text = with_cards("- {id: b, front: Q, back: A}\n") + (
        "    relationships:\n"
        "      - {id: r, subject: K2, relation: activates, object: MGP}\n"
        "  - id: s02\n"
        "    title: Two\n"
        "    cards:\n"
        '      - {id: c, type: cloze, text: "{{c1::x}} {{c2::y}}"}\n')
    deck = compiled(tmp_path, text)
    assert [(note.card_id, note.card_count) for note in deck.notes] == [("first", 1), ("b", 1), ("r", 2), ("c", 2)]
    [written] = build([tmp_path / "deck.yaml"], tmp_path / "out")
    import_package(collection, written.path)
    due = {collection.get_card(card_id).note().guid: collection.get_card(card_id).due
           for card_id in collection.find_cards("")}
    assert [due[note.guid] for note in deck.notes] == [1, 2, 3, 4], "new cards come in article order"


def test_a_relationships_questions_start_with_a_capital_as_anki_shows_them(tmp_path, collection):
    """Objects are written as they read inside the forward sentence; the reverse question starts with one."""
    import re

    text = MINIMAL_DECK + (
        "    relationships:\n"
        "      - {id: kill, subject: killer T cells, relation: kill, object: infected cells, inverse: are killed by}\n"
        "      - {id: mrna, subject: Ribosomes, relation: read, object: mRNA, inverse: is read by}\n"
        "      - {id: salt, subject: Water, relation: dissolves, object: '*table* salt'}\n")
    (tmp_path / "deck.yaml").write_text(text)
    [written] = build([tmp_path / "deck.yaml"], tmp_path / "out")
    import_package(collection, written.path)
    questions = set()
    for card_id in collection.find_cards('"note:deckbuilder Relationship"'):
        question = collection.get_card(card_id).question()
        questions.add(" ".join(re.sub(r"<style>.*?</style>|<[^>]+>", " ", question, flags=re.DOTALL).split()))
    assert questions == {"Killer T cells kill …?", "Infected cells are killed by …?",
                         "Ribosomes read …?", "mRNA is read by …?",
                         "Water dissolves …?", "… dissolves table salt?"}


def test_fields_follow_the_note_type(tmp_path):
    deck = compiled(tmp_path, with_cards(
        "- {id: r, extra: '*see* §2'}\n".replace("- {id: r,", "- {id: r, type: reversed, front: MGP, "
                                                    "back: Matrix Gla Protein,")))
    note = deck.notes[1]
    assert note.note_type == "reversed"
    assert note.fields == ("MGP", "Matrix Gla Protein", "<em>see</em> §2", "§1 Intro", "A demo article", "")


def test_source_shows_title_byline_credit_and_link(tmp_path):
    text = MINIMAL_DECK.replace("    title: A demo article\n", textwrap.indent(textwrap.dedent("""\
        title: Salt & pepper
        author: Jane Doe
        credit: "Source: J. Roe"
        url: https://example.org/a?b=1&c=2
    """), "    "))
    deck = compiled(tmp_path, text)
    assert deck.notes[0].fields[4] == (
        '<a href="https://example.org/a?b=1&amp;c=2">Salt &amp; pepper</a> · Jane Doe · Source: J. Roe')


def test_unnumbered_section_label_is_its_title(tmp_path):
    deck = compiled(tmp_path, MINIMAL_DECK.replace("    number: 1\n", ""))
    assert deck.notes[0].fields[3] == "Intro"


@pytest.mark.parametrize("markdown, html", [
    ("MK-7", "MK-7"),
    ("**bold** and *it*", "<strong>bold</strong> and <em>it</em>"),
    ("one\n\ntwo", "<p>one</p>\n<p>two</p>"),
    ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ("$x^2 < 1$ and \\(y\\)", "\\(x^2 &lt; 1\\) and \\(y\\)"),
    ("$$\ne = mc^2\n$$", "\\[\ne = mc^2\n\\]"),
    ("\\[ a \\]", "\\[ a \\]"),
    ("costs $5 and $10", "costs $5 and $10"),
    ("a < b", "a &lt; b"),
    ("<b>raw</b> HTML", "<b>raw</b> HTML"),
    ("{{c1::MGP::protein}} keeps", "{{c1::MGP::protein}} keeps"),
])
def test_markdown_rendering(markdown, html):
    assert to_html(markdown) == html


def test_media_is_packaged_under_a_content_named_basename(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "diagram.png").write_bytes(b"png bytes")
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "say it.mp3").write_bytes(b"mp3 bytes")
    deck = compiled(tmp_path, with_cards(
        "- {id: m, front: '![d](img/diagram.png)', back: '[sound:audio/say it.mp3]'}\n"))
    [image, sound] = deck.media
    assert (image.path, sound.path) == (tmp_path / "img" / "diagram.png", tmp_path / "audio" / "say it.mp3")
    assert image.name.startswith("diagram-") and image.name.endswith(".png") and "/" not in image.name
    assert deck.notes[1].fields[:2] == (f'<img src="{image.name}" alt="d" />', f"[sound:{sound.name}]")


def test_remote_images_are_left_alone(tmp_path):
    deck = compiled(tmp_path, with_cards("- {id: m, front: '![d](https://example.org/x.png)', back: A}\n"))
    assert deck.media == ()
    assert deck.notes[1].fields[0] == '<img src="https://example.org/x.png" alt="d" />'


def test_html_genanki_would_reject_is_a_problem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # Markdown escapes a stray '<' in text, but passes an HTML block through as written.
    (tmp_path / "deck.yaml").write_text(with_cards("- {id: h, front: '<div>\n\n  a <-- b >\n\n  </div>', back: A}\n"))
    [deck] = read_decks([tmp_path / "deck.yaml"])
    _, problems = compile_deck(deck)
    assert [str(p) for p in problems] == [
        "deck.yaml:14:24: invalid HTML: <-- b > (write a '<' that does not start a tag as '&lt;')"]
