"""The dashboard, page by page, through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kb.paths import REPO_ROOT

APP = str(REPO_ROOT / "app.py")
PAGES = {
    "overview": "Creating Secure Attachment: the evidence",
    "skills": "1. Learn about your attachment style",
    "references": "References",
    "authors": "Authors",
    "topics": "Topics",
    "graph": "Knowledge graph",
    "query": "SPARQL query",
    "export": "Export",
}
NODE_TYPES = {"claim", "design", "journal", "level", "organization", "person", "reference",
              "skill", "topic", "worksheet"}  # fmt: skip


def open_page(page: str, **params: str) -> AppTest:
    """The app run once on ``page`` with the given query parameters."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["page"] = page
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def texts(at: AppTest) -> str:
    """Everything the page shows as text: titles, markdown, captions, HTML, alerts, buttons."""
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
    ]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def table(at: AppTest, index: int = 0) -> Any:
    """The ``index``-th dataframe on the page as a pandas DataFrame."""
    return at.dataframe[index].value


def component_args(at: AppTest, key: str) -> dict[str, Any]:
    """The arguments the app sent to the custom component with ``key``."""
    element = next(e for e in at.get("component_instance") if e.key == key)
    args: dict[str, Any] = json.loads(element.proto.json_args)
    return args


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_without_exception(page: str) -> None:
    """Each page runs to the end with no exception and shows its title."""
    at = open_page(page)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert PAGES[page] in [t.value for t in at.title]


def test_page_radio_switches_page_and_url() -> None:
    """Choosing a page in the sidebar shows it and writes it into the URL."""
    at = open_page("overview")
    at.sidebar.radio(key="choose-page").set_value("topics").run()
    assert [t.value for t in at.title] == ["Topics"]
    assert at.query_params["page"] == "topics"


def test_unknown_page_says_so() -> None:
    """A page name that names nothing shows a message and the overview, not a traceback."""
    at = open_page("nowhere")
    assert not at.exception
    assert "No page named “nowhere”" in texts(at)
    assert PAGES["overview"] in texts(at)


def test_overview_counts_and_rating_chart() -> None:
    """The overview counts skills, claims and references and charts every skill's rating."""
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Skills"] == "7"
    assert metrics["References"] == "16"
    assert metrics["Claims"] == "40"
    chart = at.get("vega_lite_chart")[0].proto
    assert '"field": "rating"' in chart.spec
    for title in ("1. Learn about your attachment style", "7. Minimize stressors"):
        assert title.encode() in chart.data.data  # the chart's data, as Arrow bytes
    for column in ("advice helps", "stated reasons"):
        assert set(at.table[0].value[column]) <= {"very low", "low", "moderate", "high"}
    assert b"stated reasons" in chart.data.data  # two bars per skill


def test_skill_page_from_url_shows_profile_text_and_evidence() -> None:
    """?skill= opens that skill: rating, passage with claims marked, references in APA."""
    at = open_page("skills", skill="minimize-stressors")
    shown = texts(at)
    assert "7. Minimize stressors" in [t.value for t in at.title]
    assert {"Advice helps", "Stated reasons"} <= {m.label for m in at.metric}
    assert '<mark class="kb-claim"' in shown
    assert "Stress can worsen attachment issues" in shown
    assert "Sbarra, D. A., &amp; Hazan, C. (2008)" in shown  # APA, escaped for HTML
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
    """A reference's button on a skill page opens that reference's page."""
    at = open_page("skills", skill="minimize-stressors")
    next(b for b in at.button if b.key == "open-stress-worsens-attachment-sbarra2008").click().run()
    assert at.query_params["page"] == "references"
    assert at.query_params["reference"] == "sbarra2008"
    assert any("Coregulation, dysregulation" in t.value for t in at.title)


def test_references_table_lists_all_sixteen() -> None:
    """The references table starts with every reference of the worksheet."""
    at = open_page("references")
    assert len(table(at)) == 16
    assert "16 of 16 references" in texts(at)


