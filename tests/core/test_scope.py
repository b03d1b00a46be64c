"""One worksheet as a knowledge base of its own (kb.core.narrow), and the reference search
(kb.browse.search) against its rule written plainly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kb
from kb.browse import views
from kb.browse.search import LibraryIndex
from kb.core.narrow import LIBRARY_SCOPE_FROM, scoped
from kb.core.resolve import cited_keys
from kb.evidence import profile
from kb.records.models import ReferenceNote
from kb.records.names import fold
from kb.store.base import Store
from tests.helpers import WORKSHEET, copy_inputs

# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> kb.KnowledgeBase:
    """The real seed: one worksheet, 16 references."""
    return kb.load()


@pytest.fixture(scope="module")
def three(synth3: Path) -> kb.KnowledgeBase:
    """The three-worksheet synth3, loaded."""
    return kb.load(bib=synth3 / "references.bib", data=synth3 / "data")


@pytest.fixture(scope="module")
def three_index(three: kb.KnowledgeBase) -> LibraryIndex:
    """The library index of the three-worksheet corpus."""
    return LibraryIndex.of(three)


def ids(base: kb.KnowledgeBase) -> list[str]:
    """Worksheet ids in folder order."""
    return [w.worksheet.id for w in base.worksheets]


def triples(store: Store) -> set[str]:
    """Every triple of a store's default graph, one N-Triples line each."""
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert result.kind == "graph"
    assert not result.truncated
    return {line for line in result.ntriples.splitlines() if line.strip()}


def count(store: Store, pattern: str) -> int:
    """How many distinct ``?x`` match a graph pattern."""
    rows = store.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"] or 0)


# --- scoped(): the seed ---------------------------------------------------------------------------


def test_threshold_is_a_positive_worksheet_count() -> None:
    """The library threshold is a count of worksheets above the seed's one."""
    assert isinstance(LIBRARY_SCOPE_FROM, int)
    assert LIBRARY_SCOPE_FROM > 1


def test_scoped_seed_holds_exactly_the_full_stores_triples(seed: kb.KnowledgeBase) -> None:
    """The seed has one worksheet citing every reference: its scoped store is the same graph."""
    (ws,) = ids(seed)
    small = scoped(seed, ws)
    assert small.store is not seed.store
    full, mine = triples(seed.store), triples(small.store)
    assert len(full) > 1_000
    assert mine == full


def test_scoped_seed_answers_like_the_full_base(seed: kb.KnowledgeBase) -> None:
    """Profiles, every skill's evidence and the reference table are the same on the seed."""
    (ws,) = ids(seed)
    small = scoped(seed, ws)
    assert len(small.references) == 16
    assert len(small.skills) == 7
    assert profile.profiles(small) == profile.profiles(seed)
    assert len(profile.profiles(small)) == 7
    for skill in seed.skills:
        rows = seed.evidence_for(skill)
        assert rows, skill.slug
        assert small.evidence_for(skill.slug) == rows
    assert views.reference_rows(small, ws) == views.reference_rows(seed, ws)
    assert views.reference_rows(small, None) == views.reference_rows(seed, None)
    assert views.counts(small, ws) == views.counts(seed, ws)


def test_scoped_seed_keys_are_the_printed_order(seed: kb.KnowledgeBase) -> None:
    """cited_keys lists what the worksheet prints, by printed number (all 16 on the seed)."""
    (ws,) = ids(seed)
    sheet = seed.worksheet(ws)
    keys = cited_keys(seed.worksheet(ws))
    assert keys == [n.key for n in sorted(sheet.references, key=lambda n: n.number)]
    assert sorted(keys) == sorted(seed.references)
    assert list(scoped(seed, ws).references) == keys


# --- scoped(): three worksheets -------------------------------------------------------------------


