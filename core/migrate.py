"""Schema migrations (Alembic, `migrations/`): bring a database to the newest schema, on SQLite or PostgreSQL.

Every product database gets its schema from the migrations. The generator builds its SQLite file
from the same models for speed and stamps it at head; `tests/core/test_migrations.py` checks that
the migrations and the models describe exactly the same schema, which is what makes that stamp true.

`python -m core.migrate [URL]` upgrades DATABASE_URL (or URL) to head; `--new` creates a new SQLite file. It
refuses (one line, exit 2) a missing, empty, foreign or corrupt file and an unusable URL.
"""

from __future__ import annotations

import sys

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from core.config import REPO_ROOT, get_settings
from core.db import make_engine


def alembic_config(url: str | None = None) -> Config:
    """The project's Alembic configuration, targeting `url` (default: DATABASE_URL)."""
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "migrations/versions is empty"
    return head


def current_revision(conn: sa.Connection) -> str | None:
    """The revision the database is at (None: never migrated nor stamped)."""
    return MigrationContext.configure(conn).get_current_revision()


def _run(target: str | Engine | sa.Connection | None, fn) -> None:
    if isinstance(target, sa.Connection):
        cfg = alembic_config()
        cfg.attributes["connection"] = target
        fn(cfg)
        return
    engine = target if isinstance(target, Engine) else make_engine(target or get_settings().database_url)
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:  # batch mode copies a table and drops the old one: rows pointing at it must not block that
                set_foreign_keys(conn, on=False)
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            try:
                fn(cfg)
                if sqlite:
                    check_foreign_keys(conn)
                conn.commit()
            finally:
                if sqlite:
                    conn.rollback()
                    set_foreign_keys(conn, on=True)
    finally:
        if not isinstance(target, Engine):
            engine.dispose()


def set_foreign_keys(conn: sa.Connection, *, on: bool) -> None:
    """SQLite's foreign-key enforcement, set on the raw connection outside any transaction (inside one SQLite
    ignores the pragma). Off while migrating: a batch ALTER (copy, drop, rename) of a table that other tables
    point at (post, region) fails with "FOREIGN KEY constraint failed" on a database holding rows."""
    conn.connection.dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")  # type: ignore[union-attr]


def check_foreign_keys(conn: sa.Connection) -> None:
    """After a migration with enforcement off: every reference must still hold, else nothing is committed."""
    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchmany(5)
    if bad:
        raise RuntimeError(f"migration left rows pointing nowhere (table, rowid, parent, fk): {bad}")


def upgrade(target: str | Engine | sa.Connection | None = None, revision: str = "head") -> None:
    """Apply every migration up to `revision` on a URL, engine or open connection (default: DATABASE_URL)."""
    _run(target, lambda cfg: command.upgrade(cfg, revision))


def stamp(target: str | Engine | sa.Connection | None = None, revision: str = "head") -> None:
    """Record `revision` as applied without running it (for a database built from the same models)."""
    _run(target, lambda cfg: command.stamp(cfg, revision))


class NotOurDatabase(ValueError):
    """The target is not this app's database (missing, empty, foreign, corrupt or an unusable URL)."""


SQLITE_HEADER = b"SQLite format 3\x00"
#: Tables of the first migration: a database that has `alembic_version` or these is this app's.
OUR_TABLES = {"region", "post", "person", "user_account"}


def check_target(url: str, *, new: bool = False) -> None:
    """Refuse with NotOurDatabase unless `url` names this app's database (or, with `new`, a SQLite file not yet there).

    A SQLite path that does not exist would otherwise be created empty (a mistyped name); an empty or
    foreign file would silently become an empty app database; a corrupt one would fail half-way.
    """
    from core.db import display_url, sqlite_file

    try:
        sa.engine.make_url(url)
    except sa.exc.ArgumentError as err:
        raise NotOurDatabase(f"不是有效的数据库 URL：{display_url(url)}") from err
    path = sqlite_file(url)
    if path is not None:
        if new:
            if path.exists():
                raise NotOurDatabase(f"{path} 已存在；--new 只用于创建新数据库")
            return
        if not path.is_file():
            raise NotOurDatabase(f"{path} 不存在（路径写错了？新建数据库请用 --new）")
        with path.open("rb") as fh:
            header = fh.read(16)
        if header != SQLITE_HEADER:
            raise NotOurDatabase(f"{path} 不是 SQLite 数据库" + ("（空文件）" if not header else ""))
    if path is not None:
        tables = _sqlite_tables(path)
    else:
        try:
            engine = make_engine(url)
            try:
                with engine.connect() as conn:
                    tables = set(sa.inspect(conn).get_table_names())
            finally:
                engine.dispose()
        except sa.exc.NoSuchModuleError as err:
            raise NotOurDatabase(f"不支持的数据库类型：{display_url(url)}") from err
        except sa.exc.SQLAlchemyError as err:
            raise NotOurDatabase(f"无法连接 {display_url(url)}（{type(getattr(err, 'orig', None) or err).__name__}）") from err
    if not tables:
        if path is not None:
            raise NotOurDatabase(f"{path} 是空的 SQLite 数据库，不是本系统的数据库（新建请删除它后用 --new）")
        return  # an empty PostgreSQL database: a new deployment's first upgrade
    if "alembic_version" not in tables and not tables >= OUR_TABLES:
        raise NotOurDatabase(f"{display_url(url)} 不是本系统的数据库（没有 {', '.join(sorted(OUR_TABLES - tables))}），拒绝改动")


def _sqlite_tables(path) -> set[str]:
    """Table names of a SQLite file opened read-only (nothing written, not even the journal mode); corrupt → refused."""
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problem = con.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        raise NotOurDatabase(f"{path} 已损坏（{' '.join(str(err).split())[:80]}）") from err
    if problem != "ok":
        first = next((ln for ln in str(problem).splitlines() if ln.strip() and not ln.startswith("***")), str(problem))
        raise NotOurDatabase(f"{path} 已损坏（{first.strip()[:80]}）")
    return tables


def main(argv: list[str] | None = None) -> int:
    """Upgrade the database at URL (or DATABASE_URL) to head; prints the revision reached.

    `--new` creates a new SQLite file. Anything that is not this app's database gets one line and exit 2.
    """
    from core.db import display_url

    args = list(sys.argv[1:] if argv is None else argv)
    new = "--new" in args
    args = [a for a in args if a != "--new"]
    url = args[0] if args else get_settings().database_url
    try:
        check_target(url, new=new)
    except NotOurDatabase as err:
        print(f"错误: {err}", file=sys.stderr)
        return 2
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            unversioned = current_revision(conn) is None and sa.inspect(conn).has_table("region")
        if unversioned:
            print(f"{display_url(url)}: 该数据库早于迁移机制生成，无法升级；请运行 `make seed` 重新生成。"
                  " (database predates migrations; regenerate it with `make seed`)", file=sys.stderr)
            return 2
        upgrade(url)
        with engine.connect() as conn:
            print(f"{display_url(url)}: {current_revision(conn)}")
    except sa.exc.SQLAlchemyError as err:
        print(f"错误: 升级 {display_url(url)} 失败（{type(err).__name__}: {str(err).splitlines()[0][:160]}）", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
