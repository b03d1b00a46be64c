"""kb/queries: every SPARQL text the package runs is a .rq file that parses, is used, and is the
only copy (no query text left in Python)."""

from __future__ import annotations

import re

import pytest
from rdflib.plugins.sparql import parser

from kb import queries
from kb.paths import PACKAGE_DIR
from kb.store.base import sparql_prefixes

ALL = {**queries.project_queries(), **queries.example_queries()}
CODE = "\n".join(
    p.read_text(encoding="utf-8") for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts
)


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_query_parses(name: str) -> None:
    """Each .rq file is SPARQL 1.1 with our prefixes."""
    parser.parseQuery(sparql_prefixes() + ALL[name])


@pytest.mark.parametrize("name", sorted(queries.project_queries()))
def test_every_project_query_is_used(name: str) -> None:
    """Each project query is loaded by name somewhere in kb/ (no dead files)."""
    assert f'sparql("{name}")' in CODE


def test_no_query_text_is_left_in_python() -> None:
    """No module of kb/ assigns a multi-line SELECT, ASK or CONSTRUCT text of its own."""
    found = re.findall(r'= """\\?\n\s*(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b', CODE)
    assert found == []
