"""``kb audit``: the worksheet's printed references against our records and APA 7."""

from __future__ import annotations

import click

from kb.cli.base import dump_json, emit, get_kb, listing_options


@click.command("audit")
@listing_options()
@click.pass_context
def audit_cmd(ctx: click.Context, worksheet: str | None, fmt: str) -> None:
    """Compare each reference as the worksheet prints it with our record and its APA 7 form.

    Lists every difference with a category (metadata correction; style: dash, page range,
    capitalisation, missing DOI or URL; unconfirmed) and the source of the correction. A report:
    exit 0 whatever it finds; 2 only if its input is unreadable.
    """
    from kb.evidence.audit import audit, format_text

    base = get_kb(ctx, worksheet)
    findings = audit(base)
    total = sum(len(ws.references) for ws in base.worksheets)
    if fmt == "json":
        payload = {"references": total, "findings": [f.as_dict() for f in findings]}
        dump_json(payload)
    else:
        emit(format_text(findings, total))
