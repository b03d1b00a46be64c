"""kb export nanopub: every evidence link is one nanopublication that an independent
implementation accepts, offline.

The checker is ``nanopub-sign`` (PyPI), the Python binding of nanopub-rs, the Rust toolkit of
the nanopublication ecosystem: it parses TriG with its own parser (not rdflib, which writes
the file), finds the head graph, and refuses a nanopublication whose assertion is empty or
whose provenance or publication info says nothing about the assertion or the nanopublication.
Each nanopublication is also signed with a throwaway RSA key made here (never published:
nothing is sent anywhere) and the signed one checked again, which recomputes its trusty hash.
The file is split into nanopublications with pyoxigraph, a third RDF implementation.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict

import nanopub_sign
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV

import kb
from kb.export import export
from kb.export.nanopub import ASSERTED
from kb.paths import REPO_ROOT
from kb.rdf.iris import finding_iri, link_iri, nanopub_iri
from kb.rdf.namespaces import KB, NP
from kb.records.models import EvidenceLink

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PARTS = {
    "assertion": ox.NamedNode(str(NP.hasAssertion)),
    "provenance": ox.NamedNode(str(NP.hasProvenance)),
    "pubinfo": ox.NamedNode(str(NP.hasPublicationInfo)),
}
BASE = kb.load()
LINKS = sorted(
    ((ws.worksheet.id, link) for ws in BASE.worksheets for link in ws.links),
    key=lambda pair: pair[1].id,
)


def split(trig: str) -> dict[str, list[ox.Quad]]:
    """Nanopublication IRI -> its quads (head, assertion, provenance, pubinfo), by pyoxigraph."""
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(trig.encode(), format=ox.RdfFormat.TRIG):
        by_graph[str(quad.graph_name)].append(quad)
    out: dict[str, list[ox.Quad]] = {}
    for graph, quads in by_graph.items():
        for quad in quads:
            if quad.predicate == RDF_TYPE and str(quad.object) == f"<{NP.Nanopublication}>":
                names = [graph] + [
                    str(q.object) for q in quads if q.subject == quad.subject and
                    q.predicate in PARTS.values()
                ]  # fmt: skip
                out[quad.subject.value] = [q for name in names for q in by_graph[name]]
    return out


def as_trig(quads: list[ox.Quad]) -> str:
    """One nanopublication as a TriG document of its own (pyoxigraph's writer)."""
    return ox.serialize(quads, format=ox.RdfFormat.TRIG).decode()


@pytest.fixture(scope="module")
def nanopubs() -> dict[str, list[ox.Quad]]:
    """The export of all 75 links, split into nanopublications."""
    return split(export(BASE, "nanopub"))


@pytest.fixture(scope="module")
def profile() -> nanopub_sign.NpProfile:
    """A throwaway signing profile: a fresh key pair, a placeholder ORCID, no introduction."""
    keys = nanopub_sign.KeyPair()
    return nanopub_sign.NpProfile(keys.private, "https://orcid.org/0000-0000-0000-0000",
                                  "kb test key", None)  # fmt: skip


def graph_of(quads: list[ox.Quad], ws: str, link: EvidenceLink, part: str) -> set[tuple[str, ...]]:
    """The triples of one graph of a nanopublication, as N-Triples terms."""
    name = str(nanopub_iri(ws, link, part))
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in quads
        if q.graph_name.value == name  # type: ignore[union-attr]
    }


def nt(term: object) -> str:
    """An rdflib term in N-Triples form, to compare with pyoxigraph's."""
    return term.n3()  # type: ignore[attr-defined,no-any-return]


def test_one_nanopublication_per_link(nanopubs: dict[str, list[ox.Quad]]) -> None:
    """Every evidence link of every worksheet has exactly one nanopublication, and no more."""
    assert len(LINKS) == 75
    assert set(nanopubs) == {str(nanopub_iri(ws, link)) for ws, link in LINKS}


