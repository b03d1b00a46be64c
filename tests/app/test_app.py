"""The dashboard, page by page, through Streamlit's AppTest (no browser).

AppTest runs the script on the server side only. Two things the browser does are simulated:
a dataframe row click is the selection state the browser would send (``select_row``), and a
graph click is the component's value. Widgets bound to the URL (``bind="query-params"``) are
written into the address bar by the browser, not by the script: here they are driven from the
URL (``?q=hazan``) and their binding is read from the widget (``query_param_key``);
tests/app/test_browser.py checks the address bar itself.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kb.browse.citations import label_of
from kb.browse.views import escape, topic_labels
from kb.evidence import profile
from kb.evidence.support import STATUS_LABELS, claim_support
from kb.export import select_references
from kb.export.formats import EXPORT_FORMATS, FORMATS, GRAPH_FORMATS
from kb.paths import REPO_ROOT
from tests.helpers import WORKSHEET, raw_ids, seed_kb

APP = str(REPO_ROOT / "app.py")
PAGES = {
    "overview": "Creating Secure Attachment: the evidence",
    "worksheet": "The worksheet, annotated",
    "skills": "1. Learn about your attachment style",
    "gaps": "Gaps & Audit",
    "references": "References",
    "authors": "Authors",
    "topics": "Topics",
    "graph": "Knowledge graph",
    "query": "SPARQL query",
    "export": "Export",
}
NODE_TYPES = {"claim", "design", "journal", "level", "organization", "person", "reference",
              "skill", "topic", "worksheet"}  # fmt: skip
OVERVIEW_TYPES = {"worksheet", "skill", "reference", "topic"}
SHORT_ID = re.compile(r"[ne]\d+")


def open_page(page: str, **params: str) -> AppTest:
    """The app run once on ``page`` with the given query parameters."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["page"] = page
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def texts(at: AppTest) -> str:
    """Everything the page shows as text: titles, markdown, captions, HTML, alerts, buttons,
    code blocks (citations to copy)."""
    parts: list[Any] = [
        *(e.value for e in at.title),
        *(e.value for e in at.header),
        *(e.value for e in at.subheader),
        *(e.value for e in at.markdown),
        *(e.value for e in at.caption),
        *(e.proto.body for e in at.get("html")),
        *(e.value for e in at.error),
        *(e.value for e in at.warning),
        *(e.value for e in at.info),
        *(e.label for e in at.button),
        *(e.value for e in at.text),
        *(e.value for e in at.code),
    ]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def table(at: AppTest, index: int = 0) -> Any:
    """The ``index``-th dataframe on the page as a pandas DataFrame."""
    return at.dataframe[index].value


def keyed_table(at: AppTest, key: str) -> Any:
    """The dataframe with widget key ``key`` as a pandas DataFrame."""
    return next(d for d in at.dataframe if d.key == key).value


def select_row(at: AppTest, key: str, column: str, value: str) -> AppTest:
    """Click the row of table ``key`` whose ``column`` is ``value``: AppTest cannot click a
    dataframe, so this sets the selection the browser sends, then reruns."""
    rows = list(keyed_table(at, key)[column])
    at.session_state[key] = {"selection": {"rows": [rows.index(value)], "columns": [], "cells": []}}
    return at.run()


def component_args(at: AppTest, key: str) -> dict[str, Any]:
    """The arguments the app sent to the custom component with ``key``."""
    element = next(e for e in at.get("component_instance") if e.key == key)
    args: dict[str, Any] = json.loads(element.proto.json_args)
    return args


def shown_cells(at: AppTest) -> str:
    """Every dataframe's visible columns (hidden ones, such as a key that opens a row, left
    out) as CSV text."""
    out = []
    for frame in at.dataframe:
        hidden = {c for c, cfg in json.loads(frame.proto.columns or "{}").items()
                  if cfg.get("hidden")}  # fmt: skip
        value = frame.value
        out.append(value[[c for c in value.columns if c not in hidden]].to_csv(index=False))
    return "\n".join(out)


def page_text(at: AppTest) -> str:
    """What a person can read on the page: its text, visible table cells, figure labels, the
    choices of its menus and what the graph component prints."""
    menus = [str(o) for w in (*at.selectbox, *at.multiselect) for o in w.options]
    parts = [texts(at), shown_cells(at), *(m.label for m in at.metric), *menus]
    parts += [e.proto.json_args for e in at.get("component_instance")]
    return "\n".join(parts)


