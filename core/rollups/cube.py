"""民情 cube (rollup_appeal_cube): township rows from one grouped pass over `appeal`, regions above from those."""

from __future__ import annotations

from datetime import date
from typing import cast

import sqlalchemy as sa

from core.models import Appeal, RollupAppealCube
from core.rollups.common import LEVEL_ORDER, SPANS, _vkey, ancestors, shift_month
from core.sqlfn import hours_between, ym

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
    period = cast(int, period)  # one township's month: both are given
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
