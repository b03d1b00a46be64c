"""Evidence profiles (issue #4): curated appraisals, ratings from documented rules, gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, RDFS

import kb
from kb.core.knowledge_base import KnowledgeBase
from kb.errors import KbError
from kb.evidence import queries as q
from kb.evidence.profile import gaps, profile, profiles
from kb.evidence.rating import DISCLAIMER, RATING_RULES, RATINGS, LinkRow, RefInfo, rate
from kb.rdf.iris import level_iri, reference_iri
from kb.rdf.namespaces import KB
from kb.records.models import EVIDENCE_LEVELS, ReferenceNote
from kb.store.base import sparql_prefixes
from tests.helpers import copy_inputs, run_kb, seed_kb

BASE = seed_kb()
NOTES = {n.key: n for ws in BASE.worksheets for n in ws.references}
# The scale in words: which levels a design may take (a review is 1 only if systematic).
ALLOWED_LEVELS = {
    "experimental": {2},
    "longitudinal": {3},
    "cross-sectional": {4},
    "dyadic-observational": {4},
    "empirical-unspecified": {4},
    "review": {1, 5},
    "theory": {5},
    "web-article": {6},
    "blog": {6},
}
GREY = {"web-article", "blog"}


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    """The real knowledge base, loaded once."""
    return BASE


@pytest.mark.parametrize("key", sorted(NOTES))
def test_every_reference_is_appraised_on_the_scale(key: str) -> None:
    """Each reference has a design, a level its design allows, a rationale, and peer review that
    follows its design, except that a work not confirmed to exist has peer review unknown."""
    note: ReferenceNote = NOTES[key]
    assert note.design is not None
    assert note.level in ALLOWED_LEVELS[note.design]
    if note.unconfirmed:
        assert note.peer_reviewed == "unknown"
    else:
        assert note.peer_reviewed == ("no" if note.design in GREY else "yes")
    assert note.design_rationale
    assert len(note.design_rationale) >= 40


@pytest.mark.parametrize("key", sorted(NOTES))
def test_every_reference_has_a_risk_of_bias_judged_from_what_was_read(key: str) -> None:
    """Each reference has a risk of bias with reasons; a reference known by its title, or a page
    describing no study (blog, web article, theory), is "not assessable", never guessed."""
    note: ReferenceNote = NOTES[key]
    assert note.risk_of_bias is not None
    assert note.risk_of_bias.reasons
    if note.known_from == "title" or note.design in {"blog", "web-article", "theory"}:
        assert note.risk_of_bias.rating == "not-assessable"


def test_serious_risk_of_bias_rates_down_one() -> None:
    """A supporting study at serious risk of bias, alone at the starting level, costs one step."""
    refs = {
        "a": RefInfo("a", "A (2000)", "cross-sectional", 4, True, 2000, None, "serious"),
        "b": RefInfo("b", "B (2001)", "cross-sectional", 4, True, 2001, None, "some-concerns"),
    }
    row = LinkRow("c", "EmpiricalAssertion", "a", "supports", "direct")
    other = LinkRow("c", "EmpiricalAssertion", "b", "supports", "direct")
    assert rate([row, other], refs, "premises").rating == "moderate"
    down = rate(
        [row, LinkRow("d", "EmpiricalAssertion", "b", "background", "direct")], refs, "premises"
    )
    assert down.rating == "very low"
    assert any(r.startswith("Down one for serious risk of bias") for r in down.reasons)


def test_benefit_claims_are_rated_as_advice() -> None:
    """A benefit claim supported by an observational study starts low (the advice scale), not
    moderate."""
    refs = {"a": RefInfo("a", "A (2000)", "cross-sectional", 4, True, 2000, None, "low")}
    rows = [LinkRow("c", "BenefitClaim", "a", "supports", "direct")]
    assert rate(rows, refs, "advice").reasons[0].startswith("Starts at low")
    assert rate(rows, refs, "premises").claims == []


def test_designs_follow_the_checked_facts() -> None:
    """Designs stated in facts/references.md are kept; an unstated design is never guessed."""
    expected = {
        "nielsen2017": "cross-sectional",
        "umemura2018": "longitudinal",
        "sbarra2008": "review",
        "selcuk2010": "review",
        "jones1983": "theory",
        "manson_nd": "blog",
        "beeney2019": "dyadic-observational",
        "hazan1987": "cross-sectional",
    }
    assert {k: NOTES[k].design for k in expected} == expected
    for key in ("davila1997", "paquette2020", "shi2003", "zhang2012"):
        assert NOTES[key].design == "empirical-unspecified"
        assert "do not state its design" in (NOTES[key].design_rationale or "")


def test_graph_holds_levels_as_typed_individuals(base: KnowledgeBase) -> None:
    """kb:evidenceLevel points to an id:evidence-level/N typed kb:EvidenceLevel with a label."""
    level = base.graph.value(reference_iri("nielsen2017"), KB.evidenceLevel)
    assert level == level_iri(4)
    assert (level, RDF.type, KB.EvidenceLevel) in base.graph
    assert str(base.graph.value(level, RDFS.label)) == f"level 4: {EVIDENCE_LEVELS[4]}"


@pytest.mark.parametrize("slug", [s.slug for s in BASE.skills])
def test_every_skill_has_a_rating_with_reasons(slug: str, base: KnowledgeBase) -> None:
    """Each skill's profile has a rating on the scale, reasons in words and a one-line summary."""
    prof = profile(base, slug)
    assert prof.advice is not None
    assert prof.premises is not None
    assert prof.rating == prof.advice.rating  # the headline rating is the advice's
    for rating in (prof.advice, prof.premises):
        assert rating.rating in RATINGS
        assert rating.summary.startswith(rating.rating.capitalize() + ":")
        if not rating.claims:  # e.g. skill 1, whose only non-advice claim is a benefit
            what = rating.summary.removeprefix("Very low: no ")
            assert rating.reasons == [f"Very low: the skill has no {what} to rate."]
            continue
        assert rating.reasons[0].startswith("Starts at ")
        assert any("indirectness" in r for r in rating.reasons)
        assert any("few sources" in r for r in rating.reasons)
        assert rating.claims


