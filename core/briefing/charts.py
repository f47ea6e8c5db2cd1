"""Static charts for the report (matplotlib, Agg, no pyplot state): PNG bytes in the desk palette.

Text is drawn with the system's Noto Sans CJK SC (Debian fonts-noto-cjk, the family the app's own font is
cut from), so the PNG carries real glyphs; nothing is fetched.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.briefing import colours

FONT = ["Noto Sans CJK SC", "Noto Sans SC", "DejaVu Sans"]
WIDTH_IN = 6.7  # 170 mm: the text width of an A4 page with the report's margins
DPI = 200


def _figure(height_in: float) -> Figure:
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = FONT
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


def ranking_bars(names: Sequence[str], values: Sequence[float | None], title: str) -> bytes:
    """Horizontal bars of composite scores, first name on top, each bar in the score colour."""
    n = len(names)
    fig = _figure(0.9 + 0.26 * n)
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    vals = [0.0 if v is None or v != v else float(v) for v in values]
    ax.barh(y, vals, color=[colours.score_color(v) for v in values], height=0.7)
    for yi, v, raw in zip(y, vals, values, strict=True):
        ax.text(v + 1, yi, "—" if raw is None or raw != raw else f"{v:.1f}", va="center", fontsize=7.5, color=colours.TEXT)
    ax.set_yticks(y, list(names), fontsize=8)
    ax.set_xlim(0, 108)
    ax.set_xlabel("0–100", fontsize=7.5, color=colours.MUTED)
    ax.set_title(title, fontsize=10, color=colours.TEXT, loc="left")
    _frame(ax)
    return _png(fig)


def module_matrix(names: Sequence[str], modules: Sequence[str], labels: Sequence[str], scores: np.ndarray,
                  title: str) -> bytes:
    """A region × module grid, each cell in the score colour with its value; module names in their colours."""
    n = len(names)
    fig = _figure(1.0 + 0.26 * n)
    ax = fig.add_subplot()
    for i in range(n):
        for j in range(len(modules)):
            v = scores[i, j]
            ax.add_patch(_cell(j, n - 1 - i, colours.score_color(None if np.isnan(v) else float(v))))
            ax.text(j + 0.5, n - 1 - i + 0.5, "—" if np.isnan(v) else f"{v:.1f}", ha="center", va="center",
                    fontsize=7.5, color=colours.TEXT)
    ax.set_xlim(0, len(modules))
    ax.set_ylim(0, n)
    ax.set_yticks(np.arange(n) + 0.5, list(names)[::-1], fontsize=8)
    ax.set_xticks(np.arange(len(modules)) + 0.5, list(labels), fontsize=8.5)
    for tick, m in zip(ax.get_xticklabels(), modules, strict=True):
        tick.set_color(colours.MODULES[m])
        tick.set_fontweight("bold")
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title, fontsize=10, color=colours.TEXT, loc="left", pad=22)
    return _png(fig)


def _cell(x: float, y: float, color: str):
    from matplotlib.patches import Rectangle

    return Rectangle((x + 0.03, y + 0.05), 0.94, 0.9, facecolor=color, edgecolor="white", linewidth=0.5)


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
