"""Colours and limits the dashboard's pages share."""

from __future__ import annotations

from typing import Literal

from kb.browse import views

# the colours st.badge accepts
Badge = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]

STANCES, DIRECTNESS, BASES = views.STANCES, views.DIRECTNESS, views.BASES
STANCE_COLOURS = {
    "supports": "#009e73",
    "qualifies": "#e69f00",
    "contradicts": "#d55e00",
    "background": "#999999",
}
STANCE_BADGE: dict[str, Badge] = {"supports": "green", "qualifies": "orange", "contradicts": "red"}
STATUS_BADGE: dict[str, Badge] = {
    "supported": "blue",
    "grey-only": "yellow",
    "background-only": "violet",
}
RATING_COLOURS = {"very low": "#d55e00", "low": "#e69f00", "moderate": "#56b4e9", "high": "#009e73"}
ROW_CAP = 1_000
TIME_LIMIT_S = 5.0
