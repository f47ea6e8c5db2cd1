"""Shared fixtures: a small generated database per test session, and clean settings/caches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import Session

from core.config import reset_settings
from core.db import dispose_engines, make_engine
from seed.cli import main as seed_main


@pytest.fixture(scope="session")
def tiny_db_path(tmp_path_factory) -> Path:
    """A 'tiny' preset database (新昌, 4 townships, 24 villages, 12 months), generated once."""
    path = tmp_path_factory.mktemp("db") / "tiny.db"
    assert seed_main(["--preset", "tiny", "--out", str(path), "--quiet"]) == 0
    return path


@pytest.fixture(scope="session")
def tiny_url(tiny_db_path) -> str:
    """SQLAlchemy URL of the session's tiny database."""
    return f"sqlite:///{tiny_db_path}"


@pytest.fixture(scope="session")
def city_lite_url(tmp_path_factory) -> str:
    """The real 绍兴 layout (6 counties, ~2,100 villages) with thin history, generated once (~30 s)."""
    path = tmp_path_factory.mktemp("db") / "city_lite.db"
    assert seed_main(["--preset", "city_lite", "--out", str(path), "--quiet"]) == 0
    return f"sqlite:///{path}"


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
    import shutil

    copy = tmp_path / "tiny-copy.db"
    shutil.copy(tiny_db_path, copy)
    return copy


@pytest.fixture
def engine(tiny_db):
    """Engine on a writable copy of the tiny database."""
    eng = make_engine(f"sqlite:///{tiny_db}")
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
    if "DATABASE_URL" not in os.environ:
        monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/xingcun-test-guard.db")
    monkeypatch.setenv("XINGCUN_SECRET", "test-secret")  # no data/.secret written by tests
    reset_settings()
    yield
    reset_settings()
