"""我的工作台: the page body — who, live or time travel, the three counts, the sections of the role."""

from __future__ import annotations

import streamlit as st

from core.clock import get_clock
from core.desk import has_desk
from ui import desk_data as dd
from ui import desk_dept, desk_town, desk_village, period
from ui import desk_lists as dl
from ui.i18n import day, num, person, t, term
from ui.text import md


def render(ctx) -> None:
    """Draw the desk of the signed-in person (ctx from page_setup)."""
    actor = ctx.actor
    st.title(t("desk.heading", name=md(person(actor.name)), role=term("role", actor.role)))
    if not has_desk(actor.role) or ctx.read_only:
        st.info(t("desk.no_desk"))
        return
    live = dd.is_live()
    if live:
        st.caption(t("desk.live", now=day(get_clock().now(), with_time=True)))
    else:
        st.warning(t("desk.time_travel", day=day(period.as_of()), live=day(dd.live_day())))
        if st.button(t("desk.back_to_live"), key="desk-live"):
            period.set_as_of(dd.live_day())
            st.rerun()
    dd.show_flash()
    desk = dd.load_desk(actor, period.as_of(), dd.data_version())
    c = st.columns(3)
    c[0].metric(t("desk.waiting"), num(desk.counts["waiting"]))
    c[1].metric(t("desk.due_soon"), num(desk.counts["due_soon"]))
    c[2].metric(t("desk.overdue"), num(desk.counts["overdue"]))
    module = {"town": desk_town, "dept": desk_dept}.get(desk.kind, desk_village)
    sections = module.sections(actor, desk)
    counts = dict(sections)
    keys = [k for k, _ in sections]
    section = st.segmented_control(
        t("desk.section"), keys, key="desk-section", default=keys[0],
        format_func=lambda k: dl.count_label(f"desk.sec.{k}", counts[k]) if counts[k] else t(f"desk.sec.{k}")) or keys[0]
    module.render(section, actor, desk, live)
