"""村社档案: one village's whole record (profile, team, grids, tasks, appeals, diary, decisions, indicators)."""

from __future__ import annotations

import streamlit as st

from core.config import LIST_LIMITS
from core.errors import DomainError
from core.scope import Scope, ScopeError
from ui import data
from ui import village_data as vd
from ui.i18n import num, place, show_error, t, term
from ui.setup import page_setup
from ui.text import md
from ui.theme import palette
from ui.widgets import breadcrumb, drill_picker, sidebar_month_picker

ctx = page_setup()
pal = palette(ctx.big_screen)
period = sidebar_month_picker("leaders.period", "leader-period")
version = data.data_version()
region = ctx.region
if region.level != "village":
    st.title(t("page.heading", region=md(place(region.name)), title=t("page.village")))
    if region.level in LIST_LIMITS.wide_levels:  # thousands of villages: choose the county (or city) first
        st.caption(t("village.pick_area_first"))
        kids = data.children(ctx.scope, region.id)
        drill_picker([(c.code, c.name) for c in kids], key="village-area",
                     label=t("village.pick_area", level=term("level", kids[0].level)) if kids else None)
    else:
        options = [(str(i), n) for i, n in vd.villages(Scope(region.id, region.level))]
        drill_picker(options, key="village-pick", label=t("village.pick"))
    st.stop()

try:
    with st.spinner(t("village.computing")):
        rec = vd.record(ctx.scope, region.id, period, version)
except (DomainError, ScopeError) as err:
    show_error(err)
    st.stop()
st.title(t("page.heading", region=md(place(rec.name)), title=t("page.village")))
breadcrumb(ctx.scope, region)
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button(t("village.export_excel"), vd.excel_download(ctx.scope, region.id, period, version),
                   file_name=f"{rec.name}-{period}.xlsx", on_click="ignore", key="dl-xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
d2.download_button(t("village.print"), vd.html_download(ctx.scope, region.id, period, version),
                   file_name=f"{rec.name}-{period}.html", mime="text/html", on_click="ignore", key="dl-html")

left, right = st.columns([3, 2])
with left:
    profile = vd.section(rec, "profile")
    st.table(dict(zip(profile.iloc[:, 0], ([str(v)] for v in profile.iloc[:, 1]), strict=True)))
    c = st.columns(4)
    c[0].metric(t("village.open_tasks"), num(rec.task_counts["open"]))
    c[1].metric(t("village.overdue"), num(rec.task_counts["overdue"]))
    c[2].metric(t("village.done_12m"), num(rec.task_counts["done"]))
    if len(rec.team):
        sec = rec.team.iloc[0]
        c[3].metric(t("village.secretary_index", name=md(sec["person"])), num(sec["leader_index"], 2),
                    help=t("village.rule_help", version=sec["rule_version"]))
deck = vd.outline_deck(rec.boundary, pal)
if deck is not None:
    right.pydeck_chart(deck, height=260, key="village-outline")

tabs = st.tabs([term("section", k) for k in ("team", "grids", "tasks", "appeals", "diary", "decisions", "indicators")])
tabs[0].dataframe(vd.section(rec, "team"), hide_index=True, width="stretch")
if tabs[0].button(t("village.to_leaders"), key="to-leaders"):
    st.switch_page("pages/leaders.py", query_params={"region": region.code, "period": str(period)})
tabs[1].dataframe(vd.section(rec, "grids"), hide_index=True, width="stretch")
with tabs[2]:
    st.dataframe(vd.section(rec, "tasks"), hide_index=True, width="stretch", height=320)
    labels = {i: t("village.task_item", code=c, title=ti, status=term("task_status", s)) for i, c, ti, s in zip(
        rec.tasks["id"], rec.tasks["number"], rec.tasks["task"], rec.tasks["status"], strict=True)}
    with st.expander(t("village.timeline")):
        tid = st.selectbox(t("village.task"), list(labels), format_func=lambda i: labels[i], key="timeline-task") if labels else None
        if tid is not None:
            st.dataframe(vd.timeline_frame(vd.timeline(ctx.scope, int(tid), version)), hide_index=True, width="stretch")
tabs[3].dataframe(vd.section(rec, "appeals"), hide_index=True, width="stretch")
tabs[4].dataframe(vd.section(rec, "diary"), hide_index=True, width="stretch")
tabs[5].dataframe(vd.section(rec, "decisions"), hide_index=True, width="stretch")
with tabs[6]:
    scored = vd.module_scores(ctx.scope, region.id, period, version)
    if scored is not None:
        rank, modules = scored
        if rank.get("composite") is not None:
            st.caption(t("village.rank", score=num(rank["composite"], 1), rank=f"{rank['rank_in_parent']:.0f}",
                         n=rank["n_in_parent"], level_rank=f"{rank['rank_in_level']:.0f}", level_n=rank["n_in_level"]))
        st.dataframe(modules, hide_index=True, width="stretch")
    st.dataframe(vd.section(rec, "indicators"), hide_index=True, width="stretch", height=360)
