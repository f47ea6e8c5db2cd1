"""Cockpit KPIs computed in SQL over a region subtree: task completion, on-time rate, overdue count,
appeal satisfaction per month; the most overdue tasks. (Map outlines: core.geo_layers.child_shapes.)

Definitions (shown on screen as the tiles' hover text, see `KPI_DEFINITIONS`):
- a task counts in month P when its deadline falls in P (and is on or before the as-of date);
  驳回 (rejected) tasks were never the village's to do and are left out;
- completion = tasks finished (办结/评分) / tasks due; on-time = finished on or before the deadline day;
- overdue as of day X = not rejected, deadline before X, not finished by the end of X;
- satisfaction = 好评 / rated appeals among those reported in P (the same rule as ps_satisfaction).
On-time and satisfaction are read from the monthly indicator values (rolled up per region in
rollup_indicator), which the generator counts from those same task and appeal rows; completion
reads rollup_task_month, overdue the open-task index plus rollup_task_late (core.rollups).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.enums import OPEN_TASK_STATUSES, TaskStatus
from core.models import (
    IndicatorValue,
    MatterType,
    Person,
    Region,
    RollupIndicator,
    RollupTaskLate,
    RollupTaskMonth,
    Task,
)
from core.scope import Scope, region_span
from core.sqlfn import no_index

KPI_DEFINITIONS = {
    "completion": "当月到期任务（不含驳回）中已办结或已评分的比例。",
    "on_time": "当月到期任务（不含驳回）中在截止日当天或之前办结的比例。",
    "overdue": "截至所选月末（当月为数据截至日）已过截止日仍未办结的任务数（不含驳回）。",
    "satisfaction": "当月上报且已评价的民情诉求中“好评”所占比例。",
    "composite": "四大模块得分按模块权重加权的综合得分（0–100，同级全部区域间归一化）；排名为在上级区域内的名次。",
}


def month_bounds(period: int) -> tuple[date, date]:
    """First and last day of YYYYMM."""
    y, m = divmod(int(period), 100)
    first = date(y, m, 1)
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _subtree(session: Session, scope: Scope, region_id: int) -> tuple[int, int]:
    scope.check(region_id)
    level: str = session.execute(sa.select(col(Region.level)).where(col(Region.id) == int(region_id))).scalar_one()
    return int(region_id), int(region_id) + region_span(level) - 1


TASK_ON_TIME_CODES = ("pb_task_on_time", "ec_task_on_time", "sa_task_on_time", "ps_task_on_time")


def _level(session: Session, region_id: int) -> str:
    return str(session.execute(sa.select(col(Region.level)).where(col(Region.id) == int(region_id))).scalar_one())


def monthly_kpis(session: Session, scope: Scope, region_id: int, periods: list[int], as_of: date) -> pd.DataFrame:
    """One row per period: due, finished, completion %, on_time/on_time_den, on-time %, good/rated, satisfaction %."""
    _subtree(session, scope, region_id)
    out = pd.DataFrame({"period": [int(p) for p in periods]})
    out = out.merge(_task_months(session, int(region_id), [int(p) for p in periods], as_of), on="period", how="left")
    out = out.merge(_rollup_rates(session, int(region_id), periods), on="period", how="left").fillna(0)
    out["completion"] = _pct(out["finished"], out["due"])
    out["on_time_rate"] = _pct(out["on_time"], out["on_time_den"])
    out["satisfaction"] = _pct(out["good"], out["rated"])
    return out


def _task_months(session: Session, region_id: int, periods: list[int], as_of: date) -> pd.DataFrame:
    """Tasks due and finished per deadline month from rollup_task_month, cut at the as-of day.

    A month that ends after `as_of` loses its tasks due after `as_of` (few: read from the open-task
    index by deadline); a month starting after it counts nothing."""
    rt = RollupTaskMonth.__table__.c
    rows = {int(p): [int(d), int(f)] for p, d, f in session.execute(
        sa.select(rt.period, rt.due, rt.finished).where(rt.region_id == region_id, rt.period.in_(periods))).tuples()}
    for p in list(rows):
        first, last = month_bounds(p)
        if first > as_of:
            rows[p] = [0, 0]
        elif last > as_of:
            due, fin = _due_between(session, region_id, as_of + timedelta(days=1), last)
            rows[p] = [rows[p][0] - due, rows[p][1] - fin]
    return pd.DataFrame([(p, d, f) for p, (d, f) in rows.items()], columns=["period", "due", "finished"])


def _due_between(session: Session, region_id: int, lo_day: date, hi_day: date) -> tuple[int, int]:
    """(due, finished) tasks (not rejected) of the region's villages with a deadline in [lo_day, hi_day]."""
    lo, hi = region_id, region_id + region_span(_level(session, region_id)) - 1
    t = Task.__table__.c
    statuses = [str(s) for s in TaskStatus if s != TaskStatus.REJECTED]
    finished = sa.func.sum(sa.case((t.status.in_(["done", "scored"]), 1), else_=0))
    # Status, deadline and village only: ix_task_open_due covers it (no_index keeps SQLite off the village index).
    due, fin = session.execute(sa.select(sa.func.count(), finished).where(
        t.status.in_(statuses), t.deadline.between(lo_day, hi_day), no_index(t.village_id).between(lo, hi))).tuples().one()
    return int(due or 0), int(fin or 0)


