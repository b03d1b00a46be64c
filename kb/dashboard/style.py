"""Colours and limits the dashboard's pages share."""

from __future__ import annotations

from typing import Literal

from kb.browse import views

# the colours st.badge accepts
Badge = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]

STANCES, DIRECTNESS, BASES = views.STANCES, views.DIRECTNESS, views.BASES
STANCE_COLOURS = views.STANCE_COLOURS
# st.badge has no Okabe–Ito palette: the nearest of its colours, never red (the graph's selection)
STANCE_BADGE: dict[str, Badge] = {"supports": "green", "qualifies": "blue", "contradicts": "violet"}
STATUS_STYLES = views.STATUS_STYLES
RATING_COLOURS = {"very low": "#d55e00", "low": "#e69f00", "moderate": "#56b4e9", "high": "#009e73"}
ROW_CAP = 1_000
TIME_LIMIT_S = 5.0
