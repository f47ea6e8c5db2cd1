"""Live numbers: what every write service calls so the numbers above the written record move (SPEC §11).

    core.live.refresh_village_month(session, village_id=…, period=YYYYMM, now=…, cause="…")

call it inside the write's transaction, after the write is flushed, once per (village, month) the write
can change. It

1. recounts that village-month's `indicator_value` rows from the definitions (core.indicator_values);
2. recomputes the month's `rollup_indicator` rows of the village's township, county, city and province
   from the rows below them (a township's villages; a county's townships; …);
3. drops the month's stored scores and ranks of every level (`rollup_village_score`: 功效系数法 is among
   all peers of a level, so one write can move every peer's rank) and stamps the month with the write's
   time and kind (`score_stamp`, shown on screen as 计算于 HH:MM:SS). Readers compute a month without stored
   rows from the fresh rollups; `rescore_pending` (python -m core.indicators rescore, debounced) stores
   them again. Re-scoring inside the write measured seconds per write at city size (bench live_write).

All three happen in the caller's transaction, so a reader sees the month before the write or after
it, never half of it.

The task services (core.workflow) and the appeal services (core.appeals) reach this through
core.rollups.touch_task / touch_appeal; the record and report services (core.records) call it directly.
A new write service calls `refresh_village_month` for the month(s) its record counts in — e.g. a diary
visit: its visit month; a decision step: the month its decision closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core.definitions import DEFINITIONS, sources_of
from core.indicator_values import compute_values, store_values, stored_values
from core.models import IndicatorValue, RollupIndicator, RollupVillageScore, ScoreStamp
from core.record_sources import Window
from core.scoring import month_score_rows
from core.task_queries import dataset_window

#: (level, span) above a village, and the rollup_indicator aggregates (core.rollups keeps the same; core.rollups
#: imports this module, so they are restated here rather than imported).
ANCESTOR_SPANS = (("township", 1000), ("county", 10**6), ("city", 10**8), ("province", 10**10))
INDICATOR_AGGS: dict[str, Callable[..., sa.ColumnElement]] = {"value_sum": sa.func.sum, "num_sum": sa.func.sum, "den_sum": sa.func.sum, "value_min": sa.func.min,
                  "value_max": sa.func.max, "n": sa.func.sum}


def codes_reading(*sources: str) -> tuple[str, ...]:
    """The indicators whose definition reads any of the record sources (core.record_sources.SOURCES names)."""
    return tuple(c for c in DEFINITIONS if sources_of([c]) & set(sources))


def refresh_village_month(session: Session, *, village_id: int, period: int, now: datetime, cause: str = "",
                          rescore: bool = True, codes: Iterable[str] | None = None) -> bool:
    """Recount one village-month's indicator values (`codes`: only those a write can change, e.g.
    codes_reading("task"); None: all), its ancestors' rollups and (rescore) the month's stored scores and ranks,
    in the caller's transaction. Returns whether a value changed: a write that changes no count (签收, 催办, a
    month outside the data's window) leaves the rollups, scores and stamp as they are."""
    first, as_of = dataset_window(session)
    if not first.year * 100 + first.month <= int(period) <= as_of.year * 100 + as_of.month:
        return False  # a month outside the data's window (a deadline after the as-of day) has no numbers yet
    conn = session.connection()
    window = Window(int(village_id), int(village_id), (int(period),), as_of)
    codes = None if codes is None else list(codes)
    fresh = compute_values(conn, window, codes)
    if _same(fresh, stored_values(conn, window, codes)):
        return False
    store_values(conn, fresh, window, codes=codes)
    roll_up_village_month(conn, int(village_id), int(period), codes)
    if rescore:
        drop_month_scores(conn, int(period), now=now, cause=cause)
    return True


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """The same indicator_value rows (both in compute_values' order; values rounded as stored)."""
    if len(a) != len(b):
        return False
    key = ["village_id", "period", "indicator_code"]
    if not (a[key].astype(str).to_numpy() == b[key].astype(str).to_numpy()).all():
        return False
    for c in ("value", "numerator", "denominator"):
        x, y = a[c].to_numpy(dtype=float), b[c].to_numpy(dtype=float)
        if not np.allclose(x, y, rtol=0, atol=1e-6, equal_nan=True):
            return False
    return True


