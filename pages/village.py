"""村社档案: one village's whole record (profile, team, grids, tasks, appeals, diary, decisions, indicators)."""

from __future__ import annotations

import streamlit as st

from core.errors import DomainError
from core.scope import Scope, ScopeError
from core.village_record import SECTION_LABEL
from ui import data
from ui import leader_data as ld
from ui.setup import page_setup
from ui.theme import palette
from ui.widgets import breadcrumb, drill_picker

ctx = page_setup()
pal = palette(ctx.big_screen)
period = ld.period_picker()
version = data.data_version()
region = ctx.region
if region.level != "village":
    st.title(f"{region.name} · 村社档案")
    options = [(str(i), n) for i, n in ld.villages(Scope(region.id, region.level))]
    drill_picker(options, key="village-pick", label="选择村（社区）")
    st.stop()

try:
    rec = ld.record(ctx.scope, region.id, period, version)
except (DomainError, ScopeError) as err:
    st.error(str(err))
    st.stop()
st.title(f"{rec.name} · 村社档案")
breadcrumb(ctx.scope, region)
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button("📥 导出 Excel", ld.excel_download(ctx.scope, region.id, period, version),
                   file_name=f"{rec.name}-{period}.xlsx", on_click="ignore", key="dl-xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
d2.download_button("🖨️ 打印简报", ld.html_download(ctx.scope, region.id, period, version),
                   file_name=f"{rec.name}-{period}.html", mime="text/html", on_click="ignore", key="dl-html")

left, right = st.columns([3, 2])
with left:
    st.table({k: [str(v)] for k, v in rec.profile.items()})
    c = st.columns(4)
    c[0].metric("在办任务", rec.task_counts["open"])
    c[1].metric("逾期任务", rec.task_counts["overdue"])
    c[2].metric("近12月办结", rec.task_counts["done"])
    if len(rec.team):
        sec = rec.team.iloc[0]
        c[3].metric(f"书记 {sec['姓名']} 领雁指数", f"{sec['领雁指数']:.2f}", help=f"规则版本 {sec['规则版本']}")
deck = ld.outline_deck(rec.boundary, pal)
if deck is not None:
    right.pydeck_chart(deck, height=260, key="village-outline")

tabs = st.tabs([SECTION_LABEL[k] for k in ("team", "grids", "tasks", "appeals", "diary", "decisions", "indicators")])
tabs[0].dataframe(rec.team.drop(columns="person_id"), hide_index=True, width="stretch")
if tabs[0].button("🪁 查看书记领雁指数画像", key="to-leaders"):
    st.switch_page("pages/leaders.py", query_params={"region": region.code, "period": str(period)})
tabs[1].dataframe(rec.grids, hide_index=True, width="stretch")
with tabs[2]:
    st.dataframe(rec.tasks.drop(columns="id"), hide_index=True, width="stretch", height=320)
    labels = dict(zip(rec.tasks["id"], rec.tasks["编号"] + " " + rec.tasks["任务"] + "（" + rec.tasks["状态"] + "）", strict=True))
    with st.expander("🕒 任务留痕（时间线）"):
        tid = st.selectbox("任务", list(labels), format_func=lambda i: labels[i], key="timeline-task") if labels else None
        if tid is not None:
            st.dataframe(ld.timeline(ctx.scope, int(tid), version), hide_index=True, width="stretch")
tabs[3].dataframe(rec.appeals, hide_index=True, width="stretch")
tabs[4].dataframe(rec.diary, hide_index=True, width="stretch")
tabs[5].dataframe(rec.decisions.drop(columns="id"), hide_index=True, width="stretch")
with tabs[6]:
    scored = ld.module_scores(ctx.scope, region.id, period, version)
    if scored is not None:
        rank, modules = scored
        if rank.get("composite") is not None:
            st.caption(f"综合得分 {rank['composite']:.1f}，镇内第 {rank['rank_in_parent']:.0f}/{rank['n_in_parent']} 名，"
                       f"全级第 {rank['rank_in_level']:.0f}/{rank['n_in_level']} 名")
        st.dataframe(modules, hide_index=True, width="stretch")
    st.dataframe(rec.indicators, hide_index=True, width="stretch", height=360)
