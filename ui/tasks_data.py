"""Cached reads, the acting user, 催办 and renderers for the 任务督办 page (keys: scope, day, filters, version)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import export, screening, task_queries, workflow
from core import task_alerts as al
from core.actors import Actor
from core.config import LIST_LIMITS
from core.db import session_scope
from core.errors import DomainError
from core.scope import Scope, ScopeError
from ui.data import bump_data_version, engine, write_timer
from ui.i18n import day, error_text, headers, matter, named, num, pct, person, place, t, term, values
from ui.text import md

PAGE_ROWS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_LABELS = {"code": "col.task_code", "title": "col.task", "category": "col.category", "module": "col.module",
                "status": "col.status", "village": "col.village", "township": "col.township", "owner": "col.owner",
                "leader": "col.leader", "deadline": "col.deadline", "days_overdue": "col.days_overdue",
                "level": "col.alert", "urge_count": "col.urge_count"}
#: view key → alert levels it lists (labels: tasks.view.<key>)
VIEWS = {"near_due": ("near_due",), "overdue": ("overdue", "town", "county"), "escalated": ("town", "county")}


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def alerts(scope: Scope, as_of: date, filters: al.AlertFilters, version: int, limit: int | None = None) -> pd.DataFrame:
    """Alerted tasks in scope, most urgent first (the first `limit` when given)."""
    with Session(engine()) as s:
        return al.alerts(s, scope, as_of, filters=filters, limit=limit)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def counts(scope: Scope, as_of: date, version: int) -> dict[str, int]:
    """Alert counts per level."""
    with Session(engine()) as s:
        return al.alert_counts(s, scope, as_of)


@st.cache_resource(ttl=600, max_entries=64, show_spinner=False)
def options(scope: Scope, version: int) -> dict[str, list[tuple[int, str]]]:
    """Villages and owners to filter by (read-only: shared, not unpickled per rerun — thousands of small
    tuples cost ~0.3 s of garbage collection in a loaded server)."""
    if scope.level in LIST_LIMITS.wide_levels:  # tens of thousands, and a minute of joins on the open tasks
        return {"villages": [], "owners": []}
    with Session(engine()) as s:
        return task_queries.filter_options(s, scope)


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def detail(scope: Scope, task_id: int, version: int) -> task_queries.TaskDetail:
    """One task and its event timeline."""
    with Session(engine()) as s:
        return task_queries.task_detail(s, scope, task_id)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def screening_report(scope: Scope, start: date, end: date, version: int) -> screening.ScreeningReport:
    """过筛 report of the scope and window."""
    with Session(engine()) as s:
        return screening.screening_report(s, scope, start, end)


def acting_user(ctx, view: Scope) -> Actor | None:
    """The signed-in actor when their role may 催办 and the account is not read-only; else None."""
    actor = getattr(ctx, "actor", None)
    if isinstance(actor, Actor) and actor.role in workflow.URGERS and not getattr(ctx, "read_only", False):
        return actor
    return None


def actor_label(actor: Actor | None) -> str:
    """'name（role label）' of the acting user."""
    return t("tasks.no_actor") if actor is None else t("tasks.actor", name=md(person(actor.name)), role=term("role", actor.role))


def do_urge(actor: Actor, task_id: int, note: str | None, as_of: date) -> int:
    """催办 through core in one write transaction; bumps the data version; returns the new urge count.

    The demo clock is the as-of day at the current time of day, so events sort inside the seeded year.
    """
    now = datetime.combine(as_of, datetime.now().time().replace(microsecond=0))
    with write_timer("urge"), session_scope(engine(), write=True) as s:
        task = workflow.urge(s, actor=actor, task_id=task_id, note=(note or "").strip() or None, now=now)
        count = task.urge_count
    bump_data_version()
    return count


def urge_clicked(actor: Actor, task_id: int, code: str, note_key: str, as_of: date) -> None:
    """Button callback: 催办 the task with the typed note, leave a flash message, clear the note."""
    try:
        count = do_urge(actor, task_id, st.session_state.get(note_key), as_of)
        st.session_state["tasks-flash"] = [("ok", t("tasks.urged", code=code, n=count))]
        st.session_state[note_key] = ""
    except (DomainError, ScopeError) as err:
        st.session_state["tasks-flash"] = [("err", error_text(err))]


def table(df: pd.DataFrame) -> pd.DataFrame:
    """The alert list with labels and values in the viewer's language, for display and export."""
    out = df[list(TABLE_LABELS)].copy()
    for col, kind in (("category", "task_category"), ("module", "module"), ("status", "task_status"), ("level", "alert_level")):
        distinct = out[col].drop_duplicates()  # a handful of codes over hundreds of rows: translate each once
        labels = dict(zip(distinct, values(distinct, kind), strict=True))
        out[col] = [labels.get(v, v) for v in out[col]]
    return headers(named(out, places=("village", "township"), people=("owner", "leader")), TABLE_LABELS)


