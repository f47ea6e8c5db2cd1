"""汇总表 (rollups): small tables that the pages read instead of raw history (SCALE.md, issue #9).

Two kinds:

- **Regional** rollups (`rollup_task_month`, `rollup_task_late`, `rollup_appeal_month`) hold one row
  per village and per ancestor region (township, county, city, province) × month, so a page of any
  level reads one region's rows. A write refreshes the village's rows from its raw rows (an
  indexed read of one village) and adds the difference to the ancestors' rows.
- **Keyed** rollups (`rollup_task_owner`, `rollup_appeal_grid`, `rollup_appeal_day`,
  `rollup_diary_month`) are refreshed by deleting and re-inserting the rows of one key (a village's
  owner, a grid) from the raw rows of that key.

`rollup_indicator` (indicator_value per region of township level and above) changes only when
indicator values are loaded, so only `rebuild_rollups` writes it.

`rebuild_rollups(conn_or_session)` builds everything from the raw tables (the generator calls it
after loading). The services call `touch_task` / `touch_appeal` in the transaction of the write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from core.models import (
    Appeal,
    DiaryVisit,
    IndicatorValue,
    RollupAppealDay,
    RollupAppealGrid,
    RollupAppealMonth,
    RollupDiaryMonth,
    RollupIndicator,
    RollupTaskLate,
    RollupTaskMonth,
    RollupTaskOwner,
    Task,
)
from core.sqlfn import day_of, ym

ANCESTOR_SPANS = (("township", 1000), ("county", 10**6), ("city", 10**8), ("province", 10**10))
FINISHED = ("done", "scored")
ROLLUP_TABLES = ("rollup_indicator", "rollup_task_month", "rollup_task_late", "rollup_task_owner",
                 "rollup_appeal_month", "rollup_appeal_grid", "rollup_appeal_day", "rollup_diary_month")


def ancestors(village_id: int) -> list[tuple[str, int]]:
    """(level, region id) of the township, county, city and province above a village."""
    return [(lv, int(village_id) // span * span) for lv, span in ANCESTOR_SPANS]


def _conn(target: Session | sa.Connection) -> sa.Connection:
    return target.connection() if isinstance(target, Session) else target


def shift_month(period: int, k: int) -> int:
    """YYYYMM `k` months after `period`."""
    y, m = divmod(int(period), 100)
    n = y * 12 + m - 1 + k
    return n // 12 * 100 + n % 12 + 1


def last_day(period: int) -> date:
    """Last calendar day of YYYYMM."""
    return date(shift_month(period, 1) // 100, shift_month(period, 1) % 100, 1) - timedelta(days=1)


# ---- regional rollups: village rows computed in SQL, ancestors summed ----

@dataclass(frozen=True)
class Regional:
    """A rollup with rows per region × month; `village_rows` computes village rows from raw rows."""

    table: sa.Table
    values: tuple[str, ...]

    def village_rows(self, conn: sa.Connection, village_id: int | None) -> dict[tuple[int, int], tuple]:
        """{(village_id, period): values} from the raw rows (one village, or all when None)."""
        raise NotImplementedError


class _TaskMonth(Regional):
    def village_rows(self, conn, village_id):
        t = Task.__table__.c
        period = ym(t.deadline)
        fin = sa.func.sum(sa.case((t.status.in_(FINISHED), 1), else_=0))
        on_time = sa.func.sum(sa.case((sa.and_(t.done_at.is_not(None), day_of(t.done_at) <= t.deadline), 1), else_=0))
        stmt = (sa.select(t.village_id, period, sa.func.count(), fin, on_time)
                .where(t.status != "rejected").group_by(t.village_id, period))
        if village_id is not None:
            stmt = stmt.where(t.village_id == int(village_id))
        return {(int(v), int(p)): (int(n), int(f), int(o)) for v, p, n, f, o in conn.execute(stmt)}


class _TaskLate(Regional):
    def village_rows(self, conn, village_id):
        """A task finished in a later month than its deadline's was overdue at each month end in between."""
        t = Task.__table__.c
        done_ym, due_ym = ym(t.done_at), ym(t.deadline)
        stmt = (sa.select(t.village_id, t.deadline, done_ym, sa.func.count())
                .where(t.status.in_(FINISHED), done_ym > due_ym).group_by(t.village_id, t.deadline, done_ym))
        if village_id is not None:
            stmt = stmt.where(t.village_id == int(village_id))
        out: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0])
        for v, deadline, done_period, n in conn.execute(stmt):
            deadline = _as_date(deadline)
            p = deadline.year * 100 + deadline.month
            while p < int(done_period):
                if deadline < last_day(p):
                    out[(int(v), p)][0] += int(n)
                p = shift_month(p, 1)
        return {k: tuple(v) for k, v in out.items()}


