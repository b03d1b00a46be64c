"""One question, one answer (kb.core.resolve): each kind is named by number, id, slug or label, case
and accents ignored; words that name nothing are one usage error (exit 2) listing the choices,
whatever the door — an argument, an export filter, a dashboard lookup."""

from __future__ import annotations

import pytest

import kb
from kb.browse.graph import focus_node
from kb.core.resolve import (
    cited_keys,
    resolve_author,
    resolve_claim,
    resolve_reference,
    resolve_skill,
    resolve_topic,
    resolve_worksheet,
    topic_index,
    topics_under,
)
from kb.errors import EXIT_UNREADABLE, UsageError
from kb.export import select_references
from kb.network import pages
from kb.rdf.iris import topic_iri
from tests.helpers import run_kb, seed_kb


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    return seed_kb()


@pytest.mark.parametrize("name", ["7", 7, "minimize-stressors", "Minimize stressors",
                                  "MINIMIZE STRESSORS", "creating-secure-attachment/7",
                                  "Creating Secure Attachment/minimize-stressors"])  # fmt: skip
def test_a_skill_by_number_slug_or_title(base: kb.KnowledgeBase, name: str | int) -> None:
    """A skill is named by its number, slug or title, optionally after its worksheet."""
    assert resolve_skill(base, name).slug == "minimize-stressors"


@pytest.mark.parametrize("name", ["attachment-styles", "Attachment styles", "ATTACHMENT STYLES"])
def test_a_topic_by_id_or_label(base: kb.KnowledgeBase, name: str) -> None:
    """A topic is named by its id or its label, case ignored."""
    assert resolve_topic(base, name).id == "attachment-styles"


@pytest.mark.parametrize("name", ["Lonfeldt", "lønfeldt", "LØNFELDT", "Lønfeldt, N.", "lonfeldt-n"])
def test_an_author_by_id_family_or_name(base: kb.KnowledgeBase, name: str) -> None:
    """An author is named by id, family name or name as shown, accents ignored."""
    assert resolve_author(base, name).person_id == "lonfeldt-n"


def test_an_organisation_by_the_start_of_its_name(base: kb.KnowledgeBase) -> None:
    """An organisation's name may be given by its first words."""
    found = resolve_author(base, "Columbia University")
    assert found.person_id == "columbia-university-department-of-psychiatry"


@pytest.mark.parametrize("name", ["hazan1987", "HAZAN1987", "Hazan & Shaver (1987)"])
def test_a_reference_by_key_or_label(base: kb.KnowledgeBase, name: str) -> None:
    """A reference is named by its key or its short label."""
    assert resolve_reference(base, name).key == "hazan1987"


@pytest.mark.parametrize("name", ["1", "creating-secure-attachment", "Creating Secure Attachment"])
def test_a_worksheet_by_number_id_or_title(base: kb.KnowledgeBase, name: str) -> None:
    """A worksheet is named by its number, id or title."""
    assert resolve_worksheet(base, name).worksheet.id == "creating-secure-attachment"


def test_a_claim_by_id(base: kb.KnowledgeBase) -> None:
    """A claim is named by its id, or ``worksheet/id``."""
    claim = base.claims[0]
    assert resolve_claim(base, claim.id.upper()).claim == claim
    assert resolve_claim(base, f"creating-secure-attachment/{claim.id}").claim == claim


@pytest.mark.parametrize(
    ("resolve", "kind"),
    [
        (resolve_skill, "skill"),
        (resolve_topic, "topic"),
        (resolve_author, "author"),
        (resolve_reference, "reference"),
        (resolve_worksheet, "worksheet"),
        (resolve_claim, "claim"),
    ],
    ids=["skill", "topic", "author", "reference", "worksheet", "claim"],
)
def test_naming_nothing_is_one_usage_error(base: kb.KnowledgeBase, resolve, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Words that name nothing: a UsageError (exit 2) naming the kind and listing choices."""
    with pytest.raises(UsageError) as caught:
        resolve(base, "no such thing", given_as=f"--{kind}")
    assert caught.value.exit_code == EXIT_UNREADABLE
    assert caught.value.record == f"--{kind}"
    assert f"unknown {kind} 'no such thing'; choose one of: " in caught.value.message


def test_topics_under_walks_every_depth(base: kb.KnowledgeBase) -> None:
    """A topic's narrower topics are found at any depth (relationships > attachment > styles)."""
    under = topics_under(topic_index(base), "relationships")
    assert {"relationships", "attachment", "attachment-styles"} <= under
    assert "stress" not in under


def test_cited_keys_are_printed_then_linked(base: kb.KnowledgeBase) -> None:
    """A worksheet's references: those it prints, in printed order (all 16 on the seed)."""
    sheet = base.worksheets[0]
    printed = [n.key for n in sorted(sheet.references, key=lambda n: n.number)]
    assert cited_keys(sheet)[: len(printed)] == printed


# --- the doors agree ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Attachment styles", "attachment-styles"])
def test_topic_doors_agree(base: kb.KnowledgeBase, name: str) -> None:
    """`kb topics`, `kb export --topic`, the Topics page and the graph focus name one topic."""
    info = pages.topic_info(base, name)
    assert info["id"] == "attachment-styles"
    assert focus_node(base, "topic", name) == str(topic_iri("attachment-styles"))
    keys = {r.key for r in select_references(base, topics=[name])}
    assert {r["key"] for r in info["references"]} <= keys


@pytest.mark.parametrize(
    "args",
    [
        ["evidence", "nope"],
        ["export", "ris", "--skill", "nope"],
        ["profile", "nope"],
        ["export", "ris", "--topic", "nope"],
        ["topics", "nope"],
        ["export", "ris", "--author", "nope"],
        ["authors", "nope"],
        ["cite", "nope"],
    ],
    ids=" ".join,
)
def test_the_same_mistake_gives_the_same_exit_code(args: list[str]) -> None:
    """Naming nothing exits 2 with one line naming the argument or option as it was given."""
    out = run_kb(*args)
    assert out.returncode == EXIT_UNREADABLE
    assert out.stderr.count("\n") == 1
    given = next((a for a in args if a.startswith("--")), None)
    expected = given or {"evidence": "SKILL", "profile": "SKILL", "topics": "TOPIC",
                         "authors": "NAME", "cite": "KEY"}[args[0]]  # fmt: skip
    assert out.stderr.startswith(f"kb: error: {expected}: unknown ")
    assert "choose one of" in out.stderr


def test_export_by_topic_label_works() -> None:
    """`kb export ris --topic "Attachment styles"` exports that topic's references."""
    out = run_kb("export", "ris", "--topic", "Attachment styles")
    assert out.returncode == 0, out.stderr
    assert out.stdout == run_kb("export", "ris", "--topic", "attachment-styles").stdout
