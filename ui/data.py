"""Caching wrappers around core reads: the only place pages get data from.

Keys are small and hashable (scope, codes, dates) and include `data_version()`, which every
write bumps, so a 催办 or a closed appeal shows on the next rerun.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core import regions
from core.config import get_settings
from core.db import get_engine
from core.importer import origin
from core.scope import Scope


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine (one pool shared by every session)."""
    return get_engine()


def data_version() -> int:
    """Counter that writes bump to invalidate cached reads."""
    return st.session_state.get("_data_version", 0) + _global_version()


@st.cache_resource(show_spinner=False)
def _version_box() -> dict[str, int]:
    return {"v": 0}


def _global_version() -> int:
    return _version_box()["v"]


def bump_data_version() -> None:
    """Call after any write: every session's cached reads are refreshed."""
    _version_box()["v"] += 1


@st.cache_data(ttl=600, max_entries=4, show_spinner=False)
def is_demo() -> bool:
    """Demo mode (banner, listed demo accounts, one-click sign-in): configured on, and the database holds generated
    data — an imported county is real data whatever the setting says."""
    if not get_settings().demo_mode:
        return False
    with Session(engine()) as s:
        return origin.is_generated_database(s)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def dataset_root() -> regions.RegionRef:
    """The top region of the database."""
    with Session(engine()) as s:
        return regions.dataset_root(s)


@st.cache_data(ttl=600, max_entries=512, show_spinner=False)
def resolve_region(scope: Scope, code: str | None) -> regions.RegionRef:
    """The region a URL code names, clamped to the scope."""
    with Session(engine()) as s:
        return regions.resolve_region(s, scope, code)


@st.cache_data(ttl=600, max_entries=512, show_spinner=False)
def breadcrumb(scope: Scope, region_id: int) -> list[regions.RegionRef]:
    """Breadcrumb from the scope root to the region."""
    with Session(engine()) as s:
        return regions.breadcrumb(s, scope, region_id)


@st.cache_data(ttl=120, max_entries=256, show_spinner=False)
def child_summary(scope: Scope, region_id: int, version: int) -> pd.DataFrame:
    """Children of a region with their counts."""
    with Session(engine()) as s:
        return regions.child_summary(s, scope, region_id)


@st.cache_data(ttl=600, max_entries=512, show_spinner=False)
def children(scope: Scope, region_id: int) -> list[regions.RegionRef]:
    """Child regions of a region in the scope, by code."""
    with Session(engine()) as s:
        return regions.children(s, scope, region_id)
