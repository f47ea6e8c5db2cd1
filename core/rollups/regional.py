"""Regional rollups (rollup_task_month, rollup_task_late, rollup_appeal_month): village rows from one
grouped pass over the raw table, regions from those; a write refreshes one village and adds the difference above."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from core.models import Appeal, RollupAppealGrid, RollupAppealMonth, RollupTaskLate, RollupTaskMonth, Task
from core.rollups.common import APPEAL_VALUES, FINISHED, _roll_up, _vkey, ancestors
from core.sqlfn import day_of, month_end, next_month, ym


def _task_month_select(village: int | None) -> sa.Select:
    t = Task.__table__.c
    v, period = _vkey(t.village_id, village), ym(t.deadline)
    fin = sa.func.sum(sa.case((t.status.in_(FINISHED), 1), else_=0))
    on_time = sa.func.sum(sa.case((sa.and_(t.done_at.is_not(None), day_of(t.done_at) <= t.deadline), 1), else_=0))
    stmt = sa.select(v, period, sa.func.count(), fin, on_time).where(t.status != "rejected").group_by(v, period)
    return stmt if village is None else stmt.where(t.village_id == int(village))


def _task_late_select(village: int | None) -> sa.Select:
    """A task finished in a later month than its deadline's was overdue at each month end in between.

    Finished-late tasks are grouped by (deadline month, deadline on a month's last day, finish month),
    then joined to the months in between (a recursive month series): the deadline month counts unless
    the deadline was its last day.
    """
    t = Task.__table__.c
    v, due_p, done_p, eom = _vkey(t.village_id, village), ym(t.deadline), ym(t.done_at), month_end(t.deadline)
    late: Any = (sa.select(v.label("v"), due_p.label("due_p"), eom.label("eom"), done_p.label("done_p"),  # a Select, then its CTE
                      sa.func.count().label("n"))
            .where(t.status.in_(FINISHED), done_p > due_p).group_by(v, due_p, eom, done_p))
    late = (late if village is None else late.where(t.village_id == int(village))).cte("late")
    months = sa.select(sa.func.min(late.c.due_p).label("p")).cte("months", recursive=True)
    last = sa.select(sa.func.max(late.c.done_p)).scalar_subquery()
    months = months.union_all(sa.select(next_month(months.c.p)).where(months.c.p < last))
    between = sa.and_(months.c.p >= late.c.due_p, months.c.p < late.c.done_p,
                      sa.or_(months.c.p > late.c.due_p, late.c.eom == 0))
    return (sa.select(late.c.v, months.c.p, sa.func.sum(late.c.n)).select_from(late.join(months, between))
            .group_by(late.c.v, months.c.p))


def _appeal_counts(a) -> list:
    """count, closed on time, rated, 好评, 中评 of a group of appeals."""
    on_time = sa.func.sum(sa.case((sa.and_(a.closed_at.is_not(None), a.closed_at <= a.due_at), 1), else_=0))
    return [sa.func.count(), on_time, sa.func.count(a.rating), sa.func.sum(sa.case((a.rating == "good", 1), else_=0)),
            sa.func.sum(sa.case((a.rating == "mid", 1), else_=0))]


def _appeal_month_select(village: int | None) -> sa.Select:
    """One village's appeals per month from its raw rows; for the rebuild (None), summed from the grid rollup
    (a grid id is its village's id × 1000 + k), which `build_base` fills first: one pass over `appeal`."""
    if village is None:
        g = RollupAppealGrid.__table__.c
        v = g.grid_id // 1000
        return (sa.select(v, g.period, *(sa.func.sum(g[x]) for x in APPEAL_VALUES))
                .group_by(v, g.period))
    a = Appeal.__table__.c
    period = ym(a.reported_at)
    return (sa.select(a.village_id, period, *_appeal_counts(a)).where(a.village_id == int(village))
            .group_by(a.village_id, period))


@dataclass(frozen=True)
class Regional:
    """A rollup with rows per region × month; `select(village)` groups the raw rows per village × month."""

    table: sa.Table
    values: tuple[str, ...]
    select: Callable[[int | None], sa.Select]

    def village_rows(self, conn: sa.Connection, village_id: int) -> dict[tuple[int, int], tuple]:
        """{(village_id, period): values} of one village from its raw rows."""
        return {(int(v), int(p)): tuple(int(x or 0) for x in rest)
                for v, p, *rest in conn.execute(self.select(int(village_id))).tuples()}


TASK_MONTH = Regional(RollupTaskMonth.__table__, ("due", "finished", "on_time"), _task_month_select)
TASK_LATE = Regional(RollupTaskLate.__table__, ("n",), _task_late_select)
APPEAL_MONTH = Regional(RollupAppealMonth.__table__, APPEAL_VALUES, _appeal_month_select)
REGIONAL = (TASK_MONTH, TASK_LATE, APPEAL_MONTH)


def _fill_villages(conn: sa.Connection, r: Regional) -> None:
    """Village rows of one regional rollup: one INSERT … SELECT … GROUP BY over the raw table."""
    conn.execute(r.table.delete())
    cols = ["region_id", "period", *r.values]
    conn.execute(r.table.insert().from_select([*cols, "level"], r.select(None).add_columns(sa.literal("village"))))


def _roll_up_regional(conn: sa.Connection, r: Regional) -> None:
    conn.execute(r.table.delete().where(r.table.c.level != "village"))
    _roll_up(conn, r.table, "village", {v: sa.func.sum for v in r.values})


def _refresh_regional(conn: sa.Connection, r: Regional, village_id: int) -> None:
    """Recompute one village's rows from raw rows; add the difference to its ancestors' rows."""
    c = r.table.c
    new = r.village_rows(conn, village_id)
    old = {(int(row[0]), int(row[1])): tuple(row[2:]) for row in conn.execute(
        sa.select(c.region_id, c.period, *(c[v] for v in r.values)).where(c.region_id == int(village_id)))}
    zero = (0,) * len(r.values)
    for key in set(new) | set(old):
        a, b = new.get(key, zero), old.get(key, zero)
        delta = tuple(x - y for x, y in zip(a, b, strict=True))
        if not any(delta):
            continue
        for level, region_id in [("village", int(village_id)), *ancestors(village_id)]:
            _add(conn, r, level, region_id, key[1], delta)


def _add(conn: sa.Connection, r: Regional, level: str, region_id: int, period: int, delta: tuple) -> None:
    c = r.table.c
    where = sa.and_(c.region_id == region_id, c.period == period)
    done = conn.execute(r.table.update().where(where).values(
        {v: c[v] + d for v, d in zip(r.values, delta, strict=True)})).rowcount
    if not done:
        conn.execute(r.table.insert().values(region_id=region_id, period=period, level=level,
                                             **dict(zip(r.values, delta, strict=True))))
    conn.execute(r.table.delete().where(where, *(c[v] == 0 for v in r.values)))
