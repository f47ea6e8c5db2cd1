"""Cached reads and charts for the 领雁指数 and 村社档案 pages (keys: scope, ids, month, data version)."""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st
from sqlmodel import Session

from core import export, leader_index, leader_records, village_record
from core.config import get_settings
from core.enums import MODULE_LABEL
from core.leader_index import DIMENSION_LABEL, DIMENSIONS, INPUT_LABEL
from core.leader_inputs import county_of, shift
from core.scope import Scope
from ui import state
from ui.data import engine
from ui.theme import Palette, apply, hex_to_rgb

ROLE_LABEL = {"village_secretary": "书记", "village_committee": "两委委员"}


def periods() -> list[int]:
    """The twelve months of history ending at the as-of month, newest first."""
    as_of = get_settings().as_of
    last = as_of.year * 100 + as_of.month
    return [shift(last, -k) for k in range(12)]


def period_picker() -> int:
    """The month in view (URL ?period=, clamped to the history), with a sidebar picker; mirrored in the URL."""
    options = periods()
    raw = st.query_params.get(state.PERIOD_KEY) or st.session_state.get(state.PERIOD_KEY)
    current = int(raw) if str(raw).isdigit() and int(raw) in options else options[0]
    picked = st.sidebar.selectbox("统计月份", options, index=options.index(current),
                                  format_func=lambda p: f"{p // 100}年{p % 100:02d}月", key="leader-period")
    st.session_state[state.PERIOD_KEY] = picked
    if st.query_params.get(state.PERIOD_KEY) != str(picked):
        st.query_params[state.PERIOD_KEY] = str(picked)
    return int(picked)


@st.cache_data(ttl=600, max_entries=64, show_spinner="正在计算领雁指数…")
def ranked(scope: Scope, period: int, version: int) -> pd.DataFrame:
    """Secretaries in scope ranked by index with movement."""
    with Session(engine()) as s:
        return leader_index.ranked_secretaries(s, scope, period)


@st.cache_data(ttl=600, max_entries=64, show_spinner="正在计算县内对比…")
def county(county_id: int, period: int, version: int) -> leader_index.CountyContext:
    """Peers and economy bounds of one county and month (shared by every drill-down there)."""
    with Session(engine()) as s:
        return leader_index.county_context(s, county_id + 1, period)


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def explain(scope: Scope, person_id: int, period: int, village_id: int, version: int) -> leader_index.LeaderExplain:
    """Drill-down of one person (peers from the cached county table)."""
    ctx = county(county_of(village_id), period, version)
    with Session(engine()) as s:
        return leader_index.explain_leader_index(s, scope, person_id, period, county=ctx)


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def records(scope: Scope, kind: str, ids: tuple[int, ...]) -> pd.DataFrame:
    """Readable records behind one contribution."""
    with Session(engine()) as s:
        return leader_records.records_frame(s, scope, kind, ids)


@st.cache_data(ttl=600, max_entries=128, show_spinner="正在汇总村社档案…")
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


def movement(v) -> str:
    """▲3 / ▼1 / — for a rank movement (positive = up)."""
    if v is None or pd.isna(v) or int(v) == 0:
        return "—"
    return f"▲{int(v)}" if v > 0 else f"▼{-int(v)}"


def ranked_display(table: pd.DataFrame) -> pd.DataFrame:
    """The ranked list with Chinese headers, rounded scores and ▲▼ movement."""
    out = pd.DataFrame({"排名": table["rank"], "变化": table["movement"].map(movement), "书记": table["name"],
                        "村/社区": table["village_name"], "领雁指数": table["index"].round(2)})
    for d in DIMENSIONS:
        out[DIMENSION_LABEL[d]] = table[d].astype(float).round(1)
    out["以事识人"] = table["cadre_score"].astype(float).round(1)
    out["规则版本"] = table["rule_version"]
    return out


def rule_diff_display(rows: tuple[dict, ...]) -> pd.DataFrame:
    """How a township's rule differs from the default, with Chinese labels."""
    def section(sec: str) -> str:
        if sec.startswith("inputs."):
            return f"{DIMENSION_LABEL.get(sec[7:], sec[7:])}·输入权重"
        return {"cadre": "以事识人得分权重", "leader_index": "领雁指数维度权重"}.get(sec, sec)

    return pd.DataFrame([{"部分": section(r["section"]),
                          "项目": DIMENSION_LABEL.get(r["key"], INPUT_LABEL.get(r["key"], r["key"])),
                          "默认规则": r["default"], "本镇规则": r["this"]} for r in rows])


