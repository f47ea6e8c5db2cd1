"""Small rendering helpers for the cockpit and rankings: tiles, matrix, trend, map, ticker, export."""

from __future__ import annotations

import io
import math
from html import escape

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from core.kpis import KPI_DEFINITIONS
from ui.theme import MODULE_KEYS, MODULE_LABELS, Palette, apply, score_color
from ui.widgets import kpi_tile

SCORE_LABELS = {"composite": "综合得分", **MODULE_LABELS}


def tile_css(pal: Palette, big: bool) -> str:
    """Sizes for ui.widgets.kpi_tile's class names (kpi-label/-value/-delta), from the theme palette."""
    value = "3.4rem" if big else "2.3rem"
    return (f"<style>.kpi .kpi-label{{color:{pal.muted};font-size:{'1.25rem' if big else '0.95rem'}}}"
            f".kpi .kpi-value{{color:{pal.text};font-size:{value};font-weight:700;"
            "font-variant-numeric:tabular-nums;white-space:nowrap}"
            f".kpi .kpi-delta{{color:{pal.muted};font-size:{'1.2rem' if big else '0.9rem'}}}"
            f".kpi .kpi-delta.up{{color:{pal.good}}}.kpi .kpi-delta.down{{color:{pal.bad}}}"
            ".kpi .kpi-delta.up::before{content:'▲ '}.kpi .kpi-delta.down::before{content:'▼ '}"
            f".mx b{{color:{pal.good}}} .mx i{{color:{pal.bad};font-style:normal}}</style>")


def movement(delta) -> str:
    """▲3 / ▼1 / — for a rank movement (+ is up)."""
    if delta is None or pd.isna(delta):
        return "—"
    d = int(delta)
    return f"▲{d}" if d > 0 else (f"▼{-d}" if d < 0 else "—")


def _pct(v) -> str:
    return "—" if v is None else f"{v:.1f}"


def _delta(now, before, unit: str, higher_good: bool) -> tuple[str | None, bool | None]:
    if now is None or before is None:
        return None, None
    d = now - before
    if abs(d) < 1e-9:
        return f"较上月持平 0{unit}", None
    return f"较上月 {abs(d):.1f}{unit}" if unit else f"较上月 {abs(int(d))}", (d > 0) == higher_good


def kpi_tiles(k: dict, rank: dict) -> list[str]:
    """HTML of the five cockpit tiles (completion, on-time, overdue, satisfaction, composite+rank)."""
    out = []
    for key, label, name in (("completion", "任务完成率", "completion"), ("on_time_rate", "按时办结率", "on_time")):
        now, before = k[key]
        d, good = _delta(now, before, "%", True)
        out.append(kpi_tile(label, f"{_pct(now)}%", d, good, KPI_DEFINITIONS[name]))
    now, before = k["overdue"]
    d, good = _delta(now, before, "", False)
    out.append(kpi_tile("逾期任务", f"{now:,}", d, good, KPI_DEFINITIONS["overdue"]))
    now, before = k["satisfaction"]
    d, good = _delta(now, before, "%", True)
    out.append(kpi_tile("群众满意度", f"{_pct(now)}%", d, good, KPI_DEFINITIONS["satisfaction"]))
    comp = rank.get("composite")
    place = (f"第{int(rank['rank_in_parent'])}/{rank['n_in_parent']}名 · {movement(_mv(rank))}"
             if rank.get("rank_in_parent") else "本级无同级比较")
    value = _pct(comp) if rank.get("rank_in_parent") else "—"  # a lone root has no peers to be scored against
    out.append(kpi_tile("综合得分", value, place, None, KPI_DEFINITIONS["composite"]))
    return out


def _mv(rank: dict):
    if rank.get("rank_prev") is None or rank.get("rank_in_parent") is None:
        return None
    return rank["rank_prev"] - rank["rank_in_parent"]


