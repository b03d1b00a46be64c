"""The Topics page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

import kb
from kb.browse import views
from kb.dashboard.blocks import normalise
from kb.dashboard.data import source, topic_counts, topic_info, topic_labels, topics_tree
from kb.dashboard.widgets import choose, graph_button, link_button, plural, unselect


def topics_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The SKOS topic tree with counts, or one topic's references and skills."""
    labels = topic_labels(source(), ws)
    normalise(base, "topic")
    chosen = choose("topic", "Open a topic", labels, placeholder="Choose a topic…")
    if chosen is not None:
        topic_page(base, chosen, ws)
        return
    st.title("Topics")
    st.caption("The site's topics and demographics as a SKOS tree; counts are direct tags.")
    n_by_topic = topic_counts(source(), ws)
    lines: list[str] = []
    for root in topics_tree(source(), ws):
        tree_lines(root, n_by_topic, lines)
    st.markdown("\n".join(lines))
    table: list[dict[str, Any]] = [
        {"topic": labels[t], "references": n_refs, "skills": n_skills}
        for t, (n_refs, n_skills) in n_by_topic.items()
    ]
    st.dataframe(sorted(table, key=lambda r: (-r["references"], r["topic"])), hide_index=True)


def tree_lines(
    node: Mapping[str, Any], n_by_topic: Mapping[str, tuple[int, int]], out: list[str]
) -> None:
    """A topic and its narrower topics as nested markdown list lines."""
    n_refs, n_skills = n_by_topic.get(node["id"], (0, 0))
    label = views.md_escape(node["label"])
    counted = f"{plural(n_refs, 'reference')}, {plural(n_skills, 'skill')}"
    out.append(f"{'    ' * node['depth']}- **{label}**: {counted}")
    for child in node["children"]:
        tree_lines(child, n_by_topic, out)


def topic_page(base: kb.KnowledgeBase, topic: str, ws: str | None) -> None:
    """One topic: its place in the tree, its references and skills."""
    item = topic_info(source(), ws, topic)
    info, refs, skills = item.info, item.references, item.skills
    labels = topic_labels(source(), ws)
    st.button("← All topics", on_click=unselect, args=("topic",), type="tertiary")
    st.title(views.md_escape(info["label"]))
    graph_button("topic", topic, "tp-graph")
    st.caption(f"SKOS concept in the scheme {views.md_escape(info['scheme'])}")
    if info["definition"]:
        st.markdown(views.md_escape(info["definition"]))
    with st.container(horizontal=True, gap="medium", vertical_alignment="center"):
        if info["broader"]:
            st.markdown("Broader:")
            broader = info["broader"]
            link_button(labels.get(broader, broader), "topics", "tb", topic=broader)
        if info["narrower"]:
            st.markdown("Narrower:")
        for tid in info["narrower"]:
            link_button(labels.get(tid, tid), "topics", f"tn-{tid}", topic=tid)
    left, right = st.columns(2)
    with left:
        st.header(f"References ({len(refs)})")
        for r in refs:
            label = f"{r['label']}: {r['title']}"
            link_button(label, "references", f"tr-{r['key']}", reference=r["key"])
    with right:
        st.header(f"Skills ({len(skills)})")
        for s in skills:
            label, param = f"{s.order}. {s.title}", views.skill_param(base, s)
            link_button(label, "skills", f"ts-{s.iri}", skill=param)
        if info["authors"]:
            st.header("Authors")
            st.markdown(views.md_escape("; ".join(info["authors"])))
