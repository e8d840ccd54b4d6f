"""What the card format keeps for an imported deck, written by hand here, as Anki gets it: a GUID of its own, Anki's
ids and settings of a note type, its fields and templates, each card in its own subdeck, the media the templates
name, descriptions kept as HTML, exactly the cards' own tags (no section or kind tags) in build, plan, stats, lint
and preview alike, and media the deck lacks named in the fields all the same."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.support.anki import import_package
from tests.support.cli import run
from tests.support.decks import tiny_png

DECK = """\
deck:
  key: own
  name: Own
  description: "<div>Deck</div>\\n\\n* not a Markdown list"
  markup: html
  source: {title: Own}
  automatic_tags: false
  subdeck_descriptions: {Verbs: <b>verbs</b>}
  missing_media: [gone.png]
note_types:
  - id: word
    anki_id: 1700000000001
    name: Word
    markup: html
    latex_pre: \\documentclass{article}\\begin{document}
    latex_svg: true
    stock: basic-and-reversed
    original_id: 1600000000000
    fields:
      - {name: Front, anki_id: -5, font: Arial, description: the word, plain_text: true, collapsed: true,
         exclude_from_search: true, tag: 3, prevent_deletion: true}
      - Back
    templates:
      - name: Forward
        anki_id: 7
        front: '{{Front}}<img src="_logo.png">'
        back: '{{FrontSide}}<hr id=answer>{{Back}}'
        browser_front: '{{Front}} (b)'
        browser_back: answer
        browser_font: Arial
        browser_size: 12
        deck: Own::Verbs
      - name: Backward
        front: '{{Back}}'
        back: '{{FrontSide}}<hr id=answer>{{Front}}'
    css: '@font-face { font-family: f; src: url("_font.woff2"); }'
sections:
  - id: main
    title: Main
    cards:
      - id: sein
        guid: 'Fw45#]d$&7'
        type: word
        tags: [Verb::irregular, b-tag, a-tag]
        card_subdecks: {Backward: Verbs::Hard}
        fields: {Front: 'sein <img src="gone.png">', Back: ' to be < that is >'}
      - id: basic-one
        front: A basic card
        back: with its own tags only ![and a picture](pic.png)
        tags: [mine]
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "own.yaml").write_text(DECK, encoding="utf-8")
    (tmp_path / "cards" / "_logo.png").write_bytes(tiny_png())
    (tmp_path / "cards" / "pic.png").write_bytes(tiny_png())
    (tmp_path / "cards" / "_font.woff2").write_bytes(b"wOF2 a font")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return tmp_path


def test_anki_gets_the_note_type_with_anki_s_ids_and_settings(project, collection):
    assert run("build").output == "build/own.apkg: Own — 2 notes, 3 cards\n"
    import_package(collection, project / "build" / "own.apkg")
    model = collection.models.get(1700000000001)
    front, back = model["flds"]
    assert {key: front[key] for key in ("id", "font", "description", "plainText", "collapsed", "excludeFromSearch",
                                        "tag", "preventDeletion")} == {
        "id": -5, "font": "Arial", "description": "the word", "plainText": True, "collapsed": True,
        "excludeFromSearch": True, "tag": 3, "preventDeletion": True}
    assert (back["id"], back["description"], back["tag"]) == (None, "", None)
    forward, backward = model["tmpls"]
    assert {key: forward[key] for key in ("id", "bqfmt", "bafmt", "bfont", "bsize")} == {
        "id": 7, "bqfmt": "{{Front}} (b)", "bafmt": "answer", "bfont": "Arial", "bsize": 12}
    assert backward["id"] is None and forward["did"] and backward["did"] is None
    assert (model["latexPre"], model["latexsvg"], model["originalStockKind"], model["mod"]) == (
        "\\documentclass{article}\\begin{document}", True, 2, 1700000000)


def test_each_card_goes_to_its_subdeck_with_the_note_s_own_guid_tags_and_fields(project, collection):
    run("build")
    import_package(collection, project / "build" / "own.apkg")
    notes = {collection.get_note(nid).guid: collection.get_note(nid) for nid in collection.find_notes("")}
    sein = notes["Fw45#]d$&7"]
    assert (list(sein.fields), sein.tags) == (['sein <img src="gone.png">', " to be < that is >"],
                                             ["a-tag", "b-tag", "Verb::irregular"])  # Anki sorts a note's tags
    assert {card.ord: collection.decks.name(card.did) for card in sein.cards()} == {0: "Own", 1: "Own::Verbs::Hard"}
    [basic] = [note for guid, note in notes.items() if guid != "Fw45#]d$&7"]
    assert basic.tags == ["mine"]
    descriptions = {deck["name"]: deck["desc"] for deck in collection.decks.all()}
    assert (descriptions["Own"], descriptions["Own::Verbs"]) == ("<div>Deck</div>\n\n* not a Markdown list",
                                                                 "<b>verbs</b>")


def test_the_media_the_templates_name_are_packaged_under_their_names(project):
    run("build")
    with zipfile.ZipFile(project / "build" / "own.apkg") as package:
        assert sorted(json.loads(package.read("media")).values())[:2] == ["_font.woff2", "_logo.png"]


def test_plan_stats_lint_and_preview_see_only_the_cards_own_tags(project):
    [stats] = json.loads(run("stats", "--json").output)
    assert [(tag["name"], tag["notes"]) for tag in stats["tags"]] == [
        ("Verb::irregular", 1), ("a-tag", 1), ("b-tag", 1), ("mine", 1)]
    lint = run("lint", "cards")
    assert "missing-media" not in lint.output and "gone.png" not in lint.output
    assert "unused-media" not in lint.output  # _logo.png: the template shows it
    assert run("preview").exit_code == 0
    page = (project / "build" / "own.preview.html").read_text(encoding="utf-8")
    assert "own::main" not in page and "Verb::irregular" in page
    assert run("plan").output.splitlines()[2:] == ["  Anki will add 2 notes, update 0 and leave 0 unchanged",
                                                   "  + basic-one (new basic note, section main)",
                                                   "  + sein (new word note, section main)"]
    run("build")
    (project / "cards" / "own.yaml").write_text(DECK.replace("[mine]", "[mine, more]"), encoding="utf-8")
    assert run("plan").output.splitlines()[1:] == ["  Anki will add 0 notes, update 1 and leave 1 unchanged",
                                                   "  ~ basic-one", "      tags:", "        - mine",
                                                   "        + mine more"]


def test_a_deck_with_automatic_tags_tags_every_note_as_before(project):
    (project / "cards" / "own.yaml").write_text(DECK.replace("  automatic_tags: false\n", ""), encoding="utf-8")
    [stats] = json.loads(run("stats", "--json").output)
    assert [tag["name"] for tag in stats["tags"]] == ["Verb::irregular", "a-tag", "b-tag", "mine", "own::kind::fact"]
