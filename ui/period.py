"""The month in view and the as-of day (数据截至): the one owner both are read from and written to.

Order for each: the URL (`?period=YYYYMM`, `?as_of=YYYY-MM-DD`, so a shared link reopens the same
screen), then the session, then the default (the newest month with indicator data; the dataset's
as-of day). A value outside the data is clamped to it. A change is written back to the URL.
Every page and every cache key takes its month and day from here.
"""

from __future__ import annotations

from datetime import date

import streamlit as st
from sqlmodel import Session

from core import scoring, task_queries
from core.config import get_settings
from ui.data import engine

PERIOD_KEY = "period"
AS_OF_KEY = "as_of"


@st.cache_data(ttl=600, show_spinner=False)
def available_periods() -> list[int]:
    """Months (YYYYMM) with indicator data, oldest first."""
    with Session(engine()) as s:
        return scoring.available_periods(s)


@st.cache_data(ttl=600, show_spinner=False)
def data_window() -> tuple[date, date]:
    """(first day, last day) of the records: the range an as-of day may take."""
    with Session(engine()) as s:
        return task_queries.dataset_window(s)


def recent_periods(months: int = 12) -> list[int]:
    """The newest `months` months with data, newest first (the pick list of the month pages)."""
    return available_periods()[::-1][:months]


def _as_int(raw: object) -> int | None:
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdigit() else None


def current_period() -> int:
    """The month in view: ?period=, then the session, clamped to the data; the newest month otherwise (0: no data)."""
    months = available_periods()
    for raw in (st.query_params.get(PERIOD_KEY), st.session_state.get(PERIOD_KEY)):
        value = _as_int(raw)
        if value in months:
            return int(value)
    return months[-1] if months else 0


def set_period(period: int) -> None:
    """Make `period` the month in view for this session and put it in the URL."""
    st.session_state[PERIOD_KEY] = int(period)
    if st.query_params.get(PERIOD_KEY) != str(period):
        st.query_params[PERIOD_KEY] = str(period)


def _as_day(raw: object) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def as_of() -> date:
    """数据截至: the day the data is viewed as of (?as_of=, then the session, then the dataset's day), within the data."""
    default = get_settings().as_of
    for raw in (st.query_params.get(AS_OF_KEY), st.session_state.get(AS_OF_KEY)):
        day = _as_day(raw)
        if day is not None:
            start, end = data_window()
            return min(max(day, start), end)
    return default


def set_as_of(day: date) -> None:
    """Make `day` the as-of day for this session; the URL carries it unless it is the dataset's own day."""
    st.session_state[AS_OF_KEY] = day
    if day == get_settings().as_of:
        st.query_params.pop(AS_OF_KEY, None)
    elif st.query_params.get(AS_OF_KEY) != day.isoformat():
        st.query_params[AS_OF_KEY] = day.isoformat()
