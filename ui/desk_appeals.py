"""我的工作台 · appeals: the lists, the trail, the village's actions, the grid worker's report and rating forms."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core import appeals, desk
from core.actors import Actor
from core.enums import APPEAL_CATEGORIES, APPEAL_CHANNELS, RATINGS
from core.errors import DomainError
from ui import desk_data as dd
from ui import desk_lists as dl
from ui.i18n import day, headers, place, t, term, values


def appeal_label(r: pd.Series) -> str:
    """The pick-box label of an appeal."""
    return t("desk.pick_appeal", id=int(r["appeal_id"]), category=term("appeal_category", r["category"]), grid=place(r["grid"]))


def appeal_list(df: pd.DataFrame, key: str) -> int | None:
    """An appeal list with one-click opening; returns the opened appeal id."""
    return dl.pick(df, "appeal_id", dl.appeal_table(df) if not df.empty else df, appeal_label, key)


def appeal_detail(actor: Actor, appeal_id: int) -> None:
    """The appeal's 留痕, oldest first."""
    log = dd.appeal_log(actor.scope, appeal_id, dd.data_version())
    if log.empty:
        return
    st.markdown(f"**{t('desk.appeal_log')}**")
    shown = log.assign(at=[day(a, with_time=True) for a in pd.to_datetime(log["at"])],
                       action=values(log["action"], "appeal_action"), from_level=values(log["from_level"], "appeal_level"),
                       to_level=values(log["to_level"], "appeal_level")).drop(columns="actor_id").astype(object).fillna("—")
    st.dataframe(headers(shown, {"at": "col.time", "action": "col.action", "from_level": "col.from_status",
                                 "to_level": "col.to_status", "note": "col.note"}),
                 hide_index=True, width="stretch", key=f"appeal-log-{appeal_id}")


def village_actions(actor: Actor, appeal: pd.Series, appeal_id: int, live: bool) -> None:
    """受理 / 办结 / 上报上一级 for a village cadre while the appeal is at the grid or village level."""
    with st.form(f"appeal-act-{appeal_id}"):
        st.text_input(t("desk.note"), key=f"appeal-note-{appeal_id}")
        c = st.columns(3)
        for col, service, key, kind in ((c[0], appeals.respond, "respond", "secondary"), (c[1], appeals.close, "close", "primary"),
                                        (c[2], appeals.escalate, "escalate", "secondary")):
            off = not live or (key == "respond" and appeal["status"] != "reported")
            col.form_submit_button(t(f"desk.act.{key}"), type=kind, disabled=off, width="stretch", **dd.on_act(
                service, t("desk.done_ok", action=t(f"desk.act.{key}"), item=f"#{appeal_id}"), actor,
                appeal_id=appeal_id, fields={"note": f"appeal-note-{appeal_id}"}))


def rating_form(actor: Actor, appeal_id: int, live: bool) -> None:
    """回访: record the citizen's 好/中/差评 of a closed appeal."""
    with st.form(f"rate-appeal-{appeal_id}"):
        st.radio(t("desk.rating"), list(RATINGS), format_func=lambda r: term("rating", r), horizontal=True,
                 key=f"appeal-rating-{appeal_id}")
        st.form_submit_button(t("desk.act.rate_appeal"), type="primary", disabled=not live, **dd.on_act(
            appeals.rate, t("desk.done_ok", action=t("desk.act.rate_appeal"), item=f"#{appeal_id}"), actor,
            appeal_id=appeal_id, fields={"rating": f"appeal-rating-{appeal_id}"}))


def _grid_map(grid: pd.Series, key: str) -> tuple[float, float] | None:
    """The grid's outline with a lattice of pickable points inside; returns the clicked (lon, lat), if any."""
    points = desk.pick_points(grid["boundary"])
    fig = go.Figure()
    geo = json.loads(grid["boundary"]) if grid["boundary"] else None
    kind = (geo or {}).get("type")
    rings = [geo["coordinates"][0]] if kind == "Polygon" else [p[0] for p in geo["coordinates"]] if kind == "MultiPolygon" else []
    for ring in rings:
        fig.add_trace(go.Scatter(x=[p[0] for p in ring], y=[p[1] for p in ring], mode="lines", hoverinfo="skip",
                                 line={"color": "#1f6feb", "width": 2}, showlegend=False))
    fig.add_trace(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="markers", showlegend=False,
                             marker={"size": 9, "color": "rgba(31,111,235,0.45)"},
                             selected={"marker": {"color": "#d0312d", "size": 16, "opacity": 1}},
                             unselected={"marker": {"opacity": 0.7}}, hovertemplate="%{x:.5f}, %{y:.5f}<extra></extra>"))
    fig.update_layout(height=260, margin={"l": 0, "r": 0, "t": 0, "b": 0}, xaxis={"visible": False},
                      yaxis={"visible": False, "scaleanchor": "x"}, clickmode="event+select", dragmode=False)
    event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", key=key, config={"displayModeBar": False})
    picked = event.selection.points if event and event.selection else []
    return (float(picked[0]["x"]), float(picked[0]["y"])) if picked else None


def report_form(actor: Actor, grids: pd.DataFrame, live: bool) -> None:
    """网格收集上报: category, grid, a place (clicked on the grid map or typed), description, channel."""
    if grids.empty:
        st.info(t("desk.empty"))
        return
    names = {int(g.grid_id): place(g.name) for g in grids.itertuples()}
    grid_id = st.selectbox(t("desk.grid"), list(names), format_func=names.get, key="report-grid")
    st.caption(t("desk.place_on_map"))
    point = _grid_map(grids.set_index("grid_id").loc[grid_id], f"report-map-{grid_id}")
    if point:
        st.caption(t("desk.picked_point", lon=point[0], lat=point[1]))
    with st.form("report", clear_on_submit=True):
        c = st.columns(2)
        c[0].selectbox(t("desk.appeal_category"), APPEAL_CATEGORIES, key="report-category",
                       format_func=lambda v: term("appeal_category", v))
        c[1].selectbox(t("desk.channel"), APPEAL_CHANNELS, key="report-channel",
                       format_func=lambda v: term("appeal_channel", v))
        st.text_input(t("desk.address"), key="report-address")
        st.text_area(t("desk.description"), key="report-text", height=80)
        st.form_submit_button(t("desk.act.report"), type="primary", disabled=not live, **dd.on_act(
            appeals.report, lambda a: t("desk.reported_ok", id=a.id), actor, grid_id=grid_id,
            lon=point[0] if point else None, lat=point[1] if point else None,
            fields={"category": "report-category", "channel": "report-channel", "address": "report-address",
                    "note": "report-text"}, convert=_report_args))


def _report_args(kw: dict) -> dict:
    """The description is required; a blank address is none."""
    if not (kw["note"] or "").strip():
        raise DomainError(t("desk.need_description"))
    return {**kw, "note": kw["note"].strip(), "address": (kw["address"] or "").strip() or None}
