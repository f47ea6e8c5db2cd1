"""Cached reads and charts for the 领雁指数 page (keys: scope, ids, month, data version)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlmodel import Session

from core import i18n, leader_index, leader_records
from core.config import LIST_LIMITS
from core.leader_index import DIMENSIONS
from core.leader_inputs import county_of
from core.scope import Scope
from ui.data import engine
from ui.i18n import headers, month, movements, named, person, t, term
from ui.theme import Palette, apply, palette


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def ranked(scope: Scope, period: int, version: int) -> pd.DataFrame:
    """Secretaries in scope ranked by index with movement."""
    with Session(engine()) as s:
        return leader_index.ranked_secretaries(s, scope, period)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def county(county_id: int, period: int, version: int) -> leader_index.CountyContext:
    """Peers and economy bounds of one county and month (shared by every drill-down there)."""
    with Session(engine()) as s:
        return leader_index.county_context(s, county_id + 1, period)


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def explain(scope: Scope, person_id: int, period: int, village_id: int, version: int) -> leader_index.LeaderExplain:
    """Drill-down of one person (peers from the cached county table), without record ids: the page asks
    `part_records` for the contributions it shows."""
    ctx = county(county_of(village_id), period, version)
    with Session(engine()) as s:
        return leader_index.explain_leader_index(s, scope, person_id, period, county=ctx, record_codes=())


@st.cache_data(ttl=600, max_entries=512, show_spinner=False)
def part_records(scope: Scope, person_id: int, period: int, codes: tuple[str, ...],
                 version: int) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Record ids behind the contributions `codes` of one person and month."""
    with Session(engine()) as s:
        return leader_records.person_records(s, scope, person_id, period, codes)


def with_records(scope: Scope, person_id: int, period: int, parts: tuple, version: int) -> tuple:
    """The contributions on screen with their record kind and ids filled in."""
    return leader_records.attach(parts, part_records(scope, person_id, period, tuple(p.code for p in parts), version))


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def records(scope: Scope, kind: str, ids: tuple[int, ...], lang: str) -> pd.DataFrame:
    """The records behind one contribution, for display in `lang` (ids left out)."""
    with Session(engine()) as s:
        frame = leader_records.records_frame(s, scope, kind, ids)
    return i18n.label_frame(frame.drop(columns=["id"], errors="ignore"), lang, leader_records.RECORD_VOCAB.get(kind))


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def ranked_view(scope: Scope, period: int, version: int, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, str]]:
    """The ranking, its on-screen table and the pick list's labels, built once per scope, month and
    language (`lang` keys the translated headers): a province ranks ~24,000 secretaries, and rebuilding
    the table and labels on every rerun took ~0.2 s."""
    table = named(ranked(scope, period, version), places=("village_name",), people=("name",))
    return table, ranked_display(table), pick_labels(table)


def wall_table(scope: Scope, period: int, version: int) -> pd.DataFrame:
    """The ranking with names in short form (pinyin alone in English) for the wall's narrow columns."""
    return named(ranked(scope, period, version), places=("village_name",), people=("name",), short=True)


def pick_labels(table: pd.DataFrame) -> dict[int, str]:
    """Labels of the secretary pick list: all of them, or the best and worst halves of
    LIST_LIMITS.leader_pick when the ranking is longer."""
    half = LIST_LIMITS.leader_pick // 2
    shown = table if len(table) <= 2 * half else pd.concat([table.head(half), table.tail(half)])
    shown = shown.drop_duplicates("person_id")
    return dict(zip(shown["person_id"].astype(int), shown["name"] + " · " + shown["village_name"], strict=True))


def pick_list(table: pd.DataFrame, labels: dict[int, str], picked: int | None) -> tuple[list[int], dict[int, str]]:
    """(person ids, labels) for the pick list: `pick_labels` plus the one picked in the table."""
    if picked is not None and int(picked) not in labels:
        row = table[table["person_id"] == int(picked)]
        if not row.empty:
            labels = {**labels, int(picked): f"{row['name'].iloc[0]} · {row['village_name'].iloc[0]}"}
    return list(labels), labels


def ranked_display(table: pd.DataFrame) -> pd.DataFrame:
    """The ranked list with headers in the viewer's language, rounded scores and ▲▼ movement."""
    out = pd.DataFrame({t("col.rank"): table["rank"], t("col.change"): movements(table["movement"]),
                        t("col.secretary"): table["name"], t("col.village_community"): table["village_name"],
                        t("col.leader_index"): table["index"].round(2)})
    for d in DIMENSIONS:
        out[term("dimension", d)] = table[d].astype(float).round(1)
    out[t("col.cadre_score")] = table["cadre_score"].astype(float).round(1)
    out[t("col.rule_version")] = table["rule_version"]
    return out


