"""Shared pieces of the rollups: region spans, table lists, month arithmetic, the level-by-level roll-up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from core.sqlfn import no_index

ANCESTOR_SPANS = (("township", 1000), ("county", 10**6), ("city", 10**8), ("province", 10**10))
LEVEL_ORDER = ("village", "township", "county", "city", "province")
SPANS = dict(ANCESTOR_SPANS)
FINISHED = ("done", "scored")
APPEAL_VALUES = ("n", "on_time", "rated", "good", "mid")
ROLLUP_TABLES = ("rollup_indicator", "rollup_task_month", "rollup_task_late", "rollup_task_owner",
                 "rollup_appeal_month", "rollup_appeal_grid", "rollup_appeal_day", "rollup_diary_month", "rollup_appeal_cube",
                 "rollup_village_score", "rollup_warning", "rollup_leader_month", "rollup_decision_check")
#: Tables whose rows `build_base` writes from one county's raw rows (a county database can build them).
BASE_TABLES = tuple(t for t in ROLLUP_TABLES if t not in ("rollup_village_score", "rollup_warning",
                                                          "rollup_leader_month"))


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



# SQLite scans the table once and sorts, instead of walking the (village, …) index and fetching
# every row at random (20× slower on the city preset). With a village, its index is searched.



def _vkey(col, village: int | None):
    return no_index(col) if village is None else col


def _roll_up(conn: sa.Connection, table: sa.Table, first: str, aggs: dict[str, Callable]) -> None:
    """Rows of every level above `first`, each aggregated from the level below it (small rows, not raw ones)."""
    c = table.c
    extra = [c.indicator_code] if "indicator_code" in c else []
    levels = LEVEL_ORDER[LEVEL_ORDER.index(first):]
    for child, level in zip(levels, levels[1:], strict=False):
        key = (c.region_id // SPANS[level]) * SPANS[level]
        stmt = (sa.select(key, c.period, *extra, *(fn(c[v]) for v, fn in aggs.items()), sa.literal(level))
                .where(c.level == child).group_by(key, c.period, *extra))
        names = ["region_id", "period", *(x.name for x in extra), *aggs, "level"]
        conn.execute(table.insert().from_select(names, stmt))
