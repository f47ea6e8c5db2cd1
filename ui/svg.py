"""Server-drawn SVG for the cockpit (驾驶舱): the 12-month trend and the children's choropleth.

The cockpit is the page a hall opens first, so it draws without the heavy chart bundles (Plotly's
4.7 MB and deck.gl's 3 MB of JavaScript, and WebGL in software on a wall PC): a few kilobytes of
SVG that the browser paints at once and that stay sharp at any size. Pure: no Streamlit import.
Hover titles (`<title>`) carry the exact values; colours come from the palette, as in the charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import pandas as pd

from ui.theme import FONT_FAMILY, Palette, score_color_hex

#: (column, i18n label key, palette colour attribute) of the trend lines.
TREND_SERIES = (("completion", "kpi.completion", "accent"), ("on_time_rate", "kpi.on_time", "good"),
                ("satisfaction", "kpi.satisfaction", "warn"))


def _num(v) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v) else float(v)


def _ems(text: str) -> float:
    """Approximate width of `text` in ems (a CJK character is one em, a Latin one about 0.6)."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)


def _y_range(values: Sequence[float]) -> tuple[float, float]:
    """A 0–100 % axis trimmed to the data in steps of 10, at least 20 points tall."""
    if not values:
        return 0.0, 100.0
    lo = max(0.0, math.floor(min(values) / 10) * 10)
    hi = min(100.0, max(math.ceil(max(values) / 10) * 10, lo + 10))
    if hi - lo < 20:
        lo, hi = (hi - 20, hi) if hi >= 20 else (0.0, 20.0)
    return lo, hi


def trend_svg(df: pd.DataFrame, labels: dict[str, str], months: Sequence[str], pal: Palette, *,
              big: bool = False, height: int = 320, title: str | None = None) -> str:
    """Lines of completion, on-time and satisfaction (%) over the months of `df` (one row per month).

    `labels` maps each series' i18n key to its text, `months` are the x labels (same order as df).
    """
    w, h = 620, height  # about the pixel width of the cockpit's right column, so font sizes are pixels
    fs, stroke, dot = (18, 4, 5.5) if big else (13, 2.5, 3.5)
    top = (fs * 2.6) + (fs * 1.6 if title else 0)
    half_label = max((_ems(m) for m in months), default=1.0) * fs / 2
    left, right, bottom = max(fs * 3.4, half_label), max(fs * 1.2, half_label), fs * 2.4
    pw, ph = w - left - right, h - top - bottom
    vals = [x for col, *_ in TREND_SERIES if col in df for x in (_num(v) for v in df[col]) if x is not None]
    lo, hi = _y_range(vals)
    n = max(len(df), 1)

    def x_at(i: int) -> float:
        return left + (pw * (i + 0.5) / n)

    def y_at(v: float) -> float:
        return top + ph * (1 - (v - lo) / (hi - lo or 1))

    out = [f'<svg class="xc-trend" viewBox="0 0 {w} {h}" width="100%" role="img" '
           f'font-family="{FONT_FAMILY}" style="display:block;max-height:{h}px">']
    if title:
        out.append(f'<text x="{left}" y="{fs * 1.3:.0f}" font-size="{fs * 1.15:.0f}" font-weight="600" '
                   f'fill="{pal.text}">{escape(title)}</text>')
    step = 10 if hi - lo <= 40 else 20
    for g in range(int(lo), int(hi) + 1, step):
        y = y_at(g)
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{pal.grid}" '
                   f'stroke-width="1.5"/><text x="{left - 8}" y="{y + fs * 0.35:.1f}" text-anchor="end" '
                   f'font-size="{fs}" fill="{pal.muted}">{g}%</text>')
    widest = max((_ems(m) for m in months), default=1.0) * fs * 1.15
    every = max(1, math.ceil(n * widest / pw))  # as many month labels as fit side by side
    for i, m in enumerate(months):
        if (n - 1 - i) % every == 0:
            out.append(f'<text x="{x_at(i):.1f}" y="{h - bottom + fs * 1.5:.1f}" text-anchor="middle" '
                       f'font-size="{fs}" fill="{pal.muted}">{escape(m)}</text>')
    legend_x = w - right
    for _col, key, attr in reversed(TREND_SERIES):
        name = escape(labels.get(key, key))
        width = fs * (_ems(labels.get(key, key)) + 3.4)
        legend_x -= width
        color = getattr(pal, attr)
        ly = top - fs * 1.2
        out.append(f'<line x1="{legend_x:.0f}" x2="{legend_x + fs * 1.4:.0f}" y1="{ly:.0f}" y2="{ly:.0f}" '
                   f'stroke="{color}" stroke-width="{stroke}"/><text x="{legend_x + fs * 1.8:.0f}" '
                   f'y="{ly + fs * 0.35:.0f}" font-size="{fs}" fill="{pal.text}">{name}</text>')
    for col, key, attr in TREND_SERIES:
        if col not in df:
            continue
        color, pts = getattr(pal, attr), []
        for i, v in enumerate(df[col]):
            v = _num(v)
            if v is not None:
                pts.append((x_at(i), y_at(v), v, months[i] if i < len(months) else ""))
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, *_ in pts)
            out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="{stroke}" '
                       f'stroke-linejoin="round" stroke-linecap="round"/>')
        for x, y, v, m in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{dot}" fill="{color}"><title>'
                       f'{escape(labels.get(key, key))} · {escape(m)}: {v:.1f}%</title></circle>')
    out.append("</svg>")
    return "".join(out)


