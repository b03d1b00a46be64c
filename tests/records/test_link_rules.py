"""The link rules (kb/link_rules.py): kept by every real link, enforced by the schema (see the
bad-input corpus, one case per rule) and by SHACL (one failing graph per rule, here)."""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

import kb
from kb.paths import ONTOLOGY
from kb.rdf.iris import claim_iri, finding_iri, link_iri, reference_iri
from kb.rdf.namespaces import KB
from kb.rdf.shacl import validate
from kb.records.appraisal import APPRAISAL_PHRASES, appraisal_words
from kb.records.link_rules import CAUSAL_EXCLUDED, LINK_RULES, link_problems, widest_extent
from kb.records.models import EvidenceLink
from tests.helpers import seed_kb

BASE = seed_kb()
WS = BASE.worksheet()
CLAIMS = {c.id: c for c in WS.claims}
NOTES = {n.key: n for n in WS.references}
FINDINGS = {f.id: f for f in WS.findings}
WS_ID = WS.worksheet.id


@pytest.mark.parametrize("link", WS.links, ids=lambda x: x.id)
def test_every_real_link_keeps_the_rules(link: EvidenceLink) -> None:
    """No curated link breaks a link rule."""
    assert link_problems(link, CLAIMS[link.claim], NOTES[link.reference], FINDINGS) == []


@pytest.mark.parametrize("link", WS.links, ids=lambda x: x.id)
def test_every_link_names_what_it_rests_on(link: EvidenceLink) -> None:
    """Abstract and full-text links name findings of their own reference; title-only links name
    none, are never 'supports' or 'direct', and say they were read from the title."""
    if link.basis == "title":
        assert not link.findings
        assert link.stance in ("background", "qualifies")
        assert link.directness == "indirect"
        assert "title" in link.rationale.lower()
    else:
        assert link.findings
        assert all(FINDINGS[f].reference == link.reference for f in link.findings)


@pytest.mark.parametrize("finding", WS.findings, ids=lambda f: f.id)
def test_every_finding_says_where_and_when_it_was_read(finding: kb.records.models.Finding) -> None:
    """Each finding has an http(s) URL, the part of the page, a date and a reader, and belongs to
    a reference that was read beyond its title."""
    assert re.match(r"https?://", finding.url)
    assert finding.part
    assert finding.reader
    assert finding.read.year >= 2026
    assert NOTES[finding.reference].known_from in ("abstract", "excerpt", "full-text")


@pytest.mark.parametrize("note", WS.references, ids=lambda n: n.key)
def test_every_reference_says_how_much_of_it_was_read(
    note: kb.records.models.ReferenceNote,
) -> None:
    """Each reference records whether it is known by its title, abstract, an excerpt or its full
    text (the widest part any of its findings was read in), and where its text was looked for; a
    title-only reference has no findings."""
    assert note.known_from == widest_extent(f for f in WS.findings if f.reference == note.key)
    assert note.search_note
    if note.known_from == "title":
        assert not [f for f in WS.findings if f.reference == note.key]


@pytest.mark.parametrize("link", [x for x in WS.links if x.findings], ids=lambda x: x.id)
def test_every_link_basis_is_the_widest_part_its_findings_were_read_in(link: EvidenceLink) -> None:
    """A link says no more about what was read than its findings do: its basis is the widest
    extent among them (so "excerpt" where only part of the text was read)."""
    assert link.basis == widest_extent(FINDINGS[f] for f in link.findings)


@pytest.mark.parametrize("finding", WS.findings, ids=lambda f: f.id)
def test_full_text_means_the_whole_article(finding: kb.records.models.Finding) -> None:
    """Only a finding whose recorded part is the whole article may say "full-text"; a part that
    names a section, opening paragraphs, a summary or excerpts is an "excerpt"."""
    partial = re.search(
        r"\b(only|opening|section|summary|introduction|excerpts?)\b", finding.part, re.I
    )
    if finding.extent == "full-text":
        assert finding.part.lower().startswith("whole")
        assert not partial
    if partial and not finding.part.lower().startswith("abstract"):
        assert finding.extent == "excerpt"


