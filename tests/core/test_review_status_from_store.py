"""A link's review status read from a store (``KnowledgeBase.evidence_for``, built from the
review triples by kb/core/evidence_rows.py) is the status its review record gives
(``LinkReview.status``): agreed, resolved, revised, or "awaiting resolution" for a link whose
second judgement differs and that nobody has resolved yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import kb
from kb.curate.editor import Editor
from kb.records.models import AWAITING_RESOLUTION, Judgement
from kb.records.worksheet import read_checked
from tests.helpers import Inputs, copy_inputs

RATIONALE = "Read from the title only: it names attachment across the life span, the claim's theme."
FIRST = Judgement(stance="background", directness="indirect")
SECOND = Judgement(stance="qualifies", directness="indirect")


def _reviewed(ed: Editor, claim: str, reference: str) -> str:
    """Propose a title-only link, record a differing blind second judgement, accept it."""
    ed.accept_suggestion(claim, reference, stance=FIRST.stance, directness=FIRST.directness,
                         basis="title", rationale=RATIONALE, curator="First Curator",
                         status="proposed")  # fmt: skip
    link = f"{claim}--{reference}"
    ed.record_review(link, SECOND, reviewer="Second Reviewer", reasons="The title limits it.",
                     date=dt.date(2026, 12, 8))  # fmt: skip
    ed.accept_link(link)
    return link


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Inputs, str, str]:
    """The seed with two new links on skill claims, both with a differing second judgement:
    one awaiting resolution, one resolved by a third person (who and when recorded)."""
    inputs = copy_inputs(tmp_path_factory.mktemp("pending"))
    ed = Editor.open(inputs.ws, inputs.bib)
    skills = {s.slug for s in ed.data.skills}
    on_skills = [c.id for c in ed.data.claims if c.section in skills]
    suggested = ed.suggestions(on_skills, top=1)
    pending = _reviewed(ed, suggested[0].claim, suggested[0].reference)
    resolved = _reviewed(ed, suggested[1].claim, suggested[1].reference)
    ed.resolve_review(resolved, SECOND, resolution="Adopted the second: the title limits it.",
                      resolver="Third Person", date=dt.date(2026, 12, 9))  # fmt: skip
    ed.save("a pending and a resolved link")
    return inputs, pending, resolved


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_pending_link_reads_awaiting_resolution_from_the_store(
    inputs: tuple[Inputs, str, str], store: str, tmp_path: Path
) -> None:
    """Every linked row of every skill carries its record's status; the pending link reads
    "awaiting resolution" and the one resolved since reads how it was resolved."""
    files, pending, resolved = inputs
    spec = "memory" if store == "memory" else f"oxigraph:{tmp_path / 'store'}"
    base = kb.load(files.bib, files.data, store=spec, cache=False)
    data = read_checked(files.ws)
    links = {link.id: link for link in data.links}
    expected = {(links[r.link].claim, links[r.link].reference): r.status for r in data.reviews}
    read = {
        (row.claim_id, row.key): row.review
        for skill in base.skills
        for row in base.evidence_for(skill)
        if row.key
    }
    assert read == {pair: expected[pair] for pair in read}
    pair = {name: (links[name].claim, links[name].reference) for name in (pending, resolved)}
    assert read[pair[pending]] == AWAITING_RESOLUTION
    assert read[pair[resolved]] == "resolved: Adopted the second: the title limits it."
    claim, key = pair[pending]
    (row,) = [r for r in base.evidence_for_claim(data.worksheet.id, claim) if r.key == key]
    assert row.review == AWAITING_RESOLUTION
