"""任务流转 services (SPEC §5): dispatch with 过筛, sign, start, complete, score, reject, rate and 催办.

Every service takes the caller's session and a keyword-only `actor` and `now`, checks role and
scope, validates the transition, then changes the task and appends exactly one `TaskEvent`.
Call each one inside `session_scope(engine, write=True)`: the session commits on success and
rolls back on any error. Services also take SQLite's write lock first (BEGIN IMMEDIATE) when the
session has no transaction yet, so concurrent writers queue on the busy timeout instead of
failing with "database is locked". A refused call raises a DomainError (or ScopeError) before
anything is written.

Transitions (SPEC §5):
    dispatch → dispatched → sign → signed → start → in_progress → complete → done → score → scored
    reject: done → rejected (town leader in charge or town admin: 驳回办结), or
            dispatched → rejected (the owning village returns a dispatch that is not its duty: 退回)
    rate_dispatch (派单评价, village, once, after signing) and urge (催办, above the village, open tasks)
    change no status; their events carry from_status = to_status = None.

The one exception to "refused calls write nothing" is 过筛: a dispatch whose matter type is not
on the 准入清单 commits a `DispatchScreening` row (the refusal is itself the recorded event of
that dispatch) and then raises ScreeningRejected. Call `dispatch` in a session of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col

from core import rollups, screening
from core.actors import Actor
from core.enums import OPEN_TASK_STATUSES, TASK_STATUS_LABEL, TaskCategory, TaskStatus
from core.errors import NotFound, PermissionDenied, ScreeningRejected, TaskStateError
from core.models import DispatchScreening, MatterType, Post, Task, TaskEvent

VILLAGE_CADRES = frozenset({"village_secretary", "village_committee", "village_admin"})
DISPATCHERS = frozenset({"town_admin", "town_leader", "line_cadre", "county_admin", "city_admin", "city_operator"})
SCORERS = frozenset({"town_leader", "town_admin"})
URGERS = frozenset({"town_admin", "town_party_deputy", "town_leader", "stationed_cadre", "line_cadre",
                    "county_admin", "city_admin", "city_operator"})
CATEGORY_FACTOR = {"major": 2.0, "superior": 1.3, "township": 1.0, "village_report": 0.8, "pledge": 1.5}
_LEADER_TITLE = {"party_building": "党建", "economy": "经济", "safety": "平安", "public_service": "社会事业"}


def _lock(session: Session) -> None:
    """Begin the transaction with the write lock held (SQLite BEGIN IMMEDIATE) unless one is open."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})


def _role(actor: Actor, allowed: Iterable[str], what: str) -> None:
    actor.check_may_write()  # 大屏 / read-only accounts: one message on every write path
    if actor.role not in allowed:
        raise PermissionDenied(f"{actor.name}（{actor.role}）无权{what}")


def _task(session: Session, actor: Actor, task_id: int) -> Task:
    """The task, refreshed under the lock, after checking it lies in the actor's scope."""
    task = session.get(Task, task_id, populate_existing=True, with_for_update=True)  # PG: row lock
    if task is None:
        raise NotFound(f"任务 {task_id} 不存在")
    actor.scope.check(task.village_id)
    return task


def _state(task: Task, allowed: Iterable[str], what: str) -> None:
    if task.status not in allowed:
        label = TASK_STATUS_LABEL.get(task.status, task.status)
        raise TaskStateError(f"任务 {task.code} 当前为「{label}」，不能{what}")


def _event(session: Session, task: Task, actor: Actor, action: str, frm: str | None, to: str | None,
           note: str | None, now: datetime) -> None:
    session.add(TaskEvent(task_id=cast(int, task.id), at=now, actor_id=actor.person_id, action=action,
                          from_status=frm, to_status=to, note=(note or None) and note[:256]))


def _move(session: Session, task: Task, actor: Actor, action: str, to: TaskStatus, note: str | None,
          now: datetime) -> Task:
    frm = task.status
    task.status = str(to)
    session.add(task)
    _event(session, task, actor, action, frm, str(to), note, now)
    session.flush()
    rollups.touch_task(session, task, now=now)  # 汇总表, indicators and scores in the same transaction (core.live)
    return task


