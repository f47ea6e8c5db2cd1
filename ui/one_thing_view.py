"""一件事 and 县乡双向考评 on screen: the case board (who holds each case up), one case's steps and trail, the
township's actions (open a case, confirm closure, rate the departments), a department's desk (its own steps) and
the department ranking — every write through ui.desk_data.act."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import one_thing
from core.actors import Actor
from core.config import ONE_THING_TYPES
from core.scope import Scope
from ui import data
from ui import desk_data as dd
from ui import desk_lists as dl
from ui.data import engine
from ui.i18n import day, headers, num, place, t, term, values
from ui.text import md

CASE_HEADERS = {"code": "case.col.code", "case_type": "case.col.type", "village": "col.village", "title": "case.col.title",
                "opened_at": "case.col.opened_at", "progress": "case.col.progress", "holder": "case.col.holder",
                "holder_due": "case.col.holder_due", "urgency": "bid.col.urgency", "days": "case.col.days",
                "my_due": "case.col.my_due"}


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def board(scope: Scope, as_of: date, version: int) -> pd.DataFrame:
    """The scope's cases."""
    with Session(engine()) as s:
        return one_thing.case_board(s, scope, as_of, dd.CFG)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def dept_board(viewer: Actor, as_of: date, version: int) -> pd.DataFrame:
    """The cases the viewer's department has a step in."""
    with Session(engine()) as s:
        return one_thing.department_cases(s, viewer, as_of, dd.CFG)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def detail(scope: Scope, case_id: int, as_of: date, version: int) -> one_thing.CaseDetail:
    """One case of the scope."""
    with Session(engine()) as s:
        return one_thing.case_detail(s, scope, case_id, as_of, dd.CFG)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def dept_detail(viewer: Actor, case_id: int, as_of: date, version: int) -> one_thing.CaseDetail:
    """One case of the viewer's department."""
    with Session(engine()) as s:
        return one_thing.department_case_detail(s, viewer, case_id, as_of)


@st.cache_data(ttl=300, max_entries=32, show_spinner=False)
def co_offices(scope: Scope, start: date, end: date, version: int) -> pd.DataFrame:
    """The tasks co-handled by each town office (协办科室)."""
    with Session(engine()) as s:
        return one_thing.co_office_counts(s, scope, start, end)


def co_office_table(df: pd.DataFrame) -> pd.DataFrame:
    """协办科室 counts for display."""
    out = df.assign(office=[term("co_office", o) for o in df.office])
    return headers(out, {"office": "col.co_office", "tasks": "case.col.co_tasks", "finished": "col.finished",
                         "on_time": "col.closed_on_time", "overdue": "col.overdue_tasks"})


@st.cache_data(ttl=300, max_entries=32, show_spinner=False)
def ranking(scope: Scope, start: date, end: date, version: int) -> pd.DataFrame:
    """The departments' ranking over the scope's cases."""
    with Session(engine()) as s:
        return one_thing.department_ranking(s, scope, start, end)


def _when(x) -> str:
    return day(x, with_time=True) if isinstance(x, datetime) and not pd.isna(x) else "—"


def case_table(df: pd.DataFrame) -> pd.DataFrame:
    """A case board for display, in the viewer's language."""
    out = df.assign(progress=[f"{d}/{n}" for d, n in zip(df.steps_done, df.steps, strict=True)])
    out = out[[c for c in CASE_HEADERS if c in out.columns]].copy()
    out["village"] = out["village"].map(place)
    out["opened_at"] = [_when(x) for x in out["opened_at"]]
    out["holder"] = [t("case.township") if h == "township" else (h if isinstance(h, str) else "—") for h in out["holder"]]
    out["holder_due"] = [_when(x) for x in out["holder_due"]]
    if "my_due" in out:
        out["my_due"] = [_when(x) for x in out["my_due"]]
    out["urgency"] = [t(f"desk.urgency.{u}") if u in ("overdue", "due_soon") else (t("case.closed") if u == "done" else "")
                      for u in out["urgency"]]
    return headers(out, CASE_HEADERS)


def pick_case(df: pd.DataFrame, key: str) -> int | None:
    """The board with one-click opening; returns the opened case id."""
    return dl.pick(df, "case_id", case_table(df) if not df.empty else df, lambda r: f"{r['code']} · {r['title']}", key)


def counts(df: pd.DataFrame) -> None:
    """Open, closed, held up past a time limit, and the mean days of the closed cases."""
    closed = df[df.closed_at.notna()]
    c = st.columns(4)
    c[0].metric(t("case.open"), num(int(df.closed_at.isna().sum())))
    c[1].metric(t("case.closed"), num(len(closed)))
    c[2].metric(t("case.overdue"), num(int((df.urgency == "overdue").sum())))
    c[3].metric(t("case.mean_days"), num(float(closed.days.mean()), 1) if len(closed) else "—")


