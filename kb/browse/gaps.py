"""The Gaps & Audit page as people read it, and `kb gaps`'s title-only list.

Everything here names claims by their number on the annotated worksheet ("Claim 12") and
references as "Author (year)", flagged "may not exist" where their existence is unconfirmed
(``kb.browse.labels``); ids stay as extra fields. Each list carries its own heading, counted from
the very rows listed, so a heading and its list cannot disagree. An audit row keeps the printed
and corrected values whole (a replaced title reads old above new), with at most a word-level
diff beside them.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from kb.browse.labels import ClaimName, ReferenceName, claim_names, reference_names
from kb.browse.scope import _notes, worksheets_in
from kb.core.knowledge_base import KnowledgeBase
from kb.evidence.audit import AuditFinding, audit
from kb.evidence.profile import SkillProfile, gaps, profiles, reference_info
from kb.records.models import DESIGN_LABELS, ReferenceNote

__all__ = [
    "VERY_LOW",
    "AuditRow",
    "ClaimGap",
    "GapsAndAudit",
    "LinkName",
    "RatedSkill",
    "TitleOnlySource",
    "audit_rows",
    "gaps_and_audit",
    "title_only_listing",
    "title_only_sources",
    "word_diff",
]

VERY_LOW = "very low"


@dataclass(frozen=True)
class LinkName:
    """One link as people read it: ``Claim 12`` or ``Zhang (2012) — may not exist``, with its
    stance; ``claim_id`` and ``key`` kept for pages that open it."""

    shown: str
    stance: str
    key: str
    claim_id: str

    @property
    def text(self) -> str:
        """``Zhang (2012) — may not exist (background)``."""
        return f"{self.shown} ({self.stance})"


@dataclass(frozen=True)
class ClaimGap:
    """A claim with no supporting link, or supported by grey literature only."""

    worksheet: str
    claim_id: str
    claim: str
    place: str
    quote: str
    links: list[LinkName]


@dataclass(frozen=True)
class TitleOnlySource:
    """A reference (``name``: ``Zhang (2012) — may not exist`` where that applies) with every
    claim it is linked to, by number, and the stance of each link."""

    key: str
    name: str
    unconfirmed: bool
    warning: str | None
    links: list[LinkName]

    def record(self) -> dict[str, object]:
        """Plain data for JSON: the name, the id, the warning and the links."""
        return {
            "reference": self.name,
            "key": self.key,
            "may_not_exist": self.unconfirmed,
            "links": [
                {"claim": x.shown, "claim_id": x.claim_id, "stance": x.stance} for x in self.links
            ],
        }


@dataclass(frozen=True)
class RatedSkill:
    """A skill in a list headed by a rating: ``rating`` is the rating the heading names."""

    worksheet: str
    order: int
    slug: str
    title: str
    rating: str
    reasons_rating: str | None
    summary: str


@dataclass(frozen=True)
class AuditRow:
    """One audit difference for a page: the reference by name, the printed and corrected values
    whole (``stacked``: show old above new, as for a replaced title), and a word-level diff."""

    key: str
    reference: str
    may_not_exist: bool
    number: int
    field: str
    printed: str
    corrected: str
    category: str
    why: str
    source: str
    words: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def stacked(self) -> bool:
        """True where the values are sentences (a title, an author list): old above new."""
        return len(self.printed.split()) > 3 or len(self.corrected.split()) > 3


@dataclass(frozen=True)
class GapsAndAudit:
    """Every list of the Gaps & Audit page, each with a heading counted from its rows."""

    unsupported: list[ClaimGap]
    grey_only: list[ClaimGap]
    title_only: list[TitleOnlySource]
    very_low_skills: list[RatedSkill]
    unused_references: list[dict[str, object]]
    may_not_exist: list[TitleOnlySource]
    corrections: list[AuditRow]
    style: list[AuditRow]
    unconfirmed_fields: list[AuditRow]

    @property
    def headings(self) -> dict[str, str]:
        """Each list's heading with the number of rows it lists."""
        return {
            "unsupported": f"Claims with no supporting link ({len(self.unsupported)})",
            "grey_only": f"Supported by grey literature only ({len(self.grey_only)})",
            "title_only": f"Judged from their title only ({len(self.title_only)})",
            "very_low_skills": (
                f"Skills whose advice is rated {VERY_LOW} ({len(self.very_low_skills)})"
            ),
            "unused_references": f"References supporting nothing ({len(self.unused_references)})",
            "may_not_exist": f"References that may not exist ({len(self.may_not_exist)})",
            "corrections": f"Printed-reference corrections ({len(self.corrections)})",
            "style": f"APA 7 style points ({len(self.style)})",
            "unconfirmed_fields": (
                f"Fields only as printed, not confirmed ({len(self.unconfirmed_fields)})"
            ),
        }


