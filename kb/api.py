"""The public API: ``kb.load()`` -> a KnowledgeBase.

>>> import kb
>>> base = kb.load()
>>> [s.title for s in base.skills][:1]
['Learn about your attachment style']
>>> rows = base.evidence_for("minimize-stressors")
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS

from kb import queries
from kb.bib import load_bib
from kb.curation import (
    FILES,
    check_appraisals,
    find_worksheet_dirs,
    load_worksheet,
    validate_against_bib,
    worksheet_files,
)
from kb.errors import KbError
from kb.models import Claim, EvidenceLink, Reference, Skill, WorksheetData
from kb.namespaces import KB
from kb.paths import DATA_DIR, DEFAULT_BIB
from kb.push import ntriples_chunks
from kb.rdf import build_graph, iter_triples, skill_iri
from kb.store import OxigraphStore, Store, Value, open_store

__all__ = [
    "EvidenceRow",
    "FindingRow",
    "Inputs",
    "KnowledgeBase",
    "SkillRef",
    "input_digest",
    "load",
    "ntriples_of",
    "read_inputs",
    "source_files",
]


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
class FindingRow:
    """What a source reports (our words), where it was read and when."""

    id: str
    kind: str
    statement: str
    url: str
    part: str
    read: str

    @property
    def kind_label(self) -> str:
        """The kind of statement, in words (a study's result, a review's conclusion, ...)."""
        from kb.models import FINDING_KIND_LABELS

        name = {"studyresult": "result", "reviewconclusion": "conclusion"}.get(self.kind, self.kind)
        name = {"theoreticalposition": "theory"}.get(name, name)
        return FINDING_KIND_LABELS.get(name, name)


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
    findings: tuple[FindingRow, ...] = ()
    review: str | None = None

    @property
    def title_only(self) -> bool:
        """The link rests on the reference's title alone."""
        return self.basis == "title"


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
        """Every reference of the bib, by key."""
        return self.inputs.references

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
        """The knowledge base as an rdflib Graph (built on first use; not the ontology)."""
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
        """One worksheet by id (the only one if there is just one)."""
        if ws_id is None and len(self.worksheets) == 1:
            return self.worksheets[0]
        for ws in self.worksheets:
            if ws.worksheet.id == ws_id:
                return ws
        ids = [w.worksheet.id for w in self.worksheets]
        known = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
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
        found: dict[tuple[str, str], list[FindingRow]] = {}
        for f in self.store.select(queries.FINDINGS_FOR_SKILL, {"skill": ref.iri}):
            found.setdefault((str(f["claimId"]), str(f["key"])), []).append(
                FindingRow(
                    id=str(f["findingId"]),
                    kind=str(f["findingKind"]),
                    statement=str(f["statement"]),
                    url=str(f["url"]),
                    part=str(f["part"]),
                    read=str(f["read"]),
                )
            )
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
                findings=tuple(found.get((str(r["claimId"]), str(r["key"])), ())),
                review=_review_status(r["agreed"], r["resolution"]),
            )
            for r in rows
        ]

    def query(self, sparql: str, *, limit: int | None = None) -> object:
        """Run a user's read-only SPARQL query (see ``kb.sparql.run_user_query``)."""
        from kb.sparql import run_user_query

        return run_user_query(self.store, sparql, limit=limit)


def _opt(value: Value) -> str | None:
    return None if value is None else str(value)


def _review_status(agreed: Value, resolution: Value) -> str | None:
    """ "agreed", "resolved: HOW", or None for a link without a recorded second review."""
    if agreed is None:
        return None
    if agreed is True or str(agreed).lower() == "true":
        return "agreed"
    return f"resolved: {resolution}" if resolution else "resolved"


def _kind_slug(kind: str) -> str:
    return {
        "EmpiricalAssertion": "empirical",
        "Recommendation": "recommendation",
        "Definition": "definition",
    }.get(kind, kind)


@dataclass(frozen=True)
class Inputs:
    """The curated inputs of a knowledge base, read and checked."""

    bib_path: Path
    folders: list[Path]
    references: dict[str, Reference]
    worksheets: list[WorksheetData]

    @property
    def sources(self) -> list[Path]:
        """Every input file: the bib, then each worksheet folder's files."""
        return source_files(self.bib_path, self.folders)

    def narrow(self, worksheet_ids: Sequence[str]) -> Inputs:
        """Only these worksheets (all references stay: the bib is shared)."""
        known = {
            ws.worksheet.id: (folder, ws)
            for folder, ws in zip(self.folders, self.worksheets, strict=True)
        }
        missing = [w for w in worksheet_ids if w not in known]
        if missing:
            raise KbError(
                f"unknown worksheet '{missing[0]}'; known: {', '.join(sorted(known))}",
                record="--worksheet",
            )
        chosen = [known[w] for w in dict.fromkeys(worksheet_ids)]
        return Inputs(
            bib_path=self.bib_path,
            folders=[folder for folder, _ in chosen],
            references=self.references,
            worksheets=[ws for _, ws in chosen],
        )


