"""A verifiable review round: write its packet, then check it and measure agreement.

``write_round`` makes ``packet.md``, ``packet.sha256`` and ``first.yaml`` in a new round folder,
all at once (``kb review packet --round N`` and the Curate page's "Start review round" both call
it).
``round_report`` checks a round against the data it was made from (the packet made again from
the current data must be byte-identical, and its hash must be the one the returns name), says
"blind: verified" or why not, and gives agreement and Cohen's kappa of each return against the
first judgements, and each disagreement with its resolution.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.errors import UsageError
from kb.evidence.packet import make_packet, sha256_text
from kb.evidence.review import cohen_kappa
from kb.files import write_atomic
from kb.records.models import Reference, WorksheetData
from kb.records.review_rounds import (
    FIRST_FILE,
    PACKET_FILE,
    ROUNDS_FOLDER,
    SHA_FILE,
    RoundFiles,
    read_round,
    round_folders,
)

__all__ = [
    "RoundReport",
    "next_round",
    "round_report",
    "round_reports",
    "round_texts",
    "write_round",
]


def round_texts(ws: WorksheetData, references: Mapping[str, Reference]) -> dict[str, str]:
    """A new round's files by name: the packet, its hash and the first judgements frozen with
    it (deterministic: the same data gives the same bytes)."""
    packet = make_packet(ws, references)
    digest = sha256_text(packet)
    first = {
        "packet_sha256": digest,
        "judgements": [
            {
                "link": link.id,
                "stance": link.stance,
                "directness": link.directness,
                "curator": link.curator,
                "date": link.date,
            }
            for link in ws.links
        ],
    }
    return {
        PACKET_FILE: packet,
        SHA_FILE: f"{digest}  {PACKET_FILE}\n",
        FIRST_FILE: yaml.safe_dump(first, sort_keys=False, allow_unicode=True),
    }


def next_round(ws_folder: Path) -> int:
    """The number of the worksheet's next round: one past the last, or 1 when it has none."""
    folders = round_folders(ws_folder)
    return int(folders[-1].name.split("-")[1]) + 1 if folders else 1


def write_round(
    ws: WorksheetData, references: Mapping[str, Reference], ws_folder: Path, number: int
) -> Path:
    """Make round ``number``'s folder with its packet, hash and the frozen first judgements
    (``round_texts``), all at once: the files are written into a hidden folder beside it, which
    is then renamed into place, so the round appears whole or not at all, and of two writers
    of one round only the first succeeds. A round that already has a packet is never
    overwritten, nor a round folder that holds other files (UsageError, exit 2)."""
    folder = ws_folder / ROUNDS_FOLDER / f"round-{number}"
    if (folder / PACKET_FILE).exists():
        raise UsageError(
            "this round already has a packet; a packet is never rewritten, start a new round",
            path=folder / PACKET_FILE,
        )
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(
            "this round folder holds files but no packet; move them away or start another round",
            path=folder,
        )
    texts = round_texts(ws, references)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        staged.chmod(0o755)
        for name, text in texts.items():
            write_atomic(staged / name, text)
        try:
            staged.rename(folder)  # atomic; refused when another writer's round is there
        except OSError:
            raise UsageError(
                "this round was started by another writer meanwhile; a packet is never "
                "rewritten, start a new round",
                path=folder / PACKET_FILE,
            ) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return folder