@pytest.mark.parametrize("finding", WS.findings, ids=lambda f: f.id)
def test_every_finding_says_whose_page_it_was_read_on(finding: kb.records.models.Finding) -> None:
    """Each finding names whose page it was read on, and a repost is never on the publisher's or
    an index's own domain (doi.org, pubmed): the label follows the URL."""
    assert finding.page_owner in ("publisher", "index", "author", "repost")
    if any(h in finding.url for h in ("pubmed", "ncbi.nlm.nih.gov", "onlinelibrary.wiley.com")):
        assert finding.page_owner in ("publisher", "index")


@pytest.mark.parametrize("finding", WS.findings, ids=lambda f: f.id)
def test_no_finding_carries_the_curators_appraisal(finding: kb.records.models.Finding) -> None:
    """A finding says what the source reports; appraisal words belong in a link's rationale."""
    assert appraisal_words(finding.statement) == []


def test_supports_never_rests_on_the_title_alone() -> None:
    """Every 'supports' link rests on at least one finding (the review's first complaint)."""
    assert all(x.findings for x in WS.links if x.stance == "supports")


def test_the_causal_design_list_is_the_same_in_shapes() -> None:
    """Rule 5's designs are written twice (Python and SHACL): they agree."""
    shapes = (ONTOLOGY.parent / "shapes.ttl").read_text(encoding="utf-8")
    block = shapes[shapes.index("rule 5") :]
    listed = set(re.findall(r'"([a-z-]+)"', block[block.index("IN (") : block.index("))")]))
    assert listed == set(CAUSAL_EXCLUDED)


def test_rules_are_numbered_and_documented() -> None:
    """The rules text numbers the five rules the checks cite."""
    for n in range(1, 6):
        assert f"{n}. " in LINK_RULES


def _copy() -> Graph:
    g = Graph()
    for t in BASE.graph:
        g.add(t)
    return g


def _link(claim: str, ref: str) -> URIRef:
    return link_iri(WS_ID, next(x for x in WS.links if x.claim == claim and x.reference == ref))


def _messages(g: Graph) -> list[str]:
    return [v.message for v in validate(g).violations if v.shape == "EvidenceLinkShape"]


def _break_rule_1(g: Graph) -> URIRef:
    node = _link("style-four-styles", "ha2021")
    g.set((node, KB.stance, KB.Supports))
    return node


def _break_rule_1_finding(g: Graph) -> URIRef:
    node = _link("style-four-styles", "ha2021")
    g.add((node, KB.restsOn, finding_iri("manson-four-strategies")))
    return node


def _break_rule_2(g: Graph) -> URIRef:
    node = _link("style-four-styles", "hazan1987")  # background, abstract
    g.remove((node, KB.restsOn, None))
    return node


def _break_rule_2_other_reference(g: Graph) -> URIRef:
    node = _link("style-four-styles", "hazan1987")
    g.add((node, KB.restsOn, finding_iri("jones1983-lack-persists")))
    return node


def _break_rule_3(g: Graph) -> URIRef:
    node = _link("intro-intimacy-independence", "manson_nd")  # supports, full text
    g.remove((node, KB.restsOn, None))
    return node


def _break_rule_4(g: Graph) -> URIRef:
    node = _link("style-four-styles", "ha2021")
    g.set((node, KB.directness, KB.Direct))
    return node


def _break_rule_5(g: Graph) -> URIRef:
    node = _link("beliefs-abandon-outdated", "jones1983")  # background, indirect; theory
    g.set((node, KB.stance, KB.Supports))
    g.set((node, KB.directness, KB.Direct))
    return node


def _break_rule_5_benefit(g: Graph) -> URIRef:
    node = _link("intro-can-learn-security", "jones1983")  # a benefit claim; theory
    g.set((node, KB.directness, KB.Direct))
    return node


def _break_rule_2_basis_too_wide(g: Graph) -> URIRef:
    node = _link("style-four-styles", "hazan1987")  # its findings were read in the abstract
    g.set((node, KB.basis, KB.FullTextBasis))
    return node


def _break_rule_2_basis_too_narrow(g: Graph) -> URIRef:
    node = _link("intro-intimacy-independence", "manson_nd")  # findings read in excerpts
    g.set((node, KB.basis, KB.AbstractBasis))
    return node


