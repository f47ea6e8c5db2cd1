"""What the services call in the transaction of a write: bring every rollup that counts the row up to date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from core.appeal_warnings import store_warnings
from core.leader_index import store_leader_months
from core.live import codes_reading, refresh_village_month
from core.models import Appeal, RollupTaskOwner, Task
from core.rollups.cube import _refresh_cube
from core.rollups.keyed import KEYED, _refresh_keyed
from core.rollups.regional import APPEAL_MONTH, TASK_LATE, TASK_MONTH, _refresh_regional

#: Key of the PostgreSQL advisory lock that serialises rollup upkeep (any constant shared by every writer).
ROLLUP_LOCK_KEY = 330_000_733


#: The indicators a task or an appeal write can change (the rest of the village-month is not recounted).
TASK_CODES, APPEAL_CODES = codes_reading("task"), codes_reading("appeal")


def _serialize_upkeep(conn: sa.Connection) -> None:
    """One rollup writer at a time, until the transaction ends.

    Upkeep reads the raw rows and replaces rollup rows that other villages share (township and above), so two
    concurrent writers could both insert the same missing row. SQLite already serialises writers (BEGIN
    IMMEDIATE); PostgreSQL's READ COMMITTED does not, so take a transaction-level advisory lock there. It is
    taken after the service's own row locks and nothing is locked after it, so it cannot deadlock.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROLLUP_LOCK_KEY})


def touch_task(session: Session, task: Task, *, now: datetime | None = None) -> None:
    """Bring every rollup that counts `task` up to date with its current row (call after a flush); with `now`,
    also its village's indicator values of the deadline month, their rollups and the month's scores (core.live)."""
    conn = session.connection()
    _serialize_upkeep(conn)
    v = int(task.village_id)
    if now is not None:
        refresh_village_month(session, village_id=v, period=task.deadline.year * 100 + task.deadline.month, now=now,
                              cause=f"task:{task.id}", codes=TASK_CODES)
    _refresh_regional(conn, TASK_MONTH, v)
    _refresh_regional(conn, TASK_LATE, v)
    t = Task.__table__.c
    if task.owner_id is not None:
        o = RollupTaskOwner.__table__.c
        _refresh_keyed(conn, "rollup_task_owner", (t.village_id == v, t.owner_id == int(task.owner_id)),
                       (o.village_id == v, o.owner_id == int(task.owner_id)))
    store_leader_months(conn, village_id=v)  # its secretaries' 领雁指数 read the rows just refreshed


def touch_village(session: Session, village_id: int, periods, *, now: datetime, cause: str,
                  codes: Iterable[str] | None = None) -> bool:
    """A record written for a village (a diary visit, a decision closed, a meeting, an inspection, a report, a
    project landed): recount each month in `periods` (YYYYMM) — the indicators `codes` (those reading the written
    record's source, core.live.codes_reading; None: all) — and what stands on it (core.live), then the village's
    领雁指数 when a count moved. Returns whether one did."""
    codes = None if codes is None else tuple(codes)
    moved = [p for p in sorted({int(x) for x in periods})
             if refresh_village_month(session, village_id=int(village_id), period=p, now=now, cause=cause, codes=codes)]
    if moved:
        conn = session.connection()
        _serialize_upkeep(conn)
        store_leader_months(conn, village_id=int(village_id))
    return bool(moved)


def touch_appeal(session: Session, appeal: Appeal, *, now: datetime | None = None) -> None:
    """Bring every rollup that counts `appeal` up to date with its current row (call after a flush); with `now`,
    also its village's indicator values of the report month, their rollups and the month's scores (core.live)."""
    conn = session.connection()
    _serialize_upkeep(conn)
    if now is not None:
        refresh_village_month(session, village_id=int(appeal.village_id), now=now, cause=f"appeal:{appeal.id}",
                              period=appeal.reported_at.year * 100 + appeal.reported_at.month, codes=APPEAL_CODES)
    _refresh_regional(conn, APPEAL_MONTH, int(appeal.village_id))
    _refresh_cube(conn, int(appeal.village_id), int(appeal.reported_at.strftime("%Y%m")))
    a, g = Appeal.__table__.c, int(appeal.grid_id)
    for name in ("rollup_appeal_grid", "rollup_appeal_day"):
        table = KEYED[name][0]
        _refresh_keyed(conn, name, (a.grid_id == g,), (table.c.grid_id == g,))
    store_warnings(conn, village_id=int(appeal.village_id))  # the detectors read the rows just refreshed
    store_leader_months(conn, village_id=int(appeal.village_id))  # its secretaries' 领雁指数 (appeal inputs)
