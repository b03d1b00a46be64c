"""Blocks shown on more than one page: a skill's profile, an evidence link, audit findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress

import streamlit as st

import kb
from kb.browse import views
from kb.browse import worksheet as sheets
from kb.browse.skills import FIGURE_HELP, SkillFigures
from kb.browse.views import DESIGN_LABELS
from kb.dashboard.style import STANCE_BADGE
from kb.dashboard.widgets import link_button, plural
from kb.evidence import audit, profile, wording


def normalise(base: kb.KnowledgeBase, param: str) -> None:
    """Accept in the URL any name the CLI accepts (a skill's number, a topic's label, an
    author's family name, ``kb.core.resolve``), rewritten as the page names it."""
    wanted = st.query_params.get(param)
    if wanted:
        with suppress(kb.KbError):  # the page says that it names nothing
            st.query_params[param] = views.url_value(base, param, wanted)


def show_profile(p: profile.SkillProfile, n: SkillFigures) -> None:
    """A skill's two ratings with their reasons, and its figures, each saying what it counts."""
    cols = st.columns(5)
    cols[0].metric(
        "Advice helps",
        p.advice.rating if p.advice else "n/a",
        help="Certainty that following the advice helps, from its recommendation claims.",
    )
    cols[1].metric(
        "Stated reasons",
        p.premises.rating if p.premises else "n/a",
        help="Certainty of the worksheet's reasons, from its empirical and definition claims.",
    )
    cols[2].metric("Supporting references", n.supporting, help=FIGURE_HELP["supporting"])
    cols[3].metric("Peer reviewed (of supporting)", n.peer_share_text, help=FIGURE_HELP["peer"])
    cols[4].metric("Linked references", n.linked, help=FIGURE_HELP["linked"])
    st.caption(
        f"{plural(n.supporting, 'reference')} support a claim of this skill, "
        f"{n.supporting_peer_reviewed} of them peer reviewed; {n.linked} are linked in all, "
        "background and qualifying ones included."
    )
    for rating in (p.advice, p.premises):
        if rating is None:
            continue
        with st.expander(f"Why “{rating.rating}”: {rating.label}"):
            st.markdown(views.md_escape(rating.summary))
            for reason in rating.reasons:
                st.markdown(f"- {views.md_escape(reason)}")
    with st.expander("By design and level"):
        st.caption(
            "Design: how the study behind a reference was made. Level: our evidence scale, "
            "1 (systematic review) to 6 (grey literature)."
        )
        left, right = st.columns(2)
        left.dataframe(
            [
                {"design": DESIGN_LABELS.get(k, k), "references": v}
                for k, v in p.counts_by_design.items()
            ],
            hide_index=True,
        )
        right.dataframe(
            [{"evidence level": k, "references": v} for k, v in p.counts_by_level.items()],
            hide_index=True,
        )


def show_link(link: kb.EvidenceRow, labels: Mapping[str, str], key: str) -> None:
    """One evidence link: the reference, stance, rationale, what the source reports (the
    finding the link rests on, with its URL) or "title only", provenance and review status."""
    assert link.key is not None
    stance = link.stance or ""
    st.badge(f"{stance}, {link.directness}", color=STANCE_BADGE.get(stance, "gray"))
    link_button(labels.get(link.key, link.key), "references", key=f"open-{key}", reference=link.key)
    st.markdown(views.md_escape(link.rationale or ""))
    if link.title_only:
        st.markdown(f"**{wording.REPORTS_HEADING}:** unknown. {wording.TITLE_ONLY}.")
    for finding in link.findings:
        where = views.md_link(finding.url, finding.url)
        st.markdown(
            f"**{wording.REPORTS_HEADING}** ({views.md_escape(finding.kind_label)}; our summary "
            f"of {views.md_escape(wording.finding_source_part(finding.part))}, "
            f"{views.md_escape(wording.finding_where(finding))}, read at {where} "
            f"on {finding.read}): {views.md_escape(finding.statement)}"
        )
    st.caption(
        f"{views.md_escape(wording.judged_from(link.basis or '', link.findings))}; curated by "
        f"{views.md_escape(link.curator)} on {link.date}; "
        f"review: {views.md_escape(wording.review_words(link.review))}"
    )


def show_findings(findings: Sequence[audit.AuditFinding]) -> None:
    """Audit findings as a table with the differing characters marked."""
    if not findings:
        st.caption("None.")
        return
    rows = []
    for f in findings:
        was, now = sheets.diff_html(f.printed, f.corrected)
        rows.append(
            f"<tr><td>{f.number}</td><td>{views.escape(f.key)}</td>"
            f"<td>{views.escape(f.field)}</td><td>{was}</td><td>{now}</td>"
            f"<td>{views.escape(f.note or f.category)}</td></tr>"
        )
    st.html(
        '<div style="overflow-x:auto"><table class="kb-audit"><thead><tr><th>no.</th>'
        "<th>reference</th><th>field</th><th>printed</th><th>corrected</th><th>why</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
        "<style>.kb-audit del{background:#f5c6cb}.kb-audit ins{background:#cdeccf;"
        "text-decoration:underline}.kb-audit td{vertical-align:top;padding:2px 6px}</style>"
    )
