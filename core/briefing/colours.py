"""The desk palette's colours for the report's charts (core may not import ui).

These are `ui.theme.LIGHT`'s values: a module, a score or an overdue count has the same colour on paper
as on screen. tests/core/test_briefing.py fails when the two drift apart.
"""

from __future__ import annotations

TEXT = "#1c2733"
MUTED = "#5d6b7d"
BORDER = "#d5dde8"
ACCENT = "#1f5fbf"
GOOD = "#1e9e58"
WARN = "#d98a00"
BAD = "#d1352b"  # overdue is the same red as bad
NEUTRAL = "#8a96a8"
NONE_GREY = "#bec4cc"  # a missing score
SCORE_SCALE = ("#c9302c", "#e8742c", "#f2c14e", "#8cc084", "#1b8a7a")  # score 0 (bad) → 100 (good)
MODULES = {"party_building": "#c2185b", "economy": "#2f6fd6", "safety": "#6a4cc2", "public_service": "#0e8fa0"}
#: The cockpit's trend lines (ui.svg.TREND_SERIES): completion accent, on-time good, satisfaction warn.
TREND = {"completion": ACCENT, "on_time_rate": GOOD, "satisfaction": WARN}


def _rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def score_color(value: float | None) -> str:
    """Hex colour of a 0–100 score on the scale (clamped; grey when missing), as ui.theme.score_color_hex."""
    if value is None or value != value:
        return NONE_GREY
    t = min(max(float(value), 0.0), 100.0) / 100.0
    stops = [_rgb(c) for c in SCORE_SCALE]
    pos = t * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    f = pos - i
    a, b = stops[i], stops[i + 1]
    return "#{:02x}{:02x}{:02x}".format(*(round(a[k] + (b[k] - a[k]) * f) for k in range(3)))
