"""The canonical form of a worksheet's curated files, and the commands that rewrite them.

``canonical_records``/``canonical_dump`` give the one YAML text each file is written as (sorted
records, fixed key order); ``lint`` reports (and with ``fix`` rewrites) files not in that form
and anchors new claims; ``reanchor`` moves claims whose exact words moved in the text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from kb.errors import KbError
from kb.files import read_input, write_atomic
from kb.records.checks import unique_span
from kb.records.models import WorksheetData
from kb.records.worksheet import _read_worksheet
from kb.records.worksheet_files import FILES, OPTIONAL_FILES

__all__ = ["canonical_dump", "canonical_records", "lint", "reanchor"]


def _plain(model: BaseModel) -> dict[str, Any]:
    out = model.model_dump(mode="python", exclude_defaults=True)
    return {k: v for k, v in out.items() if v is not None and v != []}


def canonical_records(data: WorksheetData) -> dict[str, Any]:
    """Each file's content, in canonical order, as plain data."""
    claim_pos = {c.id: (c.start or 0) for c in data.claims}
    ordered = sorted(data.links, key=lambda x: (claim_pos.get(x.claim, 0), x.reference))
    link_order = {x.id: i for i, x in enumerate(ordered)}
    return {
        "worksheet": {"worksheet": _plain(data.worksheet)},
        "skills": {"skills": [_plain(s) for s in sorted(data.skills, key=lambda s: s.order)]},
        "claims": {
            "claims": [_plain(c) for c in sorted(data.claims, key=lambda c: (c.start or 0, c.id))]
        },
        "links": {
            "links": [
                _plain(x)
                for x in sorted(data.links, key=lambda x: (claim_pos.get(x.claim, 0), x.reference))
            ]
        },
        "references": {
            "references": [_plain(n) for n in sorted(data.references, key=lambda n: n.number)]
        },
        "topics": {
            "topics": [_plain(t) for t in sorted(data.topics, key=lambda t: (t.scheme, t.id))]
        },
        "findings": {
            "findings": [
                _plain(f) for f in sorted(data.findings, key=lambda f: (f.reference, f.id))
            ]
        },
        "reviews": {
            "round": _plain(data.review_round) if data.review_round else {},
            "reviews": [
                _plain(r) for r in sorted(data.reviews, key=lambda r: link_order.get(r.link, 0))
            ],
        },
    }


def canonical_dump(value: Any) -> str:
    """The one YAML text a record set is written as."""

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def _str(dumper: yaml.SafeDumper, s: str) -> yaml.Node:
        style = "|" if "\n" in s else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)

    def _date(dumper: yaml.SafeDumper, d: dt.date) -> yaml.Node:
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", d.isoformat())

    Dumper.add_representer(str, _str)
    Dumper.add_representer(dt.date, _date)
    return yaml.dump(value, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def lint(folder: Path, *, fix: bool) -> list[str]:
    """Files not in canonical form (rewritten when ``fix``); with ``fix``, anchor new claims.

    Anchoring only fills in a claim that has no offsets and whose quote occurs exactly once;
    it never moves an existing anchor.
    """
    data = _read_worksheet(folder)
    if fix:
        data = _anchor_new_claims(data, folder)
    changed = []
    for name, value in canonical_records(data).items():
        path = folder / {**FILES, **OPTIONAL_FILES}[name]
        if name in OPTIONAL_FILES and not path.exists():
            continue
        text = canonical_dump(value)
        if read_input(path) != text:
            changed.append(str(path))
            if fix:
                write_atomic(path, text)
    return changed


def _anchor_new_claims(data: WorksheetData, folder: Path) -> WorksheetData:
    claims = []
    for claim in data.claims:
        if claim.start is None or claim.end is None:
            found = unique_span(data.text, claim.quote)
            if found is None:
                raise KbError(
                    f"quote occurs {data.text.count(claim.quote)} times in the text; an anchor "
                    "needs exactly one match (quote more words)",
                    path=folder / FILES["claims"],
                    record=claim.id,
                )
            start, end = found
            claims.append(claim.model_copy(update={"start": start, "end": end}))
        else:
            claims.append(claim)
    return data.model_copy(update={"claims": claims})


def reanchor(folder: Path) -> dict[str, list[str]]:
    """Re-anchor claims after the text changed: an exact unique match moves the anchor (reported);
    anything else is marked ``orphaned: true``. Never moves an anchor silently.
    """
    data = _read_worksheet(folder)
    report: dict[str, list[str]] = {"moved": [], "orphaned": []}
    claims = []
    for claim in data.claims:
        at_place = claim.start is not None and data.text[claim.start : claim.end] == claim.quote
        if at_place and not claim.orphaned:
            claims.append(claim)
            continue
        found = unique_span(data.text, claim.quote)
        if found is not None:
            start, end = found
            report["moved"].append(f"{claim.id}: {claim.start}..{claim.end} -> {start}..{end}")
            claims.append(claim.model_copy(update={"start": start, "end": end, "orphaned": False}))
        else:
            if not claim.orphaned:
                report["orphaned"].append(claim.id)
            claims.append(claim.model_copy(update={"orphaned": True}))
    data = data.model_copy(update={"claims": claims})
    value = canonical_records(data)["claims"]
    write_atomic(folder / FILES["claims"], canonical_dump(value))
    return report
