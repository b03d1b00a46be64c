"""The links' second review (reviews.yaml, kb/review.py, `kb review`): two independent
judgements per link, agreement and Cohen's kappa, and a resolution for every disagreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF
from rdflib.namespace import FOAF, PROV

from kb.core.loader import load
from kb.evidence.review import BlindItem, blind_item, cohen_kappa, review_summary
from kb.paths import DATA_DIR
from kb.rdf.iris import link_iri
from kb.rdf.namespaces import ID, KB
from kb.rdf.shacl import validate
from kb.records.worksheet import read_checked
from tests.helpers import copy_inputs, run_kb, seed_kb

BASE = seed_kb()
WS = BASE.worksheet()


def test_kappa_matches_a_published_worked_example() -> None:
    """Cohen's kappa on the textbook 2x2 example (20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no):
    observed 0.70, chance 0.50, kappa 0.40."""
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [([], None), ([("a", "a")] * 4, None), ([("a", "a"), ("b", "b")], 1.0)],
    ids=["empty", "one-label", "perfect"],
)
def test_kappa_edge_cases(pairs: list[tuple[str, str]], expected: float | None) -> None:
    """No pairs, or one label used by both raters throughout: undefined; full agreement: 1."""
    assert cohen_kappa(pairs) == expected


def test_every_link_has_two_judgements_and_every_disagreement_a_resolution() -> None:
    """The seed's links were all reviewed twice; each disagreement says how it was resolved."""
    assert {r.link for r in WS.reviews} == {x.id for x in WS.links}
    for review in WS.reviews:
        assert bool(review.resolution) != review.agreed


def test_agreed_links_keep_the_agreed_judgement() -> None:
    """Where both reviewers agreed, the link holds exactly that stance and directness, unless it
    was changed later and its record says why (``revision``)."""
    links = {x.id: x for x in WS.links}
    for review in WS.reviews:
        if review.agreed and not review.revision:
            link = links[review.link]
            assert (link.stance, link.directness) == (
                review.first.stance,
                review.first.directness,
            )


def test_summary_counts_agree_with_the_records() -> None:
    """Percent agreement, per-stance counts and the disagreement list follow from the records."""
    s = review_summary(WS)
    n = len(WS.reviews)
    assert s.links == n
    assert s.agreed == sum(r.agreed for r in WS.reviews)
    assert s.percent_agreement == pytest.approx(round(s.agreed / n, 3))
    assert len(s.disagreements) == n - s.agreed
    assert sum(row["first"] for row in s.per_stance.values()) == n
    assert sum(sum(row.values()) for row in s.confusion.values()) == n
    assert s.kappa_stance is not None
    assert -1 <= s.kappa_stance <= 1


def test_cli_review_text_and_json() -> None:
    """`kb review` prints agreement, kappa and every disagreement; --format json parses."""
    out = run_kb("review")
    assert out.returncode == 0, out.stderr
    assert "Cohen's" in out.stdout
    assert "kappa" in out.stdout
    for review in WS.reviews:
        if not review.agreed:
            assert review.link in out.stdout
    data = json.loads(run_kb("review", "--format", "json").stdout)
    assert data["links"] == len(WS.links)
    assert data["reviewed"] is True
    assert {d["link"] for d in data["disagreements"]} == {
        r.link for r in WS.reviews if not r.agreed
    }


def test_review_enters_the_graph_as_two_prov_activities() -> None:
    """The two reviews are PROV activities with an agent and a date; every link has two
    judgements, one from each, and says whether they agreed."""
    g = BASE.graph
    ws_id = WS.worksheet.id
    first, second = (ID[f"worksheet/{ws_id}/review/{n}"] for n in ("first", "second"))
    for activity in (first, second):
        assert (activity, RDF.type, KB.ReviewActivity) in g
        assert (activity, RDF.type, PROV.Activity) in g
        assert g.value(activity, PROV.wasAssociatedWith) is not None
    for link in WS.links:
        node = link_iri(ws_id, link)
        judgements = list(g.subjects(KB.judgementOf, node))
        assert {g.value(j, PROV.wasGeneratedBy) for j in judgements} == {first, second}
        assert g.value(node, KB.reviewAgreed) is not None


def test_evidence_rows_carry_the_review_status() -> None:
    """`evidence_for` tells each link's review status: agreed, or resolved with how."""
    statuses = {row.review for skill in BASE.skills for row in BASE.evidence_for(skill) if row.key}
    assert "agreed" in statuses
    assert any(s and s.startswith("resolved: ") for s in statuses)


def test_links_changed_after_review_say_why_and_show_it() -> None:
    """A link changed after its two judgements carries a revision, which `kb review` lists and
    the evidence rows report as "revised after review: ..."."""
    revised = [r for r in WS.reviews if r.revision]
    assert revised
    links = {x.id: x for x in WS.links}
    assert any(
        (links[r.link].stance, links[r.link].directness) != (r.first.stance, r.first.directness)
        for r in revised
    )
    data = json.loads(run_kb("review", "--format", "json").stdout)
    assert {r["link"] for r in data["revisions"]} == {r.link for r in revised}
    statuses = {row.review for skill in BASE.skills for row in BASE.evidence_for(skill) if row.key}
    assert any(s and s.startswith("revised after review: ") for s in statuses)


def test_the_blind_view_shows_claim_reference_and_findings_never_the_first_judgement() -> None:
    """Every link's blind view holds the claim's words, the reference's label and title and the
    findings recorded for that reference, and no field or text of the first judgement."""
    ws = read_checked(DATA_DIR / WS.worksheet.id)
    assert set(BlindItem.__dataclass_fields__).isdisjoint(
        {"stance", "directness", "basis", "rationale", "curator", "date", "status"}
    )
    for link in ws.links:
        item = blind_item(ws, BASE.references, link.id)
        claim = next(c for c in ws.claims if c.id == link.claim)
        ref = BASE.references[link.reference]
        assert item.quote == claim.quote
        assert item.title == ref.title
        assert item.label.endswith(f"({ref.year or 'n.d.'})")
        assert [f.id for f in item.findings] == [
            f.id for f in ws.findings if f.reference == link.reference
        ]
        assert link.rationale not in repr(item)


def test_a_second_reviewer_named_per_link_is_attributed_in_the_graph(tmp_path: Path) -> None:
    """A review record's ``reviewer`` becomes the second judgement's prov:wasAttributedTo, an
    agent with that name; the graph still conforms to the shapes."""
    inputs = copy_inputs(tmp_path)
    path = inputs.ws / "reviews.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("- link: ") + len("- link: ")
    link_id = text[first : text.index("\n", first)]
    end = text.index("\n- link: ", first)
    path.write_text(text[:end] + "\n  reviewer: Test Reviewer" + text[end:], encoding="utf-8")
    graph = load(bib=inputs.bib, data=[inputs.ws]).graph
    node = ID[f"worksheet/{WS.worksheet.id}/link/{link_id}/judgement/second"]
    (agent,) = graph.objects(node, PROV.wasAttributedTo)
    assert str(graph.value(agent, FOAF.name)) == "Test Reviewer"
    assert validate(graph).conforms
