"""The files of a verifiable review round (``<worksheet>/review-rounds/round-N/``), as records.

- ``packet.md`` and ``packet.sha256``: what every second reviewer is shown, and its hash
  (``kb review packet``); no stance, directness, basis or rationale of the first curator;
- ``first.yaml``: the first curator's judgements, frozen when the packet was made;
- ``returns-<reviewer>.yaml``: one reviewer's judgements of every link in the packet, with who
  they are and the hash of the packet they judged;
- ``resolution.yaml``: a third person's resolution of each disagreement, with a reason.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import Field

from kb.errors import KbError
from kb.records.models import Directness, Stance, Strict
from kb.records.worksheet import _model, _read_yaml

__all__ = [
    "FIRST_FILE",
    "PACKET_FILE",
    "RESOLUTION_FILE",
    "RETURNS_GLOB",
    "ROUNDS_FOLDER",
    "SHA_FILE",
    "FirstJudgements",
    "Resolution",
    "ResolutionFile",
    "ReturnFile",
    "ReturnedJudgement",
    "RoundFiles",
    "read_round",
    "round_folders",
]

ROUNDS_FOLDER = "review-rounds"
PACKET_FILE = "packet.md"
SHA_FILE = "packet.sha256"
FIRST_FILE = "first.yaml"
RESOLUTION_FILE = "resolution.yaml"
RETURNS_GLOB = "returns-*.yaml"
LINK_ID = r"^[a-z0-9-]+--[A-Za-z][A-Za-z0-9_-]*$"
SHA256 = r"^[0-9a-f]{64}$"


class FirstJudgement(Strict):
    """The first curator's stance and directness of one link when the packet was made."""

    link: str = Field(pattern=LINK_ID)
    stance: Stance
    directness: Directness
    curator: str = Field(min_length=1)
    date: dt.date = Field(strict=False)  # a quoted date is accepted too


class FirstJudgements(Strict):
    """``first.yaml``: the first judgements, tied to the packet by its hash."""

    packet_sha256: str = Field(pattern=SHA256)
    judgements: list[FirstJudgement] = Field(min_length=1)


class ReturnedJudgement(Strict):
    """One reviewer's judgement of one link, with an optional note."""

    link: str = Field(pattern=LINK_ID)
    stance: Stance
    directness: Directness
    note: str | None = None


class ReturnFile(Strict):
    """``returns-<reviewer>.yaml``: who judged (human or AI, and their relation to the project),
    how, when, the hash of the packet they were shown, and a judgement per link."""

    reviewer: str = Field(min_length=3)
    method: str = Field(min_length=10)
    date: dt.date = Field(strict=False)  # a quoted date is accepted too
    packet_sha256: str = Field(pattern=SHA256)
    judgements: list[ReturnedJudgement] = Field(min_length=1)


class Resolution(Strict):
    """How one disagreement was resolved, and why."""

    link: str = Field(pattern=LINK_ID)
    stance: Stance
    directness: Directness
    reason: str = Field(min_length=10)


class ResolutionFile(Strict):
    """``resolution.yaml``: the third reviewer (neither the first curator nor a second reviewer)
    and a resolution per disagreement."""

    resolver: str = Field(min_length=3)
    date: dt.date = Field(strict=False)  # a quoted date is accepted too
    resolutions: list[Resolution] = Field(default_factory=list)


class RoundFiles(Strict):
    """What a round folder holds (``None`` or empty where a file is not there yet)."""

    name: str
    folder: Path
    packet: str | None = None
    sha256: str | None = None
    first: FirstJudgements | None = None
    returns: dict[str, ReturnFile] = Field(default_factory=dict)
    resolution: ResolutionFile | None = None


def round_folders(worksheet_folder: Path) -> list[Path]:
    """The round folders of a worksheet, in round order (``round-3`` before ``round-10``)."""
    top = worksheet_folder / ROUNDS_FOLDER
    if not top.is_dir():
        return []
    found = [p for p in top.iterdir() if p.is_dir() and re.fullmatch(r"round-\d+", p.name)]
    return sorted(found, key=lambda p: int(p.name.split("-")[1]))


def read_round(folder: Path) -> RoundFiles:
    """Every file of one round folder, each validated (a bad file: KbError naming it)."""
    packet = folder / PACKET_FILE
    sha = folder / SHA_FILE
    first = folder / FIRST_FILE
    resolution = folder / RESOLUTION_FILE
    returns = {}
    for path in sorted(folder.glob(RETURNS_GLOB)):
        who = path.stem.removeprefix("returns-")
        returns[who] = _model(ReturnFile, _read_yaml(path), path, who)
    return RoundFiles(
        name=folder.name,
        folder=folder,
        packet=packet.read_text(encoding="utf-8") if packet.is_file() else None,
        sha256=_sha_line(sha) if sha.is_file() else None,
        first=_model(FirstJudgements, _read_yaml(first), first, "first")
        if first.is_file()
        else None,
        returns=returns,
        resolution=_model(ResolutionFile, _read_yaml(resolution), resolution, "resolution")
        if resolution.is_file()
        else None,
    )


def _sha_line(path: Path) -> str:
    """The hash in a ``sha256sum``-style line (``HEX  packet.md``)."""
    text = path.read_text(encoding="utf-8").strip()
    value = text.split()[0] if text else ""
    if not re.fullmatch(SHA256, value):
        raise KbError("expected a SHA-256 in hex, as sha256sum writes it", path=path)
    return value
