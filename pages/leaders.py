"""领雁指数: secretaries of the region ranked with movement; pick one for radar, trend, contributions and records.

On the big screen (大屏) the page is the leaders wall (ui.wall_leaders): top and bottom with movement, the
distribution by region and one secretary's radar at a time; no table, pickers or drill-down.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import DomainError
from core.scope import Scope, ScopeError
from ui import data, wall_leaders
from ui import leader_data as ld
from ui.i18n import lang, month, num, person, place, show_error, t
from ui.setup import page_setup
from ui.text import md
from ui.widgets import breadcrumb, month_header, sidebar_month_picker

ctx = page_setup()
if ctx.big_screen:
    wall_leaders.render(ctx, month_header(ctx, t("page.leaders"), "leader-period"), data.data_version())
    st.stop()
period = sidebar_month_picker("leaders.period", "leader-period")
region = ctx.region
st.title(t("page.heading", region=md(place(region.name)), title=t("page.leaders")))
breadcrumb(ctx.scope, region)
version = data.data_version()

with st.spinner(t("leaders.computing")):
    table, display, labels = ld.ranked_view(Scope(region.id, region.level), period, version, lang())
if table.empty:
    st.info(t("leaders.none", region=md(place(region.name))))
    st.stop()
st.caption(t("leaders.caption", n=num(len(table)), month=month(period)))
event = st.dataframe(display, hide_index=True, width="stretch", height=300, column_config=ld.ranked_columns(),
                     on_select="rerun", selection_mode="single-row", key="leader-table")
rows = event.selection.rows if event and event.selection else []
if rows:
    st.session_state["leader-pick"] = int(table.iloc[rows[0]]["person_id"])
ids, names = ld.pick_list(table, labels, st.session_state.get("leader-pick"))
pid = st.selectbox(t("leaders.pick"), ids, format_func=lambda i: names.get(i, str(i)), key="leader-pick")
village_id = int(table.loc[table["person_id"] == pid, "village_id"].iloc[0])

try:
    with st.spinner(t("leaders.computing")):
        ex = ld.explain(ctx.scope, int(pid), period, village_id, version)
except (DomainError, ScopeError) as err:
    show_error(err)
    st.stop()

st.subheader(f"{md(person(ex.name))} · {md(place(ex.village_name))}")
c = st.columns(5)
c[0].metric(t("leaders.index"), num(ex.index, 2))
c[1].metric(t("leaders.pct_county"), "—" if ex.pct_county is None else f"{num(ex.pct_county)}%")
c[2].metric(t("leaders.pct_township"), "—" if ex.pct_township is None else f"{num(ex.pct_township)}%")
c[3].metric(t("leaders.cadre_score"), "—" if pd.isna(ex.cadre_score) else num(ex.cadre_score, 2))
c[4].metric(t("leaders.rule_version"), ex.rule_version.replace(str(ex.village_id // 1000 * 1000), t("leaders.this_town")),
            help=ex.rule_version)
left, mid, right = st.columns(3)
radar, waterfall, trend = ld.figures(ctx.scope, int(pid), period, village_id, version, lang(), ctx.big_screen)
left.plotly_chart(radar, width="stretch", key="leader-radar")
mid.plotly_chart(waterfall, width="stretch", key="leader-waterfall")
right.plotly_chart(trend, width="stretch", key="leader-trend")

dims = {d.key: d for d in ex.dimensions}
pick = st.segmented_control(t("leaders.dimension_pick"), [*dims, "cadre"], default=next(iter(dims)), key="leader-dim",
                            format_func=lambda k: t("leaders.cadre_score") if k == "cadre" else ld.part_label(k, k))
parts = ex.cadre_contributions if pick == "cadre" else dims[pick or next(iter(dims))].contributions
parts = ld.with_records(ctx.scope, int(pid), period, parts, version)
st.dataframe(ld.contributions_table(parts), hide_index=True, width="stretch")
for p in parts:
    if p.records:
        with st.expander(t("leaders.records", label=ld.part_label(p.code, p.label), n=len(p.records))):
            st.dataframe(ld.records(ctx.scope, p.record_kind, p.records, lang()), hide_index=True, width="stretch")

st.markdown(t("leaders.rule_title", version=md(ex.rule_version)))
if ex.rule_diff:
    st.dataframe(ld.rule_diff_display(ex.rule_diff), hide_index=True)
else:
    st.caption(t("leaders.rule_default"))
if st.button(t("leaders.open_village"), key="to-village"):
    st.switch_page("pages/village.py", query_params={"region": str(village_id), "period": str(period)})