def consistent_worksheets(base: kb.KnowledgeBase) -> list[str]:
    """Worksheets whose references every other worksheet annotates the same way (design, level,
    peer review, design rationale): where a graph-wide annotation cannot disagree with theirs."""

    def facts(note: ReferenceNote) -> tuple[object, ...]:
        return note.design, note.level, note.peer_reviewed, note.design_rationale

    seen: dict[str, set[tuple[object, ...]]] = {}
    for sheet in base.worksheets:
        for note in sheet.references:
            seen.setdefault(note.key, set()).add(facts(note))
    return [
        w.worksheet.id for w in base.worksheets if all(len(seen[n.key]) == 1 for n in w.references)
    ]


def test_scoped_profiles_match_where_annotations_agree(three: kb.KnowledgeBase) -> None:
    """A worksheet's profiles are the full base's profiles of its skills, when no other
    worksheet annotates its references differently."""
    full = profile.profiles(three)
    checked = consistent_worksheets(three)
    assert WORKSHEET in checked  # the seed's worksheet shares no reference
    for ws in checked:
        mine = profile.profiles(scoped(three, ws))
        assert mine == [p for p in full if p.worksheet == ws], ws
        assert len(mine) == len(three.worksheet(ws).skills)


LINK_FIELDS = (
    "worksheet",
    "slug",
    "title",
    "order",
    "n_claims",
    "n_references",
    "references",
    "supporting_references",
    "unsupported_claims",
    "oldest_year",
    "newest_year",
)


def test_scoped_profiles_keep_every_skills_links(three: kb.KnowledgeBase) -> None:
    """In every worksheet, each skill's profile counts the same claims, references, supporting
    references and years as in the full base (what does not hang on design annotations)."""

    def shape(p: profile.SkillProfile) -> tuple[object, ...]:
        return tuple(getattr(p, f) for f in LINK_FIELDS)

    full = profile.profiles(three)
    assert len(full) == len(three.skills)
    for ws in ids(three):
        mine = profile.profiles(scoped(three, ws))
        assert [shape(p) for p in mine] == [shape(p) for p in full if p.worksheet == ws], ws


def test_scoped_profiles_match_for_every_worksheet(three: kb.KnowledgeBase) -> None:
    """For every worksheet, profiles(scoped) is the full base's profiles filtered to it."""
    assert len(consistent_worksheets(three)) == len(three.worksheets)  # load refuses conflicts
    full = profile.profiles(three)
    for ws in ids(three):
        assert profile.profiles(scoped(three, ws)) == [p for p in full if p.worksheet == ws], ws


def test_scoped_evidence_matches_for_every_skill(three: kb.KnowledgeBase) -> None:
    """Each skill's evidence rows are the same in its worksheet's base as in the full one."""
    for ws in ids(three):
        small = scoped(three, ws)
        assert [s.iri for s in small.skills] == [s.iri for s in three.skills if s.worksheet == ws]
        for skill in small.skills:
            assert small.evidence_for(skill) == three.evidence_for(skill), skill.iri


def test_scoped_references_are_the_cited_keys(three: kb.KnowledgeBase) -> None:
    """A worksheet's base holds the references it prints or links, and no other worksheet's."""
    keys = {ws: set(cited_keys(three.worksheet(ws))) for ws in ids(three)}
    shared = set()
    for ws in ids(three):
        sheet = three.worksheet(ws)
        small = scoped(three, ws)
        assert list(small.references) == cited_keys(three.worksheet(ws))
        assert {x.reference for x in sheet.links} <= set(small.references)
        assert {n.key for n in sheet.references} <= set(small.references)
        others = set().union(*(k for w, k in keys.items() if w != ws))
        assert not (others - keys[ws]) & set(small.references)
        shared |= others & keys[ws]
        for key, ref in small.references.items():
            assert ref == three.references[key]
        in_store = {
            str(r["key"])
            for r in small.store.select(
                "SELECT ?key WHERE { ?r kb:authorList ?l ; dcterms:identifier ?key }"
            )
        }
        assert in_store == keys[ws]
    assert shared  # synth re-cites references from earlier worksheets
    assert set().union(*keys.values()) == set(three.references)


