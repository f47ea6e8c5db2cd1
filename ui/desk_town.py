"""我的工作台 · township (镇级管理员, 分管领导, 线办干部 …): dispatch, score, my dispatches, review, route appeals."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from core import appeals, bidding, compliance, dispatching, moral_bank
from core.actors import Actor
from core.enums import Module, TaskCategory
from core.workflow import DISPATCHERS
from ui import bidding_view, data, moral_view, one_thing_view, period
from ui import desk_data as dd
from ui import desk_lists as dl
from ui.desk_appeals import appeal_detail, appeal_list
from ui.i18n import day, headers, matter, num, place, t, term


def sections(actor: Actor, desk) -> list[tuple[str, int]]:
    """(section key, count) of the township desk for this role, in order."""
    out = []
    if actor.role in DISPATCHERS:
        out.append(("dispatch", 0))
    if actor.role in ("town_leader", "town_admin"):
        out.append(("to_score", len(desk.lists["to_score"])))
    out.append(("dispatched", len(desk.lists["dispatched"])))
    if actor.role in compliance.REVIEWERS:
        out.append(("review", len(desk.lists["review"])))
    out.append(("town_appeals", len(desk.lists["appeals"])))
    if actor.role in bidding.PUBLISHERS:
        board = bidding_view.board(actor.scope, period.as_of(), dd.data_version())
        out.append(("bidding", int((board["stage"] == "selecting").sum())))
        cases = one_thing_view.board(actor.scope, period.as_of(), dd.data_version())
        out.append(("one_thing", int((cases["holder"] == "township").sum())))
    if actor.role in moral_bank.DEDUCTORS:
        out.append(("moral", 0))
    return out


def render(section: str, actor: Actor, desk, live: bool) -> None:
    """Draw one section of the township desk."""
    if section == "dispatch":
        dispatch_form(actor, live)
    elif section == "to_score":
        task_id = dl.task_list(desk.lists["to_score"], "score")
        if task_id is not None:
            row = desk.lists["to_score"].set_index("task_id").loc[task_id]
            dl.score_actions(actor, pd.concat([pd.Series({"task_id": task_id}), row]), live)
            dl.task_detail(actor, task_id)
    elif section == "dispatched":
        task_id = dl.task_list(desk.lists["dispatched"], "mine")
        if task_id is not None:
            row = desk.lists["dispatched"].set_index("task_id").loc[task_id]
            dl.urge_action(actor, pd.concat([pd.Series({"task_id": task_id}), row]), live)
            dl.task_detail(actor, task_id)
    elif section == "review":
        review_section(actor, desk.lists["review"], live)
    elif section == "bidding":
        bidding_view.desk_section(actor, period.as_of(), live)
    elif section == "one_thing":
        one_thing_view.town_section(actor, period.as_of(), live)
    elif section == "moral":
        moral_view.desk_section(actor, period.as_of(), live)
    elif section == "town_appeals":
        appeal_id = appeal_list(desk.lists["appeals"], "town-appeals")
        if appeal_id is not None:
            route_actions(actor, desk.lists["appeals"].set_index("appeal_id").loc[appeal_id], appeal_id, live)
            appeal_detail(actor, appeal_id)


def dispatch_form(actor: Actor, live: bool) -> None:
    """派发: category, matter (searchable by name or code), villages, title, deadline, 分值, module, grid team,
    co-handling office, and the 加急 reason; 过筛 refuses an off-list matter before any task is written."""
    cat = dd.matters()
    cat = cat[cat.level.isin(("township", "village"))]
    # ordinary on-list matters first, then the 其他/加急 path, then the off-list ones: the default is an ordinary matter
    cat = cat.assign(_rank=[0 if on and not em else 1 if on else 2 for on, em in zip(cat.on_list, cat.emergency, strict=True)])
    cat = cat.sort_values(["_rank", "code"], kind="stable")
    labels = {r.code: t("desk.matter_item" if r.on_list else "desk.matter_off_list", code=r.code, name=matter(r.code, r.name))
              for r in cat.itertuples()}
    villages = {v.id: place(v.name) for v in data.children(actor.scope, actor.region_id)} if actor.level == "township" else {}
    grid_opts: dict[int, str] = {0: t("desk.none")}
    for vid, vname in villages.items():
        for g in dd.grids(actor.scope, vid).itertuples():
            grid_opts[int(g.grid_id)] = f"{vname} · {place(g.name)}"
    st.markdown(f"#### {t('desk.dispatch_heading')}")
    with st.form("dispatch", clear_on_submit=False):
        a = st.columns([1, 2, 3])
        a[0].selectbox(t("desk.category"), [str(c) for c in TaskCategory if c != TaskCategory.VILLAGE_REPORT],
                       format_func=lambda c: term("task_category", c), key="d-category", index=2)
        a[1].selectbox(t("desk.matter"), list(labels), format_func=labels.get, key="d-matter", help=t("desk.matter_search"))
        a[2].multiselect(t("desk.villages"), list(villages), format_func=villages.get, key="d-villages")
        b = st.columns([3, 1, 1, 1])
        b[0].text_input(t("desk.title"), key="d-title")
        b[1].date_input(t("desk.deadline"), value=dd.live_day() + timedelta(days=7), key="d-deadline", format="YYYY-MM-DD")
        b[2].number_input(t("desk.difficulty"), min_value=0.0, max_value=50.0, value=0.0, step=0.5, key="d-points",
                          help=t("desk.difficulty_help"))
        b[3].selectbox(t("desk.module"), ["", *map(str, Module)], key="d-module",
                       format_func=lambda m: term("module", m) if m else t("desk.by_matter"))
        c = st.columns([2, 2, 3])
        c[0].selectbox(t("desk.grid_team"), list(grid_opts), format_func=grid_opts.get, key="d-grid")
        c[1].selectbox(t("desk.co_office"), ["", *dispatching.CO_OFFICES], key="d-office",
                       format_func=lambda o: term("co_office", o) if o else t("desk.none"))
        c[2].text_input(t("desk.emergency_reason"), key="d-reason")
        st.form_submit_button(t("desk.act.dispatch"), type="primary", disabled=not live, **dd.on_act(
            dispatching.dispatch_batch,
            lambda tasks: t("desk.dispatched_ok", n=len(tasks), codes=", ".join(x.code for x in tasks)), actor,
            fields={"village_ids": "d-villages", "matter_code": "d-matter", "title": "d-title", "category": "d-category",
                    "deadline": "d-deadline", "difficulty": "d-points", "module": "d-module", "grid_id": "d-grid",
                    "co_office": "d-office", "reason": "d-reason"},
            convert=_dispatch_args))


def _dispatch_args(kw: dict) -> dict:
    """Form values → dispatch_batch arguments (0 / blank: not given)."""
    return {**kw, "village_ids": list(kw["village_ids"] or []), "title": kw["title"] or "",
            "difficulty": float(kw["difficulty"] or 0) or None, "module": kw["module"] or None,
            "grid_id": int(kw["grid_id"] or 0) or None, "co_office": kw["co_office"] or None,
            "reason": (kw["reason"] or "").strip() or None}


def review_section(actor: Actor, queue: pd.DataFrame, live: bool) -> None:
    """合规审查 of emergency dispatches: approve or flag (with a note); the 过筛 report counts both."""
    start, _ = period.data_window()
    rep = dd.screening_now(actor.scope, start, dd.live_day(), dd.data_version())
    st.caption(t("desk.screening_after", emergency=num(rep.emergency), ok=num(rep.review_approved),
                 flag=num(rep.review_flagged), pending=num(rep.review_pending)))
    if queue.empty:
        st.info(t("desk.empty"))
        return
    table = queue.assign(village=queue.village.map(place), dispatched_at=[day(d, with_time=True) for d in queue.dispatched_at],
                         status=[term("task_status", s) for s in queue.status],
                         reason=[r if isinstance(r, str) and r else "—" for r in queue.reason])
    task_id = dl.pick(queue, "task_id", headers(table.drop(columns="task_id"), {
        "code": "col.task_code", "title": "col.task", "village": "col.village", "dispatcher": "col.dispatcher",
        "dispatched_at": "col.dispatched_at", "reason": "desk.col_reason", "status": "col.status"}), dl.task_label, "review")
    if task_id is None:
        return
    code = queue.set_index("task_id").loc[task_id, "code"]
    with st.form(f"review-{task_id}"):
        st.text_input(t("desk.review_note"), key=f"review-note-{task_id}")
        c = st.columns(2)
        for col, outcome, kind in ((c[0], "approve", "primary"), (c[1], "flag", "secondary")):
            col.form_submit_button(t(f"desk.act.{outcome}"), type=kind, disabled=not live, width="stretch", **dd.on_act(
                compliance.review, t("desk.done_ok", action=t(f"desk.act.{outcome}"), item=code), actor,
                task_id=task_id, outcome=outcome, fields={"note": f"review-note-{task_id}"}))
    dl.task_detail(actor, task_id)


def route_actions(actor: Actor, appeal: pd.Series, appeal_id: int, live: bool) -> None:
    """乡镇统筹分流: route the appeal to a county department, or close it at the township."""
    with st.form(f"route-{appeal_id}"):
        c = st.columns([2, 3])
        c[0].selectbox(t("desk.department"), list(appeals.DEPARTMENTS), key=f"route-dept-{appeal_id}",
                       format_func=lambda d: term("department", d))
        c[1].text_input(t("desk.note"), key=f"route-note-{appeal_id}")
        b = st.columns(2)
        b[0].form_submit_button(t("desk.act.route"), type="primary", disabled=not live, width="stretch", **dd.on_act(
            appeals.route_to_department, t("desk.done_ok", action=t("desk.act.route"), item=f"#{appeal_id}"), actor,
            appeal_id=appeal_id, fields={"department": f"route-dept-{appeal_id}", "note": f"route-note-{appeal_id}"}))
        b[1].form_submit_button(t("desk.act.close"), disabled=not live, width="stretch", **dd.on_act(
            appeals.close, t("desk.done_ok", action=t("desk.act.close"), item=f"#{appeal_id}"), actor,
            appeal_id=appeal_id, fields={"note": f"route-note-{appeal_id}"}))
