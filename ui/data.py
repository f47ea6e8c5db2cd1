"""Caching wrappers around core reads: the only place pages get data from.

Keys are small and hashable (scope, codes, dates) and include `data_version()`, the database's version
that every committed write bumps (through any app server), so a 催办 or a closed appeal shows on the next rerun.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core import auth, freshness, regions
from core.config import get_settings
from core.db import get_engine
from core.scope import Scope

_log = logging.getLogger("xingcun")


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine (one pool shared by every session)."""
    return get_engine()


def data_version() -> int:
    """The database's data version (core.freshness), which every committed write bumps, on any app server.

    Read at most once per `version_poll_seconds` per process (all sessions share the read), so a page costs
    no query for it most of the time; cached reads key on it.
    """
    box = _version_box()
    if time.monotonic() - box.read_at >= get_settings().version_poll_seconds:
        with box.lock:
            if time.monotonic() - box.read_at >= get_settings().version_poll_seconds:  # not read meanwhile
                with Session(engine()) as s:
                    box.value = freshness.data_version(s)
                box.read_at = time.monotonic()
    return box.value


@dataclass
class _VersionBox:
    value: int = 0
    read_at: float = -math.inf
    lock: threading.Lock = field(default_factory=threading.Lock)


@st.cache_resource(show_spinner=False)
def _version_box() -> _VersionBox:
    return _VersionBox()


@contextmanager
def write_timer(name: str) -> Iterator[None]:
    """Log how long a write (its transaction, commit included) took: `write <name> <ms> ms` in the server log,
    which `make bench-load` reads to tell the database's part of a write from the page's redraw."""
    t0 = time.perf_counter()
    yield
    _log.info("write %s %.1f ms", name, (time.perf_counter() - t0) * 1000)


def bump_data_version() -> None:
    """Call after a write of this session: the version is re-read at once (the write itself bumped it in the
    database), so this session's next rerun shows its own write without waiting for the next poll."""
    _version_box().read_at = -math.inf


@st.cache_data(ttl=600, max_entries=4, show_spinner=False)
def is_demo() -> bool:
    """Demo mode (banner, listed demo accounts, one-click sign-in): configured on, and the database holds generated
    data — an imported county is real data whatever the setting says."""
    with Session(engine()) as s:
        return auth.demo_mode(s)


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
