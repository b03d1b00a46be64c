"""A worksheet page copied as plain text -> its body, its sections and skills, its reference list.

The text is read as blocks (runs of non-blank lines between blank lines). Each line is one of:

- a *heading*: a block of one short line (at most 12 words) that starts with a capital and does
  not end in sentence punctuation (. ! ? : ; ,);
- a *bullet*: a line starting with •, -, * or – and a space (after any indentation);
- a *reference*: a line of the reference-list shape, ``[N.] Authors (date).`` (``printed.py``);
- *prose*: anything else.

The body runs from the title (the first heading followed by prose; what comes before it is site
navigation) to the end of the last section: the last prose or bullet block before the reference
list. A lead-in that ends in ":" and introduces nothing in the text ("Get these tips in worksheet
format here:"), a "References" heading, and anything after the reference list are left out, and
every line left out is reported. Skills are the headings with paragraphs; where a bullet list
names headings (the summary list) it is the cross-check: skills are the headings it names, in
the text's order, and a heading or item without its partner is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.errors import KbError
from kb.records.names import slug

__all__ = ["Block", "Page", "Section", "read_page"]

_HEADING_WORDS = 12
_BULLET = re.compile(r"^\s*[•\-*–·]\s+(?P<item>.+?)\s*$")
_REFERENCE = re.compile(
    r"^\s*(?:\d{1,4}[.)]\s+)?[^()]{2,}\s\((?:\d{4}[a-z]?(?:,[^()]*)?|n\.\s?d\.)\)\.\s"
)
_LIST_HEADINGS = {"references", "reference list", "sources", "bibliography", "works cited"}


@dataclass(frozen=True)
class Block:
    """A run of non-blank lines: its text, where it starts and ends in the file, and its kind."""

    text: str
    start: int
    end: int
    kind: str  # heading | bullet | reference | prose

    @property
    def lines(self) -> list[str]:
        """The block's lines as printed."""
        return self.text.split("\n")


@dataclass
class Section:
    """A heading and the blocks under it; ``role`` is ``skill``, ``summary`` or ``group``."""

    heading: Block
    blocks: list[Block] = field(default_factory=list)
    role: str = "group"
    bullet: str | None = None

    @property
    def title(self) -> str:
        """The heading's words."""
        return self.heading.text.strip()

    @property
    def slug(self) -> str:
        """The section's id, minted from its title."""
        return slug(self.title)

    @property
    def paragraphs(self) -> list[str]:
        """The prose paragraphs of the section, verbatim."""
        return [b.text for b in self.blocks if b.kind == "prose"]


@dataclass
class Page:
    """What ``read_page`` found: the body (offsets into it), sections, references, omissions."""

    body: str
    title: str
    introduction: list[Block]
    sections: list[Section]
    references: list[str]
    left_out: list[str]
    notes: list[str]

    @property
    def skills(self) -> list[Section]:
        """The sections that are skills, in the text's order."""
        return [s for s in self.sections if s.role == "skill"]


