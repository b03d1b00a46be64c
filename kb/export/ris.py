"""RIS, written through rispy (record numbers off, UTF-8 names kept)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rispy

from kb.export.apa import expand_page_range
from kb.records.models import Reference

__all__ = ["RIS_TYPES", "to_ris"]

RIS_TYPES = {"article": "JOUR", "webpage": "ELEC", "news": "ELEC", "blog": "BLOG"}


class _Writer(rispy.RisWriter):  # type: ignore[misc]  # rispy ships no type hints
    """rispy's writer without the "1.", "2." it puts before each record by default."""

    def set_header(self, count: int) -> str:
        return ""


def to_ris(refs: Iterable[Reference]) -> str:
    """The references as RIS records (``TY`` … ``ER``), in key order."""
    records = [_record(ref) for ref in sorted(refs, key=lambda r: r.key)]
    if not records:
        return ""
    text: str = rispy.dumps(records, implementation=_Writer)
    return text


def _record(ref: Reference) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type_of_reference": RIS_TYPES[ref.kind],
        "id": ref.key,
        "authors": [a.literal or a.display for a in ref.authors],
        "title": ref.title,
    }
    if ref.journal:
        record["secondary_title"] = ref.journal
    if ref.year is not None:
        record["year"] = f"{ref.year:04d}"
        if ref.month is not None:
            day = f"{ref.day:02d}" if ref.day else ""
            record["date"] = f"{ref.year:04d}/{ref.month:02d}/{day}/"
    if ref.volume:
        record["volume"] = ref.volume
    if ref.number:
        record["number"] = ref.number
    pages = expand_page_range(ref.page_range)
    if pages:
        start, _, end = pages.partition("-")
        record["start_page"] = start
        if end:
            record["end_page"] = end
    if ref.publisher:
        record["publisher"] = ref.publisher
    if ref.doi:
        record["doi"] = ref.doi
    if ref.url:
        record["urls"] = [ref.url]
    return record
