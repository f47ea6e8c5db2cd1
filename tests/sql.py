"""Raw SQL for tests on whichever backend a fixture URL points at (SQLite file or PostgreSQL database).

Statements use SQLite's `?` placeholders; on PostgreSQL they become `%s`. Booleans in SQL text should be
written TRUE/FALSE, which both backends read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core.db import make_engine


def url_of(db: str | Path) -> str:
    """A SQLAlchemy URL for `db`: a URL as it is, a file path as a SQLite URL."""
    text = str(db)
    return text if "://" in text else f"sqlite:///{text}"


def _driver_sql(url: str, sql: str) -> str:
    return sql if url.startswith("sqlite") else sql.replace("%", "%%").replace("?", "%s")


def rows(db: str | Path, sql: str, params: Sequence = ()) -> list[tuple]:
    """All rows of one query on the database at `db` (a URL, or a SQLite file path)."""
    url = url_of(db)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(_driver_sql(url, sql), tuple(params))]
    finally:
        engine.dispose()


def scalar(db: str | Path, sql: str, params: Sequence = ()):
    """The first column of the first row (None when there is no row)."""
    found = rows(db, sql, params)
    return found[0][0] if found else None


def execute(db: str | Path, statements: Sequence[tuple[str, Sequence]]) -> None:
    """Run (sql, params) statements in one committed transaction."""
    url = url_of(db)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for sql, params in statements:
                conn.exec_driver_sql(_driver_sql(url, sql), tuple(params))
    finally:
        engine.dispose()


def first_code(db: str | Path, level: str) -> str:
    """The code of the first region (by id) of `level` in the database: the usual "a county", "a village" of a test."""
    return str(scalar(db, "SELECT code FROM region WHERE level=? ORDER BY id LIMIT 1", (level,)))


def first_codes(db: str | Path, levels: Sequence[str] = ("county", "township", "village")) -> dict[str, str]:
    """`first_code` for each of `levels`."""
    return {level: first_code(db, level) for level in levels}
