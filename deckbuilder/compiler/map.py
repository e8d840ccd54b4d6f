"""The deck's map: its relationships and groups as a graph per section, and on each card that asks one of its
edges, the section's picture with that edge marked.

A card's back gets the map as media referenced from its Extra field, so no note type changes: one SVG per
section (the map, shared by its cards) and one per marked edge (the marking alone, drawn over the map at the
same size). Anki keeps media in one folder and treats `map.svg#edge` as a file named so (Check Media would
call the map unused), so a marking cannot be a fragment of one file.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field

from deckbuilder.compiler.mapdraw import MapEdge, SectionDrawing
from deckbuilder.compiler.markdown import to_html
from deckbuilder.compiler.media import MediaFile
from deckbuilder.model import Card, Deck

TAG = re.compile(r"<[^>]*>")
MAP_NAME = re.compile(r"([a-z0-9-]+)\.map\.([a-z0-9-]+)-[0-9a-f]{10}\.svg")  # a section's map; markings add '.mark'



def plain_label(markdown: str) -> str:
    """What a node or edge shows: the text's words, without Markdown or HTML."""
    return " ".join(html.unescape(TAG.sub(" ", to_html(markdown))).split())


def relationship_edge(card: Card) -> MapEdge:
    label = {name: plain_label(card.text(name).value) for name in ("subject", "relation", "object")}
    return MapEdge(card.id, label["subject"], label["relation"], label["object"])


def section_edges(deck: Deck) -> dict[str, list[MapEdge]]:
    """Each section's edges, in article order: its relationships, then its groups' members."""
    edges: dict[str, list[MapEdge]] = {}
    for card in deck.cards:
        if card.type == "relationship":
            edges.setdefault(card.section, []).append(relationship_edge(card))
    for group in deck.groups:
        shared, relation = plain_label(group.shared_text), plain_label(group.relation)
        for member in group.members:
            answer = plain_label(member.answer)
            source, target = (shared, answer) if group.shared == "subject" else (answer, shared)
            edges.setdefault(group.section, []).append(
                MapEdge(group.card_id(member.id), source, relation, target, group.id))
    return edges


def marked_edges(deck: Deck) -> dict[str, tuple[str, frozenset[str]]]:
    """Card id → (its section, the edges its back marks): its own edge; all of its group's for the set and
    common cards."""
    marks = {card.id: (card.section, frozenset([card.id])) for card in deck.cards if card.type == "relationship"}
    for group in deck.groups:
        members = frozenset(group.card_id(member.id) for member in group.members)
        marks.update((group.card_id(member.id), (group.section, frozenset([group.card_id(member.id)])))
                     for member in group.members)
        marks.update((group.card_id(part), (group.section, members)) for part in ("set", "common"))
    return marks


@dataclass
class DeckMaps:
    """The maps of one deck, each section's drawn when a card first asks for it (a pure function of the deck:
    every process that draws one draws the same bytes)."""

    key: str
    edges: dict[str, list[MapEdge]]
    marks: dict[str, tuple[str, frozenset[str]]]
    titles: dict[str, str]
    drawn: dict = field(default_factory=dict, repr=False)  # section id → its SectionDrawing
    bases: dict = field(default_factory=dict, repr=False)  # section id → its map's MediaFile
    section_reprs: dict = field(default_factory=dict, repr=False)  # section id → what its map is drawn from

    @classmethod
    def of(cls, deck: Deck, titles: dict[str, str]) -> "DeckMaps":
        return cls(deck.header.key, section_edges(deck), marked_edges(deck), titles)

    def drawing(self, section: str) -> SectionDrawing:
        if section not in self.drawn:
            self.drawn[section] = SectionDrawing(self.edges[section])
        return self.drawn[section]

    def section_map(self, section: str) -> MediaFile | None:
        """The picture of a section's map, unmarked, if the section states any relation."""
        if section not in self.edges:
            return None
        if section not in self.bases:
            self.bases[section] = media_file(f"{self.key}.map.{section}", self.drawing(section).base)
        return self.bases[section]

    def signature(self, card_id: str) -> bytes | None:
        """A digest of everything a card's map depends on (its section's title and edges, the edges it marks),
        for the speed machinery's memo: None for a card without a map."""
        if card_id not in self.marks:
            return None
        section, marked = self.marks[card_id]
        if section not in self.section_reprs:
            self.section_reprs[section] = repr((self.titles[section], tuple(self.edges[section])))
        seen = self.section_reprs[section] + repr(tuple(sorted(marked)))
        return hashlib.blake2b(seen.encode(), digest_size=16).digest()

    def for_card(self, card_id: str) -> tuple[str, tuple[MediaFile, ...]] | None:
        """The HTML that shows the map on a card's back, with its edges marked, and the files it needs."""
        if card_id not in self.marks:
            return None
        section, marked = self.marks[card_id]
        drawing = self.drawing(section)
        base = self.section_map(section)
        mark = media_file(f"{self.key}.map.{section}.mark", drawing.marked(marked))
        described = "; ".join(f"{edge.source} {edge.relation} {edge.target}" for edge in self.edges[section]
                              if edge.id in marked)
        # On one line: genanki takes a tag broken over lines for invalid HTML.
        alt = html.escape(" ".join(f"Map of {self.titles[section]}, marked: {described}".split()))
        return (f'<div class="db-map"><img class="db-map-base" src="{base.name}" alt="{alt}">'
                f'<img class="db-map-mark" src="{mark.name}" alt=""></div>', (base, mark))


def map_section(name: str, deck_key: str) -> str | None:
    """The section whose map a media file of the deck is (not a marking), if it is one."""
    match = MAP_NAME.fullmatch(name)
    return match.group(2) if match and match.group(1) == deck_key else None


def media_file(stem: str, svg: bytes) -> MediaFile:
    """A drawn map as a media file, named for its content as the deck's other media are."""
    return MediaFile(f"{stem}-{hashlib.sha256(svg).hexdigest()[:10]}.svg", None, svg)