def matrix_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """四大模块 matrix: one row per child, '得分 · 第n ▲m' per module and the composite."""
    rows = {"代码": scores["code"], "名称": scores["name"]}
    for col in ("composite", *MODULE_KEYS):
        prefix = "" if col == "composite" else f"{col}_"
        rows[SCORE_LABELS[col]] = [
            "—" if pd.isna(s) else f"{s:.1f} · 第{int(r)} {movement(m)}"
            for s, r, m in zip(scores[col], scores[f"{prefix}rank_in_parent"], scores[f"{prefix}movement"], strict=True)]
    return pd.DataFrame(rows)


def best_worst_html(scores: pd.DataFrame, n: int = 3) -> str:
    """Per module: the best and worst `n` children with movement (HTML list)."""
    parts = []
    for col in ("composite", *MODULE_KEYS):
        prefix = "" if col == "composite" else f"{col}_"
        s = scores.dropna(subset=[col]).sort_values(f"{prefix}rank_in_parent")
        if s.empty:
            continue
        line = lambda r: f"{escape(r['name'])} {r[col]:.0f} {movement(r[f'{prefix}movement'])}"  # noqa: E731
        top = "、".join(line(r) for _, r in s.head(n).iterrows())
        low = "、".join(line(r) for _, r in s.tail(n).iloc[::-1].iterrows()) if len(s) > n else ""
        parts.append(f"<div class='mx'><span class='panel-title'>{SCORE_LABELS[col]}</span> "
                     f"<b>优</b> {top}" + (f"　<i>末</i> {low}" if low else "") + "</div>")
    return "".join(parts)


def trend_figure(df: pd.DataFrame, pal: Palette, big: bool) -> go.Figure:
    """12-month lines of completion, on-time and satisfaction (%)."""
    x = [f"{p // 100}-{p % 100:02d}" for p in df["period"]]
    fig = go.Figure()
    for col, name, color in (("completion", "任务完成率", pal.accent), ("on_time_rate", "按时办结率", pal.good),
                             ("satisfaction", "群众满意度", pal.warn)):
        fig.add_trace(go.Scatter(x=x, y=df[col], name=name, mode="lines+markers", line={"color": color, "width": 3}))
    fig.update_layout(height=320, yaxis_title="%", legend={"orientation": "h", "y": 1.15}, title="月度趋势")
    return apply(fig, pal, big)


def map_deck(shapes: list[dict], scores: pd.DataFrame, pal: Palette) -> pdk.Deck | None:
    """Children coloured by composite score (offline: no basemap)."""
    if not shapes:
        return None
    comp = dict(zip(scores["region_id"], scores["composite"], strict=True)) if not scores.empty else {}
    data = []
    for s in shapes:
        c = comp.get(s["region_id"])
        for ring in s["rings"]:
            data.append({"code": s["code"], "name": s["name"], "polygon": ring,
                         "score": "—" if c is None or pd.isna(c) else f"{c:.1f}",
                         "color": [*score_color(c, pal), 200]})
    lons = [p[0] for d in data for p in d["polygon"]]
    lats = [p[1] for d in data for p in d["polygon"]]
    span = max(max(lons) - min(lons), max(lats) - min(lats), 0.01)
    zoom = max(5.0, min(13.0, 8.7 - math.log2(span / 0.5)))
    layer = pdk.Layer("PolygonLayer", data, id="children", get_polygon="polygon", get_fill_color="color",
                      get_line_color=[255, 255, 255], line_width_min_pixels=1, pickable=True, auto_highlight=True)
    view = pdk.ViewState(longitude=(min(lons) + max(lons)) / 2, latitude=(min(lats) + max(lats)) / 2, zoom=zoom)
    return pdk.Deck(layers=[layer], initial_view_state=view, map_provider=None,
                    tooltip={"text": "{name}\n综合得分 {score}"})


def ticker_html(tasks: pd.DataFrame) -> str:
    """Marquee of the most overdue tasks (red)."""
    if tasks.empty:
        return "<div class='ticker'><div class='track'><span class='item good'>暂无逾期任务</span></div></div>"
    items = "".join(f"<span class='item overdue'>⏰ {escape(r.village)} · {escape(r.title)} · 逾期{r.days_overdue}天"
                    f" · 责任人 {escape(str(r.owner or '—'))} · 催办{r.urge_count}次</span>" for r in tasks.itertuples())
    return f"<div class='ticker' style='--ticker-duration:{20 + 6 * len(tasks)}s'><div class='track'>{items}</div></div>"