class _AppealMonth(Regional):
    def village_rows(self, conn, village_id):
        a = Appeal.__table__.c
        period = ym(a.reported_at)
        on_time = sa.func.sum(sa.case((sa.and_(a.closed_at.is_not(None), a.closed_at <= a.due_at), 1), else_=0))
        stmt = (sa.select(a.village_id, period, sa.func.count(), on_time, sa.func.count(a.rating),
                          sa.func.sum(sa.case((a.rating == "good", 1), else_=0)),
                          sa.func.sum(sa.case((a.rating == "mid", 1), else_=0)))
                .group_by(a.village_id, period))
        if village_id is not None:
            stmt = stmt.where(a.village_id == int(village_id))
        return {(int(v), int(p)): tuple(int(x or 0) for x in rest) for v, p, *rest in conn.execute(stmt)}


TASK_MONTH = _TaskMonth(RollupTaskMonth.__table__, ("due", "finished", "on_time"))
TASK_LATE = _TaskLate(RollupTaskLate.__table__, ("n",))
APPEAL_MONTH = _AppealMonth(RollupAppealMonth.__table__, ("n", "on_time", "rated", "good", "mid"))


def _as_date(x) -> date:
    return x if isinstance(x, date) else date.fromisoformat(str(x)[:10])


def _rebuild_regional(conn: sa.Connection, r: Regional) -> int:
    rows = r.village_rows(conn, None)
    acc: dict[tuple[int, int, str], list[int]] = {}
    for (v, p), vals in rows.items():
        acc[(v, p, "village")] = list(vals)
        for lv, aid in ancestors(v):
            cur = acc.setdefault((aid, p, lv), [0] * len(vals))
            for i, x in enumerate(vals):
                cur[i] += x
    conn.execute(r.table.delete())
    payload = [{"region_id": k[0], "period": k[1], "level": k[2], **dict(zip(r.values, vals, strict=True))}
               for k, vals in acc.items()]
    for i in range(0, len(payload), 50_000):
        conn.execute(r.table.insert(), payload[i:i + 50_000])
    return len(payload)


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


# ---- keyed rollups: INSERT … SELECT, per key on refresh ----

def _owner_select():
    t = Task.__table__.c
    period = ym(t.done_at)
    return (sa.select(t.village_id, t.owner_id, period, sa.func.sum(t.difficulty * t.quality_score),
                      sa.func.sum(t.difficulty), sa.func.count())
            .where(t.done_at.is_not(None), t.quality_score.is_not(None)).group_by(t.village_id, t.owner_id, period))


def _appeal_grid_select():
    a = Appeal.__table__.c
    period = ym(a.reported_at)
    return sa.select(a.grid_id, period, a.category, sa.func.count()).group_by(a.grid_id, period, a.category)


def _appeal_day_select():
    a = Appeal.__table__.c
    day = day_of(a.reported_at)
    return (sa.select(a.grid_id, day, a.category, sa.func.count()).group_by(a.grid_id, day, a.category)
            .having(sa.func.count() >= 2))


