"""The public API: ``kb.load()`` -> a KnowledgeBase.

>>> import kb
>>> base = kb.load()
>>> [s.title for s in base.skills][:1]
['Learn about your attachment style']
>>> rows = base.evidence_for("minimize-stressors")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph

from kb import queries
from kb.bib import load_bib
from kb.curation import FILES, TEXT_FILE, find_worksheet_dirs, load_worksheet, validate_against_bib
from kb.errors import KbError
from kb.models import Claim, EvidenceLink, Reference, Skill, WorksheetData
from kb.paths import DATA_DIR, DEFAULT_BIB
from kb.rdf import build_graph, skill_iri
from kb.store import Store, Value, open_store

__all__ = ["EvidenceRow", "KnowledgeBase", "SkillRef", "load"]


@dataclass(frozen=True)
class SkillRef:
    """A skill together with the worksheet it belongs to."""

    worksheet: str
    skill: Skill

    @property
    def iri(self) -> str:
        """The skill's IRI in the graph."""
        return str(skill_iri(self.worksheet, self.skill.slug))

    @property
    def title(self) -> str:
        """The skill's title as the worksheet prints it."""
        return self.skill.title

    @property
    def slug(self) -> str:
        """The skill's slug."""
        return self.skill.slug

    @property
    def order(self) -> int:
        """Its position in the worksheet (1-based)."""
        return self.skill.order


@dataclass(frozen=True)
class EvidenceRow:
    """One claim of a skill and one reference linked to it (reference fields None if unlinked)."""

    claim_id: str
    kind: str
    quote: str
    start: int
    end: int
    key: str | None
    stance: str | None
    directness: str | None
    basis: str | None
    rationale: str | None
    curator: str | None
    date: str | None


@dataclass
class KnowledgeBase:
    """Everything loaded and checked: references, worksheets, the RDF graph and a query store."""

    references: dict[str, Reference]
    worksheets: list[WorksheetData]
    graph: Graph
    store: Store
    sources: list[Path] = field(default_factory=list)
    bib_path: Path = DEFAULT_BIB
    data_dirs: list[Path] = field(default_factory=list)

    @cached_property
    def skills(self) -> list[SkillRef]:
        """All skills, worksheet by worksheet, in worksheet order."""
        return [
            SkillRef(ws.worksheet.id, s)
            for ws in self.worksheets
            for s in sorted(ws.skills, key=lambda s: s.order)
        ]

    @property
    def claims(self) -> list[Claim]:
        """All claims of all worksheets."""
        return [c for ws in self.worksheets for c in ws.claims]

    @property
    def links(self) -> list[EvidenceLink]:
        """All claim -> reference evidence links of all worksheets."""
        return [x for ws in self.worksheets for x in ws.links]

    def worksheet(self, ws_id: str | None = None) -> WorksheetData:
        """One worksheet by id (the only one if there is just one)."""
        if ws_id is None and len(self.worksheets) == 1:
            return self.worksheets[0]
        for ws in self.worksheets:
            if ws.worksheet.id == ws_id:
                return ws
        known = ", ".join(w.worksheet.id for w in self.worksheets)
        raise KbError(f"unknown worksheet '{ws_id}'; known: {known}", record="worksheet")

    def skill(self, name: str | int) -> SkillRef:
        """A skill by number (1-7), slug, or ``worksheet/slug``; a clear error otherwise."""
        text = str(name).strip()
        ws_part, _, slug_part = text.rpartition("/")
        candidates = [s for s in self.skills if not ws_part or s.worksheet == ws_part]
        if slug_part.isdigit():
            found = [s for s in candidates if s.order == int(slug_part)]
        else:
            found = [s for s in candidates if s.slug == slug_part.lower()]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise KbError(
                f"skill '{text}' is in several worksheets; write WORKSHEET/{slug_part}",
                record="skill",
            )
        names = ", ".join(f"{s.order} {s.slug}" for s in candidates[:10])
        raise KbError(f"unknown skill '{text}'; choose one of: {names}", record="skill")

    def reference(self, key: str) -> Reference:
        """A reference by citation key."""
        try:
            return self.references[key]
        except KeyError:
            raise KbError(f"unknown reference key '{key}'", record="reference") from None

    def skills_table(self) -> list[dict[str, Value]]:
        """Per skill: order, slug, title and counts of claims, references, supporting references."""
        return self.store.select(queries.SKILLS_TABLE)

    def evidence_for(self, skill: str | int | SkillRef) -> list[EvidenceRow]:
        """The claims of a skill with each linked reference, stance, rationale and provenance."""
        ref = skill if isinstance(skill, SkillRef) else self.skill(skill)
        rows = self.store.select(queries.EVIDENCE_FOR_SKILL, {"skill": ref.iri})
        return [
            EvidenceRow(
                claim_id=str(r["claimId"]),
                kind=_kind_slug(str(r["kind"])),
                quote=str(r["quote"]),
                start=int(r["start"] or 0),
                end=int(r["end"] or 0),
                key=_opt(r["key"]),
                stance=_opt(r["stance"]),
                directness=_opt(r["directness"]),
                basis=_opt(r["basis"]),
                rationale=_opt(r["rationale"]),
                curator=_opt(r["curator"]),
                date=_opt(r["date"]),
            )
            for r in rows
        ]

    def query(self, sparql: str, *, limit: int | None = None) -> object:
        """Run a user's read-only SPARQL query (see ``kb.sparql.run_user_query``)."""
        from kb.sparql import run_user_query

        return run_user_query(self.store, sparql, limit=limit)


def _opt(value: Value) -> str | None:
    return None if value is None else str(value)


def _kind_slug(kind: str) -> str:
    return {
        "EmpiricalAssertion": "empirical",
        "Recommendation": "recommendation",
        "Definition": "definition",
    }.get(kind, kind)


def load(
    bib: Path | str | None = None,
    data: Sequence[Path | str] | Path | str | None = None,
    store: str = "memory",
) -> KnowledgeBase:
    """Load, validate and build the knowledge base; any bad input raises KbError."""
    from kb.paths import ONTOLOGY

    bib_path = Path(bib) if bib is not None else DEFAULT_BIB
    if data is None:
        data_paths = [DATA_DIR]
    elif isinstance(data, str | Path):
        data_paths = [Path(data)]
    else:
        data_paths = [Path(d) for d in data]
    references = {r.key: r for r in load_bib(bib_path)}
    folders = find_worksheet_dirs(data_paths)
    worksheets = []
    for folder in folders:
        ws = load_worksheet(folder)
        validate_against_bib(ws, references, folder)
        worksheets.append(ws)
    seen: dict[str, Path] = {}
    for folder, ws in zip(folders, worksheets, strict=True):
        if ws.worksheet.id in seen:
            raise KbError(
                f"worksheet id '{ws.worksheet.id}' is also used by {seen[ws.worksheet.id]}",
                path=folder / FILES["worksheet"],
            )
        seen[ws.worksheet.id] = folder
    sources = [bib_path] + [
        folder / name for folder in folders for name in [*FILES.values(), TEXT_FILE]
    ]
    graph = build_graph(references.values(), worksheets, sources)
    kb_store = open_store(store)
    kb_store.load_graph(graph)
    if ONTOLOGY.exists():
        kb_store.add_ntriples(Graph().parse(ONTOLOGY).serialize(format="nt", encoding="utf-8"))
    return KnowledgeBase(
        references=references,
        worksheets=worksheets,
        graph=graph,
        store=kb_store,
        sources=sources,
        bib_path=bib_path,
        data_dirs=folders,
    )