def test_cited_keys_put_printed_ones_first(three: kb.KnowledgeBase) -> None:
    """Printed keys come first in printed order, then linked-only keys in key order, once each."""
    for ws in ids(three):
        sheet = three.worksheet(ws)
        keys = cited_keys(three.worksheet(ws))
        printed = [n.key for n in sorted(sheet.references, key=lambda n: n.number)]
        assert keys[: len(printed)] == printed
        assert keys[len(printed) :] == sorted({x.reference for x in sheet.links} - set(printed))
        assert len(keys) == len(set(keys))


def test_scoped_counts_match_the_worksheet(three: kb.KnowledgeBase) -> None:
    """Skills, claims, links and worksheets in the small store are the worksheet's own."""
    for ws in ids(three):
        sheet = three.worksheet(ws)
        small = scoped(three, ws)
        assert [w.worksheet.id for w in small.worksheets] == [ws]
        assert len(small.skills) == len(sheet.skills)
        assert len(small.claims) == len(sheet.claims)
        assert len(small.links) == len(sheet.links)
        assert count(small.store, "?x a kb:Worksheet") == 1
        assert count(small.store, "?x a kb:Skill") == len(sheet.skills)
        assert count(small.store, "?x a kb:Claim") == len(sheet.claims)
        assert count(small.store, "?x a kb:EvidenceLink") == len(sheet.links)
        assert len(small.skills_table()) == len(sheet.skills)
        assert views.counts(small, ws) == views.counts(three, ws)
        assert views.reference_rows(small, ws) == views.reference_rows(three, ws)


def test_scoped_triples_are_a_subset_of_the_full_store(three: kb.KnowledgeBase) -> None:
    """Nothing in a worksheet's store is missing from, or contradicts, the full store."""
    full = triples(three.store)
    sizes = []
    for ws in ids(three):
        mine = triples(scoped(three, ws).store)
        assert mine <= full, sorted(mine - full)[:3]
        sizes.append(len(mine))
    assert max(sizes) < len(full)


def test_unknown_worksheet_is_a_clear_error(three: kb.KnowledgeBase) -> None:
    """An id that names no worksheet raises KbError naming it (and cited_keys too)."""
    with pytest.raises(kb.KbError, match="no-such-worksheet"):
        scoped(three, "no-such-worksheet")
    with pytest.raises(kb.KbError, match="no-such-worksheet"):
        cited_keys(three.worksheet("no-such-worksheet"))


# --- the reference search: every word, any order, accents and case ignored ----------------------


def oracle(base: kb.KnowledgeBase, term: str) -> list[str]:
    """Keys whose record fields hold every folded word of ``term``: the rule, written plainly."""
    words = fold(term).split()
    found = []
    for ref in base.references.values():
        fields = [ref.key, ref.title, *(a.display for a in ref.authors)]
        fields += [f for f in (ref.journal, ref.publisher, ref.year) if f]
        text = fold("\n".join(str(f) for f in fields))
        if words and all(w in text for w in words):
            found.append(ref.key)
    return sorted(found)


def agree(base: kb.KnowledgeBase, index: LibraryIndex, term: str) -> list[str]:
    """The index finds exactly the keys the plain rule finds."""
    found = [h.key for h in index.search(term)]
    assert sorted(found) == oracle(base, term), term
    return found


def data_terms(base: kb.KnowledgeBase) -> list[str]:
    """Search terms taken from the references: parts of titles, names, venues, keys, years, and
    words from two fields in either order."""
    terms: list[str] = []
    for ref in base.references.values():
        words = ref.title.split()
        terms += [ref.key, ref.key[:4], ref.title, ref.title[3:15], words[0], words[-1]]
        terms.append(" ".join(reversed(words)))
        for author in ref.authors:
            terms += [author.display, author.family or author.literal or ""]
            terms.append(f"{ref.year} {author.family or author.literal}")
        if ref.journal:
            terms += [ref.journal, ref.journal[2:10]]
        if ref.publisher:
            terms.append(ref.publisher)
        if ref.year:
            terms.append(str(ref.year))
        if len(ref.authors) > 1:
            terms.append(f"{ref.authors[1].display} {ref.authors[0].display}")
    cases: list[Callable[[str], str]] = [str.lower, str.upper, str.swapcase, str.title]
    terms += [c(t) for t in terms[::7] for c in cases]
    return [t for t in terms if t.strip()]


