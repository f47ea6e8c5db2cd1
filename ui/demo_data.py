"""Cached wrappers and the database switch used by the demo centre."""

from __future__ import annotations

import os

import streamlit as st

from core import demo
from core.config import reset_settings
from core.db import dispose_engines


@st.cache_data(ttl=3600, show_spinner=False)
def county_options() -> list[demo.CountyOption]:
    """Every county of China, for the picker."""
    return demo.county_options()


def switch_database(path: str) -> None:
    """Point the whole server at another demo database and forget every cached read.

    Demo mode runs on one presenter's laptop, so the switch is process-wide on purpose.
    """
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def ensure_county(code: str, actor):
    """The county's demo database path, generating it if needed (refused unless `actor` may switch)."""
    return demo.ensure_county_db(code, actor)


def may_switch(actor) -> bool:
    """Whether the county picker's button is offered to this viewer (the core call checks again)."""
    return demo.may_switch_dataset(actor)
