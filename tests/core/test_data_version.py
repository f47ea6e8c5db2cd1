"""The data version in the database: every committed write bumps it once, a rollback or a sign-in does not,
and two engines (two app servers) on one database read the same number (SQLite, and PostgreSQL under make test-pg)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import auth
from core import workflow as wf
from core.actors import first_actor
from core.db import make_engine, session_scope
from core.freshness import QUIET_TABLES, data_version, wrote
from core.models import AuthEvent, Task

NOW = datetime(2026, 10, 31, 9)


def _version(engine: sa.Engine) -> int:
    with Session(engine) as s:
        return data_version(s)


def _open_task(engine: sa.Engine, n: int = 1) -> list[int]:
    with Session(engine) as s:
        return [int(i) for i in s.execute(sa.select(Task.id).where(Task.status == "in_progress")
                                          .order_by(Task.id).limit(n)).scalars()]


def test_a_write_bumps_the_version_once_and_the_other_engine_sees_it(writable_url):
    a, b = make_engine(writable_url), make_engine(writable_url)  # two servers: two engines, two pools
    try:
        before = _version(b)
        with Session(a) as s:
            county = first_actor(s, "county_admin")
        with session_scope(a, write=True) as s:
            wf.urge(s, actor=county, task_id=_open_task(a)[0], note="版本", now=NOW)
        assert _version(a) == before + 1  # one transaction that wrote many rows (task, event, rollups): one bump
        assert _version(b) == before + 1
    finally:
        a.dispose()
        b.dispose()


def test_a_rolled_back_write_and_a_read_bump_nothing(writable_url):
    engine = make_engine(writable_url)
    try:
        before = _version(engine)
        with Session(engine) as s:
            county = first_actor(s, "county_admin")
        task_id = _open_task(engine)[0]
        with pytest.raises(RuntimeError), session_scope(engine, write=True) as s:
            wf.urge(s, actor=county, task_id=task_id, note="回滚", now=NOW)
            raise RuntimeError("abandon")
        with Session(engine) as s:
            s.execute(sa.select(sa.func.count()).select_from(Task)).scalar()
            s.commit()
        assert _version(engine) == before
        with Session(engine) as s:  # the urge itself did not land either
            events = s.execute(sa.text("SELECT count(*) FROM task_event WHERE note = '回滚'")).scalar()
        assert events == 0
    finally:
        engine.dispose()


def test_sign_in_bookkeeping_does_not_bump(writable_url):
    engine = make_engine(writable_url)
    try:
        before = _version(engine)
        with Session(engine) as s, pytest.raises(auth.AuthError):
            auth.authenticate(s, "nobody-here", "wrong", now=NOW)
        with Session(engine) as s:
            assert s.execute(sa.select(sa.func.count()).select_from(AuthEvent)).scalar() >= 1
        assert _version(engine) == before
    finally:
        engine.dispose()


def test_concurrent_writers_each_bump_once(writable_url):
    """6 threads × 4 urges on one pool: the version moves by exactly the number of committed writes."""
    engine = make_engine(writable_url)
    try:
        before = _version(engine)
        with Session(engine) as s:
            county = first_actor(s, "county_admin")
        tasks = _open_task(engine, 3)
        errors: list[BaseException] = []

        def worker(k: int) -> None:
            try:
                for i in range(4):
                    with session_scope(engine, write=True) as s:
                        wf.urge(s, actor=county, task_id=tasks[(k + i) % 3], note=f"v{k}-{i}",
                                now=NOW + timedelta(seconds=i))
            except BaseException as err:  # noqa: BLE001 — asserted below
                errors.append(err)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        assert _version(engine) == before + 24
    finally:
        engine.dispose()


@pytest.mark.parametrize(("sql", "bumps"), [
    ("INSERT INTO task (id) VALUES (1)", True),
    ('UPDATE "task" SET status = ?', True),
    ("DELETE FROM rollup_indicator WHERE level = 'county'", True),
    ("INSERT OR REPLACE INTO indicator_value VALUES (1)", True),
    ("  insert into public.appeal (id) values (1)", True),
    ("INSERT INTO auth_event (at) VALUES (?)", False),
    ("UPDATE user_account SET failed_attempts = 0", False),
    ("SELECT * FROM task", False),
    ("WITH x AS (SELECT 1) SELECT * FROM x", False),
])
def test_which_statements_count_as_a_write(sql, bumps):
    assert wrote(sql) is bumps
    assert "data_version" in QUIET_TABLES  # the bump itself never counts
