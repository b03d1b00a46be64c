"""The rating rules: two GRADE-like certainty ratings per skill (its advice, its stated reasons),
applied to plain rows, with every step given as a reason in words (``RATING_RULES``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kb.records.vocab import EVIDENCE_LEVELS

__all__ = [
    "ASPECTS",
    "ASPECT_LABELS",
    "DISCLAIMER",
    "EVIDENCE_SCALE",
    "RATINGS",
    "RATING_RULES",
    "LinkRow",
    "Rating",
    "RefInfo",
    "rate",
]

RATINGS = ("very low", "low", "moderate", "high")
# Where a rating starts, by the strongest supporting evidence level (1 strongest .. 6 grey).
# The worksheet's reasons (how things are) are questions of description and association, which
# observational studies fit; its advice (doing X helps) is a causal question, which they do not.
START = {
    "premises": {1: "high", 2: "high", 3: "moderate", 4: "moderate", 5: "low", 6: "very low"},
    "advice": {1: "high", 2: "high", 3: "low", 4: "low", 5: "very low", 6: "very low"},
}
GREY_LEVEL = max(EVIDENCE_LEVELS)
THEORY_LEVEL = 5
# Finding kinds that report evidence; a link resting only on other kinds rests on theory/opinion.
EVIDENCE_KINDS = frozenset({"StudyResult", "ReviewConclusion"})
MIN_PEER_REVIEWED = 2
# Which claims each rating reads: the advice (recommendations) apart from its premises.
ASPECTS = {
    "advice": ("Recommendation", "BenefitClaim"),
    "premises": ("EmpiricalAssertion", "Definition"),
}
ASPECT_LABELS = {
    "advice": "evidence that following the advice helps (its advice and promised benefits)",
    "premises": "evidence for the worksheet's stated reasons",
}

DISCLAIMER = (
    "Evidence profiles are a reading aid for the worksheet's sources, not a clinical verdict: "
    "each link is a curator's judgement (the worksheet prints no in-text citations), reviewed "
    "twice; they rest on a title, an abstract or excerpts (no article was read whole), "
    "and the ratings follow the simple rules written out with them, not a systematic review."
)

EVIDENCE_SCALE = "\n".join(
    ["Evidence level of a reference (1 strongest, 6 weakest; after Oxford CEBM 2011):"]
    + [f"  {n}  {text}" for n, text in EVIDENCE_LEVELS.items()]
)

RATING_RULES = f"""\
Certainty ratings of a skill (GRADE-like, simplified). GRADE rates certainty per outcome, not per
topic, so each skill gets two ratings, each with its reasons:
  (a) advice: evidence that following the advice helps, read from its recommendation claims and
      its benefit claims (that following the advice brings a benefit is the same causal claim);
  (b) reasons: evidence for the worksheet's stated reasons, read from its empirical and
      definition claims.
Only links with the stance "supports" count as support; "qualifies" and "contradicts" links are
named in the reasons, "background" links are ignored.
1. Start from the strongest evidence level among the references that support those claims.
   A link counts at its reference's level when it rests on a reported result or a review's
   conclusion; a link resting only on theory or opinion counts at level 5 at best.
   (a) Advice is a causal question: level 1-2 (systematic review, experiment) high; level 3-4
       (observational study) low; level 5 (review or theory) and level 6 (grey literature)
       very low, as in GRADE.
   (b) Reasons are statements of how things are, which observational studies fit: level 1-2
       high; level 3-4 moderate; level 5 low; level 6, a reference with no level, or no
       support: very low.
2. Indirectness: down one step unless a supporting link at the starting level is "direct"
   (the source studies or states what the claim says). An observational, review or theory source can
   never support advice directly (link rule 5).
3. Risk of bias: down one for serious risk of bias in the supporting studies, when the supporting
   references at the starting level that were judged (low, some concerns or serious, from what
   was read: sampling, design, self-report, attrition) are all at serious risk. A reference whose
   risk of bias is "not assessable" (a title, a page describing no study: theory, opinion,
   a narrative review whose methods were not read) is named, not downgraded: such sources already
   start at level 5 or 6.
4. Few sources: down one step when fewer than {MIN_PEER_REVIEWED} peer-reviewed references
   support those claims.
