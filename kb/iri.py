"""The one IRI and URL validator, and the one DOI rule: what RFC 3987 and N-Triples accept.

An IRI has a scheme and none of what N-Triples' ``IRIREF`` forbids (spaces and controls,
``<>"{}|\\^```), no bidirectional or other format characters (RFC 3987, section 4.1), and
every ``%`` starts a two-digit escape. A web URL is such an IRI with ``http`` or ``https`` and a
host. Every IRI that reaches a SPARQL Update, an N-Triples line or a link on a page has passed
:func:`iri_problem`; a DOI becomes a link only through :func:`doi_url`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from kb.errors import UsageError

__all__ = [
    "DOI_PATTERN",
    "check_iri",
    "doi_problem",
    "doi_url",
    "iri_problem",
    "web_url",
]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_FORBIDDEN = frozenset('<>"{}|\\^`')
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WEB = re.compile(
    r"https?://(?:[^/?#@]*@)?(?:\[[0-9A-Fa-f:.]+\]|[^/?#@:\[\]]+)(?::\d{1,5})?(?:[/?#].*)?",
    re.DOTALL | re.IGNORECASE,
)
DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+")
MAX_IRI_CHARS = 4096


def _bad_char(text: str) -> str | None:
    for char in text:
        if char in _FORBIDDEN or char <= " " or unicodedata.category(char)[0] in "CZ":
            return char
    return None


def iri_problem(text: object, *, schemes: tuple[str, ...] | None = None) -> str | None:
    """What makes ``text`` not an absolute IRI (of one of ``schemes``), or None if it is one."""
    if not isinstance(text, str) or not text:
        return "empty"
    if len(text) > MAX_IRI_CHARS:
        return f"longer than {MAX_IRI_CHARS} characters"
    bad = _bad_char(text)
    if bad is not None:
        return f"contains {bad!r}, which an IRI may not (percent-encode it)"
    scheme = _SCHEME.match(text)
    if scheme is None:
        return "has no scheme (e.g. https:)"
    if schemes is not None and scheme.group()[:-1].lower() not in schemes:
        return f"scheme must be {' or '.join(schemes)}"
    if _BAD_PERCENT.search(text):
        return "has a % not followed by two hex digits"
    if scheme.group()[:-1].lower() in ("http", "https") and not _WEB.fullmatch(text):
        return "has no host after //"
    return None


def web_url(text: object) -> str | None:
    """``text`` if it is an http(s) URL that passes :func:`iri_problem`, else None."""
    if isinstance(text, str) and iri_problem(text, schemes=("http", "https")) is None:
        return text
    return None


def check_iri(text: str, what: str, *, schemes: tuple[str, ...] | None = None) -> str:
    """``text`` if it is an IRI, else a usage error naming ``what`` (an option, a setting)."""
    problem = iri_problem(text, schemes=schemes)
    if problem is not None:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise UsageError(f"{what} {shown!r} is not an IRI: {problem}")
    return text


def doi_problem(doi: object) -> str | None:
    """What makes ``doi`` not a DOI (``10.NNNN/suffix``, no space, nothing an IRI forbids)."""
    if not isinstance(doi, str) or not DOI_PATTERN.fullmatch(doi):
        return "not a DOI (10.NNNN/suffix, no spaces)"
    bad = _bad_char(doi.replace("<", "").replace(">", ""))  # SICI DOIs hold < and >
    if bad is not None:
        return f"contains {bad!r}, which a DOI link may not"
    return None


def doi_url(doi: str) -> str:
    """The https://doi.org/ link of a DOI, every character outside the DOI alphabet's safe set
    percent-encoded (parentheses and brackets too, so it cannot end a Markdown link)."""
    if doi_problem(doi) is not None:
        raise ValueError(f"not a DOI: {doi!r}")
    return "https://doi.org/" + quote(doi, safe="/:;.-_~")
