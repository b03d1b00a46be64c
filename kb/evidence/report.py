"""The evidence appendix a clinician can print: Markdown or a standalone HTML page.

Per skill: the worksheet's own words, each claim with its quote, the references linked to it
in APA 7 (from ``kb.export.apa.render_apa``) with stance, directness and the curator's
rationale, and the skill's ratings with their reasons (``kb.evidence.profile``). Every data
string is escaped for
the output format; APA entries come from ``kb.export.apa`` already escaped for that format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kb.core.numbering import ClaimName, claim_names
from kb.evidence.finding_block import finding_blocks, title_only_line
from kb.evidence.profile import profiles, reference_info
from kb.evidence.rating import DISCLAIMER, RATING_RULES, RefInfo
from kb.evidence.wording import REPORTS_HEADING, judged_from, review_words
from kb.markup import escape_html, escape_markdown
from kb.records.link_rules import LINK_RULES
from kb.records.models import (
    DESIGN_LABELS,
    EVIDENCE_LEVELS,
    RISK_OF_BIAS_LABELS,
    SECTIONS_FIXED,
    WorksheetData,
)

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase

__all__ = ["render_report"]

ReportFormat = Literal["md", "html"]
CSS = """
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto;
       padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; border-bottom: 1px solid #999;
     margin-top: 2em; } h3 { font-size: 1.05em; }
