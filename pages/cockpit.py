"""驾驶舱 (home): KPI tiles, 四大模块 ranking matrix, trends, map and overdue ticker for the region in view."""

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

ctx = page_setup()
region, pal, v = ctx.region, palette(ctx.big_screen), data_version()
period = month_header(ctx, t("page.cockpit"), "cockpit-period")
periods = cd.periods()
st.html(charts.tile_css(pal, ctx.big_screen))

try:
    kpis = cd.period_kpis(ctx.scope, region.id, period, v)
    rank = cd.region_rank(ctx.scope, region.id, period, v)
    scores = cd.region_scores(ctx.scope, region.id, period, v)
except DomainError as e:
    show_error(e)
    st.stop()
for col, html in zip(st.columns(5), charts.kpi_tiles(kpis, rank), strict=True):
    col.markdown(html, unsafe_allow_html=True)
st.caption(t("cockpit.caption", day=day(kpis["as_of_day"][0])))
st.html(charts.ticker_html(cd.overdue_ticker(ctx.scope.narrow(region.id, region.level), 12, v)))

sub = child_level(region.level)
left, right = st.columns([3, 2])
with left:
    if scores.empty:
        st.info(t("cockpit.leaf", region=region.name))
    else:
        st.subheader(t("cockpit.matrix_title", level=term("level", sub), n=len(scores)))
        st.html(charts.best_worst_html(scores))
        ev = st.dataframe(charts.matrix_frame(scores), hide_index=True, width="stretch", height=360,
                          on_select="rerun", selection_mode="single-row", key="cockpit-matrix")
        if ev and ev.selection.rows:
            state.set_region(str(scores.iloc[ev.selection.rows[0]]["code"]))
            st.rerun()
with right:
    deck = charts.map_deck(cd.child_shapes(ctx.scope, region.id), scores, pal) if not scores.empty else None
    if deck is not None:
        st.subheader(t("cockpit.map_title"))
        sel = st.pydeck_chart(deck, height=360, on_select="rerun", selection_mode="single-object", key="cockpit-map")
        picked = (sel.selection.objects or {}).get("children") if sel and sel.selection else None
        if picked:
            state.set_region(str(picked[0]["code"]))
            st.rerun()
    trend = cd.kpi_trend(ctx.scope, region.id, tuple(periods[-12:]), v)
    st.plotly_chart(charts.trend_figure(trend, pal, ctx.big_screen), width="stretch", key="cockpit-trend")

if not scores.empty:
    drill_picker(list(zip(scores["code"], scores["name"], strict=True)), key="drill-cockpit")
    st.caption(t("cockpit.drill_hint"))
