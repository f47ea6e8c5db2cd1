"""AppTests run signed in: as the top administrator of the database unless a test sets another user."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from core.db import make_engine

_original_from_file = AppTest.from_file.__func__


def default_username() -> str | None:
    """city_admin when the database has a city, else county_admin."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("sqlite:///", "postgresql")):
        return None
    engine = make_engine(url)
    try:
        with engine.connect() as con:
            names = {r[0] for r in con.exec_driver_sql("SELECT username FROM user_account")}
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()
    return "city_admin" if "city_admin" in names else ("county_admin" if "county_admin" in names else None)


@pytest.fixture(autouse=True)
def signed_in_apptests(monkeypatch):
    """Every AppTest.from_file starts with a signed-in session (tests may overwrite 'username')."""

    def from_file(cls, *args, **kwargs):
        at = _original_from_file(cls, *args, **kwargs)
        username = default_username()
        if username:
            at.session_state["username"] = username
        return at

    monkeypatch.setattr(AppTest, "from_file", classmethod(from_file))
    yield


@pytest.fixture
def live_app(writable_url, monkeypatch):
    """The app on a private copy of the tiny database (the test writes), its clock on the demo's live day (the e2e
    tests' clock), settings, engines and Streamlit caches fresh before and after."""
    import streamlit as st

    from core.config import reset_settings
    from core.db import dispose_engines

    monkeypatch.setenv("DATABASE_URL", writable_url)
    monkeypatch.setenv("XINGCUN_CLOCK", "2026-10-31T15:00:00")
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield writable_url
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
