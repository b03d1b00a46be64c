"""The store spec, parsed here and nowhere else: ``memory``, ``oxigraph:PATH`` or ``sparql:URL``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kb.errors import UsageError
from kb.store.base import Store

__all__ = ["MEMORY", "StoreSpec", "open_store", "parse_spec"]

Kind = Literal["memory", "oxigraph", "sparql"]


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store spec: its kind and its location (a folder, a URL, or empty for memory)."""

    kind: Kind
    location: str
    text: str

    @property
    def path(self) -> Path:
        """The folder of an ``oxigraph:PATH`` store."""
        return Path(self.location)

    def __str__(self) -> str:
        return self.text


MEMORY = StoreSpec("memory", "", "memory")


def parse_spec(spec: str | StoreSpec) -> StoreSpec:
    """``memory``, ``oxigraph:PATH`` or ``sparql:URL``; anything else is a usage error."""
    if isinstance(spec, StoreSpec):
        return spec
    if spec == "memory":
        return MEMORY
    kind, sep, location = spec.partition(":")
    if sep and kind == "oxigraph":
        path = Path(location)
        if not location or path.is_file():
            raise UsageError("oxigraph:PATH must name a folder", path=path)
        return StoreSpec("oxigraph", location, spec)
    if sep and kind == "sparql":
        return StoreSpec("sparql", location, spec)
    raise UsageError(
        f"unknown store '{spec}'; use memory, oxigraph:PATH or sparql:URL", record="store"
    )


def open_store(spec: str | StoreSpec = "memory", *, read_only: bool = False) -> Store:
    """Open the store a spec names (an endpoint is only contacted by its first query)."""
    parsed = parse_spec(spec)
    if parsed.kind == "sparql":
        from kb.store.remote import SparqlStore

        return SparqlStore(parsed.location)
    from kb.store.oxigraph import OxigraphStore, open_oxigraph

    if parsed.kind == "memory":
        import pyoxigraph as ox

        return OxigraphStore(ox.Store(), parsed.text)  # nothing to parse or check
    return open_oxigraph(parsed.path, parsed.text, read_only=read_only)