def click_node(at: AppTest, key: str, label: str) -> AppTest:
    """Click the node labelled ``label`` of graph ``key`` (injected as the component's value)."""
    nodes = component_args(at, key)["elements"]["nodes"]
    (node,) = [n["data"]["id"] for n in nodes if n["data"]["label"] == label]
    at.session_state[key] = {
        "action": "select_node",
        "data": {"type": "click", "target_id": node, "target_group": "nodes"},
        "timestamp": 1,
    }
    return at.run()


def claims_of(reference: str) -> dict[str, str]:
    """Claim id -> quote of every claim of the seed linked to ``reference``."""
    sheet = seed_kb().worksheet(WORKSHEET)
    linked = {link.claim for link in sheet.links if link.reference == reference}
    return {c.id: c.quote for c in sheet.claims if c.id in linked}


def statuses() -> dict[str, str]:
    """Claim id -> support status of every claim of the seed (the classification `kb gaps`
    counts with)."""
    base = seed_kb()
    found = claim_support(base, profile.reference_info(base))
    return {c.claim: c.status for c in found if c.worksheet == WORKSHEET}


# --- every page, navigation ---------------------------------------------------------------------


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_without_exception(page: str) -> None:
    """Each page runs to the end with no exception and shows its title."""
    at = open_page(page)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert PAGES[page] in [t.value for t in at.title]


def test_page_pills_switch_page_and_url() -> None:
    """The page pills (main area, not the sidebar) offer every page; choosing one shows it and
    writes it into the URL."""
    at = open_page("overview")
    pills = at.pills(key="choose-page")
    assert pills.value == "overview"
    assert set(pills.options) >= {"Worksheet", "Gaps & Audit", "Topics"}
    assert not at.sidebar.pills  # in the main area, where small screens see it
    pills.set_value("topics").run()
    assert [t.value for t in at.title] == ["Topics"]
    assert at.query_params["page"] == "topics"
    at.pills(key="choose-page").set_value("gaps").run()
    assert [t.value for t in at.title] == [PAGES["gaps"]]
    assert at.query_params["page"] == "gaps"


def test_unknown_page_says_so() -> None:
    """A page name that names nothing shows a message and the overview, not a traceback."""
    at = open_page("nowhere")
    assert not at.exception
    assert "No page named “nowhere”" in texts(at)
    assert PAGES["overview"] in texts(at)


# --- overview -----------------------------------------------------------------------------------


def test_overview_counts_and_rating_chart() -> None:
    """The overview counts skills, claims and references as kb holds them and charts every
    skill's two ratings."""
    base = seed_kb()
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Skills"] == str(len(base.skills))
    assert metrics["References"] == str(len(base.references))
    assert metrics["Claims"] == str(sum(len(w.claims) for w in base.worksheets))
    chart = at.get("vega_lite_chart")[0].proto
    assert '"field": "rating"' in chart.spec
    for skill in base.skills:
        assert f"{skill.order}. {skill.title}".encode() in chart.data.data  # Arrow bytes
    assert b"stated reasons" in chart.data.data  # two bars per skill


def test_overview_table_gives_each_skills_ratings_and_figures() -> None:
    """The overview table has one row per skill with both ratings and the figures of its
    profile: supporting and linked references counted as kb.evidence.profile counts them."""
    at = open_page("overview")
    rows = table(at)
    assert list(rows.columns) == [
        "#", "skill", "advice helps", "stated reasons", "supporting refs",
        "peer reviewed (of supporting)", "linked refs", "advice: summary",
    ]  # fmt: skip
    profiles = profile.profiles(seed_kb())
    assert list(rows["skill"]) == [p.title for p in profiles]
    assert list(rows["#"]) == [p.order for p in profiles]
    assert list(rows["advice helps"]) == [p.advice.rating if p.advice else "n/a" for p in profiles]
    assert list(rows["stated reasons"]) == [
        p.premises.rating if p.premises else "n/a" for p in profiles
    ]
    assert list(rows["supporting refs"]) == [len(p.supporting_references) for p in profiles]
    assert list(rows["linked refs"]) == [len(p.references) for p in profiles]


def test_overview_claim_counts_link_to_the_worksheet() -> None:
    """The overview says how the worksheet's claims stand, by status, and opens the Worksheet."""
    at = open_page("overview")
    shown = texts(at)
    for status, n in Counter(statuses().values()).items():
        assert f"{STATUS_LABELS[status]} ({n})" in shown
    at.button(key="ov-ws").click().run()
    assert at.query_params["page"] == "worksheet"
    assert [t.value for t in at.title] == [PAGES["worksheet"]]


# --- worksheet ----------------------------------------------------------------------------------


