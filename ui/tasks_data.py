"""Cached reads, the acting user, 催办 and renderers for the 任务督办 page (keys: scope, day, filters, version)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import alerts as al
from core import screening, task_queries, workflow
from core.actors import Actor, first_actor
from core.config import get_settings
from core.db import session_scope
from core.enums import MODULE_LABEL, ROLE_LABEL, TASK_CATEGORY_LABEL, TASK_STATUS_LABEL
from core.errors import DomainError, NotFound
from core.scope import Scope, ScopeError
from ui.data import bump_data_version, engine

AS_OF_KEY = "as_of"
PAGE_ROWS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_LABELS = {"code": "任务编号", "title": "任务", "category": "类别", "module": "模块", "status": "状态",
                "village": "村社", "township": "乡镇", "owner": "责任人", "leader": "分管领导", "deadline": "办理期限",
                "days_overdue": "逾期天数", "level": "预警", "urge_count": "催办次数"}
VIEWS = {"临期": ("near_due",), "逾期": ("overdue", "town", "county"), "升级": ("town", "county")}
_ACTOR_ROLE = {"city": ("city_admin", "city_operator"), "county": ("county_admin",),
               "township": ("town_leader", "town_admin"), "village": ("town_leader", "town_admin")}


@st.cache_data(ttl=600, show_spinner=False)
def window() -> tuple[date, date]:
    """(first day, as-of day) of the seeded history."""
    with Session(engine()) as s:
        return task_queries.dataset_window(s)


def as_of_picker() -> date:
    """The day in view: a sidebar date input limited to the seeded window, kept in st.session_state["as_of"]."""
    start, end = window()
    current = st.session_state.get(AS_OF_KEY) or get_settings().as_of
    current = min(max(current, start), end)
    picked = st.sidebar.date_input("数据截至（查看某一天）", value=current, min_value=start, max_value=end,
                                   key="tasks-as-of", format="YYYY-MM-DD")
    st.session_state[AS_OF_KEY] = picked
    return picked


@st.cache_data(ttl=600, max_entries=128, show_spinner="正在计算预警…")
def alerts(scope: Scope, as_of: date, filters: al.AlertFilters, version: int, limit: int | None = None) -> pd.DataFrame:
    """Alerted tasks in scope, most urgent first (the first `limit` when given)."""
    with Session(engine()) as s:
        return al.alerts(s, scope, as_of, filters=filters, limit=limit)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def counts(scope: Scope, as_of: date, version: int) -> dict[str, int]:
    """Alert counts per level."""
    with Session(engine()) as s:
        return al.alert_counts(s, scope, as_of)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def options(scope: Scope, version: int) -> dict[str, list[tuple[int, str]]]:
    """Villages and owners to filter by."""
    with Session(engine()) as s:
        return task_queries.filter_options(s, scope)


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def detail(scope: Scope, task_id: int, version: int) -> task_queries.TaskDetail:
    """One task and its event timeline."""
    with Session(engine()) as s:
        return task_queries.task_detail(s, scope, task_id)


@st.cache_data(ttl=600, max_entries=64, show_spinner="正在统计过筛…")
def screening_report(scope: Scope, start: date, end: date, version: int) -> screening.ScreeningReport:
    """过筛 report of the scope and window."""
    with Session(engine()) as s:
        return screening.screening_report(s, scope, start, end)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def demo_actor(scope: Scope) -> Actor | None:
    """Until sign-in reaches this page: the town leader of the region in view (county/city: their admin)."""
    within = Scope(scope.region_id // 1000 * 1000, "township") if scope.level == "village" else scope
    with Session(engine()) as s:
        for role in _ACTOR_ROLE.get(scope.level, ()):
            try:
                return first_actor(s, role, within=within)
            except NotFound:
                continue
    return None


def acting_user(ctx, view: Scope) -> Actor | None:
    """The signed-in actor when their role may 催办 and the account is not read-only; else None."""
    actor = getattr(ctx, "actor", None)
    if isinstance(actor, Actor) and actor.role in workflow.URGERS and not getattr(ctx, "read_only", False):
        return actor
    return None


def actor_label(actor: Actor | None) -> str:
    """'name（role label）' of the acting user."""
    return "（无可用的督办人）" if actor is None else f"{actor.name}（{ROLE_LABEL.get(actor.role, actor.role)}）"


def do_urge(actor: Actor, task_id: int, note: str | None, as_of: date) -> int:
    """催办 through core in one write transaction; bumps the data version; returns the new urge count.

    The demo clock is the as-of day at the current time of day, so events sort inside the seeded year.
    """
    now = datetime.combine(as_of, datetime.now().time().replace(microsecond=0))
    with session_scope(engine(), write=True) as s:
        task = workflow.urge(s, actor=actor, task_id=task_id, note=(note or "").strip() or None, now=now)
        count = task.urge_count
    bump_data_version()
    return count


def urge_clicked(actor: Actor, task_id: int, code: str, note_key: str, as_of: date) -> None:
    """Button callback: 催办 the task with the typed note, leave a flash message, clear the note."""
    try:
        count = do_urge(actor, task_id, st.session_state.get(note_key), as_of)
        st.session_state["tasks-flash"] = [("ok", f"已催办 {code}，累计催办 {count} 次")]
        st.session_state[note_key] = ""
    except (DomainError, ScopeError) as err:
        st.session_state["tasks-flash"] = [("err", str(err))]


def table(df: pd.DataFrame) -> pd.DataFrame:
    """The alert list with Chinese labels and values, for display and export."""
    out = df[list(TABLE_LABELS)].copy()
    out["category"] = out["category"].map(TASK_CATEGORY_LABEL).fillna(out["category"])
    out["module"] = out["module"].map(MODULE_LABEL).fillna(out["module"])
    out["status"] = out["status"].map(TASK_STATUS_LABEL).fillna(out["status"])
    out["level"] = out["level"].map(al.LEVEL_LABEL)
    return out.rename(columns=TABLE_LABELS)


def excel(df: pd.DataFrame, sheet: str) -> bytes:
    """An .xlsx of the list (header frozen)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        table(df).to_excel(xw, sheet_name=sheet[:31], index=False)
        xw.sheets[sheet[:31]].freeze_panes = "A2"
    return buf.getvalue()


