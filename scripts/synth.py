#!/usr/bin/env python3
"""Synthetic corpora shaped like the real one, at N times the seed, deterministic from a seed.

    .venv/bin/python scripts/synth --scale 100 --seed 1 --out build/synth/x100

Writes OUT/references.bib and OUT/data/WORKSHEET/ (the seven curated files, block-style YAML).
Scale 1 is the seed itself (references.bib and kb/data copied); scale N adds N-1 synthetic
worksheets shaped like the seed: 5-9 skills, about 30 claims anchored at exact offsets in the
worksheet's text, about 16 new references plus 3 re-cited from earlier worksheets, about 1.35
evidence links per claim, every skill with a supporting link. Authors come by preferential
attachment (a few prolific authors, many with one paper, as Lotka's law describes); journals,
title words and topics follow Zipf spreads over the seed's topic scheme. The same scale and seed
give byte-identical files (Python 3.11). Standard library only: it never imports kb.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

__all__ = ["VERSION", "generate"]

# 2: a re-cited reference keeps one appraisal (design, peer review)
# 3: links keep the link rules (findings for abstract links, no title-only support, ...)
VERSION = 3
REPO = Path(__file__).resolve().parent.parent
SEED_BIB = REPO / "references.bib"
SEED_DATA = REPO / "kb" / "data"
MARKER = "SYNTH.json"
MAX_BIB_BYTES = 50_000_000

# fmt: off
SUBJECTS = [
    "People with insecure attachment", "Partners who feel anxious", "Avoidant partners",
    "Securely attached adults", "Couples in frequent conflict", "Parents under stress",
    "Adolescents in first relationships", "Many adults", "Those raised with unpredictable care",
    "Newly married couples", "People after a breakup", "Co-parents", "Young adults",
    "Partners with a history of loss", "Adults with social anxiety", "Long-distance couples",
]
VERBS = ["tend to", "often", "may", "are more likely to", "rarely", "usually", "can learn to"]
ACTIONS = [
    "withdraw when conflict rises", "seek reassurance from their partners",
    "misread neutral signals as rejection", "hide their needs to keep the peace",
    "recover faster after arguments", "share feelings when they feel safe",
    "rely on one person for comfort", "avoid asking for help", "notice tension in the body",
    "repeat patterns from earlier relationships", "trust partners who respond consistently",
    "calm down with a partner's support", "judge themselves harshly after conflict",
    "set boundaries that protect closeness", "criticise when they feel ignored",
]
TAILS = [
    "in close relationships", "during times of stress", "over the lifespan", "after a loss",
    "at home", "when plans change", "early in a relationship", "in daily life", "at work",
]
IMPERATIVES = ["Try to", "Practice how to", "Make time to", "Remember to", "Plan how to",
               "Learn to"]
GOALS = [
    "name what you feel before you respond", "ask for what you need in plain words",
    "pause before replying to a hurtful message", "write down the story you tell yourself",
    "spend ten quiet minutes together each day", "notice when you start to withdraw",
    "thank your partner for small kindnesses", "check your assumptions with your partner",
    "keep a routine that lowers your stress", "reach out to a friend you trust",
]
TERMS = [
    ("Attachment anxiety", "a worry that others will not be there when needed"),
    ("Attachment avoidance", "discomfort with closeness and depending on others"),
    ("A secure base", "a relationship from which a person feels safe to explore"),
    ("Co-regulation", "the way partners calm or stir each other's emotions"),
    ("Emotional awareness", "the ability to notice and name one's own feelings"),
    ("Protest behaviour", "an attempt to regain a partner's attention by force"),
]
SKILL_VERBS = ["Practice", "Notice", "Name", "Challenge", "Build", "Share", "Plan", "Track",
               "Soften", "Reduce", "Schedule", "Ask for", "Protect", "Strengthen", "Explore"]
SKILL_OBJECTS = [
    "your attachment needs", "small acts of trust", "the story you tell yourself",
    "calming routines", "time together", "honest feedback", "your triggers",
    "healthy boundaries", "moments of repair", "support outside the relationship",
    "your reactions to conflict", "old beliefs about love", "daily check-ins", "self-compassion",
]
WS_HEADS = ["Managing", "Understanding", "Building", "Coping with", "Overcoming", "Healing",
            "Navigating", "Reducing", "Recognising", "Working through"]
WS_TOPICS = [
    "Anxious Attachment", "Relationship Conflict", "Jealousy", "Loneliness", "Trust Issues",
    "Grief after Separation", "Stress at Home", "Co-parenting Tension", "Fear of Intimacy",
    "Rejection Sensitivity", "Emotional Distance", "Avoidant Patterns", "Insecure Attachment",
]
TITLE_WORDS = [
    "attachment", "relationships", "romantic", "adult", "anxiety", "avoidance", "conflict",
    "emotion", "regulation", "couples", "security", "partners", "satisfaction", "stress",
    "intimacy", "trust", "parenting", "adolescents", "loss", "separation", "commitment",
    "communication", "support", "depression", "loneliness", "jealousy", "caregiving",
    "marriage", "personality", "resilience", "empathy", "forgiveness", "mindfulness",
    "therapy", "childhood", "memory", "sleep", "cortisol", "dating", "friendship", "marathon",
]
TITLE_FORMS = [
    "{a} and {b} in {c} relationships", "The role of {a} in {b} and {c}",
    "{a}, {b}, and {c}: A longitudinal study", "How {a} shapes {b} over time",
    "{a} as a predictor of {b}", "Effects of {a} on {b} among {c} partners",
    "{a} and {b}: A review", "Why does {a} change? Evidence from {b} research",
]
FIELDS = ["Personality", "Social Psychology", "Family Therapy", "Relationships", "Emotion",
          "Attachment", "Clinical Psychology", "Marriage and Family", "Development",
          "Affective Disorders", "Counseling", "Health Psychology", "Sleep Research"]
JOURNAL_FORMS = ["Journal of {f}", "{f} Review", "{f} Quarterly", "Research in {f}",
                 "Annals of {f}", "{f} and Human Development", "International Journal of {f}"]
SYLLABLES = ["ka", "ren", "ov", "li", "mar", "to", "sen", "da", "vi", "hol", "ne", "ber",
             "ri", "an", "su", "mo", "tel", "ga", "wen", "zu", "lo", "pa", "ki", "ston"]
ORGS = [f"{w} Institute of Relationship Studies" for w in ("Northern", "Central", "Coastal")] + [
    f"University of {c} Department of Psychology" for c in ("Avalon", "Brisk", "Corin", "Dell")
]
CURATORS = ["kb curation team (synthetic)", "Reviewer A (synthetic)", "Reviewer B (synthetic)"]
STANCES = (["supports"] * 12) + (["qualifies"] * 3) + (["background"] * 3) + (["contradicts"] * 2)
DESIGNS = ["longitudinal", "cross-sectional", "experimental", "dyadic-observational",
           "review", "theory"]
FACETS = ["thoughts", "emotions", "behaviors"]
AUTHOR_COUNTS = [1] * 25 + [2] * 20 + [3] * 20 + [4] * 12 + [5] * 7 + [6] * 6 + [8] * 6 + [11] * 4
# fmt: on


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _zipf(rng: random.Random, items: list[Any], s: float = 1.1) -> Any:
    """An item chosen with weight 1/rank**s (the first items are the common ones)."""
    weights = _ZIPF_CACHE.setdefault((len(items), s), [1 / (i + 1) ** s for i in range(len(items))])
    return rng.choices(items, weights=weights)[0]


_ZIPF_CACHE: dict[tuple[int, float], list[float]] = {}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def dump_yaml(top: str, rows: list[dict[str, Any]] | dict[str, Any]) -> str:
    """Block-style YAML of one top-level key holding a mapping or a list of flat records."""
    lines = [f"{top}:"]
    records = [rows] if isinstance(rows, dict) else rows
    for row in records:
        first = True
        for key, value in row.items():
            if value is None or value == []:
                continue
            lead = "  " if isinstance(rows, dict) or not first else "- "
            first = False
            if isinstance(value, list):
                lines.append(f"{lead}{key}:")
                lines.extend(f"  - {_scalar(v)}" for v in value)
            else:
                lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


class Corpus:
    """Shared state across worksheets: authors, references, keys, for preferential choices."""

    def __init__(self, rng: random.Random, topics: list[str]) -> None:
        self.rng = rng
        self.topics = topics
        self.author_slots: list[int] = []
        self.n_authors = 0
        self.refs: list[dict[str, Any]] = []
        self.journals = sorted({f.format(f=x) for f in JOURNAL_FORMS for x in FIELDS})
        rng.shuffle(self.journals)

    def author(self, aid: int) -> str:
        """``Family, G. H.`` for author number ``aid`` (unique family name per author)."""
        digits, n = [], aid + len(SYLLABLES)
        while n:
            n, r = divmod(n, len(SYLLABLES))
            digits.append(SYLLABLES[r])
        family = "".join(reversed(digits)).capitalize()
        initials = "ABCDEFGHJKLMNPRSTW"
        given = (
            initials[aid % len(initials)]
            + "."
            + (f" {initials[(aid // 7) % len(initials)]}." if aid % 3 == 0 else "")
        )
        return f"{family}, {given}"

    def pick_authors(self) -> list[str]:
        """Authors of one new reference, by preferential attachment (p_new = 0.45)."""
        rng = self.rng
        if rng.random() < 0.03:
            return ["{" + rng.choice(ORGS) + "}"]
        chosen: list[int] = []
        for _ in range(rng.choice(AUTHOR_COUNTS)):
            for _try in range(5):
                if not self.author_slots or rng.random() < 0.45:
                    aid = self.n_authors
                    self.n_authors += 1
                else:
                    aid = rng.choice(self.author_slots)
                if aid not in chosen:
                    break
            if aid not in chosen:
                chosen.append(aid)
        self.author_slots.extend(chosen)
        return [self.author(a) for a in chosen]

    def new_reference(self, topics: list[str]) -> dict[str, Any]:
        """A new reference record (bib fields plus what a worksheet prints)."""
        rng = self.rng
        authors = self.pick_authors()
        words = [_zipf(rng, TITLE_WORDS, 0.9) for _ in range(3)]
        title = rng.choice(TITLE_FORMS).format(a=words[0], b=words[1], c=words[2])
        title = title[0].upper() + title[1:]
        n = len(self.refs)
        kind = rng.choices(["article", "webpage", "news", "blog"], weights=[70, 15, 7, 8])[0]
        year = None if (kind != "article" and rng.random() < 0.2) else rng.randint(1975, 2025)
        family = _slug(authors[0].split(",")[0].strip("{}")).replace("-", "")[:12]
        key = f"{family}{year or 'nd'}x{n:x}"
        ref: dict[str, Any] = {
            "key": key,
            "kind": kind,
            "authors": authors,
            "title": title,
            "year": year,
            "topics": topics,
        }
        if kind == "article":
            ref["journal"] = _zipf(rng, self.journals, 1.0)
            ref["volume"] = str(rng.randint(1, 80))
            if rng.random() < 0.8:
                ref["number"] = str(rng.randint(1, 12))
            start = rng.randint(1, 900)
            ref["pages"] = f"{start}--{start + rng.randint(5, 30)}"
            if rng.random() < 0.7:
                ref["doi"] = f"10.{5000 + n % 4000}/synth.{n:x}"
        else:
            ref["url"] = f"https://example.org/{kind}/{_slug(title)[:40]}-{n:x}"
            if year and rng.random() < 0.6:
                ref["date"] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        self.refs.append(ref)
        return ref

    def recited(self) -> dict[str, Any]:
        """An earlier reference, the popular ones more often (Zipf over first-seen order)."""
        i = int(len(self.refs) * self.rng.random() ** 3)
        return self.refs[i]


def bib_entry(ref: dict[str, Any]) -> str:
    """One BibTeX entry in the seed's layout."""
    online = ref["kind"] != "article"
    fields = [("author", " and ".join(ref["authors"])), ("title", ref["title"])]
    if not online:
        fields += [("journal", ref["journal"].replace("&", r"\&")), ("year", str(ref["year"]))]
        fields += [(k, ref[k]) for k in ("volume", "number", "pages", "doi") if k in ref]
    else:
        if "date" in ref:
            fields.append(("date", ref["date"]))
        elif ref["year"]:
            fields.append(("year", str(ref["year"])))
        fields += [("url", ref["url"]), ("entrysubtype", ref["kind"])]
    body = "".join(f"  {k} = {{{v}}},\n" for k, v in fields)
    return f"@{'online' if online else 'article'}{{{ref['key']},\n{body}}}\n"


