"""我的工作台: the lists (tasks, appeals) with one-click opening, and the task actions of each role."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from core import evidence, workflow
from core.actors import Actor
from core.config import ATTACHMENTS
from ui import desk_data as dd
from ui import tasks_data as td
from ui.i18n import day, headers, num, place, t, term, values

TASK_HEADERS = {"code": "col.task_code", "title": "col.task", "village": "col.village", "status": "col.status",
                "category": "col.category", "module": "col.module", "difficulty": "col.difficulty",
                "deadline": "col.deadline", "urgency": "col.alert"}
APPEAL_HEADERS = {"appeal_id": "col.number", "village": "col.village", "grid": "col.grid", "category": "col.category",
                  "channel": "col.channel", "reported_at": "col.reported_at", "due_at": "col.due_at",
                  "status": "col.status", "level": "col.closing_level", "urgency": "col.alert"}


def _urgency(series: pd.Series) -> list[str]:
    return [t(f"desk.urgency.{u}") for u in series]


def task_table(df: pd.DataFrame) -> pd.DataFrame:
    """A desk task list for display, in the viewer's language."""
    out = df[[c for c in TASK_HEADERS if c in df.columns]].copy()
    for column, kind in (("status", "task_status"), ("category", "task_category"), ("module", "module")):
        out[column] = values(out[column], kind)
    out["village"] = out["village"].map(place)
    out["deadline"] = [day(d) for d in out["deadline"]]
    out["urgency"] = _urgency(df["urgency"])
    return headers(out, TASK_HEADERS)


def appeal_table(df: pd.DataFrame) -> pd.DataFrame:
    """A desk appeal list for display, in the viewer's language."""
    out = df[[c for c in APPEAL_HEADERS if c in df.columns]].copy()
    out["category"] = values(out["category"], "appeal_category")
    out["channel"] = values(out["channel"], "appeal_channel")
    out["status"] = values(out["status"], "appeal_status")
    out["level"] = values(out["level"], "appeal_level")
    out["village"], out["grid"] = out["village"].map(place), out["grid"].map(place)
    out["reported_at"] = [day(d, with_time=True) for d in out["reported_at"]]
    out["due_at"] = [day(d, with_time=True) for d in out["due_at"]]
    out["urgency"] = _urgency(df["urgency"])
    return headers(out, APPEAL_HEADERS)


def _table_clicked(key: str, ids: list[int]) -> None:
    """A click on a row of the list opens that item (only a new click: the pick box stays free to change)."""
    event = st.session_state.get(f"{key}-table")
    rows = event.selection.rows if event and event.selection else []
    if rows and rows[0] < len(ids):
        st.session_state[f"{key}-pick"] = ids[rows[0]]


def pick(df: pd.DataFrame, id_col: str, table: pd.DataFrame, label: Callable[[pd.Series], str], key: str) -> int | None:
    """Show the list; a click on a row (or the pick box) opens that item; returns its id (None when empty)."""
    if df.empty:
        st.info(t("desk.empty"))
        return None
    ids = [int(i) for i in df[id_col]]
    st.dataframe(table, hide_index=True, width="stretch", on_select=partial(_table_clicked, key, ids),
                 selection_mode="single-row", key=f"{key}-table", height=min(38 + 35 * len(ids), 320))
    if st.session_state.get(f"{key}-pick") not in ids:
        # the opened item left the list (done, or someone else acted): open the first, and say so in the box
        st.session_state[f"{key}-pick"] = ids[0]
    labels = {int(r[id_col]): label(r) for _, r in df.iterrows()}
    return st.selectbox(t("desk.pick"), ids, format_func=labels.get, key=f"{key}-pick")


def task_label(r: pd.Series) -> str:
    """The pick-box label of a task."""
    return t("desk.pick_task", code=r["code"], title=r["title"], village=place(r["village"]))


def task_list(df: pd.DataFrame, key: str) -> int | None:
    """A task list with one-click opening; returns the opened task id."""
    return pick(df, "task_id", task_table(df) if not df.empty else df, task_label, key)


def task_detail(actor: Actor, task_id: int) -> None:
    """The task's facts and timeline."""
    td.render_detail(td.detail(actor.scope, task_id, dd.data_version()))


def _ok(action_key: str, item: str) -> str:
    return t("desk.done_ok", action=t(action_key), item=item)


def _none_if_blank(kwargs: dict) -> dict:
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in kwargs.items()}


