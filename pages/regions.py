"""区划浏览: the region tree with counts; click a row (or pick a name) to drill down."""

from __future__ import annotations

import streamlit as st

from core.enums import child_level
from ui import data, state
from ui.i18n import headers, num, place, t, term
from ui.setup import page_setup
from ui.text import md
from ui.widgets import breadcrumb, drill_picker

ctx = page_setup()
region = ctx.region
st.title(t("page.heading", region=md(place(region.name)), title=t("page.regions")))
breadcrumb(ctx.scope, region)

table = data.child_summary(ctx.scope, region.id, data.data_version())
sub = child_level(region.level)
sub_label = term("level", sub or "grid")
if table.empty:
    st.info(t("regions.none", region=md(place(region.name)), level=sub_label))
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric(t("regions.units", level=sub_label), num(len(table)))
if "villages" in table and table["villages"].notna().any():
    c2.metric(t("regions.villages"), num(int(table["villages"].fillna(0).sum())))
c3.metric(t("regions.grids"), num(int(table["grids"].sum()) if "grids" in table else len(table)))
c4.metric(t("regions.open_tasks"), num(int(table["open_tasks"].sum())))

labels = {"code": "col.region_code", "name": "col.name", "townships": "col.townships", "villages": "col.villages",
          "grids": "col.grids", "people": "col.people", "households": "col.households", "open_tasks": "col.open_tasks",
          "population": "col.population", "worker": "col.grid_worker"}
shown = table.drop(columns=[c for c in ("level",) if c in table]).dropna(axis=1, how="all")
event = st.dataframe(headers(shown, labels), hide_index=True, width="stretch",
                     on_select="rerun", selection_mode="single-row", key="children")
if sub is not None:
    rows = event.selection.rows if event and event.selection else []
    if rows:
        state.set_region(str(table.iloc[rows[0]]["code"]))
        st.rerun()
    drill_picker(list(zip(table["code"], table["name"], strict=True)), key="drill-regions")
    st.caption(t("regions.drill_hint"))
