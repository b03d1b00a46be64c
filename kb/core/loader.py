"""The one way a knowledge base is built or opened: ``load()``.

Reads and checks the curated inputs (in worker processes for large libraries), streams their
triples into a store, and for a persistent store (``oxigraph:PATH``) reuses it when its recorded
input digest matches; for an endpoint (``sparql:URL``) checks that it holds a build of these
very inputs. The store spec is parsed in ``kb.store.spec`` only.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kb import settings
from kb.core.inputs import Inputs, ontology_ntriples, records_ntriples, source_files
from kb.core.knowledge_base import KnowledgeBase
from kb.errors import KbError
from kb.paths import DATA_DIR, DEFAULT_BIB
from kb.queries import KEPT, sparql
from kb.rdf.terms import STANDARD_PREFIXES, kb_term
from kb.records.worksheet_files import find_worksheet_dirs, source_name
from kb.store import cache
from kb.store.file_hashes import FileHashes, memo_path
from kb.store.spec import MEMORY, StoreSpec, open_store, parse_spec

if TYPE_CHECKING:  # reading and building load these; a store answered from cache does not
    from kb.records.models import Reference, WorksheetData
    from kb.store.base import Store

__all__ = ["input_digest", "load", "read_inputs"]


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
    from kb.core.streaming import can_fork, fed_pool
    from kb.records.bib import load_bib
    from kb.records.worksheet import load_worksheet

    if len(folders) < PARALLEL_FROM or not can_fork():
        references = {r.key: r for r in load_bib(bib_path)}
        yield references, _checked(map(load_worksheet, folders), folders, references)
        return
    with fed_pool(_parse_worksheet, folders, chunksize=8) as (parsed, ahead):

        def taken(results: Iterator[WorksheetData | KbError]) -> Iterator[WorksheetData]:
            for result in results:
                ahead.release()
                yield _unwrap(result)

        references = {r.key: r for r in load_bib(bib_path)}
        yield references, _checked(taken(parsed), folders, references)


def _parse_worksheet(folder: Path) -> WorksheetData | KbError:
    """In a worker: one worksheet, or the KbError it raised (errors pickle whole)."""
    from kb.records.worksheet import load_worksheet

    try:
        return load_worksheet(folder)
    except KbError as exc:
        return exc


def _unwrap(result: WorksheetData | KbError) -> WorksheetData:
    if isinstance(result, KbError):
        raise result
    return result


def _checked(
    parsed: Iterator[WorksheetData], folders: list[Path], references: dict[str, Reference]
) -> Iterator[WorksheetData]:
    from kb.core.streaming import Checks

    checks = Checks()
    for folder, ws in zip(folders, parsed, strict=True):
        checks.check(ws, folder, references)
        yield ws


def _build_into(
    open_fresh: Callable[[], Store], bib_path: Path, folders: list[Path]
) -> tuple[Store, Inputs]:
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
        kb_store.load_chunks(records_ntriples(references, keep(worksheets), sources))
    return kb_store, Inputs(bib_path, folders, references, kept)


def _stream_into(open_fresh: Callable[[], Store], bib_path: Path, folders: list[Path]) -> Store:
    """Read, check and load a persistent store keeping no record. From PARALLEL_FROM
    worksheets on, worker processes make the N-Triples (``kb.core.streaming``); otherwise a
    worksheet is dropped once its triples are written, and each reference once its triples are
    (only the keys stay, for checking the worksheets against the bib). Commands needing records
    read them again."""
    from kb.core.streaming import can_fork, parallel_ntriples, record_lines
    from kb.rdf.triples import iter_triples
    from kb.store.ntriples import ntriples_chunks

    sources = source_files(bib_path, folders)
    kept: list[str] = []  # the references' records (``record_lines``): the store keeps them
    if len(folders) >= PARALLEL_FROM and can_fork():
        with parallel_ntriples(bib_path, folders, sources, kept) as chunks:
            kb_store = open_fresh()  # after the workers have forked
            kb_store.load_chunks(itertools.chain(chunks, [ontology_ntriples()]))
        kb_store.keep_records("reference", kept)
        return kb_store
    with _reading(bib_path, folders) as (references, worksheets):
        kb_store = open_fresh()

        def each_reference_once() -> Iterator[Reference]:
            for key in list(references):
                kept.extend(record_lines([references[key]]))
                yield references[key]
                references[key] = _KEY_ONLY  # membership is all the worksheet checks need

        triples = iter_triples(each_reference_once(), worksheets, sources)
        kb_store.load_chunks(itertools.chain(ntriples_chunks(triples), [ontology_ntriples()]))
    kb_store.keep_records("reference", kept)
    return kb_store


_KEY_ONLY = cast("Reference", None)


# The folders whose code turns curated records into triples (a persistent store rebuilds when any
# of their modules changes).
BUILD_CODE = ("records", "rdf")


def input_digest(bib_path: Path, folders: Sequence[Path], hashes: FileHashes | None = None) -> str:
    """SHA-256 over every input file, the ontology and the code that turns them into triples
    (``hashes`` may remember the files' own hashes by their stat, beside a persistent store)."""
    from kb.paths import ONTOLOGY, PACKAGE_DIR
    from kb.version import __version__

    hashes = hashes or FileHashes()
    digest = hashlib.sha256(f"kb-store/1 kb/{__version__}\n".encode())
    # the build code by folder: whatever module is added to records/ or rdf/ is covered
    code = sorted(p for layer in BUILD_CODE for p in (PACKAGE_DIR / layer).rglob("*.py"))
    # these modules decide what a store keeps beside its triples, make them in parallel, and
    # read and write the cache
    code += [Path(__file__), Path(__file__).with_name("streaming.py")]
    code += [PACKAGE_DIR / "store" / "cache.py", PACKAGE_DIR / "store" / "oxigraph.py"]
    for path in [*code, ONTOLOGY, *source_files(bib_path, folders)]:
        digest.update(f"{source_name(path)}\n".encode())
        digest.update(hashes.sha256(path) or b"-")
    return digest.hexdigest()


def load(
    bib: Path | str | None = None,
    data: Sequence[Path | str] | Path | str | None = None,
    store: str | StoreSpec = "memory",
    *,
    cache: bool | None = None,
) -> KnowledgeBase:
    """Load, validate and build the knowledge base; any bad input raises KbError.

    ``store``: ``memory`` builds in memory; ``oxigraph:PATH`` opens the store at PATH as it is
    when its recorded input digest matches (records are then read on first use), and rebuilds
    it otherwise; ``sparql:URL`` queries an endpoint filled by ``kb push``, after checking it
    holds a build of these very inputs. A spec the caller parsed (``kb.store.spec``) passes
    through as it is.

    ``cache``: whether ``memory`` may be answered from a cached build of the very same inputs
    (``kb.store.cache``; None: as ``KB_STORE_CACHE`` says, on by default); False builds it from
    the files now.
    """
    bib_path = Path(bib) if bib is not None else DEFAULT_BIB
    folders = find_worksheet_dirs(_data_paths(data))

    def read() -> Inputs:
        return read_inputs(bib_path, folders)

    spec = parse_spec(store)  # a usage error for an unknown kind of store, before any reading
    if spec.kind == "oxigraph":
        return _open_persistent(spec, bib_path, folders, read)
    if spec.kind == "sparql":
        remote = open_store(spec)
        _check_endpoint(remote, source_files(bib_path, folders), spec)
        return KnowledgeBase(store=remote, bib_path=bib_path, data_dirs=folders, _read=read)
    if settings.store_cache() if cache is None else cache:
        return _open_cached(bib_path, folders, read)
    kb_store, inputs = _build_into(lambda: _fresh(spec), bib_path, folders)
    return KnowledgeBase(store=kb_store, bib_path=bib_path, data_dirs=folders, _inputs=inputs)


def _open_cached(bib_path: Path, folders: list[Path], read: Callable[[], Inputs]) -> KnowledgeBase:
    """The default store from the cache (``kb.store.cache``) when it holds a build of these
    very inputs (its records then read on first use, as from a reopened persistent store);
    else built from the files, with the views and records a reopened store keeps, and cached."""
    folder = settings.cache_dir()
    key = cache.cache_key(input_digest(bib_path, folders))
    cached = cache.open_cached(folder, key)
    if cached is not None:
        return KnowledgeBase(store=cached, bib_path=bib_path, data_dirs=folders, _read=read)
    from kb.core.streaming import record_lines

    kb_store, inputs = _build_into(lambda: _fresh(MEMORY), bib_path, folders)
    keep_views(kb_store)
    kb_store.keep_records("reference", record_lines(inputs.references.values()))
    cache.save(folder, key, kb_store)
    return KnowledgeBase(store=kb_store, bib_path=bib_path, data_dirs=folders, _inputs=inputs)


_DIGEST_KEY = "input-sha256"


def _fresh(spec: StoreSpec) -> Store:
    """An embedded store to build into (a persistent one is first marked unbuilt)."""
    kb_store = open_store(spec)
    if not kb_store.buildable:
        raise KbError(f"cannot build into {spec}", record="store")
    kb_store.set_meta(_DIGEST_KEY, None)
    return kb_store


def _open_persistent(
    spec: StoreSpec, bib_path: Path, folders: list[Path], read: Callable[[], Inputs]
) -> KnowledgeBase:
    path = spec.path
    hashes = FileHashes(memo_path(path))
    digest = input_digest(bib_path, folders, hashes)
    hashes.save()
    if path.is_dir() and any(path.iterdir()):
        existing = open_store(spec, read_only=True)
        if existing.meta(_DIGEST_KEY) == digest:
            return KnowledgeBase(store=existing, bib_path=bib_path, data_dirs=folders, _read=read)
        del existing
    fresh = _stream_into(lambda: _fresh(spec), bib_path, folders)
    keep_views(fresh)
    fresh.compact()  # now: a reader opened beside it must not lose files
    fresh.set_meta(_DIGEST_KEY, digest)
    return KnowledgeBase(store=fresh, bib_path=bib_path, data_dirs=folders, _read=read)


def keep_views(kb_store: Store) -> None:
    """Keep the answers of ``kb.queries.KEPT`` beside a freshly built persistent store."""
    for name, query in KEPT.items():
        kb_store.keep_rows(name, query)


_BUILD_SOURCES = sparql("build-sources")


def _check_endpoint(remote: Store, sources: list[Path], spec: StoreSpec) -> None:
    """The endpoint must hold a build of exactly these input files (same names, same bytes)."""
    from kb.rdf.triples import iter_triples

    title, sha256 = f"{STANDARD_PREFIXES['dcterms']}title", kb_term("sha256")
    local: dict[str, str] = {}
    titles: dict[str, str] = {}
    for s, p, o in iter_triples([], [], sources):
        if str(p) == title:
            titles[str(s)] = str(o)
        elif str(p) == sha256:
            local[str(s)] = str(o)
    expected = {titles[s]: sha for s, sha in local.items()}
    found = {str(r["name"]): str(r["sha"]) for r in remote.select(_BUILD_SOURCES)}
    url = spec.location
    if not found:
        raise KbError(
            f"the endpoint holds no knowledge base; run `kb push --endpoint {url}`",
            record="store",
        )
    differ = sorted(n for n in expected.keys() | found.keys() if expected.get(n) != found.get(n))
    if differ:
        raise KbError(
            f"the endpoint holds another build ({len(differ)} input file(s) differ, first "
            f"{differ[0]}); run `kb push --endpoint {url}` to update it",
            record="store",
        )
