"""The RDF build: deterministic, round-trippable, no blank nodes, the README's query."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.compare import isomorphic

import kb
from kb.paths import DATA_DIR, DEFAULT_BIB, REPO_ROOT
from kb.queries import SUPPORTING_REFS_PER_SKILL
from kb.rdf.serialize import graph_as
from tests.helpers import seed_kb

BASE = seed_kb()


def test_turtle_round_trip_is_isomorphic() -> None:
    """Canonical Turtle parses back to the same graph."""
    again = Graph().parse(data=graph_as(BASE.graph, "turtle"), format="turtle")
    assert isomorphic(again, BASE.graph)


def test_json_ld_and_ntriples_round_trip() -> None:
    """JSON-LD and N-Triples parse back to the same graph."""
    for fmt, parser in (("json-ld", "json-ld"), ("n-triples", "nt")):
        again = Graph().parse(data=graph_as(BASE.graph, fmt), format=parser)
        assert isomorphic(again, BASE.graph), fmt


def test_two_builds_give_byte_identical_turtle() -> None:
    """Two builds of the same inputs give the same Turtle bytes, in-process."""
    assert graph_as(kb.load().graph, "turtle") == graph_as(BASE.graph, "turtle")


def test_builds_in_fresh_processes_are_byte_identical() -> None:
    """Builds in two fresh interpreters (different hash seeds) give the same Turtle."""
    code = (
        "import kb, sys; from kb.rdf.serialize import graph_as; "
        "sys.stdout.write(graph_as(kb.load().graph, 'turtle'))"
    )
    outs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO_ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outs[0] == outs[1]
    assert len(outs[0]) > 10_000


def test_no_blank_nodes() -> None:
    """Every node is an IRI minted from a curated id (no blank nodes)."""
    for s, _p, o in BASE.graph:
        assert not isinstance(s, BNode)
        assert not isinstance(o, BNode)


def test_readme_query_every_skill_has_supporting_references() -> None:
    """The README's example query counts the supporting references of all 7 skills, zero
    included, and agrees with the profiles."""
    from kb.evidence.profile import profiles

    rows = BASE.store.select(SUPPORTING_REFS_PER_SKILL)
    assert len(rows) == 7
    expected = [len(p.supporting_references) for p in profiles(BASE)]
    assert [r["supporting_refs"] for r in rows] == expected
    assert 0 in expected  # some skills have no support: the query must still list them


def test_hazan_is_one_person_across_three_references() -> None:
    """Authors are merged by normalised name: Hazan, C. is one node with three references."""
    rows = BASE.store.select(
        "SELECT (COUNT(DISTINCT ?ref) AS ?n) WHERE { ?ref dcterms:creator ?a . ?a foaf:familyName "
        '"Hazan" }'
    )
    assert rows == [{"n": 3}]


def test_cito_direction_worksheet_cites_references() -> None:
    """CiTO goes from the citing worksheet to the cited references (16 cito:cites)."""
    rows = BASE.store.select("SELECT (COUNT(?r) AS ?n) WHERE { ?w a kb:Worksheet ; cito:cites ?r }")
    assert rows == [{"n": 16}]


def test_evidence_for_minimize_stressors() -> None:
    """'What backs minimize stressors?' answers with quotes and curated references: Selcuk's
    review supports the advice indirectly; Sbarra's review is background (the reverse direction)."""
    rows = BASE.evidence_for("minimize-stressors")
    assert {r.key for r in rows if r.stance == "supports"} == {"selcuk2010"}
    assert {r.stance for r in rows if r.key == "sbarra2008"} == {"background"}
    text = BASE.worksheet().text
    assert all(text[r.start : r.end] == r.quote for r in rows)


def test_build_record_does_not_depend_on_the_checkout_folder(tmp_path: Path) -> None:
    """The build names the bib by its file name, so two clones in differently named folders build
    the same graph (regression: the bib was recorded as `<checkout folder>/references.bib`)."""
    from kb.rdf.triples import source_name

    elsewhere = tmp_path / "another-clone" / "references.bib"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(DEFAULT_BIB.read_bytes())
    assert source_name(elsewhere) == source_name(DEFAULT_BIB) == "references.bib"
    assert source_name(DATA_DIR / "creating-secure-attachment" / "links.yaml") == (
        "creating-secure-attachment/links.yaml"
    )
