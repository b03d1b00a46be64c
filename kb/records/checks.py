"""The rules a worksheet's records keep across files: ids unique and resolved, topics defined,
findings of known and read references, every link under the link rules, every link reviewed, one
appraisal per work across worksheets. Each broken rule is one KbError naming file and record."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kb.errors import KbError
from kb.records.appraisal import appraisal_words
from kb.records.link_rules import link_problems, widest_extent
from kb.records.models import SECTIONS_FIXED, Reference, WorksheetData
from kb.records.worksheet_files import FILES, OPTIONAL_FILES, TEXT_FILE

__all__ = [
    "APPRAISAL_FIELDS",
    "anchor_problems",
    "awaiting_resolution",
    "check_appraisals",
    "check_internal",
    "unique_span",
    "validate_against_bib",
]


def _unique(items: Iterable[str], path: Path, what: str) -> set[str]:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise KbError(f"duplicate {what}; ids must be unique", path=path, record=item)
        seen.add(item)
    return seen


def check_internal(data: WorksheetData, folder: Path) -> None:
    f = {name: folder / file for name, file in FILES.items()}
    topics = _unique((t.id for t in data.topics), f["topics"], "topic id")
    for topic in data.topics:
        if topic.broader and topic.broader not in topics:
            raise KbError(
                f"broader topic '{topic.broader}' is not defined", path=f["topics"], record=topic.id
            )
    for tid in [*data.worksheet.topics, *data.worksheet.demographics]:
        if tid not in topics:
            raise KbError(f"unknown topic '{tid}'", path=f["worksheet"], record="worksheet")
    _check_anchors(data, f["claims"])
    slugs = _unique((s.slug for s in data.skills), f["skills"], "skill slug")
    orders = sorted(s.order for s in data.skills)
    if orders != list(range(1, len(orders) + 1)):
        raise KbError(f"skill orders must be 1..{len(orders)}, got {orders}", path=f["skills"])
    for skill in data.skills:
        for para in [*skill.paragraphs, skill.bullet, skill.title]:
            if para not in data.text:
                raise KbError(
                    f"text not found verbatim in {TEXT_FILE}: {para[:60]!r}",
                    path=f["skills"],
                    record=skill.slug,
                )
        for tid in skill.topics:
            if tid not in topics:
                raise KbError(f"unknown topic '{tid}'", path=f["skills"], record=skill.slug)
    sections = slugs | set(SECTIONS_FIXED)
    claim_ids = _unique((c.id for c in data.claims), f["claims"], "claim id")
    _check_status(data, folder)
    for claim in data.claims:
        if claim.section not in sections:
            raise KbError(
                f"section '{claim.section}' is not a skill slug, introduction or summary",
                path=f["claims"],
                record=claim.id,
            )
        if claim.start is None or claim.end is None:
            raise KbError(
                "claim has no start/end offsets; run `kb lint --fix` to anchor it",
                path=f["claims"],
                record=claim.id,
            )
    pairs = _unique((link.id for link in data.links), f["links"], "claim -> reference link")
    del pairs
    note_keys = _unique((n.key for n in data.references), f["references"], "reference key")
    for link in data.links:
        if link.claim not in claim_ids:
            raise KbError(f"unknown claim '{link.claim}'", path=f["links"], record=f"{link.id}")
        if link.reference not in note_keys:
            raise KbError(
                f"reference '{link.reference}' is not in {FILES['references']}; "
                "fix the key or add the reference",
                path=f["links"],
                record=link.id,
            )
    _check_findings(data, folder)
    _check_reviews(data, folder)
    linked = {link.reference for link in data.links}
    for note in data.references:
        for tid in note.topics:
            if tid not in topics:
                raise KbError(f"unknown topic '{tid}'", path=f["references"], record=note.key)
        if note.key not in linked and not note.background_only and note.status == "accepted":
            raise KbError(
                "reference has no evidence link; link it or give 'background_only' a reason",
                path=f["references"],
                record=note.key,
            )
    # A skill without support is allowed: it is a gap to show (kb gaps), not an error to hide.


def _check_status(data: WorksheetData, folder: Path) -> None:
    """An accepted record never rests on a proposed one: a claim in a proposed skill's section,
    or a link from a proposed claim or to a proposed reference, must be proposed too."""
    proposed_skills = {s.slug for s in data.skills if s.status == "proposed"}
    for claim in data.claims:
        if claim.status == "accepted" and claim.section in proposed_skills:
            raise KbError(
                f"accepted claim in the section of proposed skill '{claim.section}'; accept the "
                "skill first or mark the claim proposed",
                path=folder / FILES["claims"],
                record=claim.id,
            )
    proposed = {c.id for c in data.claims if c.status == "proposed"}
    proposed |= {n.key for n in data.references if n.status == "proposed"}
    for link in data.links:
        on = [x for x in (link.claim, link.reference) if x in proposed]
        if link.status == "accepted" and on:
            raise KbError(
                f"accepted link to proposed '{on[0]}'; accept it first or mark the link proposed",
                path=folder / FILES["links"],
                record=link.id,
            )


def _check_findings(data: WorksheetData, folder: Path) -> None:
    """Findings belong to a known reference that was read; every link keeps the link rules."""
    path = folder / OPTIONAL_FILES["findings"]
    _unique((f.id for f in data.findings), path, "finding id")
    notes = {n.key: n for n in data.references}
    for finding in data.findings:
        note = notes.get(finding.reference)
        if note is None:
            raise KbError(
                f"reference '{finding.reference}' is not in {FILES['references']}",
                path=path,
                record=finding.id,
            )
        if note.known_from == "title":
            raise KbError(
                f"{note.key} is marked known_from: title in {FILES['references']}, yet this "
                "finding was read from it; fix one of the two",
                path=path,
                record=finding.id,
            )
        words = appraisal_words(finding.statement)
        if words:
            raise KbError(
                f"the statement appraises the source ({', '.join(repr(w) for w in words)}); a "
                "finding says what the source reports, at its own certainty: move the appraisal "
                f"to the rationale of the link in {FILES['links']}",
                path=path,
                record=finding.id,
            )
    for note in data.references:
        mine = [f for f in data.findings if f.reference == note.key]
        widest = widest_extent(mine)
        if note.known_from is not None and mine and note.known_from != widest:
            raise KbError(
                f"known_from: {note.known_from}, but the widest part its findings were read in "
                f"is '{widest}' ({OPTIONAL_FILES['findings']}); set 'known_from: {widest}'",
                path=folder / FILES["references"],
                record=note.key,
            )
    findings = {f.id: f for f in data.findings}
    claims = {c.id: c for c in data.claims}
    for link in data.links:
        problems = link_problems(link, claims[link.claim], notes[link.reference], findings)
        if problems:
            raise KbError(problems[0], path=folder / FILES["links"], record=link.id)


def _check_reviews(data: WorksheetData, folder: Path) -> None:
    """Each link is reviewed once; agreement leaves the link as judged; a disagreement is either
    awaiting resolution (a valid state: the second judgement is recorded blind, whatever it
    says, and `kb check` counts it without failing) or resolved in words, by someone who made
    neither judgement where the resolver is named."""
    if data.review_round is None:
        return
    path = folder / OPTIONAL_FILES["reviews"]
    _unique((r.link for r in data.reviews), path, "reviewed link")
    links = {link.id: link for link in data.links}
    for review in data.reviews:
        link = links.get(review.link)
        if link is None:
            raise KbError(
                f"review of an unknown link '{review.link}'; links are CLAIM--REFERENCE ids "
                f"from {FILES['links']}",
                path=path,
                record=review.link,
            )
        final = (link.stance, link.directness)
        if review.agreed and review.resolution:
            raise KbError(
                "the two judgements agree: drop 'resolution'", path=path, record=review.link
            )
        if review.agreed and final != (review.first.stance, review.first.directness):
            if review.revision:
                continue  # changed after the review, and the record says why
            raise KbError(
                f"both reviewers said {review.first.stance}/{review.first.directness} but "
                f"{FILES['links']} says {link.stance}/{link.directness}; review the changed link "
                "again, or say why it changed in 'revision'",
                path=path,
                record=review.link,
            )
        party = _party(review.resolver, {link.curator: "curator", review.reviewer: "reviewer"})
        if party:
            raise KbError(
                f"the resolver is the link's {party}; a disagreement is resolved by someone who "
                "made neither judgement",
                path=path,
                record=review.link,
            )
    accepted = {lid for lid, link in links.items() if link.status == "accepted"}
    missing = sorted(accepted - {r.link for r in data.reviews})
    if missing:
        raise KbError(
            f"{len(missing)} link(s) have no review, e.g. '{missing[0]}'; review them or "
            f"remove {OPTIONAL_FILES['reviews']}",
            path=path,
            record=missing[0],
        )


def _party(resolver: str | None, parties: dict[str | None, str]) -> str | None:
    """Which party to the two judgements ``resolver`` is (names compared without case or outer
    spaces), or None."""
    if resolver is None:
        return None
    named = {(k or "").strip().casefold(): v for k, v in parties.items() if k}
    return named.get(resolver.strip().casefold())


def awaiting_resolution(data: WorksheetData) -> list[str]:
    """The links whose two judgements differ with no resolution yet, in the order of the
    reviews file (what `kb check` counts and the Curate page offers to resolve)."""
    return [r.link for r in data.reviews if r.awaiting]


def validate_against_bib(
    data: WorksheetData, references: dict[str, Reference], folder: Path
) -> None:
    """Every reference key the worksheet uses must be in the bib."""
    for note in data.references:
        if note.key not in references:
            raise KbError(
                f"key '{note.key}' is not in the bib file; add it there or fix the key",
                path=folder / FILES["references"],
                record=note.key,
            )


APPRAISAL_FIELDS = (
    "design",
    "peer_reviewed",
    "level",
    "design_rationale",
    "known_from",
    "search_note",
)


def check_appraisals(
    data: WorksheetData, folder: Path, seen: dict[tuple[str, str], tuple[Path, object]]
) -> None:
    """A reference cited by several worksheets has one appraisal: where two worksheets both give
    its design, peer review, level or design rationale, they must agree (the graph holds them on
    the reference, so a disagreement would make its profile depend on which value comes first).
    ``seen`` carries the first value of each (key, field) across calls."""
    for note in data.references:
        for name in APPRAISAL_FIELDS:
            mine = getattr(note, name)
            if mine is None:
                continue
            where, theirs = seen.setdefault((note.key, name), (folder, mine))
            if theirs != mine:
                raise KbError(
                    f"{name.replace('_', ' ')} {mine!r} here but {theirs!r} in "
                    f"{where / FILES['references']}; one work has one appraisal: make them agree",
                    path=folder / FILES["references"],
                    record=note.key,
                )
    for finding in data.findings:  # a finding is a node of its own: one text per id
        where, theirs = seen.setdefault(("finding", finding.id), (folder, finding))
        if theirs != finding:
            raise KbError(
                f"finding differs from the one with this id in "
                f"{where / OPTIONAL_FILES['findings']}; one id, one finding: make them agree",
                path=folder / OPTIONAL_FILES["findings"],
                record=finding.id,
            )


def unique_span(text: str, quote: str) -> tuple[int, int] | None:
    """Start and end of ``quote`` in ``text`` if it occurs exactly once, else None."""
    if text.count(quote) != 1:
        return None
    start = text.index(quote)
    return start, start + len(quote)


def anchor_problems(data: WorksheetData) -> dict[str, list[str]]:
    """Claims whose quote no longer stands at its offsets: ``moved`` (found elsewhere, once),
    ``ambiguous`` (found several times), ``vanished`` (not found); orphaned claims are listed too.
    """
    problems: dict[str, list[str]] = {"moved": [], "ambiguous": [], "vanished": [], "orphaned": []}
    for claim in data.claims:
        if claim.orphaned:
            problems["orphaned"].append(claim.id)
            continue
        if claim.start is None or data.text[claim.start : claim.end] == claim.quote:
            continue  # a new claim (no offsets yet) is `kb lint --fix`'s job
        count = data.text.count(claim.quote)
        kind = "moved" if count == 1 else "ambiguous" if count > 1 else "vanished"
        problems[kind].append(claim.id)
    return problems


def _check_anchors(data: WorksheetData, path: Path) -> None:
    problems = anchor_problems(data)
    problems.pop("orphaned")  # loadable; `kb check` reports them and fails
    if not any(problems.values()):
        return
    parts = [f"{kind}: {', '.join(ids)}" for kind, ids in problems.items() if ids]
    raise KbError(
        "quotes no longer match the worksheet text (" + "; ".join(parts) + "); run "
        "`kb reanchor` to move exact unique matches and mark the rest orphaned, then re-quote "
        "orphaned claims",
        path=path,
        record="claims",
    )
