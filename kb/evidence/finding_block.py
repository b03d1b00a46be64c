"""The finding block: one recorded finding as every page and listing shows it.

A finding (``kb.records.models.Finding``, or ``kb.core.evidence_rows.FindingRow`` as the store gives
it) becomes one :class:`FindingBlock`: the statement in our words, its kind in words, the part
read, how much of the source that is (abstract, excerpt, full text), whose page it was read on
and that page's site, the URL and the date. The reference page, the Skills and Worksheet pages'
links, `kb evidence` and the evidence appendix all build their lines from it, so a finding reads
the same wherever it appears.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from kb.evidence.wording import (
    REPORTS_HEADING,
    TITLE_ONLY,
    finding_source,
    finding_source_part,
    finding_where,
    host,
)
from kb.records.vocab import FINDING_KIND_LABELS, PAGE_OWNER_LABELS

__all__ = [
    "EXTENT_LABELS",
    "FindingBlock",
    "FindingLike",
    "finding_block",
    "finding_blocks",
    "title_only_line",
]

# How much of the source the part read is, in words (the ``extent`` vocabulary).
EXTENT_LABELS = {"abstract": "abstract", "excerpt": "excerpt", "full-text": "full text"}


class FindingLike(Protocol):
    """What a finding record and a store's finding row both have."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def statement(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def part(self) -> str: ...
    @property
    def extent(self) -> str: ...
    @property
    def page_owner(self) -> str: ...
    @property
    def read(self) -> object: ...


@dataclass(frozen=True)
class FindingBlock:
    """One finding as shown: what the source reports, what was read of it, where and when."""

    id: str
    statement: str
    kind: str
    kind_label: str
    part: str
    part_words: str
    extent: str
    extent_label: str
    page_owner: str
    page_owner_label: str
    site: str
    url: str
    read: str
    where: str
    source: str

    @property
    def heading(self) -> str:
        """``What the source reports (a study's result)``."""
        return f"{REPORTS_HEADING} ({self.kind_label})"

    @property
    def text(self) -> str:
        """The block as one line of plain text (as `kb evidence` prints it):
        ``What the source reports (KIND; our summary of PART (WHERE), read at URL on DATE):
        STATEMENT``."""
        return f"{REPORTS_HEADING} ({self.kind_label}; {self.source}): {self.statement}"

    def record(self) -> dict[str, Any]:
        """The block as plain data (JSON-ready), the heading included."""
        return asdict(self) | {"heading": self.heading}


def finding_block(finding: FindingLike) -> FindingBlock:
    """The one finding block of a finding record or row."""
    read = finding.read
    date = read.isoformat() if hasattr(read, "isoformat") else str(read)
    return FindingBlock(
        id=finding.id,
        statement=finding.statement,
        kind=finding.kind,
        kind_label=FINDING_KIND_LABELS.get(finding.kind, finding.kind),
        part=finding.part,
        part_words=finding_source_part(finding.part),
        extent=finding.extent,
        extent_label=EXTENT_LABELS.get(finding.extent, finding.extent),
        page_owner=finding.page_owner,
        page_owner_label=PAGE_OWNER_LABELS.get(finding.page_owner, finding.page_owner),
        site=host(finding.url),
        url=finding.url,
        read=date,
        where=finding_where(finding),
        source=finding_source(finding),
    )


def finding_blocks(findings: list[Any] | tuple[Any, ...]) -> list[FindingBlock]:
    """The blocks of several findings, in the order given."""
    return [finding_block(f) for f in findings]


def title_only_line() -> str:
    """What is shown in place of findings for a link judged from a title only."""
    return f"{REPORTS_HEADING}: unknown ({TITLE_ONLY})"
