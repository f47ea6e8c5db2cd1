"""村社档案: one village's whole record (profile, team, grids, tasks, appeals, diary, decisions, indicators)."""

from __future__ import annotations

import streamlit as st

from core.config import LIST_LIMITS
from core.errors import DomainError
from core.scope import Scope, ScopeError
from ui import data
from ui import leader_data as ld
from ui.i18n import core_frame, header, num, show_error, t, term, vocab, zh_col
from ui.setup import page_setup
from ui.theme import palette
from ui.widgets import breadcrumb, drill_picker, sidebar_month_picker

ctx = page_setup()
pal = palette(ctx.big_screen)
period = sidebar_month_picker("leaders.period", "leader-period")
version = data.data_version()
region = ctx.region
if region.level != "village":
    st.title(t("page.heading", region=region.name, title=t("page.village")))
    if region.level in LIST_LIMITS.wide_levels:  # thousands of villages: choose the county (or city) first
        st.caption(t("village.pick_area_first"))
        kids = data.children(ctx.scope, region.id)
        drill_picker([(c.code, c.name) for c in kids], key="village-area",
                     label=t("village.pick_area", level=term("level", kids[0].level)) if kids else None)
    else:
        options = [(str(i), n) for i, n in ld.villages(Scope(region.id, region.level))]
        drill_picker(options, key="village-pick", label=t("village.pick"))
    st.stop()

try:
    with st.spinner(t("village.computing")):
        rec = ld.record(ctx.scope, region.id, period, version)
except (DomainError, ScopeError) as err:
    show_error(err)
    st.stop()
st.title(t("page.heading", region=rec.name, title=t("page.village")))
breadcrumb(ctx.scope, region)
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button(t("village.export_excel"), ld.excel_download(ctx.scope, region.id, period, version),
                   file_name=f"{rec.name}-{period}.xlsx", on_click="ignore", key="dl-xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
d2.download_button(t("village.print"), ld.html_download(ctx.scope, region.id, period, version),
                   file_name=f"{rec.name}-{period}.html", mime="text/html", on_click="ignore", key="dl-html")

left, right = st.columns([3, 2])
with left:
    st.table({header(k): [str(vocab(v))] for k, v in rec.profile.items()})
    c = st.columns(4)
    c[0].metric(t("village.open_tasks"), num(rec.task_counts["open"]))
    c[1].metric(t("village.overdue"), num(rec.task_counts["overdue"]))
    c[2].metric(t("village.done_12m"), num(rec.task_counts["done"]))
    if len(rec.team):
        sec = rec.team.iloc[0]
        c[3].metric(t("village.secretary_index", name=sec[zh_col("col.person")]), num(sec[zh_col("col.leader_index")], 2),
                    help=t("village.rule_help", version=sec[zh_col("col.rule_version")]))
deck = ld.outline_deck(rec.boundary, pal)
if deck is not None:
    right.pydeck_chart(deck, height=260, key="village-outline")

tabs = st.tabs([term("section", k) for k in ("team", "grids", "tasks", "appeals", "diary", "decisions", "indicators")])
tabs[0].dataframe(core_frame(rec.team.drop(columns="person_id")), hide_index=True, width="stretch")
if tabs[0].button(t("village.to_leaders"), key="to-leaders"):
    st.switch_page("pages/leaders.py", query_params={"region": region.code, "period": str(period)})
tabs[1].dataframe(core_frame(rec.grids), hide_index=True, width="stretch")
with tabs[2]:
    st.dataframe(core_frame(rec.tasks.drop(columns="id")), hide_index=True, width="stretch", height=320)
    labels = {i: t("village.task_item", code=c, title=ti, status=vocab(s)) for i, c, ti, s in zip(
        rec.tasks["id"], rec.tasks[zh_col("col.number")], rec.tasks[zh_col("col.task")], rec.tasks[zh_col("col.status")],
        strict=True)}
    with st.expander(t("village.timeline")):
        tid = st.selectbox(t("village.task"), list(labels), format_func=lambda i: labels[i], key="timeline-task") if labels else None
        if tid is not None:
            st.dataframe(core_frame(ld.timeline(ctx.scope, int(tid), version)), hide_index=True, width="stretch")
tabs[3].dataframe(core_frame(rec.appeals), hide_index=True, width="stretch")
tabs[4].dataframe(core_frame(rec.diary), hide_index=True, width="stretch")
tabs[5].dataframe(core_frame(rec.decisions.drop(columns="id")), hide_index=True, width="stretch")
with tabs[6]:
    scored = ld.module_scores(ctx.scope, region.id, period, version)
    if scored is not None:
        rank, modules = scored
        if rank.get("composite") is not None:
            st.caption(t("village.rank", score=num(rank["composite"], 1), rank=f"{rank['rank_in_parent']:.0f}",
                         n=rank["n_in_parent"], level_rank=f"{rank['rank_in_level']:.0f}", level_n=rank["n_in_level"]))
        st.dataframe(modules, hide_index=True, width="stretch")
    indicators = rec.indicators
    code_col = zh_col("col.code")
    if code_col in indicators:  # indicator names and units from the catalog
        indicators = indicators.assign(**{zh_col("col.indicator"): indicators[code_col].map(lambda c: t(f"indicator.{c}.name")),
                                          zh_col("col.unit"): indicators[zh_col("col.unit")].map(lambda u: term("unit", u))})
    st.dataframe(core_frame(indicators), hide_index=True, width="stretch", height=360)
