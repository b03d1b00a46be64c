"""Our BibTeX, BibLaTeX and CSL-JSON read by another engine: pandoc's citeproc, with the same
apa.csl our APA export uses, renders every entry as our APA does, except where the style or
the format says otherwise (each exception derived from the record, listed in :data:`EXCEPTIONS`
and in the README's "Citations" section).

Compared per entry (pandoc's ``<div id="ref-KEY">``, our :func:`render_apa` key), as the
entry's visible text plus its italic spans, both read from HTML by the same parser: the markup
(``<em>`` or ``<i>``, links around URLs) is the engine's choice, the words and italics are the
style's. Whitespace is collapsed and text NFC-normalised; nothing else is loosened.

Exceptions, all from apa.csl or the format, never from our data:

- ``manson_nd`` (every export): an undated web page without an access date. apa.csl prints
  "Retrieved https://…"; APA 7 writes "Retrieved" only with a retrieval date, we have none
  and never invent one, so our APA prints the URL alone (``kb.export.apa``).
- ``columbia2022``, ``ha2021`` (BibTeX only): BibTeX has no ``day`` field and no web-page
  entry type; pandoc reads ``@misc`` as a generic item, for which apa.csl prints the year
  alone: "(2022)" where we print "(2022, February 9)". BibLaTeX (``@online``, ``date``) and
  CSL-JSON keep the full date.

Skipped, with the reason, only where pandoc is not installed; ``make test`` installs it
(``scripts/install-browser``), so CI runs these.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kb
from kb.export import export
from kb.export.apa import apa_style_path, render_apa
from kb.records.models import Reference

PANDOC = shutil.which("pandoc")
pytestmark = [
    pytest.mark.pandoc,
    pytest.mark.skipif(
        PANDOC is None,
        reason="pandoc is not installed (Debian package `pandoc`; `make test` installs it "
        "through scripts/install-browser)",
    ),
]

FORMATS = ("bibtex", "biblatex", "csl-json")
SUFFIX = {"bibtex": ".bibtex", "biblatex": ".bib", "csl-json": ".json"}  # pandoc's reader
EXCEPTIONS = {
    "bibtex": {"columbia2022", "ha2021", "manson_nd"},
    "biblatex": {"manson_nd"},
    "csl-json": {"manson_nd"},
}
KEYS = sorted(kb.load().references)
DOC = "---\nnocite: '@*'\n---\n"


@dataclass(frozen=True)
class Rendered:
    """One reference-list entry as a reader sees it: its words, and which of them are italic."""

    text: str
    italics: tuple[str, ...]


class _Entries(HTMLParser):
    """Collects each ``csl-entry`` div's text and italic spans (pandoc's ids, or one entry)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: dict[str, tuple[list[str], list[str]]] = {}
        self.key: str | None = None
        self.italic = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and "csl-entry" in (found.get("class") or ""):
            self.key = (found.get("id") or "ref-").removeprefix("ref-")
            self.entries[self.key] = ([], [])
        elif tag in ("i", "em") and self.key is not None:
            self.italic += 1
            self.entries[self.key][1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("i", "em") and self.italic:
            self.italic -= 1
        elif tag == "div":
            self.key = None

    def handle_data(self, data: str) -> None:
        if self.key is None:
            return
        text, italics = self.entries[self.key]
        text.append(data)
        if self.italic:
            italics[-1] += data


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text)).strip()


def read_entries(html: str) -> dict[str, Rendered]:
    """Key -> rendered entry, from HTML with one ``csl-entry`` div per reference."""
    parser = _Entries()
    parser.feed(html)
    return {
        key: Rendered(_norm("".join(text)), tuple(_norm(i) for i in italics if _norm(i)))
        for key, (text, italics) in parser.entries.items()
    }


