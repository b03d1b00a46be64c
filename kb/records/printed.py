"""A printed APA 7 reference string -> a structured record, by the grammar below.

No well-kept Python parser for APA 7 reference strings exists on PyPI (refextract reads physics
references out of PDFs; citation-parser was last released in 2017), so the grammar is written out
here and each production is one function or pattern of this module::

    entry      = [number] authors SP "(" date ")." SP body [SP link]
    number     = DIGITS ("." | ")") SP                          ; a numbered list's label
    authors    = person {"," SP person} ["," SP "&" SP person]  ; up to 20 people, as printed
               | person SP "&" SP person
               | group "."                                      ; an organisation as author
    person     = family "," SP initials
    family     = NAME {("-" | "'" | SP) NAME}                   ; "St-Louis", "Wolitzky-Taylor"
    initials   = initial {SP initial}                           ; "A. G. C."
    initial    = LETTER ["-" LETTER] "."                        ; "J.-P." as "J.-P."
    group      = any text without "(" and not of the person form
    date       = YEAR [LETTER] ["," SP MONTH [SP DAY]] | "n.d."
    body       = article | page
    article    = title SP container "," SP volume ["(" issue ")"] ["," SP pages] "."
    page       = title [SP site "."]                            ; a web page, news item, blog post
    title      = text ending in "." "?" or "!"                  ; the shortest such text
    container  = text without "." "?" "!"                       ; the journal's name
    volume     = DIGITS | text without SP "," "("
    pages      = PAGE [DASH PAGE]                               ; DASH: hyphen or en dash
    link       = "https://doi.org/" DOI | URL

A string the grammar cannot read is a ``KbError`` naming its number and what to fix.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from kb.errors import KbError

__all__ = ["MONTHS", "PrintedAuthor", "PrintedReference", "parse_printed", "strip_number"]

MONTHS = {
    m: i
    for i, m in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"),
        start=1,
    )
}  # fmt: skip
_NUMBER = re.compile(r"^\s*(?P<n>\d{1,4})[.)]\s+")
_HEAD = re.compile(r"^(?P<authors>[^()]+?)\s\((?P<date>[^()]*)\)\.\s+(?P<body>.+)$")
_DATE = re.compile(
    r"^(?:(?P<year>\d{4})(?P<suffix>[a-z])?(?:,\s+(?P<month>[A-Z][a-z]+)(?:\s+(?P<day>\d{1,2}))?)?"
    r"|(?P<nd>n\.\s?d\.))$"
)
_LINK = re.compile(r"\s+(?P<link>https?://\S+?)\.?$")
_ARTICLE = re.compile(
    r"^(?P<title>.+?[.?!])\s+(?P<container>[^.?!]+?),\s+(?P<volume>[^\s,()]+)"
    r"(?:\((?P<issue>[^)]+)\))?(?:,\s+(?P<pages>[^\s,]+))?\.$"
)
_PAGE = re.compile(r"^(?P<title>.+?[.?!])(?:\s+(?P<site>[^.?!]+)\.)?$")
_FAMILY = r"[^\W\d_][\w'’]*(?:[-\s'’][^\W\d_][\w'’]*)*"
_INITIALS = r"[^\W\d_]\.(?:-[^\W\d_]\.)?(?:\s[^\W\d_]\.(?:-[^\W\d_]\.)?)*"
_PERSON = re.compile(rf"^(?P<family>{_FAMILY}),\s(?P<given>{_INITIALS})$")
_PEOPLE = re.compile(rf"{_FAMILY},\s{_INITIALS}")
_PAGES = re.compile(r"^[\w]+(?:\s*[-‐‑‒–—]+\s*[\w]+)?$")


@dataclass(frozen=True)
class PrintedAuthor:
    """One author as printed: a person's family name and initials, or an organisation."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None


@dataclass(frozen=True)
class PrintedReference:
    """The fields of one printed reference; ``kind`` is ``article`` or ``page``."""

    number: int
    text: str
    kind: str
    authors: tuple[PrintedAuthor, ...]
    year: int | None
    month: int | None
    day: int | None
    title: str
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    site: str | None = None
    doi: str | None = None
    url: str | None = None
    date: str = ""  # as printed between the parentheses: "2003", "2019, March 3", "n.d."

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        return asdict(self)


def strip_number(line: str) -> tuple[int | None, str]:
    """A list label ("3." or "3)") and the reference after it; no label gives ``None``."""
    found = _NUMBER.match(line)
    if not found:
        return None, line.strip()
    return int(found["n"]), line[found.end() :].strip()


def parse_printed(line: str, number: int, where: str = "") -> PrintedReference:
    """Read one printed reference (``number`` is its place in the list, used when unlabelled).

    Raises ``KbError`` (exit 1) naming the reference and the part the grammar could not read.
    """
    label, text = strip_number(line)
    number = label or number
    text = " ".join(text.split())
    record = f"reference {number}"

    def fail(what: str) -> KbError:
        return KbError(
            f"{what} in {text[:70]!r}; write it as APA 7 (Family, I., & Family, I. (Year). "
            "Title. Journal, volume(issue), pages.) and run again",
            path=where or None,
            record=record,
        )

    head = _HEAD.match(text)
    if not head:
        raise fail("no 'Authors (date).' at the start")
    authors = _authors(head["authors"])
    if authors is None:
        raise fail("authors not readable as 'Family, I.' names or an organisation")
    date = _DATE.match(head["date"].strip())
    if not date or (date["month"] and date["month"] not in MONTHS):
        raise fail(f"date '({head['date']})' is not (Year), (Year, Month Day) or (n.d.)")
    body, doi, url = head["body"], None, None
    link = _LINK.search(body)
    if link:
        body = body[: link.start()]
        target = link["link"]
        if target.lower().startswith(("https://doi.org/", "http://doi.org/")):
            doi = target.split("doi.org/", 1)[1]
        else:
            url = target
    fields: dict[str, Any] = {}
    article = _ARTICLE.match(body)
    if article and _PAGES.match(article["pages"] or "0"):
        kind = "article"
        fields = {k: v for k, v in article.groupdict().items() if v is not None}
    else:
        page = _PAGE.match(body)
        if not page:
            raise fail("no title ending in '.', '?' or '!'")
        kind = "page"
        fields = {k: v for k, v in page.groupdict().items() if v is not None}
    title = fields.pop("title")
    return PrintedReference(
        number=number,
        text=text,
        kind=kind,
        authors=authors,
        year=int(date["year"]) if date["year"] else None,
        month=MONTHS[date["month"]] if date["month"] else None,
        day=int(date["day"]) if date["day"] else None,
        title=title.removesuffix("."),
        doi=doi,
        url=url,
        date=head["date"].strip(),
        **fields,
    )


def _authors(text: str) -> tuple[PrintedAuthor, ...] | None:
    """``authors`` of the grammar: people (``Family, I.``) joined by ", " and "&", or a group."""
    text = text.strip()
    people = _split_people(text)
    if people is not None:
        return people
    if "," in text and _PEOPLE.search(text):
        return None  # looks like people but does not read as the production: say so
    name = text.removesuffix(".").strip()
    return (PrintedAuthor(literal=name),) if name else None


def _split_people(text: str) -> tuple[PrintedAuthor, ...] | None:
    parts = [p.strip() for p in re.split(r",\s+&\s+|\s+&\s+|(?<=\.),\s+", text) if p.strip()]
    out = []
    for part in parts:
        found = _PERSON.match(part)
        if not found:
            return None
        out.append(PrintedAuthor(family=found["family"], given=found["given"]))
    return tuple(out) or None
