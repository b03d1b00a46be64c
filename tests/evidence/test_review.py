"""The links' second review (reviews.yaml, kb/review.py, `kb review`): two independent
judgements per link, agreement and Cohen's kappa, and a resolution for every disagreement."""

from __future__ import annotations

import json

import pytest
from rdflib import RDF
from rdflib.namespace import PROV

from kb.evidence.review import cohen_kappa, review_summary
from kb.rdf.iris import link_iri
from kb.rdf.namespaces import ID, KB
from tests.helpers import run_kb, seed_kb

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
