"""网格地图: the level below the region in view, coloured by a metric; click a unit for its card and drill down.

On the big screen (大屏) the page is the map wall (ui.wall_map): the map in the centre, legend and best/worst
beside it, the metric turning with the carousel; no pickers, toggles or card.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from core.errors import DomainError
from core.geo_layers import METRICS, POINT_DAYS, metrics_for, selected_code, view_level
from ui import data, map_data, state, wall_map
from ui import period as period_state
from ui.i18n import num, place, show_error, t, term
from ui.map_view import (
    MAP_HEIGHT,
    Layers,
    build_deck,
    card_html,
    legend_html,
    metric_label,
    points_legend_html,
    region_table,
)
from ui.setup import page_setup
from ui.text import md
from ui.theme import palette
from ui.widgets import breadcrumb, drill_picker, month_header

ctx = page_setup()
region, big, pal = ctx.region, ctx.big_screen, palette(ctx.big_screen)
as_of, version = period_state.as_of(), data.data_version()
period = period_state.current_period()
at_village = region.level == "village"
if big:
    try:
        wall_map.render(ctx, month_header(ctx, t("page.map"), "map-period"), as_of, version)
    except DomainError as e:
        show_error(e)
    st.stop()
st.title(t("page.heading", region=md(place(region.name)), title=t("page.map")))
breadcrumb(ctx.scope, region)

left, right = st.columns([3, 1], gap="medium")
keys = metrics_for(region.level)
metric = right.selectbox(t("map.metric"), keys, format_func=metric_label, key=f"map-metric-{at_village}")
opts = Layers()
if at_village:
    opts = Layers(appeals=right.toggle(t("map.appeals"), True, key="map-appeals"),
                  by_status=right.toggle(t("map.by_status"), False, key="map-by-status"),
                  overdue=right.toggle(t("map.overdue"), True, key="map-overdue"),
                  heat=right.toggle(t("map.heat"), False, key="map-heat"))

shapes = map_data.shapes(ctx.scope, region.id, region.level, version)
if shapes.empty:
    st.info(t("map.no_shapes", region=md(place(region.name)), level=term("level", view_level(region.level))))
    st.stop()
try:
    metrics = map_data.metrics(ctx.scope, region.id, region.level, period, as_of, version)
except DomainError as e:  # a scoring error is an error with its message, not a permanent "computing"
    show_error(e)
    st.stop()
table = region_table(shapes, metrics, metric, pal)
points = map_data.appeal_points(ctx.scope, region.id, as_of, version) if at_village else None
overdue = map_data.overdue_points(ctx.scope, region.id, as_of, version) if at_village else None
deck = build_deck(table, map_data.outline(ctx.scope, region.id, version), pal, big,
                  points=points, overdue=overdue, layers=opts)
with left:
    event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key=f"map-{region.code}",
                            height=MAP_HEIGHT[big])

right.html(legend_html(metrics[metric], metric, pal, big))
if at_village:
    right.html(points_legend_html(pal, opts.by_status, big))
    right.caption(t("map.points_caption", days=POINT_DAYS, n=num(0 if points is None else len(points))))

code = selected_code(event.selection if event else None)
if code:
    row = table[table["code"] == code].iloc[0]
    right.html(card_html(row, METRICS[metric]))
    target = code[:12]
    try:
        right.page_link("pages/cockpit.py", label=t("map.open_cockpit"), icon=":material/dashboard:", query_params=state.drill_params(target, period))
    except StreamlitAPIException:
        right.caption(t("map.cockpit_unavailable"))
    if len(code) == 12 and right.button(t("map.drill_here"), icon=":material/zoom_in:", type="primary", key="map-drill"):
        state.set_region(code)
        st.rerun()
else:
    right.caption(t("map.click_hint"))

if not at_village:
    options = list(table.drop_duplicates("code")[["code", "name"]].itertuples(index=False, name=None))
    with right:
            drill_picker(options, key=f"map-drill-{region.code}", label=t("common.drill_to_level", level=term("level", view_level(region.level))))