def excel(df: pd.DataFrame, sheet: str) -> bytes:
    """An .xlsx of the list (header frozen, cells neutralised by core.export)."""
    return export.workbook_bytes({sheet: table(df)})


def render_detail(d: task_queries.TaskDetail) -> None:
    """Facts and the full event timeline (派发 → 签收 → …) of one task."""
    st.markdown(f"#### {md(matter(d.matter_code, d.title))} · {term('task_status', d.status)}")
    facts = list(d.facts.items())
    cols = st.columns(4)
    for i, (k, v) in enumerate(facts):
        shown = f"{matter(d.matter_code, str(v))}（{d.matter_code}）" if k == "matter" else _fact_value(k, v)
        cols[i % 4].markdown(f"**{t(f'col.{k}')}**{t('tasks.fact_sep')}{md(shown)}")
    ev = d.events.assign(
        action_label=values(d.events["action"], "task_action"),
        from_status=values(d.events["from_status"], "task_status"),
        to_status=values(d.events["to_status"], "task_status"),
        at=[day(a, with_time=True) for a in pd.to_datetime(d.events["at"])]).astype(object).fillna("—")
    ev = named(ev, places=(), people=("actor",))
    st.markdown(" → ".join(dict.fromkeys(ev.loc[ev["action"] != "urge", "action_label"])) or "—")
    st.dataframe(headers(ev[["at", "action_label", "actor", "from_status", "to_status", "note"]], {
        "at": "col.time", "action_label": "col.action", "actor": "col.operator", "from_status": "tasks.from_status",
        "to_status": "tasks.to_status", "note": "col.note"}), hide_index=True, width="stretch", key=f"timeline-{d.task_id}")


_PLACE_FACTS = frozenset({"village", "township"})
_PERSON_FACTS = frozenset({"owner", "leader", "dispatcher"})


def _fact_value(key: str, value: object) -> str:
    """A task fact from core in the viewer's language: times, yes/no, stars and numbers formatted; names as they are."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return term("bool", str(value).lower())
    if isinstance(value, datetime):
        return day(value, with_time=True)
    if isinstance(value, date):
        return day(value)
    if key == "dispatch_rating":
        return t("tasks.stars", n=int(value))
    if key == "co_office":
        return term("co_office", str(value))
    if key == "quality_score":
        return num(float(value), 1)
    if isinstance(value, float):
        return f"{value:g}"
    if key in _PLACE_FACTS:
        return place(str(value))
    return person(str(value)) if key in _PERSON_FACTS else str(value)


def render_screening(rep: screening.ScreeningReport, start: date, end: date) -> None:
    """过筛 report: totals, share, and the refusals by dispatcher and by matter type."""
    c = st.columns(4)
    c[0].metric(t("tasks.screened"), num(rep.screened))
    c[1].metric(t("tasks.dispatched"), num(rep.dispatched))
    c[2].metric(t("tasks.screened_share"), pct(rep.share), help=t("tasks.screened_share_help"))
    c[3].metric(t("tasks.emergency"), num(rep.emergency), help=t("tasks.emergency_help"))
    st.caption(t("tasks.window", start=day(start), end=day(end)))
    st.caption(t("desk.screening_after", emergency=num(rep.emergency), ok=num(rep.review_approved),
                 flag=num(rep.review_flagged), pending=num(rep.review_pending)))
    left, right = st.columns(2)
    left.markdown(f"**{t('tasks.by_dispatcher')}**")
    left.dataframe(headers(rep.by_dispatcher.drop(columns="dispatcher_id"), {
        "dispatcher": "col.dispatcher_name", "region": "col.unit_org", "screened": "col.screened"}),
        hide_index=True, width="stretch")
    right.markdown(f"**{t('tasks.by_matter')}**")
    right.dataframe(headers(rep.by_matter, {"matter_code": "col.matter_code", "matter": "col.matter",
                                            "screened": "col.screened", "reason": "col.reason"}),
                    hide_index=True, width="stretch")