def test_worksheet_legend_counts_equal_kb_gaps() -> None:
    """The annotated worksheet's figures are `kb gaps`'s: claims with no supporting link and
    claims supported by grey literature only; the legend counts each status."""
    found = profile.gaps(seed_kb())
    at = open_page("worksheet")
    shown = texts(at)
    unsupported, grey = len(found.unsupported_claims), len(found.grey_only_claims)
    assert f"{unsupported} claims with no supporting link and {grey} supported by grey" in shown
    counts = Counter(statuses().values())
    assert counts["background-only"] + counts["none"] == unsupported
    assert counts["grey-only"] == grey
    for status in STATUS_LABELS:
        assert f"{STATUS_LABELS[status]} ({counts[status]})" in shown


def test_worksheet_marks_every_claim_by_its_status() -> None:
    """Every claim of the text is a mark in its status colour linking to ?claim=ID."""
    at = open_page("worksheet")
    html = "\n".join(e.proto.body for e in at.get("html"))
    marks = re.findall(r'class="kb-c kb-s-([a-z-]+)" id="claim-([a-z0-9-]+)"', html)
    assert {claim: status for status, claim in marks} == statuses()
    assert len(marks) == len(statuses())
    assert "page=worksheet&amp;worksheet=creating-secure-attachment&amp;claim=" in html


def test_worksheet_claim_from_the_url_shows_its_links() -> None:
    """?page=worksheet&claim=ID shows that claim, its status and each of its links; a link
    opens its reference."""
    claim, quote = next(iter(claims_of("hazan1987").items()))
    sheet = seed_kb().worksheet(WORKSHEET)
    keys = sorted(link.reference for link in sheet.links if link.claim == claim)
    at = open_page("worksheet", claim=claim)
    assert not at.error
    shown = texts(at)
    assert quote in shown
    assert STATUS_LABELS[statuses()[claim]] in shown
    opened = sorted(b.key.removeprefix(f"open-wc-{claim}-") for b in at.button if b.key and
                    b.key.startswith(f"open-wc-{claim}-"))  # fmt: skip
    assert opened == keys
    labels = {b.key: b.label.replace("\\", "") for b in at.button}
    assert labels[f"open-wc-{claim}-hazan1987"] == label_of(seed_kb().references["hazan1987"])
    at.button(key=f"open-wc-{claim}-hazan1987").click().run()
    assert at.query_params["page"] == "references"
    assert at.query_params["reference"] == "hazan1987"


def test_worksheet_claim_with_no_link_says_so() -> None:
    """A claim no reference is linked to opens with a warning saying so."""
    claim = next(c for c, s in statuses().items() if s == "none")
    at = open_page("worksheet", claim=claim)
    assert "No reference is linked to this claim." in texts(at)


def test_unknown_claim_shows_a_clear_message() -> None:
    """?claim= naming no claim of the worksheet is one message; the text is still shown."""
    at = open_page("worksheet", claim="no-such-claim")
    assert not at.exception
    assert "No claim named “no-such-claim”" in texts(at)
    assert 'class="kb-c kb-s-' in texts(at)


# --- gaps & audit -------------------------------------------------------------------------------


def test_gaps_page_figures_equal_kb_gaps_and_kb_audit() -> None:
    """The Gaps & Audit metrics are `kb gaps`'s lists counted, and `kb audit`'s metadata
    corrections."""
    from kb.evidence.audit import audit

    base = seed_kb()
    found = profile.gaps(base)
    at = open_page("gaps")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Claims with no supporting link": str(len(found.unsupported_claims)),
        "Supported by grey literature only": str(len(found.grey_only_claims)),
        "Judged from their title only": "6",
        "Skills whose advice is rated very low": str(len(found.very_low_skills)),
        "References supporting nothing": str(len(found.unused_references)),
        "Printed-reference corrections": str(
            sum(f.category == "metadata correction" for f in audit(base))
        ),
    }
    unsupported = next(d.value for d in at.dataframe if "links" in d.value.columns)
    assert list(unsupported["quote"]) == [r["quote"] for r in found.unsupported_claims]
    assert all(c.startswith("Claim ") for c in unsupported["claim"])  # by number, not slug


def test_gaps_page_marks_what_the_audit_corrects() -> None:
    """Each metadata correction is a row; a replaced author list or title is shown whole, the
    printed one above the corrected one (issue 24: no letter-by-letter diff)."""
    from kb.browse.views import escape
    from kb.evidence.audit import audit

    corrections = [f for f in audit(seed_kb()) if f.category == "metadata correction"]
    at = open_page("gaps")
    html = "\n".join(e.proto.body for e in at.get("html"))
    for f in corrections:
        if len(f.printed.split()) > 3 or len(f.corrected.split()) > 3:
            assert f'<span class="kb-tag">printed</span> {escape(f.printed)}</div>' in html
            assert f'<span class="kb-tag">corrected</span> {escape(f.corrected)}</div>' in html
    assert "<del>Gebreselassie, </del><ins>Gebresalassie, </ins>" in html  # whole words
    assert "Gebres<del>" not in html
    audit_table = html[html.index('<table class="kb-audit">') :]
    first = audit_table[: audit_table.index("</table>")]
    assert first.count("<tr><td>") == len(corrections)


