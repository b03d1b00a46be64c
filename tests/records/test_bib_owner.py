"""A reference's publisher follows biblatex's data model: `publisher` on @article,
`organization` (the site owner) on @online; the other one is refused, naming the field to use."""

from __future__ import annotations

import pytest

from kb.errors import KbError
from kb.records.bib import parse_bib

ONLINE = (
    "@online{k,\n  author = {Ha, L.},\n  title = {T},\n  date = {2021},\n"
    "  {owner} = {Site},\n  url = {https://example.org/},\n}\n"
)
ARTICLE = (
    "@article{k,\n  author = {Ha, L.},\n  title = {T},\n  journal = {J},\n  year = {2021},\n"
    "  {owner} = {House},\n}\n"
)


def test_online_site_owner_is_read_from_organization() -> None:
    """`organization` on @online is the site owner (the model's publisher)."""
    (ref,) = parse_bib(ONLINE.replace("{owner}", "organization"))
    assert ref.publisher == "Site"


def test_article_publisher_is_read_from_publisher() -> None:
    """`publisher` on @article is its publisher."""
    (ref,) = parse_bib(ARTICLE.replace("{owner}", "publisher"))
    assert ref.publisher == "House"


@pytest.mark.parametrize(
    ("text", "use"),
    [(ONLINE.replace("{owner}", "publisher"), "organization"),
     (ARTICLE.replace("{owner}", "organization"), "publisher")],
    ids=["publisher-on-online", "organization-on-article"],
)  # fmt: skip
def test_the_other_field_is_refused_naming_the_one_to_use(text: str, use: str) -> None:
    """The field biblatex's model does not have for the entry type: one line, the key, the fix."""
    with pytest.raises(KbError, match=f"k: .*name the .* '{use}'"):
        parse_bib(text, "x.bib")
