"""The evidence part of the graph: links, the findings they rest on, the reviews, appraisals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from kb.rdf.iris import (
    BASIS,
    DIRECTNESS,
    FINDING_KIND,
    PAGE_OWNER,
    RISK_OF_BIAS,
    STANCE,
    claim_iri,
    curation_iri,
    curator_iri,
    design_iri,
    entry_iri,
    finding_iri,
    judgement_iri,
    level_iri,
    link_iri,
    lit,
    reading_iri,
    reference_iri,
    resolution_iri,
    review_iri,
    topic_iri,
    worksheet_iri,
)
from kb.rdf.namespaces import CITO, KB
from kb.records.models import (
    DESIGN_LABELS,
    EVIDENCE_LEVELS,
    LinkReview,
    ReferenceNote,
    ReviewRound,
    WorksheetData,
)

__all__ = ["link_triples", "note_triples"]

Triple = tuple[URIRef, URIRef, URIRef | Literal]
_lit = lit


def link_triples(data: WorksheetData) -> Iterator[Triple]:
    ws_id = data.worksheet.id
    ws = worksheet_iri(ws_id)
    activity = curation_iri(ws_id)
    yield activity, RDF.type, KB.CurationActivity
    yield activity, RDF.type, PROV.Activity
    yield activity, RDFS.label, _lit(f"Curation of claim-to-reference links for {ws_id}")
    stances: dict[str, set[str]] = {}
    for link in data.links:
        node = link_iri(ws_id, link)
        agent = curator_iri(link.curator)
        stances.setdefault(link.reference, set()).add(link.stance)
        yield node, RDF.type, KB.EvidenceLink
        yield node, RDF.type, PROV.Entity
        yield node, KB.worksheet, ws
        yield node, KB.claim, claim_iri(ws_id, link.claim)
        yield node, KB.reference, reference_iri(link.reference)
        yield node, KB.stance, STANCE[link.stance]
        yield node, KB.directness, DIRECTNESS[link.directness]
        yield node, KB.basis, BASIS[link.basis]
        yield node, KB.rationale, _lit(link.rationale)
        yield node, KB.curatorJudgement, Literal(True)
        yield node, PROV.wasAttributedTo, agent
        yield node, PROV.wasGeneratedBy, activity
        yield node, DCTERMS.created, Literal(link.date.isoformat(), datatype=XSD.date)
        yield node, PROV.wasDerivedFrom, reference_iri(link.reference)
        for fid in link.findings:
            yield node, KB.restsOn, finding_iri(fid)
        yield activity, PROV.wasAssociatedWith, agent
        yield from _agent(agent, link.curator)
    yield from _finding_triples(data)
    yield from _review_triples(data)

    scale_done: set[URIRef] = set()
    for note in data.references:
        ref = reference_iri(note.key)
        entry = entry_iri(ws_id, note.key)
        yield ws, CITO.cites, ref
        kinds = stances.get(note.key, set())
        if kinds & {"supports", "qualifies", "contradicts"}:
            yield ws, CITO.citesAsEvidence, ref
        elif kinds:
            yield ws, CITO.obtainsBackgroundFrom, ref
        else:
            yield ws, CITO.citesForInformation, ref
        yield entry, RDF.type, KB.PrintedEntry
        yield entry, KB.worksheet, ws
        yield entry, KB.reference, ref
        yield entry, KB.printedAs, _lit(note.printed)
        yield entry, KB.printedNumber, Literal(note.number)
        yield from note_triples(note, scale_done)


def note_triples(note: ReferenceNote, done: set[URIRef]) -> Iterator[Triple]:
    """What a worksheet's note says about the reference itself: topics, unverified fields,
    notes and its appraisal (``kb check``'s units take these for a reference another worksheet
    prints)."""
    ref = reference_iri(note.key)
    for tid in note.topics:
        yield ref, DCTERMS.subject, topic_iri(tid)
    for field in note.unverified:
        yield ref, KB.unverifiedField, _lit(field)
    if note.verification_note:
        yield ref, SKOS.editorialNote, _lit(note.verification_note)
    if note.background_only:
        yield ref, KB.backgroundOnly, _lit(note.background_only)
    yield from _appraisal_triples(note, done)


def _agent(agent: URIRef, name: str) -> Iterator[Triple]:
    yield agent, RDF.type, PROV.Agent
    yield agent, FOAF.name, _lit(name)


def _finding_triples(data: WorksheetData) -> Iterator[Triple]:
    """Each finding: our words, derived from the page it was read on, read by whom and when."""
    for finding in data.findings:
        node = finding_iri(finding.id)
        reading = reading_iri(finding.id)
        reader = curator_iri(finding.reader)
        page = URIRef(finding.url)
        yield node, RDF.type, KB.Finding
        yield node, RDF.type, PROV.Entity
        yield node, DCTERMS.identifier, _lit(finding.id)
        yield node, KB.findingOf, reference_iri(finding.reference)
        yield node, KB.statement, _lit(finding.statement)
        yield node, KB.findingKind, FINDING_KIND[finding.kind]
        yield node, KB.pagePart, _lit(finding.part)
        yield node, KB.readExtent, BASIS[finding.extent]
        yield node, KB.pageOwner, PAGE_OWNER[finding.page_owner]
        yield node, PROV.wasDerivedFrom, page
        yield node, PROV.wasGeneratedBy, reading
        yield node, PROV.wasAttributedTo, reader
        yield node, DCTERMS.date, Literal(finding.read.isoformat(), datatype=XSD.date)
        yield page, RDF.type, PROV.Entity
        yield page, RDF.type, FOAF.Document
        yield reading, RDF.type, KB.ReadingActivity
        yield reading, RDF.type, PROV.Activity
        yield reading, PROV.used, page
        yield reading, PROV.wasAssociatedWith, reader
        yield reading, DCTERMS.date, Literal(finding.read.isoformat(), datatype=XSD.date)
        yield from _agent(reader, finding.reader)


def _review_triples(data: WorksheetData) -> Iterator[Triple]:
    """The two independent judgements of each link as PROV entities, each generated by a review
    activity with its reviewer and date, and the outcome: agreed, resolved (by a resolution
    activity of its own, with its resolver and date) or, with neither, awaiting resolution."""
    rnd = data.review_round
    if rnd is None:
        return
    ws_id = data.worksheet.id
    links = {link.id: link for link in data.links}
    rounds = {
        "first": (rnd.first_reviewer, rnd.first_method, rnd.first_date),
        "second": (rnd.second_reviewer, rnd.second_method, rnd.second_date),
    }
    for name, (who, how, when) in rounds.items():
        activity = review_iri(ws_id, name)
        agent = curator_iri(who)
        yield activity, RDF.type, KB.ReviewActivity
        yield activity, RDF.type, PROV.Activity
        yield activity, RDFS.label, _lit(f"{name.capitalize()} review of the links of {ws_id}")
        yield activity, RDFS.comment, _lit(how)
        yield activity, PROV.wasAssociatedWith, agent
        yield activity, DCTERMS.date, _date(when)
        if rnd.procedure:
            yield activity, SKOS.editorialNote, _lit(rnd.procedure)
        yield from _agent(agent, who)
    for review in data.reviews:
        link = link_iri(ws_id, links[review.link])
        yield link, KB.reviewAgreed, Literal(review.agreed)
        if review.resolution:
            yield link, KB.resolution, _lit(review.resolution)
        if review.revision:
            yield link, KB.revision, _lit(review.revision)
        if review.correction:
            yield link, KB.correction, _lit(review.correction)
        for name, judgement in (("first", review.first), ("second", review.second)):
            node = judgement_iri(ws_id, review.link, name)
            yield node, RDF.type, KB.Judgement
            yield node, RDF.type, PROV.Entity
            yield node, KB.judgementOf, link
            yield node, KB.stance, STANCE[judgement.stance]
            yield node, KB.directness, DIRECTNESS[judgement.directness]
        yield from _second_review(ws_id, rnd, review)
        if review.resolution:
            yield from _resolution(ws_id, rnd, review, link)


def _second_review(ws_id: str, rnd: ReviewRound, review: LinkReview) -> Iterator[Triple]:
    """Who made the second judgement, when and why: the round's second review, or, where the
    record names its own reviewer or date, a review of this link alone (the round's reviewer
    and date stand in for the one it leaves out, as for every link of the round)."""
    first = judgement_iri(ws_id, review.link, "first")
    second = judgement_iri(ws_id, review.link, "second")
    yield first, PROV.wasGeneratedBy, review_iri(ws_id, "first")
    if review.reasons:
        yield second, KB.rationale, _lit(review.reasons)
    if review.reviewer is None and review.reviewed is None:
        yield second, PROV.wasGeneratedBy, review_iri(ws_id, "second")
        return
    activity = review_iri(ws_id, "second", review.link)
    who = review.reviewer or rnd.second_reviewer
    agent = curator_iri(who)
    yield second, PROV.wasGeneratedBy, activity
    if review.reviewer:
        yield second, PROV.wasAttributedTo, agent
    yield activity, RDF.type, KB.ReviewActivity
    yield activity, RDF.type, PROV.Activity
    yield activity, RDFS.label, _lit(f"Second review of the link {review.link} of {ws_id}")
    yield activity, PROV.wasAssociatedWith, agent
    yield activity, DCTERMS.date, _date(review.reviewed or rnd.second_date)
    yield from _agent(agent, who)


def _resolution(ws_id: str, rnd: ReviewRound, review: LinkReview, link: URIRef) -> Iterator[Triple]:
    """A resolved disagreement: the resolution is an activity of its own that used both
    judgements and set the link's final judgement, by its resolver on its date (the round's
    ``resolved_by`` and ``resolution_date`` where the record names neither)."""
    activity = resolution_iri(ws_id, review.link)
    who = review.resolver or rnd.resolved_by
    agent = curator_iri(who)
    yield link, PROV.wasInfluencedBy, activity
    yield activity, RDF.type, KB.ResolutionActivity
    yield activity, RDF.type, PROV.Activity
    label = f"Resolution of the two judgements of the link {review.link} of {ws_id}"
    yield activity, RDFS.label, _lit(label)
    for name in ("first", "second"):
        yield activity, PROV.used, judgement_iri(ws_id, review.link, name)
    yield activity, PROV.wasAssociatedWith, agent
    yield activity, DCTERMS.date, _date(review.resolved or rnd.resolution_date)
    yield from _agent(agent, who)


def _date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def _appraisal_triples(note: ReferenceNote, done: set[URIRef]) -> Iterator[Triple]:
    """A reference's curated study design, peer review and evidence level (issue #4)."""
    ref = reference_iri(note.key)
    if note.design:
        design = design_iri(note.design)
        yield ref, KB.studyDesign, design
        if design not in done:
            done.add(design)
            yield design, RDF.type, KB.StudyDesign
            yield design, RDFS.label, _lit(DESIGN_LABELS[note.design])
    if note.peer_reviewed in ("yes", "no"):  # unknown stays unknown: no triple
        yield ref, KB.peerReviewed, Literal(note.peer_reviewed == "yes")
    if note.level is not None:
        level = level_iri(note.level)
        yield ref, KB.evidenceLevel, level
        if level not in done:
            done.add(level)
            yield level, RDF.type, KB.EvidenceLevel
            yield level, RDFS.label, _lit(f"level {note.level}: {EVIDENCE_LEVELS[note.level]}")
    if note.design_rationale:
        yield ref, KB.designRationale, _lit(note.design_rationale)
    if note.known_from:
        yield ref, KB.knownFrom, BASIS[note.known_from]
    if note.search_note:
        yield ref, KB.searchNote, _lit(note.search_note)
    if note.risk_of_bias is not None:
        yield ref, KB.riskOfBias, RISK_OF_BIAS[note.risk_of_bias.rating]
        for reason in note.risk_of_bias.reasons:
            yield ref, KB.riskOfBiasReason, _lit(reason)
