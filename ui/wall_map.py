"""网格地图 on the wall: the map fills the centre; the legend and the best and worst regions stand beside it;
the metric turns with the carousel (composite, then each module: one more each time the carousel comes
back to the map; `?metric=` holds one). No metric picker, toggles, drill picker or card."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
import streamlit as st

from core.geo_layers import METRICS, SCORE_METRICS, metrics_for, view_level
from ui import carousel, map_data
from ui import wall as w
from ui.i18n import t, term
from ui.map_view import _fmt, build_deck, goodness, metric_label, region_table
from ui.theme import Palette, palette, score_color

SIDE = 8  # best and worst regions listed beside the map


def wall_metrics(level: str) -> list[str]:
    """The metrics the wall turns through at `level`: the composite and the four modules (counts at a village)."""
    keys = metrics_for(level)
    scores = [k for k in SCORE_METRICS if k in keys]
    return scores or keys


def pick_metric(level: str) -> str:
    """`?metric=` when it names one of the wall's metrics, else the carousel's turn, else the composite."""
    keys = wall_metrics(level)
    asked = st.query_params.get("metric")
    if asked in keys:
        return str(asked)
    turn = carousel.turn("map")
    return keys[(turn or 0) % len(keys)]


def _legend(values: pd.Series, key: str, pal: Palette, keys: list[str]) -> str:
    metric = METRICS[key]
    v = values.astype(float).dropna()
    grey = score_color(None, pal)
    order = " → ".join(metric_label(k) for k in keys)
    head = (f"<div style='font-size:1.6rem;font-weight:700;color:{pal.accent}'>{escape(metric_label(key))}</div>"
            f"<div class='muted'>{escape(t('wall.map.turns', order=order))}</div>")
    if v.empty:
        return w.panel(t("wall.map.legend"), head + f"<div class='empty'>{escape(t('map.no_data'))}</div>", fixed=True)
    ramp = pd.Series(np.linspace(v.min(), v.max(), 7))
    shades = goodness(pd.concat([v, ramp], ignore_index=True), metric).iloc[len(v):]
    stops = ", ".join(f"rgb{score_color(g, pal)}" for g in shades)
    better = t("direction.true" if metric.higher_is_better else "direction.false")
    body = (f"{head}<div style='height:18px;border-radius:3px;margin-top:0.5rem;background:linear-gradient(90deg, {stops})'>"
            f"</div><div style='display:flex;justify-content:space-between'><b>{_fmt(v.min(), metric)}</b>"
            f"<span class='muted'>{escape(better)}</span><b>{_fmt(v.max(), metric)}</b></div>"
            f"<div class='muted'><i style='display:inline-block;width:1em;height:0.9em;background:rgb{grey};"
            f"margin-right:0.4em'></i>{escape(t('map.no_data'))} · {escape(term('unit', metric.unit))}</div>")
    return w.panel(t("wall.map.legend"), body, fixed=True)


def _ranked(table: pd.DataFrame, key: str, best: bool, pal: Palette) -> str:
    metric = METRICS[key]
    rows = table.drop_duplicates("code").dropna(subset=[key])
    rows = rows.assign(g=goodness(rows[key], metric)).sort_values(["g", "code"], ascending=[not best, True]).head(SIDE)
    cls = "good" if best else "bad"
    body = [[("r", str(i + 1)), ("", escape(str(r["name"]))), (f"n {cls}", escape(_fmt(r[key], metric)))]
            for i, (_, r) in enumerate(rows.iterrows())]
    title = t("wall.map.best" if best else "wall.map.worst", n=len(body), metric=metric_label(key))
    head = [("r", t("col.rank")), ("", t("col.name")), ("n", term("unit", metric.unit))]
    return w.panel(title, w.table(head, body, ["18%", "52%", "30%"]) if body else
                   f"<div class='empty'>{escape(t('wall.none'))}</div>")


def _totals(metrics: pd.DataFrame) -> str:
    facts = [(t("map.card_open_tasks"), "open_tasks", "acc"), (t("map.card_overdue"), "overdue_tasks", "bad"),
             (t("map.card_open_appeals"), "open_appeals", "warn"), (t("map.card_households"), "households", "acc")]
    tiles = [w.big_number(label, w.count(int(metrics[col].fillna(0).sum())), cls=cls)
             for label, col, cls in facts if col in metrics]
    body = "".join(w.number_row(tiles[i:i + 2]) + "<div style='height:10px'></div>" for i in range(0, len(tiles), 2))
    return w.panel(t("wall.map.totals"), body, fixed=True)


def render(ctx, period: int, as_of, version: int) -> None:
    """The map wall of the region in view."""
    region, pal = ctx.region, palette(True)
    shapes = map_data.shapes(ctx.scope, region.id, region.level, version)
    if shapes.empty:
        st.info(t("map.no_shapes", region=region.name, level=term("level", view_level(region.level))))
        return
    keys = wall_metrics(region.level)
    key = pick_metric(region.level)
    metrics = map_data.metrics(ctx.scope, region.id, region.level, period, as_of, version)
    table = region_table(shapes, metrics, key, pal)
    deck = build_deck(table, map_data.outline(ctx.scope, region.id, version), pal, True, width=1060)
    left, mid, right = st.columns([1, 2.5, 1], gap="small")
    with left:
        w.show(w.board("1fr", [_legend(metrics[key], key, pal, keys) + _ranked(table, key, True, pal)]), "wall-map-l", pal)
    with mid:
        st.pydeck_chart(deck, height=w.BOARD_PX, key=f"wall-map-{region.code}-{key}")
    with right:
        w.show(w.board("1fr", [_ranked(table, key, False, pal) + _totals(metrics)]), "wall-map-r", pal)
