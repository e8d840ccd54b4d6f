"""Scripts in cards: refused by default (see tests/corpus/scripts-*), kept when the deck opts in."""

from __future__ import annotations

import textwrap

import pytest

from deckbuilder.compiler.activecontent import active_content
from deckbuilder.pipeline.build import build
from tests.support.anki import import_package
from tests.support.decks import MINIMAL_DECK

SCRIPT_CARD = "- {id: s, front: 'Q <script>document.title = 1</script>', back: A}\n"


def test_a_deck_that_opts_in_keeps_its_scripts_and_anki_shows_them(tmp_path, collection):
    deck = MINIMAL_DECK.replace("  source:", "  allow_scripts: true\n  source:")
    (tmp_path / "deck.yaml").write_text(deck + textwrap.indent(SCRIPT_CARD, "      "))
    [written] = build([tmp_path / "deck.yaml"], tmp_path / "out")
    import_package(collection, written.path)
    [card] = collection.find_cards("Q")
    assert "<script>document.title = 1</script>" in collection.get_card(card).question()


@pytest.mark.parametrize("html, found", [
    ("<p>text <b>bold</b> <a href='https://example.org'>link</a> &lt;script&gt;</p>", []),
    ("<SCRIPT SRC=x></SCRIPT>", ["a <script> element"]),
    ('<iframe src="https://example.org"></iframe><embed src=x.swf>', ["an <iframe> element", "an <embed> element"]),
    ("<img src=x onerror=alert(1)>", ["an event handler (onerror) on <img>"]),
    ('<a href="java&#x09;script:alert(1)">x</a>', ["a javascript: URL in <a href>"]),
    ('<a href=" vbscript:x">x</a>', ["a javascript: URL in <a href>"]),
    ('<meta http-equiv=refresh content="0;url=javascript:x">', ["a javascript: URL in <meta content>"]),
    ('<svg><a xlink:href="javascript:x">y</a></svg>', ["a javascript: URL in <a xlink:href>"]),
    # Left open, a tag is closed by the card template's text: its attributes count.
    ('<div onclick="alert(1)', ["an event handler (onclick) on <div>"]),
    ("<div onclick='alert(1)", ["an event handler (onclick) on <div>"]),
], ids=["plain", "script", "frames", "onerror", "entity-in-scheme", "vbscript", "meta-refresh", "svg-link", "open-quote",
        "open-single-quote"])
def test_active_content_is_found_however_it_is_written(html, found):
    assert active_content(html) == found
