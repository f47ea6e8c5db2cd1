"""Cockpit KPIs computed in SQL over a region subtree: task completion, on-time rate, overdue count,
appeal satisfaction per month; the most overdue tasks; simplified child boundaries for the map.

Definitions (shown on screen as the tiles' hover text, see `KPI_DEFINITIONS`):
- a task counts in month P when its deadline falls in P (and is on or before the as-of date);
  驳回 (rejected) tasks were never the village's to do and are left out;
- completion = tasks finished (办结/评分) / tasks due; on-time = finished on or before the deadline day;
- overdue as of day X = not rejected, deadline before X, not finished by the end of X;
- satisfaction = 好评 / rated appeals among those reported in P (the same rule as ps_satisfaction).
On-time and satisfaction are read from the monthly village rollup (indicator_value), which the
generator counts from those same task and appeal rows; completion and overdue read the task table
through its covering (status, deadline, village_id) index.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pandas as pd
import sqlalchemy as sa
from shapely.geometry import mapping, shape
from sqlmodel import Session

from core.enums import OPEN_TASK_STATUSES, TaskStatus
from core.models import IndicatorValue, Person, Region, Task
from core.scope import Scope, region_span

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
    level = session.execute(sa.select(Region.level).where(Region.id == int(region_id))).scalar_one()
    return int(region_id), int(region_id) + region_span(level) - 1


def _ym(col) -> sa.ColumnElement:
    return sa.cast(sa.func.strftime("%Y%m", col), sa.Integer)


TASK_ON_TIME_CODES = ("pb_task_on_time", "ec_task_on_time", "sa_task_on_time", "ps_task_on_time")


def monthly_kpis(session: Session, scope: Scope, region_id: int, periods: list[int], as_of: date) -> pd.DataFrame:
    """One row per period: due, finished, completion %, on_time/on_time_den, on-time %, good/rated, satisfaction %."""
    lo, hi = _subtree(session, scope, region_id)
    start, end = month_bounds(min(periods))[0], min(month_bounds(max(periods))[1], as_of)
    t = Task.__table__.c
    finished = t.status.in_(["done", "scored"])
    statuses = [str(s) for s in TaskStatus if s != TaskStatus.REJECTED]
    # Status, deadline and village only: ix_task_open_due covers it ("+" keeps SQLite off the village index).
    tq = (sa.select(_ym(t.deadline).label("period"), sa.func.count().label("due"),
                    sa.func.sum(sa.case((finished, 1), else_=0)).label("finished"))
          .where(t.status.in_(statuses), t.deadline.between(start, end),
                 sa.text("+task.village_id BETWEEN :lo AND :hi").bindparams(lo=lo, hi=hi))
          .group_by("period"))
    tasks = pd.DataFrame([tuple(r) for r in session.execute(tq)], columns=["period", "due", "finished"])
    out = pd.DataFrame({"period": [int(p) for p in periods]})
    out = out.merge(tasks, on="period", how="left").merge(_rollup_rates(session, lo, hi, periods), on="period",
                                                          how="left").fillna(0)
    out["completion"] = _pct(out["finished"], out["due"])
    out["on_time_rate"] = _pct(out["on_time"], out["on_time_den"])
    out["satisfaction"] = _pct(out["good"], out["rated"])
    return out


def _rollup_rates(session: Session, lo: int, hi: int, periods: list[int]) -> pd.DataFrame:
    """On-time tasks and good ratings per month from the monthly village rollup (indicator_value).

    The generator counts these from the task and appeal rows (same rules as the tiles); reading the
    rollup instead of raw appeals keeps a city rerun inside its time budget (SCALE.md).
    """
    iv = IndicatorValue.__table__.c
    on_time = iv.indicator_code.in_(TASK_ON_TIME_CODES)
    sat = iv.indicator_code == "ps_satisfaction"
    stmt = (sa.select(iv.period,
                      sa.func.sum(sa.case((on_time, iv.numerator), else_=0)),
                      sa.func.sum(sa.case((on_time, iv.denominator), else_=0)),
                      sa.func.sum(sa.case((sat, iv.numerator), else_=0)),
                      sa.func.sum(sa.case((sat, iv.denominator), else_=0)))
            .where(iv.period.in_([int(p) for p in periods]), iv.indicator_code.in_([*TASK_ON_TIME_CODES, "ps_satisfaction"]),
                   sa.text("+indicator_value.village_id BETWEEN :lo AND :hi").bindparams(lo=lo, hi=hi))
            .group_by(iv.period))
    return pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=["period", "on_time", "on_time_den", "good", "rated"])


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num.astype(float) / den.astype(float).where(den > 0) * 100.0).round(1)


def overdue_counts(session: Session, scope: Scope, region_id: int, days: list[date], as_of: date) -> list[int]:
    """Tasks overdue (past deadline, not finished by the end of that day) as of each day, in order."""
    lo, hi = _subtree(session, scope, region_id)
    t = Task.__table__.c
    in_tree = sa.text("+task.village_id BETWEEN :lo AND :hi").bindparams(lo=lo, hi=hi)
    open_ = t.status.in_([str(s) for s in OPEN_TASK_STATUSES])
    out = []
    for d in days:
        n = session.execute(sa.select(sa.func.count()).where(open_, t.deadline < d, in_tree)).scalar_one()
        if d < as_of:  # tasks finished after day d were still open (and maybe overdue) on d
            nxt = datetime.combine(d + timedelta(days=1), datetime.min.time())
            n += session.execute(sa.select(sa.func.count()).where(
                t.status.in_(["done", "scored"]), t.deadline < d, t.done_at >= nxt, in_tree)).scalar_one()
        out.append(int(n))
    return out


def period_kpis(session: Session, scope: Scope, region_id: int, period: int, prev: int, as_of: date) -> dict:
    """KPIs of one month and the month before: {name: (value, previous value)}."""
    m = monthly_kpis(session, scope, region_id, [prev, period], as_of).set_index("period")
    day = min(month_bounds(period)[1], as_of)
    prev_day = min(month_bounds(prev)[1], as_of)
    over_now, over_prev = overdue_counts(session, scope, region_id, [day, prev_day], as_of)
    out = {k: (_f(m.at[period, k]), _f(m.at[prev, k])) for k in ("completion", "on_time_rate", "satisfaction")}
    out["overdue"] = (over_now, over_prev)
    out["as_of_day"] = (day, prev_day)
    return out


def _f(x) -> float | None:
    return None if pd.isna(x) else float(x)


def most_overdue_tasks(session: Session, scope: Scope, as_of: date, limit: int = 10) -> pd.DataFrame:
    """Open tasks past their deadline in scope, most days overdue first (code, title, village, owner, days)."""
    # Interim ticker source: switch to core.alerts.alerts(session, scope, as_of) once the tasks issue ships it.
    t, r, p = Task.__table__.c, Region.__table__.c, Person.__table__.c
    stmt = (sa.select(t.code, t.title, r.name.label("village"), p.name.label("owner"), t.deadline, t.urge_count)
            .select_from(Task.__table__).join(Region.__table__, r.id == t.village_id)
            .join(Person.__table__, p.id == t.owner_id, isouter=True)
            .where(t.status.in_([str(s) for s in OPEN_TASK_STATUSES]), t.deadline < as_of,
                   sa.text("+task.village_id BETWEEN :lo AND :hi").bindparams(lo=scope.lo, hi=scope.hi))
            .order_by(t.deadline, t.code).limit(int(limit)))
    df = pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=["code", "title", "village", "owner", "deadline", "urge_count"])
    df["days_overdue"] = [(as_of - pd.Timestamp(d).date()).days for d in df["deadline"]]
    return df


def child_shapes(session: Session, scope: Scope, parent_id: int, tolerance: float = 0.002) -> list[dict]:
    """Children of a region (in scope) as {region_id, code, name, lon, lat, rings} with simplified outer rings."""
    scope.check(parent_id)
    rg = Region.__table__.c
    rows = session.execute(sa.select(rg.id, rg.code, rg.name, rg.lon, rg.lat, rg.boundary)
                           .where(rg.parent_id == int(parent_id), rg.id.between(scope.lo, scope.hi))
                           .order_by(rg.id)).all()
    return [{"region_id": int(r.id), "code": r.code, "name": r.name, "lon": r.lon, "lat": r.lat,
             "rings": _rings(r.boundary, tolerance)} for r in rows]


def _rings(geojson: str, tolerance: float) -> list[list[list[float]]]:
    try:
        geom = shape(json.loads(geojson)).simplify(tolerance, preserve_topology=True)
    except (ValueError, TypeError, AttributeError):
        return []
    polys = mapping(geom)
    coords = polys["coordinates"] if polys["type"] == "MultiPolygon" else [polys["coordinates"]]
    return [[[round(x, 5), round(y, 5)] for x, y in poly[0]] for poly in coords if poly]