def _rollup_rates(session: Session, region_id: int, periods: list[int]) -> pd.DataFrame:
    """On-time tasks and good ratings per month from the indicator rollup (a village: its own rows).

    The generator counts these from the task and appeal rows (same rules as the tiles); reading the
    rollup instead of raw appeals keeps a rerun inside its time budget at province scale (~24,000 villages).
    """
    codes = [*TASK_ON_TIME_CODES, "ps_satisfaction"]
    level = _level(session, region_id)
    if level == "village":
        iv = IndicatorValue.__table__.c
        period, code, num, den = iv.period, iv.indicator_code, iv.numerator, iv.denominator
        where = [iv.period.in_([int(p) for p in periods]), iv.indicator_code.in_(codes), iv.village_id == region_id]
    else:
        ri = RollupIndicator.__table__.c
        period, code, num, den = ri.period, ri.indicator_code, ri.num_sum, ri.den_sum
        where = [ri.level == level, ri.period.in_([int(p) for p in periods]), ri.region_id == region_id,
                 ri.indicator_code.in_(codes)]
    on_time, sat = code.in_(TASK_ON_TIME_CODES), code == "ps_satisfaction"
    stmt = (sa.select(period, sa.func.sum(sa.case((on_time, num), else_=0)), sa.func.sum(sa.case((on_time, den), else_=0)),
                      sa.func.sum(sa.case((sat, num), else_=0)), sa.func.sum(sa.case((sat, den), else_=0)))
            .where(*where).group_by(period))
    return pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=["period", "on_time", "on_time_den", "good", "rated"])


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num.astype(float) / den.astype(float).where(den > 0) * 100.0).round(1)


def overdue_counts(session: Session, scope: Scope, region_id: int, days: list[date], as_of: date) -> list[int]:
    """Tasks overdue (past deadline, not finished by the end of that day) as of each day, in order.

    Open tasks come from the open-task index; tasks finished after a month's last day come from
    rollup_task_late (another day reads the finished tasks of the subtree)."""
    lo, hi = _subtree(session, scope, region_id)
    t = Task.__table__.c
    in_tree = no_index(t.village_id).between(lo, hi)
    open_ = t.status.in_([str(s) for s in OPEN_TASK_STATUSES])
    out = []
    for d in days:
        n: int = session.execute(sa.select(sa.func.count()).where(open_, t.deadline < d, in_tree)).scalar_one()
        if d < as_of:  # tasks finished after day d were still open (and maybe overdue) on d
            n += _finished_later(session, int(region_id), lo, hi, d)
        out.append(int(n))
    return out


def _finished_later(session: Session, region_id: int, lo: int, hi: int, d: date) -> int:
    """Tasks with a deadline before `d` finished after the end of `d`."""
    period = d.year * 100 + d.month
    if d == month_bounds(period)[1]:
        rl = RollupTaskLate.__table__.c
        n = session.execute(sa.select(rl.n).where(rl.region_id == region_id, rl.period == period)).scalar()
        return int(n or 0)
    t = Task.__table__.c
    nxt = datetime.combine(d + timedelta(days=1), datetime.min.time())
    return int(session.execute(sa.select(sa.func.count()).where(
        t.status.in_(["done", "scored"]), t.deadline < d, t.done_at >= nxt, t.village_id.between(lo, hi))).scalar_one())


def period_kpis(session: Session, scope: Scope, region_id: int, period: int, prev: int, as_of: date) -> dict:
    """KPIs of one month and the month before: {name: (value, previous value)}."""
    m = monthly_kpis(session, scope, region_id, [prev, period], as_of).set_index("period")
    day = min(month_bounds(period)[1], as_of)
    prev_day = min(month_bounds(prev)[1], as_of)
    over_now, over_prev = overdue_counts(session, scope, region_id, [day, prev_day], as_of)
    out: dict[str, tuple[Any, Any]] = {k: (_f(m.at[period, k]), _f(m.at[prev, k])) for k in ("completion", "on_time_rate", "satisfaction")}
    out["overdue"] = (over_now, over_prev)
    out["as_of_day"] = (day, prev_day)
    return out


def _f(x) -> float | None:
    return None if pd.isna(x) else float(x)


def most_overdue_tasks(session: Session, scope: Scope, as_of: date, limit: int = 10) -> pd.DataFrame:
    """Open tasks past their deadline in scope, most days overdue first (code, title, matter type, village, owner,
    days)."""
    t, r, p, m = Task.__table__.c, Region.__table__.c, Person.__table__.c, MatterType.__table__.c
    stmt = (sa.select(t.code, t.title, m.code.label("matter_code"), r.name.label("village"), p.name.label("owner"),
                      t.deadline, t.urge_count)
            .select_from(Task.__table__).join(Region.__table__, r.id == t.village_id)
            .join(MatterType.__table__, m.id == t.matter_type_id)
            .join(Person.__table__, p.id == t.owner_id, isouter=True)
            .where(t.status.in_([str(s) for s in OPEN_TASK_STATUSES]), t.deadline < as_of,
                   no_index(t.village_id).between(scope.lo, scope.hi))
            .order_by(t.deadline, t.code).limit(int(limit)))
    df = pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=["code", "title", "matter_code", "village", "owner", "deadline", "urge_count"])
    df["days_overdue"] = [(as_of - pd.Timestamp(d).date()).days for d in df["deadline"]]
    return df