def test_ratings_of_the_real_worksheet(base: KnowledgeBase) -> None:
    """The two ratings of each skill on the curated data (a change here is a change of data):
    no advice is rated above very low once premises no longer lift it (links-review-1)."""
    got = {p.slug: (p.advice.rating, p.premises.rating) for p in profiles(base) if p.advice}
    assert {s: r[0] for s, r in got.items()} == dict.fromkeys(got, "very low")
    assert {s: r[1] for s, r in got.items()} == {
        "learn-your-attachment-style": "very low",
        "examine-your-beliefs": "very low",  # low before the risk-of-bias step
        "act-opposite-to-your-style": "very low",
        "increase-emotional-awareness": "very low",
        "communicate-openly": "very low",
        "seek-out-healthy-relationships": "very low",
        "minimize-stressors": "very low",
    }


def test_advice_is_rated_apart_from_its_premises(base: KnowledgeBase) -> None:
    """Skill 2: an observational study (Hazan 1987) backs its stated reasons, which start at
    moderate and end very low (indirect; serious risk of bias); no reference supports its advice,
    which stays very low: the premise cannot lift it."""
    prof = profile(base, 2)
    assert prof.advice is not None
    assert prof.premises is not None
    assert prof.premises.rating == "very low"
    assert "Hazan & Shaver (1987)" in prof.premises.reasons[0]
    assert prof.premises.reasons[0].startswith("Starts at moderate")
    assert any(r.startswith("Down one for serious risk of bias") for r in prof.premises.reasons)
    assert prof.advice.rating == "very low"
    assert "Hazan" not in " ".join(prof.advice.reasons)