5. Inconsistency: down one step when a peer-reviewed reference contradicts one of them.
6. A rating never goes below very low. Each rating lists the rule behind every step. The rules
   have no imprecision or publication-bias step."""

CATEGORY = {
    "experimental": ("experiment", "experiments"),
    "longitudinal": ("observational study", "observational studies"),
    "cross-sectional": ("observational study", "observational studies"),
    "dyadic-observational": ("observational study", "observational studies"),
    "empirical-unspecified": (
        "empirical study of unstated design",
        "empirical studies of unstated design",
    ),
    "review": ("review", "reviews"),
    "theory": ("theory paper", "theory papers"),
    "web-article": ("web article", "web articles"),
    "blog": ("blog post", "blog posts"),
}
UNAPPRAISED = ("unappraised source", "unappraised sources")


@dataclass(frozen=True)
class RefInfo:
    """A cited reference's curated appraisal, as the graph holds it."""

    key: str
    label: str
    design: str | None
    level: int | None
    peer_reviewed: bool | None
    year: int | None
    rationale: str | None
    risk_of_bias: str | None = None
    unconfirmed: bool = False

    @property
    def grey(self) -> bool:
        """Not known to be peer reviewed (web articles, blogs, or no appraisal)."""
        return self.peer_reviewed is not True


@dataclass(frozen=True)
class LinkRow:
    """One claim of a skill and, when linked, one reference with stance and directness, and
    whether the link rests on a reported result or conclusion (not only theory or opinion)."""

    claim: str
    kind: str
    key: str | None
    stance: str | None
    directness: str | None
    empirical: bool = True

    def level(self, ref: RefInfo) -> int:
        """The evidence level this link counts at: its reference's, but a link resting only on
        theory or opinion counts at level 5 at best, however strong the paper's design."""
        level = ref.level or GREY_LEVEL
        return level if self.empirical else max(level, THEORY_LEVEL)


@dataclass
class Rating:
    """One certainty rating of a skill (its advice, or its reasons), with the rule behind each
    step, a one-line summary, and the claims and references it was read from."""

    aspect: str
    rating: str
    reasons: list[str]
    summary: str
    claims: list[str]
    supporting_references: list[str]

    @property
    def label(self) -> str:
        """What this rating is about, in words."""
        return ASPECT_LABELS[self.aspect]


