"""A proposed record is checked like any other but never counted: profiles, gaps and ratings are
built from accepted records only, and an accepted record never rests on a proposed one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kb
from kb.errors import KbError
from kb.evidence.profile import gaps, profiles
from kb.records.canonical import canonical_dump, canonical_records
from kb.records.models import Claim, Judgement, LinkReview, WorksheetData
from kb.records.worksheet import read_checked
from tests.helpers import copy_inputs

NEW_CLAIM = Claim(
    id="summary-extra",
    section="summary",
    kind="empirical",
    quote="Relationship harmony revolves around skillfully expressing your attachment needs",
    status="proposed",
)


def _write(folder: Path, data: WorksheetData) -> None:
    records = canonical_records(data)
    for name, file in (
        ("claims", "claims.yaml"),
        ("links", "links.yaml"),
        ("reviews", "reviews.yaml"),
    ):
        (folder / file).write_text(canonical_dump(records[name]), encoding="utf-8")


def _evidence(bib: Path, data: Path) -> dict[str, Any]:
    base = kb.load(bib=bib, data=[data])
    return {"profiles": [p.as_dict() for p in profiles(base)], "gaps": gaps(base).as_dict()}


def _with_extra(data: WorksheetData, status: str) -> WorksheetData:
    """The seed plus one claim and one contradicting link from it, with ``status``."""
    text_start = data.text.index(NEW_CLAIM.quote)
    claim = NEW_CLAIM.model_copy(
        update={"start": text_start, "end": text_start + len(NEW_CLAIM.quote), "status": status}
    )
    template = next(x for x in data.links if x.basis == "title")
    link = template.model_copy(
        update={"claim": claim.id, "stance": "contradicts", "status": status}
    )
    reviews = list(data.reviews)
    if status == "accepted":  # an accepted link needs its review
        judged = Judgement(stance=link.stance, directness=link.directness)
        reviews.append(LinkReview(link=link.id, first=judged, second=judged))
    return data.model_copy(
        update={"claims": [*data.claims, claim], "links": [*data.links, link], "reviews": reviews}
    )


def test_proposed_records_change_no_profile_gap_or_rating(tmp_path: Path) -> None:
    """Adding a proposed claim and a proposed contradicting link leaves every profile, gap and
    rating as it was; the same records accepted change them (so the test can fail)."""
    inputs = copy_inputs(tmp_path)
    baseline = _evidence(inputs.bib, inputs.data)
    seed = read_checked(inputs.ws)
    _write(inputs.ws, _with_extra(seed, "proposed"))
    assert _evidence(inputs.bib, inputs.data) == baseline
    _write(inputs.ws, _with_extra(seed, "accepted"))
    assert _evidence(inputs.bib, inputs.data) != baseline


def test_accepted_link_to_a_proposed_claim_is_refused(tmp_path: Path) -> None:
    """An accepted link may not rest on a proposed claim: one error naming the link."""
    inputs = copy_inputs(tmp_path)
    data = _with_extra(read_checked(inputs.ws), "proposed")
    link = data.links[-1].model_copy(update={"status": "accepted"})
    _write(inputs.ws, data.model_copy(update={"links": [*data.links[:-1], link]}))
    with pytest.raises(KbError, match="accepted link to proposed 'summary-extra'"):
        read_checked(inputs.ws)


def test_accepted_skill_needs_facets_and_topics() -> None:
    """Facets and topics may wait while a skill is proposed, not once it is accepted."""
    from kb.records.models import Skill

    row = {"order": 1, "slug": "s", "title": "T", "paragraphs": ["P"], "bullet": "T"}
    assert Skill.model_validate({**row, "status": "proposed"}).facets == []
    with pytest.raises(ValueError, match="'facets' needs at least one value once accepted"):
        Skill.model_validate(row)
