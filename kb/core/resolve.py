"""One question, one answer: what a user's words name, for every kind of thing.

Each kind — skill, claim, reference, author, topic, worksheet — is resolved by one function here,
whatever door the question comes through (a command's argument, an export filter, a dashboard
URL), so the answer and the error are the same everywhere. A thing is named by its number, id,
slug or label, case and accents ignored (``kb.records.names.slug``): "Attachment styles",
"attachment-styles" and "ATTACHMENT STYLES" name one topic; "Lonfeldt" names Lønfeldt.

Words that name nothing raise one error, a :class:`~kb.errors.UsageError` (exit 2), listing what
could be chosen. The core names the record by its kind (``topic``); a door that takes it another
way says how the user gave it (``given_as="NAME"`` for an argument, ``--topic`` for an option).

Also here, written once: the topics under a topic (``topics_under``, the SKOS narrower walk) and
the references a worksheet cites (``cited_keys``: printed ones in printed order, then linked).

>>> import kb
>>> base = kb.load()
>>> resolve_topic(base, "Attachment styles").id
'attachment-styles'
>>> resolve_skill(base, "7").slug
'minimize-stressors'
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from kb import queries
from kb.errors import UsageError
from kb.records.names import short_label, slug

if TYPE_CHECKING:  # a command that reads a store alone loads neither rdflib nor pydantic
    from kb.records.models import Author, Claim, Reference, Skill, WorksheetData
    from kb.store.base import Store

__all__ = [
    "AuthorName",
    "ClaimRef",
    "Named",
    "SkillName",
    "SkillRef",
    "TopicName",
    "authors_of",
    "cited_keys",
    "label_of",
    "resolve_author",
    "resolve_claim",
    "resolve_reference",
    "resolve_skill",
    "resolve_topic",
    "resolve_worksheet",
    "topic_index",
    "topics_under",
]

T = TypeVar("T")
SHOWN = 12  # candidates listed in a "choose one of" error


@dataclass(frozen=True)
class SkillRef:
    """A skill together with the worksheet it belongs to."""

    worksheet: str
    skill: Skill

    @property
    def iri(self) -> str:
        """The skill's IRI in the graph."""
        from kb.rdf.iris import skill_iri

        return str(skill_iri(self.worksheet, self.skill.slug))

    @property
    def title(self) -> str:
        """The skill's title as the worksheet prints it."""
        return self.skill.title

    @property
    def slug(self) -> str:
        """The skill's slug."""
        return self.skill.slug

    @property
    def order(self) -> int:
        """Its position in the worksheet (1-based)."""
        return self.skill.order


@dataclass(frozen=True)
class SkillName:
    """What names a skill (worksheet, number, slug, title) and its IRI, as the store has them:
    enough to ask the store about it."""

    worksheet: str
    order: int
    slug: str
    title: str
    iri: str


class Named(Protocol):
    """What the resolvers read of a knowledge base (``kb.core.knowledge_base.KnowledgeBase``)."""

    @property
    def store(self) -> Store: ...

    @property
    def from_store(self) -> bool: ...

    @property
    def worksheets(self) -> list[WorksheetData]: ...

    @property
    def references(self) -> dict[str, Reference]: ...

    @property
    def skills(self) -> list[SkillRef]: ...


@dataclass(frozen=True)
class TopicName:
    """A topic as it is named: its id, label and broader topic's id."""

    id: str
    label: str
    broader: str | None


@dataclass(frozen=True)
class AuthorName:
    """A person or organisation as it is named: id, the name shown, the family name."""

    person_id: str
    display: str
    family: str


@dataclass(frozen=True)
class ClaimRef:
    """A claim together with the worksheet it belongs to."""

    worksheet: str
    claim: Claim


def pick(
    kind: str,
    text: str | int,
    candidates: Iterable[tuple[T, Collection[str], str]],
    *,
    given_as: str | None = None,
    prefix: Callable[[T], Collection[str]] | None = None,
) -> T:
    """The one candidate ``text`` names. Each candidate is (value, its names, how it is listed);
    names are compared as slugs (case, accents and punctuation ignored). ``prefix`` gives names
    that ``text`` may begin (an author's id ``hazan-c`` from ``hazan``), tried when nothing
    matches whole. None or several found: one UsageError listing the choices."""
    wanted = slug(str(text))
    options = list(candidates)
    found = [v for v, names, _ in options if wanted and wanted in {slug(n) for n in names}]
    if not found and prefix is not None and wanted:
        found = [
            v for v, _, _ in options if any(slug(n).startswith(f"{wanted}-") for n in prefix(v))
        ]
    found = list({id(v): v for v in found}.values())
    if len(found) == 1:
        return found[0]
    if found:
        shown = [s for v, _, s in options if any(v is f for f in found)]
        raise UsageError(
            f"{kind} '{text}' is ambiguous; choose one of: {_listed(shown)}",
            record=given_as or kind,
        )
    raise UsageError(
        f"unknown {kind} '{text}'; choose one of: {_listed([s for _, _, s in options])}",
        record=given_as or kind,
    )


def _listed(shown: Sequence[str]) -> str:
    unique = list(dict.fromkeys(shown))
    more = len(unique) - SHOWN
    return ", ".join(unique[:SHOWN]) + (f" and {more} more" if more > 0 else "") or "(none)"


def resolve_worksheet(
    base: Named | Sequence[WorksheetData], text: str | int, *, given_as: str | None = None
) -> WorksheetData:
    """A worksheet by number (folder order), id or title (of a knowledge base, or of a list)."""
    sheets = base if isinstance(base, Sequence) else base.worksheets
    return pick(
        "worksheet",
        text,
        (
            (ws, (str(i), ws.worksheet.id, ws.worksheet.title), ws.worksheet.id)
            for i, ws in enumerate(sheets, start=1)
        ),
        given_as=given_as,
    )


