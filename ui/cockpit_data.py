"""Cached reads for the cockpit, rankings and dictionary pages (keys: scope, ids, period, data_version).

The expensive part of scoring is the monthly roll-up per level; it is cached here once per
(level, period, version) and handed to core.scoring as its ``source``, so every page and every
parent at that level share it. Scoring itself stays in core.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import geo_layers, indicator_records, kpis, live, scoring
from core.scope import Scope
from ui import charts
from ui.data import data_version, engine
from ui.i18n import lang, named, place_short
from ui.theme import palette


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def _sums(level: str, lo: int, hi: int, period: int, version: int) -> pd.DataFrame:
    with Session(engine()) as s:
        return scoring.village_sums(s, level, lo, hi, period)


def _source(session: Session, level: str, lo: int, hi: int, period: int) -> pd.DataFrame:
    return _sums(level, lo, hi, period, data_version())


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def _region_scores(scope: Scope, parent_id: int, period: int, version: int) -> pd.DataFrame:
    with Session(engine()) as s:
        return scoring.region_scores(s, scope, parent_id, period)


def region_scores(scope: Scope, parent_id: int, period: int, version: int, short: bool = False) -> pd.DataFrame:
    """Children of a region with scores, ranks and movement (see core.scoring.region_scores), names as the viewer
    reads them (`short`: the wall's narrow columns, pinyin alone in English)."""
    return named(_region_scores(scope, parent_id, period, version), short=short)


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def ranking_html(scope: Scope, parent_id: int, period: int, version: int, lang: str, big: bool,
                 wall_rows: int) -> tuple[str, str]:
    """The cockpit's 优/末 lines and its matrix (the wall's top rows, or the desk's clickable table).

    Drawn once per scope, region, month, language and screen: a new viewer's first run does not
    rebuild ~100 ms of markup (`lang` is part of the key because the text is translated).
    """
    scores = region_scores(scope, parent_id, period, version, short=big)
    matrix = charts.matrix_html(scores, palette(big), wall_rows) if big else charts.desk_matrix_html(scores, palette(big))
    return charts.best_worst_html(scores, big=big), matrix


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def region_rank(scope: Scope, region_id: int, period: int, version: int) -> dict:
    """The region's own composite and rank among its parent's children."""
    with Session(engine()) as s:
        return scoring.region_rank(s, scope, region_id, period)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def score_stamp(period: int, version: int) -> dict:
    """When the month's scores were computed, and the kind of write that moved them (core.live)."""
    with Session(engine()) as s:
        return live.score_stamp(s, period)


@st.cache_data(ttl=300, max_entries=128, show_spinner=False)
def records_behind(scope: Scope, village_id: int, period: int, code: str, version: int) -> dict:
    """The records (or report versions) behind one village-month's indicator (core.indicator_records)."""
    with Session(engine()) as s:
        return indicator_records.indicator_records(s, scope, village_id, period, code)


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def explain(scope: Scope, region_id: int, period: int, module: str | None, version: int) -> pd.DataFrame:
    """Rows behind one score (see core.scoring.explain)."""
    with Session(engine()) as s:
        return scoring.explain(s, scope, region_id, period, module, source=_source)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def score_history(scope: Scope, parent_id: int, months: tuple[int, ...], version: int) -> pd.DataFrame:
    """Children's scores per month (long)."""
    with Session(engine()) as s:
        return scoring.score_history(s, scope, parent_id, list(months))


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def period_kpis(scope: Scope, region_id: int, period: int, as_of: date, version: int) -> dict:
    """KPI tiles of a month and the month before, as of a day."""
    with Session(engine()) as s:
        return kpis.period_kpis(s, scope, region_id, period, scoring.previous_period(period), as_of)


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def kpi_trend(scope: Scope, region_id: int, months: tuple[int, ...], as_of: date, version: int) -> pd.DataFrame:
    """Completion, on-time and satisfaction per month, as of a day."""
    with Session(engine()) as s:
        return kpis.monthly_kpis(s, scope, region_id, list(months), as_of)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def overdue_ticker(scope: Scope, limit: int, as_of: date, version: int) -> pd.DataFrame:
    """Most overdue open tasks in scope as of a day."""
    with Session(engine()) as s:
        return kpis.most_overdue_tasks(s, scope, as_of, limit)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _child_shapes(scope: Scope, parent_id: int) -> list[dict]:
    with Session(engine()) as s:
        return geo_layers.child_shapes(s, scope, parent_id)


def child_shapes(scope: Scope, parent_id: int) -> list[dict]:
    """Simplified child outlines for the map, labelled as the viewer reads them (pinyin alone in English)."""
    shapes = _child_shapes(scope, parent_id)
    return shapes if lang() != "en" else [{**s, "name": place_short(s["name"])} for s in shapes]


def catalog() -> pd.DataFrame:
    """The indicator catalog."""
    return scoring.indicator_catalog()
