"""The README's pictures show what they promise: every one exists and is not blank, and where a
chart or a graph belongs its colours are drawn (a screenshot taken before the chart rendered
shows an empty box: that once reached the README)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

from kb.browse.worksheet import STATUS_COLOURS
from kb.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
PICTURES = sorted(set(re.findall(r"\]\((docs/img/[\w.-]+\.png)\)", README)))
# picture -> colours that only its chart or graph draws (app.py's RATING_COLOURS, the node
# colours of kb.network.draw, the support colours of kb.browse.worksheet)
DRAWN = {
    "docs/img/overview.png": ["#d55e00"],  # the "very low" bars of the ratings chart
    "docs/img/graph.png": ["#ff7f0e", "#aec7e8"],  # reference and claim nodes
    "docs/img/authors.png": ["#2ca02c"],  # person nodes of the co-author network
    "docs/img/worksheet.png": [STATUS_COLOURS["supported"], STATUS_COLOURS["none"]],
}


def share_of(image: Image.Image, colour: str, tolerance: int = 12) -> float:
    """The share of pixels within ``tolerance`` of ``colour`` on every channel."""
    want = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    return float((np.abs(pixels - want) <= tolerance).all(axis=2).mean())


def test_the_readme_shows_pictures() -> None:
    """The README links its dashboard and graph pictures."""
    assert len(PICTURES) >= 14


@pytest.mark.parametrize("path", PICTURES)
def test_picture_is_not_blank(path: str) -> None:
    """Each picture exists and is more than a white page (a page of text is ~90% white; an
    empty one, 99%)."""
    image = Image.open(REPO_ROOT / path)
    assert image.width >= 300
    assert image.height >= 200
    white = share_of(image, "#ffffff", tolerance=6)
    assert white < 0.97, f"{path} is {white:.0%} white"


@pytest.mark.parametrize(("path", "colours"), sorted(DRAWN.items()))
def test_chart_or_graph_is_drawn(path: str, colours: list[str]) -> None:
    """Where a chart or a graph belongs, its colours cover a visible part of the picture."""
    assert path in PICTURES
    image = Image.open(REPO_ROOT / path)
    for colour in colours:
        assert share_of(image, colour) > 0.0002, f"{path}: nothing drawn in {colour}"
