"""Task reads for the 任务督办 page: one task with its event timeline, and the filter options of a scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

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
    matter_code: str
    facts: dict[str, object]
    events: pd.DataFrame  # at, action, actor, from_status, to_status, note (action and statuses as codes)


def task_detail(session: Session, scope: Scope, task_id: int) -> TaskDetail:
    """The task (NotFound when absent or outside the scope) with every event, oldest first."""
    village, owner, leader, disp = aliased(Region), aliased(Person), aliased(Person), aliased(Person)
    row = session.execute(
        sa.select(Task, col(village.name).label("village"), col(owner.name).label("owner"), col(leader.name).label("leader"),
                  col(disp.name).label("dispatcher"), col(MatterType.code).label("matter_code"), col(MatterType.name).label("matter"))
        .join(village, col(village.id) == Task.village_id).join(MatterType, col(MatterType.id) == Task.matter_type_id)
        .outerjoin(owner, col(owner.id) == Task.owner_id).outerjoin(leader, col(leader.id) == Task.leader_id)
        .outerjoin(disp, col(disp.id) == Task.dispatcher_id)
        .where(col(Task.id) == task_id, col(Task.village_id).between(scope.lo, scope.hi))).first()
    if row is None:
        raise NotFound(f"任务 {task_id} 不存在或不在您的数据权限范围内")
    t = row[0]
    facts: dict[str, object] = {
        "task_code": t.code, "matter": row.matter, "village": row.village, "owner": row.owner,
        "leader": row.leader, "dispatcher": row.dispatcher, "dispatched_at": t.dispatched_at, "deadline": t.deadline,
        "difficulty": float(t.difficulty), "urge_count": int(t.urge_count or 0), "quality_score": t.quality_score,
        "dispatch_rating": t.dispatch_rating, "needs_review": bool(t.needs_review), "co_office": t.co_office}
    ev = session.execute(
        sa.select(col(TaskEvent.at), col(TaskEvent.action), col(Person.name).label("actor"), col(TaskEvent.from_status),
                  col(TaskEvent.to_status), col(TaskEvent.note))
        .outerjoin(Person, col(Person.id) == TaskEvent.actor_id)
        .where(col(TaskEvent.task_id) == task_id).order_by(col(TaskEvent.at), col(TaskEvent.id))).all()
    events = pd.DataFrame([tuple(r) for r in ev], columns=["at", "action", "actor", "from_status", "to_status", "note"])
    return TaskDetail(t.id, t.code, t.title, t.status, row.matter_code, facts, events)


def urge_events(session: Session, task_id: int) -> int:
    """Number of 催办 events recorded for a task."""
    return int(session.execute(sa.select(sa.func.count()).where(col(TaskEvent.task_id) == task_id,
                                                             col(TaskEvent.action) == "urge")).scalar() or 0)


def filter_options(session: Session, scope: Scope) -> dict[str, list[tuple[int, str]]]:
    """Villages and owners of open tasks in scope as (id, label) pairs, sorted by label."""
    open_ = col(Task.status).in_([str(s) for s in OPEN_TASK_STATUSES])
    in_scope = col(Task.village_id).between(scope.lo, scope.hi)
    villages = session.execute(
        sa.select(col(Region.id), col(Region.name)).where(col(Region.level) == "village", col(Region.id).between(scope.lo, scope.hi))
        .order_by(Region.name, col(Region.id))).tuples().all()
    owners = session.execute(
        sa.select(col(Person.id), col(Person.name), sa.func.min(col(Region.name)))
        .join(Task, col(Task.owner_id) == Person.id).join(Region, col(Region.id) == Task.village_id)
        .where(open_, in_scope).group_by(col(Person.id), Person.name).order_by(Person.name, col(Person.id))).tuples().all()
    return {"villages": [(int(i), n) for i, n in villages],
            "owners": [(int(i), f"{n}（{v}）") for i, n, v in owners]}



def dataset_window(session: Session) -> tuple[date, date]:
    """(first day, as-of day) of the seeded history from the meta table (settings as-of when absent)."""
    rows = dict(session.execute(sa.select(col(Meta.key), col(Meta.value)).where(col(Meta.key).in_(("start", "as_of")))).all())
    end = date.fromisoformat(rows["as_of"]) if "as_of" in rows else get_settings().as_of
    start = date.fromisoformat(rows["start"]) if "start" in rows else end - timedelta(days=364)
    return start, end