def read_page(raw: str, where: str = "") -> Page:
    """Find the body, the sections and the printed references of a worksheet page's text.

    Raises ``KbError`` (exit 1) when there is no title, no section heading or no reference list.
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    blocks = _blocks(raw)
    title_at = next(
        (
            i
            for i, b in enumerate(blocks[:-1])
            if b.kind == "heading" and blocks[i + 1].kind == "prose"
        ),
        None,
    )
    if title_at is None:
        raise KbError(
            "no title found (a short line of its own followed by a paragraph); separate the "
            "title and the paragraphs with blank lines",
            path=where or None,
        )
    refs_at = _reference_run(blocks, title_at)
    if refs_at is None:
        raise KbError(
            "no printed reference list found (lines like 'Family, I. (2004). Title. ...' "
            "after the last section); paste the worksheet's references and run again",
            path=where or None,
        )
    first_ref, after_refs = refs_at
    end_at = first_ref
    left_out = [f"{_count(b)} before the title: {_preview(b)}" for b in blocks[:title_at]]
    while end_at > title_at + 1 and (
        blocks[end_at - 1].kind == "heading" or blocks[end_at - 1].text.rstrip().endswith(":")
    ):
        end_at -= 1
        left_out.append(
            f"{_count(blocks[end_at])} before the references: {_preview(blocks[end_at])}"
        )
    left_out += [f"{_count(b)} after the references: {_preview(b)}" for b in blocks[after_refs:]]
    base = blocks[title_at].start
    body_blocks = [_shift(b, base) for b in blocks[title_at:end_at]]
    body = raw[base : blocks[end_at - 1].end] + "\n"
    references = [line for b in blocks[first_ref:after_refs] for line in b.lines if line.strip()]
    intro, sections = _sections(body_blocks[1:])
    if not sections:
        raise KbError(
            "no section headings found in the body (a short line of its own, no full stop); "
            "a worksheet's skills are its section headings: separate them with blank lines",
            path=where or None,
        )
    notes = _assign_roles(sections)
    if not any(s.role == "skill" for s in sections):
        raise KbError(
            "no section heading has paragraphs under it, so no skill was found; check the "
            "blank lines between headings and paragraphs",
            path=where or None,
        )
    return Page(body, body_blocks[0].text.strip(), intro, sections, references, left_out, notes)


def _blocks(raw: str) -> list[Block]:
    out: list[Block] = []
    for found in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", raw):
        text = found.group()
        out.append(Block(text, found.start(), found.end(), _kind(text)))
    return out


def _kind(text: str) -> str:
    lines = text.split("\n")
    if all(_BULLET.match(line) for line in lines):
        return "bullet"
    if _REFERENCE.match(lines[0]):
        return "reference"
    line = lines[0].strip()
    if (
        len(lines) == 1
        and len(line.split()) <= _HEADING_WORDS
        and line[:1].isupper()
        and line[-1:] not in ".!?:;,"
    ):
        return "heading"
    return "prose"


def _reference_run(blocks: list[Block], title_at: int) -> tuple[int, int] | None:
    """The first and one-past-last block of the longest run of reference blocks after the title
    (a numbered list whose items the grammar cannot read still counts: it is reported later)."""
    best: tuple[int, int] | None = None
    i = title_at + 1
    while i < len(blocks):
        if _is_reference(blocks[i]):
            j = i
            while j < len(blocks) and _is_reference(blocks[j]):
                j += 1
            if best is None or j - i >= best[1] - best[0]:
                best = (i, j)
            i = j
        else:
            i += 1
    return best


def _is_reference(block: Block) -> bool:
    if block.kind == "reference":
        return True
    return (
        block.kind == "prose"
        and bool(re.match(r"^\s*\d{1,4}[.)]\s+\S", block.text))
        and ("(" in block.text)
    )


def _sections(blocks: list[Block]) -> tuple[list[Block], list[Section]]:
    intro: list[Block] = []
    sections: list[Section] = []
    for block in blocks:
        if block.kind == "heading":
            sections.append(Section(block))
        elif sections:
            sections[-1].blocks.append(block)
        else:
            intro.append(block)
    return intro, sections


def _assign_roles(sections: list[Section]) -> list[str]:
    """Mark skills, the summary and group headings; return what the cross-check found."""
    notes: list[str] = []
    by_title = {_norm(s.title): s for s in sections}
    summary = next(
        (
            s
            for s in sections
            for b in s.blocks
            if b.kind == "bullet"
            and sum(_norm(_item(x)) in by_title for x in b.lines) >= 2  # names headings
        ),
        None,
    )
    with_text = [s for s in sections if s.paragraphs and s is not summary]
    if summary is None:
        for section in with_text:
            section.role = "skill"
        notes.append(f"no summary list to cross-check the {len(with_text)} skill headings against")
        return notes
    summary.role = "summary"
    items = [_item(x) for b in summary.blocks if b.kind == "bullet" for x in b.lines]
    named = {_norm(i): i for i in items}
    for section in sections:
        if _norm(section.title) in named:
            section.role = "skill"
            section.bullet = named[_norm(section.title)]
    for item in items:
        if _norm(item) not in by_title:
            notes.append(f"summary item without a heading of its own: {item!r}")
    for section in with_text:
        if section.role != "skill":
            notes.append(f"heading with paragraphs but not in the summary list: {section.title!r}")
    found = sum(s.role == "skill" for s in sections)
    notes.append(f"{found} skill heading(s), cross-checked against a summary list of {len(items)}")
    return notes


def _item(line: str) -> str:
    found = _BULLET.match(line)
    return found["item"] if found else line.strip()


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.casefold()).split())


def _shift(block: Block, base: int) -> Block:
    return Block(block.text, block.start - base, block.end - base, block.kind)


def _count(block: Block) -> str:
    n = len(block.lines)
    return f"{n} line{'s' if n > 1 else ''}"


def _preview(block: Block) -> str:
    first = block.lines[0].strip()
    return repr(first if len(first) <= 60 else first[:57] + "...")