def show_detail(d: one_thing.CaseDetail) -> None:
    """Facts, the steps of every party with time limits and ratings, and the trail."""
    f = d.facts
    st.markdown(f"**{t('case.facts', code=md(f['code']), type=md(f['case_type']), title=md(f['title']), village=md(place(f['village'])), opened=_when(f['opened_at']))}**")
    if f["closed_at"] is not None:
        st.success(t("case.closed_on", day=_when(f["closed_at"])))
    steps = d.steps.assign(
        party=values(d.steps.party, "case_party"),
        department=[x if isinstance(x, str) else t("case.township") for x in d.steps.department],
        due_at=[_when(x) for x in d.steps.due_at], done_at=[_when(x) for x in d.steps.done_at],
        on_time=[("✓" if x else "✗") if x is not None and x == x else "—" for x in d.steps.on_time],
        urgency=[t(f"desk.urgency.{u}") if u in ("overdue", "due_soon") else "" for u in d.steps.urgency],
        rating=[term("dept_rating", r) if isinstance(r, str) else "—" for r in d.steps.rating],
    ).drop(columns=["step_id", "department_id"])
    st.dataframe(headers(steps, {"party": "case.col.party", "department": "case.col.department", "due_at": "case.col.due",
                                 "done_at": "case.col.done", "on_time": "case.col.on_time", "urgency": "bid.col.urgency",
                                 "rating": "case.col.rating", "rating_note": "col.note"}), hide_index=True, width="stretch")
    if not d.events.empty:
        with st.expander(t("bid.trail")):
            ev = d.events.assign(at=[_when(x) for x in d.events["at"]], action=values(d.events.action, "case_action"))
            st.dataframe(headers(ev, {"at": "col.time", "actor": "col.operator", "action": "col.action", "note": "col.note"}),
                         hide_index=True, width="stretch")


def open_form(actor: Actor, live: bool) -> None:
    """发起一件事: village, listed type (its lead and co-handling departments shown), title."""
    villages = {v.id: place(v.name) for v in data.children(actor.scope, actor.region_id)}
    types = list(ONE_THING_TYPES)
    with st.form("case-open"):
        c = st.columns([2, 2, 3])
        c[0].selectbox(t("col.village"), list(villages), format_func=villages.get, key="co-village")
        c[1].selectbox(t("case.col.type"), types, key="co-type",
                       format_func=lambda k: t("case.type_label", type=k, lead=ONE_THING_TYPES[k].lead,
                                               co="、".join(ONE_THING_TYPES[k].co)))
        c[2].text_input(t("case.col.title"), key="co-title")
        st.form_submit_button(t("case.act.open"), type="primary", disabled=not live, **dd.on_act(
            one_thing.open_case, lambda c: t("case.opened_ok", code=c.code), actor,
            fields={"village_id": "co-village", "case_type": "co-type", "title": "co-title"}))


def town_actions(actor: Actor, d: one_thing.CaseDetail, live: bool) -> None:
    """乡镇确认办结 once every department is done; 双向考评 of each department's part once the case is closed."""
    if actor.role not in one_thing.RATERS:
        return
    steps = d.steps
    town = steps[steps.party == "township"]
    depts_done = steps[steps.party != "township"].done_at.notna().all()
    if not town.empty and pd.isna(town.done_at.iloc[0]) and depts_done:
        sid = int(town.step_id.iloc[0])
        st.button(t("case.act.confirm"), key=f"case-confirm-{sid}", type="primary", disabled=not live, **dd.on_act(
            one_thing.complete_step, t("case.closed_ok", code=d.facts["code"]), actor, step_id=sid))
    if d.facts["closed_at"] is None:
        return
    for r in steps[(steps.party != "township") & steps.rating.isna()].itertuples():
        sid = int(r.step_id)
        with st.form(f"case-rate-{sid}"):
            c = st.columns([2, 2, 3], vertical_alignment="bottom")
            c[0].markdown(f"**{md(r.department)}**")
            c[1].segmented_control(t("case.col.rating"), list(one_thing.RATINGS), key=f"cr-rating-{sid}", default="good",
                                   format_func=lambda x: term("dept_rating", x))
            c[2].text_input(t("case.f.note"), key=f"cr-note-{sid}")
            st.form_submit_button(t("case.act.rate"), disabled=not live, **dd.on_act(
                one_thing.rate_step, t("case.rated_ok", department=r.department), actor, step_id=sid,
                fields={"rating": f"cr-rating-{sid}", "note": f"cr-note-{sid}"}))


def town_section(actor: Actor, as_of: date, live: bool) -> None:
    """The township desk's 一件事 section: open a case, the board, a case's steps and the township's actions."""
    if actor.role in one_thing.OPENERS:
        with st.expander(t("case.open_heading"), expanded=False):
            open_form(actor, live)
    df = board(actor.scope, as_of, dd.data_version())
    counts(df)
    cid = pick_case(df, "desk-cases")
    if cid is None:
        return
    d = detail(actor.scope, cid, as_of, dd.data_version())
    town_actions(actor, d, live)
    show_detail(d)


def dept_section(actor: Actor, as_of: date, live: bool) -> None:
    """A department's desk: the cases it has a step in, its own step to complete, the township's ratings of it."""
    df = dept_board(actor, as_of, dd.data_version())
    cid = pick_case(df, "desk-dept-cases")
    if cid is None:
        return
    row = df[df.case_id == cid].iloc[0]
    if row["my_done"] is None or pd.isna(row["my_done"]):
        sid = int(row["my_step"])
        with st.form(f"case-step-{sid}"):
            st.text_input(t("case.f.note"), key=f"cs-note-{sid}")
            st.form_submit_button(t("case.act.step"), type="primary", disabled=not live, **dd.on_act(
                one_thing.complete_step, t("case.step_ok"), actor, step_id=sid, fields={"note": f"cs-note-{sid}"}))
    show_detail(dept_detail(actor, cid, as_of, dd.data_version()))


def ranking_table(df: pd.DataFrame) -> pd.DataFrame:
    """The department ranking for display."""
    out = df[["rank", "department", "cases", "steps_done", "on_time", "good", "fair", "poor", "good_share"]].copy()
    return headers(out, {"rank": "case.col.rank", "department": "case.col.department", "cases": "case.col.cases",
                         "steps_done": "case.col.steps_done", "on_time": "case.col.on_time_pct", "good": "dept_rating.good",
                         "fair": "dept_rating.fair", "poor": "dept_rating.poor", "good_share": "case.col.good_share"})
