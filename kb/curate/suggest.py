"""``kb suggest``: for a claim, the worksheet's references ranked by how well their words match.

Each printed reference of the claim's worksheet is one document: its title and the statements of
its recorded findings (``findings.yaml`` of every worksheet). Documents and claims are tokenised
by bm25s (lower case, English stop words removed, words reduced to their Snowball stems by
PyStemmer, so "attached" meets "attachment") and ranked by BM25 (bm25s, Lucene's variant,
k1 = 1.5, b = 0.75). A suggestion shows the claim's words whose stems the reference shares. It is
always ``proposed``: a curator reads the reference and accepts it as a link, or not
(``editor``); nothing here writes a link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import cache

from kb.records.models import Claim, Finding, Reference, WorksheetData

__all__ = ["Suggestion", "suggest"]


@dataclass(frozen=True)
class Suggestion:
    """One candidate reference for a claim, its BM25 score and rank, and the words they share."""

    claim: str
    reference: str
    rank: int
    score: float
    matching_words: tuple[str, ...]
    title: str
    status: str = "proposed"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready."""
        out = asdict(self)
        out["matching_words"] = list(self.matching_words)
        out["score"] = round(self.score, 3)
        return out


def suggest(
    sheet: WorksheetData,
    references: dict[str, Reference],
    findings: Iterable[Finding],
    claims: Iterable[Claim] | None = None,
    *,
    top: int = 3,
    use_findings: bool = True,
) -> list[Suggestion]:
    """The ``top`` references per claim (every claim of ``sheet`` unless ``claims``), best first;
    references with no word in common with the claim are never suggested."""
    import bm25s

    keys = [n.key for n in sorted(sheet.references, key=lambda n: n.number)]
    keys = [k for k in keys if k in references]
    if not keys:
        return []
    said: dict[str, list[str]] = {k: [] for k in keys}
    for finding in findings:
        if use_findings and finding.reference in said:
            said[finding.reference].append(finding.statement)
    docs = [" ".join([references[k].title, *said[k]]) for k in keys]
    doc_tokens = _tokens(docs)
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(docs, stopwords="en", stemmer=_stemmer(), show_progress=False),
        show_progress=False,
    )
    vocabulary = set(retriever.vocab_dict)
    out: list[Suggestion] = []
    for claim in sheet.claims if claims is None else claims:
        query = _tokens([claim.quote])[0] & vocabulary
        if not query:
            continue
        scores = retriever.get_scores(sorted(query))
        ranked = sorted(
            (i for i in range(len(keys)) if query & doc_tokens[i]),
            key=lambda i: (-float(scores[i]), keys[i]),
        )
        for rank, i in enumerate(ranked[:top], start=1):
            out.append(
                Suggestion(
                    claim=claim.id,
                    reference=keys[i],
                    rank=rank,
                    score=float(scores[i]),
                    matching_words=_words(claim.quote, query & doc_tokens[i]),
                    title=references[keys[i]].title,
                )
            )
    return out


def _tokens(texts: list[str]) -> list[set[str]]:
    """bm25s's own tokenisation (so shown words are the scored ones), as sets of word stems."""
    import bm25s

    tokens = bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )
    return [set(t) for t in tokens]


def _words(text: str, stems: set[str]) -> tuple[str, ...]:
    """The words of ``text`` (lower case, in order, once each) whose stems are in ``stems``."""
    import bm25s

    (words,) = bm25s.tokenize([text], stopwords="en", return_ids=False, show_progress=False)
    stem = _stemmer()
    return tuple(dict.fromkeys(w for w in words if stem([w])[0] in stems))


@cache
def _stemmer() -> Callable[[list[str]], list[str]]:
    """Snowball's English stemmer (PyStemmer): "attached" and "attachment" share "attach"."""
    import Stemmer

    stem: Callable[[list[str]], list[str]] = Stemmer.Stemmer("english").stemWords
    return stem
