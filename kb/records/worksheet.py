"""Read, check and write the curated worksheet files in their canonical form.

A worksheet folder holds ``worksheet.yaml``, ``text.txt`` (the anchoring source, verbatim),
``skills.yaml``, ``claims.yaml``, ``links.yaml``, ``references.yaml`` and ``topics.yaml``, and
where the links rest on what sources report, ``findings.yaml``; where the links had their second
review, ``reviews.yaml``.
YAML is read with a safe loader only (libyaml's CSafeLoader when built), within size and nesting
limits. Every problem is a KbError naming the file, the record id and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kb.errors import KbError, UnreadableError, UsageError
from kb.files import write_atomic
from kb.records.bib import read_text
from kb.records.link_rules import link_problems
from kb.records.models import (
    SECTIONS_FIXED,
    Claim,
    EvidenceLink,
    Finding,
    LinkReview,
    Reference,
    ReferenceNote,
    ReviewRound,
    Skill,
    Topic,
    Worksheet,
    WorksheetData,
)

__all__ = [
    "FILES",
    "OPTIONAL_FILES",
    "canonical_dump",
    "find_worksheet_dirs",
    "lint",
    "load_worksheet",
    "validate_against_bib",
    "worksheet_files",
]

MAX_YAML_BYTES = 5_000_000
# libyaml's safe loader: the same objects as yaml.SafeLoader, 10x faster (a 10,000x corpus).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 8
FILES = {
    "worksheet": "worksheet.yaml",
    "skills": "skills.yaml",
    "claims": "claims.yaml",
    "links": "links.yaml",
    "references": "references.yaml",
    "topics": "topics.yaml",
}
# Files a worksheet may lack: what sources report (findings), and the links' second review.
OPTIONAL_FILES = {"findings": "findings.yaml", "reviews": "reviews.yaml"}
TEXT_FILE = "text.txt"
M = TypeVar("M", bound=BaseModel)


def worksheet_files(folder: Path) -> list[Path]:
    """Every curated file of a worksheet folder: the required ones, then optional ones present."""
    names = [*FILES.values(), TEXT_FILE]
    names += [name for name in OPTIONAL_FILES.values() if (folder / name).exists()]
    return [folder / name for name in names]


def find_worksheet_dirs(paths: Iterable[Path]) -> list[Path]:
    """Each path is a worksheet folder or a folder of worksheet folders."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UnreadableError("no such data folder (check the path)", path=path)
        if not path.is_dir():
            raise UsageError("a data folder must be a folder, not a file", path=path)
        if (path / FILES["worksheet"]).exists():
            found.append(path)
            continue
        subs = sorted(p for p in path.iterdir() if (p / FILES["worksheet"]).exists())
        if not subs:
            raise UnreadableError(
                f"no {FILES['worksheet']} here or in its subfolders; is this a data folder?",
                path=path,
            )
        found.extend(subs)
    return found


def _read_yaml(path: Path) -> Any:
    text = read_text(path, "YAML file")
    if len(text.encode()) > MAX_YAML_BYTES:
        raise UnreadableError("file too large (limit 5 MB)", path=path)
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506  (a safe loader, C if built)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise KbError(f"{where}{problem}; fix the YAML syntax", path=path) from None
    if _depth(data) > MAX_DEPTH:
        raise KbError(f"nested deeper than {MAX_DEPTH} levels", path=path)
    return data


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max([_depth(v, level + 1) for v in value.values()], default=level + 1)
    if isinstance(value, list):
        return max([_depth(v, level + 1) for v in value], default=level + 1)
    return level


def _records(path: Path, top: str, model: type[M], id_field: str) -> list[M]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or set(data) != {top}:
        raise KbError(f"expected one top-level key '{top}:'", path=path)
    rows = data[top]
    if not isinstance(rows, list):
        raise KbError(f"'{top}' must be a list", path=path)
    out = []
    for i, row in enumerate(rows):
        rid = str(row.get(id_field, f"#{i + 1}")) if isinstance(row, dict) else f"#{i + 1}"
        if isinstance(row, dict) and model is EvidenceLink:
            rid = f"{row.get('claim')} -> {row.get('reference')}"
        if isinstance(row, dict) and model is LinkReview:
            rid = str(row.get("link", rid))
        out.append(_model(model, row, path, rid))
    return out


