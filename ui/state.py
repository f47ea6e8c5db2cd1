"""The drill path (region code, month) kept in session state and mirrored into the URL."""

from __future__ import annotations

import streamlit as st

from ui.period import PERIOD_KEY

REGION_KEY = "region"


def current_code() -> str | None:
    """The region code the viewer is looking at: session state first, then the URL."""
    return st.session_state.get(REGION_KEY) or st.query_params.get(REGION_KEY)


def set_region(code: str) -> None:
    """Drill to a region: remember it and put it in the URL so a copied link reopens it."""
    st.session_state[REGION_KEY] = code
    st.query_params[REGION_KEY] = code


def sync_url(code: str, period: int | None = None) -> None:
    """Write the resolved (scope-clamped) region and month back into the URL."""
    if st.query_params.get(REGION_KEY) != code:
        st.query_params[REGION_KEY] = code
    st.session_state[REGION_KEY] = code
    if period is not None and st.query_params.get(PERIOD_KEY) != str(period):
        st.query_params[PERIOD_KEY] = str(period)


def drill_params(code: str, period: int | None = None) -> dict[str, str]:
    """Query params that open another page at the same drill position."""
    out = {REGION_KEY: code}
    if period is not None:
        out[PERIOD_KEY] = str(period)
    return out
