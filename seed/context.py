"""Shared state of one generator run: the connection, counters and the generated units."""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from itertools import chain, islice
from typing import Any, cast

import numpy as np
import sqlalchemy as sa
from faker import Faker

from core.config import Preset

BATCH = 20_000
#: Rows per multi-row INSERT on SQLite (fewer statement steps than executemany: ~25 % less time per row).
ROWS_PER_STATEMENT = 1000


@dataclass
class VillageUnit:
    """A generated village with what later stages need (ids, size, latent strength)."""

    id: int
    township_id: int
    county_id: int
    name: str
    kind: str
    households: int
    population: int
    quality: float  # latent strength: >0 strong, <0 weak (consistent across modules)
    grid_ids: list[int] = field(default_factory=list)
    grid_households: list[int] = field(default_factory=list)
    grid_workers: list[int] = field(default_factory=list)
    grid_geoms: list = field(default_factory=list)
    secretary_id: int = 0
    committee_ids: list[int] = field(default_factory=list)
    stationed_id: int = 0


@dataclass
class TownshipStaff:
    """Who works at a township: admin, party deputy, leaders in charge per module, line cadres."""

    admin_id: int
    deputy_id: int
    leader_by_module: dict[str, int]
    line_ids: list[int]


@dataclass
class SeedContext:
    """Everything a generation stage reads or appends to."""

    conn: sa.Connection
    preset: Preset
    seed: int
    as_of: date
    faker: Faker
    counts: dict[str, int] = field(default_factory=dict)
    next_id: dict[str, int] = field(default_factory=dict)
    villages: list[VillageUnit] = field(default_factory=list)
    township_staff: dict[int, TownshipStaff] = field(default_factory=dict)
    county_admin: dict[int, int] = field(default_factory=dict)
    matter_ids: dict[str, int] = field(default_factory=dict)

    @cached_property
    def start(self) -> date:
        """First day of the history window (months before as_of, on the 1st)."""
        first_of_month = self.as_of.replace(day=1)
        y, m = first_of_month.year, first_of_month.month - (self.preset.months - 1)
        while m <= 0:
            y, m = y - 1, m + 12
        return date(y, m, 1)

    @property
    def days(self) -> int:
        """Length of the history window in days (inclusive of as_of)."""
        return (self.as_of - self.start).days + 1

    def rng(self, *stream: int) -> np.random.Generator:
        """An independent, reproducible random stream for (seed, *stream)."""
        return np.random.default_rng([self.seed, *[int(s) for s in stream]])

    id_base: int = 0  # each county's worker writes ids in its own block

    def ids(self, table: str, n: int) -> range:
        """Reserve n consecutive primary keys for `table` (inside this run's id block)."""
        first = self.next_id.get(table, self.id_base + 1)
        self.next_id[table] = first + n
        return range(first, first + n)

    def insert(self, table: sa.Table, rows: list[dict]) -> None:
        """Bulk-insert rows through the model's table, in batches.

        On SQLite the rows go straight to the driver's executemany, converted the way
        SQLAlchemy stores them (its per-row bind processing costs more than the insert);
        other backends take the ordinary `table.insert()` path.
        """
        if rows and "id" in table.c and "id" not in rows[0]:
            for row, i in zip(rows, self.ids(table.name, len(rows)), strict=True):
                row["id"] = i
        if self.conn.dialect.name == "sqlite":
            sql, convert = _sqlite_insert(self.conn, table)
            for i in range(0, len(rows), BATCH):
                self.conn.exec_driver_sql(sql, [convert(r) for r in rows[i : i + BATCH]])
        else:
            for i in range(0, len(rows), BATCH):
                self.conn.execute(table.insert(), rows[i : i + BATCH])
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def day(self, offset: int) -> date:
        """The date `offset` days after the window start."""
        return self.start + timedelta(days=int(offset))

    def write(self, table: sa.Table, n: int, cols: Mapping[str, Sequence]) -> None:
        """Bulk-insert `n` rows given column-wise (lists in SQLite storage form; absent columns are NULL).

        The columns are zipped straight into the driver's executemany: no dict or tuple per row in
        Python. On other backends the rows go through SQLAlchemy as dicts.
        """
        if n == 0:
            return
        names = [c.name for c in table.columns if c.name in cols]
        if self.conn.dialect.name != "sqlite":
            self.insert(table, [dict(zip(names, r, strict=True)) for r in zip(*(cols[k] for k in names), strict=True)])
            return
        _sqlite_rows(cast(sqlite3.Connection, self.conn.connection.driver_connection), table.name, names,
                     zip(*(cols[k] for k in names), strict=True))
        self.counts[table.name] = self.counts.get(table.name, 0) + n


