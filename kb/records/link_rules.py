"""The rules a claim-to-reference link must keep: a link may not say more than the text it rests on.

The same rules are enforced three times, on purpose: here (``kb check`` and every load, with one
line naming the file, the link and the rule), in the SHACL shapes (``ontology/shapes.ttl``, on
the graph) and by a test over the real data; each rule is broken once in a failing fixture.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kb.records.models import BASIS_ORDER, Claim, EvidenceLink, Finding, ReferenceNote

__all__ = ["ADVICE_KINDS", "CAUSAL_EXCLUDED", "LINK_RULES", "link_problems", "widest_extent"]

# Claim kinds that say doing something helps: advice, and the benefit it promises.
ADVICE_KINDS = frozenset({"recommendation", "benefit"})

# Designs that cannot show that advice works: an association, a narrative review of associations,
# or a theory is not a test of "doing X helps".
CAUSAL_EXCLUDED = frozenset(
    {
        "longitudinal",
        "cross-sectional",
        "dyadic-observational",
        "empirical-unspecified",
        "review",
        "theory",
    }
)

LINK_RULES = """\
How a link is judged. Each link says what it rests on (its basis) and may not say more than that:
1. Title only: a link whose basis is the title cannot "support"; it is "background", or
   "qualifies" when the title alone limits the claim, and its rationale says it is read from
   the title. It names no finding.
2. Abstract, excerpt or full text: the link names the finding(s) it rests on; each finding is a
   record of what that reference reports (our words), with the URL, the part read, how much of
   the source that part is (abstract, excerpt, full text), whose page it is (publisher, index,
   author's site, third-party repost) and the date it was read. The link's basis is the widest
   part its findings were read in, never more; "full-text" means the whole article was read.
3. "supports" needs a finding that reports a result or a position on the claim's subject.
4. "direct" needs the finding's subject to be the claim's subject (the rationale says how);
   anything else is "indirect".
5. An observational, review or theory source cannot "support, direct" a recommendation or a
   benefit claim: that following advice helps is a causal claim, which only a test of the advice
   could show."""


def link_problems(
    link: EvidenceLink,
    claim: Claim,
    note: ReferenceNote,
    findings: Mapping[str, Finding],
) -> list[str]:
    """Every rule ``link`` breaks, each as one line saying what to do (empty when it keeps them)."""
    out: list[str] = []
    if link.basis == "title":
        if link.stance == "supports":
            out.append(
                "rule 1: a title-only link cannot be 'supports'; make it 'background' (or "
                "'qualifies'), or record a finding from its abstract and name it"
            )
        if link.findings:
            out.append("rule 1: a title-only link names no findings; remove them or set the basis")
        if "title" not in link.rationale.lower():
            out.append("rule 1: the rationale of a title-only link says it is read from the title")
    else:
        if not link.findings and link.stance == "supports":
            out.append(
                "rule 3: 'supports' needs a finding on the claim's subject; add 'findings: [ID]' "
                "(from findings.yaml) or change the stance"
            )
        elif not link.findings:
            out.append(
                f"rule 2: basis '{link.basis}' needs the finding(s) it rests on; add "
                "'findings: [ID]' (from findings.yaml) or set 'basis: title'"
            )
        read = note.known_from
        if read == "title":
            out.append(
                f"rule 2: basis '{link.basis}' but {note.key} is known here from its {read} only"
            )
        named = [findings[f] for f in link.findings if f in findings]
        widest = widest_extent(named)
        if named and widest != link.basis:
            out.append(
                f"rule 2: basis '{link.basis}' but the widest part its findings were read in is "
                f"'{widest}'; set 'basis: {widest}'"
            )
    for fid in link.findings:
        finding = findings.get(fid)
        if finding is None:
            out.append(f"rule 2: finding '{fid}' is not in findings.yaml; add it or fix the id")
        elif finding.reference != link.reference:
            out.append(
                f"rule 2: finding '{fid}' is a finding of {finding.reference}, not of "
                f"{link.reference}"
            )
    if link.directness == "direct" and link.basis == "title":
        out.append("rule 4: 'direct' needs a finding on the claim's own subject; make it indirect")
    if (
        claim.kind in ADVICE_KINDS
        and link.stance == "supports"
        and link.directness == "direct"
        and note.design in CAUSAL_EXCLUDED
    ):
        out.append(
            f"rule 5: a {note.design} source cannot directly support a {claim.kind} claim (that "
            "advice works is causal); make it indirect, or 'background'"
        )
    return out


def widest_extent(findings: Iterable[Finding]) -> str:
    """The widest part (``abstract`` < ``excerpt`` < ``full-text``) these findings were read in;
    ``title`` when there are none."""
    return max((f.extent for f in findings), key=BASIS_ORDER.index, default="title")
