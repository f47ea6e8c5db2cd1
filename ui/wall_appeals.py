"""民情与预警 on the wall: this month's appeals and satisfaction, the closing-level funnel, the category trend,
and the early warnings rotating with their evidence in one line each. Reads the desk's cached cube and
warning list (ui.appeals_data); totals through core.appeals.summary."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import pandas as pd

from core import appeals
from core.config import get_settings
from core.scope import Scope
from ui import appeals_data as ad
from ui import wall as w
from ui.i18n import month, t, term
from ui.theme import Palette, palette
from ui.wall_svg import lines_svg

TREND_CATEGORIES = 4
WARNINGS = 80  # newest warnings that take turns, BigScreenConfig.wall_rows at a time


def _ym(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _pct(v: object) -> str:
    return "—" if v is None else f"{w.count(float(v), 1)}"  # type: ignore[arg-type]


def _numbers(now: dict, before: dict, warn_n: int) -> str:
    vol, prev = int(now["volume"]), int(before["volume"])
    delta = t("wall.appeals.vs_last", delta=("+" if vol >= prev else "−") + w.count(abs(vol - prev)))
    sat, sat_prev = now["satisfaction"], before["satisfaction"]
    sat_sub = t("wall.appeals.sat_sub", n=w.count(sum(now["ratings"].values())))
    if sat is not None and sat_prev is not None:
        sat_sub += " · " + t("wall.appeals.vs_last_pt", delta=f"{sat - sat_prev:+.1f}")
    return w.number_row([
        w.big_number(t("wall.appeals.volume"), w.count(vol), cls="acc", sub=delta),
        w.big_number(t("wall.appeals.satisfaction"), _pct(sat), unit="%", cls="acc", sub=sat_sub),
        w.big_number(t("wall.appeals.closed"), w.count(now["closed"]), cls="acc",
                     sub=t("wall.appeals.on_time", pct=_pct(now["on_time_rate"]))),
        w.big_number(t("wall.appeals.warnings", days=get_settings().warnings.recent_days), w.count(warn_n), cls="warn",
                     sub=t("wall.appeals.warnings_sub")),
    ])


def _funnel(now: dict, pal: Palette) -> str:
    counts = [int(now[f"closed_{lvl}"]) for lvl in appeals.LEVELS]
    reached = [sum(counts[i:]) for i in range(len(counts))]
    colours = [pal.good, pal.accent, pal.warn, pal.bad]  # the higher an appeal had to go, the worse
    rows = w.bar_rows([(term("appeal_level", lvl), [(r, c)],
                        t("wall.appeals.closed_here", n=w.count(r), here=w.count(n)))
                       for lvl, r, n, c in zip(appeals.LEVELS, reached, counts, colours, strict=True)], max(reached) or 1)
    body = (f"<div class='bars' style='--bar-label:5em;--bar-value:7.6em;gap:0.6rem'>{''.join(rows)}</div>"
            f"<div class='muted' style='margin-top:0.6rem;font-size:1rem'>{escape(t('wall.appeals.funnel_note'))}</div>")
    return w.panel(t("wall.appeals.funnel"), body, fixed=True)


def _channels(now_cube: pd.DataFrame, pal: Palette) -> str:
    by = now_cube.groupby("channel").n.sum().sort_values(ascending=False)
    top = float(by.max()) if len(by) else 1.0
    rows = w.bar_rows([(term("appeal_channel", k), [(float(v), pal.accent)], w.count(int(v))) for k, v in by.items()], top)
    return w.panel(t("wall.appeals.channels"), f"<div class='bars' style='gap:0.5rem'>{''.join(rows)}</div>", grow=1)


def _ratings(now: dict, pal: Palette) -> str:
    r = now["ratings"]
    colours = {"good": pal.good, "mid": pal.warn, "bad": pal.bad}
    top = max(r.values()) or 1
    rows = w.bar_rows([(term("rating", k), [(v, colours.get(k, pal.accent))], w.count(v)) for k, v in r.items()], top)
    return w.panel(t("wall.appeals.ratings"), f"<div class='bars' style='gap:0.4rem'>{''.join(rows)}</div>", fixed=True)


def _trend(cube: pd.DataFrame, pal: Palette) -> str:
    tally = cube.groupby(["ym", "category"], as_index=False).n.sum()
    months = sorted(tally["ym"].unique())
    top = tally.groupby("category").n.sum().sort_values(ascending=False).head(TREND_CATEGORIES).index
    colours = [pal.accent, pal.modules["economy"], pal.modules["safety"], pal.text]
    series = []
    for cat, colour in zip(top, colours, strict=False):
        part = tally[tally["category"] == cat].set_index("ym").n.reindex(months, fill_value=0)
        series.append((term("appeal_category", cat), [float(v) for v in part], colour))
    labels = [month(int(m.replace("-", ""))) for m in months]
    svg = lines_svg(series, labels, pal, height=330)
    key = w.legend([(name, colour) for name, _, colour in series])
    return w.panel(t("wall.appeals.trend", n=len(series)), f"<div style='height:calc(100% - 4rem)'>{svg}</div>{key}",
                   grow=1)


def _md(d: object) -> str:
    """A window day as month/day: the year is the wall's own (数据截至)."""
    x = pd.Timestamp(d)  # type: ignore[arg-type]
    return f"{x.month}/{x.day}"


