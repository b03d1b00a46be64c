"""One question, one answer: the command line and the dashboard are asked the same questions
(a search, a topic, an author, a skill) and give the same answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_app import open_page, table, texts
from tests.helpers import raw_ids, run_kb, seed_kb

SEARCHES = ["Hazan", "hazan 1987", "Shaver Hazan", "lonfeldt", "Lønfeldt", "attachment style",
            "love", "2017", "Journal", "no-such-word"]  # fmt: skip


@pytest.mark.parametrize("text", SEARCHES)
def test_search_doors_agree(text: str) -> None:
    """`kb search TEXT` finds the references the References page's search box finds."""
    cli = run_kb("search", text, "--format", "json", "--limit", "1000")
    assert cli.returncode == 0, cli.stderr
    at = open_page("references", q=text)
    shown = set(table(at)["key"]) if at.dataframe else set()
    assert {row["key"] for row in json.loads(cli.stdout)} == shown


@pytest.mark.parametrize(("text", "near"), [("Hazen", "Hazan"), ("Lonfelt", "Lønfeldt")])
def test_suggestion_doors_agree(text: str, near: str) -> None:
    """A search that finds nothing suggests the same nearest search in both doors."""
    cli = run_kb("search", text)
    assert f"did you mean: {near}" in cli.stderr
    assert f"Did you mean “{near}”?" in texts(open_page("references", q=text))


@pytest.mark.parametrize("name", ["Attachment styles", "attachment-styles", "CONFLICT RESOLUTION"])
def test_topic_doors_agree(name: str) -> None:
    """`kb topics NAME` and ?topic=NAME open the same topic."""
    cli = json.loads(run_kb("topics", name, "--format", "json").stdout)
    at = open_page("topics", topic=name)
    assert at.query_params["topic"] == cli["id"]
    assert cli["label"] in texts(at)


@pytest.mark.parametrize("name", ["Hazan", "lonfeldt", "Lønfeldt, N.", "shaver-p"])
def test_author_doors_agree(name: str) -> None:
    """`kb authors NAME` and ?author=NAME open the same author."""
    cli = json.loads(run_kb("authors", name, "--format", "json").stdout)
    at = open_page("authors", author=name)
    assert at.query_params["author"] == cli["id"]
    assert not at.error


@pytest.mark.parametrize("name", ["7", "minimize-stressors", "Minimize stressors"])
def test_skill_doors_agree(name: str) -> None:
    """`kb evidence NAME` and ?skill=NAME open the same skill."""
    cli = json.loads(run_kb("evidence", name, "--format", "json").stdout)
    at = open_page("skills", skill=name)
    assert at.query_params["skill"] == cli["skill"]
    assert at.title[0].value.endswith(cli["title"])


def test_title_only_doors_agree() -> None:
    """`kb gaps` (text and JSON) names each title-only source and its claims as the Gaps & Audit
    page does ("Zhang (2012, may not exist): Claim 20 (background)"), never by bib key or claim
    id; the JSON keeps the ids beside the names."""
    from kb.browse.views import title_only_sources

    page = texts(open_page("gaps"))
    sources = title_only_sources(seed_kb())
    listed = json.loads(run_kb("gaps", "--format", "json").stdout)["title_only_references"]
    text = " ".join(run_kb("gaps").stdout.split())  # unwrapped
    text = text[text.index("Sources judged from their title only") :]
    assert [s["key"] for s in listed] == sorted(s.key for s in sources)
    for source in sources:
        cli = next(s for s in listed if s["key"] == source.key)
        assert [(x["claim"], x["claim_id"], x["stance"]) for x in cli["links"]] == [
            (x.shown, x.claim_id, x.stance) for x in source.links
        ]
        line = f"{source.name}: " + ", ".join(x.text for x in source.links)
        assert line in text
        for link in source.links:
            assert link.text in page
            assert link.claim_id not in text
        assert f"[{source.key}]" not in text


