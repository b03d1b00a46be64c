"""The curated inputs of a knowledge base, read and checked (``Inputs``), the files they come
from, and the knowledge base they make as N-Triples (what every store is loaded with)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kb.core.resolve import resolve_worksheet
from kb.records.worksheet_files import worksheet_files

if TYPE_CHECKING:  # the records and their triples are loaded by the commands that make them
    from kb.records.models import Reference, WorksheetData

__all__ = ["Inputs", "ntriples_of", "ontology_ntriples", "records_ntriples", "source_files"]


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
        folder_of = {
            id(ws): folder for folder, ws in zip(self.folders, self.worksheets, strict=True)
        }
        sheets = [
            resolve_worksheet(self.worksheets, w, given_as="worksheet") for w in worksheet_ids
        ]
        chosen = [(folder_of[id(ws)], ws) for ws in {id(ws): ws for ws in sheets}.values()]
        return Inputs(
            bib_path=self.bib_path,
            folders=[folder for folder, _ in chosen],
            references=self.references,
            worksheets=[ws for _, ws in chosen],
        )


def source_files(bib_path: Path, folders: Sequence[Path]) -> list[Path]:
    """The bib and every curated file of each worksheet folder."""
    return [bib_path] + [path for folder in folders for path in worksheet_files(folder)]


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
    return records_ntriples(inputs.references, inputs.worksheets, inputs.sources)


def records_ntriples(
    references: dict[str, Reference], worksheets: Iterable[WorksheetData], sources: list[Path]
) -> Iterator[bytes]:
    """Records as N-Triples chunks (worksheets taken as they come), then the ontology's."""
    from kb.rdf.triples import iter_triples
    from kb.store.ntriples import ntriples_chunks

    yield from ntriples_chunks(iter_triples(references.values(), worksheets, sources))
    yield ontology_ntriples()
