"""Rebuild: base rows (village / grid / township keyed, from raw rows), then the regions above."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from core.appeal_warnings import store_warnings
from core.decisions import store_decision_checks
from core.leader_index import store_leader_months
from core.rollups.common import BASE_TABLES, ROLLUP_TABLES, _conn
from core.rollups.cube import _fill_cube_townships, _roll_up_cube
from core.rollups.indicator import _fill_indicator_townships, _roll_up_indicator
from core.rollups.keyed import KEYED
from core.rollups.regional import REGIONAL, _fill_villages, _roll_up_regional
from core.scoring import store_village_scores


def build_base(target: Session | sa.Connection, tables: Iterable[str] = BASE_TABLES) -> None:
    """Rows keyed by village, grid or township, from the raw tables (one grouped INSERT … SELECT each).

    Every such row depends on one county's raw rows only, so a county's database can build them and
    a merge can copy them; `roll_up_regions` then adds the rows of the regions above.
    """
    conn, wanted = _conn(target), set(tables)
    if "rollup_appeal_month" in wanted:
        wanted.add("rollup_appeal_grid")
    if "rollup_indicator" in wanted:
        _fill_indicator_townships(conn)
    if "rollup_appeal_cube" in wanted:
        _fill_cube_townships(conn)
    for name, (table, cols, select) in KEYED.items():
        if name in wanted:
            conn.execute(table.delete())
            conn.execute(table.insert().from_select(cols, select(full=True)))
    for r in REGIONAL:
        if r.table.name in wanted:
            _fill_villages(conn, r)
    if "rollup_decision_check" in wanted:
        store_decision_checks(conn)


def roll_up_regions(target: Session | sa.Connection, tables: Iterable[str] = ROLLUP_TABLES, *,
                    as_of: date | None = None) -> None:
    """Township (indicators: county) and higher rows of the regional rollups, from the rows below them;
    then what compares all villages (`rollup_village_score`) and the stored warnings as of `as_of`
    (default: the dataset's day), which read the rollups above."""
    conn, wanted = _conn(target), set(tables)
    if "rollup_indicator" in wanted:
        _roll_up_indicator(conn)
    if "rollup_appeal_cube" in wanted:
        _roll_up_cube(conn)
    for r in REGIONAL:
        if r.table.name in wanted:
            _roll_up_regional(conn, r)
    if "rollup_village_score" in wanted:
        store_village_scores(conn)  # reads rollup_indicator (the months), filled just above
    if "rollup_warning" in wanted:
        store_warnings(conn, as_of=as_of)
    if "rollup_leader_month" in wanted:
        store_leader_months(conn)  # reads the village rollups above (tasks, owners, appeals, diary, indicators)


def rebuild_rollups(target: Session | sa.Connection, tables: Iterable[str] = ROLLUP_TABLES, *,
                    as_of: date | None = None) -> dict[str, int]:
    """Empty and rebuild the rollup tables (default: all) from the raw tables; row counts per table."""
    conn, tables = _conn(target), tuple(tables)
    build_base(conn, tables)
    roll_up_regions(conn, tables, as_of=as_of)
    return {name: int(conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one()) for name in tables}
