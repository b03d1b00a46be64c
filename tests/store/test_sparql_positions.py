"""Errors in a user's query point at the user's own lines, not at the hidden prefix lines."""

from __future__ import annotations

import pytest

import kb
from kb.store.sparql_text import run_user_query, user_positions
from tests.helpers import seed_kb


@pytest.mark.parametrize(
    ("query", "line"),
    [
        ("SELECT ?s WHERE {\n ?s zz:foo ?o }", 2),  # an unknown prefix, found by the engine
        ("SELECT (COUNT(?s) AS ?n) ?s WHERE {\n ?s ?p ?o }", 2),
        ("SELECT ?s WHERE { ?s zz:foo ?o }", 1),
    ],
)
def test_engine_errors_name_the_users_line(query: str, line: int) -> None:
    """The engine's position, shifted by the predeclared prefixes, is a line of the user's text."""
    with pytest.raises(kb.KbError, match=rf"at line {line}, column \d+") as caught:
        run_user_query(seed_kb().store, query, timeout=None)
    assert " at 1" not in caught.value.message


def test_positions_before_the_users_text_are_left_alone() -> None:
    """A position inside the hidden lines (an error of ours) is not made up as a user's line."""
    assert user_positions("error at 3:4: x", 12) == "error at 3:4: x"
    assert user_positions("error at 15:11: x", 12) == "error at line 3, column 11: x"