def _village_cadre(actor: Actor, task: Task, what: str) -> None:
    _role(actor, VILLAGE_CADRES, what)
    if actor.region_id != task.village_id:
        raise PermissionDenied(f"{actor.name} 不是任务 {task.code} 所属村社的干部，不能{what}")


@dataclass(frozen=True)
class VillageStep:
    """One step the owning village takes: from which status, to which, the time it stamps, and its words."""

    action: str
    source: TaskStatus
    target: TaskStatus
    stamp: str
    verb: str
    refusal: str


#: The village's side of the task state machine (SPEC §5): 签收 → 开始办理 → 办结.
VILLAGE_STEPS: dict[str, VillageStep] = {step.action: step for step in (
    VillageStep("sign", TaskStatus.DISPATCHED, TaskStatus.SIGNED, "signed_at", "签收", "签收"),
    VillageStep("start", TaskStatus.SIGNED, TaskStatus.IN_PROGRESS, "started_at", "开始办理", "开始办理（须先签收）"),
    VillageStep("complete", TaskStatus.IN_PROGRESS, TaskStatus.DONE, "done_at", "办结", "办结（须先签收并开始办理）"),
)}


def village_step(session: Session, *, actor: Actor, task_id: int, action: str, note: str | None = None,
                 now: datetime) -> Task:
    """The owning village moves its task one step along VILLAGE_STEPS; returns the task."""
    step = VILLAGE_STEPS[action]
    _lock(session)
    task = _task(session, actor, task_id)
    _village_cadre(actor, task, step.verb)
    _state(task, (step.source,), step.refusal)
    if now < task.dispatched_at:
        raise TaskStateError(f"{step.verb}时间不能早于派发时间（{task.dispatched_at:%Y-%m-%d %H:%M}）")
    setattr(task, step.stamp, now)
    return _move(session, task, actor, step.action, step.target, note, now)


def sign(session: Session, *, actor: Actor, task_id: int, note: str | None = None, now: datetime) -> Task:
    """签收: dispatched → signed, by a cadre of the owning village; returns the task."""
    return village_step(session, actor=actor, task_id=task_id, action="sign", note=note, now=now)


def start(session: Session, *, actor: Actor, task_id: int, note: str | None = None, now: datetime) -> Task:
    """开始办理: signed → in_progress, by a cadre of the owning village; returns the task."""
    return village_step(session, actor=actor, task_id=task_id, action="start", note=note, now=now)


def complete(session: Session, *, actor: Actor, task_id: int, note: str | None = None, now: datetime) -> Task:
    """办结: in_progress → done, by a cadre of the owning village; returns the task."""
    return village_step(session, actor=actor, task_id=task_id, action="complete", note=note, now=now)


def _town_reviewer(actor: Actor, task: Task, what: str) -> None:
    _role(actor, SCORERS, what)
    if actor.role == "town_leader" and task.leader_id not in (None, actor.person_id):
        raise PermissionDenied(f"{actor.name} 不是任务 {task.code} 的分管领导，不能{what}")


def score(session: Session, *, actor: Actor, task_id: int, quality: float, note: str | None = None,
          now: datetime) -> Task:
    """评分: done → scored with a quality score 0–100, by the town leader in charge or town admin."""
    _lock(session)
    task = _task(session, actor, task_id)
    _town_reviewer(actor, task, "评分")
    _state(task, (TaskStatus.DONE,), "评分（须先办结）")
    if not 0 <= float(quality) <= 100:
        raise TaskStateError("质量评分须在 0–100 之间")
    task.quality_score, task.scored_at = round(float(quality), 1), now
    return _move(session, task, actor, "score", TaskStatus.SCORED, note or f"质量评分 {float(quality):.1f}", now)


