"""The map: a section's relationships and groups as a graph, drawn the same every time, on the back of the
cards that ask its edges; and what Anki makes of it."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

from deckbuilder.compiler.card import DeckContext, compile_card
from deckbuilder.compiler.map import map_section, marked_edges, section_edges
from deckbuilder.compiler.mapdraw import MapEdge
from deckbuilder.pipeline.build import build, read_decks
from tests.support.anki import import_package
from tests.support.decks import ARTICLE_DECK, MINIMAL_DECK

GROUPS = MINIMAL_DECK + """\
    relationships:
      - {id: rel-d, subject: Vitamin D, relation: is relied on for, object: absorbing calcium}
    groups:
      - id: k2-activates
        subject: Vitamin K2
        relation: activates
        ask: Which protein does K2 activate
        set: "K2 activates {mgp} and {osteocalcin}."
        members:
          - {id: mgp, n: 1, answer: MGP, cue: the one that guards arteries}
          - {id: osteocalcin, n: 2, answer: osteocalcin, cue: the one that helps bones}
      - id: absorbing
        object: absorbing calcium
        relation: helps with
        ask: Which co-factor helps absorb calcium
        set: "Absorbing calcium takes {boron} and {zinc}."
        members:
          - {id: boron, n: 1, answer: "**boron**", cue: the often-overlooked mineral}
          - {id: zinc, n: 2, answer: zinc, cue: the one named last}
"""


def test_relationships_and_group_members_are_the_edges_of_their_sections_map(write_file):
    [deck] = read_decks([write_file("deck.yaml", GROUPS)])
    assert section_edges(deck) == {"s01-intro": [
        MapEdge("rel-d", "Vitamin D", "is relied on for", "absorbing calcium"),
        MapEdge("k2-activates.mgp", "Vitamin K2", "activates", "MGP", "k2-activates"),
        MapEdge("k2-activates.osteocalcin", "Vitamin K2", "activates", "osteocalcin", "k2-activates"),
        MapEdge("absorbing.boron", "boron", "helps with", "absorbing calcium", "absorbing"),
        MapEdge("absorbing.zinc", "zinc", "helps with", "absorbing calcium", "absorbing")]}
    marks = marked_edges(deck)
    assert marks["rel-d"] == ("s01-intro", {"rel-d"})
    assert marks["absorbing.zinc"] == ("s01-intro", {"absorbing.zinc"})
    assert marks["absorbing.set"] == ("s01-intro", {"absorbing.boron", "absorbing.zinc"})
    assert "first" not in marks, "a basic card shows no map"


def test_a_cards_back_shows_the_map_and_its_marking_in_its_extra(write_file):
    [deck] = read_decks([write_file("deck.yaml", GROUPS)])
    context = DeckContext.of(deck)
    by_id = {card.id: card for card in deck.cards}
    compiled = compile_card(by_id["absorbing.zinc"], context)
    base, mark = compiled.media
    assert map_section(base.name, "demo") == "s01-intro" and map_section(mark.name, "demo") is None
    extra = compiled.note.fields[2]  # Front, Back, Extra, …
    assert extra == (f'<div class="db-map"><img class="db-map-base" src="{base.name}" alt="Map of §1 Intro, marked: '
                     f'zinc helps with absorbing calcium"><img class="db-map-mark" src="{mark.name}" alt=""></div>')
    assert base.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"') and b"osteocalcin" in base.content
    assert b"zinc" in mark.content and b"boron" not in mark.content, "the marking draws the card's own edge only"
    assert compile_card(by_id["first"], context).media == (), "no map on a card that asks no relation"
    other = compile_card(by_id["rel-d"], context).media
    assert other[0] == base and other[1] != mark, "one map per section; a marking per edge"


def test_the_map_is_the_same_bytes_in_every_process(tmp_path):
    """igraph's layout and the drawing depend on the deck alone: not on hash seeds, nor on the process."""
    script = ("import sys; from pathlib import Path; from deckbuilder.pipeline.build import compile_decks; "
              "[deck] = compile_decks([Path(sys.argv[1])]); "
              "sys.stdout.buffer.write(b''.join(f.content for f in deck.media if f.content))")
    runs = [subprocess.run([sys.executable, "-c", script, str(ARTICLE_DECK)], capture_output=True, check=True,
                           env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0].count(b"<svg") == 24  # 4 sections' maps, 20 markings


def test_anki_shows_the_map_and_keeps_its_files(collection, tmp_path):
    """Imported into Anki: the back of a relationship card holds the map, the files are in the collection's
    media folder as packaged, and Check Media finds nothing missing and nothing unused (so it never offers to
    delete the map)."""
    [written] = build([ARTICLE_DECK], tmp_path / "build")
    import_package(collection, written.path)
    [card_id] = collection.find_cards('card:Reverse "Subject:Vitamin D" -tag:k2-calcification::retired')
    answer = collection.get_card(card_id).answer()
    map_html = '<div class="db-map"><img class="db-map-base" src="k2-calcification.map.s04-how-body-handles-calcium-'
    assert map_html in answer
    with zipfile.ZipFile(written.path) as package:
        names = json.loads(package.read("media"))
        for number, name in names.items():
            assert (tmp_path / "collection.media" / name).read_bytes() == package.read(number)
    check = collection.media.check()
    assert (list(check.missing), list(check.unused)) == ([], [])
