"""How the graph is drawn, as plain data: stance colours and line styles, node colours and sizes,
caption sizes, the style rules st-link-analysis passes to cytoscape.js, and a layout step that
keeps captions from overlapping."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

import networkx as nx
import numpy as np

from kb.network.draw import COLOURS

__all__ = [
    "LABELLED_TYPES",
    "LABEL_FONT",
    "NODE_COLOURS",
    "NODE_SIZES",
    "SELECTION_COLOUR",
    "SMALL_FONT",
    "STANCE_COLOURS",
    "STANCE_LINES",
    "graph_styles",
    "label_box",
    "relation_words",
    "seeded_layout",
    "spread_labels",
]

# Evidence links by stance: Okabe–Ito colours and a line style each, so that neither colour nor
# red against green is the only sign; no stance is red, the colour st-link-analysis (0.4.0)
# gives a selected node's edges and cannot be told otherwise (its highlight rules come last).
STANCE_COLOURS = {
    "supports": "#009e73",
    "qualifies": "#0072b2",
    "contradicts": "#cc79a7",
    "background": "#999999",
}
STANCE_LINES = {
    "supports": "solid",
    "qualifies": "dashed",
    "contradicts": "dotted",
    "background": "solid",
}
SELECTION_COLOUR = "#ff3232"  # st-link-analysis's light-theme highlight, rgb(255, 50, 50)
NODE_COLOURS = COLOURS
NODE_SIZES = {"worksheet": 40, "skill": 32, "reference": 24, "topic": 20}
LABELLED_TYPES = frozenset({"worksheet", "skill", "reference"})
LABEL_FONT = 12
SMALL_FONT = 7


def relation_words(relation: str) -> str:
    """A graph relation in words: ``dcterms:creator kb:topic`` -> ``creator, topic``."""
    words = []
    for name in relation.split():
        local = name.rsplit(":", 1)[-1].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        words.append(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower())
    return ", ".join(dict.fromkeys(w for w in words if w))


def label_box(
    label: str, kind: str, labelled: Collection[str] = LABELLED_TYPES
) -> tuple[float, float, float]:
    """The box a node and its caption take, around the node's centre, in layout units: (half
    width, height above, height below); the caption sits under the node, as the component
    draws it, ``LABEL_FONT`` high for the ``labelled`` types (else ``SMALL_FONT``), about 0.6 of
    that per character wide."""
    size = float(NODE_SIZES.get(kind, 16))
    font = float(LABEL_FONT if kind in labelled else SMALL_FONT)
    half = max(size, 0.6 * font * len(label)) / 2
    return half, size / 2, size / 2 + 4 + 1.3 * font


def spread_labels(
    positions: dict[Any, tuple[float, float]],
    labels: dict[Any, str],
    kinds: dict[Any, str],
    *,
    labelled: Collection[str] = LABELLED_TYPES,
    gap: float = 4.0,
) -> dict[Any, tuple[float, float]]:
    """Positions moved so that no two nodes' caption boxes (``label_box``) overlap: overlapping
    pairs pushed apart along their shorter overlap, a few hundred passes at most, then the whole
    picture scaled out until none overlaps. Deterministic (node order, no randomness); the
    component fits the picture to its frame, so what does not overlap here does not overlap at
    the default zoom either."""
    nodes = list(positions)
    if len(nodes) < 2:
        return dict(positions)
    xy = np.array([positions[n] for n in nodes], dtype=float)
    boxes = np.array([label_box(labels.get(n, ""), kinds.get(n, ""), labelled) for n in nodes])
    half, up, down = boxes[:, 0], boxes[:, 1], boxes[:, 2]
    order = np.arange(len(nodes))
    tie = np.where(order[:, None] > order[None, :], 1.0, -1.0)

    def overlaps(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        dx = xy[:, 0][:, None] - xy[:, 0][None, :]
        dy = xy[:, 1][:, None] - xy[:, 1][None, :]
        need_x = half[:, None] + half[None, :] + gap - np.abs(dx)
        top = np.maximum(xy[:, 1][:, None] - up[:, None], xy[:, 1][None, :] - up[None, :])
        bottom = np.minimum(xy[:, 1][:, None] + down[:, None], xy[:, 1][None, :] + down[None, :])
        need_y = bottom - top + gap
        hit = (need_x > 0) & (need_y > 0)
        np.fill_diagonal(hit, False)
        sx = np.where(dx == 0, tie, np.sign(dx))
        sy = np.where(dy == 0, tie, np.sign(dy))
        push_x = np.where(hit & (need_x <= need_y), need_x * sx / 2, 0.0)
        push_y = np.where(hit & (need_x > need_y), need_y * sy / 2, 0.0)
        return hit, push_x, push_y

    for _ in range(300):
        hit, push_x, push_y = overlaps(xy)
        if not hit.any():
            break
        xy[:, 0] += push_x.sum(axis=1) * 0.5
        xy[:, 1] += push_y.sum(axis=1) * 0.5
    for _ in range(60):
        if not overlaps(xy)[0].any():
            break
        xy *= 1.15
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


def graph_styles(labelled: Collection[str], *, directed: bool) -> list[dict[str, Any]]:
    """The cytoscape.js style rules of the graph, as plain data (``{"selector", "style"}``):
    nodes coloured and sized by type, captions ``LABEL_FONT`` high for the ``labelled`` types
    (``SMALL_FONT`` for the rest, as ``spread_labels`` assumed); edges curved, evidence links
    coloured and drawn (solid, dashed, dotted) by stance with no caption (the stance is in the
    legend and in the edge's details on click). st-link-analysis draws a selection in its own
    red (``SELECTION_COLOUR``), which no stance colour is near."""
    rules: list[dict[str, Any]] = []
    for kind, colour in NODE_COLOURS.items():
        size = str(NODE_SIZES.get(kind, 16))
        font = LABEL_FONT if kind in labelled else SMALL_FONT
        style = {"background-color": colour, "label": "data(label)", "font-size": str(font)}
        rules.append(
            {"selector": f"node[type='{kind}']", "style": style | {"width": size, "height": size}}
        )
    arrow = "triangle" if directed else "none"
    rules.append(
        {"selector": "edge", "style": {"curve-style": "bezier", "target-arrow-shape": arrow}}
    )
    for stance, colour in STANCE_COLOURS.items():
        style = {"line-color": colour, "target-arrow-color": colour, "width": "3"}
        rules.append(
            {
                "selector": f"edge[stance='{stance}']",
                "style": style | {"line-style": STANCE_LINES[stance]},
            }
        )
    return rules


def seeded_layout(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Seeded spring layout per connected component, components packed in rows, largest first."""
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))
    width = 140.0 * len(graph) ** 0.5  # row length, in the same units as the positions
    out: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part in parts:
        size = 70.0 * len(part) ** 0.5
        if len(part) == 1:
            local = dict.fromkeys(part, (0.0, 0.0))
        else:
            sub = graph.subgraph(sorted(part, key=str))
            pos = nx.spring_layout(sub, seed=7, k=2.5 / len(part) ** 0.5, iterations=100)
            local = {n: (float(px) * size / 2, float(py) * size / 2) for n, (px, py) in pos.items()}
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y + row_height + 60.0, 0.0
        for node, (px, py) in local.items():
            out[node] = (x + size / 2 + px, y + size / 2 + py)
        x += size + 60.0
        row_height = max(row_height, size)
    return out
