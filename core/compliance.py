"""合规审查 (SPEC §5): tasks that took the 其他/加急 path wait here until a reviewer approves or flags them.

`review_queue` lists the scope's tasks with `needs_review` still set, oldest first. `review` (approve or
flag, with a note) clears `needs_review` and appends one `TaskEvent` (action `review_ok` or `review_flag`);
the 过筛 report counts both outcomes (core.screening). Call `review` inside `session_scope(engine, write=True)`:
a refused call raises a DomainError before anything is written.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.actors import Actor
from core.errors import DomainError, NotFound, PermissionDenied, TaskStateError
from core.models import Person, Region, Task, TaskEvent
from core.scope import Scope

#: Who reviews an emergency dispatch afterwards: the township's administrator, or the county/city above it.
REVIEWERS = frozenset({"town_admin", "county_admin", "city_admin", "city_operator"})
OUTCOMES = {"approve": "review_ok", "flag": "review_flag"}
QUEUE_COLUMNS = ["task_id", "code", "title", "village", "dispatcher", "dispatched_at", "reason", "status"]


def review_queue(session: Session, scope: Scope, limit: int = 200) -> pd.DataFrame:
    """Emergency-path tasks of the scope still waiting for their compliance review, oldest first."""
    reason = (sa.select(col(TaskEvent.note)).where(col(TaskEvent.task_id) == Task.id, col(TaskEvent.action) == "dispatch")
              .limit(1).scalar_subquery())
    rows = session.execute(
        sa.select(col(Task.id), col(Task.code), col(Task.title), col(Region.name), col(Person.name),
                  col(Task.dispatched_at), reason, col(Task.status))
        .join(Region, col(Region.id) == Task.village_id).join(Person, col(Person.id) == Task.dispatcher_id)
        .where(col(Task.needs_review), col(Task.village_id).between(scope.lo, scope.hi))
        .order_by(col(Task.dispatched_at), col(Task.id)).limit(limit)).tuples().all()
    return pd.DataFrame([tuple(r) for r in rows], columns=QUEUE_COLUMNS)


def review(session: Session, *, actor: Actor, task_id: int, outcome: str, note: str | None, now: datetime) -> Task:
    """合规审查: approve or flag an emergency-path task; clears needs_review; returns the task."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})
    actor.check_may_write()
    if actor.role not in REVIEWERS:
        raise PermissionDenied(f"{actor.name}无权做合规审查（镇级管理员或县级以上）")
    task = session.get(Task, task_id, populate_existing=True, with_for_update=True)
    if task is None:
        raise NotFound(f"任务 {task_id} 不存在")
    actor.scope.check(task.village_id)
    if outcome not in OUTCOMES:
        raise DomainError(f"审查结论只能是 通过/标记问题，不是「{outcome}」")
    if not task.needs_review:
        raise TaskStateError(f"任务 {task.code} 已审查过或无需合规审查")
    if outcome == "flag" and not (note or "").strip():
        raise DomainError("标记问题须写明理由")
    task.needs_review = False
    session.add(task)
    session.add(TaskEvent(task_id=int(task_id), at=now, actor_id=actor.person_id, action=OUTCOMES[outcome],
                          from_status=None, to_status=None,
                          note=((note or "").strip() or ("合规审查通过" if outcome == "approve" else None) or "")[:256]))
    session.flush()
    return task