def roll_up_village_month(conn: sa.Connection, village_id: int, period: int, codes: list[str] | None = None) -> None:
    """rollup_indicator rows (of `codes`, None: all) of the village's township, county, city and province for one
    month, each recomputed from the level below (sums, min, max and counts stay exact)."""
    ri, iv = RollupIndicator.__table__.c, IndicatorValue.__table__.c
    table = RollupIndicator.__table__
    names = ["region_id", "period", "indicator_code", *INDICATOR_AGGS, "level"]
    below = None
    for level, span in ANCESTOR_SPANS:
        region = village_id // span * span
        gone = table.delete().where(ri.level == level, ri.region_id == region, ri.period == period)
        conn.execute(gone if codes is None else gone.where(ri.indicator_code.in_(codes)))
        if below is None:  # the township: from its villages' values
            stmt = (sa.select(sa.literal(region), iv.period, iv.indicator_code, sa.func.sum(iv.value),
                              sa.func.sum(iv.numerator), sa.func.sum(iv.denominator), sa.func.min(iv.value),
                              sa.func.max(iv.value), sa.func.count(), sa.literal(level))
                    .where(iv.period == period, iv.village_id.between(region, region + span - 1),
                           *(() if codes is None else (iv.indicator_code.in_(codes),)))
                    .group_by(iv.period, iv.indicator_code))
        else:
            stmt = (sa.select(sa.literal(region), ri.period, ri.indicator_code,
                              *(fn(ri[v]) for v, fn in INDICATOR_AGGS.items()), sa.literal(level))
                    .where(ri.level == below, ri.period == period, ri.region_id.between(region, region + span - 1),
                           *(() if codes is None else (ri.indicator_code.in_(codes),)))
                    .group_by(ri.period, ri.indicator_code))
        conn.execute(table.insert().from_select(names, stmt))
        below = level


def drop_month_scores(conn: sa.Connection, period: int, *, now: datetime, cause: str = "") -> None:
    """After a write: the month's stored scores and ranks (every level) no longer hold, so they are dropped and
    the month is stamped with the write. Until `rescore_pending` stores them again, every reader computes the
    month's scores from the rollups the write has just brought up to date (core.scoring._scores: no stored rows →
    computed), so a page shows the month after the write, never half of it. Re-scoring inside the write costs
    seconds at city size (every village of the level is a peer); dropping costs one DELETE."""
    table = RollupVillageScore.__table__
    conn.execute(table.delete().where(table.c.period == int(period)))
    stamp(conn, int(period), now, cause)


def rescore_month(session: Session, period: int, *, now: datetime | None = None, cause: str = "") -> int:
    """Replace the month's stored scores and ranks of every level (and, with `now`, stamp it); rows written."""
    conn = session.connection()
    rows = month_score_rows(session, int(period))
    table = RollupVillageScore.__table__
    conn.execute(table.delete().where(table.c.period == int(period)))
    if rows:
        conn.execute(table.insert(), rows)
    if now is not None:
        stamp(conn, int(period), now, cause)
    return len(rows)


def pending_months(session: Session) -> list[int]:
    """Months with indicator values whose stored scores were dropped by a write (not yet re-stored)."""
    iv, vs = IndicatorValue.__table__.c, RollupVillageScore.__table__.c
    have = {int(r[0]) for r in session.execute(sa.select(vs.period).distinct())}
    months = {int(r[0]) for r in session.execute(sa.select(iv.period).distinct())}
    return sorted(months - have)


def rescore_pending(session: Session) -> list[int]:
    """Store again the scores of every month a write dropped (the debounced half of a write; the stamp keeps the
    write's time and cause); returns the months re-scored. The caller commits."""
    done = pending_months(session)
    for period in done:
        rescore_month(session, period)
    return done


def stamp(conn: sa.Connection, period: int, now: datetime, cause: str = "") -> None:
    """Record that the month's stored scores were computed at `now`."""
    t = ScoreStamp.__table__
    conn.execute(t.delete().where(t.c.period == int(period)))
    conn.execute(t.insert().values(period=int(period), computed_at=now, cause=cause[:64]))


def score_stamp(session: Session, period: int) -> dict:
    """When the month's scores were computed and from what: {"computed_at": datetime | None (None: as the data
    was generated or loaded), "cause": the write's record kind ("task", "appeal", "dept_report", …) or "",
    "record_id": its id or None}."""
    t = ScoreStamp.__table__.c
    row = session.execute(sa.select(t.computed_at, t.cause).where(t.period == int(period))).first()
    if row is None:
        return {"computed_at": None, "cause": "", "record_id": None}
    kind, _, rid = str(row[1] or "").partition(":")
    return {"computed_at": row[0], "cause": kind, "record_id": int(rid) if rid.isdigit() else None}


def computed_at(session: Session, period: int) -> datetime | None:
    """When the month's stored scores were computed (None: never stamped)."""
    t = ScoreStamp.__table__.c
    return session.execute(sa.select(t.computed_at).where(t.period == int(period))).scalar()
