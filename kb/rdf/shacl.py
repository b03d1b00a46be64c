"""pySHACL wrapper: validate a graph against ``ontology/shapes.ttl`` -> a small report."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from pyshacl import validate as _pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kb.paths import SHAPES

__all__ = ["ShaclReport", "Violation", "shapes_graph", "validate"]


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


def validate(data: Graph, shapes: Graph | None = None) -> ShaclReport:
    """Validate ``data``; warnings count as failures too (nothing is only a warning here)."""
    shapes = shapes if shapes is not None else shapes_graph()
    conforms, report, _text = _pyshacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
    )
    violations = []
    for result in sorted(report.subjects(SH.resultSeverity, None)):
        source = report.value(result, SH.sourceShape)
        node_shape = _node_shape_of(shapes, source)
        violations.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=_opt(report.value(result, SH.resultPath)),
                shape=node_shape,
                source_shape=str(source),
                message=str(report.value(result, SH.resultMessage) or "violation"),
                severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus, v.path or ""))
    return ShaclReport(conforms=bool(conforms), violations=violations)


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
