"""``kb import``: references from a Zotero export (CSL-JSON or RIS) merged into ``references.bib``.

The format is told from the content: a JSON array (or ``{"items": [...]}``) is CSL-JSON, text with
``TY  -`` lines is RIS (read by rispy). Each record maps onto the bib's fields (``_from_csl``,
``_from_ris``); a field that has no place in the bib (an abstract, keywords, an ISSN) is kept as a
finding, never dropped silently. A record is a duplicate of a bib entry with the same DOI, or else
with the same normalised title (case, punctuation and spacing folded) and year; a duplicate is
reported with every field in which it differs, and never merged. The rest are appended to the
bib, written atomically, with the record's own id as key when it is free, else a fresh
``family+year`` key.

CSL-JSON and RIS both print a news story on a website as a web page (APA 7, 10.16), so a web
page read back matches a bib entry whose kind is ``webpage`` or ``news``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kb.curate.bib_writer import append_entries
from kb.curate.match import MAX_KEY_CHARS, draft_reference
from kb.errors import KbError, UnreadableError
from kb.files import read_input
from kb.records.bib import load_bib
from kb.records.models import KEY, Author, Reference
from kb.records.printed import PrintedAuthor, PrintedReference

__all__ = ["ImportReport", "import_references", "read_records"]

_CSL_KINDS = {
    "article-journal": "article",
    "article": "article",
    "webpage": "webpage",
    "post-weblog": "blog",
    "article-newspaper": "news",
    "post": "blog",
}
_RIS_KINDS = {"JOUR": "article", "ELEC": "webpage", "BLOG": "blog", "NEWS": "news"}
_CSL_MAPPED = {
    "id",
    "type",
    "author",
    "title",
    "issued",
    "container-title",
    "volume",
    "issue",
    "page",
    "publisher",
    "DOI",
    "URL",
}
_RIS_MAPPED = {
    "type_of_reference",
    "id",
    "authors",
    "title",
    "primary_title",
    "secondary_title",
    "journal_name",
    "alternate_title3",
    "year",
    "date",
    "volume",
    "number",
    "start_page",
    "end_page",
    "publisher",
    "doi",
    "urls",
}
_COMPARED = (
    "authors",
    "title",
    "year",
    "month",
    "day",
    "journal",
    "volume",
    "number",
    "pages",
    "doi",
    "url",
    "publisher",
)


@dataclass
class ImportReport:
    """What an import found: entries added, duplicates (never merged), fields not mapped."""

    source: str
    read: int = 0
    added: list[str] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "source": self.source,
            "read": self.read,
            "added": self.added,
            "duplicates": self.duplicates,
            "findings": self.findings,
        }


def read_records(path: Path) -> tuple[str, list[tuple[Reference, str]], list[dict[str, str]]]:
    """The file's format, its records (each with the id it had in the file), and its findings."""
    text = read_input(path, "import file")
    stripped = text.lstrip("\ufeff").strip()
    if stripped[:1] in "[{":
        return "csl-json", *_read_csl(stripped, path)
    if re.search(r"^TY  - ", stripped, re.M):
        _check_ris_records(text, path)
        return "ris", *_read_ris(stripped, path)
    raise UnreadableError(
        "neither CSL-JSON (a JSON array of items) nor RIS (TY  - lines); export from Zotero as "
        "'CSL JSON' or 'RIS'",
        path=path,
    )


def import_references(path: Path, bib_path: Path, *, write: bool = True) -> ImportReport:
    """Merge the records of ``path`` into ``bib_path``; duplicates are reported, never merged.
    The bib is written by the one bib writer (locked, read back, atomic); ``write=False``
    reports what would be added."""
    fmt, records, findings = read_records(path)
    report = ImportReport(source=f"{path} ({fmt})", read=len(records), findings=findings)

    def plan(bib: list[Reference]) -> list[Reference]:
        report.added.clear()
        report.duplicates.clear()
        return _plan(records, bib, report)

    if write:
        append_entries(bib_path, plan, source=path)
    else:
        plan(load_bib(bib_path))
    return report


def _plan(
    records: list[tuple[Reference, str]], bib: list[Reference], report: ImportReport
) -> list[Reference]:
    """The entries to add (with their keys), duplicates reported; linear in records + bib."""
    index = _Index(bib)
    taken = {r.key.casefold() for r in bib}
    counters: dict[str, int] = {}
    new: list[Reference] = []
    for ref, given_id in records:
        twin, how = index.duplicate_of(ref)
        if twin is not None:
            report.duplicates.append(
                {
                    "record": given_id,
                    "duplicate_of": twin.key,
                    "by": how,
                    "differences": _differences(ref, twin),
                }
            )
            continue
        usable = len(given_id) <= MAX_KEY_CHARS and re.match(KEY, given_id)
        key = given_id if usable and given_id.casefold() not in taken else None
        if key is None:
            key = draft_reference(_as_printed(ref), taken, counters).key
        added = ref.model_copy(update={"key": key})
        taken.add(key.casefold())
        index.add(added)
        new.append(added)
        report.added.append(key)
    return new


