"""Editing a worksheet's claims, links and reviews: the data layer of the Curate page.

A page needs only this class::

    ed = Editor.open(folder, bib)              # reads every record, proposed ones too
    ed.data.claims, ed.data.links              # what to show (records of kb.records.models)
    ed.suggestions(top=3)                      # kb.curate.suggest.Suggestion rows
    ed.accept_claim("intro-1")                 # ... any edits, in memory ...
    ed.accept_suggestion("intro-1", "smith2010", stance="supports", ...)
    ed.save("accepted a link")                 # validated, canonical, atomic; or KbError
    ed.undo()                                  # puts back the files of the latest save

Every edit changes ``ed.data`` only; ``save`` writes the files that changed. Before writing, the
whole worksheet is written to a scratch folder and loaded with the bib exactly as ``kb check``
does (schema, cross-file rules, every quote at its offsets, SHACL): a save that would not pass is
refused with that check's one-line message and nothing is written. A save is also refused when a
file changed on disk since this editor read it (a second editor saved first: reopen and redo the
change), so no one's work is lost. Errors are ``KbError``s: one line, naming file and record,
the file as ``worksheet-folder/file.yaml`` (``shown``: never a server path).

Every save first adds a step to the worksheet's undo history (``kb.curate.history``, beside the
files), so undo goes back several saves, whichever session made them, and after a reload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kb.curate.history import History, Undone
from kb.curate.suggest import Suggestion, suggest
from kb.errors import KbError
from kb.evidence.rounds import RoundReport, next_round, round_reports, write_round
from kb.files import write_atomic
from kb.records.bib import load_bib
from kb.records.canonical import canonical_dump, canonical_records
from kb.records.models import (
    EvidenceLink,
    Judgement,
    LinkReview,
    Reference,
    ReviewRound,
    Topic,
    WorksheetData,
)
from kb.records.review_rounds import ROUNDS_FOLDER
from kb.records.worksheet import read_checked, worksheet_files
from kb.records.worksheet_files import FILES, OPTIONAL_FILES, TEXT_FILE

__all__ = ["Editor", "shown"]

_LINK_FIELDS = {"stance", "directness", "basis", "findings", "rationale", "curator", "date"}
_CLAIM_FIELDS = {"kind", "section", "quote", "start", "end"}


class Editor:
    """One worksheet open for editing: its records, the digests of its files as read, and the
    worksheet's undo history."""

    def __init__(self, folder: Path, bib: Path, data: WorksheetData, digests: dict[str, str]):
        self.folder = folder
        self.bib = bib
        self.data = data
        self._saved = data  # the records as the files on disk hold them
        self._digests = digests
        self.history = History(folder)
        self._shacl: dict[str, str] | None = None  # the files' SHACL findings, once computed
        self._shacl_after: dict[str, str] = {}
        self._refs: dict[str, Reference] | None = None

    @classmethod
    def open(cls, folder: Path, bib: Path) -> Editor:
        """Read and check a worksheet folder (every record, proposed ones included)."""
        try:
            data = read_checked(folder)
        except KbError as exc:
            raise _relative(exc, folder, bib) from None
        return cls(folder, bib, data, _digests(folder))

    # --- reading ------------------------------------------------------------------------------
    def suggestions(self, claims: Iterable[str] | None = None, top: int = 3) -> list[Suggestion]:
        """Candidate references for the claims (all, or the ids given), none of them linked yet."""
        refs = self.references()
        wanted = None if claims is None else set(claims)
        chosen = [c for c in self.data.claims if wanted is None or c.id in wanted]
        linked = {(x.claim, x.reference) for x in self.data.links}
        rows = suggest(self.data, refs, self.data.findings, chosen, top=top)
        return [s for s in rows if (s.claim, s.reference) not in linked]

    def references(self) -> dict[str, Reference]:
        """The bib's references by key (the editor never writes the bib: read once)."""
        if self._refs is None:
            try:
                self._refs = {r.key: r for r in load_bib(self.bib)}
            except KbError as exc:
                raise _relative(exc, self.folder, self.bib) from None
        return self._refs

    def shown(self, exc: KbError) -> str:
        """An error's one line as the page shows it: files named from the worksheet folder."""
        return shown(exc, self.folder, self.bib)

    # --- claims -------------------------------------------------------------------------------
    def accept_claim(self, claim_id: str) -> None:
        """Mark a proposed claim accepted (counted in profiles from the next load)."""
        self._set("claims", "id", claim_id, {"status": "accepted"})

    def reject_claim(self, claim_id: str) -> None:
        """Remove a claim; refused while a link still rests on it."""
        if any(x.claim == claim_id for x in self.data.links):
            raise KbError(
                "claim still has links; reject them first",
                path=self._file("links"),
                record=claim_id,
            )
        self._remove("claims", "id", claim_id)

    def edit_claim(self, claim_id: str, **changes: Any) -> None:
        """Change a claim's kind, section or quote (with its offsets)."""
        self._check_fields(changes, _CLAIM_FIELDS, "claims", claim_id)
        self._set("claims", "id", claim_id, changes)

    # --- skills and references ----------------------------------------------------------------
    def accept_skill(self, slug: str, facets: list[str], topics: list[str]) -> None:
        """Accept a proposed skill with the facets and topics a curator gives it."""
        self._set(
            "skills", "slug", slug, {"status": "accepted", "facets": facets, "topics": topics}
        )

    def accept_reference(self, key: str, topics: list[str], **notes: Any) -> None:
        """Accept a printed reference's note, with its topics (and any other note fields)."""
        self._set("references", "key", key, {"status": "accepted", "topics": topics, **notes})

    def define_topic(
        self, topic_id: str, label: str, scheme: str, broader: str | None = None
    ) -> None:
        """Add a topic (a SKOS concept of the site's topics or demographics) to topics.yaml."""
        if any(t.id == topic_id for t in self.data.topics):
            raise KbError("topic already defined", path=self._file("topics"), record=topic_id)
        row = {"id": topic_id, "label": label, "scheme": scheme, "broader": broader}
        topic = _validated(Topic, row, self._file("topics"), topic_id)
        self._replace("topics", [*self.data.topics, topic])

    # --- links --------------------------------------------------------------------------------
    def accept_suggestion(
        self,
        claim: str,
        reference: str,
        *,
        stance: str,
        directness: str,
        basis: str,
        rationale: str,
        curator: str,
        findings: list[str] | None = None,
        date: dt.date | None = None,
        status: str = "accepted",
    ) -> None:
        """Turn a suggestion into a link, with the curator's judgement (never automatic)."""
        if any(x.claim == claim and x.reference == reference for x in self.data.links):
            raise KbError(
                "already linked", path=self._file("links"), record=f"{claim}--{reference}"
            )
        link = _validated(
            EvidenceLink,
            {
                "claim": claim,
                "reference": reference,
                "stance": stance,
                "directness": directness,
                "basis": basis,
                "findings": findings or [],
                "rationale": rationale,
                "curator": curator,
                "date": date or dt.date.today(),
                "status": status,
            },
            self._file("links"),
            f"{claim}--{reference}",
        )
        self._replace("links", [*self.data.links, link])

    def accept_link(self, link_id: str) -> None:
        """Mark a proposed link accepted."""
        self._set("links", "id", link_id, {"status": "accepted"})

    def reject_link(self, link_id: str) -> None:
        """Remove a link, and its review with it."""
        self._remove("links", "id", link_id)
        self._replace("reviews", [r for r in self.data.reviews if r.link != link_id])

    def edit_link(self, link_id: str, **changes: Any) -> None:
        """Change a link's stance, directness, basis, findings, rationale, curator or date."""
        self._check_fields(changes, _LINK_FIELDS, "links", link_id)
        self._set("links", "id", link_id, changes)

    # --- the blind second review, and resolving disagreements --------------------------------
    def record_review(
        self,
        link_id: str,
        second: Judgement,
        *,
        reviewer: str | None = None,
        reasons: str | None = None,
        date: dt.date | None = None,
        review_round: ReviewRound | None = None,
    ) -> None:
        """Record a second reviewer's own judgement of a link (the first is the link as it
        stands), who made it, when and why: whatever it says. Where the two differ, the link is
        awaiting resolution (``resolve_review``); nothing here depends on whether they agree.
        A worksheet's first review needs ``review_round`` (who reviewed, how, when)."""
        link = self._find("links", "id", link_id)
        first = Judgement(stance=link.stance, directness=link.directness)
        row: dict[str, Any] = {
            "link": link_id,
            "first": first.model_dump(),
            "second": second.model_dump(),
        }
        if reviewer is not None:
            row["reviewer"] = reviewer.strip()
        if date is not None:
            row["reviewed"] = date
        if reasons and reasons.strip():
            row["reasons"] = reasons.strip()
        review = _validated(LinkReview, row, self._file("reviews"), link_id)
        update: dict[str, Any] = {
            "reviews": [*[r for r in self.data.reviews if r.link != link_id], review]
        }
        if review_round is not None:
            update["review_round"] = review_round
        if self.data.review_round is None and review_round is None:
            raise KbError(
                "the worksheet's first review needs its round (who reviewed, how and when)",
                path=self._file("reviews"),
                record=link_id,
            )
        self.data = self.data.model_copy(update=update)

    def resolve_review(
        self,
        link_id: str,
        final: Judgement,
        *,
        resolution: str,
        resolver: str,
        date: dt.date | None = None,
        rationale: str | None = None,
    ) -> None:
        """Resolve a link awaiting resolution (its two judgements differ): record how it was
        resolved, by whom and when, and set the link to the ``final`` judgement (and, where
        given, a new rationale). Refused for a link that is not awaiting resolution; the check
        on saving refuses a resolver who made either judgement."""
        review = self._find("reviews", "link", link_id)
        if not review.awaiting:
            why = "its two judgements agree" if review.agreed else "it is resolved already"
            raise KbError(f"nothing to resolve: {why}", path=self._file("reviews"), record=link_id)
        for value, what in ((resolution, "how it was resolved"), (resolver, "the resolver's name")):
            if not value.strip():
                raise KbError(f"not saved: give {what}", path=self._file("reviews"), record=link_id)
        self._set(
            "reviews",
            "link",
            link_id,
            {
                "resolution": resolution.strip(),
                "resolver": resolver.strip(),
                "resolved": date or dt.date.today(),
            },
        )
        changes: dict[str, Any] = final.model_dump()
        if rationale is not None and rationale.strip():
            changes["rationale"] = rationale.strip()
        self._set("links", "id", link_id, changes)

    # --- review rounds (review-rounds/round-N/) -----------------------------------------------
    def rounds(self) -> list[RoundReport]:
        """The worksheet's verifiable review rounds as ``kb review`` reports them."""
        try:
            return round_reports(self.data.accepted(), self.references(), self.folder)
        except KbError as exc:
            raise _relative(exc, self.folder, self.bib) from None

    def next_round(self) -> int:
        """The number the next review round gets (1 for a worksheet without one)."""
        return next_round(self.folder)

    def start_round(self, number: int | None = None, note: str = "") -> list[str]:
        """Start review round ``number`` (the next one by default): its packet, hash and frozen
        first judgements, made from the accepted records by the code ``kb review packet
        --round N`` runs and written all at once (``kb.evidence.rounds.write_round``), then kept
        in the undo history (with ``note``). Refused when a file changed on disk since it was
        read, or this editor holds edits not saved: a packet is made from the files as saved.
        Returns the files written, named from the worksheet folder."""
        self._refuse_if_changed(self._digests)
        if self.data != self._saved:
            raise KbError(
                "edits not saved yet; save them before starting a review round",
                path=self.folder.name,
            )
        try:
            folder = write_round(
                self.data.accepted(), self.references(), self.folder, number or self.next_round()
            )
        except KbError as exc:
            raise _relative(exc, self.folder, self.bib) from None
        written = {
            f"{ROUNDS_FOLDER}/{folder.name}/{p.name}": p.read_text(encoding="utf-8")
            for p in sorted(folder.iterdir())
        }
        self.history.record(dict.fromkeys(written), written, note or f"started {folder.name}")
        return sorted(written)

    # --- saving -------------------------------------------------------------------------------
    def save(self, note: str = "") -> list[str]:
        """Check the edited worksheet as ``kb check`` does, keep the files it replaces in the
        undo history (with ``note``, what the save does), then write the changed files
        atomically in canonical form; return their names. Refused (``KbError``) when the data
        does not pass, or a file changed on disk since it was read."""
        texts = self._texts()
        before = {name: self._on_disk(name) for name in texts}
        changed = {name: text for name, text in texts.items() if before[name] != text}
        if not changed:
            self._saved = self.data
            return []
        self._refuse_if_changed(changed)
        self._check(texts)
        self.history.record({n: before[n] for n in changed}, changed, note)
        for name, text in changed.items():
            write_atomic(self.folder / name, text)
        self._digests = _digests(self.folder)
        self._saved = self.data
        self._shacl = self._shacl_after  # the files on disk are now the ones just checked
        return sorted(changed)

    def undo(self) -> Undone:
        """Put back the files of the latest save in the worksheet's history (made in this
        session or another, before or after a reload), unless someone changed them since."""
        undone = self.history.undo()
        self._shacl = None
        try:
            self.data = read_checked(self.folder)
        except KbError as exc:
            raise _relative(exc, self.folder, self.bib) from None
        self._saved = self.data
        self._digests = _digests(self.folder)
        return undone

    # --- helpers ------------------------------------------------------------------------------
    def _texts(self) -> dict[str, str]:
        records = canonical_records(self.data)
        files = {**FILES, **OPTIONAL_FILES}
        out = {files[name]: canonical_dump(records[name]) for name in FILES}
        if self.data.findings or (self.folder / OPTIONAL_FILES["findings"]).exists():
            out[OPTIONAL_FILES["findings"]] = canonical_dump(records["findings"])
        if self.data.review_round is not None:
            out[OPTIONAL_FILES["reviews"]] = canonical_dump(records["reviews"])
        out[TEXT_FILE] = self.data.text
        return out

    def _check(self, texts: dict[str, str]) -> None:
        """Load the edited worksheet from a scratch copy with the bib, as ``kb check`` does:
        schema and rules must pass; SHACL must find nothing the files on disk do not already
        show (a worksheet still being curated, e.g. references without topics yet, can be
        saved step by step, but no save makes it worse)."""
        scratch = Path(tempfile.mkdtemp(prefix=".kb-edit-"))
        try:
            staged = scratch / self.folder.name
            staged.mkdir()
            for name, text in texts.items():
                (staged / name).write_text(text, encoding="utf-8")
            try:
                after = _violations(self.bib, staged)
            except KbError as exc:  # name the real file, not the scratch copy
                named = _relative(exc, self.folder, self.bib, staged)
                raise KbError(
                    f"not saved: {named.message}", path=named.path, record=named.record
                ) from None
            if self._shacl is None and after:  # only a worksheet with findings needs the old ones
                self._shacl = _violations(self.bib, self.folder)
            new = [v for key, v in after.items() if key not in (self._shacl or {})]
            if new:
                raise KbError(f"not saved: SHACL: {new[0]}", path=self.folder.name)
            self._shacl_after = after
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _refuse_if_changed(self, names: Iterable[str]) -> None:
        for name in sorted(names):
            if _digest(self.folder / name) != self._digests.get(name):
                raise KbError(
                    "changed on disk since it was read (another editor saved first); reopen "
                    "the worksheet and make the change again",
                    path=f"{self.folder.name}/{name}",
                )

    def _on_disk(self, name: str) -> str | None:
        path = self.folder / name
        return path.read_text(encoding="utf-8") if path.exists() else None

    def _file(self, what: str) -> str:
        return f"{self.folder.name}/{({**FILES, **OPTIONAL_FILES})[what]}"

    def _find(self, what: str, id_field: str, rid: str) -> Any:
        for row in getattr(self.data, what):
            if getattr(row, id_field) == rid:
                return row
        raise KbError(f"no such {what[:-1]}", path=self._file(what), record=rid)

    def _set(self, what: str, id_field: str, rid: str, changes: dict[str, Any]) -> None:
        old = self._find(what, id_field, rid)
        new = _validated(type(old), {**old.model_dump(), **changes}, self._file(what), rid)
        self._replace(what, [new if r is old else r for r in getattr(self.data, what)])

    def _remove(self, what: str, id_field: str, rid: str) -> None:
        old = self._find(what, id_field, rid)
        self._replace(what, [r for r in getattr(self.data, what) if r is not old])

    def _replace(self, what: str, rows: list[Any]) -> None:
        self.data = self.data.model_copy(update={what: rows})

    def _check_fields(
        self, changes: dict[str, Any], allowed: set[str], what: str, rid: str
    ) -> None:
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise KbError(
                f"cannot edit {', '.join(unknown)} here (editable: {', '.join(sorted(allowed))})",
                path=self._file(what),
                record=rid,
            )