# --- skills -------------------------------------------------------------------------------------


def test_skill_page_from_url_shows_profile_text_and_evidence() -> None:
    """?skill= opens that skill: ratings and figures, the passage with each claim marked by its
    status, and the skill's references in APA once each at the end."""
    at = open_page("skills", skill="minimize-stressors")
    shown = texts(at)
    assert "7. Minimize stressors" in [t.value for t in at.title]
    assert {"Advice helps", "Stated reasons", "Supporting references"} <= {
        m.label for m in at.metric
    }
    sheet = seed_kb().worksheet(WORKSHEET)
    claims = sorted(
        (c for c in sheet.claims if c.section == "minimize-stressors"), key=lambda c: c.start or 0
    )
    marks = re.findall(r'<mark class="kb-s-([a-z-]+)"', shown)
    assert marks == [statuses()[c.id] for c in claims]
    assert "Stress can worsen attachment issues" in shown
    assert "References of this skill (APA 7)" in shown
    assert shown.count("Sbarra, D. A., &amp; Hazan, C. (2008)") == 1  # APA, escaped, once
    assert "curated by" in shown


def test_skill_selectbox_changes_the_page_and_the_url() -> None:
    """Choosing another skill shows it and puts it in the URL, so the page can be shared."""
    at = open_page("skills")
    at.selectbox(key="choose-skill").set_value("communicate-openly").run()
    assert "5. Communicate openly and listen empathetically" in [t.value for t in at.title]
    assert at.query_params["skill"] == "communicate-openly"


def test_skill_by_number_is_accepted() -> None:
    """?skill=7 opens the seventh skill, as the CLI accepts it."""
    at = open_page("skills", skill="7")
    assert "7. Minimize stressors" in [t.value for t in at.title]


@pytest.mark.parametrize(
    ("page", "param"),
    [("skills", "skill"), ("references", "reference"), ("authors", "author"), ("topics", "topic")],
)
def test_unknown_selection_shows_a_clear_message(page: str, param: str) -> None:
    """A query parameter that names nothing gets a message naming it, never a traceback."""
    at = open_page(page, **{param: "no-such-thing"})
    assert not at.exception
    assert f"No {param} named “no-such-thing”" in texts(at)


def test_open_reference_button_goes_to_the_reference_page() -> None:
    """A reference's button on a skill page is labelled by its short label and opens its page."""
    at = open_page("skills", skill="minimize-stressors")
    button = at.button(key="open-stress-worsens-attachment-sbarra2008")
    assert button.label.replace("\\", "") == label_of(seed_kb().references["sbarra2008"])
    button.click().run()
    assert at.query_params["page"] == "references"
    assert at.query_params["reference"] == "sbarra2008"
    assert any("Coregulation, dysregulation" in t.value for t in at.title)


# --- references ---------------------------------------------------------------------------------


def test_references_table_lists_all_sixteen() -> None:
    """The references table starts with every reference of the worksheet; undated ones say
    "n.d."."""
    base = seed_kb()
    at = open_page("references")
    rows = table(at)
    assert set(rows["key"]) == set(base.references)
    assert f"{len(base.references)} of {len(base.references)} references" in texts(at)
    undated = {k for k, r in base.references.items() if r.year is None}
    assert undated  # manson_nd
    assert set(rows[rows["key"].isin(undated)]["year"]) == {"n.d."}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hazan", {"hazan1987", "sbarra2008", "selcuk2010"}),
        ("hazan 1987", {"hazan1987"}),
        ("1987 HAZAN", {"hazan1987"}),  # any order, any case
        ("házan shaver", {"hazan1987"}),  # accents ignored
    ],
)
def test_reference_search_finds_every_word(text: str, expected: set[str]) -> None:
    """?q= is the search box: it finds references holding every word, in any order, accents
    and case ignored."""
    at = open_page("references", q=text)
    assert at.text_input(key="q").value == text
    assert set(table(at)["key"]) == expected