def test_theory_only_links_count_at_level_five() -> None:
    """A link resting only on theory or opinion findings counts at level 5 at best, even when its
    reference is an empirical study (the finding, not the paper, is what the link says)."""
    refs = {k: _ref(k, "cross-sectional", 4) for k in ("a", "b")}
    theory = [
        LinkRow("c1", "EmpiricalAssertion", k, "supports", "direct", empirical=False) for k in refs
    ]
    result = rate(theory, refs, "premises")
    assert result.reasons[0].startswith("Starts at low")
    assert any(r.startswith("Counted at level 5") for r in result.reasons)
    empirical = [LinkRow("c1", "EmpiricalAssertion", k, "supports", "direct") for k in refs]
    assert rate(empirical, refs, "premises").rating == "moderate"


def test_direct_support_only_counts_at_the_starting_level() -> None:
    """Indirectness is judged where the rating starts: a direct link at a weaker level does not
    spare an indirect link at the strongest level its downgrade."""
    refs = {"a": _ref("a", "cross-sectional", 4), "t": _ref("t", "theory", 5)}
    rows = [
        LinkRow("c1", "EmpiricalAssertion", "a", "supports", "indirect"),
        LinkRow("c2", "EmpiricalAssertion", "t", "supports", "direct"),
    ]
    result = rate(rows, refs, "premises")
    assert result.rating == "low"
    assert any(r.startswith("Down one for indirectness") for r in result.reasons)


def test_learn_profile_counts(base: KnowledgeBase) -> None:
    """Skill 1: counts by design and level, peer-reviewed share, years and grey-only claims."""
    prof = profile(base, "learn-your-attachment-style")
    assert prof.counts_by_design == {"blog": 1, "cross-sectional": 1, "web-article": 3}
    assert prof.counts_by_level == {"4": 1, "6": 4}
    assert prof.peer_reviewed_share == pytest.approx(0.2)
    assert (prof.oldest_year, prof.newest_year) == (1987, 2022)
    assert prof.grey_only_claims == ["style-four-styles", "style-spot-patterns"]
    assert prof.unsupported_claims == []


@pytest.mark.parametrize("skill", BASE.skills, ids=lambda s: s.slug)
def test_profile_counts_match_the_curated_records(skill: kb.core.knowledge_base.SkillRef) -> None:
    """References, peer-reviewed share and unsupported claims agree with a count over the YAML."""
    claims = {c.id for ws in BASE.worksheets for c in ws.claims if c.section == skill.slug}
    links = [x for x in BASE.links if x.claim in claims]
    keys = {x.reference for x in links}
    prof = profile(BASE, skill)
    assert prof.n_references == len(keys)
    peer = sum(NOTES[k].peer_reviewed == "yes" for k in keys)
    assert prof.peer_reviewed_share == pytest.approx(round(peer / len(keys), 3))
    supported = {x.claim for x in links if x.stance == "supports"}
    assert set(prof.unsupported_claims) == claims - supported
    assert sum(prof.counts_by_design.values()) == len(keys)


def test_number_slug_and_skillref_give_the_same_profile(base: KnowledgeBase) -> None:
    """A skill may be named by number, slug or SkillRef."""
    ref = base.skill(5)
    assert profile(base, 5) == profile(base, "communicate-openly") == profile(base, ref)


def test_unknown_skill_is_an_error(base: KnowledgeBase) -> None:
    """An unknown skill is a usage error (exit 2)."""
    with pytest.raises(KbError) as err:
        profile(base, "no-such-skill")
    assert err.value.exit_code == 2


def _ref(key: str, design: str, level: int, peer: bool = True) -> RefInfo:
    return RefInfo(key, key.capitalize(), design, level, peer, 2000, None)


