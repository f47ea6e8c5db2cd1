"""Cached reads and small renderers for the 村社档案 page: the record, a task's timeline, the outline, exports."""

from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk
import streamlit as st
from sqlmodel import Session

from core import export, scoring, village_record
from core.scope import Scope
from ui.data import engine
from ui.i18n import headers, lang, term
from ui.theme import Palette, hex_to_rgb


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def record(scope: Scope, village_id: int, period: int, version: int) -> village_record.VillageRecord:
    """The whole record of one village."""
    with Session(engine()) as s:
        return village_record.village_record(s, scope, village_id, period)


@st.cache_data(ttl=600, max_entries=512, show_spinner=False)
def timeline(scope: Scope, task_id: int, version: int) -> pd.DataFrame:
    """任务留痕 of one task."""
    with Session(engine()) as s:
        return village_record.task_timeline(s, scope, task_id)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def villages(scope: Scope) -> list[tuple[int, str]]:
    """(id, name) of villages in scope."""
    with Session(engine()) as s:
        return village_record.village_ids(s, scope)


def section(rec: village_record.VillageRecord, key: str) -> pd.DataFrame:
    """One section of the record for display in the viewer's language (ids left out)."""
    frame = rec.sections()[key]
    return village_record.display_section(frame.drop(columns=[c for c in ("id", "person_id") if c in frame]), key, lang())


def timeline_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A task's 留痕 for display in the viewer's language."""
    return village_record.display_section(frame, "timeline", lang())


def outline_deck(boundary: str, pal: Palette) -> pdk.Deck | None:
    """A small tile-free map of the village outline (pydeck, map_provider=None)."""
    try:
        geom = json.loads(boundary)
    except (TypeError, ValueError):
        return None
    polys = geom["coordinates"] if geom.get("type") == "MultiPolygon" else [geom.get("coordinates", [])]
    pts = [pt for poly in polys for ring in poly[:1] for pt in ring]
    if not pts:
        return None
    lon = (min(p[0] for p in pts) + max(p[0] for p in pts)) / 2
    lat = (min(p[1] for p in pts) + max(p[1] for p in pts)) / 2
    span = max(max(p[0] for p in pts) - min(p[0] for p in pts), max(p[1] for p in pts) - min(p[1] for p in pts), 1e-3)
    zoom = max(6.0, min(16.0, 7.0 - math.log2(span)))  # ~200 px across the village
    layer = pdk.Layer("PolygonLayer", [{"polygon": poly[0]} for poly in polys], id="village-outline", get_polygon="polygon",
                      filled=True, stroked=True, get_fill_color=[*hex_to_rgb(pal.accent), 60],
                      get_line_color=[*hex_to_rgb(pal.accent), 255], line_width_min_pixels=2, pickable=False)
    return pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom),
                    map_provider=None)


def excel_download(scope: Scope, village_id: int, period: int, version: int):
    """A callable that builds the Excel workbook on click."""
    language = lang()
    return lambda: export.excel_bytes(record(scope, village_id, period, version), lang=language)


def html_download(scope: Scope, village_id: int, period: int, version: int):
    """A callable that builds the printable HTML briefing on click."""
    language = lang()
    return lambda: export.briefing_html(record(scope, village_id, period, version), lang=language).encode("utf-8")


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def module_scores(scope: Scope, village_id: int, period: int, version: int) -> tuple[dict, pd.DataFrame] | None:
    """(rank, composite explain by module) of the village; None when the month has no scores for it."""
    with Session(engine()) as s:
        rank, modules = scoring.region_rank(s, scope, village_id, period), scoring.explain(s, scope, village_id, period, None)
    if modules.empty:
        return None
    modules = modules.assign(module=modules["module"].map(lambda m: term("module", m)))
    cols = {"module": "col.module", "weight": "col.weight", "score": "col.score", "peer_min": "col.peer_low",
            "peer_median": "col.peer_mid", "peer_max": "col.peer_high", "contribution": "col.contribution_short"}
    return rank, headers(modules[[c for c in cols if c in modules]].round(2), cols)