def test_reference_search_is_a_bound_parameter() -> None:
    """The search box is bound to ?q=; typing narrows the table; SPARQL syntax in the search is
    just text, and finding nothing says so."""
    at = open_page("references")
    box = at.text_input(key="q")
    assert box.proto.query_param_key == "q"
    box.input("hazan").run()
    assert set(table(at)["key"]) == {"hazan1987", "sbarra2008", "selcuk2010"}
    at.text_input(key="q").input('") } UNION { ?s ?p ?o } #').run()
    assert not at.exception
    assert not at.dataframe
    assert 'No reference matches “") } UNION { ?s ?p ?o } #”' in texts(at)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("type", ["webpage"], {"fraley2018", "ha2021"}),
        ("rtopic", ["therapy-secure-base"], None),
        ("peer", ["not peer-reviewed"], None),
    ],
)
def test_reference_filters_narrow_the_table(key: str, value: list[str], expected: Any) -> None:
    """Each filter (type, topic, peer review) is bound to its URL parameter and keeps only the
    references it names; the URL holds what the filter shows (a topic's label, not its id)."""
    at = open_page("references")
    widget = at.multiselect(key=key)
    assert widget.proto.query_param_key == key
    widget.set_value(value).run()
    kept = table(at)
    assert 0 < len(kept) < len(seed_kb().references)
    if expected is not None:
        assert set(kept["key"]) == expected
    shown = topic_labels(seed_kb())[value[0]] if key == "rtopic" else value[0]
    again = open_page("references", **{key: shown})  # the same filter from a shared URL
    assert again.multiselect(key=key).value == value
    assert set(table(again)["key"]) == set(kept["key"])


def test_reference_year_filter_from_the_url() -> None:
    """?years=FROM&years=TO keeps the references dated in that span."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"page": "references", "years": ["1990", "2010"]})
    at.run()
    assert at.slider(key="years").value == (1990, 2010)
    dated = {k for k, r in seed_kb().references.items() if r.year and 1990 <= r.year <= 2010}
    assert set(table(at)["key"]) == dated


def test_reference_page_shows_claims_authors_topics_and_audit() -> None:
    """A reference's page shows its APA entry and in-text citations to copy, authors, topics,
    claims and audit notes."""
    at = open_page("references", reference="beeney2019")
    shown = texts(at)
    assert "Attachment styles, social behavior, and personality functioning" in shown
    codes = [c.value for c in at.code]
    assert codes[0].startswith("Beeney, J. E., Stepp, S. D.")  # APA, plain text to copy
    assert "(Beeney et al., 2019)" in codes
    assert "Beeney et al. (2019)" in codes
    assert "Gebresalassie, S. H." in shown  # an author button
    assert f"Claims it bears on ({len(claims_of('beeney2019'))})" in shown
    assert "The printed entry" in shown  # issue 24: design etc. moved to "Appraisal"
    assert "Appraisal" in shown
    html = "\n".join(e.proto.body for e in at.get("html"))
    assert "Gebreselassie" in html  # the printed spelling, from the audit


ROW_TABLES = {"authors": ("author-table", "id"), "references": ("ref-table", "key")}
OPENED_BY_ROW_OR_URL = [
    ("authors", "author", "fraley-r", "Fraley, R. C."),
    ("references", "reference", "davila1997", "Why does attachment style change?"),
]


@pytest.mark.parametrize(("page", "param", "value", "title"), OPENED_BY_ROW_OR_URL)
def test_a_table_row_opens_its_page(page: str, param: str, value: str, title: str) -> None:
    """Clicking an author's or a reference's row opens its page and records it in the URL;
    the back button returns to the table."""
    table_key, column = ROW_TABLES[page]
    at = select_row(open_page(page), table_key, column, value)
    assert title in [t.value.replace("\\", "") for t in at.title]
    assert at.query_params[param] == value
    next(b for b in at.button if b.label.startswith("←")).click().run()
    assert param not in at.query_params
    assert any(d.key == table_key for d in at.dataframe)


@pytest.mark.parametrize(("page", "param", "value", "title"), OPENED_BY_ROW_OR_URL)
def test_an_item_opens_from_the_url(page: str, param: str, value: str, title: str) -> None:
    """?author=ID and ?reference=KEY open the item's page directly."""
    at = open_page(page, **{param: value})
    assert not at.error
    assert title in [t.value.replace("\\", "") for t in at.title]


def test_choosing_a_topic_opens_its_page() -> None:
    """Choosing a topic opens its page and records it in the URL; the back button clears it."""
    at = open_page("topics")
    at.selectbox(key="choose-topic").set_value("emotion-regulation").run()
    assert "Emotion regulation" in texts(at)
    assert at.query_params["topic"] == "emotion-regulation"
    next(b for b in at.button if b.label.startswith("←")).click().run()
    assert "topic" not in at.query_params