def _sqlite_rows(driver: sqlite3.Connection, table: str, names: list[str], rows) -> None:
    """Insert row tuples with multi-row INSERT statements (as many rows as SQLite's parameter limit allows,
    up to ROWS_PER_STATEMENT), the remainder with executemany; rows keep their order."""
    one = f"({', '.join('?' * len(names))})"
    head = f"INSERT INTO {table} ({', '.join(names)}) VALUES "
    per = max(1, min(ROWS_PER_STATEMENT, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(names)))
    multi = head + ", ".join([one] * per)
    while len(batch := list(islice(rows, per))) == per:
        driver.execute(multi, list(chain.from_iterable(batch)))
    if batch:
        driver.executemany(head + one, batch)


def _to_sql_datetime(v):
    if v is None or isinstance(v, str):  # generators may hand over pre-formatted text
        return v
    return v.isoformat(" ", "microseconds")


def sql_datetimes(a: np.ndarray) -> list:
    """datetime64 array → SQLAlchemy's SQLite text form ('YYYY-MM-DD HH:MM:SS.ffffff'), NaT → None."""
    text = np.char.replace(np.datetime_as_string(a.astype("datetime64[us]"), unit="us"), "T", " ")
    out = text.tolist()
    if np.isnat(a).any():
        for i in np.nonzero(np.isnat(a))[0].tolist():
            out[i] = None
    return out


@cache
def _time_of_day() -> list[str]:
    """'HH:MM:SS.000000' for every second of a day (the time half of SQLAlchemy's SQLite text)."""
    return [f"{h:02d}:{m:02d}:{s:02d}.000000" for h in range(24) for m in range(60) for s in range(60)]


def sql_times(a: np.ndarray, ok: np.ndarray | None = None) -> list:
    """datetime64 array (whole seconds) → SQLAlchemy's SQLite text; None where `ok` is False.

    Built from a per-day table and a per-second table (two list lookups and one concatenation
    per value), several times faster than formatting each value.
    """
    sec = a.astype("datetime64[s]").astype(np.int64)
    if ok is not None:
        sec = np.where(ok, sec, sec[ok][0] if ok.any() else 0)  # NaT or unused values: any valid second
    if len(sec) == 0:
        return []
    days, tod = np.divmod(sec, 86_400)
    d0 = int(days.min())
    table = [s + " " for s in np.datetime_as_string(
        np.arange(d0, int(days.max()) + 1).astype("datetime64[D]")).tolist()]
    clock = _time_of_day()
    if ok is None:
        return [table[d] + clock[t] for d, t in zip((days - d0).tolist(), tod.tolist(), strict=True)]
    return [table[d] + clock[t] if o else None
            for d, t, o in zip((days - d0).tolist(), tod.tolist(), ok.tolist(), strict=True)]


def sql_dates(a: np.ndarray) -> list[str]:
    """datetime64[D] array → 'YYYY-MM-DD' text."""
    return np.datetime_as_string(a.astype("datetime64[D]")).tolist()


def month_index(a: np.ndarray, start: date) -> np.ndarray:
    """Months since `start`'s month of each datetime64 value (0 for the first month)."""
    return a.astype("datetime64[M]").astype(np.int64) - np.datetime64(start, "M").astype(np.int64)


def _to_sql_date(v):
    return None if v is None else v.isoformat()


def _to_sql_bool(v):
    return None if v is None else int(bool(v))


def _sqlite_insert(conn: sa.Connection, table: sa.Table):
    """INSERT text with ? placeholders and a row → tuple converter matching SQLAlchemy's storage."""
    cols = list(table.columns)
    sql = f"INSERT INTO {table.name} ({', '.join(c.name for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
    conv: list[Callable[[Any], Any] | None] = []
    for c in cols:
        t = c.type
        if isinstance(t, sa.DateTime):
            conv.append(_to_sql_datetime)
        elif isinstance(t, sa.Date):
            conv.append(_to_sql_date)
        elif isinstance(t, sa.Boolean):
            conv.append(_to_sql_bool)
        else:
            conv.append(None)
    names = [c.name for c in cols]
    fix = [(i, f) for i, f in enumerate(conv) if f is not None]
    getter = operator.itemgetter(*names)

    def convert(row: dict) -> tuple:
        try:
            vals = getter(row)  # one C call when the row has every column
        except KeyError:
            vals = tuple(row.get(n) for n in names)
        if not fix:
            return vals
        vals = list(vals)
        for i, f in fix:
            vals[i] = f(vals[i])
        return tuple(vals)

    return sql, convert


def periods(start: date, as_of: date) -> list[int]:
    """YYYYMM periods from start's month to as_of's month, inclusive."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (as_of.year, as_of.month):
        out.append(y * 100 + m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
