"""Schema migrations (Alembic, `migrations/`): bring a database to the newest schema, on SQLite or PostgreSQL.

Every product database gets its schema from the migrations. The generator builds its SQLite file
from the same models for speed and stamps it at head; `tests/core/test_migrations.py` checks that
the migrations and the models describe exactly the same schema, which is what makes that stamp true.

`python -m core.migrate [URL]` upgrades DATABASE_URL (or URL) to head.
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
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            fn(cfg)
            conn.commit()
    finally:
        if not isinstance(target, Engine):
            engine.dispose()


def upgrade(target: str | Engine | sa.Connection | None = None, revision: str = "head") -> None:
    """Apply every migration up to `revision` on a URL, engine or open connection (default: DATABASE_URL)."""
    _run(target, lambda cfg: command.upgrade(cfg, revision))


def stamp(target: str | Engine | sa.Connection | None = None, revision: str = "head") -> None:
    """Record `revision` as applied without running it (for a database built from the same models)."""
    _run(target, lambda cfg: command.stamp(cfg, revision))


def main(argv: list[str] | None = None) -> int:
    """Upgrade the database at argv[0] (or DATABASE_URL) to head; prints the revision reached."""
    args = sys.argv[1:] if argv is None else argv
    url = args[0] if args else get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        unversioned = current_revision(conn) is None and sa.inspect(conn).has_table("region")
    if unversioned:
        engine.dispose()
        print(f"{url}: 该数据库早于迁移机制生成，无法升级；请运行 `make seed` 重新生成。"
              " (database predates migrations; regenerate it with `make seed`)", file=sys.stderr)
        return 1
    upgrade(url)
    with engine.connect() as conn:
        print(f"{url.split('@')[-1]}: {current_revision(conn)}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
