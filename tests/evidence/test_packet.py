"""The blind review packet and a verifiable round (kb/evidence/packet.py, rounds.py): the packet
shows what a second reviewer may see and nothing of the first judgement; `kb review` verifies a
stored round by making the packet again and comparing, and says why when it cannot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kb.evidence.packet import make_packet, sha256_text
from kb.evidence.rounds import round_report, write_round
from kb.records.review_rounds import read_round
from tests.helpers import copy_inputs, seed_kb

BASE = seed_kb()
WS = BASE.worksheet()
PACKET = make_packet(WS, BASE.references)


def _section(link_id: str) -> str:
    start = PACKET.index(f". {link_id}\n")
    end = PACKET.find("\n## ", start)
    return PACKET[start : end if end > 0 else None]


def test_packet_is_the_same_bytes_every_time() -> None:
    """Made twice from the same data, the packet is byte-identical (so its hash can be checked)."""
    assert make_packet(WS, BASE.references) == PACKET


@pytest.mark.parametrize("link", WS.links, ids=lambda x: x.id)
def test_packet_shows_no_first_judgement(link: object) -> None:
    """A link's section gives the claim's exact words and kind and every finding of its
    reference, but not its stance, directness, basis, rationale or chosen findings' order."""
    section = _section(link.id)  # type: ignore[attr-defined]
    claim = next(c for c in WS.claims if c.id == link.claim)  # type: ignore[attr-defined]
    assert f"“{claim.quote}”" in section
    assert f"({claim.kind}:" in section
    assert link.rationale not in PACKET  # type: ignore[attr-defined]
    assert not re.search(r"\b(stance|directness|basis|rationale)\s*:", section)
    mine = sorted(f.id for f in WS.findings if f.reference == link.reference)  # type: ignore[attr-defined]
    assert re.findall(r"- `([^`]+)`", section) == mine


def _round(tmp_path: Path) -> Path:
    inputs = copy_inputs(tmp_path)
    return write_round(WS, BASE.references, inputs.ws, 99)  # a round the data does not hold


def _return(folder: Path, who: str, sha: str, flip: int = 0) -> None:
    first = yaml.safe_load((folder / "first.yaml").read_text(encoding="utf-8"))
    rows = []
    for i, j in enumerate(first["judgements"]):
        stance = j["stance"]
        if i < flip:
            stance = "background" if stance != "background" else "supports"
        rows.append({"link": j["link"], "stance": stance, "directness": j["directness"]})
    doc = {"reviewer": who, "method": "judged the packet alone", "date": "2026-12-08",
           "packet_sha256": sha, "judgements": rows}  # fmt: skip
    (folder / f"returns-{who}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def test_a_fresh_round_is_verified_and_measures_agreement(tmp_path: Path) -> None:
    """A round made from the data, with a return of that packet, is "blind: verified"; two
    flipped stances are two disagreements, unresolved until a third person resolves them."""
    folder = _round(tmp_path)
    sha = (folder / "packet.sha256").read_text(encoding="utf-8").split()[0]
    assert sha == sha256_text((folder / "packet.md").read_text(encoding="utf-8"))
    _return(folder, "second", sha, flip=2)
    report = round_report(WS, BASE.references, read_round(folder))
    assert report.blind == "verified"
    assert report.reviewers[0]["agreed"] == len(WS.links) - 2
    assert [d["resolved"] for d in report.disagreements] == [None, None]
    assert any("no resolution.yaml" in p for p in report.problems)


def test_a_tampered_packet_is_not_verified(tmp_path: Path) -> None:
    """A packet edited after it was made no longer matches its hash or the data: not verified."""
    folder = _round(tmp_path)
    packet = folder / "packet.md"
    packet.write_text(packet.read_text(encoding="utf-8") + "stance: supports\n", encoding="utf-8")
    report = round_report(WS, BASE.references, read_round(folder))
    assert report.blind == "not verified"
    assert any("not the hash" in p for p in report.problems)
    assert any("differs from one made from the current data" in p for p in report.problems)


def test_a_return_of_another_packet_is_not_verified(tmp_path: Path) -> None:
    """A return whose packet hash is not the round's judged something else: not verified."""
    folder = _round(tmp_path)
    _return(folder, "second", "0" * 64)
    report = round_report(WS, BASE.references, read_round(folder))
    assert report.blind == "not verified"
    assert any("judged another packet" in p for p in report.problems)


def test_the_first_curator_cannot_resolve(tmp_path: Path) -> None:
    """Disagreements resolved by the first curator are flagged: resolution needs a third person."""
    folder = _round(tmp_path)
    sha = (folder / "packet.sha256").read_text(encoding="utf-8").split()[0]
    _return(folder, "second", sha, flip=1)
    first = yaml.safe_load((folder / "first.yaml").read_text(encoding="utf-8"))
    j = first["judgements"][0]
    doc = {"resolver": j["curator"], "date": "2026-12-09", "resolutions": [
        {"link": j["link"], "stance": j["stance"], "directness": j["directness"],
         "reason": "kept the first judgement"}]}  # fmt: skip
    (folder / "resolution.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    report = round_report(WS, BASE.references, read_round(folder))
    assert any("not a third person" in p for p in report.problems)
