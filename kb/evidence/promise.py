"""The worksheet's overall promise, rated on its own: its introduction and summary claims (that
insecure attachment can be unlearnt, that the steps improve satisfaction, ...) belong to no skill,
so they feed no skill's rating; they get the same two ratings as a skill (``kb.evidence.rating``):
the promised benefits and advice on the advice scale, the stated reasons on theirs."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from kb.evidence import queries as q
from kb.evidence.profile import link_rows, reference_info
from kb.evidence.rating import ASPECT_LABELS, ASPECTS, Rating, rate

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase

__all__ = ["PROMISE_LABEL", "WorksheetPromise", "promises"]

PROMISE_LABEL = "the worksheet's overall promise (its introduction and summary)"


@dataclass
class WorksheetPromise:
    """The ratings of a worksheet's introduction and summary claims."""

    worksheet: str
    claims: list[str]
    advice: Rating
    premises: Rating

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for JSON), each rating with what it is about."""
        out = asdict(self)
        out["about"] = PROMISE_LABEL
        for name in ASPECTS:
            out[name]["about"] = ASPECT_LABELS[name]
        return out


def promises(base: KnowledgeBase) -> list[WorksheetPromise]:
    """The overall promise of every worksheet that has introduction or summary claims."""
    rows = base.store.select(q.PROMISE_LINKS)
    refs = reference_info(base)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(str(row["worksheet"]), []).append(row)
    out = []
    for ws, mine in sorted(grouped.items()):
        links = link_rows(mine)
        out.append(
            WorksheetPromise(
                worksheet=ws,
                claims=sorted({x.claim for x in links}),
                advice=rate(links, refs, "advice"),
                premises=rate(links, refs, "premises"),
            )
        )
    return out
