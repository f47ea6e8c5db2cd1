"""SVG charts for the wall boards (ui.wall): a six-axis radar and a multi-line monthly trend.

Pure: text in, markup out. Sizes are in viewBox units drawn at about 1:1 in their panels, so a 22-unit
label is about 22 px on a 1080 p wall (and twice the pixels, equally sharp, at 4K).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from ui.theme import FONT_FAMILY, Palette
from ui.wall import text_em


def radar_svg(labels: Sequence[str], values: Sequence[float | None], reference: Sequence[float | None],
              pal: Palette, *, size: int = 420, ref_label: str = "", own_label: str = "") -> str:
    """A radar of `values` (0–100) on len(labels) axes over a dotted `reference` polygon (e.g. the median)."""
    n, cy, r = len(labels), size / 2, size / 2 - 70
    # as wide as the longest label needs beside the polygon (English "Governance 100" is twice "治理力 100")
    reach = max([(r + 20) * abs(math.cos(-math.pi / 2 + 2 * math.pi * i / n)) + 22 * text_em(f"{label} 100") + 8
                 for i, label in enumerate(labels)] + [size / 2 + 70])
    c = reach

    def pt(i: int, v: float | None, rr: float = r) -> tuple[float, float]:
        a = -math.pi / 2 + 2 * math.pi * i / n
        k = rr * max(min(float(v or 0), 100.0), 0.0) / 100.0
        return c + k * math.cos(a), cy + k * math.sin(a)

    out = [f'<svg viewBox="0 0 {2 * reach:.0f} {size + 40}" width="100%" height="100%" preserveAspectRatio="xMidYMid meet" '
           f'font-family="{FONT_FAMILY}" role="img">']
    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (pt(i, ring) for i in range(n)))
        out.append(f'<polygon points="{pts}" fill="none" stroke="{pal.border}" stroke-width="1"/>')
    for i, label in enumerate(labels):
        x, y = pt(i, 100)
        out.append(f'<line x1="{c}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{pal.border}" stroke-width="1"/>')
        lx, ly = pt(i, 100, r + 20)
        anchor = "middle" if abs(lx - c) < 8 else ("start" if lx > c else "end")
        dy = -6 if ly < cy - 1 else 22
        val = values[i]
        out.append(f'<text x="{lx:.1f}" y="{ly + dy:.1f}" text-anchor="{anchor}" font-size="22" fill="{pal.text}">'
                   f'{escape(label)} <tspan fill="{pal.accent}" font-weight="700">'
                   f'{"—" if val is None else f"{float(val):.0f}"}</tspan></text>')
    ref = " ".join(f"{x:.1f},{y:.1f}" for x, y in (pt(i, v) for i, v in enumerate(reference)))
    own = " ".join(f"{x:.1f},{y:.1f}" for x, y in (pt(i, v) for i, v in enumerate(values)))
    out.append(f'<polygon points="{ref}" fill="none" stroke="{pal.muted}" stroke-width="2" stroke-dasharray="6 5"/>')
    out.append(f'<polygon points="{own}" fill="{pal.accent}40" stroke="{pal.accent}" stroke-width="3"/>')
    if ref_label or own_label:
        y = size + 28
        out.append(f'<line x1="{c - 190}" y1="{y - 7}" x2="{c - 160}" y2="{y - 7}" stroke="{pal.accent}" stroke-width="4"/>'
                   f'<text x="{c - 152}" y="{y}" font-size="20" fill="{pal.text}">{escape(own_label)}</text>'
                   f'<line x1="{c + 20}" y1="{y - 7}" x2="{c + 50}" y2="{y - 7}" stroke="{pal.muted}" stroke-width="2" '
                   f'stroke-dasharray="6 5"/><text x="{c + 58}" y="{y}" font-size="20" fill="{pal.text}">'
                   f'{escape(ref_label)}</text>')
    out.append("</svg>")
    return "".join(out)


def lines_svg(series: Sequence[tuple[str, Sequence[float], str]], months: Sequence[str], pal: Palette, *,
              width: int = 620, height: int = 300) -> str:
    """Monthly lines (label, values, colour) with the first, middle and last month under the x axis and the
    newest value at each line's end; the legend is left to the panel (ui.wall.legend)."""
    vals = [v for _, ys, _ in series for v in ys]
    if not vals or not months:
        return ""
    left, right, top, bottom = 64, 70, 12, 34
    lo, hi = 0.0, max(vals) * 1.1 or 1.0
    n = len(months)

    def x_at(i: int) -> float:
        return left + (width - left - right) * (i / max(n - 1, 1))

    def y_at(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - lo) / (hi - lo))

    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" height="100%" preserveAspectRatio="xMidYMid meet" '
           f'font-family="{FONT_FAMILY}" role="img">']
    for frac in (0, 0.5, 1):
        v = lo + (hi - lo) * frac
        y = y_at(v)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{pal.border}" stroke-width="1"/>'
                   f'<text x="{left - 8}" y="{y + 7:.1f}" text-anchor="end" font-size="20" fill="{pal.muted}">{v:,.0f}</text>')
    for i in sorted({0, n // 2, n - 1}):
        out.append(f'<text x="{x_at(i):.1f}" y="{height - 6}" text-anchor="middle" font-size="20" fill="{pal.muted}">'
                   f'{escape(months[i])}</text>')
    for _, ys, color in series:
        pts = " ".join(f"{x_at(i):.1f},{y_at(float(v)):.1f}" for i, v in enumerate(ys))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="3" stroke-linejoin="round"/>')
        if len(ys):
            out.append(f'<text x="{x_at(len(ys) - 1) + 6:.1f}" y="{y_at(float(ys[-1])) + 7:.1f}" font-size="20" '
                       f'fill="{color}" font-weight="700">{float(ys[-1]):,.0f}</text>')
    out.append("</svg>")
    return "".join(out)
