"""The pydeck map (no basemap: the boundaries are the map) and its HTML legend.

Pure: builds a ``pdk.Deck`` and legend HTML from prepared tables; no Streamlit drawing, so the bench and
tests can build the same deck the page sends (texts come from the catalog in the viewer's language,
Chinese outside a session). Colours come from ``ui.theme`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import pydeck as pdk

from core.enums import APPEAL_CATEGORIES
from core.geo_layers import METRICS, Metric
from core.geometry import bounds_of, fit_view
from ui.i18n import num, t, term
from ui.theme import FONT_FAMILY, Palette, hex_to_rgb, score_color

MAP_HEIGHT = {False: 660, True: 760}
FILL_ALPHA = 205


@dataclass(frozen=True)
class Layers:
    """Which optional grid-level layers to draw."""

    appeals: bool = True
    by_status: bool = False
    overdue: bool = True
    heat: bool = False


def goodness(values: pd.Series, metric: Metric) -> pd.Series:
    """0–100 on the theme's score scale (100 = good): scores as they are, counts scaled over min–max."""
    v = values.astype(float)
    if metric.is_score:
        return v
    lo, hi = v.min(), v.max()
    if pd.isna(lo) or hi <= lo:
        return v.where(v.isna(), 100.0 if (pd.isna(hi) or hi == 0) else 50.0)
    scaled = (v - lo) / (hi - lo) * 100.0
    return scaled if metric.higher_is_better else 100.0 - scaled


def fill_colors(values: pd.Series, metric: Metric, pal: Palette) -> list[list[int]]:
    """RGBA fill per value (grey where the value is missing)."""
    return [[*score_color(None if pd.isna(g) else g, pal), FILL_ALPHA] for g in goodness(values, metric)]


def _fmt(value: float | None, metric: Metric) -> str:
    if value is None or pd.isna(value):
        return "—"
    return num(value, 1) if metric.is_score or metric.key == "appeals_per_100hh" else num(int(value))


def metric_label(key: str) -> str:
    """A map metric's name in the viewer's language."""
    return t(f"metric.{key}")


def tooltip_text(row: pd.Series, metric: Metric) -> str:
    """Tooltip body (plain text lines: deck.gl inserts fields as text) of one unit."""
    level = term("level", str(row["level"]))
    lines = [t("map.tip_head", level=level, metric=metric_label(metric.key), value=_fmt(row.get(metric.key), metric))]
    if row.get("worker"):
        lines.append(t("map.tip_worker", name=row["worker"]))
    lines += [t(f"map.tip_{k}", n=num(int(row.get(col) or 0))) for k, col in (
        ("households", "households"), ("open_tasks", "open_tasks"), ("overdue", "overdue_tasks"),
        ("open_appeals", "open_appeals"))]
    return "\n".join(lines)


def region_table(shapes: pd.DataFrame, metrics: pd.DataFrame, metric_key: str, pal: Palette) -> pd.DataFrame:
    """Shapes joined to metrics with ``fill`` and ``tip`` columns, ready for the PolygonLayer."""
    metric = METRICS[metric_key]
    table = shapes.merge(metrics.drop(columns=["households"], errors="ignore"), on="code", how="left")
    if metric_key not in table:
        table[metric_key] = np.nan
    table["fill"] = fill_colors(table[metric_key], metric, pal)
    table["tip"] = [tooltip_text(r, metric) for _, r in table.iterrows()]
    return table


def _polygon_layers(table: pd.DataFrame, outline: list, pal: Palette, big: bool) -> list[pdk.Layer]:
    rows = table[["code", "name", "polygon", "fill", "tip"]]
    edge = [255, 255, 255, 235] if pal.name == "light" else [*hex_to_rgb(pal.background), 255]
    layers = [pdk.Layer("PolygonLayer", rows, id="regions", pickable=True, stroked=True, filled=True,
                        get_polygon="polygon", get_fill_color="fill", get_line_color=edge, get_line_width=2 if big else 1.5,
                        line_width_units='"pixels"', auto_highlight=True, highlight_color=[*hex_to_rgb(pal.accent), 120])]
    if outline:
        layers.append(pdk.Layer("PolygonLayer", [{"polygon": p} for p in outline], id="outline", pickable=False,
                                filled=False, stroked=True, get_polygon="polygon", get_line_color=[*hex_to_rgb(pal.text), 220],
                                get_line_width=3 if big else 2.5, line_width_units='"pixels"'))
    return layers


