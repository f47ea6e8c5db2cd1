"""Region reads: the dataset root, one region, its breadcrumb and its children with counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.enums import OPEN_TASK_STATUSES, child_level
from core.models import Grid, Person, Post, Region, Task
from core.scope import Scope, level_of_code, region_span


@dataclass(frozen=True)
class RegionRef:
    """A region's identity as shown in breadcrumbs and links."""

    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


def _ref(row) -> RegionRef:
    return RegionRef(int(row.id), row.code, row.name, row.level, row.parent_id)


def dataset_root(session: Session) -> RegionRef:
    """The top region of the generated dataset (the region without a parent, highest level)."""
    row = session.execute(sa.select(col(Region.id), col(Region.code), col(Region.name), col(Region.level), col(Region.parent_id))
                       .where(col(Region.parent_id).is_(None)).order_by(col(Region.id)).limit(1)).first()
    if row is None:
        raise LookupError("数据库中没有区划数据：请先运行 python -m seed")
    return _ref(row)


def get_region(session: Session, scope: Scope, region_id: int) -> RegionRef | None:
    """The region with this id, if it exists inside the scope; None otherwise."""
    if not scope.contains(region_id):
        return None
    row = session.execute(sa.select(col(Region.id), col(Region.code), col(Region.name), col(Region.level), col(Region.parent_id))
                       .where(col(Region.id) == int(region_id))).first()
    return _ref(row) if row else None


def region_names(session: Session, scope: Scope, region_ids: list[int]) -> dict[int, str]:
    """Names of the regions among `region_ids` that lie in the scope, by id (others are left out)."""
    wanted = [int(i) for i in region_ids if scope.contains(int(i))]
    if not wanted:
        return {}
    return dict(session.execute(sa.select(col(Region.id), col(Region.name)).where(col(Region.id).in_(wanted))).all())


def resolve_region(session: Session, scope: Scope, code: str | None) -> RegionRef:
    """The region a (possibly hostile) code names, clamped to the scope: the scope root otherwise."""
    if code:
        try:
            level_of_code(code)
            found = get_region(session, scope, int(code))
        except ValueError:
            found = None
        if found:
            return found
    root = get_region(session, scope, scope.region_id)
    if root is None:
        raise LookupError(f"数据权限的根区域 {scope.region_id} 不存在")
    return root


def breadcrumb(session: Session, scope: Scope, region_id: int) -> list[RegionRef]:
    """Ancestors of the region from the scope root down to the region itself."""
    out: list[RegionRef] = []
    current = get_region(session, scope, region_id)
    while current is not None:
        out.append(current)
        if current.id == scope.region_id or current.parent_id is None:
            break
        current = get_region(session, scope, current.parent_id)
    return list(reversed(out))


def children(session: Session, scope: Scope, region_id: int) -> list[RegionRef]:
    """Child regions of a region in the scope, by code."""
    if not scope.contains(region_id):
        return []
    rows = session.execute(sa.select(col(Region.id), col(Region.code), col(Region.name), col(Region.level), col(Region.parent_id))
                        .where(col(Region.parent_id) == int(region_id), col(Region.id).between(scope.lo, scope.hi))
                        .order_by(col(Region.id))).all()
    return [_ref(r) for r in rows]


def _grouped(session: Session, column, lo: int, hi: int, span: int, *where) -> dict[int, int]:
    key = (column // span) * span if span > 1 else column
    stmt = sa.select(key.label("k"), sa.func.count()).where(column.between(lo, hi), *where).group_by(key)
    return {int(k): int(n) for k, n in session.execute(stmt).tuples().all()}


def child_summary(session: Session, scope: Scope, region_id: int) -> pd.DataFrame:
    """Children of a region with townships, villages, grids, people and open tasks, by code.

    For a village the children are its grids (网格) with their households and 网格员.
    """
    region = get_region(session, scope, region_id)
    if region is None:
        return pd.DataFrame()
    if region.level == "village":
        return grid_summary(session, scope, region.id)
    sub = child_level(region.level)
    span = region_span(cast(str, sub))  # not a village: it has a child level
    lo, hi = region.id, region.id + region_span(region.level) - 1
    kids = children(session, scope, region.id)
    towns = _grouped(session, Region.id, lo, hi, span, Region.level == "township")
    villages = _grouped(session, Region.id, lo, hi, span, Region.level == "village")
    grids = _grouped(session, Grid.village_id, lo, hi, span)
    people = {int(k): int(n) for k, n in session.execute(
        sa.select(((col(Post.region_id) // span) * span).label("k"), sa.func.count(sa.distinct(col(Post.person_id))))
        .where(col(Post.region_id).between(lo, hi), col(Post.active)).group_by("k")).tuples().all()}
    open_tasks = _grouped(session, Task.village_id, lo, hi, span, col(Task.status).in_([str(s) for s in OPEN_TASK_STATUSES]))
    hh = dict(session.execute(sa.select(col(Region.id), col(Region.households)).where(col(Region.parent_id) == region.id)).all())
    return pd.DataFrame([{
        "code": k.code, "name": k.name, "level": k.level,
        "townships": towns.get(k.id, 0) if sub in ("county", "city") else None,
        "villages": villages.get(k.id, 0) if sub != "village" else None,
        "grids": grids.get(k.id, 0), "people": people.get(k.id, 0),
        "households": int(hh.get(k.id, 0)), "open_tasks": open_tasks.get(k.id, 0),
    } for k in kids])


def grid_summary(session: Session, scope: Scope, village_id: int) -> pd.DataFrame:
    """Grids of one village with households, 网格员 and open tasks, by code."""
    if not scope.contains(village_id):
        return pd.DataFrame()
    stmt: sa.Select = (sa.select(col(Grid.code), col(Grid.name), col(Grid.households), col(Grid.population), col(Person.name).label("worker"),
                      sa.func.count(col(Task.id)).label("open_tasks"))
            .join(Person, col(Person.id) == Grid.worker_id, isouter=True)
            .join(Task, sa.and_(col(Task.grid_id) == Grid.id, col(Task.status).in_([str(s) for s in OPEN_TASK_STATUSES])), isouter=True)
            .where(col(Grid.village_id) == int(village_id)).group_by(col(Grid.id), Grid.code, Grid.name, col(Grid.households),
                                                                col(Grid.population), Person.name).order_by(col(Grid.id)))
    return pd.DataFrame([tuple(r) for r in session.execute(stmt).all()], columns=["code", "name", "households", "population", "worker", "open_tasks"])
