"""Alembic environment: the app's own engine factory and the SQLModel metadata.

The target is, in order: a connection handed in by `core.migrate` (config.attributes["connection"]),
a URL set on the config (`sqlalchemy.url`), else the app's DATABASE_URL (core.config).
SQLite gets batch mode, so ALTERs that SQLite lacks are done by copy-and-move.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from core import models  # noqa: F401  (registers every table on SQLModel.metadata)
from core.config import get_settings
from core.db import make_engine
from core.migrate import check_foreign_keys, set_foreign_keys

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)


def run_offline() -> None:
    """Emit SQL to stdout (`alembic upgrade head --sql`)."""
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate through the handed-in connection, or a new engine on the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:  # as core.migrate does: a batch table rebuild must not trip on rows pointing at the table
                set_foreign_keys(conn, on=False)
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    check_foreign_keys(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
