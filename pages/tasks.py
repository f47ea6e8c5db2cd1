"""任务督办: near-due, overdue and escalated tasks of the region in view, one-click 催办, timeline, 过筛 report."""

from __future__ import annotations

import streamlit as st

from core.alerts import AlertFilters
from core.enums import MODULE_LABEL, TASK_CATEGORY_LABEL
from core.errors import DomainError
from core.scope import Scope, ScopeError
from ui import data
from ui import tasks_data as td
from ui.setup import page_setup
from ui.widgets import breadcrumb

ctx = page_setup()
region = ctx.region
view = Scope(region.id, region.level)
version = data.data_version()
as_of = td.as_of_picker()
actor = td.acting_user(ctx, view)
st.title(f"{region.name} · 任务督办")
breadcrumb(ctx.scope, region)
st.caption(f"数据截至 {as_of:%Y-%m-%d} · 当前督办人：{td.actor_label(actor)}")
for kind, message in st.session_state.pop("tasks-flash", []):
    (st.success if kind == "ok" else st.error)(message)

n = td.counts(view, as_of, version)
c = st.columns(4)
c[0].metric("临期", f"{n['near_due']:,}", help="办理期限在 2 天内（含当天）")
c[1].metric("逾期", f"{n['overdue'] + n['town'] + n['county']:,}")
c[2].metric("升级至镇", f"{n['town']:,}", help="逾期超过 3 天，升级到镇分管领导")
c[3].metric("升级至县", f"{n['county']:,}", help="逾期超过 7 天，升级到县")
mode = st.segmented_control("视图", [*td.VIEWS, "过筛报告"], default="逾期", key="tasks-view") or "逾期"
if mode == "过筛报告":
    start, _ = td.window()
    td.render_screening(td.screening_report(view, start, as_of, version), start, as_of)
    st.stop()

opts = td.options(view, version)
f = st.columns([1, 1, 2, 2, 1])
module = f[0].selectbox("模块", ["", *MODULE_LABEL], format_func=lambda m: MODULE_LABEL.get(m, "全部"), key="f-module")
category = f[1].selectbox("类别", ["", *TASK_CATEGORY_LABEL], format_func=lambda c: TASK_CATEGORY_LABEL.get(c, "全部"),
                          key="f-category")
owners = dict(opts["owners"])
owner = f[2].selectbox("责任人", [0, *owners], format_func=lambda o: owners.get(o, "全部"), key="f-owner")
villages = dict(opts["villages"])
village = f[3].selectbox("村社", [0, *villages], format_func=lambda v: villages.get(v, "全部"), key="f-village")
min_days = f[4].number_input("逾期≥天", min_value=0, max_value=365, value=0, step=1, key="f-days")
filters = AlertFilters(levels=td.VIEWS[mode], module=module or None, category=category or None,
                       owner_id=owner or None, village_id=village or None,
                       min_days_overdue=int(min_days) or None)
df = td.alerts(view, as_of, filters, version, td.PAGE_ROWS + 1)
if df.empty:
    st.info(f"{region.name} 在 {as_of:%Y-%m-%d} 没有符合条件的{mode}任务。")
    st.stop()

shown = df.head(td.PAGE_ROWS)
top = st.columns([4, 1])
top[0].caption(f"共 {len(df):,} 条，按紧急程度排序" if len(df) <= td.PAGE_ROWS
               else f"超过 {td.PAGE_ROWS} 条：表中为最紧急的 {td.PAGE_ROWS} 条，导出包含全部")
name = f"{region.name}-{mode}任务-{as_of}.xlsx"
if len(df) <= td.PAGE_ROWS or st.session_state.get("tasks-export") == (view, as_of, filters):
    full = df if len(df) <= td.PAGE_ROWS else td.alerts(view, as_of, filters, version)
    top[1].download_button("导出 Excel", td.excel(full, f"{mode}任务"), file_name=name, mime=td.XLSX,
                           on_click="ignore", key="tasks-xlsx")
elif top[1].button("准备导出（全部）", key="tasks-export-prep"):
    st.session_state["tasks-export"] = (view, as_of, filters)
    st.rerun()
event = st.dataframe(td.table(shown), hide_index=True, width="stretch", on_select="rerun",
                     selection_mode="single-row", key="alerts-table", height=420)
ids = [int(i) for i in shown["task_id"]]
rows = event.selection.rows if event and event.selection else []
if rows:
    st.session_state["task-pick"] = ids[rows[0]]
if st.session_state.get("task-pick") not in ids:
    st.session_state.pop("task-pick", None)
codes = dict(zip(ids, shown["code"] + " · " + shown["title"] + " · 催办 " + shown["urge_count"].astype(str) + " 次",
                 strict=True))
task_id = st.selectbox("选中任务（点击表格中的一行）", ids, format_func=codes.get, key="task-pick")


u = st.columns([4, 1], vertical_alignment="bottom")
u[0].text_input("催办说明（可选）", key="urge-note", placeholder="例如：请于本周五前办结并上传佐证材料")
u[1].button("催办", key="urge-btn", type="primary", disabled=actor is None, on_click=td.urge_clicked,
            args=(actor, task_id, codes[task_id].split(" · ")[0], "urge-note", as_of), width="stretch")
try:
    td.render_detail(td.detail(view, task_id, version))
except (DomainError, ScopeError) as err:
    st.error(str(err))