@pytest.mark.parametrize(
    ("rule", "breaker"),
    [
        ("rule 1: a title-only link cannot be 'supports'", _break_rule_1),
        ("rule 1: a title-only link rests on no finding", _break_rule_1_finding),
        ("rule 2: a link read from an abstract", _break_rule_2),
        ("rule 2: a link rests on a finding of another reference", _break_rule_2_other_reference),
        ("rule 3: 'supports' needs a finding", _break_rule_3),
        ("rule 4: 'direct' needs a finding", _break_rule_4),
        ("rule 5: an observational, review or theory source", _break_rule_5),
        ("rule 5: an observational, review or theory source", _break_rule_5_benefit),
        ("rule 2: a link's basis is wider", _break_rule_2_basis_too_wide),
        ("rule 2: a link's basis is narrower", _break_rule_2_basis_too_narrow),
    ],
    ids=[
        "rule1",
        "rule1-finding",
        "rule2",
        "rule2-other",
        "rule3",
        "rule4",
        "rule5",
        "rule5-benefit",
        "rule2-basis-wide",
        "rule2-basis-narrow",
    ],
)
def test_shacl_enforces_each_link_rule(rule: str, breaker: object) -> None:
    """Breaking one rule in the real graph gives exactly that rule's SHACL violation."""
    assert not any(m.startswith("rule") for m in _messages(BASE.graph))
    g = _copy()
    assert callable(breaker)
    breaker(g)
    assert any(m.startswith(rule) for m in _messages(g)), _messages(g)


def test_finding_in_the_graph_is_derived_from_its_page_with_provenance() -> None:
    """A finding node: our statement, derived from the page's URL, read by an agent on a date."""
    f = WS.findings[0]
    node = finding_iri(f.id)
    g = BASE.graph
    assert (node, RDF.type, KB.Finding) in g
    assert (node, KB.findingOf, reference_iri(f.reference)) in g
    assert (node, PROV.wasDerivedFrom, URIRef(f.url)) in g
    assert str(g.value(node, DCTERMS.date)) == f.read.isoformat()
    reading = g.value(node, PROV.wasGeneratedBy)
    assert (reading, RDF.type, KB.ReadingActivity) in g
    assert (reading, PROV.used, URIRef(f.url)) in g
    assert g.value(node, PROV.wasAttributedTo) is not None


def test_a_link_rests_on_its_findings_in_the_graph() -> None:
    """kb:restsOn joins each link to the findings it names."""
    g = BASE.graph
    for x in WS.links:
        node = link_iri(WS_ID, x)
        assert {str(o) for o in g.objects(node, KB.restsOn)} == {
            str(finding_iri(f)) for f in x.findings
        }
        assert (node, KB.claim, claim_iri(WS_ID, x.claim)) in g


def test_finding_shape_fails_without_a_date() -> None:
    """A finding without its reading date violates the finding shape."""
    g = _copy()
    node = finding_iri(WS.findings[0].id)
    g.remove((node, DCTERMS.date, None))
    assert any(v.shape == "FindingShape" for v in validate(g).violations)


def test_finding_shape_fails_with_a_literal_source() -> None:
    """A finding derived from a literal (not a page's IRI) violates the finding shape."""
    g = _copy()
    node = finding_iri(WS.findings[0].id)
    g.remove((node, PROV.wasDerivedFrom, None))
    g.add((node, PROV.wasDerivedFrom, Literal("somewhere")))
    assert any(v.shape == "FindingShape" for v in validate(g).violations)


@pytest.mark.parametrize("path", [KB.readExtent, KB.pageOwner], ids=["extent", "page-owner"])
def test_finding_shape_fails_without_what_was_read_or_whose_page(path: URIRef) -> None:
    """A finding that does not say how much was read, or whose page it was, violates its shape."""
    g = _copy()
    g.remove((finding_iri(WS.findings[0].id), path, None))
    assert any(v.shape == "FindingShape" for v in validate(g).violations)


@pytest.mark.parametrize("phrase", APPRAISAL_PHRASES)
def test_each_appraisal_phrase_is_caught(phrase: str) -> None:
    """Every phrase on the documented list is found in a statement, whatever its case."""
    assert appraisal_words(f"The authors report a result; {phrase.upper()} here.") == [phrase]


def test_reporting_words_are_not_appraisal() -> None:
    """What a source says, at its certainty, passes: "suggest", "report", "found"."""
    text = "The authors suggest, from the studies they review, that spouses dampen stress."
    assert appraisal_words(text) == []