def printed(ref: dict[str, Any]) -> str:
    """The reference as an APA-like line, the way a worksheet prints it."""
    names = [a.strip("{}") for a in ref["authors"]]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    when = ref.get("date") or ref["year"] or "n.d."
    tail = (
        f" {ref['journal']}, {ref['volume']}, {ref['pages'].replace('--', '–')}."
        if (ref["kind"] == "article")
        else ""
    )
    return f"{who} ({when}). {ref['title']}.{tail}"


class TextBuilder:
    """A worksheet's text, recording where each sentence starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> int:
        """Append text; return its start offset."""
        start = self.size
        self.parts.append(text)
        self.size += len(text)
        return start

    def text(self) -> str:
        """The whole text."""
        return "".join(self.parts)


def sentence(rng: random.Random, kind: str) -> str:
    """One sentence of a claim's kind."""
    if kind == "empirical":
        who, verb, action = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(ACTIONS)
        return f"{who} {verb} {action} {rng.choice(TAILS)}."
    if kind == "recommendation":
        return f"{rng.choice(IMPERATIVES)} {rng.choice(GOALS)} {rng.choice(TAILS)}."
    term, meaning = rng.choice(TERMS)
    return f"{term} is {meaning}."


def worksheet(corpus: Corpus, index: int, demographics: list[str]) -> tuple[str, dict[str, str]]:
    """The id and the curated files (all but topics.yaml) of one synthetic worksheet."""
    rng, topics = corpus.rng, corpus.topics
    title = f"{rng.choice(WS_HEADS)} {rng.choice(WS_TOPICS)}"
    ws_id = f"{_slug(title)}-{index:05d}"
    home = sorted({_zipf(rng, topics, 0.8) for _ in range(3)})
    text = TextBuilder()
    text.add(f"{title}\n\n")
    claims: list[dict[str, Any]] = []

    def paragraph(section: str, n_sentences: int, n_claims: int) -> str:
        kinds = rng.choices(
            ["empirical", "recommendation", "definition"], [50, 35, 15], k=n_sentences
        )
        claim_at = set(rng.sample(range(n_sentences), min(n_claims, n_sentences)))
        said = []
        for i, kind in enumerate(kinds):
            s = sentence(rng, kind)
            start = text.add(s)
            said.append(s)
            if i in claim_at:
                claims.append(
                    {
                        "id": f"c{len(claims) + 1:03d}-{_slug(s)[:24].strip('-')}",
                        "section": section,
                        "kind": kind,
                        "quote": s,
                        "start": start,
                        "end": start + len(s),
                    }
                )
            if i < n_sentences - 1:
                text.add(" ")
        text.add("\n\n")
        return " ".join(said)

    for _ in range(2):
        paragraph("introduction", rng.randint(2, 4), rng.randint(1, 3))
    text.add("Key Skills\n\n")
    skills: list[dict[str, Any]] = []
    slugs: set[str] = set()
    for order in range(1, rng.randint(5, 9) + 1):
        skill_title = f"{rng.choice(SKILL_VERBS)} {rng.choice(SKILL_OBJECTS)}"
        while _slug(skill_title) in slugs:
            skill_title = f"{rng.choice(SKILL_VERBS)} {rng.choice(SKILL_OBJECTS)}"
        slug = _slug(skill_title)
        slugs.add(slug)
        text.add(f"{skill_title}\n\n")
        n_claims = rng.randint(2, 5)
        paras = [paragraph(slug, rng.randint(2, 4), n_claims)]
        if rng.random() < 0.4:
            paras.append(paragraph(slug, rng.randint(2, 3), 1))
        skills.append(
            {
                "order": order,
                "slug": slug,
                "title": skill_title,
                "paragraphs": paras,
                "bullet": skill_title,
                "facets": sorted(set(rng.sample(FACETS, rng.randint(1, 2)))),
                "topics": sorted({rng.choice(home), _zipf(rng, topics)}),
            }
        )
    text.add("An Integrated Approach\n\nTo summarize, these are the steps you can take:\n\n")
    text.add("\n".join(f"  • {s['bullet']}" for s in skills) + "\n\n")
    paragraph("summary", rng.randint(2, 3), rng.randint(1, 2))

    refs = [
        corpus.new_reference(sorted({rng.choice(home), _zipf(rng, topics)}))
        for _ in range(rng.randint(10, 22))
    ]
    if len(corpus.refs) > len(refs):
        seen = {r["key"] for r in refs}
        for _ in range(rng.randint(0, 6)):
            old = corpus.recited()
            if old["key"] not in seen:
                seen.add(old["key"])
                refs.append(old)
    background = {r["key"] for r in refs[1:] if rng.random() < 0.04}
    for ref in refs:
        article = ref["kind"] == "article"
        if "design" not in ref:  # one work, one appraisal: a re-cited reference keeps its own
            ref["design"] = (
                rng.choice(DESIGNS)
                if article
                else ("blog" if ref["kind"] == "blog" else "web-article")
            )
            ref["peer_reviewed"] = article and rng.random() < 0.9
    links: dict[tuple[str, str], dict[str, Any]] = {}
    findings: dict[str, dict[str, Any]] = {}

    def link(claim: dict[str, Any], ref: dict[str, Any], stance: str) -> None:
        basis = rng.choice(["title", "abstract"])
        if stance in ("supports", "contradicts"):  # link rules 1 and 3: support needs a finding
            basis = "abstract"
        directness = rng.choice(["direct", "indirect"]) if basis == "abstract" else "indirect"
        if (  # link rule 5: no direct support of advice from observational designs
            claim["kind"] == "recommendation"
            and stance == "supports"
            and ref["design"] != "experimental"
        ):
            directness = "indirect"
        words = ref["title"].split(":")[0].lower()
        fid = f"{_slug(ref['key'])}-f1"
        entry: dict[str, Any] = {
            "claim": claim["id"],
            "reference": ref["key"],
            "stance": stance,
            "directness": directness,
            "basis": basis,
        }
        if basis == "abstract":
            entry["findings"] = [fid]
            findings.setdefault(
                fid,
                {
                    "id": fid,
                    "reference": ref["key"],
                    "kind": "result" if ref["kind"] == "article" else "opinion",
                    "statement": f"A synthetic finding of the work on {words}.",
                    "url": f"https://example.org/synthetic/{_slug(ref['key'])}",
                    "part": "abstract",
                    "extent": "abstract",
                    "page_owner": "index",
                    "read": date(2024, 1, 1),
                    "reader": "scripts/synth",
                },
            )
        entry["rationale"] = f"Judged from the {basis}: the work on {words} bears on this claim."
        entry["curator"] = _zipf(rng, CURATORS)
        entry["date"] = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1060))
        links.setdefault((claim["id"], ref["key"]), entry)

    linkable = [r for r in refs if r["key"] not in background]
    for skill in skills:
        first = next(c for c in claims if c["section"] == skill["slug"])
        link(first, rng.choice(linkable), "supports")
    linked = {key for _, key in links}
    for ref in linkable:
        if ref["key"] not in linked:
            link(rng.choice(claims), ref, rng.choice(STANCES))
    for _ in range(max(0, int(len(claims) * 1.35) - len(links))):
        link(rng.choice(claims), rng.choice(linkable), rng.choice(STANCES))

    notes = []
    for number, ref in enumerate(refs, start=1):
        notes.append(
            {
                "key": ref["key"],
                "number": number,
                "printed": printed(ref),
                "topics": ref["topics"],
                "background_only": "Cited for general background; no claim rests on it."
                if ref["key"] in background
                else None,
                "design": ref["design"],
                "peer_reviewed": "yes" if ref["peer_reviewed"] else "no",
            }
        )
    ws = {
        "id": ws_id,
        "title": title,
        "publisher": "Synthetic Worksheets",
        "demographics": sorted(set(rng.sample(demographics, rng.randint(1, 2)))),
        "topics": home,
    }
    return ws_id, {
        "worksheet.yaml": dump_yaml("worksheet", ws),
        "text.txt": text.text(),
        "skills.yaml": dump_yaml("skills", skills),
        "claims.yaml": dump_yaml("claims", claims),
        "links.yaml": dump_yaml("links", list(links.values())),
        "references.yaml": dump_yaml("references", notes),
    } | (
        {"findings.yaml": dump_yaml("findings", sorted(findings.values(), key=lambda f: f["id"]))}
        if findings
        else {}
    )


