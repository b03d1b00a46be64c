"""BibTeX and BibLaTeX titles keep the capitals a sentence-casing style must not lower
(Better BibTeX's rule on our APA sentence-case titles), and BibTeX says which days it drops."""

from __future__ import annotations

import bibtexparser
import pytest

import kb
from kb.export import export
from kb.export.bibtex import protect_capitals


@pytest.mark.parametrize(
    ("title", "protected"),
    [
        ("Adult attachment style and anxiety – The mediating role",
         "Adult attachment style and anxiety – {The} mediating role"),
        ("Beyond satisfaction: The role", "Beyond satisfaction: {The} role"),
        ("Why are you in love? Attachment styles", "Why are you in love? {Attachment} styles"),
        ("Attachment theory", "Attachment theory"),  # the first word is the style's to keep
        ("DNA of Freud and Jung", "{DNA} of {Freud} and {Jung}"),  # acronym first, proper nouns
        ("iPhone use in St-Louis", "{iPhone} use in {St-Louis}"),
        ("Love \\& Work", "Love \\& {Work}"),
        ("A \\textasciitilde{} Tilde", "A \\textasciitilde{} {Tilde}"),  # commands untouched
        ("\\_Ab \\_Cd", "\\_Ab \\_{Cd}"),  # an escape is no part of a word (Hypothesis)
        ("On Lønfeldt's Ørsted", "On {Lønfeldt's} {Ørsted}"),  # Unicode capitals
    ],
    ids=["dash", "colon", "question", "plain", "acronym", "inner-capital", "escaped", "command",
         "escape-first", "unicode"],
)  # fmt: skip
def test_protect_capitals(title: str, protected: str) -> None:
    """Every capitalised word after the first is braced; the first only with an inner capital."""
    assert protect_capitals(title) == protected


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_every_capital_of_every_title_is_protected_or_first(fmt: str) -> None:
    """In the export, a capital letter outside braces is only ever a title's first letter."""
    base = kb.load()
    for entry in bibtexparser.parse_string(export(base, fmt)).entries:
        title = entry["title"]
        depth = 0
        for i, char in enumerate(title):
            depth += {"{": 1, "}": -1}.get(char, 0)
            if char.isupper() and depth == 0:
                assert i == 0, f"{entry.key}: unprotected capital at {i} in {title!r}"
        assert title.replace("{", "").replace("}", "") == base.references[entry.key].title


def test_bibtex_says_which_days_it_leaves_out() -> None:
    """BibTeX has no day field: a leading @comment names the entries whose day is dropped,
    and BibLaTeX keeps the day in ``date``."""
    base = kb.load()
    with_day = sorted(k for k, r in base.references.items() if r.day is not None)
    assert with_day, "the seed has dated web pages"
    library = bibtexparser.parse_string(export(base, "bibtex"))
    (comment,) = library.comments
    assert all(key in comment.comment for key in with_day)
    assert "no day field" in comment.comment
    biblatex = {e.key: e for e in bibtexparser.parse_string(export(base, "biblatex")).entries}
    for key in with_day:
        ref = base.references[key]
        assert biblatex[key]["date"] == f"{ref.year:04d}-{ref.month:02d}-{ref.day:02d}"
