"""Static charts for the report (matplotlib, Agg, no pyplot state): PNG bytes in the desk palette.

Text is drawn with the app's own Noto Sans SC (core.briefing.fonts: its `ui` slices), falling back to the
system's Noto Sans CJK SC, so the PNG carries real glyphs; nothing is fetched.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.briefing import colours, fonts

WIDTH_IN = 6.7  # 170 mm: the text width of an A4 page with the report's margins
DPI = 200


def _figure(height_in: float) -> Figure:
    rcParams["font.family"] = list(fonts.chart_families())  # a glyph missing from one family comes from the next
    rcParams["axes.unicode_minus"] = False
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.08, facecolor="white")
    return buf.getvalue()


def _frame(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(colours.BORDER)
    ax.tick_params(colors=colours.TEXT, labelsize=8)


def ranking_chart(names: Sequence[str], composite: Sequence[float | None], modules: Sequence[str],
                  labels: Sequence[str], scores: np.ndarray, title: str, composite_label: str) -> bytes:
    """One row per region, first on top: its composite as a bar in the score colour (left) and its four
    module scores as cells in the score colour (right), module names in their module colours."""
    n = len(names)
    fig = _figure(1.0 + 0.25 * n)
    bars, grid = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1.15, 1.0], "wspace": 0.04})
    y = np.arange(n)[::-1] + 0.5
    vals = [0.0 if v is None or v != v else float(v) for v in composite]
    bars.barh(y, vals, color=[colours.score_color(v) for v in composite], height=0.72)
    for yi, v, raw in zip(y, vals, composite, strict=True):
        bars.text(v + 1.5, yi, "—" if raw is None or raw != raw else f"{v:.1f}", va="center", fontsize=7.5, color=colours.TEXT)
    bars.set_ylim(0, n)
    bars.set_yticks(y, list(names), fontsize=8)
    bars.set_xlim(0, 112)
    bars.set_xticks([0, 50, 100])
    bars.set_xlabel(composite_label, fontsize=8, color=colours.MUTED)
    _frame(bars)
    for i in range(n):
        for j in range(len(modules)):
            v = scores[i, j]
            grid.add_patch(_cell(j, n - 1 - i, colours.score_color(None if np.isnan(v) else float(v))))
            grid.text(j + 0.5, n - 1 - i + 0.5, "—" if np.isnan(v) else f"{v:.1f}", ha="center", va="center",
                      fontsize=7.2, color=colours.TEXT)
    grid.set_xlim(0, len(modules))
    # English module names are wider than their cells: wrapped onto two lines instead of running into each other
    grid.set_xticks(np.arange(len(modules)) + 0.5, [textwrap.fill(x, 12) for x in labels], fontsize=8)
    grid.xaxis.tick_top()
    grid.tick_params(length=0, labelleft=False)
    for tick, m in zip(grid.get_xticklabels(), modules, strict=True):  # after tick_top and tick_params (they reset it)
        tick.set_color(colours.MODULES[m])
        tick.set_fontweight("bold")
    for side in grid.spines.values():
        side.set_visible(False)
    fig.suptitle(title, fontsize=10, color=colours.TEXT, x=0.02, ha="left")
    return _png(fig)


def _cell(x: float, y: float, color: str):
    from matplotlib.patches import Rectangle

    return Rectangle((x + 0.03, y + 0.06), 0.94, 0.88, facecolor=color, edgecolor="white", linewidth=0.5)


def trend_lines(months: Sequence[str], series: Mapping[str, Sequence[float | None]], labels: Mapping[str, str],
                title: str) -> bytes:
    """The cockpit's trend: completion, on-time and satisfaction (%) per month in their cockpit colours."""
    fig = _figure(2.5)
    ax = fig.add_subplot()
    x = np.arange(len(months))
    lo = 100.0
    for key, values in series.items():
        ys = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        if np.isfinite(ys).any():
            lo = min(lo, float(np.nanmin(ys)))
        ax.plot(x, ys, marker="o", markersize=3, linewidth=1.6, color=colours.TREND[key], label=labels[key])
    ax.set_ylim(max(0.0, np.floor(lo / 5) * 5 - 5), 100.5)
    ax.set_xticks(x, list(months), fontsize=7, rotation=0 if len(months) <= 6 else 45)
    ax.set_ylabel("%", fontsize=8, color=colours.MUTED)
    ax.grid(axis="y", color=colours.BORDER, linewidth=0.6)
    ax.legend(fontsize=7.5, frameon=False, ncol=3, loc="lower left", bbox_to_anchor=(0, 1.0))
    ax.set_title(title, fontsize=10, color=colours.TEXT, loc="left", pad=20)
    _frame(ax)
    return _png(fig)


def count_bars(names: Sequence[str], values: Sequence[int], title: str) -> bytes:
    """Horizontal bars of counts in the accent colour, largest first on top."""
    n = len(names)
    fig = _figure(0.9 + 0.26 * n)
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    ax.barh(y, list(values), color=colours.ACCENT, height=0.65)
    top = max(values) if len(values) else 1
    for yi, v in zip(y, values, strict=True):
        ax.text(v + top * 0.01, yi, f"{int(v):,}", va="center", fontsize=7.5, color=colours.TEXT)
    ax.set_yticks(y, list(names), fontsize=8)
    ax.set_xlim(0, top * 1.15 or 1)
    ax.set_title(title, fontsize=10, color=colours.TEXT, loc="left")
    _frame(ax)
    return _png(fig)
