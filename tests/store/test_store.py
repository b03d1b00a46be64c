"""Stores: values, bound parameters, the N-Triples writer, persistent stores, narrowing, pages."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

import kb
from kb import queries
from kb.core.inputs import ontology_ntriples
from kb.errors import KbError
from kb.store.base import (
    bound_term,
    lateral_optionals,
    python_value,
    sparql_prefixes,
    sparql_term,
    where_brace,
    with_values,
)
from kb.store.http import ChunkReader, ntriples_chunks
from kb.store.oxigraph import OxigraphStore
from tests.helpers import copy_inputs

XSD_NS = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def seed() -> kb.KnowledgeBase:
    """The real knowledge base in memory."""
    return kb.load()


@pytest.mark.parametrize(
    ("lexical", "datatype", "expected"),
    [
        ("7", f"{XSD_NS}integer", 7),
        ("1987", f"{XSD_NS}gYear", 1987),
        ("12", f"{XSD_NS}nonNegativeInteger", 12),
        ("true", f"{XSD_NS}boolean", True),
        ("false", f"{XSD_NS}boolean", False),
        ("1.5", f"{XSD_NS}decimal", 1.5),
        ("text", f"{XSD_NS}string", "text"),
        ("text", None, "text"),
        ("2026-11-27", f"{XSD_NS}date", "2026-11-27"),
    ],
    ids=[
        "integer",
        "gYear",
        "nonNegativeInteger",
        "true",
        "false",
        "decimal",
        "string",
        "plain",
        "date",
    ],
)
def test_literals_become_the_same_python_values(
    lexical: str, datatype: str | None, expected: object
) -> None:
    """Every store turns a literal into int, bool, float or str by the same rule."""
    value = python_value(lexical, datatype)
    assert value == expected
    assert type(value) is type(expected)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_bound_text_survives_escaping_exactly(text: str) -> None:
    """Any text bound as a value comes back unchanged through the inline VALUES block."""
    if text.startswith(("http://", "https://", "urn:")):
        return
    query = with_values("SELECT ?x WHERE { }", {"x": text})
    rows = list(ox.Store().query(query))
    assert [r["x"].value for r in rows] == [text]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('say "hi"\\ now\n', '"say \\"hi\\"\\\\ now\\n"'),
        (3, f'"3"^^<{XSD_NS}integer>'),
        (True, f'"true"^^<{XSD_NS}boolean>'),
        (2.5, f'"2.5"^^<{XSD_NS}double>'),
        ("https://example.org/kb/id/x", "<https://example.org/kb/id/x>"),
    ],
    ids=["text", "int", "bool", "float", "iri"],
)
def test_bound_values_render_as_escaped_terms(value: str | int | float, expected: str) -> None:
    """A bound value is written as one escaped RDF term, typed as the embedded store types it."""
    assert sparql_term(value) == expected


@pytest.mark.parametrize(
    "bad",
    ["https://example.org/a b", "https://example.org/>{}", None],
    ids=["space", "brace", "none"],
)
def test_unusable_bound_values_are_refused(bad: str | None) -> None:
    """An IRI with spaces or brackets, or None, is refused with a KbError, never spliced."""
    with pytest.raises(KbError):
        sparql_term(bad)


def test_values_open_the_where_group_past_strings_iris_and_comments() -> None:
    """Braces inside strings, IRIs and comments are not mistaken for the WHERE group."""
    query = 'PREFIX a: <http://x/{}>\n# { not here\nSELECT ("{" AS ?b) ?s WHERE { ?s ?p ?o }'
    at = where_brace(query)
    assert query[at:].startswith("{ ?s ?p ?o }")
    bound = with_values(query, {"s": "https://example.org/s"})
    assert "WHERE { VALUES (?s) { (<https://example.org/s>) } ?s ?p ?o }" in bound


def test_values_skip_a_construct_template() -> None:
    """In CONSTRUCT the template's braces are skipped; the short form binds its only group."""
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert query[where_brace(query) :] == "{ ?s ?p ?o }"
    short = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert short[where_brace(short) :] == "{ ?s ?p ?o }"


@pytest.mark.parametrize(
    ("query", "bindings"),
    [("SELECT ?x WHERE { }", {"x y": "a"}), ("PREFIX a: <http://x/>", {"x": "a"})],
    ids=["bad-variable", "no-group"],
)
def test_values_refuse_bad_names_and_queries_without_a_group(
    query: str, bindings: dict[str, str]
) -> None:
    """A variable name that is not a name, or a query with no group, is a KbError."""
    with pytest.raises(KbError):
        with_values(query, bindings)