def _diary_select():
    d = DiaryVisit.__table__.c
    period = ym(d.visited_on)
    return sa.select(d.village_id, d.person_id, period, sa.func.count()).group_by(d.village_id, d.person_id, period)


KEYED = {
    "rollup_task_owner": (RollupTaskOwner.__table__, ["village_id", "owner_id", "period", "weighted", "difficulty", "n"],
                          _owner_select),
    "rollup_appeal_grid": (RollupAppealGrid.__table__, ["grid_id", "period", "category", "n"], _appeal_grid_select),
    "rollup_appeal_day": (RollupAppealDay.__table__, ["grid_id", "day", "category", "n"], _appeal_day_select),
    "rollup_diary_month": (RollupDiaryMonth.__table__, ["village_id", "person_id", "period", "visits"], _diary_select),
}


def _refresh_keyed(conn: sa.Connection, name: str, raw_where: Iterable, roll_where: Iterable) -> None:
    table, cols, select = KEYED[name]
    conn.execute(table.delete().where(*roll_where))
    conn.execute(table.insert().from_select(cols, select().where(*raw_where)))


def _rebuild_indicator(conn: sa.Connection) -> None:
    iv = IndicatorValue.__table__.c
    cols = ["level", "period", "region_id", "indicator_code", "value_sum", "num_sum", "den_sum", "value_min",
            "value_max", "n"]
    for level, span in ANCESTOR_SPANS:
        key = (iv.village_id // span) * span
        select = (sa.select(sa.literal(level), iv.period, key, iv.indicator_code, sa.func.sum(iv.value),
                            sa.func.sum(iv.numerator), sa.func.sum(iv.denominator), sa.func.min(iv.value),
                            sa.func.max(iv.value), sa.func.count())
                  .group_by(iv.period, key, iv.indicator_code))
        conn.execute(RollupIndicator.__table__.insert().from_select(cols, select))


def rebuild_rollups(target: Session | sa.Connection) -> dict[str, int]:
    """Empty and rebuild every rollup table from the raw tables; row counts per table."""
    conn = _conn(target)
    conn.execute(RollupIndicator.__table__.delete())
    _rebuild_indicator(conn)
    counts = {r.table.name: _rebuild_regional(conn, r) for r in (TASK_MONTH, TASK_LATE, APPEAL_MONTH)}
    for table, cols, select in KEYED.values():
        conn.execute(table.delete())
        conn.execute(table.insert().from_select(cols, select()))
    for name in ROLLUP_TABLES:
        counts[name] = int(conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one())
    return counts


# ---- what the services call in their transaction ----

def touch_task(session: Session, task: Task) -> None:
    """Bring every rollup that counts `task` up to date with its current row (call after a flush)."""
    conn = session.connection()
    v = int(task.village_id)
    _refresh_regional(conn, TASK_MONTH, v)
    _refresh_regional(conn, TASK_LATE, v)
    t = Task.__table__.c
    if task.owner_id is not None:
        o = RollupTaskOwner.__table__.c
        _refresh_keyed(conn, "rollup_task_owner", (t.village_id == v, t.owner_id == int(task.owner_id)),
                       (o.village_id == v, o.owner_id == int(task.owner_id)))


def touch_appeal(session: Session, appeal: Appeal) -> None:
    """Bring every rollup that counts `appeal` up to date with its current row (call after a flush)."""
    conn = session.connection()
    _refresh_regional(conn, APPEAL_MONTH, int(appeal.village_id))
    a, g = Appeal.__table__.c, int(appeal.grid_id)
    for name in ("rollup_appeal_grid", "rollup_appeal_day"):
        table = KEYED[name][0]
        _refresh_keyed(conn, name, (a.grid_id == g,), (table.c.grid_id == g,))


__all__ = ["rebuild_rollups", "touch_task", "touch_appeal", "ancestors", "ROLLUP_TABLES", "TASK_MONTH", "TASK_LATE",
           "APPEAL_MONTH", "KEYED", "last_day", "shift_month"]