def _warning_line(r, names: dict[int, str]) -> str:
    grid = t("appeals.grid_no", n=int(r.grid_id) % 1000) if r.grid_id == r.grid_id and r.grid_id else ""
    place = names.get(int(r.village_id), str(r.village_id)) + (f" · {grid}" if grid else "")
    category = f" · {term('appeal_category', r.category)}" if isinstance(r.category, str) else ""
    evidence = t("wall.appeals.evidence", start=_md(r.window_start), end=_md(r.window_end), count=f"{r.count:g}",
                 baseline=f"{r.baseline:g}")
    return (f"<div class='line1'><b class='warn'>{escape(term('warning_kind', r.kind))}</b> · {escape(place)} · "
            f"{escape(category.removeprefix(' · '))}{' · ' if category else ''}<span class='muted'>{escape(evidence)}</span></div>")


def _warnings(warns: pd.DataFrame, scope: Scope) -> str:
    shown = warns.head(WARNINGS)
    names = ad.region_names(scope, tuple(sorted({int(v) for v in shown.village_id})), short=True)
    lines = [_warning_line(r, names) for r in shown.itertuples()]
    per = get_settings().big_screen.wall_rows + 4
    body = w.rotate(w.pages(lines, per)) if lines else f"<div class='empty'>{escape(t('wall.none'))}</div>"
    return w.panel(t("wall.appeals.warning_list", n=w.count(len(warns))), body, note=t("wall.appeals.warning_note"))


def render(ctx, as_of: date, version: int) -> None:
    """The appeals wall of the region in view as of `as_of` (its month against the month before)."""
    region, pal = ctx.region, palette(True)
    here = ctx.scope.narrow(region.id, region.level)
    cube, warns = ad.cube(here, as_of, version), ad.warning_list(here, as_of, version)
    prev = _ym(as_of.replace(day=1) - timedelta(days=1))
    now, before = appeals.summary(cube[cube.ym == _ym(as_of)]), appeals.summary(cube[cube.ym == prev])
    recent = ad.warning_counts(here, as_of, version, get_settings().warnings.recent_days)["total"]
    html = w.board("1fr 1fr 1.3fr", [_funnel(now, pal) + _ratings(now, pal) + _channels(cube[cube.ym == _ym(as_of)], pal),
                                      _trend(cube, pal),
                                            _warnings(warns, here)], top=_numbers(now, before, recent))
    w.show(html, "wall-appeals", pal)
