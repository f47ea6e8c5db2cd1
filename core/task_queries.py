"""Task reads for the 任务督办 page: one task with its event timeline, and the filter options of a scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from core.config import get_settings
from core.enums import OPEN_TASK_STATUSES
from core.errors import NotFound
from core.models import MatterType, Meta, Person, Region, Task, TaskEvent
from core.scope import Scope


@dataclass(frozen=True)
class TaskDetail:
    """One task's facts (column key → typed value; ui formats them) and its full event timeline, oldest first."""

    task_id: int
    code: str
    title: str
    status: str
    facts: dict[str, object]
    events: pd.DataFrame  # at, action, actor, from_status, to_status, note (action and statuses as codes)


def task_detail(session: Session, scope: Scope, task_id: int) -> TaskDetail:
    """The task (NotFound when absent or outside the scope) with every event, oldest first."""
    village, owner, leader, disp = aliased(Region), aliased(Person), aliased(Person), aliased(Person)
    row = session.exec(
        sa.select(Task, village.name.label("village"), owner.name.label("owner"), leader.name.label("leader"),
                  disp.name.label("dispatcher"), MatterType.code.label("matter_code"), MatterType.name.label("matter"))
        .join(village, village.id == Task.village_id).join(MatterType, MatterType.id == Task.matter_type_id)
        .outerjoin(owner, owner.id == Task.owner_id).outerjoin(leader, leader.id == Task.leader_id)
        .outerjoin(disp, disp.id == Task.dispatcher_id)
        .where(Task.id == task_id, Task.village_id.between(scope.lo, scope.hi))).first()
    if row is None:
        raise NotFound(f"任务 {task_id} 不存在或不在您的数据权限范围内")
    t = row[0]
    facts: dict[str, object] = {
        "task_code": t.code, "matter": f"{row.matter}（{row.matter_code}）", "village": row.village, "owner": row.owner,
        "leader": row.leader, "dispatcher": row.dispatcher, "dispatched_at": t.dispatched_at, "deadline": t.deadline,
        "difficulty": float(t.difficulty), "urge_count": int(t.urge_count or 0), "quality_score": t.quality_score,
        "dispatch_rating": t.dispatch_rating, "needs_review": bool(t.needs_review)}
    ev = session.exec(
        sa.select(TaskEvent.at, TaskEvent.action, Person.name.label("actor"), TaskEvent.from_status,
                  TaskEvent.to_status, TaskEvent.note)
        .outerjoin(Person, Person.id == TaskEvent.actor_id)
        .where(TaskEvent.task_id == task_id).order_by(TaskEvent.at, TaskEvent.id)).all()
    events = pd.DataFrame([tuple(r) for r in ev], columns=["at", "action", "actor", "from_status", "to_status", "note"])
    return TaskDetail(t.id, t.code, t.title, t.status, facts, events)


def urge_events(session: Session, task_id: int) -> int:
    """Number of 催办 events recorded for a task."""
    return int(session.exec(sa.select(sa.func.count()).where(TaskEvent.task_id == task_id,
                                                             TaskEvent.action == "urge")).scalar() or 0)


def filter_options(session: Session, scope: Scope) -> dict[str, list[tuple[int, str]]]:
    """Villages and owners of open tasks in scope as (id, label) pairs, sorted by label."""
    open_ = Task.status.in_([str(s) for s in OPEN_TASK_STATUSES])
    in_scope = Task.village_id.between(scope.lo, scope.hi)
    villages = session.exec(
        sa.select(Region.id, Region.name).where(Region.level == "village", Region.id.between(scope.lo, scope.hi))
        .order_by(Region.name, Region.id)).all()
    owners = session.exec(
        sa.select(Person.id, Person.name, sa.func.min(Region.name))
        .join(Task, Task.owner_id == Person.id).join(Region, Region.id == Task.village_id)
        .where(open_, in_scope).group_by(Person.id, Person.name).order_by(Person.name, Person.id)).all()
    return {"villages": [(int(i), n) for i, n in villages],
            "owners": [(int(i), f"{n}（{v}）") for i, n, v in owners]}



def dataset_window(session: Session) -> tuple[date, date]:
    """(first day, as-of day) of the seeded history from the meta table (settings as-of when absent)."""
    rows = dict(session.exec(sa.select(Meta.key, Meta.value).where(Meta.key.in_(("start", "as_of")))).all())
    end = date.fromisoformat(rows["as_of"]) if "as_of" in rows else get_settings().as_of
    start = date.fromisoformat(rows["start"]) if "start" in rows else end - timedelta(days=364)
    return start, end