def ranked_columns() -> dict:
    """Column formats of `ranked_display`: the index with two decimals, dimensions and cadre score with one,
    so a column reads evenly down the page (98.50 above 96.41, not 98.5)."""
    one = {term("dimension", d): st.column_config.NumberColumn(format="%.1f") for d in DIMENSIONS}
    return {t("col.leader_index"): st.column_config.NumberColumn(format="%.2f"), **one,
            t("col.cadre_score"): st.column_config.NumberColumn(format="%.1f")}


def part_label(code: str, fallback: str) -> str:
    """An input of a score (leader input, indicator or dimension) in the viewer's language."""
    for key in (f"leader_input.{code}", f"indicator.{code}.name", f"dimension.{code}"):
        if i18n.has(key):
            return t(key)
    return fallback


def rule_diff_display(rows: tuple[dict, ...]) -> pd.DataFrame:
    """How a township's rule differs from the default, with labels in the viewer's language."""
    def section(sec: str) -> str:
        if sec.startswith("inputs."):
            return t("leaders.input_weights", dimension=term("dimension", sec[7:]))
        return {"cadre": t("leaders.cadre_weights"), "leader_index": t("leaders.index_weights")}.get(sec, sec)

    frame = pd.DataFrame([{"part": section(r["section"]), "item": part_label(r["key"], r["key"]),
                           "default_rule": r["default"], "this_rule": r["this"]} for r in rows])
    return headers(frame, {c: f"col.{c}" for c in frame.columns})


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def figures(scope: Scope, person_id: int, period: int, village_id: int, version: int, lang: str,
            big: bool) -> tuple[go.Figure, go.Figure, go.Figure]:
    """Radar, waterfall and trend of one person, built once per person, month, language and screen
    (three Plotly figures cost ~0.1 s to build on every rerun)."""
    ex, pal = explain(scope, person_id, period, village_id, version), palette(big)
    return radar(ex, pal), waterfall(ex, pal), trend(ex, pal)


def radar(ex: leader_index.LeaderExplain, pal: Palette) -> go.Figure:
    """Six dimensions of the person against the county peer median."""
    labels = [term("dimension", d.key) for d in ex.dimensions] + [term("dimension", ex.dimensions[0].key)]
    mine = [d.score for d in ex.dimensions] + [ex.dimensions[0].score]
    med = [ex.peer_median.get(d.key) for d in ex.dimensions] + [ex.peer_median.get(ex.dimensions[0].key)]
    fig = go.Figure([go.Scatterpolar(r=med, theta=labels, name=t("leaders.radar_median"), line={"color": pal.neutral, "dash": "dot"}),
                     go.Scatterpolar(r=mine, theta=labels, name=person(ex.name), fill="toself", line={"color": pal.accent})])
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}}, height=360, title=t("leaders.radar_title"),
                      legend={"orientation": "h", "y": -0.1})
    return apply(fig, pal)


def trend(ex: leader_index.LeaderExplain, pal: Palette) -> go.Figure:
    """12-month trend of the index and cadre score."""
    hist = ex.trend
    x = [month(p) for p in hist["period"]] if len(hist) else []
    fig = go.Figure()
    if len(hist):
        fig.add_scatter(x=x, y=hist["index"], name=t("leaders.index"), mode="lines+markers", line={"color": pal.accent})
        fig.add_scatter(x=x, y=hist["cadre_score"], name=t("leaders.cadre_score"), mode="lines",
                        line={"color": pal.neutral, "dash": "dot"})
    fig.update_layout(height=360, title=t("leaders.trend_title"), legend={"orientation": "h", "y": -0.2}, yaxis={"rangemode": "tozero"},
                      xaxis={"type": "category"})
    return apply(fig, pal)


def waterfall(ex: leader_index.LeaderExplain, pal: Palette) -> go.Figure:
    """Waterfall from each dimension's weighted contribution to the index."""
    parts = ex.index_contributions
    fig = go.Figure(go.Waterfall(
        x=[part_label(p.code, p.label) for p in parts] + [t("leaders.index")], y=[p.points for p in parts] + [0],
        measure=["relative"] * len(parts) + ["total"], text=[f"{p.points:.2f}" for p in parts] + [f"{ex.index:.2f}"],
        textposition="outside", increasing={"marker": {"color": pal.accent}},
        totals={"marker": {"color": pal.good}}, connector={"line": {"color": pal.border}},
        hovertext=[p.detail for p in parts] + [t("leaders.rule", version=ex.rule_version)]))
    fig.update_layout(height=360, title=t("leaders.waterfall_title", version=ex.rule_version), showlegend=False,
                      yaxis={"range": [0, max(100.0, ex.index * 1.1)]})
    return apply(fig, pal)


def contributions_table(parts) -> pd.DataFrame:
    """Contribution rows: input, value, effective weight, points, detail, record count."""
    frame = pd.DataFrame([{"input": part_label(p.code, p.label), "input_value": round(p.value, 2),
                           "weight": round(p.weight, 4), "score": p.points, "basis": p.detail, "records": len(p.records)}
                          for p in parts])
    return headers(frame, {c: f"col.{c}" for c in frame.columns})
