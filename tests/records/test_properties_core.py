"""Property-based tests (Hypothesis) on the core: the bib loader, curated data, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import KbError
from kb.files import write_atomic
from kb.records.bib import decode_latex_specials, encode_latex_specials, parse_bib
from kb.records.canonical import canonical_dump, canonical_records
from kb.records.worksheet import load_worksheet
from tests.helpers import copy_inputs, seed_kb

BIB_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
BIB_PIECES = st.sampled_from(
    [
        "@article{",
        "@online{",
        "}",
        "{",
        ",",
        "=",
        "author",
        "title",
        " and ",
        "\\",
        "%",
        "#",
        "&",
        "~",
        "\n",
        "year = {2020}",
        "key1",
        "@string{",
        "@comment{",
        '"',
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(BIB_PIECES, st.text(BIB_ALPHABET, max_size=8)), max_size=40))
def test_arbitrary_bib_text_never_crashes(pieces: list[str]) -> None:
    """Any .bib text either parses into valid references or raises our one-line KbError."""
    text = "".join(pieces)
    try:
        refs = parse_bib(text, "fuzz.bib")
    except KbError as exc:
        message = exc.one_line()
    else:
        assert all(r.key and r.title for r in refs)
        return
    assert "\n" not in message


TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="{}\\"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_latex_specials_round_trip(text: str) -> None:
    """Encoding then decoding & % # _ $ gives the text back."""
    assert decode_latex_specials(encode_latex_specials(text)) == text


@settings(max_examples=100, deadline=None)
@given(title=TEXT, family=TEXT.filter(lambda s: "," not in s and " and " not in f" {s} "))
def test_generated_entry_survives_the_bib_loader(title: str, family: str) -> None:
    """A generated entry (Unicode, &, %, #, ~) is read back with the same title and author."""
    entry = (
        "@article{gen2024,\n"
        f"  author = {{{encode_latex_specials(family)}, A.}},\n"
        f"  title = {{{encode_latex_specials(title)}}},\n"
        "  year = {2024},\n}\n"
    )
    try:
        [ref] = parse_bib(entry, "gen.bib")
    except KbError:
        # names bibtexparser cannot split (e.g. a lone 'and' word) must be refused, not garbled
        return
    assert ref.title == " ".join(title.split()) or ref.title == title
    assert ref.authors[0].family is not None


def test_curated_data_survives_dump_and_reload(tmp_path: Path) -> None:
    """Load -> canonical dump -> load gives the same records (and the same dump)."""
    inputs = copy_inputs(tmp_path)
    first = load_worksheet(inputs.ws)
    for name, value in canonical_records(first).items():
        (inputs.ws / f"{name}.yaml").write_text(canonical_dump(value), encoding="utf-8")
    second = load_worksheet(inputs.ws)
    assert second == first
    assert canonical_records(second) == canonical_records(first)


def test_failed_write_leaves_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure mid-write (fsync raises) leaves the old file as it was and no temp file."""
    target = tmp_path / "out.ttl"
    target.write_text("old content", encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new content " * 1000)
    assert target.read_text(encoding="utf-8") == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_write_into_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    """Writing into a folder that does not exist is a KbError (exit 2), nothing created."""
    with pytest.raises(KbError) as info:
        write_atomic(tmp_path / "nope" / "x.txt", "data")
    assert info.value.exit_code == 2
    assert not (tmp_path / "nope").exists()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=200))
def test_arbitrary_query_text_is_refused_or_answered(text: str) -> None:
    """Any text given as a query is answered or refused with a KbError, never a crash."""
    from kb.store.sparql_text import run_user_query

    message = ""
    try:
        run_user_query(BASE.store, text, timeout=None)
    except KbError as exc:
        message = exc.one_line()
    assert "\n" not in message


BASE = seed_kb()