def rate(links: Sequence[LinkRow], refs: dict[str, RefInfo], aspect: str) -> Rating:
    """Apply ``RATING_RULES`` to the claims of one aspect (``advice`` or ``premises``) of a
    skill's links: the rating, its reasons in words and a one-line summary."""
    mine = [x for x in links if x.kind in ASPECTS[aspect]]
    what = "its advice" if aspect == "advice" else "its stated reasons"
    claims = sorted({x.claim for x in mine})
    support = [x for x in mine if x.stance == "supports" and x.key in refs]
    sources = [refs[k] for k in sorted({x.key for x in support if x.key})]
    start = START[aspect]
    levels: dict[str, int] = {}  # each supporting reference at its best link's level
    for x in support:
        assert x.key is not None
        levels[x.key] = min(levels.get(x.key, GREY_LEVEL), x.level(refs[x.key]))
    best = min(levels.values(), default=None)
    step = RATINGS.index(start[best]) if best is not None else 0
    reasons: list[str] = []
    short: list[str] = []
    if not claims:
        kind = "recommendation or benefit" if aspect == "advice" else "empirical or definition"
        reasons.append(f"Very low: the skill has no {kind} claim to rate.")
        return Rating(aspect, "very low", reasons, f"Very low: no {kind} claim", [], [])
    if best is None:
        reasons.append(f"Starts at very low: no reference supports {what}.")
        short.append("no supporting reference")
    else:
        top = [r.label for r in sources if levels[r.key] == best]
        capped = [r.label for r in sources if levels[r.key] != (r.level or GREY_LEVEL)]
        reasons.append(
            _sentence(
                f"Starts at {start[best]}: the strongest support for {what} is level {best} "
                f"({EVIDENCE_LEVELS[best]}): {_join(top)}"
            )
        )
        if best == GREY_LEVEL:
            short.append("grey literature only")
        if capped:
            reasons.append(
                f"Counted at level {THEORY_LEVEL}: {_join(capped)} "
                f"{'supports' if len(capped) == 1 else 'support'} {what} only through theory "
                "or opinion, not a reported result."
            )

    direct = sorted(  # only links at the starting level can spare it the indirectness step
        {
            refs[x.key].label
            for x in support
            if x.directness == "direct" and x.key and x.level(refs[x.key]) == best
        }
    )
    if direct:
        verb = "bears" if len(direct) == 1 else "bear"
        reasons.append(
            f"Not downgraded for indirectness: {_join(direct)} {verb} directly on {what}."
        )
    elif support:
        step -= 1
        indirect = sorted(
            {refs[x.key].label for x in support if x.key and x.level(refs[x.key]) == best}
        )
        reasons.append(
            f"Down one for indirectness: at its starting level, {what} only indirectly "
            f"supported ({_join(indirect)})."
        )
        short.append("only indirect support")
    else:
        step -= 1
        reasons.append(f"Down one for indirectness: no reference supports {what}.")

    step += _risk_of_bias(
        [r for r in sources if levels[r.key] == best] if best is not None else [], reasons, short
    )

    peer = [r.label for r in sources if r.peer_reviewed is True]
    if len(peer) < MIN_PEER_REVIEWED:
        step -= 1
        who = f"only {_join(peer)}" if peer else "none"
        reasons.append(
            f"Down one for few sources: fewer than {MIN_PEER_REVIEWED} peer-reviewed references "
            f"support {what} ({who})."
        )
        short.append(f"{len(peer) or 'no'} peer-reviewed source{'s' if len(peer) != 1 else ''}")
    else:
        reasons.append(
            f"Not downgraded for few sources: {len(peer)} peer-reviewed references support it."
        )

    against = sorted(
        {
            refs[x.key].label
            for x in mine
            if x.stance == "contradicts" and x.key in refs and refs[x.key].peer_reviewed is True
        }
    )
    if against:
        step -= 1
        reasons.append(_sentence(f"Down one for inconsistency: contradicted by {_join(against)}"))
        short.append("contradicted")
    qualifying = sorted(
        {refs[x.key].label for x in mine if x.stance == "qualifies" and x.key in refs}
    )
    if qualifying:
        reasons.append(_sentence(f"Qualified (no downgrade) by {_join(qualifying)}"))
    if step < 0:
        reasons.append("A rating cannot go below very low.")
    rating = RATINGS[max(step, 0)]
    counts = Counter(CATEGORY.get(r.design or "", UNAPPRAISED) for r in sources)
    order = [*dict.fromkeys(CATEGORY.values()), UNAPPRAISED]
    what_supports = ", ".join(
        f"{counts[forms]} {forms[0] if counts[forms] == 1 else forms[1]}"
        for forms in order
        if counts[forms]
    )
    summary = f"{rating.capitalize()}: {what_supports or 'no supporting source'}"
    tail = [s for s in short if s != "no supporting reference"]
    return Rating(
        aspect=aspect,
        rating=rating,
        reasons=reasons,
        summary=summary + (f"; {', '.join(tail)}" if tail else ""),
        claims=claims,
        supporting_references=[r.key for r in sources],
    )


def _risk_of_bias(top: Sequence[RefInfo], reasons: list[str], short: list[str]) -> int:
    """Rule 3: the step (0 or -1) for the supporting references at the starting level, with the
    reason in words appended to ``reasons``."""
    if not top:
        return 0
    judged = [r for r in top if r.risk_of_bias in ("low", "some-concerns", "serious")]
    serious = sorted(r.label for r in judged if r.risk_of_bias == "serious")
    unassessed = sorted(r.label for r in top if r not in judged)
    if unassessed:
        reasons.append(
            f"Risk of bias not assessable from what was read for {_join(unassessed)}; not "
            "downgraded for it."
        )
    if judged and len(serious) == len(judged):
        reasons.append(
            f"Down one for serious risk of bias in the supporting studies: {_join(serious)} "
            "(reasons in references.yaml, risk_of_bias)."
        )
        short.append("serious risk of bias")
        return -1
    if judged:
        each = sorted(f"{r.label}: {(r.risk_of_bias or '').replace('-', ' ')}" for r in judged)
        reasons.append(
            "Not downgraded for risk of bias: not every supporting study at the starting level is "
            f"at serious risk ({'; '.join(each)})."
        )
    return 0


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _sentence(text: str) -> str:
    return text if text.endswith(".") else f"{text}."