def _bound_cases(base: kb.KnowledgeBase) -> list[tuple[str, dict[str, str]]]:
    skill = base.skills[2].iri
    author = "https://example.org/kb/id/agent/hazan-c"
    return [
        (queries.EVIDENCE_FOR_SKILL, {"skill": skill}),
        (queries.SKILLS_TABLE, {"worksheet": "creating-secure-attachment"}),
        (queries.TITLE_SEARCH, {"q": "attachment"}),
        (
            queries.TITLE_SEARCH_IN_WORKSHEET,
            {"q": "the", "worksheet": "creating-secure-attachment"},
        ),
        (queries.AUTHOR_NEIGHBOURHOOD, {"author": author}),
        (queries.AUTHOR_REFERENCES, {"author": author}),
    ]


def _substituted(store: OxigraphStore, query: str, bindings: dict[str, str]) -> list[object]:
    """Rows by pyoxigraph substitutions (SEP-0007), the reference semantics of a binding."""
    subs = {ox.Variable(k): bound_term(v) for k, v in bindings.items()}
    answer = store.inner.query(sparql_prefixes() + query, substitutions=subs)
    return sorted(repr([t.value if t is not None else None for t in row]) for row in answer)


def _rows(store: OxigraphStore, text: str) -> list[object]:
    answer = store.inner.query(sparql_prefixes() + text)
    return sorted(repr([t.value if t is not None else None for t in row]) for row in answer)


def test_bound_values_answer_as_substitutions_do(seed: kb.KnowledgeBase) -> None:
    """Inline VALUES, and VALUES with lateral OPTIONALs, give the rows substitution gives."""
    store = seed.store
    assert isinstance(store, OxigraphStore)
    for query, bindings in _bound_cases(seed):
        expected = _substituted(store, query, bindings)
        assert expected, f"no rows for {bindings}"
        assert _rows(store, with_values(query, bindings)) == expected, query
        assert _rows(store, OxigraphStore.prepare(query, bindings)) == expected, query


def test_lateral_rewrite_on_every_project_query(synth10: Path) -> None:
    """On 10 worksheets, every project query answers as written, unbound and with each binding."""

    base = kb.load(bib=synth10 / "references.bib", data=synth10 / "data")
    store = base.store
    assert isinstance(store, OxigraphStore)
    texts = list(queries.project_queries().values())
    skill, ws = base.skills[9].iri, base.worksheets[4].worksheet.id
    variants = {"skill": skill, "worksheet": ws, "q": "the", "author": _an_author(store)}
    checked = 0
    for text in texts:
        assert _rows(store, OxigraphStore.prepare(text)) == _rows(store, text), text[:60]
        for name, value in variants.items():
            if re.search(rf"\?{name}\b", text.split("WHERE")[0]):  # projected
                expected = _substituted(store, text, {name: value})
                assert _rows(store, OxigraphStore.prepare(text, {name: value})) == expected
                checked += 1
    assert checked >= 10


def _an_author(store: OxigraphStore) -> str:
    rows = store.select("SELECT ?a WHERE { ?r dcterms:creator ?a } ORDER BY ?a LIMIT 1 OFFSET 7")
    return str(rows[0]["a"])


def test_lateral_wraps_each_optional_group() -> None:
    """Each OPTIONAL group, nested ones too, is wrapped in LATERAL; braces in strings are not."""
    text = "SELECT * WHERE { ?s a ?t . OPTIONAL { ?s ?p ?o . OPTIONAL { ?o ?q ?r } } }"
    assert lateral_optionals(text) == (
        "SELECT * WHERE { ?s a ?t . LATERAL { OPTIONAL { ?s ?p ?o . "
        "LATERAL { OPTIONAL { ?o ?q ?r } } } } }"
    )
    quoted = 'SELECT * WHERE { ?s ?p "OPTIONAL { x }" OPTIONAL { ?s a ?t } }'
    assert lateral_optionals(quoted) == (
        'SELECT * WHERE { ?s ?p "OPTIONAL { x }" LATERAL { OPTIONAL { ?s a ?t } } }'
    )


def test_ntriples_writer_agrees_with_rdflib(seed: kb.KnowledgeBase) -> None:
    """The fast writer gives the same triples as rdflib, tricky literals included."""
    node = URIRef("https://example.org/kb/id/x")
    extra = [
        (node, URIRef("https://example.org/p"), Literal('a "quoted"\\ line\nand\r more')),
        (node, URIRef("https://example.org/p"), Literal("bonjour", lang="fr")),
        (node, URIRef("https://example.org/p"), Literal("2020", datatype=URIRef(f"{XSD_NS}gYear"))),
        (node, URIRef("https://example.org/p"), Literal(True)),
    ]
    triples = [*seed.graph, *extra]
    ours = ox.Store()
    ours.bulk_load(
        ChunkReader(ntriples_chunks(triples, lines_per_chunk=97)), format=ox.RdfFormat.N_TRIPLES
    )
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    theirs = ox.Store()
    theirs.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert set(ours) == set(theirs)
    assert len(set(ours)) == len(graph)


