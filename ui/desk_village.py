"""我的工作台 · village (村书记, 村级管理员, 两委干部) and grid (网格员) sections."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import decision_steps as dsteps
from core import diary_visits as visits
from core.actors import Actor
from core.config import ATTACHMENTS
from core.enums import DECISION_STEPS
from ui import bidding_view, moral_view, period
from ui import desk_data as dd
from ui import desk_lists as dl
from ui.desk_appeals import appeal_detail, appeal_list, rating_form, report_form, village_actions
from ui.i18n import day, headers, num, place, t, term

VILLAGE_SECTIONS = ("inbox", "to_rate", "appeals", "decisions", "bidding", "moral")
GRID_SECTIONS = ("report", "my_appeals", "callbacks", "diary", "moral")
DIARY_WEEKS = 12


def sections(actor: Actor, desk) -> list[tuple[str, int]]:
    """(section key, count) of the village or grid desk."""
    if desk.kind == "grid":
        return [("report", 0), ("my_appeals", len(desk.lists["appeals"])), ("callbacks", len(desk.lists["to_rate"])),
                ("diary", 0), ("moral", 0)]
    board = bidding_view.board(actor.scope, period.as_of(), dd.data_version())
    todo = ((board["stage"] == "bidding") & board["my_bid"].isna()) | ((board["urgency"] != "ok") & (board["my_bid"] == "won"))
    return [("inbox", len(desk.lists["inbox"])), ("to_rate", len(desk.lists["to_rate"])),
            ("appeals", len(desk.lists["appeals"])), ("decisions", len(desk.lists["decisions"])),
            ("bidding", int(todo.sum())), ("moral", 0)]


def _row(df: pd.DataFrame, id_col: str, item_id: int) -> pd.Series:
    return df[df[id_col] == item_id].iloc[0]


def render(section: str, actor: Actor, desk, live: bool) -> None:
    """Draw one section of the village or grid desk."""
    lists = desk.lists
    if section in ("inbox", "to_rate"):
        task_id = dl.task_list(lists[section], section)
        if task_id is not None:
            row = _row(lists[section], "task_id", task_id)
            (dl.village_task_actions if section == "inbox" else dl.rate_action)(actor, row, live)
            dl.task_detail(actor, task_id)
    elif section in ("appeals", "my_appeals"):
        appeal_id = appeal_list(lists["appeals"], section)
        if appeal_id is not None:
            row = _row(lists["appeals"], "appeal_id", appeal_id)
            if actor.role == "grid_worker" and row["level"] != "grid":
                st.caption(t("desk.no_action"))
            else:
                village_actions(actor, row, appeal_id, live)
            appeal_detail(actor, appeal_id)
    elif section == "bidding":
        bidding_view.desk_section(actor, period.as_of(), live)
    elif section == "moral":
        moral_view.desk_section(actor, period.as_of(), live)
    elif section == "callbacks":
        appeal_id = appeal_list(lists["to_rate"], section)
        if appeal_id is not None:
            rating_form(actor, appeal_id, live)
            appeal_detail(actor, appeal_id)
    elif section == "decisions":
        decisions_section(actor, lists["decisions"], live)
    elif section == "report":
        report_form(actor, dd.grids(actor.scope, actor.region_id, actor.person_id), live)
    elif section == "diary":
        diary_form(actor, live)


def decisions_section(actor: Actor, open_decisions: pd.DataFrame, live: bool) -> None:
    """五议两公开: open a decision, record a step (day, minutes or attachment); the check shows what the warning sees."""
    with st.expander(t("desk.act.open_decision")), st.form("open-decision", clear_on_submit=True):
        c = st.columns([3, 1])
        c[0].text_input(t("desk.decision_title"), key="decision-title")
        c[1].date_input(t("desk.opened_on"), value=dd.live_day(), key="decision-opened", format="YYYY-MM-DD")
        st.form_submit_button(t("desk.act.open_decision"), disabled=not live, **dd.on_act(
            dsteps.open_decision, lambda d: t("desk.done_ok", action=t("desk.act.open_decision"), item=d.title), actor,
            fields={"title": "decision-title", "opened_on": "decision-opened"}))
    if open_decisions.empty:
        st.info(t("desk.empty"))
        return
    table = open_decisions.assign(opened_on=[day(d) for d in open_decisions.opened_on],
                                  steps=[" → ".join(term("decision_step", s) for s in steps) or "—" for steps in open_decisions.steps])
    decision_id = dl.pick(open_decisions, "decision_id", headers(table.drop(columns="decision_id"), {
        "title": "col.matter", "opened_on": "col.started", "days_open": "col.days_open", "limit_days": "col.limit_days",
        "steps": "col.step_order"}), lambda r: t("desk.pick_decision", title=r["title"], n=len(r["steps"])), "decision")
    if decision_id is None:
        return
    row = _row(open_decisions, "decision_id", decision_id)
    _check_caption(actor, decision_id)
    done = set(row["steps"])
    todo = [s for s in range(1, len(DECISION_STEPS) + 1) if s not in done]
    with st.form(f"step-{decision_id}", clear_on_submit=True):
        c = st.columns([2, 1])
        c[0].selectbox(t("desk.step"), todo, format_func=lambda s: f"{s}. {term('decision_step', s)}",
                       key=f"step-pick-{decision_id}")
        c[1].date_input(t("desk.step_done_on"), value=dd.live_day(), key=f"step-day-{decision_id}", format="YYYY-MM-DD")
        st.text_area(t("desk.minutes"), key=f"step-minutes-{decision_id}", height=70)
        st.file_uploader(t("desk.files", mb=ATTACHMENTS.max_bytes // (1024 * 1024)), accept_multiple_files=True,
                         max_upload_size=ATTACHMENTS.max_bytes // (1024 * 1024), key=f"step-files-{decision_id}")
        st.form_submit_button(t("desk.act.step"), type="primary", disabled=not live or not todo, **dd.on_act(
            dsteps.record_step, t("desk.done_ok", action=t("desk.act.step"), item=row["title"]), actor,
            decision_id=decision_id, fields={"step": f"step-pick-{decision_id}", "done_on": f"step-day-{decision_id}",
                                             "minutes": f"step-minutes-{decision_id}", "files": f"step-files-{decision_id}"},
            convert=lambda kw: {**kw, "files": dd.uploaded(kw["files"])}))
    log = dd.decision_log(actor.scope, decision_id, dd.data_version())
    if not log.empty:
        shown = log.assign(at=[day(a, with_time=True) for a in pd.to_datetime(log["at"])],
                           action=[term("decision_step", int(s)) if s == s and s is not None else t("desk.act.open_decision")
                                   for s in log["step"]]).drop(columns="step").astype(object).fillna("—")
        st.dataframe(headers(shown, {"at": "col.time", "action": "col.action", "actor": "col.operator", "note": "col.note"}),
                     hide_index=True, width="stretch", key=f"decision-log-{decision_id}")


def _check_caption(actor: Actor, decision_id: int) -> None:
    rows = dd.decision_rows(actor.scope, period.as_of(), dd.data_version())
    match = rows[rows.decision_id == decision_id]
    if match.empty:
        return
    r = match.iloc[0]
    parts = []
    if r.skipped:
        parts.append(t("desk.decision_skipped", steps=", ".join(term("decision_step", s) for s in r.skipped)))
    if r.reordered:
        parts.append(t("desk.decision_reordered", a=term("decision_step", r.reordered[0]), b=term("decision_step", r.reordered[1])))
    text = "; ".join(parts) or t("desk.decision_ok")
    (st.warning if parts else st.caption)(t("desk.decision_check", text=text))


def diary_form(actor: Actor, live: bool) -> None:
    """民情日记 (一户一记): the household picked from the worker's grid, the topic and the day."""
    grids = dd.grids(actor.scope, actor.region_id, actor.person_id if actor.role == "grid_worker" else None)
    if grids.empty:
        st.info(t("desk.empty"))
        return
    names = {int(g.grid_id): place(g.name) for g in grids.itertuples()}
    grid_id = st.selectbox(t("desk.grid"), list(names), format_func=names.get, key="diary-grid")
    houses = dd.households(actor.scope, grid_id)
    missing = set(dd.unvisited(actor.scope, actor.region_id, dd.live_day(), DIARY_WEEKS, dd.data_version()))
    pending = [h for h in houses if h in missing]
    st.caption(t("desk.unvisited", weeks=DIARY_WEEKS, n=num(len(pending))))
    house_key = f"diary-house-{len(pending)}"  # a new key after a visit: the next unvisited household comes first
    with st.form("diary", clear_on_submit=True):
        c = st.columns([1, 1, 1])
        c[0].selectbox(t("desk.household"), pending + [h for h in houses if h not in missing], key=house_key)
        c[1].selectbox(t("desk.topic"), list(visits.TOPICS), key="diary-topic", format_func=lambda v: term("diary_topic", v))
        c[2].date_input(t("desk.visited_on"), value=dd.live_day(), key="diary-day", format="YYYY-MM-DD")
        st.form_submit_button(t("desk.act.visit"), type="primary", disabled=not live, **dd.on_act(
            visits.record_visit, lambda v: t("desk.visit_ok", no=v.household_no), actor, grid_id=grid_id,
            fields={"household_no": house_key, "topic": "diary-topic", "visited_on": "diary-day"}))