def test_reference_search_is_a_bound_parameter() -> None:
    """Searching narrows the table; SPARQL syntax in the search is just text."""
    at = open_page("references")
    at.text_input(key="ref-search").input("hazan").run()
    assert set(table(at)["key"]) == {"hazan1987", "sbarra2008", "selcuk2010"}
    at.text_input(key="ref-search").input('") } UNION { ?s ?p ?o } #').run()
    assert not at.exception
    assert len(table(at)) == 0


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("ref-types", ["webpage"], {"fraley2018", "ha2021"}),
        ("ref-topics", ["therapy-secure-base"], None),
        ("ref-peer", ["not peer-reviewed"], None),
    ],
)
def test_reference_filters_narrow_the_table(key: str, value: list[str], expected: Any) -> None:
    """Each filter (type, topic, peer review) keeps only the references it names."""
    at = open_page("references")
    at.multiselect(key=key).set_value(value).run()
    kept = table(at)
    assert 0 < len(kept) < 16
    if expected is not None:
        assert set(kept["key"]) == expected


def test_reference_page_shows_claims_authors_topics_and_audit() -> None:
    """A reference's page shows its APA entry, authors, topics, claims and audit notes."""
    at = open_page("references", reference="beeney2019")
    shown = texts(at)
    assert "Attachment styles, social behavior, and personality functioning" in shown
    assert "Gebresalassie, S. H." in shown  # an author button
    assert "Claims it bears on" in shown
    assert "Audit notes" in shown
    assert "Gebreselassie" in shown  # the printed spelling, from the audit


def test_authors_page_and_an_authors_page() -> None:
    """The authors page draws the co-author network; an author's page lists what they reach."""
    at = open_page("authors")
    assert len(component_args(at, "coauthors")["elements"]["nodes"]) > 10
    at = open_page("authors", author="hazan-c")
    shown = texts(at)
    assert "Hazan, C." in shown
    assert "Shaver, P. (1)" in shown
    assert "7. Minimize stressors" in shown
    assert {m.label: m.value for m in at.metric}["References"] == "3"


def test_topics_tree_and_a_topic_page() -> None:
    """The topics page shows the SKOS tree; a topic's page its references and narrower topics."""
    at = open_page("topics")
    assert "**Attachment styles**" in texts(at)
    at = open_page("topics", topic="attachment")
    shown = texts(at)
    assert "Narrower:" in shown
    assert "Attachment styles" in [b.label for b in at.button]
    assert "Fraley (2018): A brief overview of adult attachment theory and research" in shown


@pytest.mark.parametrize(
    ("page", "key", "value", "title"),
    [
        ("authors", "choose-author", "fraley-r", "Fraley, R. C."),
        ("topics", "choose-topic", "emotion-regulation", "Emotion regulation"),
        ("references", "choose-reference", "davila1997", "Why does attachment style change?"),
    ],
)
def test_choosing_an_item_opens_its_page(page: str, key: str, value: str, title: str) -> None:
    """Choosing an author, topic or reference opens its page and records it in the URL."""
    at = open_page(page)
    at.selectbox(key=key).set_value(value).run()
    assert title in texts(at)
    assert at.query_params[key.removeprefix("choose-")] == value
    next(b for b in at.button if b.label.startswith("←")).click().run()
    assert key.removeprefix("choose-") not in at.query_params


def test_export_selection_follows_the_widgets() -> None:
    """Choosing skills and an author on the Export page narrows the references selected."""
    at = open_page("export")
    at.multiselect(key="x-skills-None").set_value(["minimize-stressors"]).run()
    assert "3 references selected" in texts(at)
    at.multiselect(key="x-authors-None").set_value(["hazan-c"]).run()
    assert "2 references selected" in texts(at)


