"""``kb check`` at any scale: SHACL per worksheet, in parallel, and only where inputs changed.

The graph is validated in units, never whole (one pySHACL call over a 1,000-worksheet library
ran 30 minutes at 3.3 GB):

- one unit per worksheet: its own triples, the references it prints, links or reads findings of
  (with their authors and journals), and the appraisals (design, level, ...) that *any*
  worksheet gives those references, since the graph holds them on the reference and rule 5
  reads them from a link;
- one library unit: every reference of the bib at once, so authors and journals shared by
  references (one IRI, possibly two spellings) are checked the way the whole graph would be.

No shape reaches further: every constraint starts at its focus node and follows its outgoing
edges to nodes whose types are in the same unit; topics are defined per worksheet (the whole
graph keeps the first definition, so a unit is at least as strict). ``tests/core/
test_checking.py`` compares the units with the whole graph.

Incremental: after a clean unit, its digest (the code, the shapes, the bib, the worksheet's
files and the appraisals it sees) is recorded in a state file, with the hashes of its triples
(the summary counts the union, as the whole graph would). The next check hashes the files
(never parses them), re-reads only worksheets whose digest changed, parses only the bib entries
they cite (the bib's entry spans are recorded), and re-validates only those units. The state
file lives beside a persistent store (``PATH.kb-check.json`` next to ``oxigraph:PATH``), and in
``build/cache/`` (``KB_CACHE_DIR``) otherwise, keyed by the input paths.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from rdflib import Graph
from rdflib.namespace import DCTERMS, SKOS

from kb.errors import KbError
from kb.files import write_atomic
from kb.knowledge_base import Inputs
from kb.loader import input_digest, read_inputs
from kb.narrow import keys_of
from kb.paths import BUILD_DIR, SHAPES
from kb.rdf.evidence_triples import _appraisal_triples
from kb.rdf.shacl import Engine, Violation, validate
from kb.rdf.iris import lit, reference_iri, topic_iri
from kb.rdf.namespaces import KB
from kb.rdf.triples import _topic_triples, iter_triples
from kb.records.bib import parse_bib, read_text
from kb.records.checks import APPRAISAL_FIELDS, check_appraisals, validate_against_bib
from kb.records.models import Finding, Reference, ReferenceNote, Topic, WorksheetData
from kb.records.worksheet import FILES, find_worksheet_dirs, load_worksheet, worksheet_files
from kb.store.http import ntriples_lines

__all__ = ["CheckResult", "check", "state_path"]

STATE_VERSION = 1
PARALLEL_FROM = 8  # stale units; below this, forking workers costs more than it saves
Progress = Callable[[int, int], None]


@dataclass
class CheckResult:
    """What ``kb check`` reports: counts, orphaned claims, SHACL violations, what was re-run."""

    worksheets: int
    skills: int
    claims: int
    references: int
    links: int
    triples: int
    orphaned: list[str]
    violations: list[Violation] = field(default_factory=list)
    validated: int = 0  # units validated in this run (the rest were clean and unchanged)
    units: int = 0
    state: Path | None = None

    @property
    def conforms(self) -> bool:
        """No SHACL violation in any unit."""
        return not self.violations


def state_path(store: str, bib: Path, folders: Sequence[Path]) -> Path:
    """Where the digests of the last check live: beside ``oxigraph:PATH``, else in the cache."""
    if store.startswith("oxigraph:"):
        path = Path(store.removeprefix("oxigraph:")).expanduser().resolve()
        return path.parent / f"{path.name}.kb-check.json"
    key = "\n".join(str(p.resolve()) for p in [bib, *folders])
    cache = Path(os.environ.get("KB_CACHE_DIR") or BUILD_DIR / "cache")
    return cache / f"check-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def _sha(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _files_digest(folder: Path) -> str:
    return _sha(*(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}"
                  for p in worksheet_files(folder)))  # fmt: skip


def check(
    bib: Path,
    data: Sequence[Path],
    *,
    state: Path,
    engine: Engine = "turbo",
    progress: Progress | None = None,
) -> CheckResult:
    """Check the inputs (records, quotes, SHACL); bad records raise KbError as on load.

    ``state``: the state file to reuse and update (``state_path``).
    """
    folders = find_worksheet_dirs(data)
    code = _sha(input_digest(bib, []), SHAPES.read_bytes(), engine)  # code, ontology, shapes
    bib_digest = hashlib.sha256(read_text(bib, "bib file").encode()).hexdigest()
    digests = {str(f): _files_digest(f) for f in folders}
    old = _read_state(state)
    reuse = old.get("code") == code and old.get("bib") == bib_digest and old.get("spans")
    job = _Job(bib, folders, engine, state)
    if reuse:
        job.incremental(old, digests)
    else:
        job.full(digests)
    return job.finish(code, bib_digest, old if reuse else {}, progress)


@dataclass
class _Sheet:
    """What the state keeps of one worksheet: enough to check the others without reading it."""

    files: str
    id: str
    cited: list[str]
    notes: list[dict[str, Any]]  # its ReferenceNotes (what it says about references), as JSON
    topics: list[dict[str, Any]]  # its Topics, as JSON
    findings: dict[str, Any]
    counts: dict[str, Any]
    unit: str = ""  # digest of its unit when last clean
    data: WorksheetData | None = None  # parsed in this run


def _cited(ws: WorksheetData) -> list[str]:
    return sorted({*keys_of(ws), *(f.reference for f in ws.findings)})


def _sheet(files: str, ws: WorksheetData) -> _Sheet:
    return _Sheet(
        files=files,
        id=ws.worksheet.id,
        cited=_cited(ws),
        notes=[n.model_dump(mode="json") for n in ws.references],
        topics=[t.model_dump(mode="json") for t in ws.topics],
        findings={f.id: f.model_dump(mode="json") for f in ws.findings},
        counts={
            "skills": len(ws.skills),
            "claims": len(ws.claims),
            "links": len(ws.links),
            "orphaned": [c.id for c in ws.claims if c.orphaned],
        },
        data=ws,
    )


class _Job:
    """One run of the check: the worksheets, the references needed, and the units to validate."""

    def __init__(self, bib: Path, folders: list[Path], engine: Engine, state: Path):
        self.bib, self.folders, self.engine, self.state = bib, folders, engine, state
        self.sheets: dict[str, _Sheet] = {}
        self.references: dict[str, Reference] = {}
        self.bib_keys: list[str] = []
        self.spans: dict[str, list[int]] | None = None
        self.notes: dict[str, list[dict[str, Any]]] = {}
        self.topics: dict[str, dict[str, Any]] = {}

    def full(self, digests: dict[str, str]) -> None:
        """Read everything (in parallel, with every record check of ``kb.load``)."""
        inputs: Inputs = read_inputs(self.bib, self.folders)
        self.references = inputs.references
        self.bib_keys = sorted(inputs.references)
        self.spans = _spans(self.bib, inputs.references)
        for folder, ws in zip(self.folders, inputs.worksheets, strict=True):
            self.sheets[str(folder)] = _sheet(digests[str(folder)], ws)
        self._merge()

    def incremental(self, old: dict[str, Any], digests: dict[str, str]) -> None:
        """Re-read only worksheets whose files changed; check them against the kept records of
        the others exactly as a full read would (ids unique, appraisals agree, keys in the bib)."""
        self.bib_keys, self.spans = old["keys"], old["spans"]
        kept = old.get("worksheets", {})
        changed = [f for f in self.folders if kept.get(str(f), {}).get("files") != digests[str(f)]]
        parsed = {str(f): load_worksheet(f) for f in changed}
        needed = {k for ws in parsed.values() for k in _cited(ws)}
        self.references = self._parse_entries(needed)
        seen_ids: dict[str, Path] = {}
        seen: dict[tuple[str, str], tuple[Path, object]] = {}
        for folder in self.folders:
            name = str(folder)
            if name in parsed:
                ws = parsed[name]
                validate_against_bib(ws, self.references, folder)
                check_appraisals(ws, folder, seen)
                sheet = _sheet(digests[name], ws)
            else:
                sheet = _Sheet(**kept[name])
                for note in sheet.notes:  # what check_appraisals would have recorded
                    for fname in APPRAISAL_FIELDS:
                        if note[fname] is not None:
                            seen.setdefault((note["key"], fname), (folder, note[fname]))
                for fid, dump in sheet.findings.items():
                    finding = Finding.model_validate_json(json.dumps(dump))
                    seen.setdefault(("finding", fid), (folder, finding))
            if sheet.id in seen_ids:
                raise KbError(
                    f"worksheet id '{sheet.id}' is also used by {seen_ids[sheet.id]}",
                    path=folder / FILES["worksheet"],
                )
            seen_ids[sheet.id] = folder
            self.sheets[name] = sheet
        self._merge()

    def _merge(self) -> None:
        """What the worksheets say about references (notes, by key) and every topic (the first
        definition of an id, as the whole graph keeps it)."""
        for sheet in self.sheets.values():
            for note in sheet.notes:
                self.notes.setdefault(note["key"], []).append(note)
            for topic in sheet.topics:
                self.topics.setdefault(topic["id"], topic)

    def _topic_ids(self, sheet: _Sheet | None) -> list[str]:
        """The topics a unit needs: its own, its references' subjects, and their ancestors."""
        keys = self.bib_keys if sheet is None else sheet.cited
        wanted = [t for n in (n for k in keys for n in self.notes.get(k, [])) for t in n["topics"]]
        wanted += [] if sheet is None else [t["id"] for t in sheet.topics]
        if sheet is None:
            wanted = list(self.topics)
        found: dict[str, None] = {}
        while wanted:
            tid = wanted.pop()
            if tid in found or tid not in self.topics:
                continue
            found[tid] = None
            broader = self.topics[tid].get("broader")
            if broader:
                wanted.append(broader)
        return sorted(found)

    def _parse_entries(self, keys: set[str]) -> dict[str, Reference]:
        """Only these entries of the (unchanged) bib, at their own line numbers."""
        assert self.spans is not None
        lines = read_text(self.bib, "bib file").splitlines(keepends=True)
        wanted = sorted(self.spans[k] for k in keys if k in self.spans)
        if not wanted:
            return {}
        pieces, line = [], 1
        for start, end in wanted:
            pieces += ["\n" * (start - line), *lines[start - 1 : end]]
            line = end + 1
        return {r.key: r for r in parse_bib("".join(pieces), self.bib)}

    def unit_digest(self, sheet: _Sheet | None, code: str, bib: str) -> str:
        """Everything a unit's triples depend on: the code, the bib, the worksheet's files, what
        any worksheet says about its references, and the topics it uses."""
        keys = self.bib_keys if sheet is None else sheet.cited
        notes = [self.notes.get(k, []) for k in keys]
        topics = [self.topics[t] for t in self._topic_ids(sheet)]
        own = "library" if sheet is None else sheet.files
        return _sha(code, bib, own, json.dumps([notes, topics], sort_keys=True))

    def finish(
        self, code: str, bib: str, old: dict[str, Any], progress: Progress | None
    ) -> CheckResult:
        units: list[tuple[str, str]] = [("library", self.unit_digest(None, code, bib))]
        units += [(name, self.unit_digest(s, code, bib)) for name, s in self.sheets.items()]
        clean = set(old.get("clean", []))
        stale = [(name, digest) for name, digest in units if digest not in clean]
        need = {k for name, _ in stale if name != "library" for k in self.sheets[name].cited}
        if any(name == "library" for name, _ in stale):
            need = set(self.bib_keys)
        missing = need - self.references.keys()
        if missing:
            self.references.update(self._parse_entries(missing))
        for name, _ in stale:
            sheet = self.sheets.get(name)
            if sheet is not None and sheet.data is None:
                sheet.data = load_worksheet(Path(name))
        results = _run_units(self, stale, progress)
        violations = {v for found in results.values() for v in found}  # shared nodes: once
        now_clean = {d for n, d in units if d in clean or not results.get((n, d), [None])}
        hashes = _hash_dir(self.state)
        total: set[int] = set()
        for _, digest in units:
            total.update(_read_hashes(hashes, digest))
        orphaned = [c for s in self.sheets.values() for c in s.counts["orphaned"]]
        self._save(code, bib, sorted(now_clean), units)
        return CheckResult(
            worksheets=len(self.sheets),
            skills=sum(s.counts["skills"] for s in self.sheets.values()),
            claims=sum(s.counts["claims"] for s in self.sheets.values()),
            references=len(self.bib_keys),
            links=sum(s.counts["links"] for s in self.sheets.values()),
            triples=len(total),
            orphaned=orphaned,
            violations=sorted(violations, key=lambda v: (v.shape, v.focus, v.path or "", v.message)),
            validated=len(stale),
            units=len(units),
            state=self.state,
        )

    def _save(self, code: str, bib: str, clean: list[str], units: list[tuple[str, str]]) -> None:
        kept = {
            name: {k: v for k, v in s.__dict__.items() if k != "data"}
            for name, s in self.sheets.items()
        }
        for name, digest in units[1:]:
            kept[name]["unit"] = digest
        state = {"version": STATE_VERSION, "code": code, "bib": bib, "keys": self.bib_keys,
                 "spans": self.spans, "clean": clean, "worksheets": kept}  # fmt: skip
        self.state.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.state, json.dumps(state, default=str))
        live = {f"{d}.u64" for _, d in units}
        for path in _hash_dir(self.state).glob("*.u64"):
            if path.name not in live:
                path.unlink(missing_ok=True)

    def unit_triples(self, name: str) -> Iterator[Any]:
        """The triples of one unit: a worksheet with its references, or the whole bib; both with
        what every worksheet says about those references and the topics they use."""
        sheet = None if name == "library" else self.sheets[name]
        keys = self.bib_keys if sheet is None else sheet.cited
        refs = [self.references[k] for k in keys if k in self.references]
        if sheet is None:
            yield from iter_triples(refs, [], [self.bib])
        else:
            assert sheet.data is not None
            ws = sheet.data.model_copy(update={"topics": []})  # topics come from the table
            yield from iter_triples(refs, [ws], worksheet_files(Path(name)))
        topics = [Topic.model_validate_json(json.dumps(self.topics[t]))
                  for t in self._topic_ids(sheet)]  # fmt: skip
        yield from _topic_triples(cast("WorksheetData", _Topics(topics)), set())
        done: set[Any] = set()
        for key in keys:
            for dump in self.notes.get(key, []):
                yield from note_triples(ReferenceNote.model_validate_json(json.dumps(dump)), done)


