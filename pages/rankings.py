"""排名: full ranking of the children per module or composite, with movement, trend, why-this-rank and export.

On the big screen (大屏) the ranking is a dark four-module table in two side-by-side halves that fit
1920×1080; the board picker, exports and the why-this-rank drill are desk tools and stay off the wall.
"""

from __future__ import annotations

import streamlit as st

from core.enums import child_level
from core.errors import DomainError
from ui import charts, state, wall
from ui import cockpit_data as cd
from ui import period as period_state
from ui.data import data_version
from ui.i18n import place, show_error, t, term
from ui.records_view import show_records
from ui.setup import page_setup
from ui.text import md
from ui.theme import palette
from ui.widgets import drill_picker, month_header, stamp_text

#: Rows per half of the big-screen table that fit under the title bar at 1080 px.
WALL_ROWS = 17

ctx = page_setup()
region, v = ctx.region, data_version()
period = month_header(ctx, t("page.rankings"), "rank-period")
periods = period_state.available_periods()
if not ctx.big_screen:  # the wall's title bar shows it (ui.chrome)
    st.caption(stamp_text(cd.score_stamp(period, v)))

module = "composite" if ctx.big_screen else st.segmented_control(
    t("rankings.board"), list(charts.SCORE_KEYS), format_func=charts.score_label, default="composite",
    key="rank-module") or "composite"
try:
    scores = cd.region_scores(ctx.scope, region.id, period, v, short=ctx.big_screen)
    history = None
    if not scores.empty and not ctx.big_screen:
        history = cd.score_history(ctx.scope, region.id, tuple(periods[-12:]), v)
except DomainError as e:
    show_error(e)
    st.stop()
if scores.empty:
    st.info(t("rankings.leaf", region=md(place(region.name))))
    st.stop()

if ctx.big_screen:  # two halves side by side; a longer ranking takes turns, 2 × WALL_ROWS at a time
    pal, ordered = palette(True), charts.ranked(scores)
    title = t("cockpit.matrix_title", level=term("level", child_level(region.level)), n=len(scores))
    per = 2 * WALL_ROWS
    turns = []
    for i in range(0, len(ordered), per):
        first, rest = ordered.iloc[i:i + WALL_ROWS], ordered.iloc[i + WALL_ROWS:i + per]
        halves = [charts.matrix_html(first, pal, WALL_ROWS)] + ([charts.matrix_html(rest, pal, WALL_ROWS)] if len(rest) else [])
        turns.append("<div style='display:grid;grid-template-columns:1fr 1fr;gap:12px'>"
                     + "".join(f"<div>{h}</div>" for h in halves) + "</div>")
    wall.show(wall.board("1fr", [wall.panel(title, wall.rotate(turns))]), "wall-rankings", pal)
    st.stop()

table = charts.ranking_frame(scores, module, history)
label, trend_col = charts.score_label(module), t("col.trend12")
ev = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                  key=f"rank-table-{module}", column_config={
                      trend_col: st.column_config.LineChartColumn(trend_col, y_min=0, y_max=100),
                      label: st.column_config.NumberColumn(label, help=t("rankings.score_help"), format="%.1f")})
d1, d2, _ = st.columns([1, 1, 4])
stem = f"{region.name}-{label}-{period}"
d1.download_button(t("common.export_excel"), charts.excel_bytes(table), f"{stem}.xlsx", key="dl-xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
d2.download_button(t("common.export_csv"), charts.csv_bytes(table), f"{stem}.csv", mime="text/csv", key="dl-csv")
if ev and ev.selection.rows:
    state.set_region(str(table.iloc[ev.selection.rows[0]][t("col.code")]))
    st.rerun()

st.subheader(t("rankings.why"))
names = dict(zip(scores["region_id"], scores["name"], strict=True))
rid = st.selectbox(t("rankings.pick_region"), list(names), format_func=names.get, key="why-region")
why = cd.explain(ctx.scope, rid, period, None if module == "composite" else module, v)
st.dataframe(charts.explain_frame(why, module), hide_index=True, width="stretch")
st.caption(t("rankings.formula"))
if child_level(region.level) == "village":  # the drill ends at the records a village's indicator counts
    show_records(ctx.scope, names, rid, module, period, v)
else:
    st.caption(t("records.villages_only"))
drill_picker(list(zip(scores["code"], scores["name"], strict=True)), key="drill-rankings")