def test_rules_reproduce_the_issue_example() -> None:
    """Three observational studies, all indirect: "Low: 3 observational studies; all indirect"."""
    refs = {k: _ref(k, "cross-sectional", 4) for k in ("a", "b", "c")}
    links = [LinkRow("c1", "EmpiricalAssertion", k, "supports", "indirect") for k in refs]
    result = rate(links, refs, "premises")
    assert result.rating == "low"
    assert result.summary == "Low: 3 observational studies; only indirect support"
    assert len(result.reasons) == 4  # start, indirectness, risk of bias unknown, few sources
    assert "Risk of bias not assessable" in result.reasons[2]
    advice = [LinkRow("c1", "Recommendation", k, "supports", "indirect") for k in refs]
    assert rate(advice, refs, "advice").rating == "very low"  # causal question: GRADE's start


@pytest.mark.parametrize(
    ("refs", "links", "expected"),
    [
        ([("e", "experimental", 2), ("f", "experimental", 2)], ["e", "f"], "high"),
        ([("e", "experimental", 2)], ["e"], "moderate"),
        ([("r", "review", 5), ("s", "theory", 5)], ["r", "s"], "very low"),
        ([("w", "web-article", 6), ("b", "blog", 6)], ["w", "b"], "very low"),
        ([("e", "experimental", 2), ("f", "experimental", 2)], [], "very low"),
    ],
    ids=["two-experiments", "one-experiment", "reviews", "grey-only", "no-support"],
)
def test_rating_rules_on_direct_support(
    refs: list[tuple[str, str, int]], links: list[str], expected: str
) -> None:
    """Start from the best supporting design; few peer-reviewed sources cost one step."""
    infos = {k: _ref(k, d, lv, peer=d not in GREY) for k, d, lv in refs}
    rows = [LinkRow("c1", "Recommendation", k, "supports", "direct") for k in links]
    if not rows:  # keep a recommendation claim in the skill, with no support
        rows = [LinkRow("c1", "Recommendation", None, None, None)]
    assert rate(rows, infos, "advice").rating == expected


def test_a_peer_reviewed_contradiction_costs_one_step() -> None:
    """Inconsistency: a peer-reviewed reference contradicting a claim downgrades one step."""
    refs = {k: _ref(k, "experimental", 2) for k in ("a", "b", "c")}
    rows = [LinkRow("c1", "Recommendation", k, "supports", "direct") for k in ("a", "b")]
    assert rate(rows, refs, "advice").rating == "high"
    rows.append(LinkRow("c1", "Recommendation", "c", "contradicts", "direct"))
    result = rate(rows, refs, "advice")
    assert result.rating == "moderate"
    assert "Down one for inconsistency: contradicted by C." in result.reasons


def test_a_skill_without_advice_says_so() -> None:
    """A skill with no recommendation claim gets a very low advice rating that says why."""
    rows = [LinkRow("c1", "EmpiricalAssertion", None, None, None)]
    result = rate(rows, {}, "advice")
    assert result.rating == "very low"
    assert "no recommendation or benefit claim" in result.reasons[0]


def test_rules_and_disclaimer_are_documented() -> None:
    """The rules name every step, and the disclaimer says it is not a clinical verdict."""
    for word in ("GRADE", "Indirectness", "Few sources", "Inconsistency", "very low"):
        assert word in RATING_RULES
    assert "not a clinical verdict" in DISCLAIMER


def test_gaps_on_the_real_data(base: KnowledgeBase) -> None:
    """Unsupported and grey-only claims, unused references and very-low skills are listed."""
    found = gaps(base)
    unsupported = {c["claim"] for c in found.unsupported_claims}
    assert {
        "beliefs-test-evidence",
        "summary-consistent-practice",
        "emotion-empathy",
    } <= unsupported
    assert "style-four-styles" not in unsupported
    grey = {c["claim"]: c["references"] for c in found.grey_only_claims}
    assert grey["intro-worry-or-withhold"] == ["columbia2022", "manson_nd"]
    assert set(grey) == {
        "intro-insecure-imbalance",
        "intro-worry-or-withhold",
        "style-four-styles",
        "style-spot-patterns",
        "opposite-sweet-spot",
        "opposite-cling-or-aloof",
    }
    title_only = {n.key for n in NOTES.values() if n.known_from == "title"}
    unused = {r["key"] for r in found.unused_references}
    assert title_only <= unused  # a reference known by its title can support nothing
    very_low = {s["skill"] for s in found.very_low_skills}
    assert very_low == {p.slug for p in profiles(base) if p.rating == "very low"}
    assert set(found.as_dict()) == {
        "unsupported_claims",
        "grey_only_claims",
        "unused_references",
        "very_low_skills",
    }


