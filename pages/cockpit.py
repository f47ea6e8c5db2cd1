"""驾驶舱 (home): KPI tiles, 四大模块 ranking matrix, trends, map and overdue ticker for the region in view.

On the big screen (大屏) the same parts are laid out to fit one 1920×1080 wall without scrolling:
no widgets to pick from, the matrix as a dark table of the top rows, best/worst per module as cards.
"""

from __future__ import annotations

import streamlit as st

from core.enums import child_level
from core.errors import DomainError
from ui import charts, state
from ui import cockpit_data as cd
from ui.data import data_version
from ui.i18n import day, show_error, t, term
from ui.setup import page_setup
from ui.theme import palette
from ui.widgets import drill_picker, month_header

#: Rows of the big-screen matrix that fit beside the map and trend at 1080 px (the rest: "+k more").
WALL_ROWS = 10

ctx = page_setup()
region, pal, v, big = ctx.region, palette(ctx.big_screen), data_version(), ctx.big_screen
period = month_header(ctx, t("page.cockpit"), "cockpit-period")
periods = cd.periods()
st.html(charts.tile_css(pal, big))

try:
    kpis = cd.period_kpis(ctx.scope, region.id, period, v)
    rank = cd.region_rank(ctx.scope, region.id, period, v)
    scores = cd.region_scores(ctx.scope, region.id, period, v)
except DomainError as e:
    show_error(e)
    st.stop()
for col, html in zip(st.columns(5), charts.kpi_tiles(kpis, rank), strict=True):
    col.markdown(html, unsafe_allow_html=True)
if not big:  # the wall's title bar shows 数据截至, and its alert flash already scrolls the overdue tasks
    st.caption(t("cockpit.caption", day=day(kpis["as_of_day"][0])))
    st.html(charts.ticker_html(cd.overdue_ticker(ctx.scope.narrow(region.id, region.level), 12, v)))


def _map(height: int) -> None:
    deck = charts.map_deck(cd.child_shapes(ctx.scope, region.id), scores, pal) if not scores.empty else None
    if deck is not None:
        st.subheader(t("cockpit.map_title"))
        sel = st.pydeck_chart(deck, height=height, on_select="rerun", selection_mode="single-object", key="cockpit-map")
        picked = (sel.selection.objects or {}).get("children") if sel and sel.selection else None
        if picked:
            state.set_region(str(picked[0]["code"]))
            st.rerun()


def _trend(height: int) -> None:
    trend = cd.kpi_trend(ctx.scope, region.id, tuple(periods[-12:]), v)
    if big:
        st.subheader(t("cockpit.trend_title"))
    st.plotly_chart(charts.trend_figure(trend, pal, big, height), width="stretch", theme=None, key="cockpit-trend")


def _wall() -> None:
    left, mid, right = st.columns([5, 3.3, 4.2])
    with left:
        st.subheader(matrix_title)
        st.html(charts.matrix_html(scores, pal, WALL_ROWS))
    with mid:
        st.html(charts.best_worst_html(scores, big=True))
    with right:
        _map(290)
        _trend(250)


def _desk() -> None:
    left, right = st.columns([3, 2])
    with left:
        st.subheader(matrix_title)
        st.html(charts.best_worst_html(scores))
        rows_px = min(360, 35 * (len(scores) + 1) + 3)  # no empty grid rows under a short list
        ev = st.dataframe(charts.matrix_frame(scores), hide_index=True, width="stretch", height=rows_px,
                          on_select="rerun", selection_mode="single-row", key="cockpit-matrix")
        if ev and ev.selection.rows:
            state.set_region(str(scores.iloc[ev.selection.rows[0]]["code"]))
            st.rerun()
    with right:
        _map(360)
        _trend(320)
    drill_picker(list(zip(scores["code"], scores["name"], strict=True)), key="drill-cockpit")
    st.caption(t("cockpit.drill_hint"))


matrix_title = t("cockpit.matrix_title", level=term("level", child_level(region.level)), n=len(scores))
if scores.empty:  # a village: nothing below it to rank
    st.info(t("cockpit.leaf", region=region.name))
    _trend(320)
else:
    (_wall if big else _desk)()