def _links(row: dict[str, object]) -> str:
    """A gaps row's links as the page's "links" column shows them."""
    links = row["links"]
    assert isinstance(links, list)
    return ", ".join(f"{x['reference']} ({x['stance']})" for x in links) or "none"


def _gaps_doors(at: AppTest, listed: dict[str, list[dict[str, object]]]) -> None:
    """The page's claim tables (with no supporting link, then grey-only), very-low skills and
    unused references are the CLI's rows, named alike."""
    frames = [d.value for d in at.dataframe]
    claims = [f for f in frames if "links" in f.columns]
    for shown, name in zip(claims, ["unsupported_claims", "grey_only_claims"], strict=True):
        rows = listed[name]
        assert list(shown["claim"]) == [r["claim"] for r in rows], name
        assert list(shown["where"]) == [r["place"] for r in rows], name
        assert list(shown["links"]) == [_links(r) for r in rows], name
    skills = next(f for f in frames if "stated reasons" in f.columns)
    unused = next(f for f in frames if list(f.columns) == ["reference", "design"])
    assert len(skills) == len(listed["very_low_skills"])
    assert list(unused["reference"]) == [r["reference"] for r in listed["unused_references"]]


def test_gaps_doors_agree() -> None:
    """`kb gaps` and the Gaps & Audit page list the same rows, named alike: claims "Claim 12"
    with their skill, skills "Skill 2. Examine…", references "Author (year)"; the text shows no
    bib key or claim id, the JSON keeps them as ``claim_id`` and ``key``."""
    at = open_page("gaps")
    listed = json.loads(run_kb("gaps", "--format", "json").stdout)
    _gaps_doors(at, listed)
    text = " ".join(run_kb("gaps").stdout.split())  # unwrapped
    assert raw_ids(seed_kb(), text) == set()
    for row in listed["unsupported_claims"] + listed["grey_only_claims"]:
        assert re.fullmatch(r"Claim \d+", row["claim"]), row["claim_id"]
        assert f"- {row['claim']} ({row['place']}): " in text
    skills = next(d.value for d in at.dataframe if "stated reasons" in d.value.columns)
    for shown in skills["skill"]:
        assert re.match(r"Skill \d\. ", shown)
        assert f"- {shown}: " in text
    for row in listed["unused_references"]:
        assert f"- {row['reference']}: " in text


def test_gaps_doors_name_the_worksheet_in_a_library(many: Path) -> None:
    """With the three worksheets of a library shown together, "Claim 4" alone would be
    ambiguous: both doors name a claim or skill after its worksheet's id
    ("creating-secure-attachment, Claim 4"); with one worksheet chosen (`--worksheet`), by
    number alone, as for a single worksheet."""
    inputs = ["--bib", str(many / "references.bib"), "--data", str(many / "data")]
    listed = json.loads(run_kb(*inputs, "gaps", "--format", "json").stdout)
    _gaps_doors(open_page("gaps"), listed)
    rows = listed["unsupported_claims"] + listed["grey_only_claims"]
    assert len({r["worksheet"] for r in rows}) == 3
    for row in rows:
        assert re.fullmatch(rf"{re.escape(row['worksheet'])}, Claim \d+", row["claim"])
    for source in listed["title_only_references"]:
        for link in source["links"]:
            assert link["claim"].startswith(f"{link['worksheet']}, Claim ")
    text = " ".join(run_kb(*inputs, "gaps").stdout.split())
    for row in listed["very_low_skills"]:
        assert f"- {row['worksheet']}, Skill {row['order']}. {row['title']}: " in text
    ws = rows[-1]["worksheet"]
    one = json.loads(run_kb(*inputs, "gaps", "--worksheet", ws, "--format", "json").stdout)
    _gaps_doors(open_page("gaps", worksheet=ws), one)
    mine = one["unsupported_claims"] + one["grey_only_claims"]
    assert [r["claim"] for r in mine] == [
        r["claim"].removeprefix(f"{ws}, ") for r in rows if r["worksheet"] == ws
    ]