blockquote { margin: .5em 0 .5em 1em; padding-left: .8em; border-left: 3px solid #bbb; }
.note { background: #f4f4f4; padding: .6em .9em; border: 1px solid #ddd; }
li { margin: .25em 0; } ul.apa { list-style: none; padding-left: 0; }
ul.apa li { padding-left: 2em; text-indent: -2em; } pre { white-space: pre-wrap; font-size: .9em; }
@media print { body { margin: 0; max-width: none; } section.skill { break-before: page; }
               a { color: inherit; text-decoration: none; } }
"""


@dataclass(frozen=True)
class Raw:
    """A fragment already formatted for the output (an APA entry from ``kb.export.apa``)."""

    text: str


Inline = str | Raw


class _Doc:
    """A tiny document builder with one escaping rule per format."""

    def __init__(self, fmt: ReportFormat) -> None:
        self.fmt = fmt
        self.out: list[str] = []

    def esc(self, parts: Inline | list[Inline]) -> str:
        items = parts if isinstance(parts, list) else [parts]
        return "".join(
            p.text
            if isinstance(p, Raw)
            else escape_html(p)
            if self.fmt == "html"
            else escape_markdown(p)
            for p in items
        )

    def link(self, url: str) -> Raw:
        """A URL as a link (its text escaped for the format)."""
        if self.fmt == "html":
            return Raw(f'<a href="{escape_html(url)}">{escape_html(url)}</a>')
        target = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        text = escape_markdown(url)
        return Raw(f"[{text}]({target})")

    def strong(self, text: str) -> list[Inline]:
        tags = ("<strong>", "</strong>") if self.fmt == "html" else ("**", "**")
        return [Raw(tags[0]), text, Raw(tags[1])]

    def heading(self, level: int, text: str, section: str | None = None) -> None:
        if self.fmt == "md":
            self.out.append(f"{'#' * level} {self.esc(text)}\n")
            return
        if section:
            self.out.append(f'<section class="{section}">')
        self.out.append(f"<h{level}>{self.esc(text)}</h{level}>")

    def close_section(self) -> None:
        if self.fmt == "html":
            self.out.append("</section>")

    def para(self, parts: Inline | list[Inline], css: str | None = None) -> None:
        if self.fmt == "md":
            self.out.append(f"{self.esc(parts)}\n")
        else:
            cls = f' class="{css}"' if css else ""
            self.out.append(f"<p{cls}>{self.esc(parts)}</p>")

    def quote(self, text: str) -> None:
        if self.fmt == "md":
            self.out.append("\n>\n".join(f"> {self.esc(p)}" for p in text.split("\n\n")) + "\n")
        else:
            paras = "".join(f"<p>{self.esc(p)}</p>" for p in text.split("\n\n"))
            self.out.append(f"<blockquote>{paras}</blockquote>")

    def items(self, rows: list[list[Inline]], css: str | None = None) -> None:
        if not rows:
            return
        if self.fmt == "md":
            self.out.append("".join(f"- {self.esc(r)}\n" for r in rows))
        else:
            cls = f' class="{css}"' if css else ""
            lis = "".join(f"<li>{self.esc(r)}</li>" for r in rows)
            self.out.append(f"<ul{cls}>{lis}</ul>")

    def pre(self, text: str) -> None:
        if self.fmt == "md":
            self.out.append(f"```text\n{text}\n```\n")
        else:
            self.out.append(f"<pre>{escape_html(text)}</pre>")

    def render(self, title: str) -> str:
        if self.fmt == "md":
            return "\n".join(self.out).rstrip() + "\n"
        body = "\n".join(self.out)
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape_html(title)}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n"
        )


def render_report(base: KnowledgeBase, fmt: ReportFormat) -> str:
    """The evidence appendix for every worksheet, as Markdown (``md``) or HTML (``html``)."""
    from kb.export.apa import render_apa

    doc = _Doc(fmt)
    apa = render_apa(base.references.values(), fmt="html" if fmt == "html" else "markdown")
    refs = reference_info(base)
    by_skill = {(p.worksheet, p.slug): p for p in profiles(base)}
    names = claim_names(base)
    titles = " / ".join(ws.worksheet.title for ws in base.worksheets)
    doc.heading(1, f"Evidence appendix: {titles}")
    doc.para(DISCLAIMER, css="note")
    doc.heading(2, "How to read this appendix")
    doc.para(
        "Each reference carries a study design, whether it is peer reviewed, and a level on "
        "this scale (1 strongest):"
    )
    doc.items([[f"Level {n}: {text}"] for n, text in EVIDENCE_LEVELS.items()])
    doc.para("Each link is judged by these rules:")
    doc.pre(LINK_RULES)
    doc.para("Each skill's two certainty ratings follow these rules:")
    doc.pre(RATING_RULES)
    for ws in base.worksheets:
        for skill in sorted(ws.skills, key=lambda s: s.order):
            prof = by_skill[(ws.worksheet.id, skill.slug)]
            doc.heading(2, f"Skill {skill.order}. {skill.title}", section="skill")
            for rating in (prof.advice, prof.premises):
                assert rating is not None
                _, _, rest = rating.summary.partition(": ")
                doc.para(
                    [
                        *doc.strong(f"Certainty, {rating.label}: {rating.rating}"),
                        f" ({rest or rating.summary})",
                    ]
                )
                doc.items([[r] for r in rating.reasons])
            years = (
                f"{prof.oldest_year}–{prof.newest_year}"
                if prof.oldest_year is not None
                else "no dated source"
            )
            doc.para(
                f"{prof.n_references} linked references, {prof.peer_reviewed_share:.0%} peer "
                f"reviewed, published {years}."
            )
            doc.heading(3, "What the worksheet says")
            doc.quote("\n\n".join(skill.paragraphs))
            doc.heading(3, "Claims and the references linked to them")
            _claims(doc, ws, skill.slug, apa, names)
            doc.close_section()
        doc.heading(2, "Claims of the introduction and summary", section="skill")
        doc.para("These claims belong to no skill and do not enter the ratings.")
        for section in SECTIONS_FIXED:
            doc.heading(3, section.capitalize())
            _claims(doc, ws, section, apa, names)
        doc.close_section()
    doc.heading(2, "References (APA 7)", section="references")
    doc.items(
        [[Raw(apa[key]), f" — {_appraisal(refs.get(key))}"] for key in apa if key in refs],
        css="apa",
    )
    doc.close_section()
    return doc.render(f"Evidence appendix: {titles}")


def _claims(
    doc: _Doc,
    ws: WorksheetData,
    section: str,
    apa: dict[str, str],
    names: dict[tuple[str, str], ClaimName],
) -> None:
    """A section's claims in text order, each named by its number ("Claim 12"; after its
    worksheet's id in an appendix of several), with the references linked to it."""
    wid = ws.worksheet.id
    claims = sorted((c for c in ws.claims if c.section == section), key=lambda c: c.start or 0)
    findings = {f.id: f for f in ws.findings}
    reviews = {r.link: r for r in ws.reviews}
    for claim in claims:
        name = names.get((wid, claim.id)) or ClaimName(wid, claim.id, None)
        doc.para([f"“{claim.quote}” ({claim.kind}; {name.shown})"])
        linked = sorted((x for x in ws.links if x.claim == claim.id), key=lambda x: x.reference)
        if not linked:
            doc.items([["No reference is linked to this claim."]])
            continue
        rows: list[list[Inline]] = []
        for x in linked:
            review = reviews.get(x.id)
            status = None if review is None else review.status
            rows.append(
                [
                    Raw(apa.get(x.reference, x.reference)),
                    " — ",
                    *doc.strong(f"{x.stance}, {x.directness}"),
                    f" ({judged_from(x.basis, [findings[f] for f in x.findings])}; "
                    f"{review_words(status)}): {x.rationale}",
                ]
            )
            if x.basis == "title":
                rows.append([f"↳ {title_only_line()}."])
            for block in finding_blocks([findings[fid] for fid in x.findings]):
                rows.append(
                    [
                        f"↳ {REPORTS_HEADING} ({block.kind_label}; our summary of ",
                        f"{block.part_words}, {block.where}, read at ",
                        doc.link(block.url),
                        f" on {block.read}): {block.statement}",
                    ]
                )
        doc.items(rows)


def _appraisal(info: RefInfo | None) -> str:
    if info is None:
        return "not appraised"
    peer = {True: "peer reviewed", False: "not peer reviewed", None: "peer review unknown"}
    design = DESIGN_LABELS.get(info.design or "", "design unknown")
    level = f"level {info.level}" if info.level else "no level"
    text = f"{design}; {peer[info.peer_reviewed]}; {level}"
    if info.risk_of_bias:
        text += f"; {RISK_OF_BIAS_LABELS.get(info.risk_of_bias, info.risk_of_bias)}"
    if info.unconfirmed:
        text = f"UNCONFIRMED: nothing seen here confirms it exists as printed; {text}"
    return f"{text}. {info.rationale}" if info.rationale else text