@dataclass
class RoundReport:
    """One round: whether its blindness checks out, and the agreement of each return."""

    worksheet: str
    round: str
    folder: str
    packet_sha256: str | None
    links: int
    blind: str
    problems: list[str] = field(default_factory=list)
    reviewers: list[dict[str, Any]] = field(default_factory=list)
    resolver: str | None = None
    resolution_date: str | None = None
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    changed_since: list[dict[str, Any]] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """The stored packet is what the current data makes, and every return judged it."""
        return self.blind == "verified"

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for JSON)."""
        return asdict(self)


def round_reports(
    ws: WorksheetData, references: Mapping[str, Reference], ws_folder: Path
) -> list[RoundReport]:
    """The report of every round folder of a worksheet, in round order."""
    return [round_report(ws, references, read_round(folder)) for folder in round_folders(ws_folder)]


def round_report(
    ws: WorksheetData, references: Mapping[str, Reference], files: RoundFiles
) -> RoundReport:
    """Check one round against the current data and measure its agreement."""
    report = RoundReport(
        worksheet=ws.worksheet.id,
        round=files.name,
        folder=f"{ws.worksheet.id}/{ROUNDS_FOLDER}/{files.name}",  # never a server path
        packet_sha256=files.sha256,
        links=0,
        blind="not verified",
    )
    why = _blindness_problems(ws, references, files)
    report.problems = why
    if files.packet is not None:
        report.links = len(_packet_ids(files.packet))
    if not why:
        report.blind = "verified"
    first = {j.link: j for j in files.first.judgements} if files.first else {}
    for who, ret in sorted(files.returns.items()):
        mine = {j.link: j for j in ret.judgements}
        pairs = [(first[k], mine[k]) for k in first if k in mine]
        stance = [(a.stance, b.stance) for a, b in pairs]
        direct = [(a.directness, b.directness) for a, b in pairs]
        both = sum(a.stance == b.stance and a.directness == b.directness for a, b in pairs)
        report.reviewers.append(
            {
                "file": who,
                "reviewer": ret.reviewer,
                "method": ret.method,
                "date": ret.date.isoformat(),
                "links": len(pairs),
                "agreed": both,
                "stance_agreement": _share(sum(a == b for a, b in stance), len(pairs)),
                "directness_agreement": _share(sum(a == b for a, b in direct), len(pairs)),
                "kappa_stance": _round(cohen_kappa(stance)),
                "kappa_directness": _round(cohen_kappa(direct)),
            }
        )
        report.disagreements += _disagreements(who, first, mine, files)
    if files.resolution:
        report.resolver = files.resolution.resolver
        report.resolution_date = files.resolution.date.isoformat()
    report.problems += _resolution_problems(files, report.disagreements)
    links = {link.id: link for link in ws.links}
    for d in report.disagreements:
        final = links.get(d["link"])
        now = f"{final.stance}/{final.directness}" if final else "removed"
        if d["resolved"] and now != d["resolved"]:
            report.changed_since.append({"link": d["link"], "resolved": d["resolved"], "now": now})
    return report


def _blindness_problems(
    ws: WorksheetData, references: Mapping[str, Reference], files: RoundFiles
) -> list[str]:
    """Why this round's blindness cannot be verified (empty: it can)."""
    if files.packet is None or files.sha256 is None:
        return [f"no stored {PACKET_FILE} and {SHA_FILE}"]
    out = []
    if sha256_text(files.packet) != files.sha256:
        out.append(f"{SHA_FILE} is not the hash of the stored {PACKET_FILE}")
    again = make_packet(ws, references)
    if again != files.packet:
        line = _first_difference(files.packet, again)
        out.append(
            f"the stored packet differs from one made from the current data (first at line "
            f"{line}): the claims, references or findings changed since it was made"
        )
    if files.first is None:
        out.append(f"no {FIRST_FILE}: the first judgements were not frozen with the packet")
    elif files.first.packet_sha256 != files.sha256:
        out.append(f"{FIRST_FILE} names another packet")
    leaked = [x.id for x in ws.links if x.rationale in files.packet]
    if leaked:
        out.append(f"the packet shows the first curator's rationale of {leaked[0]}")
    ids = _packet_ids(files.packet)
    for who, ret in sorted(files.returns.items()):
        if ret.packet_sha256 != files.sha256:
            out.append(f"returns-{who}.yaml judged another packet (its packet_sha256 differs)")
        judged = [j.link for j in ret.judgements]
        missing = sorted(set(ids) - set(judged))
        extra = sorted(set(judged) - set(ids))
        if missing or extra or len(judged) != len(set(judged)):
            what = missing[:1] or extra[:1] or ["a link judged twice"]
            out.append(f"returns-{who}.yaml does not judge each packet link once ({what[0]})")
    return out


def _resolution_problems(files: RoundFiles, disagreements: list[dict[str, Any]]) -> list[str]:
    """A disagreement needs a resolution by someone who is neither the first curator nor a
    second reviewer of the round."""
    if not disagreements:
        return []
    if files.resolution is None:
        return [f"{len(disagreements)} disagreement(s) and no resolution.yaml yet"]
    out = []
    resolver = files.resolution.resolver.strip().casefold()
    firsts = (
        {j.curator.strip().casefold() for j in files.first.judgements} if files.first else set()
    )
    seconds = {r.reviewer.strip().casefold() for r in files.returns.values()}
    if resolver in firsts or resolver in seconds:
        out.append("the resolver is the first curator or a second reviewer, not a third person")
    unresolved = [d["link"] for d in disagreements if not d["resolved"]]
    if unresolved:
        out.append(f"{len(unresolved)} disagreement(s) unresolved, e.g. {unresolved[0]}")
    return out


def _disagreements(
    who: str, first: Mapping[str, Any], mine: Mapping[str, Any], files: RoundFiles
) -> list[dict[str, Any]]:
    resolved = {r.link: r for r in files.resolution.resolutions} if files.resolution else {}
    out = []
    for key, a in first.items():
        b = mine.get(key)
        if b is None or (a.stance, a.directness) == (b.stance, b.directness):
            continue
        r = resolved.get(key)
        out.append(
            {
                "link": key,
                "reviewer": who,
                "first": f"{a.stance}/{a.directness}",
                "second": f"{b.stance}/{b.directness}",
                "note": b.note,
                "resolved": f"{r.stance}/{r.directness}" if r else None,
                "reason": r.reason if r else None,
            }
        )
    return out


def _packet_ids(packet: str) -> list[str]:
    """The link ids of a packet, from its ``## N. LINK`` headings."""
    out = []
    for line in packet.splitlines():
        head, _, rest = line.partition(". ")
        if head.startswith("## ") and head[3:].isdigit() and "--" in rest:
            out.append(rest.strip())
    return out


def _first_difference(a: str, b: str) -> int:
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), start=1):
        if x != y:
            return n
    return min(len(a.splitlines()), len(b.splitlines())) + 1


def _share(count: int, n: int) -> float | None:
    return round(count / n, 3) if n else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