def run_pandoc(bib: Path) -> tuple[dict[str, Rendered], str]:
    """pandoc's APA reference list of every entry of ``bib``, and what it said on stderr."""
    assert PANDOC is not None
    done = subprocess.run(
        [PANDOC, "--citeproc", "--csl", str(apa_style_path()), "--bibliography", str(bib),
         "--from", "markdown", "--to", "html", "--wrap=none"],
        input=DOC, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return read_entries(done.stdout), done.stderr


def expected_from_pandoc(ref: Reference, ours: Rendered, fmt: str) -> Rendered:
    """What apa.csl makes of ``ref`` through ``fmt``, given our entry: ours, changed only as
    the module docstring documents."""
    text = ours.text
    if ref.year is None and ref.url and ref.entry_type == "online":
        text = text.replace(ref.url, f"Retrieved {ref.url}", 1)
    if fmt == "bibtex" and ref.entry_type == "online" and ref.month is not None:
        text = re.sub(rf"\({ref.year}, [A-Z][a-z]+(?: \d{{1,2}})?\)", f"({ref.year})", text)
    return Rendered(text, ours.italics)


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    """The real knowledge base, loaded once."""
    return kb.load()


@pytest.fixture(scope="module")
def ours(base: kb.KnowledgeBase) -> dict[str, Rendered]:
    """Our APA reference list (citeproc-py + our corrections), read like pandoc's."""
    entries = render_apa(base.references.values(), "html")
    html = "".join(f'<div class="csl-entry" id="ref-{k}">{e}</div>' for k, e in entries.items())
    return read_entries(html)


@pytest.fixture(scope="module")
def pandoc(
    base: kb.KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict[str, Rendered], str]]:
    """Per export format: pandoc's rendering of our export of all 16 references, and stderr."""
    folder = tmp_path_factory.mktemp("pandoc")
    out = {}
    for fmt in FORMATS:
        bib = folder / f"references{SUFFIX[fmt]}"
        bib.write_text(export(base, fmt), encoding="utf-8")
        out[fmt] = run_pandoc(bib)
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_pandoc_reads_every_entry_without_a_warning(
    pandoc: dict[str, tuple[dict[str, Rendered], str]], fmt: str
) -> None:
    """pandoc renders all 16 references of the export and warns about nothing."""
    entries, stderr = pandoc[fmt]
    assert sorted(entries) == KEYS
    assert stderr == ""


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_pandoc_renders_our_apa(
    base: kb.KnowledgeBase,
    ours: dict[str, Rendered],
    pandoc: dict[str, tuple[dict[str, Rendered], str]],
    fmt: str,
    key: str,
) -> None:
    """pandoc's APA entry from our export is our APA entry, word for word and italic for
    italic; a documented exception differs exactly as documented, and in nothing else."""
    got = pandoc[fmt][0][key]
    want = expected_from_pandoc(base.references[key], ours[key], fmt)
    assert got == want
    assert (want != ours[key]) == (key in EXCEPTIONS[fmt]), "update EXCEPTIONS and the README"


@pytest.mark.parametrize("fmt", FORMATS)
def test_count_of_identical_entries_is_the_documented_one(
    ours: dict[str, Rendered], pandoc: dict[str, tuple[dict[str, Rendered], str]], fmt: str
) -> None:
    """The README's figures: CSL-JSON and BibLaTeX 15/16, BibTeX 13/16 identical to our APA."""
    same = {k for k, entry in pandoc[fmt][0].items() if entry == ours[k]}
    assert len(same) == {"bibtex": 13, "biblatex": 15, "csl-json": 15}[fmt]
    assert set(KEYS) - same == EXCEPTIONS[fmt]


def test_capital_after_a_dash_survives_bibtex_and_biblatex(
    pandoc: dict[str, tuple[dict[str, Rendered], str]],
) -> None:
    """Regression (issue 13): "anxiety – The mediating role" kept its capital through pandoc
    only once the export brace-protects it."""
    for fmt in ("bibtex", "biblatex"):
        assert "anxiety – The mediating role" in pandoc[fmt][0]["nielsen2017"].text