def _place(base: KnowledgeBase, ws: str, section: str) -> str:
    skill = next((s for s in base.skills if s.worksheet == ws and s.slug == section), None)
    return f"Skill {skill.order}. {skill.title}" if skill else section.capitalize()


def title_only_sources(base: KnowledgeBase, ws: str | None = None) -> list[TitleOnlySource]:
    """The references in scope that nobody here has read beyond their title (``known_from:
    title``), in printed order, each with the claims it is linked to (by number) and stance."""
    return _sources(base, ws, lambda key, notes: any(n.known_from == "title" for n in notes))


def _sources(
    base: KnowledgeBase, ws: str | None, keep: Callable[[str, list[ReferenceNote]], bool]
) -> list[TitleOnlySource]:
    """The references in scope that ``keep`` keeps, with their links (by claim number)."""
    names = reference_names(base)
    claims = claim_names(base, ws)
    notes = _notes(base, ws)
    out = []
    ordered = sorted(notes, key=lambda k: (min(n.number for _, n in notes[k]), k))
    for key in ordered:
        if not keep(key, [n for _, n in notes[key]]):
            continue
        name = names.get(key) or ReferenceName(key, key)
        links = [
            LinkName(claims[wid, link.claim].shown, link.stance, key, link.claim)
            for sheet in worksheets_in(base, ws)
            for wid in [sheet.worksheet.id]
            for link in sheet.links
            if link.reference == key and (wid, link.claim) in claims
        ]
        links.sort(key=lambda x: _number(claims, x))
        out.append(TitleOnlySource(key, name.shown, name.unconfirmed, name.warning, links))
    return out


def _number(claims: dict[tuple[str, str], ClaimName], link: LinkName) -> tuple[int, str]:
    found = [c for (_, cid), c in claims.items() if cid == link.claim_id]
    return (found[0].number or 0 if found else 0, link.claim_id)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Old and new compared word by word (never letter by letter): ``(op, text)`` pieces, op
    ``same``, ``removed`` or ``added``, spaces kept with their words."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            out.append(("removed", "".join(a[a1:a2])))
        if b2 > b1:
            out.append(("added", "".join(b[b1:b2])))
    return out


def audit_rows(base: KnowledgeBase, found: list[AuditFinding]) -> list[AuditRow]:
    """Audit findings as page rows: the reference by name (flagged if it may not exist), the
    values whole, a word-level diff, and why."""
    names = reference_names(base)
    rows = []
    for f in found:
        name = names.get(f.key) or ReferenceName(f.key, f.key)
        rows.append(
            AuditRow(
                key=f.key,
                reference=name.shown,
                may_not_exist=name.unconfirmed,
                number=f.number,
                field=f.field,
                printed=f.printed,
                corrected=f.corrected,
                category=f.category,
                why=f.note or f.category,
                source=f.source,
                words=word_diff(f.printed, f.corrected),
            )
        )
    return rows


