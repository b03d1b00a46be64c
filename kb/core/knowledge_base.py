"""A loaded knowledge base: its records, its store, and the questions every page asks of it.

>>> import kb
>>> base = kb.load()
>>> [s.title for s in base.skills][:1]
['Learn about your attachment style']
>>> rows = base.evidence_for("minimize-stressors")
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from kb import queries
from kb.core.evidence_rows import EvidenceRow, FindingRow, evidence_rows
from kb.core.inputs import Inputs, ntriples_of, source_files
from kb.core.resolve import (
    SkillName,
    SkillRef,
    cited_keys,
    resolve_reference,
    resolve_skill,
    resolve_worksheet,
)
from kb.errors import KbError
from kb.paths import DEFAULT_BIB
from kb.store.spec import MEMORY, open_store

if TYPE_CHECKING:  # a listing read from the store loads neither rdflib nor the record models
    from rdflib import Graph

    from kb.records.models import Claim, EvidenceLink, Reference, WorksheetData
    from kb.store.base import Store, Value

__all__ = [
    "EvidenceRow",
    "FindingRow",
    "Inputs",
    "KnowledgeBase",
    "SkillName",
    "SkillRef",
    "source_files",
]


@dataclass
class KnowledgeBase:
    """Everything loaded and checked: references, worksheets, the RDF graph and a query store.

    ``references`` and ``worksheets`` come from the curated files; a persistent store that
    opened without a rebuild reads them on first use. ``graph`` (rdflib) is built on first use.
    """

    store: Store
    bib_path: Path = DEFAULT_BIB
    data_dirs: list[Path] = field(default_factory=list)
    _inputs: Inputs | None = field(default=None, repr=False)
    _read: Callable[[], Inputs] | None = field(default=None, repr=False)

    @property
    def inputs(self) -> Inputs:
        """The curated records (read and validated now if the store opened without them)."""
        if self._inputs is None:
            if self._read is None:
                raise KbError("knowledge base has no inputs", record="load")
            self._inputs = self._read()
        return self._inputs

    @property
    def references(self) -> dict[str, Reference]:
        """Every reference of the bib, by key (from the records a reopened embedded store kept,
        without reading the bib, when it kept them)."""
        if self._inputs is None and self._kept_references is not None:
            return self._kept_references
        return self.inputs.references

    @cached_property
    def _kept_references(self) -> dict[str, Reference] | None:
        kept = self.store.kept_records("reference")
        if kept is None:
            return None
        from kb.records.models import Reference

        records = map(Reference.model_validate_json, kept)
        return {r.key: r for r in records}

    @property
    def worksheets(self) -> list[WorksheetData]:
        """Every worksheet, in folder order."""
        return self.inputs.worksheets

    @property
    def sources(self) -> list[Path]:
        """Every input file (the build records their digests)."""
        return source_files(self.bib_path, self.data_dirs)

    @cached_property
    def graph(self) -> Graph:
        """The knowledge base as an rdflib Graph (not the ontology): built from the records on
        first use, or, from a reopened embedded store, read from the store (nothing parsed)."""
        from rdflib import Graph

        from kb.rdf.triples import bind_prefixes, build_graph

        if self.from_store:
            from kb.paths import ONTOLOGY

            ontology = Graph().parse(ONTOLOGY, format="turtle") if ONTOLOGY.exists() else ()
            graph = self.store.graph_view(ontology)
            if graph is not None:
                bind_prefixes(graph)
                return graph
        inputs = self.inputs
        return build_graph(inputs.references.values(), inputs.worksheets, self.sources)

    @cached_property
    def skills(self) -> list[SkillRef]:
        """All skills, worksheet by worksheet, in worksheet order."""
        return [
            SkillRef(ws.worksheet.id, s)
            for ws in self.worksheets
            for s in sorted(ws.skills, key=lambda s: s.order)
        ]

    @cached_property
    def slug_counts(self) -> Counter[str]:
        """How many skills carry each slug (a URL names a skill by slug where it is unique)."""
        return Counter(s.slug for s in self.skills)

    @property
    def claims(self) -> list[Claim]:
        """All claims of all worksheets."""
        return [c for ws in self.worksheets for c in ws.claims]

    @property
    def links(self) -> list[EvidenceLink]:
        """All claim -> reference evidence links of all worksheets."""
        return [x for ws in self.worksheets for x in ws.links]

    def worksheet(self, ws_id: str | None = None) -> WorksheetData:
        """One worksheet by number, id or title (the only one if there is just one)."""
        if ws_id is None and len(self.worksheets) == 1:
            return self.worksheets[0]
        return resolve_worksheet(self, "" if ws_id is None else ws_id)

    def skill(self, name: str | int, *, given_as: str | None = None) -> SkillRef:
        """A skill by number, slug, title or ``worksheet/slug`` (``kb.core.resolve.resolve_skill``),
        with its record."""
        found = resolve_skill(self, name, given_as=given_as)
        if isinstance(found, SkillRef):
            return found
        return next(s for s in self.skills if s.iri == found.iri)

    @property
    def from_store(self) -> bool:
        """Opened from a store that holds a build of these very inputs, records not read yet:
        listings then ask the store, and the inputs are parsed only if a record is needed."""
        return self._inputs is None

    def worksheet_count(self) -> int:
        """How many worksheets (from the store when the records have not been read)."""
        if self.from_store:
            return len(self.store.select_kept("worksheets", queries.WORKSHEETS))
        return len(self.worksheets)

    def find_skill(self, name: str | int) -> SkillName | SkillRef:
        """A skill as ``skill`` finds it, from the store alone when the records have not been
        read (a reopened store, ``kb evidence``): ``kb.core.resolve.resolve_skill``."""
        return resolve_skill(self, name)

    def reference(self, key: str) -> Reference:
        """A reference by citation key or short label (``kb.core.resolve.resolve_reference``)."""
        return resolve_reference(self, key)

    def skills_table(self) -> list[dict[str, Value]]:
        """Per skill: order, slug, title and counts of claims, references, supporting references."""
        return self.store.select_kept("skills-table", queries.SKILLS_TABLE)

    def evidence_for(self, skill: str | int | SkillRef | SkillName) -> list[EvidenceRow]:
        """The claims of a skill with each linked reference, stance, rationale and provenance."""
        ref = skill if isinstance(skill, SkillRef | SkillName) else self.find_skill(skill)
        bound = {"skill": ref.iri}
        return evidence_rows(
            self.store, queries.EVIDENCE_FOR_SKILL, queries.FINDINGS_FOR_SKILL, bound
        )

    def evidence_for_claim(self, worksheet: str, claim_id: str) -> list[EvidenceRow]:
        """One claim of any section (introduction and summary included), as ``evidence_for``
        gives a skill's: one row per link, or one row with no reference if it has none.
        Raises KbError for a claim the worksheet does not have (or whose quote is orphaned)."""
        from kb.rdf.iris import claim_iri

        bound = {"claim": str(claim_iri(worksheet, claim_id))}
        rows = evidence_rows(
            self.store, queries.EVIDENCE_FOR_CLAIM, queries.FINDINGS_FOR_CLAIM, bound
        )
        if not rows:
            raise KbError(f"no claim '{claim_id}' in {worksheet}", record="claim")
        return rows

    def narrow(self, worksheet: str) -> KnowledgeBase:
        """One worksheet of this knowledge base as a knowledge base of its own: its records and
        the references it cites, in a small embedded store (a clear error for an unknown one)."""
        sheet = self.worksheet(worksheet)
        ws_id = sheet.worksheet.id
        folders = [
            folder
            for folder, w in zip(self.inputs.folders, self.worksheets, strict=True)
            if w.worksheet.id == ws_id
        ]
        if len(folders) != 1:  # pragma: no cover - ids are unique (checked on read)
            raise KbError(f"worksheet '{ws_id}' is not in one folder", record="worksheet")
        references = {k: self.references[k] for k in cited_keys(sheet) if k in self.references}
        inputs = Inputs(self.bib_path, folders, references, [sheet])
        store = open_store(MEMORY)
        store.load_chunks(ntriples_of(inputs))
        return KnowledgeBase(store=store, bib_path=self.bib_path, data_dirs=folders, _inputs=inputs)

    def query(self, sparql: str, *, limit: int | None = None) -> object:
        """Run a user's read-only SPARQL query (see ``kb.store.sparql_text.run_user_query``)."""
        from kb.store.sparql_text import run_user_query

        return run_user_query(self.store, sparql, limit=limit)
