"""Download names (kb.export.formats.file_name): named after the selection, else the format's
own name; a styled reference list carries its style; the bibliography formats in APA are the
apa formats byte for byte."""

from __future__ import annotations

import pytest

import kb
from kb.export import export
from kb.export.formats import EXPORT_FORMATS, FORMATS, GRAPH_FORMATS, file_name


@pytest.mark.parametrize(
    ("fmt", "selection", "expected"),
    [
        ("ris", {"skill": ["6"]}, "skill-6.ris"),
        ("bibtex", {"topic": ["attachment-styles"]}, "topic-attachment-styles.bib"),
        ("csl-json", {"author": ["hazan"]}, "author-hazan.json"),
        ("apa-html", {"skill": ["6"]}, "skill-6-apa.html"),
        (
            "biblatex",
            {"skill": ["1", "2"], "author": ["Hazan"]},
            "skill-1-2_author-hazan-biblatex.bib",
        ),
        ("turtle", {"topic": ["Therapy as a secure base"]}, "topic-therapy-as-a-secure-base.ttl"),
        ("graph-png", {"author": ["lønfeldt"]}, "author-lonfeldt.png"),
        ("ris", {}, "references.ris"),
        ("ris", {"skill": []}, "references.ris"),
        ("ris", {"author": ["x" * 100]}, "references.ris"),
    ],
)
def test_a_download_is_named_after_its_selection(
    fmt: str, selection: dict[str, list[str]], expected: str
) -> None:
    """One kind: kind-value(s); several kinds joined by _; none (or too long): the format's name."""
    assert file_name(fmt, selection=selection) == expected


def test_a_styled_list_carries_its_style_in_its_name() -> None:
    """bibliography in MLA is references-mla.txt, or skill-6-mla.md for a selection."""
    assert file_name("bibliography", style="mla") == "references-mla.txt"
    assert file_name("bibliography-markdown", style="mla", selection={"skill": ["6"]}) == (
        "skill-6-mla.md"
    )
    assert file_name("bibliography-html") == "references-apa.html" == FORMATS["apa-html"].file_name


def test_every_format_without_a_selection_keeps_its_own_name() -> None:
    """With nothing selected each format's download name is the one the format table gives."""
    for fmt in (*EXPORT_FORMATS, *GRAPH_FORMATS):
        if fmt.startswith("bibliography"):
            continue
        assert file_name(fmt) == FORMATS[fmt].file_name


@pytest.mark.parametrize("form", ["", "-html", "-markdown"])
def test_the_bibliography_in_apa_is_the_apa_export(form: str) -> None:
    """kb export bibliography (default style) gives the bytes of kb export apa, in each form."""
    base = kb.load()
    assert export(base, f"bibliography{form}") == export(base, f"apa{form}")
    assert export(base, f"bibliography{form}", style="apa", skills=["6"]) == export(
        base, f"apa{form}", skills=["6"]
    )
