"""Text tables are drawn as tabulate's "simple" format draws them (numbers not parsed)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from kb.cli.base import text_table

_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10_000, 10_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    # Any script, wide East Asian characters and combining marks included (both measure them
    # with wcwidth). The domain leaves out only what no terminal table can hold: control and
    # format characters, surrogates and line or paragraph separators (wcwidth gives them no
    # width, -1). A cell that begins with a combining mark is equal too, though a terminal
    # draws that mark over the space before it.
    st.text(
        st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp")),
        max_size=12,
    ),
)


@settings(max_examples=300, deadline=None)
@example(([""], [["00\u0ece"]]))  # a Lao vowel sign: wcwidth 0, len 1 (found 2026-12-07)
@example(([""], [["\u0cbe"]]))  # a Kannada vowel sign, spacing but given no width by wcwidth
@example((["a", "b"], [["漢字", "é"], ["x", None]]))  # wide characters count two columns
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