def test_authors_page_and_an_authors_page() -> None:
    """The authors page draws the co-author network; an author's page lists what they reach."""
    at = open_page("authors")
    assert len(component_args(at, "coauthors")["elements"]["nodes"]) > 10
    at = open_page("authors", author="hazan-c")
    shown = texts(at)
    assert "Hazan, C." in shown
    assert "Shaver, P. (1)" in shown
    assert "7. Minimize stressors" in shown
    by_hazan = [r for r in seed_kb().references.values()
                if any(a.person_id == "hazan-c" for a in r.authors)]  # fmt: skip
    assert {m.label: m.value for m in at.metric}["References"] == str(len(by_hazan))


def test_the_authors_table_shows_works_as_people_cite_them() -> None:
    """The authors table shows each author's works as "Author (year)" (Hazan: "Hazan & Shaver
    (1987); Sbarra & Hazan (2008); Selcuk et al. (2010)"): no column of bib keys or ids."""
    from kb.browse.labels import reference_names

    names = reference_names(seed_kb())
    at = open_page("authors")
    (grid,) = [d for d in at.dataframe if d.key == "author-table"]
    shown = list(grid.proto.column_order)
    assert shown == ["author", "references", "coauthors", "skills", "works"]
    rows = grid.value
    hazan = rows[rows["author"] == "Hazan, C."].iloc[0]
    assert hazan["works"] == "; ".join(
        names[k].shown for k in ("hazan1987", "sbarra2008", "selcuk2010")
    )
    assert raw_ids(seed_kb(), rows[shown].to_csv(index=False)) == set()


def test_topics_tree_and_a_topic_page() -> None:
    """The topics page shows the SKOS tree; a topic's page its references and narrower topics."""
    at = open_page("topics")
    assert "**Attachment styles**" in texts(at)
    at = open_page("topics", topic="attachment")
    shown = texts(at)
    assert "Narrower:" in shown
    assert "Attachment styles" in [b.label for b in at.button]
    assert "Fraley (2018): A brief overview of adult attachment theory and research" in shown


# --- export -------------------------------------------------------------------------------------


def test_export_selection_follows_the_widgets() -> None:
    """Choosing skills and an author on the Export page narrows the references selected as
    kb.export.select_references does; the choices are bound to ?xskill= and ?xauthor=."""
    base = seed_kb()
    at = open_page("export")
    assert at.multiselect(key="xskill").proto.query_param_key == "xskill"
    assert at.multiselect(key="xauthor").proto.query_param_key == "xauthor"
    at.multiselect(key="xskill").set_value(["minimize-stressors"]).run()
    one_skill = select_references(base, skills=["minimize-stressors"])
    assert 0 < len(one_skill) < len(base.references)
    assert f"{len(one_skill)} references selected" in texts(at)
    at.multiselect(key="xauthor").set_value(["hazan-c"]).run()
    narrowed = select_references(base, skills=["minimize-stressors"], authors=["hazan-c"])
    assert 0 < len(narrowed) < len(one_skill)
    assert f"{len(narrowed)} references selected" in texts(at)


def test_export_offers_every_format_for_the_current_selection() -> None:
    """Export has a download, labelled in words, for every citation and graph format, for the
    URL's selection; its citations are code blocks to copy."""
    base = seed_kb()
    at = open_page("export", skill="minimize-stressors")
    buttons = {b.key: b for b in at.get("download_button")}
    assert {f"x-{f}" for f in (*EXPORT_FORMATS, *GRAPH_FORMATS)} <= set(buttons)
    for fmt in (*EXPORT_FORMATS, *GRAPH_FORMATS):
        button = buttons[f"x-{fmt}"]
        assert button.label != fmt
        assert FORMATS[fmt].file_name.rsplit(".", 1)[-1] in button.label  # names its file type
        assert f"`kb export {fmt}`" in button.proto.help
    chosen = select_references(base, skills=["minimize-stressors"])
    assert f"{len(chosen)} references selected" in texts(at)
    codes = [c.value for c in at.code]
    assert "(Sbarra & Hazan, 2008;" in codes[0]  # in-text, parenthetical
    assert codes[-1].count("\n\n") == len(chosen) - 1  # the APA list: one entry per reference
    everything = open_page("export")
    assert f"{len(base.references)} references selected" in texts(everything)


# --- graph --------------------------------------------------------------------------------------


