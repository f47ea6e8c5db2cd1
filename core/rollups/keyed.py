"""Keyed rollups (owner, appeal grid, appeal day, diary month): INSERT … SELECT, per key on refresh.
`full=True` is the rebuild (no_index on the leading key: one table scan)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from core.models import Appeal, DiaryVisit, RollupAppealDay, RollupAppealGrid, RollupDiaryMonth, RollupTaskOwner, Task
from core.rollups.common import APPEAL_VALUES
from core.rollups.regional import _appeal_counts
from core.sqlfn import day_of, no_index, ym


def _owner_select(full: bool = False):
    t = Task.__table__.c
    v, period = (no_index(t.village_id) if full else t.village_id), ym(t.done_at)
    return (sa.select(v, t.owner_id, period, sa.func.sum(t.difficulty * t.quality_score),
                      sa.func.sum(t.difficulty), sa.func.count())
            .where(t.done_at.is_not(None), t.quality_score.is_not(None)).group_by(v, t.owner_id, period))


def _appeal_grid_select(full: bool = False):
    a = Appeal.__table__.c
    g, period = (no_index(a.grid_id) if full else a.grid_id), ym(a.reported_at)
    return sa.select(g, period, a.category, *_appeal_counts(a)).group_by(g, period, a.category)


def _appeal_day_select(full: bool = False):
    a = Appeal.__table__.c
    g, day = (no_index(a.grid_id) if full else a.grid_id), day_of(a.reported_at)
    return (sa.select(g, day, a.category, sa.func.count()).group_by(g, day, a.category)
            .having(sa.func.count() >= 2))


def _diary_select(full: bool = False):
    d = DiaryVisit.__table__.c
    v, period = (no_index(d.village_id) if full else d.village_id), ym(d.visited_on)
    return sa.select(v, d.person_id, period, sa.func.count()).group_by(v, d.person_id, period)


KEYED = {
    "rollup_task_owner": (RollupTaskOwner.__table__, ["village_id", "owner_id", "period", "weighted", "difficulty", "n"],
                          _owner_select),
    "rollup_appeal_grid": (RollupAppealGrid.__table__, ["grid_id", "period", "category", *APPEAL_VALUES],
                           _appeal_grid_select),
    "rollup_appeal_day": (RollupAppealDay.__table__, ["grid_id", "day", "category", "n"], _appeal_day_select),
    "rollup_diary_month": (RollupDiaryMonth.__table__, ["village_id", "person_id", "period", "visits"], _diary_select),
}



def _refresh_keyed(conn: sa.Connection, name: str, raw_where: Iterable, roll_where: Iterable) -> None:
    table, cols, select = KEYED[name]
    conn.execute(table.delete().where(*roll_where))
    conn.execute(table.insert().from_select(cols, select().where(*raw_where)))