def _model(model: type[M], row: Any, path: Path, rid: str) -> M:
    try:
        return model.model_validate(row)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "record"
        value = err.get("input")
        shown = f" (got {value!r})" if isinstance(value, str | int) and field != "record" else ""
        raise KbError(f"field '{field}': {err['msg']}{shown}", path=path, record=rid) from None


def load_worksheet(folder: Path) -> WorksheetData:
    """Load and check one worksheet folder (not yet against the bib)."""
    data = _read_worksheet(folder)
    _check_internal(data, folder)
    return data


def _read_worksheet(folder: Path) -> WorksheetData:
    """Every curated file of a folder, each record validated, not yet cross-checked."""
    ws_path = folder / FILES["worksheet"]
    raw = _read_yaml(ws_path)
    if not isinstance(raw, dict) or set(raw) != {"worksheet"}:
        raise KbError("expected one top-level key 'worksheet:'", path=ws_path)
    findings_path = folder / OPTIONAL_FILES["findings"]
    findings = _records(findings_path, "findings", Finding, "id") if findings_path.exists() else []
    review_round, reviews = _read_reviews(folder / OPTIONAL_FILES["reviews"])
    return WorksheetData(
        worksheet=_model(Worksheet, raw["worksheet"], ws_path, "worksheet"),
        text=read_text(folder / TEXT_FILE, "worksheet text"),
        skills=_records(folder / FILES["skills"], "skills", Skill, "slug"),
        claims=_records(folder / FILES["claims"], "claims", Claim, "id"),
        links=_records(folder / FILES["links"], "links", EvidenceLink, "claim"),
        references=_records(folder / FILES["references"], "references", ReferenceNote, "key"),
        topics=_records(folder / FILES["topics"], "topics", Topic, "id"),
        findings=findings,
        review_round=review_round,
        reviews=reviews,
    )


def _read_reviews(path: Path) -> tuple[ReviewRound | None, list[LinkReview]]:
    """``reviews.yaml``: the review round (who, how, when) and one record per link."""
    if not path.exists():
        return None, []
    data = _read_yaml(path)
    if not isinstance(data, dict) or set(data) != {"round", "reviews"}:
        raise KbError("expected two top-level keys 'round:' and 'reviews:'", path=path)
    rows = data["reviews"]
    if not isinstance(rows, list):
        raise KbError("'reviews' must be a list", path=path)
    records = []
    for i, row in enumerate(rows):
        rid = str(row.get("link", f"#{i + 1}")) if isinstance(row, dict) else f"#{i + 1}"
        records.append(_model(LinkReview, row, path, rid))
    return _model(ReviewRound, data["round"], path, "round"), records


def _unique(items: Iterable[str], path: Path, what: str) -> set[str]:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise KbError(f"duplicate {what}; ids must be unique", path=path, record=item)
        seen.add(item)
    return seen