ODD_TERMS = [
    '"', "\\", "(", ")", "*", ".", "?", "[", "]", "{", "}", "^", "$", "|", "+", "'", "#",
    '") } UNION { ?s ?p ?o } #', ".*", "a.*b", "%", "_", "\\n", "\\\"", "&", ":", "—",
    "qqzzxxjj-nothing", "  hazan  ", "ø", "Ø",
]  # fmt: skip


def test_search_agrees_with_the_plain_rule_on_the_seed(seed: kb.KnowledgeBase) -> None:
    """On the seed, every term from the data and every odd term finds what the rule finds."""
    index = LibraryIndex.of(seed)
    assert len(index) == 16
    hits = sum(bool(agree(seed, index, term)) for term in data_terms(seed) + ODD_TERMS)
    assert hits > 100
    assert agree(seed, index, "qqzzxxjj-nothing") == []
    assert agree(seed, index, "  HAZAN  ") == agree(seed, index, "hazan")


@pytest.mark.parametrize(
    ("term", "first"),
    [
        ("hazan 1987", "hazan1987"),
        ("Hazan Shaver", "hazan1987"),
        ("shaver hazan", "hazan1987"),
        ("lonfeldt", "nielsen2017"),
        ("Lønfeldt", "nielsen2017"),
        ("LONFELDT 2017", "nielsen2017"),
        ("hazan", "hazan1987"),
    ],
)
def test_search_finds_what_readers_type(seed: kb.KnowledgeBase, term: str, first: str) -> None:
    """The searches users tried: names with a year, names in any order, a name without its ø
    (Lønfeldt is Nielsen et al. 2017's second author); the authors' match comes first."""
    hits = LibraryIndex.of(seed).search(term)
    assert hits, term
    assert hits[0].key == first, [h.key for h in hits]


def test_the_authors_match_comes_before_a_title_match(seed: kb.KnowledgeBase) -> None:
    """ "hazan" is Hazan's name in three references: Hazan & Shaver first, then by key."""
    keys = [h.key for h in LibraryIndex.of(seed).search("hazan")]
    assert keys == ["hazan1987", "sbarra2008", "selcuk2010"]


def test_search_within_keys(seed: kb.KnowledgeBase) -> None:
    """``keys=`` searches one scope only (the References page of one worksheet)."""
    index = LibraryIndex.of(seed)
    assert [h.key for h in index.search("hazan", keys={"sbarra2008"})] == ["sbarra2008"]
    assert index.search("hazan", keys=set()) == []


def test_search_on_three_worksheets(three: kb.KnowledgeBase, three_index: LibraryIndex) -> None:
    """On three worksheets, every term from the data finds the reference it was taken from."""
    assert len(three_index) == len(three.references) == 53
    hits = 0
    for ref in three.references.values():
        for term in (ref.key, ref.title, f"{ref.year or ''} {ref.authors[0].display}"):
            keys = {h.key for h in three_index.search(term)}
            assert ref.key in keys, (ref.key, term)
            hits += 1
    assert hits == 3 * 53


def test_index_finds_a_reference_by_every_field(
    three: kb.KnowledgeBase, three_index: LibraryIndex
) -> None:
    """Each reference is found by its key, title, each author, venue and publisher, any case."""
    for ref in three.references.values():
        fields = [ref.key, ref.title, *(a.display for a in ref.authors)]
        fields += [f for f in (ref.journal, ref.publisher) if f]
        for field in fields:
            for text in (field, field.upper(), f"  {field.lower()}\t"):
                assert ref.key in {h.key for h in three_index.search(text)}, (ref.key, text)