def reject(session: Session, *, actor: Actor, task_id: int, note: str | None, now: datetime) -> Task:
    """驳回: a town reviewer rejects a completion (done → rejected), or the village returns a dispatch."""
    _lock(session)
    task = _task(session, actor, task_id)
    if actor.role in VILLAGE_CADRES:
        _village_cadre(actor, task, "退回任务")
        _state(task, (TaskStatus.DISPATCHED,), "退回（只能退回尚未签收的任务）")
    else:
        _town_reviewer(actor, task, "驳回")
        _state(task, (TaskStatus.DONE,), "驳回（只能驳回已办结、未评分的任务）")
    if not (note or "").strip():
        raise TaskStateError("驳回须填写理由")
    return _move(session, task, actor, "reject", TaskStatus.REJECTED, note, now)


def rate_dispatch(session: Session, *, actor: Actor, task_id: int, rating: int, note: str | None = None,
                  now: datetime) -> Task:
    """派单评价: the owning village rates the dispatch 1–5 once, any time after signing."""
    _lock(session)
    task = _task(session, actor, task_id)
    _village_cadre(actor, task, "评价派单")
    _state(task, (TaskStatus.SIGNED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.SCORED), "评价派单")
    if task.dispatch_rating is not None:
        raise TaskStateError(f"任务 {task.code} 已评价过派单（{task.dispatch_rating} 星）")
    if int(rating) not in range(1, 6):
        raise TaskStateError("派单评价须为 1–5 星")
    task.dispatch_rating = int(rating)
    session.add(task)
    _event(session, task, actor, "rate", None, None, note or f"派单评价 {int(rating)} 星", now)
    session.flush()
    return task


def urge(session: Session, *, actor: Actor, task_id: int, note: str | None, now: datetime) -> Task:
    """催办: anyone above the village, within scope, pushes an open task; returns it with urge_count + 1."""
    _lock(session)
    task = _task(session, actor, task_id)
    _role(actor, URGERS, "催办")
    _state(task, OPEN_TASK_STATUSES, "催办（只能催办未办结的任务）")
    task.urge_count = int(task.urge_count or 0) + 1
    task.last_urged_at = now
    session.add(task)
    _event(session, task, actor, "urge", None, None, note, now)
    session.flush()
    # no rollup, indicator or 领雁指数 input counts urges (urge_count is read raw by the alert lists), so a 催办
    # moves no number: it skips core.live's recount and holds the write lock for one UPDATE and one INSERT
    return task


def dispatch(session: Session, *, actor: Actor, village_id: int, matter_code: str, title: str, category: str,
             deadline: date, now: datetime, owner_id: int | None = None, leader_id: int | None = None,
             grid_id: int | None = None, co_office: str | None = None, difficulty: float | None = None,
             note: str | None = None, module: str | None = None, reason: str | None = None) -> Task:
    """派发 with 过筛: a new dispatched task, or ScreeningRejected (its DispatchScreening row committed).

    `owner_id` defaults to the village's 村书记; `module` to the matter type's. The 其他/加急 path needs a
    written `reason` and leaves the task flagged for the compliance review (`needs_review`)."""
    _lock(session)
    actor.scope.check(village_id)
    _dispatch_role(actor, category, village_id)
    if deadline < now.date():
        raise TaskStateError("办理期限不能早于派发日期")
    if module is not None and module not in _LEADER_TITLE:
        raise TaskStateError(f"未知模块：{module}")
    owner_id = owner_id if owner_id is not None else _default_owner(session, village_id)
    if owner_id is None or not _is_village_cadre(session, owner_id, village_id):
        raise PermissionDenied(f"责任人 {owner_id} 不是该村社的干部")
    matter = session.execute(sa.select(MatterType).where(col(MatterType.code) == matter_code)).scalar()
    refusal = screening.refusal_reason(matter, matter_code)
    if refusal:
        session.add(DispatchScreening(at=now, dispatcher_id=actor.person_id, dispatcher_region_id=actor.region_id,
                                      village_id=village_id, matter_type_id=matter.id if matter else None,
                                      matter_code=matter_code[:16], title=title[:128], reason=refusal[:128]))
        session.commit()  # the refusal is the record: it must survive the exception below
        raise ScreeningRejected(refusal)
    matter = cast(MatterType, matter)  # _screen refuses an unknown code
    if matter.emergency and not (reason or "").strip():
        raise TaskStateError("其他/加急事项须填写加急理由（事后合规审查）")
    task = _new_task(session, actor, matter, village_id=village_id, title=title, category=category,
                     deadline=deadline, owner_id=owner_id, now=now, grid_id=grid_id, co_office=co_office,
                     difficulty=difficulty, module=module,
                     leader_id=leader_id or _leader_in_charge(session, actor, village_id, module or matter.module))
    text = f"加急理由：{reason.strip()}（事后合规审查）" if matter.emergency and reason else note
    _event(session, task, actor, "dispatch", None, str(TaskStatus.DISPATCHED), text, now)
    session.flush()
    rollups.touch_task(session, task, now=now)
    return task