def ranking_frame(scores: pd.DataFrame, col: str, history: pd.DataFrame) -> pd.DataFrame:
    """The rankings table as shown and exported: rank, movement, name, score, modules, level rank, trend."""
    prefix = "" if col == "composite" else f"{col}_"
    df = scores.sort_values([f"{prefix}rank_in_parent", "code"], na_position="last")
    trend = (history.sort_values("period").groupby("region_id")[col].apply(lambda s: [round(v, 1) for v in s.fillna(0)])
             if not history.empty else pd.Series(dtype=object))
    out = pd.DataFrame({
        "排名": df[f"{prefix}rank_in_parent"].astype("Int64"), "变动": df[f"{prefix}movement"].map(movement),
        "代码": df["code"], "名称": df["name"], SCORE_LABELS[col]: df[col].round(1),
        "全级排名": df[f"{prefix}rank_in_level"].astype("Int64"),
        "数据不足指标数": df["too_few_count"].astype(int),
    })
    if col == "composite":
        for m in MODULE_KEYS:
            out.insert(out.columns.get_loc("全级排名"), MODULE_LABELS[m], df[m].round(1))
    out["近12月走势"] = df["region_id"].map(trend)
    return out.reset_index(drop=True)


def excel_bytes(df: pd.DataFrame, sheet: str = "排名") -> bytes:
    """The frame as an .xlsx file (openpyxl); list cells (trends) become comma-joined text."""
    flat = df.copy()
    for c in flat.columns:
        if flat[c].map(lambda v: isinstance(v, list)).any():
            flat[c] = flat[c].map(lambda v: ",".join(map(str, v)) if isinstance(v, list) else v)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        flat.to_excel(xw, sheet_name=sheet, index=False)
    return buf.getvalue()


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with BOM (Excel opens Chinese correctly)."""
    flat = df.copy()
    for c in flat.columns:
        if flat[c].map(lambda v: isinstance(v, list)).any():
            flat[c] = flat[c].map(lambda v: ",".join(map(str, v)) if isinstance(v, list) else v)
    return flat.to_csv(index=False).encode("utf-8-sig")


def explain_frame(why: pd.DataFrame, module: str) -> pd.DataFrame:
    """explain() rows with Chinese headers (module rows for the composite, indicator rows otherwise)."""
    if why.empty:
        return why
    if module == "composite":
        head = {"模块": why["module"].map(MODULE_LABELS)}
    else:
        head = {"指标": why["name"], "单位": why["unit"], "方向": why["higher_is_better"].map({True: "越高越好", False: "越低越好"}),
                "原始值": why["value"].round(2), "分子": why["numerator"].round(1), "分母": why["denominator"].round(1)}
    return pd.DataFrame({**head, "同级最小": why["peer_min"].round(2), "同级中位": why["peer_median"].round(2),
                         "同级最大": why["peer_max"].round(2), "得分": why["score"].round(1), "权重": why["weight"],
                         "实际权重占比": (why["weight_share"] * 100).round(1), "贡献分": why["contribution"].round(2),
                         "数据不足": why["too_few"].map({True: "⚠️ 不足", False: ""})})


def dictionary_frame(cat: pd.DataFrame, module: str = "all") -> pd.DataFrame:
    """The indicator catalog with Chinese headers, optionally one module."""
    c = cat if module == "all" else cat[cat["module"] == module]
    return pd.DataFrame({"模块": c["module"].map(MODULE_LABELS), "指标": c["name"], "英文名": c["name_en"],
                         "定义": c["definition"], "单位": c["unit"],
                         "方向": c["higher_is_better"].map({True: "越高越好", False: "越低越好"}),
                         "权重": c["weight"], "类型": c["is_rate"].map({True: "率（分子/分母）", False: "数量"}),
                         "按户折算": c["per"].map({"household": "每百户", "": ""}).fillna(""), "代码": c["code"]})
