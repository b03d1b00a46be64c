"""The bib is parsed the fast way (default middlewares, each name split once) and, on any
problem, again the plain way: the records are those of the plain parse, the messages its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import KbError
from kb.paths import DEFAULT_BIB
from kb.records import bib

HEAD = "@article{smith2004,\n  author = {Smith, J.},\n  title = {A title},\n  year = {2004},\n"
UNUSUAL = {
    "capital-field-names": "@article{a2004,\n  AUTHOR = {Smith, J.},\n  Title = {T},\n}\n",
    "field-name-twice-in-two-cases": "@article{a2004,\n  author = {X, Y.},\n  Author = {Z, W.},\n"
    "  title = {T},\n}\n",
    "string-macro": '@string{jpsp = "Journal of Personality"}\n'
    "@article{a2004,\n  author = {Smith, J.},\n  title = {T},\n  journal = jpsp,\n}\n",
    "quoted-values": '@article{a2004,\n  author = "Smith, J.",\n  title = "T {\\&} U",\n}\n',
    "corporate-von-jr": "@article{a2004,\n  author = {{Some Department} and van der Berg, Jr, A. "
    "and de la Cruz, M.},\n  title = {T},\n}\n",
    "same-author-two-entries": f"{HEAD}}}\n\n"
    "@online{smith2005,\n  author = {Smith, J.},\n  title = {U},\n  date = {2005-03-04},\n"
    "  url = {https://example.org/a~b},\n  entrysubtype = {blog},\n}\n",
    "unicode-doi": f"{HEAD}  doi = {{10.1234/ü}},\n}}\n",
    "paren-entry": "@article(a2004,\n  author = {Smith, J.},\n  title = {T},\n)\n",
}
BAD = {
    "empty": "   \n",
    "no-entries": "% nothing\n",
    "duplicate-key": f"{HEAD}}}\n{HEAD}}}\n",
    "keys-differ-in-case": f"{HEAD}}}\n{HEAD.replace('smith2004', 'Smith2004')}}}\n",
    "empty-key": HEAD.replace("smith2004", "") + "}\n",
    "and-and": HEAD.replace("Smith, J.", "Smith, J. and and Doe, A.") + "}\n",
    "too-many-commas": HEAD.replace("Smith, J.", "Smith, J., K., L.") + "}\n",
    "unterminated-brace-in-name": HEAD.replace("Smith, J.", "Smith, {J.") + "}\n",
    "no-author": HEAD.replace("Smith, J.", "") + "}\n",
    "unknown-field": f"{HEAD}  impact = {{9}},\n}}\n",
    "editor": f"{HEAD}  editor = {{A, B, C, D}},\n}}\n",
    "bad-year": HEAD.replace("2004", "04") + "}\n",
    "bad-date": f"{HEAD.replace('  year = {2004},', '  date = {2004-13}')}}}\n",
    "bad-doi": f"{HEAD}  doi = {{doi.org/x}},\n}}\n",
    "no-title": HEAD.replace("  title = {A title},\n", "") + "}\n",
    "book": HEAD.replace("@article", "@book") + "}\n",
    "unbalanced": f"{HEAD}  journal = {{J,\n}}\n\n{HEAD.replace('2004', '2005')}}}\n",
}


@pytest.mark.parametrize("corpus", ["seed", "synth10"])
@pytest.mark.parametrize("chunk", [1_000, bib.CHUNK_CHARS])
def test_fast_parse_equals_plain_parse(
    corpus: str, chunk: int, synth10: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every reference (fields, authors, line) of the fast parse, whole or in slices, is the
    plain parse's, and the fast parse needs no fallback on a valid bib."""
    path = DEFAULT_BIB if corpus == "seed" else synth10 / "references.bib"
    text = path.read_text(encoding="utf-8")
    monkeypatch.setattr(bib, "CHUNK_CHARS", chunk)
    fast, plain = bib._parse_fast(text, path), bib._parse(text, path)
    assert [r.model_dump() for r in fast] == [r.model_dump() for r in plain]


@pytest.mark.parametrize("text", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_unusual_entries_parse_as_the_plain_parse(text: str) -> None:
    """Field names in capitals, @string, quotes, corporate/von/jr names, a name in two
    entries, a non-ASCII DOI, ( ) delimiters: the fast parse takes them, with the same records."""
    expected = [r.model_dump() for r in bib._parse(text, "u.bib")]
    assert [r.model_dump() for r in bib._parse_fast(text, "u.bib")] == expected


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_every_error_is_the_plain_parse_message(text: str) -> None:
    """A bad bib fails with the plain parse's KbError, word for word."""
    with pytest.raises(KbError) as plain:
        bib._parse(text, "bad.bib")
    with pytest.raises(KbError) as fast:
        bib.parse_bib(text, "bad.bib")
    assert str(fast.value) == str(plain.value)