def _dispatch_role(actor: Actor, category: str, village_id: int) -> None:
    if category not in CATEGORY_FACTOR:
        raise TaskStateError(f"未知任务类别：{category}")
    if category == TaskCategory.VILLAGE_REPORT:
        _role(actor, VILLAGE_CADRES, "村级上报")
        if actor.region_id != village_id:
            raise PermissionDenied(f"{actor.name} 只能为本村社上报事项")
    else:
        _role(actor, DISPATCHERS, "派发任务")


def _is_village_cadre(session: Session, person_id: int, village_id: int) -> bool:
    return session.execute(sa.select(col(Post.id)).where(col(Post.person_id) == person_id, col(Post.region_id) == village_id,
                                                 col(Post.role).in_(VILLAGE_CADRES), col(Post.active)).limit(1)).first() is not None


def _default_owner(session: Session, village_id: int) -> int | None:
    """The person who owns a dispatch to the village by default: its 村书记, else its first village cadre."""
    rows = session.execute(sa.select(col(Post.person_id), col(Post.role)).where(
        col(Post.region_id) == village_id, col(Post.role).in_(VILLAGE_CADRES), col(Post.active)).order_by(col(Post.id))).all()
    best = sorted(rows, key=lambda r: r.role != "village_secretary")
    return int(best[0].person_id) if best else None


def _leader_in_charge(session: Session, actor: Actor, village_id: int, module: str) -> int | None:
    """A 分管领导 who dispatches is in charge of the task (scores it); otherwise the module's leader."""
    if actor.role == "town_leader" and actor.region_id == village_id // 1000 * 1000:
        return actor.person_id
    return _leader_for(session, village_id // 1000 * 1000, module)


def _leader_for(session: Session, township_id: int, module: str) -> int | None:
    """The township's 分管领导 for the module (by post title), else its first town leader."""
    rows = session.execute(sa.select(col(Post.person_id), col(Post.title)).where(
        col(Post.region_id) == township_id, col(Post.role) == "town_leader", col(Post.active)).order_by(col(Post.id))).all()
    keyword = _LEADER_TITLE.get(module, "")
    match = [r.person_id for r in rows if keyword and keyword in r.title]
    return int((match or [r.person_id for r in rows] or [None])[0]) if rows else None


def _new_task(session: Session, actor: Actor, matter: MatterType, *, village_id: int, title: str, category: str,
              deadline: date, owner_id: int, now: datetime, leader_id: int | None, grid_id: int | None,
              co_office: str | None, difficulty: float | None, module: str | None = None) -> Task:
    next_id = int(cast(int, session.execute(sa.select(sa.func.coalesce(sa.func.max(Task.id), 0))).scalar())) + 1
    if difficulty is None:
        difficulty = round(matter.difficulty * CATEGORY_FACTOR[category] * 2) / 2
    task = Task(id=next_id, code=f"RW{now:%Y%m}{next_id:07d}", title=title[:128], category=category,
                module=module or matter.module, matter_type_id=cast(int, matter.id), difficulty=difficulty, dispatcher_id=actor.person_id,
                dispatcher_region_id=actor.region_id, village_id=village_id, grid_id=grid_id, owner_id=owner_id,
                leader_id=leader_id, co_office=co_office, status=str(TaskStatus.DISPATCHED), dispatched_at=now,
                deadline=deadline, emergency=bool(matter.emergency), needs_review=bool(matter.emergency))
    session.add(task)
    session.flush()
    return task