@pytest.mark.parametrize("text", ["", " ", "   ", "\t", "\n", " \t\n "])
def test_empty_text_finds_nothing(three_index: LibraryIndex, text: str) -> None:
    """Empty or whitespace-only text finds nothing (not everything)."""
    assert three_index.search(text) == []
    assert three_index.search(text, limit=5) == []


@pytest.mark.parametrize("term", ["a", "attach", "re", ".", "ren"])
def test_limit_gives_the_first_hits(three_index: LibraryIndex, term: str) -> None:
    """``limit`` N gives the first N hits of the unlimited search."""
    every = three_index.search(term)
    assert len(every) > 3
    for n in (1, 2, 3, len(every) - 1, len(every), len(every) + 5):
        assert three_index.search(term, limit=n) == every[:n]


def test_limit_zero_finds_nothing(three_index: LibraryIndex) -> None:
    """A limit of 0 hits gives no hit."""
    assert three_index.search("attach", limit=0) == []


def test_hits_carry_the_citing_worksheets(
    three: kb.KnowledgeBase, three_index: LibraryIndex
) -> None:
    """Each hit names, in folder order, the worksheets that print or link it; and its fields."""
    multi = 0
    for key in three.references:
        (hit,) = [h for h in three_index.search(key) if h.key == key]
        citing = tuple(
            w.worksheet.id
            for w in three.worksheets
            if key in {n.key for n in w.references} | {x.reference for x in w.links}
        )
        assert citing
        assert hit.worksheets == citing, key
        multi += len(citing) > 1
        ref = three.references[key]
        assert (hit.title, hit.year) == (ref.title, ref.year)
        assert hit.authors.startswith(ref.authors[0].display)
        assert ("et al." in hit.authors) == (len(ref.authors) > 3)
    assert multi >= 1  # synth re-cites references across worksheets


def test_hits_of_the_seed_name_its_worksheet(seed: kb.KnowledgeBase) -> None:
    """On the seed, every reference is found and cited by the one worksheet."""
    index = LibraryIndex.of(seed)
    hits = index.search("")
    assert hits == []
    every = [next(h for h in index.search(key) if h.key == key) for key in seed.references]
    assert {h.worksheets for h in every} == {(WORKSHEET,)}


def _field_slice(base: kb.KnowledgeBase) -> st.SearchStrategy[str]:
    fields = sorted(
        {
            text
            for ref in base.references.values()
            for text in (
                ref.key,
                ref.title,
                ref.journal or "",
                ref.publisher or "",
                *(a.display for a in ref.authors),
            )
            if text
        }
    )

    @st.composite
    def slice_of(draw: st.DrawFn) -> str:
        text = draw(st.sampled_from(fields))
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        case = draw(st.sampled_from([str, str.lower, str.upper, str.swapcase]))
        return str(case(text[start:end]))

    return slice_of()


def test_property_slices_of_real_fields_agree(
    three: kb.KnowledgeBase, three_index: LibraryIndex
) -> None:
    """Any slice of a real title, name, venue or key, in any case, finds the same keys."""

    @settings(max_examples=60, deadline=None)
    @given(_field_slice(three))
    def check(term: str) -> None:
        if not term.strip():
            assert three_index.search(term) == []
            return
        assert agree(three, three_index, term)  # a slice of a real field finds its reference

    check()


ALPHABET = "aeioursnt .,&:-'\"\\()*?øÆ"


def test_property_short_random_texts_agree(
    three: kb.KnowledgeBase, three_index: LibraryIndex
) -> None:
    """Short random texts (letters, spaces, punctuation, SPARQL and regex specials) agree."""

    @settings(max_examples=60, deadline=None)
    @given(st.text(alphabet=ALPHABET, min_size=1, max_size=4))
    def check(term: str) -> None:
        if term.strip():
            agree(three, three_index, term)
        else:
            assert three_index.search(term) == []

    check()


# --- known divergences between the index and SEARCH_REFERENCES ------------------------------------


def _edit_bib(tmp: Path, edit: Callable[[str], str]) -> kb.KnowledgeBase:
    inputs = copy_inputs(tmp)
    inputs.bib.write_text(edit(inputs.bib.read_text(encoding="utf-8")), encoding="utf-8")
    return kb.load(bib=inputs.bib, data=inputs.data)