def _check_internal(data: WorksheetData, folder: Path) -> None:
    f = {name: folder / file for name, file in FILES.items()}
    topics = _unique((t.id for t in data.topics), f["topics"], "topic id")
    for topic in data.topics:
        if topic.broader and topic.broader not in topics:
            raise KbError(
                f"broader topic '{topic.broader}' is not defined", path=f["topics"], record=topic.id
            )
    for tid in [*data.worksheet.topics, *data.worksheet.demographics]:
        if tid not in topics:
            raise KbError(f"unknown topic '{tid}'", path=f["worksheet"], record="worksheet")
    _check_anchors(data, f["claims"])
    slugs = _unique((s.slug for s in data.skills), f["skills"], "skill slug")
    orders = sorted(s.order for s in data.skills)
    if orders != list(range(1, len(orders) + 1)):
        raise KbError(f"skill orders must be 1..{len(orders)}, got {orders}", path=f["skills"])
    for skill in data.skills:
        for para in [*skill.paragraphs, skill.bullet, skill.title]:
            if para not in data.text:
                raise KbError(
                    f"text not found verbatim in {TEXT_FILE}: {para[:60]!r}",
                    path=f["skills"],
                    record=skill.slug,
                )
        for tid in skill.topics:
            if tid not in topics:
                raise KbError(f"unknown topic '{tid}'", path=f["skills"], record=skill.slug)
    sections = slugs | set(SECTIONS_FIXED)
    claim_ids = _unique((c.id for c in data.claims), f["claims"], "claim id")
    for claim in data.claims:
        if claim.section not in sections:
            raise KbError(
                f"section '{claim.section}' is not a skill slug, introduction or summary",
                path=f["claims"],
                record=claim.id,
            )
        if claim.start is None or claim.end is None:
            raise KbError(
                "claim has no start/end offsets; run `kb lint --fix` to anchor it",
                path=f["claims"],
                record=claim.id,
            )
    pairs = _unique((link.id for link in data.links), f["links"], "claim -> reference link")
    del pairs
    note_keys = _unique((n.key for n in data.references), f["references"], "reference key")
    for link in data.links:
        if link.claim not in claim_ids:
            raise KbError(f"unknown claim '{link.claim}'", path=f["links"], record=f"{link.id}")
        if link.reference not in note_keys:
            raise KbError(
                f"reference '{link.reference}' is not in {FILES['references']}; "
                "fix the key or add the reference",
                path=f["links"],
                record=link.id,
            )
    _check_findings(data, folder)
    _check_reviews(data, folder)
    linked = {link.reference for link in data.links}
    for note in data.references:
        for tid in note.topics:
            if tid not in topics:
                raise KbError(f"unknown topic '{tid}'", path=f["references"], record=note.key)
        if note.key not in linked and not note.background_only:
            raise KbError(
                "reference has no evidence link; link it or give 'background_only' a reason",
                path=f["references"],
                record=note.key,
            )
    # A skill without support is allowed: it is a gap to show (kb gaps), not an error to hide.


def _check_findings(data: WorksheetData, folder: Path) -> None:
    """Findings belong to a known reference that was read; every link keeps the link rules."""
    path = folder / OPTIONAL_FILES["findings"]
    _unique((f.id for f in data.findings), path, "finding id")
    notes = {n.key: n for n in data.references}
    for finding in data.findings:
        note = notes.get(finding.reference)
        if note is None:
            raise KbError(
                f"reference '{finding.reference}' is not in {FILES['references']}",
                path=path,
                record=finding.id,
            )
        if note.known_from == "title":
            raise KbError(
                f"{note.key} is marked known_from: title in {FILES['references']}, yet this "
                "finding was read from it; fix one of the two",
                path=path,
                record=finding.id,
            )
    findings = {f.id: f for f in data.findings}
    claims = {c.id: c for c in data.claims}
    for link in data.links:
        problems = link_problems(link, claims[link.claim], notes[link.reference], findings)
        if problems:
            raise KbError(problems[0], path=folder / FILES["links"], record=link.id)


def _check_reviews(data: WorksheetData, folder: Path) -> None:
    """Each link is reviewed once; agreement leaves the link as judged; a disagreement is
    resolved in words."""
    if data.review_round is None:
        return
    path = folder / OPTIONAL_FILES["reviews"]
    _unique((r.link for r in data.reviews), path, "reviewed link")
    links = {link.id: link for link in data.links}
    for review in data.reviews:
        link = links.get(review.link)
        if link is None:
            raise KbError(
                f"review of an unknown link '{review.link}'; links are CLAIM--REFERENCE ids "
                f"from {FILES['links']}",
                path=path,
                record=review.link,
            )
        final = (link.stance, link.directness)
        if review.agreed and review.resolution:
            raise KbError(
                "the two judgements agree: drop 'resolution'", path=path, record=review.link
            )
        if review.agreed and final != (review.first.stance, review.first.directness):
            if review.revision:
                continue  # changed after the review, and the record says why
            raise KbError(
                f"both reviewers said {review.first.stance}/{review.first.directness} but "
                f"{FILES['links']} says {link.stance}/{link.directness}; review the changed link "
                "again, or say why it changed in 'revision'",
                path=path,
                record=review.link,
            )
        if not review.agreed and not review.resolution:
            raise KbError(
                "the judgements differ: say how it was resolved in 'resolution'",
                path=path,
                record=review.link,
            )
    missing = sorted(set(links) - {r.link for r in data.reviews})
    if missing:
        raise KbError(
            f"{len(missing)} link(s) have no review, e.g. '{missing[0]}'; review them or "
            f"remove {OPTIONAL_FILES['reviews']}",
            path=path,
            record=missing[0],
        )


