"""Read a worksheet folder into validated records (``load_worksheet``), then check them
(``kb.records.checks``); the canonical form and its rewriting are in ``kb.records.canonical``.

A worksheet folder holds ``worksheet.yaml``, ``text.txt`` (the anchoring source, verbatim),
``skills.yaml``, ``claims.yaml``, ``links.yaml``, ``references.yaml`` and ``topics.yaml``, and
where the links rest on what sources report, ``findings.yaml``; where the links had their second
review, ``reviews.yaml``.
YAML is read by the one loader (``kb.safe_yaml``: safe tags, no anchors, aliases or duplicate
keys, a nesting limit) from files read by ``kb.files.read_input`` (regular files inside the
worksheet folder, within a size limit). Every problem is a KbError naming the file, the record
id and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kb.errors import KbError
from kb.files import read_input
from kb.records.checks import check_internal
from kb.records.models import (
    Claim,
    EvidenceLink,
    Finding,
    LinkReview,
    ReferenceNote,
    ReviewRound,
    Skill,
    Topic,
    Worksheet,
    WorksheetData,
)
from kb.records.worksheet_files import (
    FILES,
    OPTIONAL_FILES,
    TEXT_FILE,
    find_worksheet_dirs,
    worksheet_files,
)
from kb.safe_yaml import YamlRefused, load_yaml

__all__ = [
    "FILES",
    "OPTIONAL_FILES",
    "TEXT_FILE",
    "find_worksheet_dirs",
    "load_worksheet",
    "read_checked",
    "worksheet_files",
]

MAX_YAML_BYTES = 5_000_000
MAX_TEXT_BYTES = 5_000_000
M = TypeVar("M", bound=BaseModel)


def _read_yaml(path: Path) -> Any:
    """A curated YAML file of its worksheet folder, read by the one reader and the one loader."""
    text = read_input(path, "YAML file", limit=MAX_YAML_BYTES, within=path.parent)
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        fix = "" if isinstance(exc, YamlRefused) else "; fix the YAML syntax"
        raise KbError(f"{where}{problem}{fix}", path=path) from None


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
    """Load and check one worksheet folder (not yet against the bib): its accepted records
    (proposed ones are checked, then left out: ``WorksheetData.accepted``)."""
    return read_checked(folder).accepted()


def read_checked(folder: Path) -> WorksheetData:
    """Every record of a worksheet folder, proposed ones included, validated and checked."""
    data = _read_worksheet(folder)
    check_internal(data, folder)
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
        text=read_input(folder / TEXT_FILE, "worksheet text", limit=MAX_TEXT_BYTES, within=folder),
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
