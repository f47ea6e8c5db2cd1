"""排名: full ranking of the children per module or composite, with movement, trend, why-this-rank and export."""

from __future__ import annotations

import streamlit as st

from core.errors import DomainError
from ui import charts, state
from ui import cockpit_data as cd
from ui.data import data_version
from ui.setup import page_setup
from ui.widgets import drill_picker, month_header

ctx = page_setup()
region, v = ctx.region, data_version()
period = month_header(ctx, "排名", "rank-period")
periods = cd.periods()

module = st.segmented_control("榜单", list(charts.SCORE_LABELS), format_func=charts.SCORE_LABELS.get,
                              default="composite", key="rank-module") or "composite"
try:
    scores = cd.region_scores(ctx.scope, region.id, period, v)
    history = cd.score_history(ctx.scope, region.id, tuple(periods[-12:]), v) if not scores.empty else None
except DomainError as e:
    st.error(str(e))
    st.stop()
if scores.empty:
    st.info(f"{region.name} 没有下级区域可排名。请通过面包屑返回上级。")
    st.stop()

table = charts.ranking_frame(scores, module, history)
label = charts.SCORE_LABELS[module]
ev = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                  key=f"rank-table-{module}", column_config={
                      "近12月走势": st.column_config.LineChartColumn("近12月走势", y_min=0, y_max=100),
                      label: st.column_config.NumberColumn(label, help="0–100，同级全部区域间归一化后加权", format="%.1f")})
d1, d2, _ = st.columns([1, 1, 4])
stem = f"{region.name}-{label}-{period}"
d1.download_button("⬇️ 导出 Excel", charts.excel_bytes(table), f"{stem}.xlsx", key="dl-xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
d2.download_button("⬇️ 导出 CSV", charts.csv_bytes(table), f"{stem}.csv", mime="text/csv", key="dl-csv")
if ev and ev.selection.rows:
    state.set_region(str(table.iloc[ev.selection.rows[0]]["代码"]))
    st.rerun()

st.subheader("为什么是这个名次？")
names = dict(zip(scores["region_id"], scores["name"], strict=True))
rid = st.selectbox("选择区域", list(names), format_func=names.get, key="why-region")
why = cd.explain(ctx.scope, rid, period, None if module == "composite" else module, v)
st.dataframe(charts.explain_frame(why, module), hide_index=True, width="stretch")
st.caption("得分 = (原始值 − 同级最小) ÷ (同级最大 − 同级最小) × 100（越低越好的指标反向）；"
           "数据不足（分母低于最小样本数）的指标不参与计算，其余权重按比例放大。")
drill_picker(list(zip(scores["code"], scores["name"], strict=True)), key="drill-rankings")
