"""One engine factory for the whole product, reading DATABASE_URL (SQLite by default, or PostgreSQL)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from core import (
    freshness,
    models,  # noqa: F401  (registers every table on SQLModel.metadata)
)
from core.config import get_settings


def _sqlite_pragmas(busy_timeout_ms: int):
    def on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA page_size=16384")  # new files only (before WAL): fewer, larger pages for bulk loads and scans
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    return on_connect


def _sqlite_begin(conn) -> None:
    # A writer takes the write lock up front (BEGIN IMMEDIATE), so two writers queue on the
    # busy timeout instead of failing with "database is locked" when a read lock is upgraded.
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def normalize_url(url: str) -> str:
    """The URL with PostgreSQL pinned to the psycopg 3 driver (`postgresql://` means psycopg2 to SQLAlchemy)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def display_url(url: str) -> str:
    """The URL fit for a screen or a log line: the password replaced by ***; unparseable URLs only by their scheme."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 — a malformed URL must not echo whatever it holds
        return url.split(":", 1)[0] + "://…"


def is_postgres_url(url: str) -> bool:
    """True for a PostgreSQL URL (any driver)."""
    return url.startswith(("postgresql", "postgres:"))


def make_engine(url: str, *, busy_timeout_ms: int | None = None) -> Engine:
    """A new engine; SQLite gets WAL, foreign keys, a busy timeout and immediate write locks.

    PostgreSQL gets a small pre-pinged pool and the same busy timeout as a lock timeout
    (a writer waits for a row lock instead of failing at once, like SQLite's busy timeout).
    Both get the data-version hook (core.freshness): a transaction that writes bumps it as it commits.
    """
    timeout = busy_timeout_ms or get_settings().busy_timeout_ms
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": timeout / 1000})
        sa.event.listen(engine, "connect", _sqlite_pragmas(timeout))
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                                  connect_args={"options": f"-c lock_timeout={int(timeout)} -c timezone=Asia/Shanghai"})
    freshness.install(engine)  # every committed write bumps the data version (caches of every server key on it)
    return engine


_ENGINES: dict[str, Engine] = {}


def get_engine() -> Engine:
    """The process-wide engine for the configured DATABASE_URL (a SQLite file is marked as served, see below)."""
    url = get_settings().database_url
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
        hold_serving_lock(url)
    return _ENGINES[url]


# ---- a SQLite file in use by a server ----------------------------------------------------------------------
# The app's process holds a shared advisory lock (flock) on '<file>.serving' for as long as it runs; the
# generator refuses to replace a file while anyone holds it (replacing it under a running server would
# leave the server writing into the old, unlinked file: its later writes would be lost). The kernel drops
# the lock when the process ends, however it ends.

_SERVING: dict[str, int] = {}


def serving_lock_path(db_file: Path) -> Path:
    """The lock file next to a SQLite database file."""
    return db_file.with_name(db_file.name + ".serving")


def sqlite_file(url: str) -> Path | None:
    """The file of a sqlite:/// URL (None for PostgreSQL and in-memory databases)."""
    url = normalize_url(url)
    if not url.startswith("sqlite:///") or url in ("sqlite://", "sqlite:///:memory:"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?")[0])


def hold_serving_lock(url: str) -> None:
    """Mark the SQLite file of `url` as served by this process (no-op for PostgreSQL or when it cannot)."""
    path = sqlite_file(url)
    if path is None or str(path) in _SERVING or not path.parent.is_dir():
        return
    try:
        fd = os.open(serving_lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return  # read-only directory, or a generator is swapping the file right now: serve without the mark
    _SERVING[str(path)] = fd


def in_use_by_server(db_file: Path) -> bool:
    """True while some process serves `db_file` (holds its serving lock)."""
    lock = serving_lock_path(db_file)
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the lock this call may have taken
    return False


def dispose_engines() -> None:
    """Close every cached engine (tests switch databases)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    for fd in _SERVING.values():
        os.close(fd)  # the serving marks go with the engines
    _SERVING.clear()


def create_schema(engine: Engine) -> None:
    """Create every table and index that does not exist yet, straight from the models.

    For scratch databases in tests; a product database gets its schema from the migrations
    (`core.migrate.upgrade`).
    """
    SQLModel.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    `write=True` starts the transaction with the write lock held (SQLite BEGIN IMMEDIATE).
    """
    bind = engine or get_engine()
    if write and is_sqlite(bind):
        bind = bind.execution_options(sqlite_immediate=True)
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"
