"""The Skills page."""

from __future__ import annotations

import streamlit as st

import kb
from kb.browse import views
from kb.browse import worksheet as sheets
from kb.browse.skills import skill_text_html
from kb.dashboard.blocks import normalise, show_link, show_profile
from kb.dashboard.data import (
    annotated,
    apa,
    evidence,
    figures,
    reference_labels,
    skill_options,
    skill_profiles,
    source,
)
from kb.dashboard.widgets import choose, graph_button
from kb.evidence import wording


def skills_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """One skill: its ratings and figures, its text with claims marked, its evidence."""
    skills = skill_options(source(), ws)
    if not skills:
        st.info("This worksheet has no skills.")
        return
    normalise(base, "skill")
    chosen = choose("skill", "Skill", skills, default=next(iter(skills)))
    assert chosen is not None
    skill = base.skill(chosen)
    st.title(f"{skill.order}. {skill.title}")
    graph_button("skill", chosen, "sk-graph")
    prof = next(
        p
        for p in skill_profiles(source(), ws)
        if (p.worksheet, p.slug) == (skill.worksheet, skill.slug)
    )
    show_profile(prof, figures(source(), ws)[prof.worksheet, prof.slug])
    claims = evidence(source(), ws, chosen)
    page = annotated(source(), skill.worksheet, None)
    st.header("In the worksheet")
    st.html(sheets.legend_html())
    statuses = {c.claim: c.status for c in page.claims}
    st.html(skill_text_html(base.worksheet(skill.worksheet), skill.slug, claims, statuses))
    st.header("Claims and their references")
    labels = reference_labels(source())
    for i, claim in enumerate(claims, start=1):
        with st.container(border=True):
            kind = wording.CLAIM_KINDS.get(claim.kind, claim.kind)
            st.markdown(f"**{i}.** “{views.md_escape(claim.quote)}”")
            st.caption(f"{claim.kind}: {views.md_escape(kind)}")
            if not claim.links:
                st.warning("No reference is linked to this claim.", icon=":material/link_off:")
            for link in claim.links:
                show_link(link, labels, key=f"{claim.claim_id}-{link.key}")
    keys = sorted({link.key for c in claims for link in c.links if link.key})
    if keys:
        st.header("References of this skill (APA 7)")
        entries = apa(source(), ws)
        st.html("".join(f'<p class="kb-apa">{entries[k]}</p>' for k in keys if k in entries))