def unique_span(text: str, quote: str) -> tuple[int, int] | None:
    """Start and end of ``quote`` in ``text`` if it occurs exactly once, else None."""
    if text.count(quote) != 1:
        return None
    start = text.index(quote)
    return start, start + len(quote)


def anchor_problems(data: WorksheetData) -> dict[str, list[str]]:
    """Claims whose quote no longer stands at its offsets: ``moved`` (found elsewhere, once),
    ``ambiguous`` (found several times), ``vanished`` (not found); orphaned claims are listed too.
    """
    problems: dict[str, list[str]] = {"moved": [], "ambiguous": [], "vanished": [], "orphaned": []}
    for claim in data.claims:
        if claim.orphaned:
            problems["orphaned"].append(claim.id)
            continue
        if claim.start is None or data.text[claim.start : claim.end] == claim.quote:
            continue  # a new claim (no offsets yet) is `kb lint --fix`'s job
        count = data.text.count(claim.quote)
        kind = "moved" if count == 1 else "ambiguous" if count > 1 else "vanished"
        problems[kind].append(claim.id)
    return problems


def _check_anchors(data: WorksheetData, path: Path) -> None:
    problems = anchor_problems(data)
    problems.pop("orphaned")  # loadable; `kb check` reports them and fails
    if not any(problems.values()):
        return
    parts = [f"{kind}: {', '.join(ids)}" for kind, ids in problems.items() if ids]
    raise KbError(
        "quotes no longer match the worksheet text (" + "; ".join(parts) + "); run "
        "`kb reanchor` to move exact unique matches and mark the rest orphaned, then re-quote "
        "orphaned claims",
        path=path,
        record="claims",
    )


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


def validate_against_bib(
    data: WorksheetData, references: dict[str, Reference], folder: Path
) -> None:
    """Every reference key the worksheet uses must be in the bib."""
    for note in data.references:
        if note.key not in references:
            raise KbError(
                f"key '{note.key}' is not in the bib file; add it there or fix the key",
                path=folder / FILES["references"],
                record=note.key,
            )


APPRAISAL_FIELDS = (
    "design",
    "peer_reviewed",
    "level",
    "design_rationale",
    "known_from",
    "search_note",
)


def check_appraisals(
    data: WorksheetData, folder: Path, seen: dict[tuple[str, str], tuple[Path, object]]
) -> None:
    """A reference cited by several worksheets has one appraisal: where two worksheets both give
    its design, peer review, level or design rationale, they must agree (the graph holds them on
    the reference, so a disagreement would make its profile depend on which value comes first).
    ``seen`` carries the first value of each (key, field) across calls."""
    for note in data.references:
        for name in APPRAISAL_FIELDS:
            mine = getattr(note, name)
            if mine is None:
                continue
            where, theirs = seen.setdefault((note.key, name), (folder, mine))
            if theirs != mine:
                raise KbError(
                    f"{name.replace('_', ' ')} {mine!r} here but {theirs!r} in "
                    f"{where / FILES['references']}; one work has one appraisal: make them agree",
                    path=folder / FILES["references"],
                    record=note.key,
                )
    for finding in data.findings:  # a finding is a node of its own: one text per id
        where, theirs = seen.setdefault(("finding", finding.id), (folder, finding))
        if theirs != finding:
            raise KbError(
                f"finding differs from the one with this id in "
                f"{where / OPTIONAL_FILES['findings']}; one id, one finding: make them agree",
                path=folder / OPTIONAL_FILES["findings"],
                record=finding.id,
            )


# --- canonical form -------------------------------------------------------------------------


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
        if read_text(path) != text:
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
