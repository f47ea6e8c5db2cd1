"""Dialect-portable SQL expressions: month keys, calendar days and hours between timestamps.

Each is a small SQLAlchemy construct compiled per dialect (SQLite stores dates and timestamps as
ISO text; PostgreSQL has real date/timestamp types), so core queries never test the dialect.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class ym(FunctionElement):  # noqa: N801 — reads like a SQL function in queries
    """YYYYMM of a date or timestamp as an integer (2026-03-15 → 202603)."""

    type = sa.Integer()
    inherit_cache = True
    name = "ym"


@compiles(ym)
def _ym_default(element, compiler, **kw) -> str:
    arg = compiler.process(list(element.clauses)[0], **kw)
    return f"CAST(EXTRACT(YEAR FROM {arg}) * 100 + EXTRACT(MONTH FROM {arg}) AS INTEGER)"


@compiles(ym, "sqlite")
def _ym_sqlite(element, compiler, **kw) -> str:
    arg = compiler.process(list(element.clauses)[0], **kw)
    return f"CAST(substr({arg}, 1, 4) || substr({arg}, 6, 2) AS INTEGER)"


class day_of(FunctionElement):  # noqa: N801
    """The calendar day of a timestamp (a DATE on PostgreSQL, 'YYYY-MM-DD' text on SQLite)."""

    type = sa.Date()
    inherit_cache = True
    name = "day_of"


@compiles(day_of)
def _day_default(element, compiler, **kw) -> str:
    return f"CAST({compiler.process(list(element.clauses)[0], **kw)} AS DATE)"


@compiles(day_of, "sqlite")
def _day_sqlite(element, compiler, **kw) -> str:
    return f"substr({compiler.process(list(element.clauses)[0], **kw)}, 1, 10)"


class hours_between(FunctionElement):  # noqa: N801
    """Hours from the first timestamp to the second (float; NULL when either is NULL)."""

    type = sa.Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between)
def _hours_default(element, compiler, **kw) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({b} - {a})) / 3600.0)"


@compiles(hours_between, "sqlite")
def _hours_sqlite(element, compiler, **kw) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({b}) - julianday({a})) * 24.0)"


class days_between(FunctionElement):  # noqa: N801
    """Whole days from the first date to the second (integer)."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_default(element, compiler, **kw) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({b} AS DATE) - CAST({a} AS DATE))"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({b}) - julianday({a}) AS INTEGER)"


class month_end(FunctionElement):  # noqa: N801
    """1 when a date is the last day of its month, else 0 (integer, so it can be grouped on)."""

    type = sa.Integer()
    inherit_cache = True
    name = "month_end"


@compiles(month_end)
def _month_end_default(element, compiler, **kw) -> str:
    arg = compiler.process(list(element.clauses)[0], **kw)
    return f"(CASE WHEN EXTRACT(DAY FROM (CAST({arg} AS DATE) + 1)) = 1 THEN 1 ELSE 0 END)"


@compiles(month_end, "sqlite")
def _month_end_sqlite(element, compiler, **kw) -> str:
    arg = compiler.process(list(element.clauses)[0], **kw)
    return f"(CASE WHEN substr(date({arg}, '+1 day'), 9, 2) = '01' THEN 1 ELSE 0 END)"


def next_month(period) -> sa.ColumnElement:
    """YYYYMM of the month after an integer YYYYMM expression (202612 → 202701)."""
    return sa.case((period % 100 == 12, period + 89), else_=period + 1)


def no_index(col) -> sa.ColumnElement:
    """`col + 0`: the same value, but the planner cannot use an index on it (steers SQLite to a better one)."""
    return col + sa.literal_column("0", sa.Integer())


__all__ = ["ym", "day_of", "hours_between", "days_between", "month_end", "next_month", "no_index"]
