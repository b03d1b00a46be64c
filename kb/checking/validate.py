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
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.checking.state import (
    STATE_VERSION,
    Kept,
    KeptHashes,
    Sheet,
    cited,
    distinct,
    hash_file,
    read_state,
    sheet_of,
    spans,
    state_path,
)
from kb.checking.workers import run_units
from kb.core.inputs import Inputs
from kb.core.loader import input_digest, read_inputs
from kb.errors import KbError
from kb.files import file_sha256, read_input, write_atomic
from kb.paths import SHAPES
from kb.rdf.shacl import Engine, Violation
from kb.rdf.triples import iter_triples
from kb.rdf.units import note_triples, shared_triples, topic_triples
from kb.records.bib import parse_bib
from kb.records.checks import APPRAISAL_FIELDS, check_appraisals, validate_against_bib
from kb.records.models import Reference, ReferenceNote, Topic
from kb.records.worksheet import FILES, find_worksheet_dirs, load_worksheet, worksheet_files
from kb.store.ntriples import ntriples_lines

__all__ = ["CheckResult", "check", "state_path", "unit_ntriples"]  # state_path: kb.checking.state

LIBRARY_CHUNK = 500  # references per library unit (a unit of 16k took 64 s, one core only)
LIBRARY, AGENTS = "library:", "agents"
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
    awaiting: list[str] = field(default_factory=list)  # links awaiting resolution: reported only
    violations: list[Violation] = field(default_factory=list)
    validated: list[str] = field(default_factory=list)  # units validated in this run
    units: int = 0
    state: Path | None = None

    @property
    def conforms(self) -> bool:
        """No SHACL violation in any unit."""
        return not self.violations


