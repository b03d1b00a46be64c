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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kb.curate.match import draft_reference
from kb.errors import KbError, UnreadableError
from kb.files import write_atomic
from kb.records.bib import load_bib, read_text
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
    text = read_text(path, "import file")
    stripped = text.lstrip("\ufeff").strip()
    if stripped[:1] in "[{":
        return "csl-json", *_read_csl(stripped, path)
    if re.search(r"^TY  - ", stripped, re.M):
        return "ris", *_read_ris(stripped, path)
    raise UnreadableError(
        "neither CSL-JSON (a JSON array of items) nor RIS (TY  - lines); export from Zotero as "
        "'CSL JSON' or 'RIS'",
        path=path,
    )


def import_references(path: Path, bib_path: Path, *, write: bool = True) -> ImportReport:
    """Merge the records of ``path`` into ``bib_path``; duplicates are reported, never merged."""
    fmt, records, findings = read_records(path)
    bib = load_bib(bib_path)
    report = ImportReport(source=f"{path} ({fmt})", read=len(records), findings=findings)
    known = list(bib)
    taken = {r.key.casefold() for r in bib}
    new: list[Reference] = []
    for ref, given_id in records:
        twin, how = _duplicate_of(ref, known)
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
        key = given_id if re.match(KEY, given_id) and given_id.casefold() not in taken else None
        if key is None:
            key = draft_reference(_as_printed(ref), taken).key
        added = ref.model_copy(update={"key": key})
        taken.add(key.casefold())
        known.append(added)
        new.append(added)
        report.added.append(key)
    if new and write:
        from kb.export.bibtex import to_bibtex

        old = read_text(bib_path, "bib file")
        write_atomic(bib_path, old.rstrip("\n") + "\n\n" + to_bibtex(new))
    return report


def _duplicate_of(ref: Reference, known: list[Reference]) -> tuple[Reference | None, str]:
    if ref.doi:
        for other in known:
            if other.doi and other.doi.casefold() == ref.doi.casefold():
                return other, "doi"
    for other in known:
        if _fold(other.title) == _fold(ref.title) and other.year == ref.year:
            return other, "title and year"
    return None, ""


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
        parts = ((item.get("issued") or {}).get("date-parts") or [[]])[0]
        values = {
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
        out.append((_reference(values, kind, rid, path), rid))
    return out, findings


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
        date = [p for p in str(entry.get("date", "")).split("/") if p]
        year = entry.get("year") or (date[0] if date else None)
        start, end = entry.get("start_page"), entry.get("end_page")
        urls = entry.get("urls") or []
        values = {
            "authors": [_ris_author(a) for a in entry.get("authors", [])],
            "title": entry.get("title") or entry.get("primary_title"),
            "year": int(year) if year and str(year)[:4].isdigit() else None,
            "month": int(date[1]) if len(date) > 1 else None,
            "day": int(date[2]) if len(date) > 2 else None,
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
