"""``kb new``: a worksheet folder proposed from a page's plain text, every record ``proposed``.

``propose`` reads the text (``body.read_page``), the claim candidates (``claims``), the printed
references (``printed``) and their matches in the bib (``match``), and builds the records in
memory; ``write_proposal`` writes them in canonical form: into a temporary folder beside the
target, checked there with the same reader and rules as ``kb check``, then renamed into place, and
draft bib entries appended to the bib atomically. A failure leaves nothing behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.curate.bib_writer import append_entries
from kb.curate.body import Page, read_page
from kb.curate.claims import claim_candidates
from kb.curate.match import ReferenceMatch, audit_matches, match_references
from kb.errors import KbError, UnreadableError, UsageError
from kb.files import read_input, write_atomic
from kb.records.bib import load_bib
from kb.records.canonical import canonical_dump, canonical_records
from kb.records.models import Reference, ReferenceNote, Skill, Worksheet, WorksheetData
from kb.records.printed import parse_printed
from kb.records.worksheet import read_checked
from kb.records.worksheet_files import FILES, TEXT_FILE

__all__ = ["DRAFT_NOTE", "Proposal", "propose", "write_proposal"]

DRAFT_NOTE = (
    "Draft entry made by kb new from the printed string alone; nothing in it has been checked "
    "against a source."
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Proposal:
    """A proposed worksheet: its records, the page read, the reference matches, new bib drafts."""

    data: WorksheetData
    page: Page
    matches: list[ReferenceMatch]

    @property
    def drafts(self) -> list[Reference]:
        """Bib entries to add: references that matched nothing in the bib."""
        return [m.draft for m in self.matches if m.draft is not None]

    def summary(self) -> dict[str, Any]:
        """What was found and left out, as JSON-ready data."""
        return {
            "worksheet": self.data.worksheet.id,
            "title": self.page.title,
            "skills": [s.title for s in self.data.skills],
            "claims": len(self.data.claims),
            "references": [m.as_dict() for m in self.matches],
            "left_out": self.page.left_out,
            "notes": self.page.notes,
        }


MAX_ID_CHARS = 64  # a worksheet id: a folder name and part of every IRI minted for it
MAX_TEXT_BYTES = 2_000_000  # a worksheet page's text (the seed's is ~25 KB)


def propose(ws_id: str, text_path: Path, bib_path: Path) -> Proposal:
    """Read the page's text and the bib; build every record of the new worksheet, proposed."""
    if len(ws_id) > MAX_ID_CHARS:
        raise UsageError(
            f"worksheet id of {len(ws_id)} characters is too long (at most {MAX_ID_CHARS})",
            record="ID",
        )
    if not _SLUG.match(ws_id):
        raise UsageError(
            f"worksheet id '{ws_id}' is not lower-case words joined by hyphens (e.g. "
            "'coping-with-anger')",
            record="ID",
        )
    raw = read_input(text_path, "worksheet text", limit=MAX_TEXT_BYTES)
    page = read_page(raw, str(text_path))
    printed = [parse_printed(line, i, str(text_path)) for i, line in enumerate(page.references, 1)]
    bib = {r.key: r for r in load_bib(bib_path)}
    matches = match_references(printed, bib.values())
    audit_matches(matches, bib)
    skills = []
    for order, section in enumerate(page.skills, start=1):
        if not section.paragraphs:
            raise KbError(
                f"skill heading {section.title!r} has no paragraph under it; check the blank "
                "lines around it",
                path=text_path,
                record=section.slug,
            )
        skills.append(
            Skill(
                order=order,
                slug=section.slug,
                title=section.title,
                paragraphs=section.paragraphs,
                bullet=section.bullet or section.title,
                status="proposed",
            )
        )
    notes = [
        ReferenceNote(
            key=m.key,
            number=m.printed.number,
            printed=m.printed.text,
            status="proposed",
            unverified=["existence"] if m.draft else [],
            verification_note=DRAFT_NOTE if m.draft else None,
        )
        for m in matches
    ]
    data = WorksheetData(
        worksheet=Worksheet(id=ws_id, title=page.title),
        text=page.body,
        skills=skills,
        claims=claim_candidates(page),
        links=[],
        references=notes,
        topics=[],
    )
    return Proposal(data, page, matches)


def write_proposal(proposal: Proposal, folder: Path, bib_path: Path) -> None:
    """Write the worksheet folder (and any draft bib entries) all or nothing."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(
            "already exists; choose another worksheet id or data folder, or remove it first",
            path=folder,
        )
    parent = folder.parent
    if not parent.is_dir():
        raise UnreadableError("folder does not exist; create it first", path=parent)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    except OSError as exc:
        raise UnreadableError(f"cannot write here: {exc.strerror}", path=parent) from None
    try:
        records = canonical_records(proposal.data)
        for name, file in FILES.items():
            write_atomic(staging / file, canonical_dump(records[name]))
        write_atomic(staging / TEXT_FILE, proposal.data.text)
        read_checked(staging)  # the same reader and rules as `kb check`
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
        if proposal.drafts:
            try:  # the one bib writer: locked, read back, atomic
                append_entries(bib_path, lambda _bib: list(proposal.drafts), source=folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)  # all or nothing
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