def shown(exc: KbError, folder: Path, bib: Path) -> str:
    """An error's one line with every file named from the worksheet folder (or the bib by its
    name): ``creating-secure-attachment/links.yaml``, never ``/srv/...`` or ``/tmp/...``."""
    return _relative(exc, folder, bib).one_line()


_ABSOLUTE = re.compile(r"(?<![\w.:/~-])/(?:[^\s/:'\"]+/)+")


def _relative(exc: KbError, folder: Path, bib: Path, *scratch: Path) -> KbError:
    """The same error with the paths in it relative: a scratch copy and the worksheet folder
    named as the folder, the bib by its file name, any other absolute path by its last part."""
    pairs = [*((str(s), folder.name) for s in scratch), (str(folder), folder.name)]
    pairs += [(str(bib), bib.name), (str(folder.parent) + "/", "")]

    def rel(text: str | None) -> str | None:
        if text is None:
            return None
        for old, new in pairs:
            text = text.replace(old, new)
        return _ABSOLUTE.sub("", text)

    return type(exc)(rel(exc.message) or "", path=rel(exc.path), record=rel(exc.record))


def _validated(model: Any, row: dict[str, Any], path: str, rid: str) -> Any:
    from pydantic import ValidationError

    try:
        return model.model_validate(row, strict=False)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "record"
        raise KbError(f"field '{field}': {err['msg']}", path=path, record=rid) from None


def _violations(bib: Path, folder: Path) -> dict[str, str]:
    """SHACL violations of a worksheet loaded with the bib, as ``kb check`` finds them (built
    from the files: a draft in a scratch folder is not worth a place in the store cache)."""
    from kb.core.loader import load
    from kb.rdf.shacl import validate

    report = validate(load(bib=bib, data=[folder], cache=False).graph)
    return {f"{v.focus} {v.path} {v.shape}": v.one_line() for v in report.violations}


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _digests(folder: Path) -> dict[str, str]:
    names = [p.name for p in worksheet_files(folder)]
    names += [n for n in OPTIONAL_FILES.values() if n not in names]
    return {n: d for n in names if (d := _digest(folder / n)) is not None}