def test_a_reference_supporting_nothing_is_a_gap(tmp_path: Path) -> None:
    """Turning all of a reference's links into background makes it an unused reference."""
    inputs = copy_inputs(tmp_path)
    path = inputs.ws / "links.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for link in data["links"]:
        if link["reference"] == "jones1983":
            link["stance"] = "background"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (inputs.ws / "reviews.yaml").unlink()  # the changed links are no longer the reviewed ones
    other = kb.load(bib=inputs.bib, data=inputs.data)
    before = {r["key"] for r in gaps(BASE).unused_references}
    after = {r["key"] for r in gaps(other).unused_references}
    assert "jones1983" not in before
    assert after == before | {"jones1983"}


@pytest.mark.parametrize("name", ["SKILL_LINKS", "CLAIM_LINKS", "REFERENCES"])
def test_queries_give_the_same_rows_on_rdflib(name: str, base: KnowledgeBase) -> None:
    """Each profile query answers the same on rdflib's engine as on Oxigraph (portable SPARQL)."""
    sparql = getattr(q, name)
    ox_rows = {
        tuple(sorted((k, str(v)) for k, v in r.items() if v is not None))
        for r in base.store.select(sparql)
    }
    result = base.graph.query(sparql_prefixes() + sparql)
    rd_rows = {
        tuple(sorted((str(k), _plain(v)) for k, v in r.asdict().items() if v is not None))
        for r in result
    }
    assert ox_rows == rd_rows


def _plain(value: object) -> str:
    text = str(value)
    return {"true": "True", "false": "False"}.get(text, text)


def test_the_skill_binding_is_projected() -> None:
    """A query that accepts ?skill as a binding projects it (Oxigraph and HTTP stores need this)."""
    head = q.SKILL_LINKS.split("WHERE")[0]
    assert "?skill" in head


def test_cli_profile_json_has_every_skill() -> None:
    """`kb profile --format json` gives the disclaimer, the rules and one profile per skill."""
    out = run_kb("profile", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["disclaimer"] == DISCLAIMER
    assert [p["order"] for p in data["profiles"]] == list(range(1, 8))


def test_cli_profile_one_skill_and_unknown_skill() -> None:
    """`kb profile 3` prints one profile; an unknown skill is one line and exit 2."""
    out = run_kb("profile", "3")
    assert out.returncode == 0
    assert out.stdout.startswith("3. Act opposite")
    bad = run_kb("profile", "99")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "unknown skill '99'" in bad.stderr


def test_cli_gaps_text_and_json() -> None:
    """`kb gaps` lists its four sections; `--format json` parses."""
    text = run_kb("gaps")
    assert text.returncode == 0
    for title in ("no supporting link", "grey literature", "support no claim", "very low"):
        assert title in text.stdout
    data = json.loads(run_kb("gaps", "--format", "json").stdout)
    assert len(data["very_low_skills"]) == 7
    assert {s["reasons_rating"] for s in data["very_low_skills"]} == {"very low"}


def test_readme_ratings_table_is_the_current_data() -> None:
    """The README's table of both ratings per skill is what `kb profile` gives now."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for prof in profiles(BASE):
        assert prof.advice is not None
        assert prof.premises is not None
        summary = prof.premises.summary.split(": ", 1)[1]
        row = (
            f"| {prof.order} | {prof.slug} | {prof.advice.rating} | {prof.premises.rating} "
            f"| {summary} |"
        )
        assert row in readme, row