def source_files(bib_path: Path, folders: Sequence[Path]) -> list[Path]:
    """The bib and every curated file of each worksheet folder."""
    return [bib_path] + [path for folder in folders for path in worksheet_files(folder)]


def _data_paths(data: Sequence[Path | str] | Path | str | None) -> list[Path]:
    if data is None:
        return [DATA_DIR]
    if isinstance(data, str | Path):
        return [Path(data)]
    return [Path(d) for d in data]


def read_inputs(
    bib: Path | str | None = None, data: Sequence[Path | str] | Path | str | None = None
) -> Inputs:
    """Read and validate the bib and the worksheets; any bad input raises KbError."""
    bib_path = Path(bib) if bib is not None else DEFAULT_BIB
    folders = find_worksheet_dirs(_data_paths(data))
    with _reading(bib_path, folders) as (references, worksheets):
        return Inputs(bib_path, folders, references, list(worksheets))


PARALLEL_FROM = 64  # worksheets; below this, starting worker processes costs more than it saves


@contextlib.contextmanager
def _reading(
    bib_path: Path, folders: list[Path]
) -> Iterator[tuple[dict[str, Reference], Iterator[WorksheetData]]]:
    """The bib's references, and the worksheets as they are parsed and checked, in order.

    From PARALLEL_FROM worksheets on, worker processes parse the YAML (the slowest step: pure
    Python) while this process parses the bib and turns what arrives into triples.
    """
    workers = min(os.cpu_count() or 1, 4)
    # fork only from a single-threaded process (a fork copies no other thread, so a lock one
    # of them holds would stay locked); elsewhere (a Streamlit server) parse here, in order
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if len(folders) < PARALLEL_FROM or workers < 2 or threading.active_count() > 1 or not forkable:
        references = {r.key: r for r in load_bib(bib_path)}
        yield references, _checked(map(load_worksheet, folders), folders, references)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parsed = pool.imap(_parse_worksheet, folders, chunksize=8)
        references = {r.key: r for r in load_bib(bib_path)}
        yield references, _checked(map(_unwrap, parsed), folders, references)


def _parse_worksheet(folder: Path) -> tuple[WorksheetData | None, tuple[Any, ...]]:
    """In a worker: one worksheet, or the KbError's fields (they survive pickling)."""
    try:
        return load_worksheet(folder), ()
    except KbError as exc:
        return None, (exc.message, exc.path, exc.record, exc.exit_code)


def _unwrap(result: tuple[WorksheetData | None, tuple[Any, ...]]) -> WorksheetData:
    data, error = result
    if data is None:
        message, path, record, code = error
        raise KbError(message, path=path, record=record, exit_code=code)
    return data


def _checked(
    parsed: Iterator[WorksheetData], folders: list[Path], references: dict[str, Reference]
) -> Iterator[WorksheetData]:
    seen: dict[str, Path] = {}
    appraised: dict[tuple[str, str], tuple[Path, object]] = {}
    for folder, ws in zip(folders, parsed, strict=True):
        validate_against_bib(ws, references, folder)
        check_appraisals(ws, folder, appraised)
        if ws.worksheet.id in seen:
            raise KbError(
                f"worksheet id '{ws.worksheet.id}' is also used by {seen[ws.worksheet.id]}",
                path=folder / FILES["worksheet"],
            )
        seen[ws.worksheet.id] = folder
        yield ws


@functools.cache
def ontology_ntriples() -> bytes:
    """ontology/kb.ttl as N-Triples (empty if the file is absent), parsed by Oxigraph."""
    from kb.paths import ONTOLOGY

    if not ONTOLOGY.exists():
        return b""
    triples = ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def ntriples_of(inputs: Inputs) -> Iterator[bytes]:
    """The whole knowledge base as N-Triples chunks: its triples, then the ontology's."""
    return _ntriples(inputs.references, inputs.worksheets, inputs.sources)


def _ntriples(
    references: dict[str, Reference], worksheets: Iterable[WorksheetData], sources: list[Path]
) -> Iterator[bytes]:
    yield from ntriples_chunks(iter_triples(references.values(), worksheets, sources))
    yield ontology_ntriples()


def _build_into(
    open_fresh: Callable[[], OxigraphStore], bib_path: Path, folders: list[Path]
) -> tuple[OxigraphStore, Inputs]:
    """Read, check and load in one stream (triples go in as worksheets arrive). The store is
    opened after any worker processes have started (they fork from a process without it)."""
    kept: list[WorksheetData] = []

    def keep(worksheets: Iterator[WorksheetData]) -> Iterator[WorksheetData]:
        for ws in worksheets:
            kept.append(ws)
            yield ws

    with _reading(bib_path, folders) as (references, worksheets):
        kb_store = open_fresh()
        sources = source_files(bib_path, folders)
        kb_store.load_chunks(_ntriples(references, keep(worksheets), sources))
    return kb_store, Inputs(bib_path, folders, references, kept)