def village_task_actions(actor: Actor, task: pd.Series, live: bool) -> None:
    """签收 / 开始办理 / 办结 (note, attachments) / 退回 (reason) for the owning village's cadre."""
    tid, code, status = int(task["task_id"]), task["code"], task["status"]
    if status == "dispatched":
        c = st.columns([1, 3, 1], vertical_alignment="bottom")
        c[0].button(t("desk.act.sign"), key=f"sign-{tid}", type="primary", disabled=not live, width="stretch",
                    **dd.on_act(workflow.sign, _ok("desk.act.sign", code), actor, task_id=tid))
        c[1].text_input(t("desk.reason"), key=f"return-reason-{tid}", help=t("desk.return_help"))
        c[2].button(t("desk.act.return"), key=f"return-{tid}", disabled=not live, width="stretch",
                    **dd.on_act(workflow.reject, _ok("desk.act.return", code), actor, task_id=tid,
                                fields={"note": f"return-reason-{tid}"}))
    elif status == "signed":
        st.button(t("desk.act.start"), key=f"start-{tid}", type="primary", disabled=not live,
                  **dd.on_act(workflow.start, _ok("desk.act.start", code), actor, task_id=tid))
    elif status == "in_progress":
        with st.form(f"complete-{tid}", clear_on_submit=True):
            st.text_area(t("desk.complete_note"), key=f"complete-note-{tid}", height=80)
            mb = ATTACHMENTS.max_bytes // (1024 * 1024)
            st.file_uploader(t("desk.files", mb=mb), accept_multiple_files=True, max_upload_size=mb, key=f"complete-files-{tid}")
            st.form_submit_button(t("desk.act.complete"), type="primary", disabled=not live, **dd.on_act(
                evidence.complete_with_files, _ok("desk.act.complete", code), actor, task_id=tid,
                fields={"note": f"complete-note-{tid}", "files": f"complete-files-{tid}"},
                convert=lambda kw: {**kw, "files": dd.uploaded(kw["files"])}))
    else:
        st.caption(t("desk.no_action"))


def rate_action(actor: Actor, task: pd.Series, live: bool) -> None:
    """派单评价 (1–5 stars) by the owning village."""
    tid = int(task["task_id"])
    with st.form(f"rate-{tid}"):
        st.slider(t("desk.stars"), 1, 5, 4, key=f"rate-stars-{tid}")
        st.text_input(t("desk.note"), key=f"rate-note-{tid}")
        st.form_submit_button(t("desk.act.rate"), type="primary", disabled=not live, **dd.on_act(
            workflow.rate_dispatch, _ok("desk.act.rate", task["code"]), actor, task_id=tid,
            fields={"rating": f"rate-stars-{tid}", "note": f"rate-note-{tid}"}, convert=_none_if_blank))


def score_actions(actor: Actor, task: pd.Series, live: bool) -> None:
    """评分 (quality 0–100, note) or 驳回 (reason) of a done task by the town leader in charge or town admin."""
    tid, code = int(task["task_id"]), task["code"]
    left, right = st.columns(2)
    with left.form(f"score-{tid}"):
        st.number_input(t("desk.quality"), min_value=0.0, max_value=100.0, value=90.0, step=1.0, key=f"score-q-{tid}")
        st.text_input(t("desk.note"), key=f"score-note-{tid}")
        st.form_submit_button(t("desk.act.score"), type="primary", disabled=not live, **dd.on_act(
            workflow.score, _ok("desk.act.score", code), actor, task_id=tid,
            fields={"quality": f"score-q-{tid}", "note": f"score-note-{tid}"}, convert=_none_if_blank))
    with right.form(f"reject-{tid}"):
        st.text_input(t("desk.reason"), key=f"reject-reason-{tid}")
        st.form_submit_button(t("desk.act.reject"), disabled=not live, **dd.on_act(
            workflow.reject, _ok("desk.act.reject", code), actor, task_id=tid, fields={"note": f"reject-reason-{tid}"}))


def urge_action(actor: Actor, task: pd.Series, live: bool) -> None:
    """催办 an open task the actor dispatched."""
    tid = int(task["task_id"])
    if task["status"] not in ("dispatched", "signed", "in_progress") or actor.role not in workflow.URGERS:
        return
    c = st.columns([4, 1], vertical_alignment="bottom")
    c[0].text_input(t("desk.note"), key=f"urge-note-{tid}")
    c[1].button(t("desk.act.urge"), key=f"urge-{tid}", disabled=not live, width="stretch", **dd.on_act(
        workflow.urge, _ok("desk.act.urge", task["code"]), actor, task_id=tid, fields={"note": f"urge-note-{tid}"},
        convert=_none_if_blank))


def count_label(label_key: str, n: int) -> str:
    """A section's label with its count."""
    return t("desk.section_label", label=t(label_key), n=num(n))


def status_label(status: str) -> str:
    """A task status in the viewer's language."""
    return term("task_status", status)
