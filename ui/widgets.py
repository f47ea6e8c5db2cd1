"""Shared widgets: breadcrumb with drill-up, drill-down picker, KPI tile."""

from __future__ import annotations

from datetime import date
from html import escape

import streamlit as st

from core.i18n import has
from core.regions import RegionRef
from core.scope import Scope
from ui import data, state
from ui import period as period_state
from ui.i18n import month, place, t, term
from ui.text import md
from ui.wall import fit


def breadcrumb(scope: Scope, region: RegionRef) -> None:
    """市 › 县 › 镇 › 村: each ancestor is a button that drills back up to it."""
    crumbs = data.breadcrumb(scope, region.id)
    cols = st.columns(len(crumbs) + 1, gap="small", vertical_alignment="center")
    for col, crumb in zip(cols, crumbs, strict=False):
        label = f"{term('level', crumb.level)} · {place(crumb.name)}"
        if crumb.id == region.id:
            col.html(f"<div class='crumbs'><b>{escape(label)}</b></div>")
        elif col.button(f"{md(label)} ›", key=f"crumb-{crumb.code}", type="tertiary"):
            state.set_region(crumb.code)
            st.rerun()


def drill_picker(options: list[tuple[str, str]], key: str, label: str | None = None, folded: bool = False) -> None:
    """A select box of (code, name) children; choosing one drills the whole app to it.

    `folded` puts it behind a 下钻到 button (a popover): for pages whose table or map already drills by
    click, so the list is there for the keyboard without costing the first paint a select box.
    """
    if not options:
        return
    label = label or t("common.drill_to")
    with st.popover(label, icon=":material/subdirectory_arrow_right:") if folded else st.container():
        _drill_select(options, key, label)


def _drill_select(options: list[tuple[str, str]], key: str, label: str) -> None:
    names = {code: name for code, name in options}
    choice = st.selectbox(label, [""] + list(names), format_func=lambda c: names.get(c, t("common.pick")), key=key)
    if choice:
        st.session_state.pop(key, None)
        state.set_region(choice)
        st.rerun()


def kpi_tile(label: str, value: str, delta: str | None = None, good: bool | None = None, help_text: str = "") -> str:
    """HTML of one KPI tile (big tabular number, label, coloured delta); render several in a row."""
    cls = "" if good is None else ("up" if good else "down")
    delta_html = f"<div class='kpi-delta {cls}'>{escape(delta)}</div>" if delta else ""
    title = f" title='{escape(help_text)}'" if help_text else ""
    return (f"<div class='kpi'{title}><div class='kpi-label'>{escape(label)}</div>"
            f"<div class='kpi-value'>{escape(value)}</div>{delta_html}</div>")


def month_header(ctx, title: str, key: str) -> int:
    """Title, month picker (URL-synced) and breadcrumb of a period page; returns the chosen YYYYMM."""
    periods = period_state.available_periods()
    if not periods:
        st.error(t("common.no_indicator_data"))
        st.stop()
    if ctx.big_screen:  # the wall has no one to pick a month: ?period= selects it, the heading shows it
        period = period_state.current_period()
        head, crumbs = st.columns([2, 3], vertical_alignment="center")
        text = t("page.heading", region=place(ctx.region.name), title=title)
        size = fit(f"{text} · {month(period)}", 1.9, 1.2)  # one line: smaller when the name is long
        head.html(f"<div style='container-type:inline-size'><h1 class='page-head' style='{size} !important;"
                  f"white-space:nowrap'>{escape(text)} · <span class='month'>{escape(month(period))}</span></h1></div>")
    else:
        head, pick = st.columns([4, 1], vertical_alignment="bottom")
        head.title(t("page.heading", region=md(place(ctx.region.name)), title=title))
        newest_first = periods[::-1]
        shown = st.session_state.get(key, period_state.current_period())
        # The month is a button that opens the list: a select box in the first paint costs ~20 more
        # script files for the browser to fetch (bench/, issue #9); inside a popover it loads on open.
        with pick.popover(month(shown), icon=":material/calendar_month:", help=t("common.month"), width="stretch"):
            period = st.selectbox(t("common.month"), newest_first, index=newest_first.index(period_state.current_period()),
                                  key=key, format_func=month)
        crumbs = st.container()
    period_state.set_period(period)
    state.sync_url(ctx.region.code, period)
    with crumbs:
        breadcrumb(ctx.scope, ctx.region)
    return period


def sidebar_month_picker(label_key: str, key: str, months: int = 12) -> int:
    """The month in view picked in the sidebar from the newest `months` months with data; kept by ui.period."""
    options = period_state.recent_periods(months)
    if not options:
        st.error(t("common.no_indicator_data"))
        st.stop()
    current = period_state.current_period()
    picked = st.sidebar.selectbox(t(label_key), options, index=options.index(current) if current in options else 0,
                                  format_func=month, key=key)
    period_state.set_period(int(picked))
    return int(picked)


def as_of_picker(label_key: str, key: str) -> date:
    """The as-of day picked in the sidebar within the records' window; kept by ui.period."""
    start, end = period_state.data_window()
    picked = st.sidebar.date_input(t(label_key), value=period_state.as_of(), min_value=start, max_value=end,
                                   key=key, format="YYYY-MM-DD")
    period_state.set_as_of(picked)
    return picked


def stamp_text(stamp: dict) -> str:
    """计算于: when the month's scores on screen were computed and what write moved them (core.live.score_stamp)."""
    at = stamp["computed_at"]
    if at is None:
        return t("stamp.generated")
    key = f"stamp.cause.{stamp['cause']}"
    return t("stamp.computed", day=at.strftime("%Y-%m-%d"), time=at.strftime("%H:%M:%S"),
             cause=t(key) if has(key) else stamp["cause"] or "—")