class _Index:
    """Bib entries by DOI (any case) and by folded title and year: a lookup, not a scan."""

    def __init__(self, refs: list[Reference]) -> None:
        self.by_doi: dict[str, Reference] = {}
        self.by_title: dict[tuple[str, int | None], Reference] = {}
        for ref in refs:
            self.add(ref)

    def add(self, ref: Reference) -> None:
        if ref.doi:
            self.by_doi.setdefault(ref.doi.casefold(), ref)
        self.by_title.setdefault((_fold(ref.title), ref.year), ref)

    def duplicate_of(self, ref: Reference) -> tuple[Reference | None, str]:
        if ref.doi and ref.doi.casefold() in self.by_doi:
            return self.by_doi[ref.doi.casefold()], "doi"
        twin = self.by_title.get((_fold(ref.title), ref.year))
        return (twin, "title and year") if twin is not None else (None, "")


def _differences(ref: Reference, twin: Reference) -> list[dict[str, str]]:
    out = []
    for name in _COMPARED:
        mine, theirs = getattr(ref, name), getattr(twin, name)
        if name == "authors":
            mine, theirs = [a.display for a in mine], [a.display for a in theirs]
        if mine != theirs:
            out.append({"field": name, "file": str(mine), "bib": str(theirs)})
    if _kind_class(ref.kind) != _kind_class(twin.kind):
        out.append({"field": "kind", "file": ref.kind, "bib": twin.kind})
    return out


def _kind_class(kind: str) -> str:
    return "webpage" if kind == "news" else kind