def _project(lon: float, lat: float, lat0: float) -> tuple[float, float]:
    """Equirectangular with the parallel of the region's centre: true shapes at county/city scale."""
    return lon * math.cos(math.radians(lat0)), -lat


def map_svg(shapes: list[dict], scores: pd.DataFrame, pal: Palette, *, height: int = 360,
            big: bool = False, tooltip: str = "{name} {score}", label_limit: int = 40) -> str:
    """Children of a region as filled outlines coloured by composite score, each `data-code` tagged.

    `shapes` are core.geo_layers.child_shapes rows (region_id, code, name, rings of [lon, lat]); names are
    printed at each child's centre when there are at most `label_limit` children.
    """
    comp = dict(zip(scores["region_id"], scores["composite"], strict=True)) if not scores.empty else {}
    pts = [p for s in shapes for ring in s["rings"] for p in ring]
    if not pts:
        return ""
    lat0 = (min(p[1] for p in pts) + max(p[1] for p in pts)) / 2
    xy = [_project(p[0], p[1], lat0) for p in pts]
    x0, x1 = min(x for x, _ in xy), max(x for x, _ in xy)
    y0, y1 = min(y for _, y in xy), max(y for _, y in xy)
    w = 1000.0
    scale = w / max(x1 - x0, 1e-9)
    h = max((y1 - y0) * scale, 1.0)
    pad = 8.0
    # Label size in viewBox units for about 13 px on a desk (17 px on the wall) once the SVG is fitted
    # into `height` pixels tall or a column about 600 px wide, whichever binds.
    units_per_px = max((h + 2 * pad) / height, (w + 2 * pad) / 600)
    fs = (17 if big else 13) * units_per_px
    out = [f'<svg class="xc-map" viewBox="{-pad:.0f} {-pad:.0f} {w + 2 * pad:.0f} {h + 2 * pad:.0f}" '
           f'width="100%" height="{height}" preserveAspectRatio="xMidYMid meet" role="img" '
           f'font-family="{FONT_FAMILY}" style="display:block">']
    labels = []
    for s in shapes:
        c = comp.get(s["region_id"])
        c = _num(c)
        score = "—" if c is None else f"{c:.1f}"
        d = []
        big_ring, big_area = None, -1.0
        for ring in s["rings"]:
            ring_xy = [((px - x0) * scale, (py - y0) * scale) for px, py in (_project(lo, la, lat0) for lo, la in ring)]
            if len(ring_xy) < 3:
                continue
            d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring_xy) + "Z")
            area = abs(sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(ring_xy, ring_xy[1:] + ring_xy[:1],
                                                                               strict=True))) / 2
            if area > big_area:
                big_ring, big_area = ring_xy, area
        if not d:
            continue
        tip = escape(tooltip.replace("{name}", s["name"]).replace("{score}", score))
        out.append(f'<path class="xc-map-area" data-code="{escape(str(s["code"]))}" d="{"".join(d)}" '
                   f'fill="{score_color_hex(c, pal)}" fill-opacity="0.9" stroke="{pal.panel}" stroke-width="2" '
                   f'stroke-linejoin="round"><title>{tip}</title></path>')
        if big_ring is not None:
            labels.append((big_ring, s["name"], score))
    if len(labels) <= label_limit:
        out.extend(_label(ring, name, score, fs) for ring, name, score in labels)
    out.append("</svg>")
    return "".join(out)


def _label(ring: list[tuple[float, float]], name: str, score: str, fs: float) -> str:
    """Name and score at the centre of an area: both when they fit its width, the score alone when only
    it fits, nothing on a sliver (its hover title still tells)."""
    xs = [x for x, _ in ring]
    cx, cy = sum(xs) / len(ring), sum(y for _, y in ring) / len(ring)
    ys = [y for _, y in ring]
    room, tall = (max(xs) - min(xs)) * 0.8, (max(ys) - min(ys)) * 0.8
    lines = [t for t in ((name, score) if score != "—" else (name,)) if _ems(t) * fs <= room]
    lines = lines[: max(0, int(tall // (fs * 1.15)))]
    if not lines:
        return ""
    first, *rest = lines
    weight = ' font-weight="700"' if first == score else ""
    more = "".join(f'<tspan x="{cx:.0f}" dy="{fs * 1.1:.0f}" font-weight="700">{escape(t)}</tspan>' for t in rest)
    return (f'<text x="{cx:.0f}" y="{cy:.0f}" text-anchor="middle" font-size="{fs:.0f}"{weight} fill="#1c2733" '
            f'stroke="#ffffff" stroke-width="{fs / 5:.1f}" paint-order="stroke" pointer-events="none">'
            f'{escape(first)}{more}</text>')
