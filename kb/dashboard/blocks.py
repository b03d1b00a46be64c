"""Blocks shown on more than one page: a skill's profile, an evidence link, audit findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress

import streamlit as st

import kb
from kb.browse import citations as cites
from kb.browse import views
from kb.browse.gaps import AuditRow
from kb.browse.labels import MAY_NOT_EXIST, MAY_NOT_EXIST_WHY
from kb.browse.skills import FIGURE_HELP, SkillFigures
from kb.browse.views import DESIGN_LABELS
from kb.dashboard.style import STANCE_BADGE
from kb.dashboard.widgets import link_button, plural
from kb.evidence import profile, wording
from kb.evidence.finding_block import FindingBlock, finding_blocks, title_only_line


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


def show_finding(block: FindingBlock) -> None:
    """One finding block, the same wherever a finding is shown: its heading, what the source
    reports in our words, and what was read of it (part, how much, on whose page, the link, when).
    """
    with st.container(border=True):
        st.markdown(f"**{views.md_escape(block.heading)}**")
        st.markdown(views.md_escape(block.statement))
        st.caption(
            f"Our summary of {views.md_escape(block.part_words)} ({block.extent_label}), read on "
            f"{views.md_escape(block.page_owner_label)} ({views.md_escape(block.site)}): "
            f"{views.md_link(block.url, block.url)}, on {block.read}"
        )


def stance_badge(stance: str, directness: str | None = None) -> None:
    """A link's stance as a word (and its directness), in a colour no other stance uses."""
    words = f"{stance}, {directness}" if directness else stance
    st.badge(words, color=STANCE_BADGE.get(stance, "gray"))


def show_link(link: kb.EvidenceRow, names: Mapping[str, str], key: str) -> None:
    """One evidence link: the reference (flagged where it may not exist), stance, rationale,
    the finding blocks the link rests on, or "title only", provenance and review status."""
    assert link.key is not None
    stance_badge(link.stance or "", link.directness)
    link_button(names.get(link.key, link.key), "references", key=f"open-{key}", reference=link.key)
    if MAY_NOT_EXIST in names.get(link.key, ""):
        st.warning(MAY_NOT_EXIST_WHY, icon=":material/help:")
    st.markdown(views.md_escape(link.rationale or ""))
    if link.title_only:
        st.markdown(views.md_escape(title_only_line()))
    for block in finding_blocks(link.findings):
        show_finding(block)
    st.caption(
        f"{views.md_escape(wording.judged_from(link.basis or '', link.findings))}; curated by "
        f"{views.md_escape(link.curator)} on {link.date}; "
        f"review: {views.md_escape(wording.review_words(link.review))}"
    )


def audit_words_html(row: AuditRow) -> str:
    """An audit row's values: a replaced sentence whole, the printed one above the corrected
    one; a short value word by word, removed words struck through, added ones underlined."""
    if row.stacked:
        return (
            f'<div class="kb-was"><span class="kb-tag">printed</span> {views.escape(row.printed)}'
            f'</div><div class="kb-now"><span class="kb-tag">corrected</span> '
            f"{views.escape(row.corrected)}</div>"
        )
    tags = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}
    return "".join(tags[op].format(views.escape(text)) for op, text in row.words)


def show_audit_rows(rows: Sequence[AuditRow]) -> None:
    """Audit differences as a table: the reference by name, the field, the values and why."""
    if not rows:
        st.caption("None.")
        return
    lines = [
        f"<tr><td>{views.escape(r.reference)}</td><td>{views.escape(r.field)}</td>"
        f"<td>{audit_words_html(r)}</td><td>{views.escape(r.why)}</td></tr>"
        for r in rows
    ]
    st.html(
        '<div style="overflow-x:auto"><table class="kb-audit"><thead><tr><th>reference</th>'
        "<th>field</th><th>printed → corrected</th><th>why</th></tr>"
        f"</thead><tbody>{''.join(lines)}</tbody></table></div>"
        "<style>.kb-audit del{background:#f5c6cb}.kb-audit ins{background:#cdeccf;"
        "text-decoration:underline}.kb-audit td{vertical-align:top;padding:2px 6px}"
        ".kb-audit .kb-tag{font-size:.8em;color:#55555f}.kb-audit .kb-was{color:#5a1a1a}"
        ".kb-audit .kb-now{border-top:1px solid #ddd}</style>"
    )


def show_in_text(c: cites.Citations) -> None:
    """The in-text citations to copy, as `kb cite` gives them: parenthetical and, in APA,
    narrative (each box copies plain text)."""
    left, right = st.columns(2)
    with left:
        st.markdown("**In-text, parenthetical**")
        st.code(c.parenthetical, language=None, wrap_lines=True)
    if c.narrative is not None:
        with right:
            st.markdown("**In-text, narrative**")
            st.code(c.narrative, language=None, wrap_lines=True)
