"""Indicator rollup (rollup_indicator): one pass to township level, then up."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from core.models import IndicatorValue, RollupIndicator
from core.rollups.common import _roll_up
from core.sqlfn import no_index

INDICATOR_AGGS: dict[str, Callable] = {"value_sum": sa.func.sum, "num_sum": sa.func.sum, "den_sum": sa.func.sum,
                  "value_min": sa.func.min, "value_max": sa.func.max, "n": sa.func.sum}



def _fill_indicator_townships(conn: sa.Connection) -> None:
    iv = IndicatorValue.__table__.c
    key = (no_index(iv.village_id) // 1000) * 1000
    select = (sa.select(key, iv.period, iv.indicator_code, sa.func.sum(iv.value), sa.func.sum(iv.numerator),
                        sa.func.sum(iv.denominator), sa.func.min(iv.value), sa.func.max(iv.value), sa.func.count(),
                        sa.literal("township"))
              .group_by(key, iv.period, iv.indicator_code))
    conn.execute(RollupIndicator.__table__.delete())
    conn.execute(RollupIndicator.__table__.insert().from_select(
        ["region_id", "period", "indicator_code", *INDICATOR_AGGS, "level"], select))


def _roll_up_indicator(conn: sa.Connection) -> None:
    t = RollupIndicator.__table__
    conn.execute(t.delete().where(t.c.level != "township"))
    _roll_up(conn, t, "township", INDICATOR_AGGS)
