"""领雁指数: secretaries of the region ranked with movement; pick one for radar, trend, contributions and records."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import DomainError
from core.scope import Scope, ScopeError
from ui import data
from ui import leader_data as ld
from ui.setup import page_setup
from ui.theme import palette
from ui.widgets import breadcrumb

ctx = page_setup()
pal = palette(ctx.big_screen)
period = ld.period_picker()
region = ctx.region
st.title(f"{region.name} · 领雁指数")
breadcrumb(ctx.scope, region)
version = data.data_version()

table = ld.ranked(Scope(region.id, region.level), period, version)
if table.empty:
    st.info(f"{region.name} 没有村党组织书记的数据。")
    st.stop()
st.caption(f"{len(table)} 位村（社区）书记，按 {period // 100}年{period % 100}月 领雁指数排名；变化为较上月名次。点击一行查看画像。")
event = st.dataframe(ld.ranked_display(table), hide_index=True, width="stretch", height=300,
                     on_select="rerun", selection_mode="single-row", key="leader-table")
rows = event.selection.rows if event and event.selection else []
names = dict(zip(table["person_id"], table["name"] + " · " + table["village_name"], strict=True))
ids = list(names)
if rows:
    st.session_state["leader-pick"] = int(table.iloc[rows[0]]["person_id"])
pid = st.selectbox("查看书记", ids, format_func=lambda i: names.get(i, str(i)), key="leader-pick")
village_id = int(table.loc[table["person_id"] == pid, "village_id"].iloc[0])

try:
    ex = ld.explain(ctx.scope, int(pid), period, village_id, version)
except (DomainError, ScopeError) as err:
    st.error(str(err))
    st.stop()

st.subheader(f"{ex.name} · {ex.village_name}")
c = st.columns(5)
c[0].metric("领雁指数", f"{ex.index:.2f}")
c[1].metric("县内百分位", "—" if ex.pct_county is None else f"{ex.pct_county:.0f}%")
c[2].metric("镇内百分位", "—" if ex.pct_township is None else f"{ex.pct_township:.0f}%")
c[3].metric("以事识人得分", "—" if pd.isna(ex.cadre_score) else f"{ex.cadre_score:.2f}")
c[4].metric("规则版本", ex.rule_version.replace(str(ex.village_id // 1000 * 1000), "本镇"), help=ex.rule_version)
left, mid, right = st.columns(3)
left.plotly_chart(ld.radar(ex, pal), width="stretch", key="leader-radar")
mid.plotly_chart(ld.waterfall(ex, pal), width="stretch", key="leader-waterfall")
right.plotly_chart(ld.trend(ex, pal), width="stretch", key="leader-trend")

dims = {d.label: d for d in ex.dimensions}
pick = st.segmented_control("查看维度依据", list(dims) + ["以事识人得分"], default=list(dims)[0], key="leader-dim")
parts = ex.cadre_contributions if pick == "以事识人得分" else dims[pick or list(dims)[0]].contributions
st.dataframe(ld.contributions_table(parts), hide_index=True, width="stretch")
for p in parts:
    if p.records:
        with st.expander(f"{p.label} · {len(p.records)} 条记录"):
            st.dataframe(ld.records(ctx.scope, p.record_kind, p.records), hide_index=True, width="stretch")

st.markdown(f"**考核规则 {ex.rule_version}**（按月份与所属乡镇生效的版本，因镇制宜）")
if ex.rule_diff:
    st.dataframe(ld.rule_diff_display(ex.rule_diff), hide_index=True)
else:
    st.caption("与默认规则一致。")
if st.button("🏘️ 打开该村社档案", key="to-village"):
    st.switch_page("pages/village.py", query_params={"region": str(village_id), "period": str(period)})
