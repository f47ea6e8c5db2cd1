"""The Alembic migrations build exactly the models' schema, on SQLite and (under `make test-pg`) PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from core.db import make_engine
from core.migrate import alembic_config, current_revision, head_revision, upgrade
from core.migrate import main as migrate_main
from seed import pg
from tests.conftest import PG_SERVER, on_postgres


def _drift(engine: sa.Engine) -> list:
    """What autogenerate would write to bring the database to the models (empty: identical)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(ctx, SQLModel.metadata)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> str:
    """A new empty database on each backend (PostgreSQL only under make test-pg)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not on_postgres():
        pytest.skip("PostgreSQL: run `make test-pg`")
    url = pg.create_database(PG_SERVER, "xc_migrations")
    yield url
    pg.drop_database(PG_SERVER, "xc_migrations")


def test_migrations_build_exactly_the_models_schema(empty_url):
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
        assert _drift(engine) == [], "models and migrations differ: add a migration (alembic revision --autogenerate)"
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again_leaves_only_the_version_table(empty_url):
    upgrade(empty_url)
    command.downgrade(alembic_config(empty_url), "base")
    engine = make_engine(empty_url)
    try:
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(empty_url)
        assert _drift(engine) == []
    finally:
        engine.dispose()


def test_generated_demo_database_is_at_head_with_the_models_schema(tiny_url):
    """The generator builds from the models and stamps head (SQLite); seed.pg migrates then copies (PostgreSQL)."""
    engine = make_engine(tiny_url)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
        assert _drift(engine) == []
    finally:
        engine.dispose()


def test_migrate_command_upgrades_a_new_file_and_is_idempotent(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert migrate_main([url, "--new"]) == 0  # a new file only when asked for (a missing one is refused)
    assert migrate_main([url]) == 0
    assert capsys.readouterr().out.count(head_revision()) == 2


def test_migrate_command_refuses_a_database_made_before_migrations(tmp_path: Path, capsys):
    """A file with the tables but no alembic_version: one clear message, exit 2, nothing changed."""
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    before = path.read_bytes()
    assert migrate_main([f"sqlite:///{path}"]) == 2
    assert "make seed" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_database_holding_rows_upgrades_across_a_table_rebuild(tmp_path: Path, tiny_db_path):
    """0012 adds a foreign key to `post`, which SQLite does by copying the table and dropping the old one; with
    rows pointing at posts (accounts) that DROP failed with "FOREIGN KEY constraint failed", so a deployment made
    before 0012 could not upgrade. A database at 0011 holding the tiny preset's regions, people, grids, posts and
    accounts now upgrades to head with every row and reference kept."""
    if on_postgres():
        pytest.skip("SQLite's table rebuild (batch mode); PostgreSQL alters in place")
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0011_import")
    engine = make_engine(url)
    tables = ("region", "person", "grid", "post", "user_account")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"ATTACH DATABASE '{tiny_db_path}' AS tiny")
        for t in tables:
            old = [r[1] for r in conn.exec_driver_sql(f"PRAGMA main.table_info({t})")]
            new = {r[1] for r in conn.exec_driver_sql(f"PRAGMA tiny.table_info({t})")}
            cols = ", ".join(c for c in old if c in new)
            conn.exec_driver_sql(f"INSERT INTO main.{t} ({cols}) SELECT {cols} FROM tiny.{t}")  # noqa: S608
        conn.commit()
        conn.exec_driver_sql("DETACH DATABASE tiny")
        before = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in tables}  # noqa: S608
    engine.dispose()
    assert before["user_account"] and before["post"]
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in tables} == before  # noqa: S608
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