def test_memory_store_holds_the_graph_and_the_ontology(seed: kb.KnowledgeBase) -> None:
    """The store's default graph is the rdflib graph plus ontology/kb.ttl, nothing else."""
    assert isinstance(seed.store, OxigraphStore)
    expected = ox.Store()
    expected.load(
        seed.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES
    )
    expected.load(ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES)
    default_graph = seed.store.inner.quads_for_pattern(None, None, None, ox.DefaultGraph())
    assert set(default_graph) == set(expected)


def test_persistent_store_reopens_without_rebuilding(tmp_path: Path) -> None:
    """oxigraph:PATH records its input digest; the same inputs reopen it read-only, unparsed."""
    inputs = copy_inputs(tmp_path)
    spec = f"oxigraph:{tmp_path / 'store'}"
    first = kb.load(bib=inputs.bib, data=inputs.data, store=spec)
    table = first.skills_table()
    del first
    again = kb.load(bib=inputs.bib, data=inputs.data, store=spec)
    assert isinstance(again.store, OxigraphStore)
    assert again.store.read_only
    assert again._inputs is None
    assert again.skills_table() == table
    assert len(again.skills) == 7  # records are read on first use


def test_persistent_store_rebuilds_when_an_input_changes(tmp_path: Path) -> None:
    """Changing one curated file changes the digest: the store is rebuilt and shows it."""
    inputs = copy_inputs(tmp_path)
    spec = f"oxigraph:{tmp_path / 'store'}"
    kb.load(bib=inputs.bib, data=inputs.data, store=spec)
    bib = inputs.bib.read_text(encoding="utf-8")
    inputs.bib.write_text(
        bib.replace("Romantic love conceptualized", "Romantic love seen"), encoding="utf-8"
    )
    rebuilt = kb.load(bib=inputs.bib, data=inputs.data, store=spec)
    assert isinstance(rebuilt.store, OxigraphStore)
    assert not rebuilt.store.read_only
    titles = {
        r["title"] for r in rebuilt.store.select(queries.TITLE_SEARCH, {"q": "romantic love"})
    }
    assert titles == {"Romantic love seen as an attachment process"}


def test_persistent_store_opens_while_another_holds_it(tmp_path: Path) -> None:
    """A second reader opens an up-to-date store read-only while the first still holds it."""
    spec = f"oxigraph:{tmp_path / 'store'}"
    holder = kb.load(store=spec)
    reader = kb.load(store=spec)
    assert reader.skills_table() == holder.skills_table()


def test_persistent_store_refuses_a_foreign_folder(tmp_path: Path) -> None:
    """oxigraph:PATH naming a folder that holds other files fails (exit 2), touching nothing."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(KbError) as caught:
        kb.load(store=f"oxigraph:{tmp_path}")
    assert caught.value.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_unknown_store_is_a_usage_error() -> None:
    """A store spec that is none of the three kinds fails with exit 2 and names them."""
    with pytest.raises(KbError, match="memory, oxigraph:PATH or sparql:URL") as caught:
        kb.load(store="postgres://x")
    assert caught.value.exit_code == 2


def test_views_narrow_to_one_worksheet(synth10: Path) -> None:
    """Binding ?worksheet narrows the skills table to exactly that worksheet's rows."""
    base = kb.load(bib=synth10 / "references.bib", data=synth10 / "data")
    everything = base.skills_table()
    ids = [ws.worksheet.id for ws in base.worksheets]
    assert len(ids) == 10
    for ws_id in ids:
        narrowed = base.store.select(queries.SKILLS_TABLE, {"worksheet": ws_id})
        assert narrowed == [r for r in everything if r["worksheet"] == ws_id]
        assert narrowed


def test_pages_add_up_to_the_whole_answer(synth10: Path) -> None:
    """select_page pages, concatenated, are the full ordered answer; the last says no more."""
    base = kb.load(bib=synth10 / "references.bib", data=synth10 / "data")
    whole = base.store.select(queries.TITLE_SEARCH, {"q": "a"})
    assert len(whole) > 40
    pages, offset, more = [], 0, True
    while more:
        rows, more = base.store.select_page(
            queries.TITLE_SEARCH, {"q": "a"}, offset=offset, size=17
        )
        pages.extend(rows)
        offset += 17
    assert pages == whole