def _label_layer(table: pd.DataFrame, pal: Palette, big: bool) -> pdk.Layer:
    labels = table.drop_duplicates("code")[["name", "lon", "lat"]]
    halo = [255, 255, 255, 230] if pal.name == "light" else [*hex_to_rgb(pal.background), 230]
    return pdk.Layer("TextLayer", labels, id="labels", pickable=False, get_position=["lon", "lat"], get_text="name",
                     get_size=20 if big else 14, size_units='"pixels"', get_color=[*hex_to_rgb(pal.text), 255],
                     character_set='"auto"', font_family=f'"{FONT_FAMILY}"', font_weight=600,
                     get_text_anchor='"middle"', get_alignment_baseline='"center"',
                     font_settings={"sdf": True, "fontSize": 64, "buffer": 8}, outline_width=4, outline_color=halo)


def category_colors(pal: Palette) -> dict[str, list[int]]:
    """RGB per appeal category, drawn from the theme's module and status colours."""
    pool = [*pal.modules.values(), pal.warn, pal.good, pal.bad, pal.neutral]
    return {cat: list(hex_to_rgb(pool[i % len(pool)])) for i, cat in enumerate(APPEAL_CATEGORIES)}


def status_colors(pal: Palette) -> dict[str, list[int]]:
    """RGB per appeal status: reported = bad, handling = warn, closed = good."""
    return {"reported": list(hex_to_rgb(pal.bad)), "handling": list(hex_to_rgb(pal.warn)),
            "closed": list(hex_to_rgb(pal.good))}


def _point_layers(points: pd.DataFrame, overdue: pd.DataFrame, opts: Layers, pal: Palette, big: bool) -> list[pdk.Layer]:
    layers: list[pdk.Layer] = []
    if opts.heat and not points.empty:
        layers.append(pdk.Layer("HeatmapLayer", points[["lon", "lat"]], id="heat", get_position=["lon", "lat"],
                                radius_pixels=40 if big else 30, opacity=0.55,
                                color_range=[list(hex_to_rgb(c)) for c in reversed(pal.score_scale)]))
    if opts.appeals and not points.empty:
        colors = status_colors(pal) if opts.by_status else category_colors(pal)
        grey = list(hex_to_rgb(pal.neutral))
        pts = points.assign(
            color=[colors.get(s if opts.by_status else c, grey) + [230] for c, s in zip(points["category"], points["status"], strict=True)],
            name=[term("appeal_category", c) for c in points["category"]],
            tip=[f"{term('appeal_status', s)} · {r}" for s, r in zip(points["status"], points["reported"], strict=True)])
        layers.append(pdk.Layer("ScatterplotLayer", pts[["lon", "lat", "color", "name", "tip"]], id="appeals",
                                pickable=True, get_position=["lon", "lat"], get_fill_color="color",
                                get_radius=6 if big else 4.5, radius_units='"pixels"', stroked=True,
                                get_line_color=[255, 255, 255], line_width_min_pixels=1))
    if opts.overdue and not overdue.empty:
        od = overdue.assign(tip=[t("map.overdue_tip", n=n) for n in overdue["overdue"]],
                            radius=[(10 if big else 8) + 3 * min(int(n), 6) for n in overdue["overdue"]])
        layers.append(pdk.Layer("ScatterplotLayer", od[["lon", "lat", "name", "tip", "radius"]], id="overdue",
                                pickable=True, get_position=["lon", "lat"], get_radius="radius", radius_units='"pixels"',
                                filled=False, stroked=True, get_line_color=[*hex_to_rgb(pal.overdue), 255],
                                line_width_min_pixels=3))
    return layers


def build_deck(table: pd.DataFrame, outline: list, pal: Palette, big: bool = False, *,
               points: pd.DataFrame | None = None, overdue: pd.DataFrame | None = None,
               layers: Layers = Layers(), width: int = 950) -> pdk.Deck:
    """The deck: coloured polygons (id "regions"), the outline of the region in view, labels, grid points."""
    deck_layers = _polygon_layers(table, outline, pal, big)
    if points is not None or overdue is not None:
        empty = pd.DataFrame(columns=["lon", "lat", "category", "status", "reported", "name", "overdue"])
        deck_layers += _point_layers(points if points is not None else empty,
                                     overdue if overdue is not None else empty, layers, pal, big)
    deck_layers.append(_label_layer(table, pal, big))
    bounds = bounds_of(outline or list(table["polygon"]))
    lon, lat, zoom = fit_view(bounds, width=width, height=MAP_HEIGHT[big])
    tip_style = {"backgroundColor": pal.panel, "color": pal.text, "border": f"1px solid {pal.border}",
                 "fontFamily": FONT_FAMILY, "fontSize": "16px" if big else "13px", "lineHeight": "1.5"}
    return pdk.Deck(layers=deck_layers, initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom),
                    map_provider=None, tooltip={"text": "{name}\n{tip}", "style": {**tip_style, "whiteSpace": "pre-line"}})