def render_detail(d: task_queries.TaskDetail) -> None:
    """Facts and the full event timeline (派发 → 签收 → …) of one task."""
    st.markdown(f"#### {d.title} · {TASK_STATUS_LABEL.get(d.status, d.status)}")
    facts = list(d.facts.items())
    cols = st.columns(4)
    for i, (k, v) in enumerate(facts):
        cols[i % 4].markdown(f"**{k}**：{v}")
    ev = d.events.assign(
        from_status=d.events["from_status"].map(TASK_STATUS_LABEL),
        to_status=d.events["to_status"].map(TASK_STATUS_LABEL),
        at=pd.to_datetime(d.events["at"]).dt.strftime("%Y-%m-%d %H:%M")).astype(object).fillna("—")
    st.markdown(" → ".join(dict.fromkeys(ev.loc[ev["action"] != "urge", "action_label"])) or "—")
    st.dataframe(ev[["at", "action_label", "actor", "from_status", "to_status", "note"]].rename(columns={
        "at": "时间", "action_label": "动作", "actor": "操作人", "from_status": "原状态", "to_status": "新状态",
        "note": "备注"}), hide_index=True, width="stretch", key=f"timeline-{d.task_id}")


def render_screening(rep: screening.ScreeningReport, start: date, end: date) -> None:
    """过筛 report: totals, share, and the refusals by dispatcher and by matter type."""
    c = st.columns(4)
    c[0].metric("过筛拦截", f"{rep.screened:,}")
    c[1].metric("正常派发", f"{rep.dispatched:,}")
    c[2].metric("拦截占比", f"{rep.share:.1%}", help="拦截 ÷（拦截 + 派发）")
    c[3].metric("加急待审", f"{rep.emergency:,}", help="走“其他/加急”通道、需事后合规审查的任务")
    st.caption(f"统计区间 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}")
    left, right = st.columns(2)
    left.markdown("**按派单人**")
    left.dataframe(rep.by_dispatcher.drop(columns="dispatcher_id").rename(
        columns={"dispatcher": "派单人", "region": "所在单位", "screened": "被拦截"}), hide_index=True, width="stretch")
    right.markdown("**按事项类型**")
    right.dataframe(rep.by_matter.rename(columns={"matter_code": "事项编码", "matter": "事项", "screened": "被拦截",
                                                  "reason": "拦截理由"}), hide_index=True, width="stretch")
