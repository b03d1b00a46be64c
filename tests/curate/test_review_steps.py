"""The review steps of the Curate page's data layer (kb.curate.editor): the blind second review
records the reviewer's own judgement whatever it says; resolving is a later step that sets the
link to the final judgement; a review round is started with the code `kb review packet --round N`
runs, all at once, and undone until a return is added."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import kb
from kb.curate.editor import Editor
from kb.errors import KbError
from kb.evidence.packet import make_packet
from kb.evidence.rounds import round_report, round_texts, write_round
from kb.records.models import Judgement
from kb.records.review_rounds import read_round
from kb.records.worksheet import read_checked
from tests.helpers import Inputs, copy_inputs

RATIONALE = "Read from the title only: it names attachment across the life span, the claim's theme."
FIRST = Judgement(stance="background", directness="indirect")


def _proposed(ed: Editor) -> str:
    """Propose a link from the first suggestion, as the Curate page does; its id."""
    s = ed.suggestions()[0]
    ed.accept_suggestion(s.claim, s.reference, stance=FIRST.stance, directness=FIRST.directness,
                         basis="title", rationale=RATIONALE, curator="First Curator",
                         status="proposed")  # fmt: skip
    ed.save("proposed")
    return f"{s.claim}--{s.reference}"


@pytest.mark.parametrize(
    "second",
    [FIRST, Judgement(stance="qualifies", directness="indirect")],
    ids=["agreeing", "differing"],
)
def test_the_blind_review_is_saved_whatever_it_says(tmp_path: Path, second: Judgement) -> None:
    """A second judgement is saved with the reviewer's name, reasons and date whether or not it
    agrees with the first, writing the same files either way; a differing one leaves the link
    awaiting resolution (regression: a differing one was refused until given a resolution)."""
    inputs = copy_inputs(tmp_path)
    ed = Editor.open(inputs.ws, inputs.bib)
    link = _proposed(ed)
    ed.record_review(link, second, reviewer="Second Reviewer", reasons="Only the title is known.",
                     date=dt.date(2026, 12, 8))  # fmt: skip
    ed.accept_link(link)
    assert ed.save(f"reviewed {link}") == ["links.yaml", "reviews.yaml"]
    (review,) = [r for r in read_checked(inputs.ws).reviews if r.link == link]
    assert review.second == second
    assert (review.reviewer, review.reasons) == ("Second Reviewer", "Only the title is known.")
    assert review.reviewed == dt.date(2026, 12, 8)
    assert review.resolution is None
    assert review.awaiting is (second != FIRST)


def _awaiting(inputs: Inputs) -> tuple[Editor, str]:
    ed = Editor.open(inputs.ws, inputs.bib)
    link = _proposed(ed)
    ed.record_review(link, Judgement(stance="qualifies", directness="indirect"),
                     reviewer="Second Reviewer", reasons="The title limits the claim.")  # fmt: skip
    ed.accept_link(link)
    ed.save(f"reviewed {link}")
    return ed, link


def test_resolving_sets_the_final_judgement(tmp_path: Path) -> None:
    """A third person's resolution is recorded with their name and date, and the link takes the
    final judgement (and a new rationale where given); it is then no longer awaiting."""
    inputs = copy_inputs(tmp_path)
    ed, link = _awaiting(inputs)
    final = Judgement(stance="qualifies", directness="indirect")
    rationale = (
        "Read from the title only: it speaks of change in attachment, which limits the claim."
    )
    ed.resolve_review(link, final, resolution="Adopted the second: the title limits the claim.",
                      resolver="Third Person", date=dt.date(2026, 12, 9),
                      rationale=rationale)  # fmt: skip
    assert ed.save(f"resolved {link}") == ["links.yaml", "reviews.yaml"]
    data = read_checked(inputs.ws)
    (review,) = [r for r in data.reviews if r.link == link]
    (now,) = [x for x in data.links if x.id == link]
    assert (review.resolver, review.resolved) == ("Third Person", dt.date(2026, 12, 9))
    assert not review.awaiting
    assert (now.stance, now.directness, now.rationale) == ("qualifies", "indirect", rationale)
    with pytest.raises(KbError, match="nothing to resolve: it is resolved already"):
        ed.resolve_review(link, final, resolution="Again.", resolver="Third Person")


@pytest.mark.parametrize(
    ("resolver", "message"),
    [
        ("Second Reviewer", "resolver is the link's reviewer"),
        ("first curator", "resolver is the link's curator"),
        ("  ", "give the resolver's name"),
    ],
    ids=["the-reviewer", "the-curator", "nobody"],
)
def test_a_resolution_by_a_party_is_refused_and_writes_nothing(
    tmp_path: Path, resolver: str, message: str
) -> None:
    """The second reviewer, the first curator or no name at all cannot resolve: the save is
    refused with one line naming the reviews file and the link, and no file changes."""
    inputs = copy_inputs(tmp_path)
    ed, link = _awaiting(inputs)
    before = {p.name: p.read_bytes() for p in inputs.ws.iterdir() if p.is_file()}

    def resolve() -> None:
        ed.resolve_review(link, FIRST, resolution="Kept the first.", resolver=resolver)
        ed.save("resolved")

    with pytest.raises(KbError, match=message) as caught:
        resolve()
    assert ed.shown(caught.value).startswith(f"{inputs.ws.name}/reviews.yaml: {link}: ")
    assert {p.name: p.read_bytes() for p in inputs.ws.iterdir() if p.is_file()} == before


def test_an_agreed_link_has_nothing_to_resolve(tmp_path: Path) -> None:
    """Resolving a link whose two judgements agree is refused."""
    inputs = copy_inputs(tmp_path)
    ed = Editor.open(inputs.ws, inputs.bib)
    agreed = next(r.link for r in ed.data.reviews if r.agreed)
    with pytest.raises(KbError, match="nothing to resolve: its two judgements agree"):
        ed.resolve_review(agreed, FIRST, resolution="x", resolver="Third Person")


def _no_rounds(tmp_path: Path) -> Inputs:
    inputs = copy_inputs(tmp_path)
    shutil.rmtree(inputs.ws / "review-rounds")
    return inputs


def test_starting_a_round_writes_what_kb_review_packet_writes(tmp_path: Path) -> None:
    """A worksheet without rounds gets round 1: the packet, hash and first judgements that
    `kb review packet --round 1` writes for the same data, byte for byte; `kb review` verifies
    it; the next round is 2, and round 1 is never written again."""
    inputs = _no_rounds(tmp_path)
    ed = Editor.open(inputs.ws, inputs.bib)
    assert ed.rounds() == []
    assert ed.next_round() == 1
    files = ed.start_round(note="started review round 1")
    assert files == [f"review-rounds/round-1/{n}" for n in ("first.yaml", "packet.md",
                                                          "packet.sha256")]  # fmt: skip
    base = kb.load(bib=inputs.bib, data=[inputs.ws])
    expected = round_texts(base.worksheet(), base.references)
    folder = inputs.ws / "review-rounds" / "round-1"
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} == expected
    assert expected["packet.md"] == make_packet(base.worksheet(), base.references)
    assert round_report(base.worksheet(), base.references, read_round(folder)).verified
    assert [r.round for r in ed.rounds()] == ["round-1"]
    assert ed.next_round() == 2
    with pytest.raises(KbError, match="already has a packet"):
        ed.start_round(1)


def test_undo_removes_a_started_round_until_a_return_is_added(tmp_path: Path) -> None:
    """Undo takes a round just started away, folder and all; once a reviewer's return is in
    the round folder, undo is refused and nothing is removed."""
    inputs = _no_rounds(tmp_path)
    ed = Editor.open(inputs.ws, inputs.bib)
    ed.start_round()
    undone = ed.undo()
    assert undone.files == [f"review-rounds/round-1/{n}" for n in ("first.yaml", "packet.md",
                                                                 "packet.sha256")]  # fmt: skip
    assert not (inputs.ws / "review-rounds").exists()
    ed.start_round()
    folder = inputs.ws / "review-rounds" / "round-1"
    (folder / "returns-b.yaml").write_text("reviewer: b\n", encoding="utf-8")
    with pytest.raises(KbError, match=r"returns-b\.yaml; a round with returns is kept"):
        ed.undo()
    assert sorted(p.name for p in folder.iterdir()) == [
        "first.yaml",
        "packet.md",
        "packet.sha256",
        "returns-b.yaml",
    ]


def test_a_round_is_not_started_from_stale_or_unsaved_data(tmp_path: Path) -> None:
    """The packet is made from the files as saved: a round is refused while the editor holds an
    unsaved edit, or after another editor changed the files since this one read them."""
    inputs = _no_rounds(tmp_path)
    ed = Editor.open(inputs.ws, inputs.bib)
    other = Editor.open(inputs.ws, inputs.bib)
    ed.edit_link(ed.data.links[0].id, rationale=RATIONALE)
    with pytest.raises(KbError, match="edits not saved yet"):
        ed.start_round()
    ed.save("edited")
    with pytest.raises(KbError, match="changed on disk since it was read"):
        other.start_round()
    assert not (inputs.ws / "review-rounds").exists()


def test_a_round_folder_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    """write_round stages the files in a hidden folder and renames it into place: no partial
    round is left behind when it is refused, and a folder holding other files is refused."""
    inputs = _no_rounds(tmp_path)
    data = read_checked(inputs.ws).accepted()
    refs = {r.key: r for r in kb.load(bib=inputs.bib, data=[inputs.ws]).references.values()}
    folder = write_round(data, refs, inputs.ws, 1)
    with pytest.raises(KbError, match="already has a packet"):
        write_round(data, refs, inputs.ws, 1)
    crowded = inputs.ws / "review-rounds" / "round-2"
    crowded.mkdir()
    (crowded / "notes.txt").write_text("kept\n", encoding="utf-8")
    with pytest.raises(KbError, match="holds files but no packet"):
        write_round(data, refs, inputs.ws, 2)
    assert sorted(p.name for p in (inputs.ws / "review-rounds").iterdir()) == [
        "round-1",
        "round-2",
    ]  # no hidden staging folder left
    assert sorted(p.name for p in folder.iterdir()) == ["first.yaml", "packet.md", "packet.sha256"]