@dataclass(frozen=True)
class _Topics:
    """Stands in for a worksheet where only its topics are read (``_topic_triples``)."""

    topics: list[Topic]


def note_triples(note: ReferenceNote, done: set[Any]) -> Iterator[Any]:
    """What a worksheet's note says about the reference itself (the reference-side half of
    ``kb.rdf.evidence_triples.link_triples``; tests compare the units with the whole graph)."""
    ref = reference_iri(note.key)
    for tid in note.topics:
        yield ref, DCTERMS.subject, topic_iri(tid)
    for name in note.unverified:
        yield ref, KB.unverifiedField, lit(name)
    if note.verification_note:
        yield ref, SKOS.editorialNote, lit(note.verification_note)
    if note.background_only:
        yield ref, KB.backgroundOnly, lit(note.background_only)
    yield from _appraisal_triples(note, done)


def _spans(bib: Path, references: dict[str, Reference]) -> dict[str, list[int]] | None:
    """Each entry's first and last line, so a later check can parse only the entries it needs
    (None when the bib has @string or @preamble blocks: entries are then not self-contained)."""
    text = read_text(bib, "bib file")
    if re.search(r"^\s*@\s*(string|preamble)\b", text, re.IGNORECASE | re.MULTILINE):
        return None
    starts = sorted((r.line, r.key) for r in references.values())
    total = text.count("\n") + 1
    ends = [s - 1 for s, _ in starts[1:]] + [total]
    return {key: [start, end] for (start, key), end in zip(starts, ends, strict=True)}


