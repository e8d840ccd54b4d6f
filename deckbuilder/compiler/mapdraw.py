"""A section's map drawn as SVG: subjects and objects as boxes, each relation as a label between them.

The layout is igraph's Sugiyama layering (python-igraph: a C core in a wheel, no system package), turned a
quarter so layers are columns: a section's co-factors stack down one column and what they serve down the
next, which fits a 390 px phone and grows downwards, where a phone scrolls. Every edge passes through a
relation label; edges that share their relation and their object (a group's members) share one label.
Text is measured with fixed character widths, never by a font on this machine: the same edges always give
the same bytes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import cached_property

WIDTH = 350  # the widest map that shows at full size on a 390 px phone, beside the card's margins
MARGIN, GAP, ROW, VGAP, PART_GAP = 4, 14, 40, 8, 18
NODE_FONT, LABEL_FONT, LINE = 13, 11, 1.25
PAD_X, PAD_Y = 6, 4
FONTS = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
NARROW, WIDE = set("fijlrt.,:;'’!|()[] -"), set("mwMW@%")
STYLE = ("text{fill:#1f2328}.n{fill:#f3f6fa;stroke:#8c959f}.l{fill:#59636e;font-style:italic}"
         ".lb{fill:#ffffff;opacity:.85}.e{fill:none;stroke:#8c959f;stroke-width:1.4}")
MARK_STYLE = ("text{fill:#1f2328}.n{fill:#fff4e6;stroke:#d9480f;stroke-width:2.5}.l{fill:#b33c0c;"
              "font-style:italic}.lb{fill:#fff4e6}.e{fill:none;stroke:#d9480f;stroke-width:3}")


def text_width(text: str, size: int) -> float:
    """An estimate of the text's width in a sans-serif font: generous, so boxes hold it on any device."""
    return size * sum(0.3 if c in NARROW else 0.9 if c in WIDE else 0.68 if c.isupper() else 0.56 for c in text)


