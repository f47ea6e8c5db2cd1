"""Demo data on PostgreSQL: generate into a temp SQLite file, migrate the target, COPY every table.

`python -m seed --preset tiny --out postgresql://user@host/db` lands here. The generator's fast path
(parallel county files merged with ATTACH) is SQLite-only, so the target gets its schema from the
Alembic migrations and its rows by COPY, table by table in foreign-key order; then the sequences
are moved past the copied ids and the tables are analyzed.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from core.db import is_postgres_url, make_engine, normalize_url
from core.migrate import upgrade
from core.models import DataVersion

if TYPE_CHECKING:
    import psycopg


def target_url(argv: list[str]) -> str | None:
    """The PostgreSQL URL given as --out, if any."""
    for i, arg in enumerate(argv):
        if arg == "--out" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--out="):
            value = arg.removeprefix("--out=")
        else:
            continue
        if is_postgres_url(value):
            return value
    return None


def generate_into(argv: list[str], url: str, generate_sqlite: Callable[[list[str]], int]) -> int:
    """Run the SQLite generator with --out replaced by a temp file, then load that file into `url`."""
    with tempfile.TemporaryDirectory(prefix="xingcun-pg-seed-") as tmp:
        path = Path(tmp) / "seed.db"
        out = [str(path) if a == url else a for a in argv]
        out = [f"--out={path}" if a == f"--out={url}" else a for a in out]
        code = generate_sqlite(out)
        if code != 0:
            return code
        t0 = time.perf_counter()
        counts = load_sqlite(path, url)
    if "--quiet" not in argv:
        print(f"已写入 PostgreSQL {make_url(normalize_url(url)).render_as_string(hide_password=True)} "
              f"({sum(counts.values()):,} 行, {time.perf_counter() - t0:.1f} s)")
    return 0


def load_sqlite(path: Path, url: str) -> dict[str, int]:
    """Copy every model table of the SQLite file at `path` into the empty PostgreSQL database at `url`.

    The target is first upgraded to the newest migration; returns rows copied per table.
    """
    upgrade(url)
    engine = make_engine(url)
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            _check_empty(conn)
            conn.execute(DataVersion.__table__.delete())  # the migrations' own writes bumped it; the source's counts
            _skip_fk_triggers(conn)
            cur = cast("psycopg.Connection", conn.connection.driver_connection).cursor()
            for table in SQLModel.metadata.sorted_tables:  # parents before children
                counts[table.name] = _copy_table(src, cur, table)
            _reset_sequences(conn)
            conn.commit()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        src.close()
        engine.dispose()
    return counts


def _skip_fk_triggers(conn: sa.Connection) -> None:
    """Skip the per-row foreign-key checks during the copy when allowed (superuser), several times faster.

    The source already passed SQLite's `PRAGMA foreign_key_check` in the generator; tables are
    still copied parents first, so a role without the right gets the same rows, checked.
    """
    if conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar():
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")


def _check_empty(conn: sa.Connection) -> None:
    for table in SQLModel.metadata.sorted_tables:
        if table.name == DataVersion.__tablename__:
            continue  # bumped by the migrations' data steps, not data of its own
        if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            raise RuntimeError(f"目标数据库不是空的（{table.name} 已有数据）：请换一个新建的数据库")


def _copy_table(src: sqlite3.Connection, cur, table: sa.Table) -> int:
    """COPY one table's rows in primary-key order; SQLite's 0/1 booleans and ISO text dates parse as they are."""
    cols = [c.name for c in table.columns]
    quoted = ", ".join(f'"{c}"' for c in cols)
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "rowid"
    rows = src.execute(f'SELECT {quoted} FROM "{table.name}" ORDER BY {order}')
    n = 0
    with cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        while batch := rows.fetchmany(10_000):
            for row in batch:
                copy.write_row(row)
            n += len(batch)
    return n


def _reset_sequences(conn: sa.Connection) -> None:
    """Move every serial id sequence past the largest copied id, so the app's inserts get new ids."""
    for table in SQLModel.metadata.sorted_tables:
        for col in table.primary_key.columns:
            seq = conn.exec_driver_sql("SELECT pg_get_serial_sequence(%s, %s)", (table.name, col.name)).scalar()
            if seq:
                conn.exec_driver_sql(
                    f'SELECT setval(%s, COALESCE(MAX("{col.name}"), 1), MAX("{col.name}") IS NOT NULL) '
                    f'FROM "{table.name}"', (seq,))


def database_url(base_url: str, name: str) -> str:
    """`base_url` (any database on the same server) pointed at database `name`."""
    return make_url(normalize_url(base_url)).set(database=name).render_as_string(hide_password=False)


def create_database(base_url: str, name: str, *, template: str | None = None) -> str:
    """Create database `name` (dropping any old one), optionally as a copy of `template`; returns its URL."""
    engine = make_engine(base_url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        engine.dispose()
    return database_url(base_url, name)


def drop_database(base_url: str, name: str) -> None:
    """Drop database `name`, closing any connection still open to it."""
    engine = make_engine(base_url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()