def _same_person_another_spelling(text: str) -> str:
    old = "author = {Sbarra, D. A. and Hazan, C.}"
    assert old in text
    return text.replace(old, "author = {Sbarra, D. A. and Hazan, Cindy}")


def _same_journal_slug(text: str) -> str:
    old = "journal = {The Journal of Social Psychology}"
    assert old in text
    return text.replace(old, "journal = {Journal of Personality and Social Psychology.}")


def _uncited_entry(text: str) -> str:
    return text + (
        "\n@article{orphan2020,\n  author = {Orphan, Q.},\n  title = {An uncited paper},\n"
        "  journal = {Nowhere Review},\n  year = {2020},\n}\n"
    )


@pytest.mark.parametrize(
    ("edit", "term", "expected"),
    [
        # agent nodes merge "Hazan, C." and "Hazan, Cindy" (family + initial): the graph has one
        # person, so "cindy" finds every reference of hers, not only sbarra2008's spelling
        (_same_person_another_spelling, "cindy", {"hazan1987", "sbarra2008", "selcuk2010"}),
        # journal nodes merge titles with one slug: every JPSP article is found by the trailing
        # "psychology." of zhang2012's venue
        (_same_journal_slug, "psychology.", {"hazan1987", "zhang2012"}),
        # a bib entry no worksheet cites is in the store, so the search finds it
        (_uncited_entry, "orphan", {"orphan2020"}),
    ],
    ids=["person-merged", "journal-merged", "uncited-entry"],
)
def test_search_reads_the_graph_where_nodes_merge(
    tmp_path: Path, edit: Callable[[str], str], term: str, expected: set[str]
) -> None:
    """The search reads names as the graph holds them: a merged person or journal is found under
    each of its names, and every reference in the store is searchable."""
    base = _edit_bib(tmp_path, edit)
    assert {h.key for h in LibraryIndex.of(base).search(term)} >= expected


def test_two_worksheets_appraising_one_work_differently_are_refused(
    synth3: Path, tmp_path: Path
) -> None:
    """Load refuses a reference that two worksheets appraise differently, naming both files."""
    import shutil

    import yaml

    copy = tmp_path / "x3"
    shutil.copytree(synth3, copy)
    sheets = {}
    for folder in sorted((copy / "data").iterdir()):
        notes = yaml.safe_load((folder / "references.yaml").read_text(encoding="utf-8"))
        sheets[folder] = notes
    shared = None
    for a, notes_a in sheets.items():
        for b, notes_b in sheets.items():
            common = {n["key"] for n in notes_a["references"]} & {
                n["key"] for n in notes_b["references"]
            }
            if a < b and common:
                shared = (a, b, sorted(common)[0])
                break
        if shared:
            break
    assert shared is not None, "the synthetic corpus re-cites a reference across worksheets"
    first, second, key = shared
    notes = sheets[second]
    note = next(n for n in notes["references"] if n["key"] == key)
    other = next(n for n in sheets[first]["references"] if n["key"] == key)
    note["peer_reviewed"] = "no" if other["peer_reviewed"] == "yes" else "yes"
    (second / "references.yaml").write_text(yaml.safe_dump(notes), encoding="utf-8")
    with pytest.raises(kb.KbError) as caught:
        kb.load(bib=copy / "references.bib", data=copy / "data")
    line = caught.value.one_line()
    assert key in line
    assert "peer reviewed" in line
    assert str(first.name) in line
    assert str(second.name) in line


def test_knowledge_base_narrow_is_scoped(seed: kb.KnowledgeBase) -> None:
    """`KnowledgeBase.narrow(ws)` is the one way to narrow: the same records as `scoped`."""
    ws = seed.worksheets[0].worksheet.id
    small = seed.narrow(ws)
    assert [w.worksheet.id for w in small.worksheets] == [ws]
    assert list(small.references) == list(scoped(seed, ws).references)