def test_graph_nodes_are_typed_and_laid_out_stably() -> None:
    """The default graph (no focus) shows worksheet, skill, reference and topic nodes whose ids
    are the names people read (never IRIs nor internal ids such as "n6": the component's details
    panel prints them), at positions that are the same on every rerun and session."""
    first = component_args(open_page("graph"), "graph")
    again = open_page("graph")
    again.run()
    second = component_args(again, "graph")
    assert first["layout"]["name"] == "preset"
    assert first["elements"] == second["elements"]
    nodes, edges = first["elements"]["nodes"], first["elements"]["edges"]
    assert {n["data"]["type"] for n in nodes} == OVERVIEW_TYPES
    for element in (*nodes, *edges):
        assert not SHORT_ID.fullmatch(element["data"]["id"]), element["data"]
    for node in nodes:
        assert node["data"]["id"].startswith(escape(node["data"]["label"])), node["data"]
    assert "http" not in json.dumps(first["elements"])
    labels = {n["data"]["label"] for n in nodes}
    assert {label_of(r) for r in seed_kb().references.values()} <= labels


def test_graph_centred_on_a_reference_shows_its_claims_by_stance() -> None:
    """?focus=reference:KEY centres the graph on it: its claims labelled by their words, and
    one evidence edge per link, coloured by the link's stance."""
    sheet = seed_kb().worksheet(WORKSHEET)
    stances = Counter(link.stance for link in sheet.links if link.reference == "hazan1987")
    quotes = claims_of("hazan1987")
    at = open_page("graph", focus="reference:hazan1987")
    assert not at.error
    assert "Centred on **Hazan & Shaver (1987)**" in texts(at)
    assert not at.segmented_control(key="depth").disabled
    elements = component_args(at, "graph")["elements"]
    claims = [n["data"]["label"] for n in elements["nodes"] if n["data"]["type"] == "claim"]
    assert len(claims) == len(quotes)
    for label in claims:
        assert any(q.startswith(label.removesuffix("…")) for q in quotes.values()), label
    drawn = Counter(e["data"]["stance"] for e in elements["edges"] if e["data"]["stance"])
    assert drawn == stances
    next(b for b in at.button if b.label == "Show everything").click().run()
    assert "focus" not in at.query_params


@pytest.mark.parametrize(
    ("focus", "message"),
    [
        ("reference:no-such-key", "unknown reference 'no-such-key'"),
        ("planet:mars", "cannot centre the graph on “planet”"),
        ("skill:99", "99"),
    ],
)
def test_unknown_focus_shows_a_clear_message(focus: str, message: str) -> None:
    """A focus that names nothing is one message, and the whole graph is shown instead."""
    at = open_page("graph", focus=focus)
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert message in error.replace("\\", "")
    assert "showing the whole graph instead" in error
    nodes = component_args(at, "graph")["elements"]["nodes"]
    assert {n["data"]["type"] for n in nodes} == OVERVIEW_TYPES


def test_graph_filters_narrow_the_nodes() -> None:
    """Filtering by type or by skill draws fewer nodes; the filters are bound to the URL."""
    at = open_page("graph")
    assert at.multiselect(key="gtypes").proto.query_param_key == "gtypes"
    assert at.selectbox(key="gskill").proto.query_param_key == "gskill"
    at.multiselect(key="gtypes").set_value(["claim", "reference"]).run()
    nodes = component_args(at, "graph")["elements"]["nodes"]
    assert {n["data"]["type"] for n in nodes} == {"claim", "reference"}
    at.multiselect(key="gtypes").set_value(sorted(NODE_TYPES)).run()
    everything = len(component_args(at, "graph")["elements"]["nodes"])
    at.selectbox(key="gskill").set_value("minimize-stressors").run()
    assert 0 < len(component_args(at, "graph")["elements"]["nodes"]) < everything


def test_graph_click_shows_the_nodes_details() -> None:
    """A node click shows its details (no IRI) with links to its page and to the graph centred
    on it."""
    label = label_of(seed_kb().references["hazan1987"])
    at = click_node(open_page("graph"), "graph", label)
    shown = texts(at)
    assert f"**{label}** · reference" in shown
    assert "https://example.org/kb/id/" not in shown
    assert "Open on the References page" in shown
    at.button(key="graph-open").click().run()
    assert at.query_params["page"] == "references"
    assert at.query_params["reference"] == "hazan1987"
    at = click_node(open_page("graph"), "graph", label)
    assert at.button(key="graph-centre").label == "Centre the graph here"
    at.button(key="graph-centre").click().run()
    assert at.query_params["focus"] == "reference:hazan1987"
    assert f"Centred on **{label}**" in texts(at)