def wrap(text: str, size: int, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class MapEdge:
    """One relation the deck states: a relationship, or one member of a group."""

    id: str  # the id of the note that asks it: the relationship's, or '<group>.<member>'
    source: str  # the subject, as plain text
    relation: str
    target: str  # the object, as plain text
    group: str = ""  # the group it belongs to, if any


@dataclass
class Node:
    label: str
    is_relation: bool
    lines: list[str] = field(default_factory=list)  # set by the layout
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0

    @property
    def size(self) -> int:
        return LABEL_FONT if self.is_relation else NODE_FONT


class SectionDrawing:
    """One section's graph, laid out once; drawn plain (the map) or as one marking to lay over it."""

    def __init__(self, edges: list[MapEdge]):
        self.edges = edges
        self.nodes: list[Node] = []
        self.index: dict[tuple, int] = {}
        self.paths: dict[str, tuple[int, int, int]] = {}  # edge id → (source, relation, target) node numbers
        sources: dict[str, set[str]] = {}
        for edge in edges:
            sources.setdefault(edge.group, set()).add(edge.source)
        shared_subject = {group for group, subjects in sources.items() if group and len(subjects) == 1}
        for edge in edges:
            source, target = self.node(("entity", edge.source.casefold()), edge.source), \
                self.node(("entity", edge.target.casefold()), edge.target)
            key = ("from", source, edge.relation.casefold()) if edge.group in shared_subject \
                else ("to", target, edge.relation.casefold())
            self.paths[edge.id] = (source, self.node(key, edge.relation, relation=True), target)

    def node(self, key: tuple, label: str, relation: bool = False) -> int:
        if key not in self.index:
            self.index[key] = len(self.nodes)
            self.nodes.append(Node(label, relation))
        return self.index[key]

    @cached_property
    def links(self) -> list[tuple[int, int]]:
        """The graph's edges: subject → relation label → object, each once."""
        return list(dict.fromkeys(link for source, relation, target in self.paths.values()
                                  for link in ((source, relation), (relation, target))))

    @cached_property
    def layout(self) -> tuple[float, float, dict[tuple[int, int], list[tuple[float, float]]]]:
        """Place every node; returns the picture's width and height and each link's bends. Each connected part
        is laid out on its own and the parts are stacked, in the order of the object most links lead to."""
        import igraph

        graph = igraph.Graph(n=len(self.nodes), edges=self.links, directed=True)
        parts = sorted((sorted(part) for part in graph.connected_components(mode="weak")),
                       key=lambda part: self.hub_label(graph, part))
        subgraphs = [(part, graph.induced_subgraph(part)) for part in parts]  # keeps the parts' vertex order
        placed = [(part, sub, sub.layout_sugiyama(maxiter=200)) for part, sub in subgraphs]
        layers = [0] * len(self.nodes)
        for part, _, layout in placed:
            for v, (_, layer) in zip(part, layout.coords):
                layers[v] = int(round(layer))
        columns = max(layers) + 1
        self.size_nodes(layers, columns)
        widths = [max(self.nodes[v].width for v in range(len(self.nodes)) if layers[v] == column)
                  for column in range(columns)]
        lefts = column_lefts(widths)
        bends: dict[tuple[int, int], list[tuple[float, float]]] = {}
        bottom = 0.0
        for part, sub, layout in placed:
            top = bottom + PART_GAP if bottom else MARGIN
            bottom = self.stack(part, layout, layers, lefts, top)
            for (a, b), routing in zip(sub.get_edgelist(), layout.edge_routing):
                bends[(part[a], part[b])] = [(lefts[round(layer)] + widths[round(layer)] / 2, top + row * ROW + ROW / 2)
                                             for row, layer in routing]
        return lefts[-1] + widths[-1] + MARGIN, bottom + MARGIN, bends

    def hub_label(self, graph, part: list[int]) -> str:
        """The label of the part's entity with the most links in: a step, a shared object."""
        entities = [v for v in part if not self.nodes[v].is_relation]
        hub = max(entities, key=lambda v: (graph.indegree(v), -v))
        return self.nodes[hub].label.casefold()

    def size_nodes(self, layers: list[int], columns: int) -> None:
        """Wrap each node's text to fit its column: relation labels narrow, the rest sharing what is left."""
        relation_columns = len({layer for node, layer in zip(self.nodes, layers) if node.is_relation})
        label_width = 76 if columns <= 3 else 64
        free = WIDTH - 2 * MARGIN - (columns - 1) * GAP - relation_columns * label_width
        node_width = max(84, free / max(1, columns - relation_columns)) - 2 * PAD_X
        for node in self.nodes:
            node.lines = wrap(node.label, node.size, label_width if node.is_relation else node_width)
            widest = max(text_width(line, node.size) for line in node.lines)
            node.width = widest + 2 * PAD_X
            node.height = len(node.lines) * node.size * LINE + 2 * PAD_Y

    def stack(self, part: list[int], layout, layers: list[int], lefts: list[float], top: float) -> float:
        """One part's columns from `top` down, in the layout's order, near its rows but never overlapping;
        returns the part's bottom."""
        bottom = top
        for column, left in enumerate(lefts):
            below = None
            for row, v in sorted((row, v) for v, (row, _) in zip(part, layout.coords) if layers[v] == column):
                node = self.nodes[v]
                node.x, node.y = left, max(top + row * ROW, below + VGAP if below is not None else top)
                below = node.y + node.height
            bottom = max(bottom, below if below is not None else bottom)
        return bottom

    @cached_property
    def base(self) -> bytes:
        """The map: every node and link (drawn once: every card of the section shows it)."""
        width, height, bends = self.layout
        links = "".join(self.link_path(link, bends[link], "e") for link in self.links)
        nodes = "".join(self.node_svg(v) for v in range(len(self.nodes)))
        return svg(width, height, STYLE, links + nodes)

    def marked(self, edge_ids: frozenset[str]) -> bytes:
        """The marking alone, at the map's size: the marked edges' links and nodes, to lay over the map."""
        width, height, bends = self.layout
        paths = [self.paths[edge.id] for edge in self.edges if edge.id in edge_ids]
        links = list(dict.fromkeys(link for s, r, t in paths for link in ((s, r), (r, t))))
        marked_nodes = sorted({v for path in paths for v in path})
        body = "".join(self.link_path(link, bends[link], "e") for link in links)
        return svg(width, height, MARK_STYLE, body + "".join(self.node_svg(v) for v in marked_nodes))

    def link_path(self, link: tuple[int, int], bends: list[tuple[float, float]], css: str) -> str:
        source, target = self.nodes[link[0]], self.nodes[link[1]]
        forwards = target.x >= source.x
        start = (source.x + source.width if forwards else source.x, source.y + source.height / 2)
        end = (target.x if forwards else target.x + target.width, target.y + target.height / 2)
        points = [start, *bends, end]
        d = f"M{points[0][0]:.1f} {points[0][1]:.1f}"
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            half = (x1 - x0) / 2
            d += f"C{x0 + half:.1f} {y0:.1f} {x1 - half:.1f} {y1:.1f} {x1:.1f} {y1:.1f}"
        arrow = "" if target.is_relation else ' marker-end="url(#a)"'
        return f'<path class="{css}" d="{d}"{arrow}/>'

    def node_svg(self, v: int) -> str:
        node = self.nodes[v]
        shape = (f'<rect class="lb" x="{node.x:.1f}" y="{node.y:.1f}" width="{node.width:.1f}" '
                 f'height="{node.height:.1f}" rx="3"/>' if node.is_relation else
                 f'<rect class="n" x="{node.x:.1f}" y="{node.y:.1f}" width="{node.width:.1f}" '
                 f'height="{node.height:.1f}" rx="5"/>')
        css = ' class="l"' if node.is_relation else ""
        lines = "".join(f'<tspan x="{node.x + PAD_X:.1f}" y="{node.y + PAD_Y + (i + 0.8) * node.size * LINE:.1f}">'
                        f"{html.escape(line)}</tspan>" for i, line in enumerate(node.lines))
        return f'{shape}<text font-size="{node.size}"{css}>{lines}</text>'


def column_lefts(widths: list[float]) -> list[float]:
    lefts, x = [], float(MARGIN)
    for width in widths:
        lefts.append(x)
        x += width + GAP
    return lefts


def svg(width: float, height: float, style: str, body: str) -> bytes:
    """A whole SVG document: its size, its style and the arrowhead its links end in, around `body`."""
    stroke = "#d9480f" if style is MARK_STYLE else "#8c959f"
    arrow = (f'<marker id="a" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" '
             f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L8 4L0 8z" fill="{stroke}"/></marker>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONTS}"><style>{style}</style>'
            f'<defs>{arrow}</defs>{body}</svg>\n').encode()