def legend_html(values: pd.Series, metric_key: str, pal: Palette, big: bool = False) -> str:
    """HTML legend: the metric name, a colour ramp with its min and max, and the grey 'no data' swatch."""
    metric = METRICS[metric_key]
    v = values.astype(float).dropna()
    size = "1.1rem" if big else "0.9rem"
    grey = score_color(None, pal)
    head = f"<div class='panel-title'>{escape(t('map.legend_head', metric=metric_label(metric_key), unit=term('unit', metric.unit)))}</div>"
    if v.empty:
        return (f"<div class='panel' style='font-size:{size}'>{head}<span style='display:inline-block;width:1.2em;"
                f"height:0.9em;background:rgb{grey};margin-right:0.4em'></span>{escape(t('map.no_data'))}</div>")
    ramp = pd.Series(np.linspace(v.min(), v.max(), 7))
    ref = pd.concat([v, ramp], ignore_index=True)
    shades = goodness(ref, metric).iloc[len(v):]
    stops = ", ".join(f"rgb{score_color(g, pal)}" for g in shades)
    better = t("direction.true" if metric.higher_is_better else "direction.false")
    return (f"<div class='panel' style='font-size:{size}'>{head}"
            f"<div style='height:14px;border-radius:3px;background:linear-gradient(90deg, {stops})'></div>"
            f"<div style='display:flex;justify-content:space-between;font-variant-numeric:tabular-nums'>"
            f"<span>{_fmt(v.min(), metric)}</span><span style='color:{pal.muted}'>{better}</span>"
            f"<span>{_fmt(v.max(), metric)}</span></div>"
            f"<div style='color:{pal.muted};margin-top:0.3rem'><span style='display:inline-block;width:1.2em;"
            f"height:0.9em;background:rgb{grey};margin-right:0.4em'></span>{t('map.no_data')} / "
            f"{escape(t('map.none_yet'))}</div></div>")


def points_legend_html(pal: Palette, by_status: bool, big: bool = False) -> str:
    """Swatches of the appeal point colours (category or status) and the overdue marker."""
    items = ({term("appeal_status", k): c for k, c in status_colors(pal).items()} if by_status
             else {term("appeal_category", k): c for k, c in category_colors(pal).items()})
    size = "1.05rem" if big else "0.85rem"
    dots = "".join(f"<span style='white-space:nowrap;margin-right:0.7em'><span style='display:inline-block;width:0.8em;"
                   f"height:0.8em;border-radius:50%;background:rgb{tuple(c)};margin-right:0.25em'></span>{escape(k)}</span>"
                   for k, c in items.items())
    ring = (f"<span style='white-space:nowrap'><span style='display:inline-block;width:0.8em;height:0.8em;border-radius:50%;"
            f"border:2px solid {pal.overdue};margin-right:0.25em'></span>{escape(t('map.overdue_legend'))}</span>")
    return f"<div class='panel' style='font-size:{size};line-height:1.8'>{dots}{ring}</div>"


def card_html(row: pd.Series, metric: Metric) -> str:
    """Side-panel card of the selected unit: name, level, the metric and its key numbers."""
    level = term("level", str(row["level"]))
    facts = [(escape(metric_label(metric.key)), _fmt(row.get(metric.key), metric))]
    if row.get("worker"):
        facts.append((t("map.card_worker"), escape(str(row["worker"]))))
    facts += [(t(f"map.card_{k}"), num(int(row.get(col) or 0))) for k, col in (
        ("households", "households"), ("open_tasks", "open_tasks"), ("overdue", "overdue_tasks"),
        ("open_appeals", "open_appeals"))]
    cells = "".join(f"<div class='kpi'><div class='label'>{k}</div><div class='value' style='font-size:1.4em'>{v}</div></div>"
                    for k, v in facts)
    return (f"<div class='panel'><div class='title'>{escape(str(row['name']))} · {level}</div>"
            f"<div style='display:grid;grid-template-columns:1fr 1fr;gap:0.4rem'>{cells}</div></div>")
