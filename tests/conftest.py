"""Shared fixtures: a small generated database per test session, and clean settings/caches.

On PostgreSQL (TEST_DATABASE_URL, or DATABASE_URL, is a postgresql URL — `make test-pg`) the URL
fixtures point at databases on that server instead: each preset is generated once, loaded into a
template database (`seed.pg`), and every fixture that hands out a database gets its own copy
(CREATE DATABASE … TEMPLATE). Fixtures that hand out a *file* (tiny_db_path, tiny_db) stay SQLite.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from core.config import reset_settings
from core.db import dispose_engines, is_postgres_url, make_engine
from seed import pg
from seed.cli import main as seed_main


def _pg_server_url() -> str | None:
    """The PostgreSQL server the suite runs against, or None for SQLite (read once, before tests touch env)."""
    for var in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(var, "")
        if is_postgres_url(url):
            return url
    return None


PG_SERVER = _pg_server_url()
_pg_copies = iter(range(1, 1_000_000))


def on_postgres() -> bool:
    """True when the suite runs against PostgreSQL."""
    return PG_SERVER is not None


def _pg_template(sqlite_path: Path, name: str) -> str:
    """Load a generated SQLite file into a new database `name` (no connection is kept: it serves as template)."""
    pg.load_sqlite(sqlite_path, pg.create_database(PG_SERVER, name))
    return name


def _pg_copy(template: str, prefix: str) -> str:
    """A new database copied from `template`; returns its URL."""
    return pg.create_database(PG_SERVER, f"{prefix}_{next(_pg_copies)}", template=template)


def _pg_drop(url: str) -> None:
    from sqlalchemy.engine import make_url

    pg.drop_database(PG_SERVER, make_url(url).database)


#: Tests about SQLite itself, skipped under make test-pg (make test runs them): test id prefix → reason.
SQLITE_ONLY = {
    "tests/core/test_query_plans.py": "EXPLAIN QUERY PLAN is SQLite's; the plan test runs under make test",
    "tests/seed/test_generator.py::test_zhuji_county_twice_gives_identical_content":
        "byte-identical SQLite output of the generator; runs under make test",
    "tests/seed/test_generator.py::test_tiny_twice_identical_and_other_seed_differs":
        "byte-identical SQLite output of the generator; runs under make test",
}


def pytest_configure(config: pytest.Config) -> None:
    """附件 (core.attachments.files_root: XINGCUN_FILES_DIR, else beside the SQLite file, else data/files on
    PostgreSQL) go to one temp dir for the whole run, set before any fixture: the servers the module- and
    session-scoped fixtures start and the tests that look for their files agree on it, and nothing lands in data/."""
    os.environ.setdefault("XINGCUN_FILES_DIR", tempfile.mkdtemp(prefix="xingcun-test-files-"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, skip the tests that are about SQLite files or SQLite's planner (with the reason)."""
    if not on_postgres():
        return
    for item in items:
        reason = next((why for prefix, why in SQLITE_ONLY.items() if item.nodeid.startswith(prefix)), None)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(scope="session")
def tiny_db_path(tmp_path_factory) -> Path:
    """A 'tiny' preset database (新昌, 4 townships, 24 villages, 12 months), generated once."""
    path = tmp_path_factory.mktemp("db") / "tiny.db"
    assert seed_main(["--preset", "tiny", "--out", str(path), "--quiet"]) == 0
    return path


@pytest.fixture(scope="session")
def tiny_pg_template(tiny_db_path) -> str | None:
    """On PostgreSQL: name of a pristine template database holding the tiny preset (None on SQLite)."""
    return _pg_template(tiny_db_path, "xc_tiny_template") if on_postgres() else None


@pytest.fixture(scope="session")
def tiny_url(tiny_db_path, tiny_pg_template) -> str:
    """SQLAlchemy URL of the session's tiny database (shared: page tests write to it)."""
    if on_postgres():
        return _pg_copy(tiny_pg_template, "xc_tiny_shared")
    return f"sqlite:///{tiny_db_path}"


@pytest.fixture(scope="session")
def city_lite_url(tmp_path_factory) -> str:
    """The real 绍兴 layout (6 counties, ~2,100 villages) with thin history, generated once (~30 s)."""
    path = tmp_path_factory.mktemp("db") / "city_lite.db"
    assert seed_main(["--preset", "city_lite", "--out", str(path), "--quiet"]) == 0
    if on_postgres():
        return _pg_copy(_pg_template(path, "xc_city_lite_template"), "xc_city_lite")
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def tiny_copy(tiny_db_path, tiny_pg_template, tmp_path_factory) -> Iterator[Callable[[], str]]:
    """Factory: each call returns the URL of a new writable copy of the tiny database (kept to session end)."""
    made: list[str] = []

    def copy() -> str:
        if on_postgres():
            made.append(_pg_copy(tiny_pg_template, "xc_tiny_copy"))
        else:
            path = tmp_path_factory.mktemp("tiny-copy") / "tiny.db"
            shutil.copy(tiny_db_path, path)
            made.append(f"sqlite:///{path}")
        return made[-1]

    yield copy
    if on_postgres():
        dispose_engines()
        for url in made:
            _pg_drop(url)


@pytest.fixture
def writable_url(request, tiny_pg_template) -> Iterator[str]:
    """URL of a private writable copy of the pristine tiny database (SQLite file copy or PostgreSQL database)."""
    if not on_postgres():
        yield f"sqlite:///{request.getfixturevalue('tiny_db')}"
        return
    url = _pg_copy(tiny_pg_template, "xc_tiny")
    yield url
    dispose_engines()
    _pg_drop(url)


@pytest.fixture
def city_env(city_lite_url, monkeypatch):
    """Point the app at the city-level database (read-only use)."""
    monkeypatch.setenv("DATABASE_URL", city_lite_url)
    reset_settings()
    dispose_engines()
    _clear_streamlit_caches()
    yield city_lite_url
    reset_settings()
    dispose_engines()
    _clear_streamlit_caches()


@pytest.fixture
def tiny_db(tiny_db_path, tmp_path) -> Path:
    """A private copy of the tiny database that a test may write to."""
    copy = tmp_path / "tiny-copy.db"
    shutil.copy(tiny_db_path, copy)
    return copy


@pytest.fixture
def engine(writable_url):
    """Engine on a writable copy of the tiny database."""
    eng = make_engine(writable_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    """A session on a writable copy of the tiny database."""
    with Session(engine) as s:
        yield s


@pytest.fixture
def app_env(tiny_url, monkeypatch):
    """Point the app (settings, engine, Streamlit caches) at the tiny database."""
    monkeypatch.setenv("DATABASE_URL", tiny_url)
    reset_settings()
    dispose_engines()
    _clear_streamlit_caches()
    yield tiny_url
    reset_settings()
    dispose_engines()
    _clear_streamlit_caches()


def _clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def _no_stray_database_url(monkeypatch):
    """Tests never write into data/: a test that forgets to point somewhere fails loudly."""
    if "DATABASE_URL" not in os.environ or on_postgres():
        monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/xingcun-test-guard.db")
    monkeypatch.setenv("XINGCUN_SECRET", "test-secret-" + "0" * 32)  # no data/.secret written by tests (≥ 32 characters)
    reset_settings()
    yield
    reset_settings()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """One system Chromium for the whole session (Playwright sync API), shared by tests/e2e and the security
    probes: a second sync_playwright() in the same thread while this one lives fails ("Sync API inside the
    asyncio loop")."""
    from harness.browser import CHROMIUM, MISSING_CHROMIUM, launch_chromium

    if not CHROMIUM.exists():
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        yield browser
        browser.close()
