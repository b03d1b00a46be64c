"""``kb suggest``: candidate references for each claim, ranked by BM25."""

from __future__ import annotations

import click

from kb.cli.base import curated_paths, listing_options, print_table


@click.command("suggest")
@click.argument("claim", required=False)
@click.option("--top", type=click.IntRange(1, 50), default=3, show_default=True)
@listing_options("csv")
@click.pass_context
def suggest_cmd(
    ctx: click.Context, claim: str | None, worksheet: str | None, top: int, fmt: str
) -> None:
    """Candidate references for each claim (or CLAIM), ranked by BM25; all proposed.

    Ranked over each reference's title and recorded findings; shows the claim's words that the
    reference shares (by stem). A suggestion becomes a link only when a curator accepts it.
    """
    from kb.core.resolve import pick, resolve_worksheet
    from kb.curate.suggest import suggest
    from kb.records.bib import load_bib
    from kb.records.worksheet import find_worksheet_dirs, read_checked

    bib, data = curated_paths(ctx)
    sheets = [read_checked(f) for f in find_worksheet_dirs(data)]
    if worksheet is not None:
        sheets = [resolve_worksheet(sheets, worksheet, given_as="--worksheet")]
    refs = {r.key: r for r in load_bib(bib)}
    findings = [f for s in sheets for f in s.findings]
    if claim is not None:
        named = ((c.id, (c.id,), c.id) for s in sheets for c in s.claims)
        claim = pick("claim", claim, named, given_as="CLAIM")
    found = []
    for sheet in sheets:
        claims = [c for c in sheet.claims if claim is None or c.id == claim]
        found += suggest(sheet, refs, findings, claims, top=top)
    if fmt == "json":
        print_table([s.as_dict() for s in found], fmt)
        return
    print_table(
        [
            {"claim": s.claim, "rank": s.rank, "reference": s.reference,
             "score": f"{s.score:.2f}", "matching words": " ".join(s.matching_words),
             "status": s.status}
            for s in found
        ],
        fmt,
    )  # fmt: skip