def test_graph_details_name_a_claim_by_its_number() -> None:
    """A clicked claim is named by its number on the Worksheet page before its words ("Claim
    11: If your caregivers…"), and a reference's details list its claims the same way, in
    number order."""
    from kb.browse.labels import claim_names

    names = claim_names(seed_kb())
    at = open_page("graph", focus="reference:hazan1987")
    claim = next(
        n["data"]["label"]
        for n in component_args(at, "graph")["elements"]["nodes"]
        if n["data"]["type"] == "claim"
    )
    sheet = seed_kb().worksheet(WORKSHEET)
    (record,) = [c for c in sheet.claims if c.quote.startswith(claim.removesuffix("…"))]
    number = names[WORKSHEET, record.id].shown
    assert f"**{number}: {claim}** · claim" in texts(click_node(at, "graph", claim))
    at = open_page("graph", focus="reference:hazan1987")
    at = click_node(at, "graph", "Hazan & Shaver (1987)")
    (line,) = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("- claim: ")]
    listed = line.removeprefix("- claim: ").split("; ")
    linked = [names[WORKSHEET, c].number for c in claims_of("hazan1987")]
    assert [x.partition(":")[0] for x in listed] == [f"Claim {n}" for n in sorted(linked)]


def test_overview_and_graph_show_no_internal_id() -> None:
    """The Overview, and the Graph page with every node type drawn and a node of each type
    clicked (its details and the component's panel), name things as people do: no claim, link
    or finding id, bib key, person id or IRI."""
    base = seed_kb()
    link = base.worksheet(WORKSHEET).links[0].id  # such as x--selcuk2010
    assert raw_ids(base, f"hazan1987, {link}: https://example.org/kb/id/a") == {
        "hazan1987", link, "https://example.org/kb/id/a"}  # fmt: skip
    assert raw_ids(base, page_text(open_page("overview"))) == set()
    at = open_page("graph")
    at.multiselect(key="gtypes").set_value(sorted(NODE_TYPES)).run()
    assert raw_ids(base, page_text(at)) == set()
    first: dict[str, str] = {}
    for node in component_args(at, "graph")["elements"]["nodes"]:
        first.setdefault(node["data"]["type"], node["data"]["label"])
    assert set(first) == NODE_TYPES
    for kind, label in sorted(first.items()):
        clicked = open_page("graph")
        clicked.multiselect(key="gtypes").set_value(sorted(NODE_TYPES)).run()
        shown = page_text(click_node(clicked, "graph", label))
        assert raw_ids(base, shown) == set(), kind


def test_graph_details_panel_data_is_escaped() -> None:
    """Fields the component prints as HTML are escaped; the caption stays plain text."""
    at = open_page("graph", focus="reference:hazan1987")
    for node in component_args(at, "graph")["elements"]["nodes"]:
        for name, value in node["data"].items():
            if name != "label":
                assert not set(value) & set("<>"), (name, value)


# --- query --------------------------------------------------------------------------------------


def test_query_console_runs_the_first_example() -> None:
    """The console runs its first worked example into a table with a CSV download."""
    at = open_page("query")
    assert len(table(at)) == len(seed_kb().skills)
    assert "Download CSV" in [b.label for b in at.get("download_button")]


def test_query_console_loads_an_example() -> None:
    """Choosing a worked example puts it in the editor and runs it."""
    at = open_page("query")
    at.selectbox(key="example").set_value("Does any link contradict a claim? (ASK)").run()
    assert at.text_area(key="sparql").value == "ASK { ?link kb:stance kb:Contradicts }"
    assert {m.label: m.value for m in at.metric} == {"Answer": "false"}


def test_query_text_comes_from_the_url() -> None:
    """?sparql= is the editor's text (bound to the URL): a shared link runs that query."""
    at = open_page("query", sparql="ASK { ?s ?p ?o }")
    assert at.text_area(key="sparql").proto.query_param_key == "sparql"
    assert at.text_area(key="sparql").value == "ASK { ?s ?p ?o }"
    assert {m.label: m.value for m in at.metric} == {"Answer": "true"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates"),
        ("LOAD <http://example.org/x>", "updates"),
        ("SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * WHERE {", "syntax error"),
    ],
)
def test_query_console_refuses_updates_load_and_service(query: str, message: str) -> None:
    """Updates, LOAD, SERVICE and bad syntax are refused with a message, nothing runs."""
    at = open_page("query")
    at.text_area(key="sparql").input(query)
    at.button(key="q-run").click().run()
    assert message in texts(at)
    assert not at.dataframe


def test_query_console_caps_rows() -> None:
    """The row cap cuts a long answer and says so."""
    at = open_page("query")
    at.text_area(key="sparql").input("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    at.number_input(key="q-limit").set_value(5)
    at.button(key="q-run").click().run()
    assert len(table(at)) == 5
    assert "Cut at 5 rows" in texts(at)


def test_query_console_time_limit_stops_a_runaway_query() -> None:
    """A query past the time limit is stopped and reported."""
    at = open_page("query")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    at.number_input(key="q-seconds").set_value(0.5)
    at.text_area(key="sparql").input(slow)
    at.button(key="q-run").click().run()
    assert "time limit" in texts(at)