def radar(ex: leader_index.LeaderExplain, pal: Palette) -> go.Figure:
    """Six dimensions of the person against the county peer median."""
    labels = [DIMENSION_LABEL[d.key] for d in ex.dimensions] + [DIMENSION_LABEL[ex.dimensions[0].key]]
    mine = [d.score for d in ex.dimensions] + [ex.dimensions[0].score]
    med = [ex.peer_median.get(d.key) for d in ex.dimensions] + [ex.peer_median.get(ex.dimensions[0].key)]
    fig = go.Figure([go.Scatterpolar(r=med, theta=labels, name="县内书记中位数", line={"color": pal.neutral, "dash": "dot"}),
                     go.Scatterpolar(r=mine, theta=labels, name=ex.name, fill="toself", line={"color": pal.accent})])
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}}, height=360, title="六维画像 vs 县内中位数",
                      legend={"orientation": "h", "y": -0.1})
    return apply(fig, pal)


def trend(ex: leader_index.LeaderExplain, pal: Palette) -> go.Figure:
    """12-month trend of the index and cadre score."""
    t = ex.trend
    x = [f"{p // 100 % 100}年{p % 100}月" for p in t["period"]] if len(t) else []
    fig = go.Figure()
    if len(t):
        fig.add_scatter(x=x, y=t["index"], name="领雁指数", mode="lines+markers", line={"color": pal.accent})
        fig.add_scatter(x=x, y=t["cadre_score"], name="以事识人得分", mode="lines", line={"color": pal.neutral, "dash": "dot"})
    fig.update_layout(height=360, title="近12个月趋势", legend={"orientation": "h", "y": -0.2}, yaxis={"rangemode": "tozero"},
                      xaxis={"type": "category"})
    return apply(fig, pal)


def waterfall(ex: leader_index.LeaderExplain, pal: Palette) -> go.Figure:
    """Waterfall from each dimension's weighted contribution to the index."""
    parts = ex.index_contributions
    fig = go.Figure(go.Waterfall(
        x=[p.label for p in parts] + ["领雁指数"], y=[p.points for p in parts] + [0],
        measure=["relative"] * len(parts) + ["total"], text=[f"{p.points:.2f}" for p in parts] + [f"{ex.index:.2f}"],
        textposition="outside", increasing={"marker": {"color": pal.accent}},
        totals={"marker": {"color": pal.good}}, connector={"line": {"color": pal.border}},
        hovertext=[p.detail for p in parts] + [f"规则 {ex.rule_version}"]))
    fig.update_layout(height=360, title=f"指数构成（规则 {ex.rule_version}）", showlegend=False,
                      yaxis={"range": [0, max(100.0, ex.index * 1.1)]})
    return apply(fig, pal)


def contributions_table(parts) -> pd.DataFrame:
    """Contribution rows: input, value, effective weight, points, detail, record count."""
    return pd.DataFrame([{"输入": p.label, "取值": round(p.value, 2), "权重": round(p.weight, 4), "得分": p.points,
                          "依据": p.detail, "记录数": len(p.records)} for p in parts])


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
    return lambda: export.excel_bytes(record(scope, village_id, period, version))


def html_download(scope: Scope, village_id: int, period: int, version: int):
    """A callable that builds the printable HTML briefing on click."""
    return lambda: export.briefing_html(record(scope, village_id, period, version)).encode("utf-8")


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def module_scores(scope: Scope, village_id: int, period: int, version: int) -> tuple[dict, pd.DataFrame] | None:
    """(rank, composite explain by module) from `core.scoring` when it exists and answers; None otherwise."""
    try:
        from core import scoring  # noqa: PLC0415 — written in parallel by the cockpit engineer; optional here
        with Session(engine()) as s:
            rank, modules = scoring.region_rank(s, scope, village_id, period), scoring.explain(s, scope, village_id, period, None)
    except Exception:  # noqa: BLE001 — an optional panel must never break the record
        return None
    modules = modules.assign(module=modules["module"].map(lambda m: MODULE_LABEL.get(m, m)))
    cols = {"module": "模块", "weight": "权重", "score": "得分", "peer_min": "同级最低", "peer_median": "同级中位数",
            "peer_max": "同级最高", "contribution": "贡献"}
    return rank, modules[[c for c in cols if c in modules]].rename(columns=cols).round(2)