@pytest.mark.parametrize(("ws", "link"), LINKS, ids=[link.id for _, link in LINKS])
def test_checker_accepts_it_unsigned_and_signed(
    nanopubs: dict[str, list[ox.Quad]],
    profile: nanopub_sign.NpProfile,
    ws: str,
    link: EvidenceLink,
) -> None:
    """nanopub-sign accepts the nanopublication, and again once signed with a local key."""
    trig = as_trig(nanopubs[str(nanopub_iri(ws, link))])
    nanopub_sign.Nanopub(trig).check()
    signed = nanopub_sign.Nanopub(trig).sign(profile)
    assert signed.info()["trusty_hash"].startswith("RA")
    nanopub_sign.Nanopub(signed.rdf()).check()


@pytest.mark.parametrize(("ws", "link"), LINKS, ids=[link.id for _, link in LINKS])
def test_assertion_provenance_and_pubinfo_say_what_the_graph_says(
    nanopubs: dict[str, list[ox.Quad]], ws: str, link: EvidenceLink
) -> None:
    """The assertion is the link as the graph states it; the provenance attributes it to the
    curator and derives it from its findings; nothing the graph says about the link is lost."""
    quads = nanopubs[str(nanopub_iri(ws, link))]
    node = link_iri(ws, link)
    assertion = graph_of(quads, ws, link, "assertion")
    provenance = graph_of(quads, ws, link, "provenance")
    pubinfo = graph_of(quads, ws, link, "pubinfo")
    stated = {(nt(node), nt(p), nt(o)) for p, o in BASE.graph.predicate_objects(node)}
    asserted = {t for t in stated if URIRef(t[1][1:-1]) in ASSERTED}
    assert asserted <= assertion
    assert (nt(node), f"<{KB.stance}>", nt(KB[link.stance.capitalize()])) in assertion
    assert stated <= assertion | provenance
    a_graph = nt(nanopub_iri(ws, link, "assertion"))
    curator = next(BASE.graph.objects(node, PROV.wasAttributedTo))
    assert (a_graph, nt(PROV.wasAttributedTo), nt(curator)) in provenance
    for fid in link.findings:
        assert (a_graph, nt(PROV.wasDerivedFrom), nt(finding_iri(fid))) in provenance
    judgements = {s for s, p, _ in provenance if p == f"<{KB.judgementOf}>"}
    assert len(judgements) == (2 if BASE.graph.value(node, KB.reviewAgreed) is not None else 0)
    np_node = nt(nanopub_iri(ws, link))
    created = {o for s, p, o in pubinfo if s == np_node and p.endswith("/created>")}
    assert created, "pubinfo says when"
    assert (np_node, nt(PROV.wasAttributedTo), nt(curator)) in pubinfo
    assert max(created) >= nt(Literal(link.date))[: len('"2000-01-01"')]


def test_checker_refuses_a_nanopublication_without_provenance(
    nanopubs: dict[str, list[ox.Quad]],
) -> None:
    """The checker is not a rubber stamp: ours with its provenance about the assertion removed,
    or with an empty assertion, is refused."""
    ws, link = LINKS[0]
    quads = nanopubs[str(nanopub_iri(ws, link))]
    a_graph = str(nanopub_iri(ws, link, "assertion"))
    no_prov = [q for q in quads if q.subject.value != a_graph]
    with pytest.raises(Exception, match="provenance"):
        nanopub_sign.Nanopub(as_trig(no_prov)).check()
    empty = [q for q in quads if q.graph_name.value != a_graph]  # type: ignore[union-attr]
    with pytest.raises(Exception, match="assertion"):
        nanopub_sign.Nanopub(as_trig(empty)).check()


def test_export_is_byte_stable_across_hash_seeds() -> None:
    """Two runs with different hash seeds give the same bytes (graphs and triples sorted)."""
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "kb", "export", "nanopub", "--skill", "7"],
            cwd=REPO_ROOT, env=env, capture_output=True, check=True,
        )  # fmt: skip
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert outputs.pop().count(b"a np:Nanopublication") > 0
