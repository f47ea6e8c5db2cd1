"""How current the data is: the data version every write bumps, and a cheap signature of the records.

The data version is one row (`data_version`, id 1) in the database itself, so every app server reading the
same database agrees on it: the ui keys its caches on it (read at most once per second per process), and a
write through one server shows on every server's screens at their next rerun.

Every write bumps it through one function, `bump`, called by a commit hook that `install` puts on an engine
(`core.db.make_engine` does): a transaction that ran an INSERT, UPDATE or DELETE on a table outside
`QUIET_TABLES` bumps the version once, inside the same transaction, just before it commits. A rolled back
transaction bumps nothing. Write services therefore need no call of their own, and a new one cannot forget it.
"""

from __future__ import annotations

import re
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.models import Appeal, DataVersion, Task, TaskEvent

#: Tables whose writes change nothing any screen shows (sign-in bookkeeping): they do not bump the version,
#: so a morning of sign-ins does not empty every cache.
QUIET_TABLES = frozenset({"auth_event", "user_account", "user_session", "sign_in_guard", "data_version",
                          "alembic_version"})

_FLAG = "xingcun_wrote"
_DML = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+'
                  r'(?:"?\w+"?\.)?"?(\w+)"?', re.IGNORECASE)
_TABLE = DataVersion.__tablename__
_BUMP = (f"INSERT INTO {_TABLE} (id, version) VALUES (1, 1) "
         f"ON CONFLICT (id) DO UPDATE SET version = {_TABLE}.version + 1")
_EXISTS = {"sqlite": f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{_TABLE}'",
           "postgresql": f"SELECT to_regclass('{_TABLE}') IS NOT NULL"}


def data_version(session: Session) -> int:
    """The current data version (0 before the first write)."""
    dv = DataVersion.__table__.c
    value = session.execute(sa.select(dv.version).where(dv.id == 1)).scalar()
    return int(value or 0)


def bump(dbapi_connection: Any, dialect: str) -> bool:
    """Add one to the data version on this DBAPI connection, inside its open transaction.

    Returns False (and changes nothing) on a database without the table (one made before migration 0013).
    """
    cur = dbapi_connection.cursor()
    try:
        cur.execute(_EXISTS.get(dialect, _EXISTS["postgresql"]))
        row = cur.fetchone()
        if not row or not row[0]:
            return False
        cur.execute(_BUMP)
        return True
    finally:
        cur.close()


def wrote(statement: str) -> bool:
    """True when the SQL statement writes rows of a table a screen can show (not one of QUIET_TABLES)."""
    m = _DML.match(statement)
    return m is not None and m.group(1).lower() not in QUIET_TABLES


def install(engine: Engine) -> None:
    """Put the bump-on-commit hook on an engine (idempotent)."""
    if engine.dialect.name not in _EXISTS or sa.event.contains(engine, "commit", _on_commit):
        return
    sa.event.listen(engine, "begin", _on_begin)
    sa.event.listen(engine, "after_cursor_execute", _after_execute)
    sa.event.listen(engine, "commit", _on_commit)
    sa.event.listen(engine, "rollback", _on_begin)


def _on_begin(conn: sa.Connection) -> None:
    conn.info.pop(_FLAG, None)


def _after_execute(conn: sa.Connection, _cursor: Any, statement: str, _params: Any, _context: Any,
                   _executemany: bool) -> None:
    if not conn.info.get(_FLAG) and wrote(statement):
        conn.info[_FLAG] = True


def _on_commit(conn: sa.Connection) -> None:
    # Runs before the DBAPI commit, so the bump commits (or fails) with the rows it counts. The raw cursor keeps
    # SQLAlchemy's transaction bookkeeping (which is committing) out of it.
    if conn.info.pop(_FLAG, None):
        bump(cast(Any, conn.connection).dbapi_connection, conn.dialect.name)


def data_signature(session: Session) -> tuple[int, int, int]:
    """(max task id, max task-event id, max appeal id): changes whenever a task, event or appeal is written."""
    row = session.execute(sa.select(sa.select(sa.func.max(Task.id)).scalar_subquery(),
                                 sa.select(sa.func.max(TaskEvent.id)).scalar_subquery(),
                                 sa.select(sa.func.max(Appeal.id)).scalar_subquery())).one()
    return cast(tuple[int, int, int], tuple(int(v or 0) for v in row))