def _seed_topics(topics_yaml: str) -> tuple[list[str], list[str]]:
    """Topic ids of the seed's scheme: (site topics, demographics), in file order."""
    site: list[str] = []
    demo: list[str] = []
    for block in topics_yaml.split("\n- ")[0:]:
        found = re.search(r"id: (\S+)", block)
        if found:
            (demo if "scheme: demographics" in block else site).append(found.group(1))
    return site, demo


def generate(scale: int, seed: int, out: Path, *, progress: bool = False) -> dict[str, Any]:
    """Write a corpus of ``scale`` times the seed into ``out``; return its counts."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    seed_dirs = sorted(p for p in SEED_DATA.iterdir() if (p / "worksheet.yaml").exists())
    topics_text = (seed_dirs[0] / "topics.yaml").read_text(encoding="utf-8")
    site, demographics = _seed_topics(topics_text)
    rng = random.Random(seed)  # noqa: S311  (reproducible data, not cryptography)
    corpus = Corpus(rng, site)
    data = out / "data"
    data.mkdir(parents=True)
    for folder in seed_dirs:
        shutil.copytree(folder, data / folder.name)
    started = time.monotonic()
    counts = {"worksheets": len(seed_dirs), "links": 0, "claims": 0}
    with (out / "references.bib").open("w", encoding="utf-8") as bib:
        bib.write(SEED_BIB.read_text(encoding="utf-8").rstrip("\n") + "\n")
        for index in range(1, scale):
            before = len(corpus.refs)
            ws_id, files = worksheet(corpus, index, demographics)
            folder = data / ws_id
            folder.mkdir()
            files["topics.yaml"] = topics_text
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
            for ref in corpus.refs[before:]:
                bib.write("\n" + bib_entry(ref))
            counts["worksheets"] += 1
            counts["claims"] += files["claims.yaml"].count("\n- ")
            counts["links"] += files["links.yaml"].count("\n- ")
            if progress and index % 500 == 0:
                print(
                    f"synth: {index}/{scale - 1} worksheets, {time.monotonic() - started:.0f} s",
                    file=sys.stderr,
                )
    size = (out / "references.bib").stat().st_size
    if size > MAX_BIB_BYTES:
        print(
            f"synth: warning: references.bib is {size} bytes, above kb's 50 MB limit",
            file=sys.stderr,
        )
    summary = {
        "version": VERSION,
        "scale": scale,
        "seed": seed,
        **counts,
        "synthetic_references": len(corpus.refs),
        "authors": corpus.n_authors,
        "bib_bytes": size,
    }
    (out / MARKER).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command line: ``synth --scale N [--seed S] --out DIR [--force]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, required=True, help="1, 10, 100, 1000, 10000...")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"replace OUT if it holds an earlier synthetic corpus ({MARKER})",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        if not (args.force and (out / MARKER).exists()):
            print(
                f"synth: error: {out} is not empty (use --force to replace an earlier corpus)",
                file=sys.stderr,
            )
            return 2
        shutil.rmtree(out)
    started = time.monotonic()
    summary = generate(args.scale, args.seed, out, progress=True)
    print(json.dumps({**summary, "seconds": round(time.monotonic() - started, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
