"""kb export: every format, every filter, and bad input (one line, exit 1 or 2, no file)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
import pyoxigraph as ox
import pytest
import rispy
from rdflib import Literal

import kb
from kb.errors import KbError
from kb.export import EXPORT_FORMATS, export, select_references
from kb.records.names import slug
from tests.helpers import run_kb

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
}
REF_BASE = "https://example.org/kb/id/reference/"


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    """The real knowledge base, loaded once."""
    return kb.load()


def keys_in(text: str, fmt: str) -> set[str]:
    """The citation keys an export holds, read back by each format's own reader."""
    if fmt in ("bibtex", "biblatex"):
        return {e.key for e in bibtexparser.parse_string(text).entries}
    if fmt == "ris":
        return {r["id"] for r in rispy.loads(text)}
    if fmt == "csl-json":
        return {i["id"] for i in json.loads(text)}
    if fmt in ("apa-html", "bibliography-html"):
        return set(re.findall(r'id="ref-([^"]+)"', text))
    if fmt == "nanopub":  # the references the links point at, in the assertion graphs
        store = ox.Store()
        store.load(text.encode(), format=ox.RdfFormat.TRIG)
        query = """SELECT DISTINCT ?ref WHERE {
            GRAPH ?a { ?link <https://example.org/kb/ontology#reference> ?ref }
            GRAPH ?head { ?np <http://www.nanopub.org/nschema#hasAssertion> ?a }
        }"""
        rows = store.query(query)
        return {row["ref"].value.removeprefix(REF_BASE) for row in rows}  # type: ignore[union-attr]
    if fmt in RDF_FORMATS:
        store = ox.Store()
        store.load(text.encode(), format=RDF_FORMATS[fmt])
        query = f"""SELECT ?key WHERE {{
            ?r <http://purl.org/dc/terms/identifier> ?key .
            FILTER(STRSTARTS(STR(?r), "{REF_BASE}"))
        }}"""
        return {row["key"].value for row in store.query(query)}  # type: ignore[union-attr]
    raise AssertionError(fmt)


TEXT_LISTS = ("apa", "apa-markdown", "bibliography", "bibliography-markdown")


def entry_count(text: str, fmt: str) -> int:
    """How many references an APA export holds (one line, or one paragraph, per reference)."""
    if fmt in ("apa", "bibliography"):
        return len(text.strip().splitlines())
    return len(text.strip().split("\n\n"))


def linked_keys(base: kb.KnowledgeBase, slug: str) -> set[str]:
    """The references behind a skill, asked of the RDF graph (not of the code under test)."""
    query = """
        PREFIX kb: <https://example.org/kb/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?key WHERE {
            ?link a kb:EvidenceLink ; kb:claim ?claim ; kb:reference ?ref .
            ?claim kb:skill ?skill . ?skill kb:slug ?slug .
            ?ref dcterms:identifier ?key .
        }"""
    rows = base.graph.query(query, initBindings={"slug": Literal(slug)})
    return {str(row[0]) for row in rows}  # type: ignore[index]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_exports_all_16_references(base: kb.KnowledgeBase, fmt: str) -> None:
    """Without a filter each format holds all 16 references."""
    text = export(base, fmt)
    if fmt in TEXT_LISTS:
        assert entry_count(text, fmt) == 16
    else:
        assert keys_in(text, fmt) == set(base.references)


@pytest.mark.parametrize("fmt", ["turtle", "n-triples"])
def test_unfiltered_rdf_export_is_the_whole_graph(base: kb.KnowledgeBase, fmt: str) -> None:
    """Without a filter an RDF export is the whole knowledge-base graph."""
    store = ox.Store()
    store.load(export(base, fmt).encode(), format=RDF_FORMATS[fmt])
    assert len(store) == len(base.graph)


@pytest.mark.parametrize("skill", range(1, 8))
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_skill_filter_gives_exactly_the_linked_references(
    base: kb.KnowledgeBase, fmt: str, skill: int
) -> None:
    """``--skill N`` exports exactly the references linked to claims of skill N."""
    expected = linked_keys(base, base.skill(skill).slug)
    assert expected, "every skill has linked references"
    text = export(base, fmt, skills=[skill])
    if fmt in TEXT_LISTS:
        assert entry_count(text, fmt) == len(expected)
    else:
        assert keys_in(text, fmt) == expected


def test_filtered_rdf_export_is_about_the_selected_references_only(
    base: kb.KnowledgeBase,
) -> None:
    """The subgraph of skill 7 has its references' titles, authors and links, and no other's."""
    expected = linked_keys(base, "minimize-stressors")
    store = ox.Store()
    store.load(export(base, "turtle", skills=["minimize-stressors"]).encode(), ox.RdfFormat.TURTLE)
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    titles = {q.object.value for q in store.quads_for_pattern(None, title, None)}
    for key in base.references:
        assert (base.references[key].title in titles) == (key in expected)
    assert any(q.object.value == "Sbarra, D. A." for q in store)  # authors come along


def test_skill_by_number_or_slug_and_several_skills(base: kb.KnowledgeBase) -> None:
    """A skill is named by number or slug; two skills give the union of their references."""
    by_number = select_references(base, skills=[7])
    by_slug = select_references(base, skills=["minimize-stressors"])
    assert by_number == by_slug
    both = {r.key for r in select_references(base, skills=[2, 4])}
    assert both == linked_keys(base, "examine-your-beliefs") | linked_keys(
        base, "increase-emotional-awareness"
    )


