"""Text tables are drawn as tabulate's "simple" format draws them (numbers not parsed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from kb.cli.base import text_table

_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10_000, 10_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    # Latin, Greek, Cyrillic...: below U+1100, where East Asian wide characters begin (tabulate
    # measures those with wcwidth, which kb keeps it from importing), and no combining marks
    # (Mn, Me, and Mc such as Kannada's U+0CBE, to which wcwidth gives no width)
    st.text(
        st.characters(
            max_codepoint=0x10FF,
            exclude_categories=("Cs", "Cc", "Cf", "Mn", "Mc", "Me", "Zl", "Zp"),
        ),
        max_size=12,
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(
    lambda n: st.tuples(
        st.lists(st.text("abcé #-_", max_size=8), min_size=n, max_size=n),
        st.lists(st.lists(_CELLS, min_size=n, max_size=n), min_size=1, max_size=6),
    )
))  # fmt: skip
def test_text_table_equals_tabulate(table: tuple[list[str], list[list[object]]]) -> None:
    """Any headers and typed cells (None, bools, numbers, accented text, padding) give
    exactly tabulate's output."""
    headers, rows = table
    assert text_table(rows, headers) == tabulate(rows, headers=headers, disable_numparse=True)


def test_a_cell_with_a_line_break_is_a_multi_line_row() -> None:
    """A line break inside a cell is left to tabulate (continuation lines)."""
    rows = [["one\ntwo", 3]]
    assert text_table(rows, ["a", "b"]) == "a    b\n---  ---\none  3\ntwo"
