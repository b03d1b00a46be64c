"""`kb suggest`: references ranked by BM25 for each claim, with the shared words, all proposed."""

from __future__ import annotations

import json

from kb.curate.suggest import suggest
from tests.curate.helpers import bib, curated
from tests.helpers import run_kb


def _top(use_findings: bool) -> dict[str, list[str]]:
    rows = suggest(curated(), bib(), curated().findings, top=3, use_findings=use_findings)
    top: dict[str, list[str]] = {}
    for row in rows:
        top.setdefault(row.claim, []).append(row.reference)
    return top


def test_suggestions_are_proposed_and_show_shared_words() -> None:
    """Every suggestion is proposed, ranked 1..3 per claim, and names the stems it shares."""
    rows = suggest(curated(), bib(), curated().findings, top=3)
    assert rows
    assert {r.status for r in rows} == {"proposed"}
    assert all(r.matching_words for r in rows)
    by_claim: dict[str, list[int]] = {}
    for r in rows:
        by_claim.setdefault(r.claim, []).append(r.rank)
    assert all(ranks == list(range(1, len(ranks) + 1)) for ranks in by_claim.values())


def test_curated_supports_in_top_three() -> None:
    """The figure in the README: for the curated `supports` links, how often the curated
    reference is among the top 3 (11/29 with findings, 2/29 by titles alone on the seed)."""
    supports = [x for x in curated().links if x.stance == "supports"]
    with_findings, titles_only = _top(True), _top(False)
    hits = sum(x.reference in with_findings.get(x.claim, []) for x in supports)
    title_hits = sum(x.reference in titles_only.get(x.claim, []) for x in supports)
    assert (hits, title_hits, len(supports)) == (11, 2, 29)


def test_cli_suggest_one_claim_as_json() -> None:
    """`kb suggest CLAIM --format json` lists that claim's suggestions only."""
    result = run_kb("suggest", "intro-shaped-early", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows
    assert {r["claim"] for r in rows} == {"intro-shaped-early"}


def test_cli_suggest_unknown_claim() -> None:
    """An unknown claim is one line and exit 2."""
    result = run_kb("suggest", "no-such-claim")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("kb: error: CLAIM: unknown claim 'no-such-claim'; choose one of: ")
