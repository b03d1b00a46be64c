"""A large bib is parsed in slices of whole entries (bounded memory): the records, their line
numbers and the errors are exactly those of one parse of the whole text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import KbError
from kb.paths import DEFAULT_BIB
from kb.records import bib


@pytest.mark.parametrize("corpus", ["seed", "synth10"])
def test_sliced_parse_equals_one_parse(
    corpus: str, synth10: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every reference (fields, authors, line) is the same from slices as from one parse."""
    path = DEFAULT_BIB if corpus == "seed" else synth10 / "references.bib"
    text = path.read_text(encoding="utf-8")
    monkeypatch.setattr(bib, "CHUNK_CHARS", 1_000)
    assert len(list(bib._slices(text))) > 3
    assert bib.parse_bib(text, path) == bib._parse(text, path)


def test_duplicate_key_in_two_slices_reports_as_one_parse(
    synth10: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key repeated far apart (different slices) gives one parse's message and line."""
    text = (synth10 / "references.bib").read_text(encoding="utf-8")
    first = text[text.index("@") : text.index("\n}\n") + 3]
    doubled = f"{text}\n{first}"
    monkeypatch.setattr(bib, "CHUNK_CHARS", 2_000)
    with pytest.raises(KbError) as sliced:
        bib.parse_bib(doubled, "x.bib")
    with pytest.raises(KbError) as whole:
        bib._parse(doubled, "x.bib")
    assert str(sliced.value) == str(whole.value)
    assert "duplicate key" in str(whole.value)
