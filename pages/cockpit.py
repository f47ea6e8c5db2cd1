"""驾驶舱 (home): KPI tiles, 四大模块 ranking matrix, trends, map and overdue ticker for the region in view.

On the big screen (大屏) the same parts are laid out to fit one 1920×1080 wall without scrolling:
no widgets to pick from, the matrix as a dark table of the top rows, best/worst per module as cards.
"""

from __future__ import annotations

import streamlit as st

from core.enums import child_level
from core.errors import DomainError
from ui import charts, state, wall, wall_tasks
from ui import cockpit_data as cd
from ui import period as period_state
from ui import svg as svg_charts
from ui.data import data_version
from ui.i18n import day, lang, month, place, show_error, t, term
from ui.setup import page_setup
from ui.svg_view import clickable_map, show_svg
from ui.text import md
from ui.theme import palette
from ui.widgets import drill_picker, month_header, stamp_text

#: Rows of the big-screen matrix on screen at a time (the rest take turns; the desk shows its top rows).
WALL_ROWS = 6
#: Height of the wall's left column under the KPI tiles (CSS px of a 1080 px screen).
LEFT_PX = 620
#: Measured at 1920×1080: the matrix panel is ~115 px plus 41 per row (+35 for English two-line headers);
#: the overdue panel under it ~85 px plus 32 per bar (and 25 for the page number when they rotate); 12 px between.
MATRIX_PX, ROW_PX, BARS_PX, BAR_PX = 115, 41, 85 + 12 + 25, 32

ctx = page_setup()
region, pal, v, big = ctx.region, palette(ctx.big_screen), data_version(), ctx.big_screen
period = month_header(ctx, t("page.cockpit"), "cockpit-period")
periods, as_of = period_state.available_periods(), period_state.as_of()
try:
    kpis = cd.period_kpis(ctx.scope, region.id, period, as_of, v)
    rank = cd.region_rank(ctx.scope, region.id, period, v)
    scores = cd.region_scores(ctx.scope, region.id, period, v, short=ctx.big_screen)
except DomainError as e:
    show_error(e)
    st.stop()
st.html(charts.tile_css(pal, big) + charts.kpi_row_html(kpis, rank))
if not big:  # the wall's title bar shows 数据截至, and its alert flash already scrolls the overdue tasks
    st.caption(t("cockpit.caption", day=day(kpis["as_of_day"][0])) + " · " + stamp_text(cd.score_stamp(period, v)))
    st.html(charts.ticker_html(cd.overdue_ticker(ctx.scope.narrow(region.id, region.level), 12, as_of, v)))


def _map(height: int) -> None:
    shapes = cd.child_shapes(ctx.scope, region.id) if not scores.empty else []
    svg = svg_charts.map_svg(shapes, scores, pal, height=height, big=big,
                             tooltip=t("cockpit.map_tooltip", name="{name}", score="{score}"))
    if svg:
        st.subheader(t("cockpit.map_title"))
        picked = clickable_map(svg, key="cockpit-map")
        if picked:
            state.set_region(picked)
            st.rerun()


def _trend(height: int) -> None:
    trend = cd.kpi_trend(ctx.scope, region.id, tuple(periods[-12:]), as_of, v)
    if big:
        st.subheader(t("cockpit.trend_title"))
    labels = {key: t(f"wall.trend.{key}" if big else key) for _, key, _ in svg_charts.TREND_SERIES}
    show_svg(svg_charts.trend_svg(trend, labels, [month(p) for p in trend["period"]], pal, big=big, height=height,
                                  title=None if big else t("cockpit.trend_title")), key="cockpit-trend")


def _wall() -> None:
    best_worst, _ = cd.ranking_html(ctx.scope, region.id, period, v, lang(), True, WALL_ROWS)
    left, mid, right = st.columns([5, 3.3, 4.2])
    with left:  # the table's rows take turns; the room it leaves holds the overdue tasks by region
        ordered = charts.ranked(scores)
        chunks = [ordered.iloc[i:i + WALL_ROWS] for i in range(0, len(ordered), WALL_ROWS)]
        shown = min(len(ordered), WALL_ROWS)
        table = wall.panel(matrix_title, wall.rotate([charts.matrix_html(c, pal, WALL_ROWS) for c in chunks]), fixed=True)
        head = MATRIX_PX + (35 if lang() == "en" else 0)
        room = (LEFT_PX - head - ROW_PX * shown - BARS_PX) // BAR_PX
        bars = wall_tasks.by_child_panel(ctx, as_of, v, room) if room >= 3 else ""
        wall.show(wall.board("1fr", [table + bars], height=LEFT_PX), "wall-cockpit-left", pal)
    with mid:
        st.html(best_worst)
    with right:
        _map(280)
        _trend(230)


def _desk() -> None:
    left, right = st.columns([3, 2])
    with left:
        st.subheader(matrix_title)
        best_worst, matrix = cd.ranking_html(ctx.scope, region.id, period, v, lang(), False, WALL_ROWS)
        st.html(best_worst)
        picked = clickable_map(matrix, key="cockpit-matrix")
        if picked:
            state.set_region(picked)
            st.rerun()
    with right:
        _map(360)
        _trend(320)
    drill_picker(list(zip(scores["code"], scores["name"], strict=True)), key="drill-cockpit", folded=True)
    st.caption(t("cockpit.drill_hint"))


matrix_title = t("cockpit.matrix_title", level=term("level", child_level(region.level)), n=len(scores))
if scores.empty:  # a village: nothing below it to rank
    st.info(t("cockpit.leaf", region=md(place(region.name))))
    _trend(320)
else:
    (_wall if big else _desk)()