def _read_state(path: Path | None) -> dict[str, Any]:
    if path is None or not path.exists():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged state only costs a full check
    return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else {}


def _hash_dir(state: Path) -> Path:
    """Beside the state file: the hashes of each clean unit's triples, one file per digest."""
    return state.with_suffix(".triples")


def _read_hashes(folder: Path, digest: str) -> array[int]:
    hashes: array[int] = array("Q")
    path = folder / f"{digest}.u64"
    if path.exists():
        hashes.frombytes(path.read_bytes())
    return hashes


# Set before the workers fork; they read it (copy-on-write) instead of receiving it pickled.
_CURRENT: _Job | None = None


def _validate_unit(task: tuple[str, str]) -> tuple[tuple[str, str], list[Violation]]:
    name, digest = task
    job = _CURRENT
    assert job is not None
    graph = Graph()
    hashes: array[int] = array("Q")
    for triple in job.unit_triples(name):
        graph.add(triple)
    for line in ntriples_lines(graph):
        hashes.append(int.from_bytes(hashlib.blake2b(line.encode(), digest_size=8).digest()))
    folder = _hash_dir(job.state)
    report = validate(graph, engine=job.engine)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / f"{digest}.u64", hashes.tobytes())
    return task, report.violations


def _run_units(
    job: _Job, stale: list[tuple[str, str]], progress: Progress | None
) -> dict[tuple[str, str], list[Violation]]:
    global _CURRENT  # noqa: PLW0603  (read by forked workers)
    _CURRENT = job
    results: dict[tuple[str, str], list[Violation]] = {}
    workers = min(os.cpu_count() or 1, 4)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    try:
        if len(stale) < PARALLEL_FROM or workers < 2 or not forkable or threading.active_count() > 1:
            answers: Iterator[tuple[tuple[str, str], list[Violation]]] = map(_validate_unit, stale)
            for task, found in answers:
                results[task] = found
                if progress:
                    progress(len(results), len(stale))
            return results
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for task, found in pool.imap_unordered(_validate_unit, stale, chunksize=4):
                results[task] = found
                if progress:
                    progress(len(results), len(stale))
        return results
    finally:
        _CURRENT = None
