"""SHACL: validate a graph against ``ontology/shapes.ttl`` -> a small report.

Two engines give the same report (``tests/rdf/test_shacl.py`` runs every failing fixture through
both and compares the violations): pyshacl-turbo (Rust, the default: 0.03 s for the seed's 4.5k
triples where pySHACL takes 3 s on this machine, see BENCHMARKS.md) and pySHACL (the reference
implementation, ``engine="pyshacl"``). Shapes are parsed and compiled once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kb.paths import SHAPES

__all__ = [
    "ENGINES",
    "Engine",
    "ShaclReport",
    "Violation",
    "shapes_graph",
    "validate",
    "validate_ntriples",
]

Engine = Literal["turbo", "pyshacl"]
ENGINES: tuple[Engine, ...] = ("turbo", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node, the path, the shape and the message."""

    focus: str
    path: str | None
    shape: str
    source_shape: str
    message: str
    severity: str

    def one_line(self) -> str:
        """``<focus> path: message [shape]``."""
        where = f" {self.path}" if self.path else ""
        return f"<{self.focus}>{where}: {self.message} [{self.shape}]"

    def as_dict(self) -> dict[str, str | None]:
        """Plain data for JSON output."""
        return self.__dict__.copy()


@dataclass
class ShaclReport:
    """Whether the graph conforms, and every violation."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The project's shapes, parsed once."""
    return Graph().parse(SHAPES, format="turtle")


@lru_cache(maxsize=1)
def _compiled() -> Any:
    """The shapes compiled once by pyshacl-turbo (a fork-started worker inherits them)."""
    from pyshacl_turbo import compile_shapes

    return compile_shapes(shapes_graph(), advanced=True)  # type: ignore[no-untyped-call]


def validate(data: Graph, shapes: Graph | None = None, *, engine: Engine = "turbo") -> ShaclReport:
    """Validate ``data``; warnings count as failures too (nothing is only a warning here)."""
    if engine == "turbo":
        if shapes is None:
            conforms, report, _text = _compiled().validate(data, allow_warnings=False)
        else:
            from pyshacl_turbo import validate as _turbo_validate

            conforms, report, _text = _turbo_validate(
                data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
            )
    else:
        from pyshacl import validate as _pyshacl_validate

        conforms, report, _text = _pyshacl_validate(
            data,
            shacl_graph=shapes if shapes is not None else shapes_graph(),
            inference="none",
            advanced=True,
            allow_warnings=False,
        )
    return ShaclReport(bool(conforms), _violations(report, shapes or shapes_graph()))


def validate_ntriples(text: str, *, engine: Engine = "turbo") -> ShaclReport:
    """Validate N-Triples text against the project's shapes. pyshacl-turbo reads the text
    itself (no rdflib Graph: building one cost 4x the validation of a worksheet's 3k triples)."""
    if engine != "turbo":
        return validate(Graph().parse(data=text, format="nt"), engine=engine)
    from pyshacl_turbo.rdf import Input

    data = Input(text, "nquads", None, {}, {}, preserve_ids=True)  # N-Triples is N-Quads
    conforms, report, _text = _compiled().validate(data, allow_warnings=False)
    return ShaclReport(bool(conforms), _violations(report, shapes_graph()))


def _violations(report: Graph, shapes: Graph) -> list[Violation]:
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        source = report.value(result, SH.sourceShape)
        violations.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=_opt(report.value(result, SH.resultPath)),
                shape=_node_shape_of(shapes, source),
                source_shape=str(source) if isinstance(source, URIRef) else "",
                message=str(report.value(result, SH.resultMessage) or "violation"),
                severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus, v.path or "", v.message))
    return violations


def _opt(node: object) -> str | None:
    return None if node is None else str(node)


def _node_shape_of(shapes: Graph, source: Node | None) -> str:
    """The named NodeShape a (possibly blank) property shape belongs to."""
    if isinstance(source, URIRef):
        return str(source).rsplit("#", 1)[-1]
    if source is None:
        return "shape"
    for parent in shapes.subjects(SH.property, source):
        return str(parent).rsplit("#", 1)[-1]
    for parent in shapes.subjects(SH.sparql, source):
        return str(parent).rsplit("#", 1)[-1]
    return "shape"
