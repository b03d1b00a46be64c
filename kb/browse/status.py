"""How a claim's support status is shown, in one place: a word and an icon for each status (never
colour alone), colour-blind-safe fills, and the contrast check behind them.

The fills are Okabe–Ito colours mixed with white (blue, yellow, reddish purple, vermillion), so
that no two statuses are told apart by red against green; the text and icon on each fill is
near-black, above WCAG's 4.5:1 for normal text (``contrast_ratio``, tested). The stance colours
of the graph and badges are Okabe–Ito too, and the graph's selection colour is one no stance
uses (``kb.browse.graph.SELECTION_COLOUR``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.evidence.support import STATUS_LABELS

__all__ = [
    "OKABE_ITO",
    "STATUS_STYLES",
    "TEXT_COLOUR",
    "StatusStyle",
    "contrast_ratio",
    "relative_luminance",
    "status_badge",
]

# The eight Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design").
OKABE_ITO = {
    "black": "#000000",
    "orange": "#e69f00",
    "sky blue": "#56b4e9",
    "bluish green": "#009e73",
    "yellow": "#f0e442",
    "blue": "#0072b2",
    "vermillion": "#d55e00",
    "reddish purple": "#cc79a7",
}
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class StatusStyle:
    """How one support status is shown: ``word`` (visible, short), ``icon`` (a character that
    differs in shape from the others), ``label`` (the legend's sentence), ``fill`` and ``text``
    colours, and ``hue``, the Okabe–Ito colour the fill is a tint of."""

    status: str
    word: str
    icon: str
    label: str
    fill: str
    text: str
    hue: str

    @property
    def shown(self) -> str:
        """Icon and word together: ``✔ supported``."""
        return f"{self.icon} {self.word}"


STATUS_STYLES: dict[str, StatusStyle] = {
    "supported": StatusStyle(
        "supported", "supported", "✔", STATUS_LABELS["supported"], "#bfdcec", TEXT_COLOUR, "blue"
    ),
    "grey-only": StatusStyle(
        "grey-only",
        "grey literature only",
        "◐",
        STATUS_LABELS["grey-only"],
        "#f9f4b3",
        TEXT_COLOUR,
        "yellow",
    ),
    "background-only": StatusStyle(
        "background-only",
        "background only",
        "○",
        STATUS_LABELS["background-only"],
        "#f0d7e5",
        TEXT_COLOUR,
        "reddish purple",
    ),
    "none": StatusStyle(
        "none", "no reference", "✕", STATUS_LABELS["none"], "#ecb78c", TEXT_COLOUR, "vermillion"
    ),
}


def status_badge(status: str) -> str:
    """What a badge or a table cell shows for a status: ``✔ supported``."""
    return STATUS_STYLES[status].shown


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#rrggbb`` colour (0 black, 1 white)."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
