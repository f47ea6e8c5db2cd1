"""汇总表 (rollups): small tables that the pages read instead of raw history (SCALE.md, issue #9).

Kinds:

- **Regional** rollups (`rollup_task_month`, `rollup_task_late`, `rollup_appeal_month`) hold one row
  per village and per ancestor region (township, county, city, province) × month, so a page of any
  level reads one region's rows. A write refreshes the village's rows from its raw rows (an
  indexed read of one village) and adds the difference to the ancestors' rows.
- **Keyed** rollups (`rollup_task_owner`, `rollup_appeal_grid`, `rollup_appeal_day`,
  `rollup_diary_month`) are refreshed by deleting and re-inserting the rows of one key (a village's
  owner, a grid) from the raw rows of that key.
- `rollup_indicator` (indicator_value per region of township level and above) and
  `rollup_village_score` (core.scoring) change only when indicator values are loaded, which only the
  generator does, so only the rebuild writes them.
- `rollup_appeal_cube` (民情 cube, core.appeals.appeal_cube): appeals per region of township level and
  above × month × category × channel × closing level × on time × rating. A write recomputes its
  township's rows of the appeal's month (an indexed read) and adds the difference above.
- `rollup_warning` (core.warnings): the appeal warnings at the dataset's as-of day; an appeal write
  recomputes its village's rows.
- `rollup_leader_month` (core.leader_index): every village secretary's 领雁指数, dimensions and cadre
  score per month with indicator values; a task or appeal write recomputes its village's secretaries
  (their other inputs are written only by the generator).
- `rollup_decision_check` (core.decisions): every 议事决策's step check (skipped, out of order), so
  wide scopes count and list non-compliant decisions without their steps; decisions are written only by
  the generator, so only the rebuild writes it.

Rebuild (`rebuild_rollups`) is SQL, in two steps. `build_base` writes the village-, grid- and
township-keyed rows with one grouped INSERT … SELECT per raw table, on a table scan; each row
depends on one county's raw rows, so the generator's county workers run it on their own files and
the merge copies the rows (`BASE_TABLES`). `roll_up_regions` then sums each region level from the
level below (small tables), and computes the scores and warnings. The services call `touch_task` /
`touch_appeal` in the transaction of the write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from core.decisions import store_decision_checks
from core.leader_index import store_leader_months
from core.models import (
    Appeal,
    DiaryVisit,
    IndicatorValue,
    RollupAppealCube,
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
from core.scoring import store_village_scores
from core.sqlfn import day_of, hours_between, month_end, next_month, no_index, ym
from core.warnings import store_warnings

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


# ---- regional rollups: village rows from one grouped pass over the raw table, regions from those ----
# `village=None` selects every village for the rebuild: the group key is wrapped in no_index() so
# SQLite scans the table once and sorts, instead of walking the (village, …) index and fetching
# every row at random (20× slower on the city preset). With a village, its index is searched.


def _vkey(col, village: int | None):
    return no_index(col) if village is None else col


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
    late = (sa.select(v.label("v"), due_p.label("due_p"), eom.label("eom"), done_p.label("done_p"),
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
                for v, p, *rest in conn.execute(self.select(int(village_id)))}


TASK_MONTH = Regional(RollupTaskMonth.__table__, ("due", "finished", "on_time"), _task_month_select)
TASK_LATE = Regional(RollupTaskLate.__table__, ("n",), _task_late_select)
APPEAL_MONTH = Regional(RollupAppealMonth.__table__, APPEAL_VALUES, _appeal_month_select)
REGIONAL = (TASK_MONTH, TASK_LATE, APPEAL_MONTH)


def _fill_villages(conn: sa.Connection, r: Regional) -> None:
    """Village rows of one regional rollup: one INSERT … SELECT … GROUP BY over the raw table."""
    conn.execute(r.table.delete())
    cols = ["region_id", "period", *r.values]
    conn.execute(r.table.insert().from_select([*cols, "level"], r.select(None).add_columns(sa.literal("village"))))


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


# ---- keyed rollups: INSERT … SELECT, per key on refresh ----
# `full=True` is the rebuild (no_index on the leading key: one table scan, see above).

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


# ---- 民情 cube: township rows from one grouped pass over `appeal`, regions above from those ----

CUBE = RollupAppealCube.__table__
CUBE_KEYS = ("category", "channel", "closing_level", "on_time", "rating")
CUBE_VALUES = ("n", "resp_h", "close_h")


def _cube_keys(a) -> list:
    """The cube key of an appeal (sentinels for open / unrated: '' and on_time -1, see RollupAppealCube)."""
    on_time = sa.case((a.closed_at.is_(None), -1), (a.closed_at <= a.due_at, 1), else_=0)
    return [a.category, a.channel, sa.func.coalesce(a.closing_level, ""), on_time, sa.func.coalesce(a.rating, "")]


def _cube_select(town: int | None = None, period: int | None = None) -> sa.Select:
    """Township × month × cube key: count and summed hours to respond / close, from the raw appeals; for the
    rebuild (None) every township on a table scan, else one township's month through (village, reported_at)."""
    a = Appeal.__table__.c
    key, p, keys = (_vkey(a.village_id, town) // 1000) * 1000, ym(a.reported_at), _cube_keys(a)
    hours = [sa.func.coalesce(sa.func.sum(hours_between(a.reported_at, a[c])), 0.0)
             for c in ("first_response_at", "closed_at")]
    stmt = sa.select(key, p, *keys, sa.func.count(), *hours).group_by(key, p, *keys)
    if town is None:
        return stmt
    y, m = divmod(int(shift_month(period, 1)), 100)
    first, after = date(int(period) // 100, int(period) % 100, 1), date(y, m, 1)
    return stmt.where(a.village_id.between(int(town), int(town) + 999), a.reported_at >= first, a.reported_at < after)


def _fill_cube_townships(conn: sa.Connection) -> None:
    conn.execute(CUBE.delete())
    conn.execute(CUBE.insert().from_select(["region_id", "period", *CUBE_KEYS, *CUBE_VALUES, "level"],
                                           _cube_select().add_columns(sa.literal("township"))))


def _roll_up_cube(conn: sa.Connection) -> None:
    """County, city and province rows, each summed from the level below."""
    c = CUBE.c
    conn.execute(CUBE.delete().where(c.level != "township"))
    levels = LEVEL_ORDER[1:]
    for child, level in zip(levels, levels[1:], strict=False):
        key, dims = (c.region_id // SPANS[level]) * SPANS[level], [c[k] for k in CUBE_KEYS]
        stmt = (sa.select(key, c.period, *dims, *(sa.func.sum(c[v]) for v in CUBE_VALUES), sa.literal(level))
                .where(c.level == child).group_by(key, c.period, *dims))
        conn.execute(CUBE.insert().from_select(["region_id", "period", *CUBE_KEYS, *CUBE_VALUES, "level"], stmt))


def _refresh_cube(conn: sa.Connection, village_id: int, period: int) -> None:
    """Recompute one township's cube rows of one month from raw rows; add the difference to the regions above."""
    town, c = int(village_id) // 1000 * 1000, CUBE.c
    new = {tuple(row[2:7]): tuple(row[7:]) for row in conn.execute(_cube_select(town, period))}
    old = {tuple(row[:5]): tuple(row[5:]) for row in conn.execute(
        sa.select(*(c[k] for k in CUBE_KEYS), *(c[v] for v in CUBE_VALUES))
        .where(c.region_id == town, c.period == int(period)))}
    zero = (0, 0.0, 0.0)
    for key in set(new) | set(old):
        delta = tuple(x - y for x, y in zip(new.get(key, zero), old.get(key, zero), strict=True))
        if delta[0] == 0 and abs(delta[1]) < 1e-9 and abs(delta[2]) < 1e-9:
            continue
        for level, region_id in ancestors(village_id):
            _add_cube(conn, level, region_id, int(period), key, delta)


def _add_cube(conn: sa.Connection, level: str, region_id: int, period: int, key: tuple, delta: tuple) -> None:
    c = CUBE.c
    where = sa.and_(c.region_id == region_id, c.period == period, *(c[k] == v for k, v in zip(CUBE_KEYS, key, strict=True)))
    done = conn.execute(CUBE.update().where(where).values(
        {v: c[v] + d for v, d in zip(CUBE_VALUES, delta, strict=True)})).rowcount
    if not done:
        conn.execute(CUBE.insert().values(region_id=region_id, period=period, level=level,
                                          **dict(zip(CUBE_KEYS, key, strict=True)),
                                          **dict(zip(CUBE_VALUES, delta, strict=True))))
    conn.execute(CUBE.delete().where(where, c.n == 0))


# ---- indicator rollup: one pass to township level, then up ----

INDICATOR_AGGS = {"value_sum": sa.func.sum, "num_sum": sa.func.sum, "den_sum": sa.func.sum,
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


# ---- rebuild: base rows (village / grid / township keyed, from raw rows), then regions above ----

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


# ---- what the services call in their transaction ----

#: Key of the PostgreSQL advisory lock that serialises rollup upkeep (any constant shared by every writer).
ROLLUP_LOCK_KEY = 330_000_733


def _serialize_upkeep(conn: sa.Connection) -> None:
    """One rollup writer at a time, until the transaction ends.

    Upkeep reads the raw rows and replaces rollup rows that other villages share (township and above), so two
    concurrent writers could both insert the same missing row. SQLite already serialises writers (BEGIN
    IMMEDIATE); PostgreSQL's READ COMMITTED does not, so take a transaction-level advisory lock there. It is
    taken after the service's own row locks and nothing is locked after it, so it cannot deadlock.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROLLUP_LOCK_KEY})


def touch_task(session: Session, task: Task) -> None:
    """Bring every rollup that counts `task` up to date with its current row (call after a flush)."""
    conn = session.connection()
    _serialize_upkeep(conn)
    v = int(task.village_id)
    _refresh_regional(conn, TASK_MONTH, v)
    _refresh_regional(conn, TASK_LATE, v)
    t = Task.__table__.c
    if task.owner_id is not None:
        o = RollupTaskOwner.__table__.c
        _refresh_keyed(conn, "rollup_task_owner", (t.village_id == v, t.owner_id == int(task.owner_id)),
                       (o.village_id == v, o.owner_id == int(task.owner_id)))
    store_leader_months(conn, village_id=v)  # its secretaries' 领雁指数 read the rows just refreshed


def touch_appeal(session: Session, appeal: Appeal) -> None:
    """Bring every rollup that counts `appeal` up to date with its current row (call after a flush)."""
    conn = session.connection()
    _serialize_upkeep(conn)
    _refresh_regional(conn, APPEAL_MONTH, int(appeal.village_id))
    _refresh_cube(conn, int(appeal.village_id), int(appeal.reported_at.strftime("%Y%m")))
    a, g = Appeal.__table__.c, int(appeal.grid_id)
    for name in ("rollup_appeal_grid", "rollup_appeal_day"):
        table = KEYED[name][0]
        _refresh_keyed(conn, name, (a.grid_id == g,), (table.c.grid_id == g,))
    store_warnings(conn, village_id=int(appeal.village_id))  # the detectors read the rows just refreshed
    store_leader_months(conn, village_id=int(appeal.village_id))  # its secretaries' 领雁指数 (appeal inputs)


__all__ = ["rebuild_rollups", "touch_task", "touch_appeal", "ancestors", "ROLLUP_TABLES", "TASK_MONTH", "TASK_LATE",
           "APPEAL_MONTH", "KEYED", "last_day", "shift_month"]