def resolve_skill(
    base: Named, text: str | int, *, given_as: str | None = None
) -> SkillRef | SkillName:
    """A skill by number, slug or title, or ``worksheet/…`` where several worksheets have it;
    from the store alone when the records have not been read (a reopened store)."""
    skills: Sequence[SkillRef | SkillName]
    if base.from_store:
        skills = [
            SkillName(
                str(r["worksheet"]),
                int(r["order"] or 0),
                str(r["slug"]),
                str(r["title"]),
                str(r["skill"]),
            )
            for r in base.store.select_kept("skill-index", queries.SKILL_INDEX)
        ]
    else:
        skills = base.skills
    ws_part, _, name = str(text).strip().rpartition("/")
    if ws_part:  # the worksheets as the skills name them: no record read
        ids = sorted({s.worksheet for s in skills})
        ws_id = pick("worksheet", ws_part, ((w, (w,), w) for w in ids), given_as=given_as)
        skills = [s for s in skills if s.worksheet == ws_id]
    several = len({s.worksheet for s in skills}) > 1
    return pick(
        "skill",
        name if ws_part else text,
        ((s, (str(s.order), s.slug, s.title), _skill_shown(s, several)) for s in skills),
        given_as=given_as,
    )


def _skill_shown(skill: SkillRef | SkillName, several: bool) -> str:
    return (
        f"{skill.worksheet}/{skill.order} {skill.slug}"
        if several
        else f"{skill.order} {skill.slug}"
    )


def resolve_claim(
    base: Named,
    text: str,
    *,
    worksheet: str | None = None,
    given_as: str | None = None,
) -> ClaimRef:
    """A claim by id (``worksheet/id`` where several worksheets have it), within ``worksheet``
    when given."""
    ws_part, _, name = text.strip().rpartition("/")
    if ws_part:
        worksheet = resolve_worksheet(base, ws_part, given_as=given_as).worksheet.id
    sheets = [w for w in base.worksheets if worksheet is None or w.worksheet.id == worksheet]
    return pick(
        "claim",
        name,
        ((ClaimRef(w.worksheet.id, c), (c.id,), c.id) for w in sheets for c in w.claims),
        given_as=given_as,
    )


def resolve_reference(base: Named, text: str, *, given_as: str | None = None) -> Reference:
    """A reference by citation key or short label ("Hazan & Shaver (1987)")."""
    refs = base.references
    exact = refs.get(text.strip())
    if exact is not None:
        return exact
    return pick(
        "reference",
        text,
        ((r, (r.key, label_of(r)), r.key) for _, r in sorted(refs.items())),
        given_as=given_as,
    )


def label_of(ref: Reference) -> str:
    """A reference's short label: ``Hazan & Shaver (1987)`` (``kb.records.names``)."""
    return short_label([a.family or a.literal or "" for a in ref.authors], ref.year)


def authors_of(refs: Iterable[Reference]) -> list[AuthorName]:
    """Every person or organisation of these references, once, by id."""
    found: dict[str, AuthorName] = {}
    for ref in refs:
        for a in ref.authors:
            found.setdefault(a.person_id, _author_name(a))
    return sorted(found.values(), key=lambda a: (slug(a.display), a.person_id))


def _author_name(author: Author) -> AuthorName:
    return AuthorName(author.person_id, author.display, author.family or author.literal or "")


def resolve_author(base: Named, text: str, *, given_as: str | None = None) -> AuthorName:
    """An author by id (``hazan-c``), family name, name as shown, or the beginning of an
    organisation's name; a family name two people share is ambiguous (give the initial)."""
    people = authors_of(base.references.values())
    return pick(
        "author",
        text,
        ((a, (a.person_id, a.family, a.display), a.person_id) for a in people),
        given_as=given_as,
        prefix=lambda a: (a.person_id,),
    )


def topic_index(base: Named) -> list[TopicName]:
    """Every topic with its label and broader topic, by id (from the store: no record read)."""
    from kb.rdf.iris import topic_iri

    base_iri = str(topic_iri(""))
    topics = {
        str(r["topic"]).removeprefix(base_iri): TopicName(
            str(r["topic"]).removeprefix(base_iri),
            str(r["label"]),
            None if r["broader"] is None else str(r["broader"]).removeprefix(base_iri),
        )
        for r in base.store.select(queries.TOPIC_TREE)
    }
    return [topics[t] for t in sorted(topics)]


def resolve_topic(base: Named, text: str, *, given_as: str | None = None) -> TopicName:
    """A topic by id or label."""
    return pick(
        "topic",
        text,
        ((t, (t.id, t.label), t.id) for t in topic_index(base)),
        given_as=given_as,
    )


def topics_under(topics: Iterable[TopicName], topic: str) -> set[str]:
    """The ids of a topic and of every topic narrower than it, at any depth."""
    narrower: dict[str, set[str]] = {}
    for t in topics:
        if t.broader:
            narrower.setdefault(t.broader, set()).add(t.id)
    wanted: set[str] = set()
    todo = [topic]
    while todo:
        current = todo.pop()
        if current not in wanted:
            wanted.add(current)
            todo.extend(narrower.get(current, ()))
    return wanted


def cited_keys(sheet: WorksheetData) -> list[str]:
    """The references a worksheet cites: those it prints, in printed order, then those its
    links name, by key."""
    printed = [n.key for n in sorted(sheet.references, key=lambda n: n.number)]
    return list(dict.fromkeys([*printed, *sorted({x.reference for x in sheet.links})]))
