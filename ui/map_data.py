"""Cached map layers: simplified shapes, metrics (counts and the children's scores), points.

Keys are small and hashable (scope, region id, level, period, as-of date, data version); geometry is
cached longer than counts because it only changes with a new dataset.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import geo_layers, scoring
from core.scope import Scope
from ui.data import engine
from ui.i18n import named


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _shapes(scope: Scope, region_id: int, level: str, version: int) -> pd.DataFrame:
    with Session(engine()) as s:
        return geo_layers.layer_shapes(s, scope, region_id, level)


def shapes(scope: Scope, region_id: int, level: str, version: int) -> pd.DataFrame:
    """Simplified polygons of the units in view (one row per polygon part), named as the viewer reads them
    (the pinyin alone in English: the names are the map's labels)."""
    return named(_shapes(scope, region_id, level, version), short=True)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def outline(scope: Scope, region_id: int, version: int) -> list:
    """Simplified outline polygons of the region looked at."""
    with Session(engine()) as s:
        return geo_layers.region_outline(s, scope, region_id)


@st.cache_data(ttl=120, max_entries=256, show_spinner=False)
def metrics(scope: Scope, region_id: int, level: str, period: int, as_of: date, version: int) -> pd.DataFrame:
    """Per unit: counts from SQL, plus score columns from core.scoring (NaN where a unit has no score)."""
    with Session(engine()) as s:
        table = geo_layers.layer_metrics(s, scope, region_id, level, as_of)
        scores = _scores(s, scope, region_id, level, period)
    for key in geo_layers.SCORE_METRICS:
        table[key] = float("nan")
    if scores is not None and not scores.empty and "region_id" in scores:
        by_code = scores.assign(code=scores["region_id"].astype("int64").astype(str)).set_index("code")
        for key in geo_layers.SCORE_METRICS:
            if key in by_code:
                table[key] = table["code"].map(by_code[key]).astype(float)
    return table


def _scores(session: Session, scope: Scope, region_id: int, level: str, period: int) -> pd.DataFrame | None:
    """Scores of the children in view (a grid has no score: None below a village). Scoring errors propagate."""
    if level == "village":
        return None
    return scoring.region_scores(session, scope, region_id, period)


@st.cache_data(ttl=120, max_entries=128, show_spinner=False)
def appeal_points(scope: Scope, village_id: int, as_of: date, version: int) -> pd.DataFrame:
    """Open and recent appeals of one village to plot."""
    with Session(engine()) as s:
        return geo_layers.appeal_points(s, scope, village_id, as_of)


@st.cache_data(ttl=120, max_entries=128, show_spinner=False)
def overdue_points(scope: Scope, village_id: int, as_of: date, version: int) -> pd.DataFrame:
    """Overdue open tasks of one village counted per grid."""
    with Session(engine()) as s:
        return geo_layers.overdue_points(s, scope, village_id, as_of)