def input_digest(bib_path: Path, folders: Sequence[Path]) -> str:
    """SHA-256 over every input file, the ontology and the code that turns them into triples."""
    from kb import __version__
    from kb.paths import ONTOLOGY, PACKAGE_DIR

    digest = hashlib.sha256(f"kb-store/1 kb/{__version__}\n".encode())
    code = [PACKAGE_DIR / f"{m}.py" for m in ("rdf", "models", "namespaces", "bib", "curation")]
    for path in [*code, ONTOLOGY, *source_files(bib_path, folders)]:
        digest.update(f"{path.parent.name}/{path.name}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.exists() else b"-")
    return digest.hexdigest()


def load(
    bib: Path | str | None = None,
    data: Sequence[Path | str] | Path | str | None = None,
    store: str = "memory",
) -> KnowledgeBase:
    """Load, validate and build the knowledge base; any bad input raises KbError.

    ``store``: ``memory`` builds in memory; ``oxigraph:PATH`` opens the store at PATH as it is
    when its recorded input digest matches (records are then read on first use), and rebuilds
    it otherwise; ``sparql:URL`` queries an endpoint filled by ``kb push``, after checking it
    holds a build of these very inputs.
    """
    bib_path = Path(bib) if bib is not None else DEFAULT_BIB
    folders = find_worksheet_dirs(_data_paths(data))

    def read() -> Inputs:
        return read_inputs(bib_path, folders)

    if store.startswith("oxigraph:"):
        return _open_persistent(store, bib_path, folders, read)
    if store.startswith("sparql:"):
        remote = open_store(store)
        _check_endpoint(remote, source_files(bib_path, folders), store)
        return KnowledgeBase(store=remote, bib_path=bib_path, data_dirs=folders, _read=read)
    if store != "memory":
        open_store(store)  # the usage error for an unknown kind of store, before any reading
    kb_store, inputs = _build_into(lambda: _fresh(store), bib_path, folders)
    return KnowledgeBase(store=kb_store, bib_path=bib_path, data_dirs=folders, _inputs=inputs)


_DIGEST_KEY = "input-sha256"


def _fresh(spec: str) -> OxigraphStore:
    """An embedded store to build into (a persistent one is first marked unbuilt)."""
    kb_store = open_store(spec)
    if not isinstance(kb_store, OxigraphStore):
        raise KbError(f"cannot build into {spec}", record="--store")
    kb_store.set_meta(_DIGEST_KEY, None)
    return kb_store


def _open_persistent(
    spec: str, bib_path: Path, folders: list[Path], read: Callable[[], Inputs]
) -> KnowledgeBase:
    digest = input_digest(bib_path, folders)
    path = Path(spec.removeprefix("oxigraph:"))
    if path.is_dir() and any(path.iterdir()):
        existing = open_store(spec, read_only=True)
        if existing.meta(_DIGEST_KEY) == digest:
            return KnowledgeBase(store=existing, bib_path=bib_path, data_dirs=folders, _read=read)
        del existing
    fresh, inputs = _build_into(lambda: _fresh(spec), bib_path, folders)
    fresh.set_meta(_DIGEST_KEY, digest)
    return KnowledgeBase(store=fresh, bib_path=bib_path, data_dirs=folders, _inputs=inputs)


_BUILD_SOURCES = """
SELECT ?name ?sha WHERE {
  ?build a kb:BuildActivity ; prov:used ?source .
  ?source dcterms:title ?name ; kb:sha256 ?sha .
}
"""


def _check_endpoint(remote: Store, sources: list[Path], spec: str) -> None:
    """The endpoint must hold a build of exactly these input files (same names, same bytes)."""
    local: dict[str, str] = {}
    titles: dict[str, str] = {}
    for s, p, o in iter_triples([], [], sources):
        if p == DCTERMS.title:
            titles[str(s)] = str(o)
        elif p == KB.sha256:
            local[str(s)] = str(o)
    expected = {titles[s]: sha for s, sha in local.items()}
    found = {str(r["name"]): str(r["sha"]) for r in remote.select(_BUILD_SOURCES)}
    url = spec.removeprefix("sparql:")
    if not found:
        raise KbError(
            f"the endpoint holds no knowledge base; run `kb push --endpoint {url}`",
            record="--store",
        )
    differ = sorted(n for n in expected.keys() | found.keys() if expected.get(n) != found.get(n))
    if differ:
        raise KbError(
            f"the endpoint holds another build ({len(differ)} input file(s) differ, first "
            f"{differ[0]}); run `kb push --endpoint {url}` to update it",
            record="--store",
        )