def test_graph_nodes_are_typed_and_laid_out_stably() -> None:
    """The graph has typed nodes with positions that are the same on every rerun and session."""
    first = component_args(open_page("graph"), "graph")
    again = open_page("graph")
    again.run()
    second = component_args(again, "graph")
    assert first["layout"]["name"] == "preset"
    assert first["elements"] == second["elements"]
    types = {n["data"]["type"] for n in first["elements"]["nodes"]}
    assert {"skill", "claim", "reference", "person", "topic"} <= types


def test_graph_filters_narrow_the_nodes() -> None:
    """Filtering by type or by skill draws fewer nodes."""
    at = open_page("graph")
    everything = len(component_args(at, "graph")["elements"]["nodes"])
    at.multiselect(key="g-types").set_value(["claim", "reference"]).run()
    nodes = component_args(at, "graph")["elements"]["nodes"]
    assert {n["data"]["type"] for n in nodes} == {"claim", "reference"}
    at.multiselect(key="g-types").set_value(sorted(NODE_TYPES)).run()
    at.selectbox(key="g-skill").set_value("minimize-stressors").run()
    assert 0 < len(component_args(at, "graph")["elements"]["nodes"]) < everything


def test_graph_click_shows_the_nodes_details() -> None:
    """A node click (injected as the component's value) shows its details and a link to its page."""
    at = open_page("graph")
    node = "https://example.org/kb/id/reference/hazan1987"
    at.session_state["graph"] = {
        "action": "select_node",
        "data": {"type": "click", "target_id": node, "target_group": "nodes"},
        "timestamp": 1,
    }
    at.run()
    shown = texts(at)
    assert "**Hazan & Shaver (1987)** · reference" in shown
    assert "Open on the References page" in shown
    next(b for b in at.button if b.key == "graph-open").click().run()
    assert at.query_params["reference"] == "hazan1987"


def test_graph_details_panel_data_is_escaped() -> None:
    """Fields the component prints as HTML are escaped; the caption stays plain text."""
    at = open_page("graph")
    for node in component_args(at, "graph")["elements"]["nodes"]:
        for name, value in node["data"].items():
            if name != "label":
                assert not set(value) & set("<>"), (name, value)


def test_query_console_runs_the_first_example() -> None:
    """The console runs its first worked example into a table with a CSV download."""
    at = open_page("query")
    assert len(table(at)) == 7
    assert "Download CSV" in [b.label for b in at.get("download_button")]


def test_query_console_loads_an_example() -> None:
    """Choosing a worked example puts it in the editor and runs it."""
    at = open_page("query")
    at.selectbox(key="q-example").set_value("Does any link contradict a claim? (ASK)").run()
    assert at.text_area(key="q-text").value == "ASK { ?link kb:stance kb:Contradicts }"
    assert {m.label: m.value for m in at.metric} == {"Answer": "false"}


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
    at.text_area(key="q-text").input(query)
    at.button(key="q-run").click().run()
    assert message in texts(at)
    assert not at.dataframe


def test_query_console_caps_rows() -> None:
    """The row cap cuts a long answer and says so."""
    at = open_page("query")
    at.text_area(key="q-text").input("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    at.number_input(key="q-limit").set_value(5)
    at.button(key="q-run").click().run()
    assert len(table(at)) == 5
    assert "Cut at 5 rows" in texts(at)


def test_query_console_time_limit_stops_a_runaway_query() -> None:
    """A query past the time limit is stopped and reported."""
    at = open_page("query")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    at.number_input(key="q-seconds").set_value(0.5)
    at.text_area(key="q-text").input(slow)
    at.button(key="q-run").click().run()
    assert "time limit" in texts(at)


def test_export_offers_every_format_for_the_current_selection() -> None:
    """Export has a download for every citation and graph format, for the URL's selection."""
    from kb.export import EXPORT_FORMATS

    at = open_page("export", skill="minimize-stressors")
    labels = {b.label for b in at.get("download_button")}
    assert set(EXPORT_FORMATS) <= labels
    assert {"graphml", "gexf", "graph-svg", "graph-png"} <= labels  # the CLI's format keys
    assert "3 references selected" in texts(at)
    everything = open_page("export")
    assert "16 references selected" in texts(everything)