def _sha(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _files_digest(folder: Path) -> str:
    """The worksheet's files by name and content (a missing or unreadable one counts as such:
    reading the worksheet then reports it)."""
    return _sha(*(f"{p.name}:{_file_sha(p)}" for p in worksheet_files(folder)))


def _file_sha(path: Path) -> str:
    return file_sha256(path) or "-"


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
    bib_digest = hashlib.sha256(read_input(bib, "bib file").encode()).hexdigest()  # readable?
    code = _sha(input_digest(bib, []), SHAPES.read_bytes(), engine)  # code, ontology, shapes
    digests = {str(f): _files_digest(f) for f in folders}
    old = read_state(state)
    reuse = old.get("code") == code and old.get("bib") == bib_digest and old.get("spans")
    job = _Job(bib, folders, engine, state)
    if reuse:
        job.incremental(old, digests)
    else:
        job.full(digests)
    return job.finish(code, bib_digest, old if reuse else {}, progress)


def unit_ntriples(bib: Path, data: Sequence[Path]) -> dict[str, list[str]]:
    """Each unit's N-Triples lines, by unit name (worksheet folder, ``library:N``, ``agents``):
    what ``check`` validates, for tests and for looking at one unit."""
    job = _Job(bib, find_worksheet_dirs(data), "turbo", Path(os.devnull))
    job.full({str(f): _files_digest(f) for f in job.folders})
    names = [*job.library_units(), *job.sheets]
    return {name: list(dict.fromkeys(ntriples_lines(job.unit_triples(name)))) for name in names}


class _Job:
    """One run of the check: the worksheets, the references needed, and the units to validate."""

    def __init__(self, bib: Path, folders: list[Path], engine: Engine, state: Path):
        self.bib, self.folders, self.engine, self.state = bib, folders, engine, state
        self.sheets: dict[str, Sheet] = {}
        self.references: dict[str, Reference] = {}
        self.bib_keys: list[str] = []
        self.spans: dict[str, list[int]] | None = None
        self.notes: dict[str, list[dict[str, Any]]] = {}
        self.topics: dict[str, dict[str, Any]] = {}
        self._said_cache: dict[str, str] = {}
        self.uncited: list[str] = []

    def full(self, digests: dict[str, str]) -> None:
        """Read everything (in parallel, with every record check of ``kb.load``)."""
        inputs: Inputs = read_inputs(self.bib, self.folders)
        self.references = inputs.references
        self.bib_keys = sorted(inputs.references)
        self.spans = spans(self.bib, inputs.references)
        for folder, ws in zip(self.folders, inputs.worksheets, strict=True):
            self.sheets[str(folder)] = sheet_of(digests[str(folder)], ws)
        self._merge()

    def incremental(self, old: dict[str, Any], digests: dict[str, str]) -> None:
        """Re-read only worksheets whose files changed; check them against the kept records of
        the others exactly as a full read would (ids unique, appraisals agree, keys in the bib)."""
        self.bib_keys, self.spans = old["keys"], old["spans"]
        kept = old.get("worksheets", {})
        changed = [f for f in self.folders if kept.get(str(f), {}).get("files") != digests[str(f)]]
        parsed = {str(f): load_worksheet(f) for f in changed}
        needed = {k for ws in parsed.values() for k in cited(ws)}
        self.references = self._parse_entries(needed)
        seen_ids: dict[str, Path] = {}
        seen: dict[tuple[str, str], tuple[Path, object]] = {}
        for folder in self.folders:
            name = str(folder)
            if name in parsed:
                ws = parsed[name]
                validate_against_bib(ws, self.references, folder)
                check_appraisals(ws, folder, seen)
                sheet = sheet_of(digests[name], ws)
            else:
                sheet = Sheet(**kept[name])
                for note in sheet.notes:  # what check_appraisals would have recorded
                    for fname in APPRAISAL_FIELDS:
                        if note[fname] is not None:
                            seen.setdefault((note["key"], fname), (folder, note[fname]))
                for fid, dump in sheet.findings.items():
                    seen.setdefault(("finding", fid), (folder, Kept(dump)))
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

    def _topic_ids(self, name: str) -> list[str]:
        """The topics a unit needs: its own, its references' subjects, and their ancestors."""
        notes = (n for k in self.keys_of(name) for n in self.notes.get(k, []))
        wanted = [t for n in notes for t in n["topics"]]
        sheet = self.sheets.get(name)
        wanted += [] if sheet is None else [t["id"] for t in sheet.topics]
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
        lines = read_input(self.bib, "bib file").splitlines(keepends=True)
        wanted = sorted(self.spans[k] for k in keys if k in self.spans)
        if not wanted:
            return {}
        pieces, line = [], 1
        for start, end in wanted:
            pieces += ["\n" * (start - line), *lines[start - 1 : end]]
            line = end + 1
        return {r.key: r for r in parse_bib("".join(pieces), self.bib)}

    def library_units(self) -> list[str]:
        """The references no worksheet cites, in chunks (a cited one is checked whole in each
        worksheet that cites it), and the agents and journals of every reference."""
        cited = {k for sheet in self.sheets.values() for k in sheet.cited}
        self.uncited = [k for k in self.bib_keys if k not in cited]
        chunks = range(0, len(self.uncited), LIBRARY_CHUNK)
        return [*(f"{LIBRARY}{i // LIBRARY_CHUNK}" for i in chunks), AGENTS]

    def keys_of(self, name: str) -> list[str]:
        """The references a unit holds."""
        if name == AGENTS:
            return self.bib_keys
        if name.startswith(LIBRARY):
            at = int(name.removeprefix(LIBRARY)) * LIBRARY_CHUNK
            return self.uncited[at : at + LIBRARY_CHUNK]
        return self.sheets[name].cited

    def unit_digest(self, name: str, code: str, bib: str) -> str:
        """Everything a unit's triples depend on: the code, the bib, the worksheet's files, what
        any worksheet says about its references, and the topics it uses."""
        if name == AGENTS:
            return _sha(code, bib, AGENTS)
        sheet = self.sheets.get(name)
        notes = [self._said(k) for k in self.keys_of(name)]
        topics = [repr(self.topics[t]) for t in self._topic_ids(name)]
        return _sha(code, bib, name if sheet is None else sheet.files, *notes, *topics)

    def _said(self, key: str) -> str:
        """A digest of what the worksheets say about one reference (computed once per key)."""
        if key not in self._said_cache:
            self._said_cache[key] = _sha(*map(repr, self.notes.get(key, [])))
        return self._said_cache[key]

    def finish(
        self, code: str, bib: str, old: dict[str, Any], progress: Progress | None
    ) -> CheckResult:
        units = [(name, self.unit_digest(name, code, bib)) for name in self.library_units()]
        units += [(name, self.unit_digest(name, code, bib)) for name in self.sheets]
        kept = KeptHashes(self.state, old)
        clean = set(old.get("clean", []))
        stale = [(n, d) for n, d in units if d not in clean or kept.get(d) is None]
        need = {k for name, _ in stale for k in self.keys_of(name)}
        missing = need - self.references.keys()
        if missing:
            self.references.update(self._parse_entries(missing))
        for name, _ in stale:
            sheet = self.sheets.get(name)
            if sheet is not None and sheet.data is None:
                sheet.data = load_worksheet(Path(name))
        results = run_units(self, stale, progress)
        violations = {v for found, _ in results.values() for v in found}  # shared nodes: once
        hashes = {d: results[(n, d)][1] if (n, d) in results else kept.get(d) for n, d in units}
        everything = sorted(d for _, d in units)
        if not stale and old.get("triples", [None])[0] == _sha(*everything):
            triples = int(old["triples"][1])  # same units as last time: same union
        else:
            triples = distinct(b"".join(b for b in hashes.values() if b))
        now_clean = [d for n, d in units if (n, d) not in results or not results[(n, d)][0]]
        if stale or old.get("worksheets", {}).keys() != self.sheets.keys():
            self._save(code, bib, clean=now_clean, units=units, hashes=hashes,
                       triples=[_sha(*everything), triples])  # fmt: skip
        orphaned = [c for s in self.sheets.values() for c in s.counts["orphaned"]]
        awaiting = [x for s in self.sheets.values() for x in s.counts.get("awaiting", [])]
        return CheckResult(
            worksheets=len(self.sheets),
            skills=sum(s.counts["skills"] for s in self.sheets.values()),
            claims=sum(s.counts["claims"] for s in self.sheets.values()),
            references=len(self.bib_keys),
            links=sum(s.counts["links"] for s in self.sheets.values()),
            triples=triples,
            orphaned=orphaned,
            awaiting=awaiting,
            violations=sorted(
                violations, key=lambda v: (v.shape, v.focus, v.path or "", v.message)
            ),
            validated=[name for name, _ in stale],
            units=len(units),
            state=self.state,
        )

    def _save(
        self,
        code: str,
        bib: str,
        *,
        clean: list[str],
        units: list[tuple[str, str]],
        hashes: dict[str, bytes | None],
        triples: list[Any],
    ) -> None:
        """The state file, and beside it the hashes of every unit's triples (one file)."""
        sheets = {
            name: {k: v for k, v in s.__dict__.items() if k != "data"}
            for name, s in self.sheets.items()
        }
        for name, digest in units:
            if name in sheets:
                sheets[name]["unit"] = digest
        index, blobs, at = {}, [], 0
        for digest, blob in hashes.items():
            if blob is not None:
                index[digest] = [at, len(blob)]
                blobs.append(blob)
                at += len(blob)
        state = {"version": STATE_VERSION, "code": code, "bib": bib, "keys": self.bib_keys,
                 "spans": self.spans, "clean": sorted(clean), "hashes": index, "triples": triples,
                 "worksheets": sheets}  # fmt: skip
        self.state.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(hash_file(self.state), b"".join(blobs))
        write_atomic(self.state, json.dumps(state, default=str))

    def unit_triples(self, name: str) -> Iterator[Any]:
        """The triples of one unit: a worksheet with its references, a chunk of the bib, both
        with what every worksheet says about those references and the topics they use; or every
        author and journal of the bib (one IRI may be spelled two ways by two references)."""
        refs = [self.references[k] for k in self.keys_of(name) if k in self.references]
        if name == AGENTS:
            yield from shared_triples(refs)
            yield from iter_triples([], [], [self.bib])  # the build's record of the bib
            return
        sheet = self.sheets.get(name)
        if sheet is None:
            yield from iter_triples(refs, [], [self.bib])
        else:
            assert sheet.data is not None
            ws = sheet.data.model_copy(update={"topics": []})  # topics come from the table
            yield from iter_triples(refs, [ws], worksheet_files(Path(name)))
        topics = [Topic.model_validate_json(json.dumps(self.topics[t]))
                  for t in self._topic_ids(name)]  # fmt: skip
        yield from topic_triples(topics)
        done: set[Any] = set()
        for key in self.keys_of(name):
            for dump in self.notes.get(key, []):
                yield from note_triples(ReferenceNote.model_validate_json(json.dumps(dump)), done)