def gaps_and_audit(base: KnowledgeBase, ws: str | None = None) -> GapsAndAudit:
    """`kb gaps` and `kb audit` for the worksheets in scope, as the page names things."""
    found = gaps(base)
    names = reference_names(base)
    claims = claim_names(base, ws)

    def link(key: str, stance: str, claim: str) -> LinkName:
        name = names.get(key) or ReferenceName(key, key)
        return LinkName(name.shown, stance, key, claim)

    def claim_gap(row: dict[str, object], links: list[LinkName]) -> ClaimGap:
        wid, cid = str(row["worksheet"]), str(row["claim"])
        return ClaimGap(
            worksheet=wid,
            claim_id=cid,
            claim=claims[wid, cid].shown,
            place=_place(base, wid, str(row["section"])),
            quote=str(row["quote"]),
            links=links,
        )

    unsupported = [
        claim_gap(r, [link(k, s, str(r["claim"])) for k, s in _pairs(r["other_links"])])
        for r in found.unsupported_claims
        if ws is None or r["worksheet"] == ws
    ]
    grey = [
        claim_gap(r, [link(k, "supports", str(r["claim"])) for k in r["references"]])
        for r in found.grey_only_claims
        if ws is None or r["worksheet"] == ws
    ]
    very_low = [
        RatedSkill(
            worksheet=p.worksheet,
            order=p.order,
            slug=p.slug,
            title=p.title,
            rating=_advice(p),
            reasons_rating=p.premises.rating if p.premises else None,
            summary=p.summary,
        )
        for p in profiles(base)
        if (ws is None or p.worksheet == ws) and _advice(p) == VERY_LOW
    ]
    info = reference_info(base)
    unused = [
        {
            "key": r["key"],
            "reference": (names.get(str(r["key"])) or ReferenceName(str(r["key"]), "")).shown,
            "design": DESIGN_LABELS.get(str(r["design"] or ""), "design not recorded"),
            "level": r["level"],
        }
        for r in found.unused_references
    ]
    doubts = _sources(base, ws, lambda key, _: key in info and info[key].unconfirmed)
    keys = None if ws is None else {n.key for n in base.worksheet(ws).references}
    every = [f for f in audit(base) if keys is None or f.key in keys]
    rows = audit_rows(base, every)
    return GapsAndAudit(
        unsupported=unsupported,
        grey_only=grey,
        title_only=title_only_sources(base, ws),
        very_low_skills=very_low,
        unused_references=unused,
        may_not_exist=doubts,
        corrections=[r for r in rows if r.category == "metadata correction"],
        style=[r for r in rows if r.category.startswith("style")],
        unconfirmed_fields=[
            r
            for r in rows
            if r.category != "metadata correction" and not r.category.startswith("style")
        ],
    )


def _pairs(texts: list[str]) -> list[tuple[str, str]]:
    """``["zhang2012 (background)"]`` (as ``kb.evidence.profile.gaps`` lists other links) ->
    ``[("zhang2012", "background")]``."""
    return [(m[1], m[2]) for t in texts if (m := re.fullmatch(r"(\S+) \((.+)\)", t))]


def _advice(p: SkillProfile) -> str:
    """The rating of a skill's advice (the one "very low" lists and headings name)."""
    return p.advice.rating if p.advice else p.rating


def title_only_listing(base: KnowledgeBase) -> list[dict[str, object]]:
    """What `kb gaps` lists of the sources known by their title only, answered by the store
    alone (a reopened store reads no input): each reference as "Author (year)", with every link
    to it by worksheet, claim (named as the dashboard names it, ``claim_names``: "Claim 12"; its
    id kept as ``claim_id``) and stance, references in key order, links in claim order."""
    from kb.evidence import queries as q

    names = reference_names(base)
    claims = claim_names(base)
    found: dict[str, dict[str, object]] = {}
    links: dict[str, list[tuple[tuple[str, int, str], dict[str, str]]]] = {}
    for row in base.store.select(q.TITLE_ONLY_LINKS):
        key = str(row["key"])
        name = names.get(key) or ReferenceName(key, key)
        found.setdefault(key, {"key": key, "name": name.shown, "unconfirmed": name.unconfirmed})
        mine = links.setdefault(key, [])
        if row.get("claimId") is not None:
            wid, cid = str(row["worksheet"]), str(row["claimId"])
            claim = claims.get((wid, cid)) or ClaimName(wid, cid, None)
            link = {"worksheet": wid, "claim": claim.shown, "claim_id": cid,
                    "stance": str(row["stance"])}  # fmt: skip
            mine.append(((wid, claim.number or 0, cid), link))
    for mine in links.values():
        mine.sort(key=lambda pair: pair[0])
    return [found[k] | {"links": [link for _, link in links[k]]} for k in sorted(found)]
