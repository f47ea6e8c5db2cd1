"""民情与预警: appeal trends, the closing-level funnel, satisfaction, warnings with evidence, 议事决策 compliance.

On the big screen (大屏) the page is the appeals wall (ui.wall_appeals): this month's count and satisfaction,
the funnel, the category trend and the warnings rotating; no pickers, expanders or tables.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from core.config import LIST_LIMITS, get_settings
from core.errors import DomainError
from ui import appeals_data as ad
from ui import data, state, wall_appeals
from ui import period as period_state
from ui.i18n import day, headers, named, num, place, show_error, t, term
from ui.setup import page_setup
from ui.text import md
from ui.theme import palette
from ui.widgets import breadcrumb, month_header

ctx = page_setup()
pal, big, scope = palette(ctx.big_screen), ctx.big_screen, ctx.scope
region, as_of, version = ctx.region, period_state.as_of(), data.data_version()
if big:
    month_header(ctx, t("page.appeals"), "appeals-period")
    try:
        wall_appeals.render(ctx, as_of, version)
    except DomainError as err:
        show_error(err)
    st.stop()
here = scope.narrow(region.id, region.level)
st.title(t("page.heading", region=md(place(region.name)), title=t("page.appeals")))
breadcrumb(scope, region)
try:
    with st.spinner(t("appeals.computing")):
        cube, warns = ad.cube(here, as_of, version), ad.warning_list(here, as_of, version)
        decisions = ad.decision_list(here, as_of, version)
except DomainError as err:
    show_error(err)
    st.stop()
total = ad.totals(here, as_of, version)
names = ad.region_names(ctx.scope, tuple(sorted({int(v) for v in warns.village_id})))


def _pct(v) -> str:
    return "—" if v is None else f"{num(v, 1)}%"


k = st.columns(6)
k[0].metric(t("appeals.volume"), num(total["volume"]))
k[1].metric(t("appeals.closed"), num(total["closed"]))
k[2].metric(t("appeals.on_time"), _pct(total["on_time_rate"]))
k[3].metric(t("appeals.satisfaction"), _pct(total["satisfaction"]))
k[4].metric(t("appeals.mean_hours"), t("appeals.hours", response=num(total["mean_response_h"] or 0),
                                       close=num(total["mean_close_h"] or 0)))
recent = get_settings().warnings.recent_days
k[5].metric(t("appeals.recent_warnings", days=recent), num(ad.warning_counts(here, as_of, version, recent)["total"]))


def _go(page: str, code: str) -> None:
    try:
        state.set_region(code)
        st.switch_page(page, query_params=state.drill_params(code))
    except StreamlitAPIException:
        st.info(t("common.page_unavailable"))


left, right = st.columns([3, 2])
with left:
    by = st.segmented_control(t("appeals.trend_by"), ["category", "channel"], default="category", key="appeals-by",
                              format_func=lambda b: t(f"appeals.by.{b}")) or "category"
    st.plotly_chart(ad.trend_figure(cube, by, pal, big), theme=None, key="trend")
    f1, f2 = st.columns(2)
    f1.plotly_chart(ad.funnel_figure(total, pal, big), theme=None, key="funnel")
    f2.plotly_chart(ad.rating_figure(total, pal, big), theme=None, key="rating")
with right:
    st.subheader(t("appeals.warnings", n=len(warns)))
    for i, w in enumerate(warns.head(12).itertuples()):
        grid = t("appeals.grid_no", n=int(w.grid_id) % 1000) if w.grid_id == w.grid_id and w.grid_id else ""
        where = md(names.get(int(w.village_id), str(w.village_id))) + (f" · {grid}" if grid else "")
        category = f" · {term('appeal_category', w.category)}" if isinstance(w.category, str) else ""
        with st.expander(f"{term('warning_kind', w.kind)} · {where}{category} · {day(w.window_end)}", expanded=i == 0):
            st.markdown(t("appeals.evidence", start=day(w.window_start), end=day(w.window_end), count=f"{w.count:g}",
                          baseline=f"{w.baseline:g}", test=ad.evidence(w.test), threshold=f"{w.threshold:g}", score=f"{w.score:g}"))
            if len(w.counts):
                st.caption(t("appeals.series", series=" · ".join(str(c) for c in w.counts)) + (f"　{md(ad.evidence(w.note))}" if w.note else ""))
            b1, b2 = st.columns(2)
            if b1.button(t("appeals.on_map"), key=f"map-{i}"):
                _go("pages/map.py", str(int(w.village_id)))
            if b2.button(t("appeals.village_record"), key=f"village-{i}"):
                _go("pages/village.py", str(int(w.village_id)))
    if len(warns) > 12:
        rest = warns.iloc[12:][["kind", "village_id", "category", "window_end", "count", "baseline", "score"]].assign(
            kind=lambda f: f["kind"].map(lambda k: term("warning_kind", k)),
            village_id=lambda f: f["village_id"].map(lambda v: names.get(int(v), str(v))),
            category=lambda f: f["category"].map(lambda c: term("appeal_category", c) if isinstance(c, str) else ""))
        st.dataframe(headers(rest, {"kind": "col.warning_type", "village_id": "col.village_short", "category": "col.category",
                                    "window_end": "col.window_end", "count": "col.count", "baseline": "col.baseline",
                                    "score": "col.score"}), hide_index=True, height=240)

t1, t2 = st.tabs([t("appeals.tab_decisions"), t("appeals.tab_diary")])
with t1:
    counts = ad.decision_counts(here, as_of, version)
    st.caption(t("appeals.decisions_caption", n=num(counts["total"]), ok=num(counts["total"] - counts["problems"]),
                 bad=num(counts["problems"])))
    shown = named(decisions[["issues", "village", "title", "opened_on", "closed_on", "days_open", "steps"]], places=("village",))
    st.dataframe(headers(shown.assign(issues=shown["issues"].map(ad.decision_status),
                                      steps=shown["steps"].map(lambda s: "→".join(map(str, s)))), {
        "issues": "col.compliance", "village": "col.village_short", "title": "col.matter", "opened_on": "col.started",
        "closed_on": "col.finished", "days_open": "col.days_open", "steps": "col.step_order"}), hide_index=True, height=260)
with t2:
    if region.level in LIST_LIMITS.wide_levels:  # 一周一记 is kept per cadre and household: read it by county
        st.info(t("appeals.diary_drill", level=term("level", region.level)))
        st.stop()
    weeks = st.slider(t("appeals.weeks"), 4, 26, 12, key="diary-weeks")
    cadres, villages = ad.diary_coverage(here, as_of, weeks, version)
    c1, c2 = st.columns(2)
    c1.dataframe(headers(named(cadres.drop(columns=["person_id", "village_id"]), places=("village",), people=("name",)), {
        "name": "col.cadre", "village": "col.village_short", "visits": "col.visits_n", "weeks_logged": "col.weeks_logged",
        "weekly_rate": "col.weekly_rate"}), hide_index=True, height=260)
    c2.dataframe(headers(named(villages.drop(columns=["village_id"]), places=("village",)), {
        "village": "col.village_short", "households": "col.households", "visited": "col.visited",
        "not_visited": "col.not_visited", "visits": "col.visit_count", "coverage": "col.coverage_pct"}),
        hide_index=True, height=260)