def test_topic_filter_includes_narrower_topics(base: kb.KnowledgeBase) -> None:
    """A topic selects references on it or on any narrower topic."""
    assert [r.key for r in select_references(base, topics=["therapy-secure-base"])] == ["jones1983"]
    assert len(select_references(base, topics=["attachment"])) == 16  # every topic is narrower
    grief = {r.key for r in select_references(base, topics=["grief"])}
    assert grief == {"sbarra2008"}


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("Hazan", {"hazan1987", "sbarra2008", "selcuk2010"}),
        ("hazan", {"hazan1987", "sbarra2008", "selcuk2010"}),
        ("Lacinova", {"umemura2018"}),
        ("LØNFELDT", {"nielsen2017"}),
        ("Lonfeldt", {"nielsen2017"}),
        ("Columbia", {"columbia2022"}),
        ("st-louis", {"paquette2020"}),
    ],
)
def test_author_filter_ignores_case_and_accents(
    base: kb.KnowledgeBase, name: str, keys: set[str]
) -> None:
    """An author is matched by family name, whatever the case and the accents."""
    assert {r.key for r in select_references(base, authors=[name])} == keys


def test_different_filters_narrow_each_other(base: kb.KnowledgeBase) -> None:
    """``--skill 3 --author Hazan``: Hazan's references among those behind skill 3."""
    keys = {r.key for r in select_references(base, skills=[3], authors=["Hazan"])}
    assert keys == linked_keys(base, base.skill(3).slug) & {"hazan1987", "sbarra2008", "selcuk2010"}


def test_slug_folds_names() -> None:
    """Folding drops case and accents, including letters NFKD keeps (ø, æ, ß)."""
    assert slug("Lønfeldt") == slug("LONFELDT") == "lonfeldt"
    assert slug("Kotrčová") == "kotrcova"
    assert slug("Straße") == "strasse"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"skills": ["no-such-skill"]}, "unknown skill 'no-such-skill'"),
        ({"topics": ["no-such-topic"]}, "unknown topic 'no-such-topic'"),
        ({"authors": ["Nobody"]}, "unknown author 'Nobody'; choose one of: "),
    ],
)
def test_unknown_filter_value_is_a_clear_error(
    base: kb.KnowledgeBase, kwargs: dict[str, list[str]], message: str
) -> None:
    """An unknown skill, topic or author is a KbError (exit 2) naming it."""
    with pytest.raises(KbError, match=message) as caught:
        export(base, "ris", **kwargs)  # type: ignore[arg-type]
    assert caught.value.exit_code == 2


def test_unknown_format_is_a_clear_error(base: kb.KnowledgeBase) -> None:
    """The API refuses an unknown format and lists the known ones."""
    with pytest.raises(KbError, match="unknown export format 'xml'; use one of bibtex"):
        export(base, "xml")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["export", "xml"], 2, "'xml' is not one of"),
        (["export", "ris", "--skill", "99"], 2, "--skill: unknown skill '99'"),
        (["export", "ris", "--topic", "nope"], 2, "--topic: unknown topic 'nope'"),
        (["export", "ris", "--author", "Nobody"], 2, "--author: unknown author 'Nobody'"),
        (["cite", "nokey"], 2, "KEY: unknown reference 'nokey'; choose one of"),
    ],
)
def test_cli_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, args: list[str], code: int, words: str
) -> None:
    """Bad input: one line on stderr, exit 1 or 2, no output file, no traceback."""
    out = tmp_path / "out.txt"
    result = run_kb(*args, *(["-o", out] if args[0] == "export" else []))
    assert result.returncode == code
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_output_folder_must_exist(tmp_path: Path) -> None:
    """``-o`` into a missing folder: exit 2, one line naming the folder, nothing created."""
    target = tmp_path / "missing" / "refs.bib"
    result = run_kb("export", "bibtex", "-o", target)
    assert result.returncode == 2
    assert "output folder does not exist" in result.stderr
    assert str(tmp_path / "missing") in result.stderr
    assert not (tmp_path / "missing").exists()


def test_cli_writes_atomically_and_keeps_old_file_on_failure(tmp_path: Path) -> None:
    """``-o`` writes the file whole; a failed export leaves an existing file untouched."""
    target = tmp_path / "refs.ris"
    ok = run_kb("export", "ris", "--skill", "7", "-o", target)
    assert ok.returncode == 0, ok.stderr
    before = target.read_text(encoding="utf-8")
    assert before.count("ER  -") == 3
    failed = run_kb("export", "ris", "--skill", "99", "-o", target)
    assert failed.returncode == 2
    assert target.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.ris"]  # no temp file left


def test_cli_stdout_and_cite(tmp_path: Path) -> None:
    """Without ``-o`` the export goes to stdout; ``kb cite`` prints the in-text citation."""
    result = run_kb("export", "apa", "--author", "Hazan")
    assert result.returncode == 0
    assert len(result.stdout.strip().splitlines()) == 3
    assert run_kb("cite", "hazan1987").stdout.strip() == "(Hazan & Shaver, 1987)"
    narrative = run_kb("cite", "--narrative", "hazan1987", "sbarra2008").stdout.strip()
    assert narrative == "Hazan and Shaver (1987) and Sbarra and Hazan (2008)"
