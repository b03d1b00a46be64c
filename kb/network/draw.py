"""Graph files and static drawings of the NetworkX views (used by ``kb.network.projections``).

GraphML and GEXF carry string-typed attributes only, so Gephi, Cytoscape and yEd open them;
drawings use matplotlib's Agg machinery (no display) with a seeded, hash-seed-free layout.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any, Literal

import networkx as nx

__all__ = ["COLOURS", "SEED", "draw", "to_gexf", "to_graphml"]

SEED = 42
COLOURS = {
    "worksheet": "#444444",
    "skill": "#1f77b4",
    "claim": "#aec7e8",
    "reference": "#ff7f0e",
    "person": "#2ca02c",
    "organization": "#98df8a",
    "topic": "#9467bd",
    "journal": "#8c564b",
    "design": "#e377c2",
    "level": "#7f7f7f",
}


def _as_strings(g: nx.Graph) -> nx.Graph:
    """A copy whose graph, node and edge attributes are all strings (None dropped)."""
    h = g.copy()
    h.graph = {k: str(v) for k, v in g.graph.items() if v is not None}
    for data in [*(d for _, d in h.nodes(data=True)), *(d for *_, d in h.edges(data=True))]:
        for k, v in list(data.items()):
            if v is None:
                del data[k]
            else:
                data[k] = str(v)
    return h


def to_graphml(g: nx.Graph) -> str:
    """GraphML (string-typed attributes) that Gephi, Cytoscape and yEd open."""
    return "\n".join(nx.generate_graphml(_as_strings(g))) + "\n"


def to_gexf(g: nx.Graph, date: dt.date | None = None) -> str:
    """GEXF 1.2 (string-typed attributes) that Gephi opens; ``label`` is the node label.

    networkx stamps ``<meta lastmodifieddate>`` with today's date: it is replaced by ``date``
    (the data's own), or left out when no date is known (the attribute is optional), so the
    same data gives the same bytes on any day."""
    lines = list(nx.generate_gexf(_as_strings(g)))
    stamp = f'lastmodifieddate="{date.isoformat()}"' if date else ""
    for i, line in enumerate(lines):
        if "<meta " in line:
            lines[i] = _STAMP.sub(stamp, line).replace("<meta  ", "<meta ").replace(" >", ">")
            break
    return "\n".join(lines) + "\n"


_STAMP = re.compile(r'lastmodifieddate="[^"]*"')


def draw(g: nx.Graph, fmt: Literal["svg", "png"], title: str | None = None) -> bytes:
    """A static drawing of a view (matplotlib, no display needed): deterministic layout.

    Each connected component is laid out on its own (a circle up to 12 nodes, else a seeded
    spring layout) and the components are packed in rows, largest first. Node size follows
    ``n_references`` when the view has it (co-authors), else the degree.
    """
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    u = g.to_undirected() if g.is_directed() else g
    pos = _layout(u)
    size = {n: float(d.get("n_references", 0)) or 0.4 * u.degree(n) for n, d in u.nodes(data=True)}
    xs, ys = [x for x, _ in pos.values()] or [0.0], [y for _, y in pos.values()] or [0.0]
    ratio = (max(ys) - min(ys) + 1.5) / (max(xs) - min(xs) + 1.5)
    fig = Figure(figsize=(13, min(max(13 * ratio + 1, 5), 13)), dpi=110, layout="constrained")
    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_aspect("equal")
    widths = [0.6 + 0.8 * float(d.get("weight", 1)) ** 0.5 for *_, d in u.edges(data=True)]
    nx.draw_networkx_edges(u, pos, ax=ax, width=widths, edge_color="#c8c8c8")
    kinds = sorted({str(d.get("type", "node")) for _, d in u.nodes(data=True)})
    for kind in kinds:
        nodes = [n for n, d in u.nodes(data=True) if str(d.get("type", "node")) == kind]
        colour = COLOURS.get(kind, "#17becf")
        sizes = [40 + 120 * min(size[n], 6) ** 1.5 for n in nodes]
        nx.draw_networkx_nodes(u, pos, nodelist=nodes, node_size=sizes, node_color=colour, ax=ax)
    shown = sorted(u, key=lambda n: (-size[n], n))[: 60 if len(u) <= 60 else 30]
    labels = {n: _node_text(u.nodes[n], n) for n in shown}
    nx.draw_networkx_labels(u, pos, labels=labels, font_size=8, ax=ax, verticalalignment="top")
    handles = [
        Line2D([], [], marker="o", ls="", color=COLOURS.get(k, "#17becf"), label=k) for k in kinds
    ]
    ax.legend(handles=handles, loc="lower right", frameon=False)
    ax.margins(0.08)
    ax.set_title(title or str(g.graph.get("name", "")), fontsize=14)
    buf = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "kb", "svg.fonttype": "none"}):
        meta = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, metadata=meta)
    return buf.getvalue()


def _layout(u: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Components laid out one by one, packed in rows and centred on each row (deterministic)."""
    comps = sorted((sorted(c) for c in nx.connected_components(u)), key=lambda c: (-len(c), c))
    width, gap = 2.2 * max(len(u), 1) ** 0.5, 1.4
    rows: list[list[tuple[list[Any], float]]] = [[]]
    used = 0.0
    for comp in comps:
        radius = 0.5 + 0.15 * len(comp) if len(comp) <= 12 else 0.6 * len(comp) ** 0.5
        if rows[-1] and used + 2 * radius > width:
            rows.append([])
            used = 0.0
        rows[-1].append((comp, radius))
        used += 2 * radius + gap
    pos: dict[Any, tuple[float, float]] = {}
    top = 0.0
    for row in rows:
        half = max(r for _, r in row)
        x = 0.0
        for comp, radius in row:
            sub = nx.Graph()  # not u.subgraph(): its node order follows a set (hash seed)
            sub.add_nodes_from(comp)
            sub.add_edges_from(e for e in sorted(u.edges(comp)) if e[1] in sub)
            if len(comp) == 1:
                local = {comp[0]: (0.0, 0.0)}
            elif len(comp) <= 12:
                local = nx.circular_layout(sub, scale=radius)
            else:
                k = 2.5 / len(comp) ** 0.5
                local = nx.spring_layout(sub, seed=SEED, k=k, scale=radius, iterations=300)
            for node, (px, py) in local.items():
                pos[node] = (x + radius + float(px), top - half + float(py))
            x += 2 * radius + gap
        top -= 2 * half + 0.7
    return pos


def _node_text(data: dict[str, Any], node: str, width: int = 28) -> str:
    text = str(data.get("label", node))
    text = text if len(text) <= width else text[: width - 1] + "…"
    refs = int(data.get("n_references", 0))
    return f"{text} ({refs} refs)" if refs > 1 else text
