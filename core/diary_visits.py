"""民情日记 services (SPEC §6): a cadre or grid worker records a household visit (一周一记、一户一记).

The visit row is its own record (who, which household of which grid, which day, what about). The
household is one of the grid's: household numbers are village-wide (1..Region.households) and each grid
holds a contiguous block of them, in grid order. Call inside `session_scope(engine, write=True)`.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from core.actors import Actor
from core.errors import DomainError, NotFound, PermissionDenied
from core.live import codes_reading
from core.models import DiaryVisit, Grid, RollupDiaryMonth
from core.rollups import touch_village
from core.rollups.keyed import _refresh_keyed
from core.scope import Scope

VISITORS = frozenset({"grid_worker", "village_secretary", "village_committee", "village_admin", "stationed_cadre"})
TOPICS = ("政策宣传", "矛盾调解", "困难帮扶", "意见收集", "安全提醒", "环境整治")  # the generator's topics (seed/matters.py)


def grid_households(session: Session, scope: Scope, grid_id: int) -> range:
    """The household numbers of one grid of the scope (a block of its village's numbering)."""
    scope.check(int(grid_id) // 1000)
    grids = session.execute(sa.select(col(Grid.id), col(Grid.households)).where(
        col(Grid.village_id) == int(grid_id) // 1000).order_by(col(Grid.id))).tuples().all()
    start = 1
    for gid, n in grids:
        if int(gid) == int(grid_id):
            return range(start, start + int(n))
        start += int(n)
    raise NotFound(f"网格 {grid_id} 不存在")


def record_visit(session: Session, *, actor: Actor, grid_id: int, household_no: int, topic: str, visited_on: date,
                 now: datetime) -> DiaryVisit:
    """A household visit by the actor on `visited_on` (not in the future); returns the visit."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})
    actor.check_may_write()
    if actor.role not in VISITORS:
        raise PermissionDenied(f"{actor.name}无权记录民情日记（网格员、村两委干部、驻村干部）")
    grid = session.get(Grid, grid_id)
    if grid is None:
        raise NotFound(f"网格 {grid_id} 不存在")
    actor.scope.check(grid.village_id)
    if actor.role == "grid_worker" and grid.worker_id not in (None, actor.person_id):
        raise PermissionDenied(f"{actor.name}不是「{grid.name}」的网格员")
    if household_no is None:
        raise DomainError("请选择走访户")
    if int(household_no) not in grid_households(session, actor.scope, grid_id):
        raise DomainError(f"第 {household_no} 户不在「{grid.name}」")
    if topic not in TOPICS:
        raise DomainError(f"未知的走访事由「{topic}」")
    if visited_on > now.date():
        raise DomainError("走访日期不能晚于今天")
    visit = DiaryVisit(person_id=actor.person_id, village_id=grid.village_id, grid_id=grid.id,
                       household_no=int(household_no), visited_on=visited_on, topic=topic)
    session.add(visit)
    session.flush()
    d, r = DiaryVisit.__table__.c, RollupDiaryMonth.__table__.c
    _refresh_keyed(session.connection(), "rollup_diary_month", (d.village_id == grid.village_id, d.person_id == actor.person_id),
                   (r.village_id == grid.village_id, r.person_id == actor.person_id))
    touch_village(session, grid.village_id, {visited_on.year * 100 + visited_on.month}, now=now,
                  cause=f"diary_visit:{visit.id}", codes=codes_reading("diary"))  # 民情日记完成率 and what stands on it (core.live)
    return visit
