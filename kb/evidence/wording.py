"""How a link's basis and findings are put into words, the same in the CLI, report and dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from urllib.parse import urlsplit

from kb.records.vocab import AWAITING_RESOLUTION

__all__ = [
    "CLAIM_KINDS",
    "READ_WORDS",
    "REPORTS_HEADING",
    "TITLE_ONLY",
    "basis_words",
    "finding_source",
    "finding_source_part",
    "finding_where",
    "host",
    "judged_from",
    "read_words",
    "review_words",
]

REPORTS_HEADING = "What the source reports"
TITLE_ONLY = "title only: nobody here has read more than the reference's title"


# What each kind of claim is, for readers (the curators' four kinds)
CLAIM_KINDS = {
    "recommendation": "advice: tells the reader to do something",
    "benefit": "a promised benefit: says following the advice helps (rated like advice)",
    "empirical": "a statement of fact about people that research can test",
    "definition": "says what a term or idea means",
}
# How much of a source was read, in words (the basis vocabulary).
READ_WORDS = {
    "title": "its title only",
    "abstract": "its abstract",
    "excerpt": "excerpts (part of the text, short of the whole)",
    "full-text": "the whole text",
}
_EXTENT = {"abstract": "its abstract", "excerpt": "excerpts", "full-text": "the whole text"}
_OWNER = {
    "publisher": "on the publisher's page at {host}",
    "index": "in an index record at {host}",
    "author": "on the author's own site at {host}",
    "repost": "reposted at {host}",
}


def read_words(basis: str) -> str:
    """How much of a source was read: ``its title only``, ``its abstract``, ``excerpts (...)``,
    ``the whole text``."""
    return READ_WORDS.get(basis, basis)


def basis_words(basis: str, *, web_page: bool = False) -> str:
    """What a link was judged from, in words (``read_words``); the whole of a web page is ``the
    whole web page``."""
    if basis == "full-text" and web_page:
        return "the whole web page"
    return read_words(basis)


class _Where(Protocol):
    @property
    def url(self) -> str: ...
    @property
    def extent(self) -> str: ...
    @property
    def page_owner(self) -> str: ...


class _Finding(_Where, Protocol):
    @property
    def part(self) -> str: ...
    @property
    def read(self) -> object: ...


def host(url: str) -> str:
    """The site of a URL, without ``www.``: ``pubmed.ncbi.nlm.nih.gov``."""
    name = urlsplit(url).hostname or url
    return name.removeprefix("www.")


def finding_where(finding: _Where) -> str:
    """How much was read and on whose page: ``excerpts reposted at synergyexplorers.org``,
    ``its abstract in an index record at pubmed.ncbi.nlm.nih.gov``."""
    extent = _EXTENT.get(finding.extent, finding.extent)
    owner = _OWNER.get(finding.page_owner, "at {host}").format(host=host(finding.url))
    return f"{extent} {owner}"


def judged_from(basis: str, findings: Sequence[_Where]) -> str:
    """What a link was judged from: ``judged from its title only``, or from the parts its
    findings were read in, ``judged from excerpts reposted at synergyexplorers.org``."""
    if basis == "title" or not findings:
        return f"judged from {read_words(basis)}"
    places = list(dict.fromkeys(finding_where(f) for f in findings))
    return "judged from " + _join(places)


def finding_source(finding: _Finding) -> str:
    """``our summary of PART (WHERE), read at URL on DATE``."""
    part = finding_source_part(finding.part)
    return (
        f"our summary of {part} ({finding_where(finding)}), read at {finding.url} on {finding.read}"
    )


def finding_source_part(part: str) -> str:
    """``its abstract``, ``its introduction, ...``, or the part as recorded."""
    first = part.split(" ", maxsplit=1)[0].strip(",")
    return f"its {part}" if first in {"abstract", "introduction"} else part


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def review_words(status: str | None) -> str:
    """A link's second-review status for people: agreed, resolved (how), awaiting resolution
    (the two judgements differ, nobody has resolved them yet), or not yet reviewed."""
    if status is None:
        return "not yet reviewed twice"
    if status == "agreed":
        return "two reviewers agreed"
    if status == AWAITING_RESOLUTION:
        return "two reviewers differ, awaiting resolution"
    return status