def _read_csl(text: str, path: Path) -> tuple[list[tuple[Reference, str]], list[dict[str, str]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableError(f"line {exc.lineno}: not valid JSON ({exc.msg})", path=path) from None
    except RecursionError:
        raise UnreadableError("JSON nested too deeply to be CSL-JSON", path=path) from None
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise UnreadableError("CSL-JSON must be an array of item objects", path=path)
    out, findings = [], []
    for n, item in enumerate(items, start=1):
        rid = str(item.get("id", f"#{n}"))
        for name in sorted(set(item) - _CSL_MAPPED):
            findings.append(_unmapped(rid, name, item[name]))
        kind = _CSL_KINDS.get(str(item.get("type")))
        if kind is None:
            raise KbError(
                f"CSL type '{item.get('type')}' has no bib entry type here (use article-journal, "
                "webpage or post-weblog)",
                path=path,
                record=rid,
            )
        with _in_form("CSL-JSON", rid, path):
            values = _csl_values(item)
        out.append((_reference(values, kind, rid, path), rid))
    return out, findings


def _csl_values(item: dict[str, Any]) -> dict[str, Any]:
    """A CSL-JSON item's fields as the bib's (TypeError or ValueError where a shape is off)."""
    authors = item.get("author", [])
    if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
        raise TypeError("'author' must be a list of name objects")
    issued = item.get("issued") or {}
    dates = issued.get("date-parts") if isinstance(issued, dict) else None
    if dates is not None and (
        not isinstance(dates, list) or not all(isinstance(d, list) for d in dates)
    ):
        raise TypeError("'issued' date-parts must be a list of [year, month, day] lists")
    parts = (dates or [[]])[0]
    return {
        "authors": [
            Author(**{k: a[k] for k in ("family", "given", "literal") if k in a})
            for a in item.get("author", [])
        ],
        "title": item.get("title"),
        "year": _int(parts, 0),
        "month": _int(parts, 1),
        "day": _int(parts, 2),
        "journal": item.get("container-title"),
        "volume": item.get("volume"),
        "number": item.get("issue"),
        "pages": item.get("page"),
        "publisher": item.get("publisher"),
        "doi": item.get("DOI"),
        "url": item.get("URL"),
    }


@contextmanager
def _in_form(fmt: str, rid: str, path: Path) -> Iterator[None]:
    """A record whose fields do not have the shape ``fmt`` gives them: one line naming it
    (pydantic's ValidationError is a ValueError)."""
    try:
        yield
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        detail = " ".join(str(exc).split())[:160]
        raise KbError(
            f"a field is not in {fmt} form ({detail}); fix the record in the export",
            path=path,
            record=rid,
        ) from None


def _check_ris_records(text: str, path: Path) -> None:
    """Every RIS record runs from ``TY  -`` to its own ``ER  -``: a record without one would be
    dropped or merged into the next by the reader, so it is refused, naming its line."""
    opened: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("TY  -"):
            if opened is not None:
                raise UnreadableError(
                    f"line {opened}: the RIS record has no 'ER  -' line before the next record "
                    f"(line {number}); export again, or end the record with 'ER  - '",
                    path=path,
                )
            opened = number
        elif re.match(r"ER  -\s*$", line):
            if opened is None:
                raise UnreadableError(
                    f"line {number}: 'ER  -' without a record ('TY  -') before it; export again",
                    path=path,
                )
            opened = None
    if opened is not None:
        raise UnreadableError(
            f"line {opened}: the RIS record has no 'ER  -' line (the file ends first); export "
            "again, or end the record with 'ER  - '",
            path=path,
        )


def _read_ris(text: str, path: Path) -> tuple[list[tuple[Reference, str]], list[dict[str, str]]]:
    import rispy

    try:
        entries = rispy.loads(text)
    except (OSError, ValueError, KeyError) as exc:
        raise UnreadableError(f"not readable as RIS: {exc}", path=path) from None
    out, findings = [], []
    for n, entry in enumerate(entries, start=1):
        rid = str(entry.get("id", f"#{n}"))
        for name in sorted(set(entry) - _RIS_MAPPED):
            findings.append(_unmapped(rid, name, entry[name]))
        kind = _RIS_KINDS.get(str(entry.get("type_of_reference")))
        if kind is None:
            raise KbError(
                f"RIS type '{entry.get('type_of_reference')}' has no bib entry type here (use "
                "JOUR, ELEC, BLOG or NEWS)",
                path=path,
                record=rid,
            )
        with _in_form("RIS", rid, path):
            date = [p for p in str(entry.get("date", "")).split("/") if p]
            year = entry.get("year") or (date[0] if date else None)
            start, end = entry.get("start_page"), entry.get("end_page")
            urls = entry.get("urls") or []
            values = {
                "authors": [_ris_author(a) for a in entry.get("authors", [])],
                "title": entry.get("title") or entry.get("primary_title"),
                "year": int(year) if year and str(year)[:4].isdigit() else None,
                "month": int(date[1]) if len(date) > 1 and date[1].isdigit() else None,
                "day": int(date[2]) if len(date) > 2 and date[2].isdigit() else None,
                "journal": entry.get("secondary_title")
                or entry.get("journal_name")
                or entry.get("alternate_title3"),
                "volume": entry.get("volume"),
                "number": entry.get("number"),
                "pages": f"{start}-{end}" if start and end else start,
                "publisher": entry.get("publisher"),
                "doi": entry.get("doi"),
                "url": urls[0] if urls else None,
            }
        for extra in urls[1:]:
            findings.append(_unmapped(rid, "urls", extra))
        out.append((_reference(values, kind, rid, path), rid))
    return out, findings


def _reference(values: dict[str, Any], kind: str, rid: str, path: Path) -> Reference:
    pages = values.get("pages")
    if isinstance(pages, str):
        values["pages"] = re.sub(r"\s*[-‐‑‒–—]+\s*", "--", pages)
    clean = {k: v for k, v in values.items() if v not in (None, "", [])}
    for name in ("volume", "number"):
        if name in clean:
            clean[name] = str(clean[name])
    try:
        return Reference(
            key="imported",
            entry_type="article" if kind == "article" else "online",
            kind=kind,  # type: ignore[arg-type]
            **clean,
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "record"
        raise KbError(
            f"field '{where}': {err['msg']}; fix the record in the export", path=path, record=rid
        ) from None


def _int(parts: list[Any], i: int) -> int | None:
    """Date part ``i`` as a number (CSL-JSON allows "2004" as well as 2004)."""
    if len(parts) <= i or not str(parts[i]).strip().isdigit():
        return None
    return int(str(parts[i]).strip())


def _ris_author(name: str) -> Author:
    family, sep, given = name.partition(", ")
    return (
        Author(family=family.strip(), given=given.strip() or None) if sep else Author(literal=name)
    )


def _unmapped(rid: str, name: str, value: object) -> dict[str, str]:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return {
        "record": rid,
        "field": name,
        "value": shown[:200],
        "finding": "no field for this in references.bib; kept here, not imported",
    }


def _fold(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())


def _as_printed(ref: Reference) -> PrintedReference:
    authors = tuple(PrintedAuthor(a.family, a.given, a.literal) for a in ref.authors)
    return PrintedReference(0, "", "article", authors, ref.year, None, None, ref.title)
