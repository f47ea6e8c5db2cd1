"""任务督办: near-due, overdue and escalated tasks of the region in view, one-click 催办, timeline, 过筛 report.

On the big screen (大屏) the page is the tasks wall (ui.wall_tasks): counts, overdue by region, the
longest-overdue tasks rotating and 催办 counts; no filters, table or export.
"""

from __future__ import annotations

import streamlit as st

from core.config import LIST_LIMITS, get_settings
from core.enums import Module, TaskCategory
from core.errors import DomainError
from core.scope import Scope, ScopeError
from core.task_alerts import AlertFilters
from ui import data, wall_tasks
from ui import period as period_state
from ui import tasks_data as td
from ui.i18n import day, num, place, show_error, t, term
from ui.setup import page_setup
from ui.text import md
from ui.widgets import as_of_picker, breadcrumb, month_header

ctx = page_setup()
region = ctx.region
view = Scope(region.id, region.level)
version = data.data_version()
if ctx.big_screen:
    month_header(ctx, t("page.tasks"), "tasks-period")
    wall_tasks.render(ctx, period_state.as_of(), version)
    st.stop()
as_of = as_of_picker("tasks.as_of_picker", "tasks-as-of")
actor = td.acting_user(ctx, view)
st.title(t("page.heading", region=md(place(region.name)), title=t("page.tasks")))
breadcrumb(ctx.scope, region)
st.caption(t("tasks.caption", day=day(as_of), actor=td.actor_label(actor)))
for kind, message in st.session_state.pop("tasks-flash", []):
    (st.success if kind == "ok" else st.error)(message)

n, rules = td.counts(view, as_of, version), get_settings().alert_rules
c = st.columns(4)
c[0].metric(t("tasks.near_due"), num(n["near_due"]), help=t("tasks.near_due_help", days=rules.remind_days_before))
c[1].metric(t("tasks.overdue"), num(n["overdue"] + n["town"] + n["county"]))
c[2].metric(t("tasks.to_town"), num(n["town"]), help=t("tasks.to_town_help", days=rules.escalate_town_after))
c[3].metric(t("tasks.to_county"), num(n["county"]), help=t("tasks.to_county_help", days=rules.escalate_county_after))
mode = st.segmented_control(t("tasks.view"), [*td.VIEWS, "screening"], default="overdue", key="tasks-view",
                            format_func=lambda v: t(f"tasks.view.{v}")) or "overdue"
mode_label = t(f"tasks.view.{mode}")
if mode == "screening":
    start, _ = period_state.data_window()
    with st.spinner(t("tasks.screening_computing")):
        report = td.screening_report(view, start, as_of, version)
    td.render_screening(report, start, as_of)
    st.stop()

opts = td.options(view, version)
everyone = t("common.all")  # once: format_func runs per option (thousands of villages)
f = st.columns([1, 1, 2, 2, 1])
module = f[0].selectbox(t("tasks.filter_module"), ["", *map(str, Module)], key="f-module",
                        format_func=lambda m: term("module", m) if m else t("common.all"))
category = f[1].selectbox(t("tasks.filter_category"), ["", *map(str, TaskCategory)], key="f-category",
                          format_func=lambda c: term("task_category", c) if c else t("common.all"))
owners = dict(opts["owners"])
wide = t("tasks.filter_drill") if view.level in LIST_LIMITS.wide_levels else None  # no pick lists of ~24,000 villages
owner = f[2].selectbox(t("tasks.filter_owner"), [0, *owners], format_func=lambda o: owners.get(o, everyone), key="f-owner",
                       disabled=wide is not None, help=wide)
villages = dict(opts["villages"])
village = f[3].selectbox(t("tasks.filter_village"), [0, *villages], format_func=lambda v: villages.get(v, everyone),
                         key="f-village", disabled=wide is not None, help=wide)
min_days = f[4].number_input(t("tasks.filter_days"), min_value=0, max_value=365, value=0, step=1, key="f-days")
filters = AlertFilters(levels=td.VIEWS[mode], module=module or None, category=category or None,
                       owner_id=owner or None, village_id=village or None,
                       min_days_overdue=int(min_days) or None)
with st.spinner(t("tasks.computing")):
    df = td.alerts(view, as_of, filters, version, td.PAGE_ROWS + 1)
if df.empty:
    st.info(t("tasks.none", region=md(place(region.name)), day=day(as_of), view=mode_label))
    st.stop()

shown = df.head(td.PAGE_ROWS)
top = st.columns([4, 1])
top[0].caption(t("tasks.count", n=num(len(df))) if len(df) <= td.PAGE_ROWS
               else t("tasks.count_capped", limit=td.PAGE_ROWS))
name = t("tasks.export_name", region=place(region.name), view=mode_label, day=as_of)
if len(df) <= td.PAGE_ROWS or st.session_state.get("tasks-export") == (view, as_of, filters):
    full = df if len(df) <= td.PAGE_ROWS else td.alerts(view, as_of, filters, version)
    top[1].download_button(t("tasks.export"), td.excel(full, t("tasks.sheet", view=mode_label)), file_name=name, mime=td.XLSX,
                           on_click="ignore", key="tasks-xlsx")
elif top[1].button(t("tasks.export_prepare"), key="tasks-export-prep"):
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
# The label holds only what never changes: the browser keeps an unchanged option's old label, so a
# count in it would still read the old number after 催办 (the count is in the table and the details).
codes = {i: t("tasks.pick_item", code=c, title=ti) for i, c, ti in zip(ids, shown["code"], shown["title"], strict=True)}
task_id = st.selectbox(t("tasks.pick_label"), ids, format_func=codes.get, key="task-pick")


u = st.columns([4, 1], vertical_alignment="bottom")
u[0].text_input(t("tasks.note"), key="urge-note", placeholder=t("tasks.note_placeholder"))
u[1].button(t("tasks.urge"), key="urge-btn", type="primary", disabled=actor is None, on_click=td.urge_clicked,
            args=(actor, task_id, codes[task_id].split(" · ")[0], "urge-note", as_of), width="stretch")
try:
    td.render_detail(td.detail(view, task_id, version))
except (DomainError, ScopeError) as err:
    show_error(err)
