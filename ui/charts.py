"""Small rendering helpers for the cockpit and rankings: tiles, matrix, ticker, export (the cockpit's SVG: ui.svg)."""

from __future__ import annotations

from html import escape

import pandas as pd

from core import export
from ui.i18n import headers, matter, movement, num, person, place, t, term
from ui.theme import MODULE_KEYS, Palette, score_color_hex
from ui.widgets import kpi_tile

SCORE_KEYS = ("composite", *MODULE_KEYS)


def score_label(key: str) -> str:
    """综合得分 or a module's name in the viewer's language."""
    return t("kpi.composite") if key == "composite" else term("module", key)


def tile_css(pal: Palette, big: bool) -> str:
    """Sizes for ui.widgets.kpi_tile's class names (kpi-label/-value/-delta), from the theme palette."""
    value = "3.4rem" if big else "2.3rem"
    return (f"<style>.kpi .kpi-label{{color:{pal.muted};font-size:{'1.25rem' if big else '0.95rem'}}}"
            f".kpi .kpi-value{{color:{pal.text};font-size:{value};font-weight:700;"
            "font-variant-numeric:tabular-nums;white-space:nowrap}"
            f".kpi .kpi-delta{{color:{pal.muted};font-size:{'1.2rem' if big else '0.9rem'}}}"
            f".kpi .kpi-delta.up{{color:{pal.good}}}.kpi .kpi-delta.down{{color:{pal.bad}}}"
            ".kpi .kpi-delta.up::before{content:'▲ '}.kpi .kpi-delta.down::before{content:'▼ '}"
            f".mx b{{color:{pal.good}}} .mx i{{color:{pal.bad};font-style:normal}}"
            ".kpi-row{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:1rem}</style>")


def _pct(v) -> str:
    return num(v, 1)


def _delta(now, before, unit: str, higher_good: bool) -> tuple[str | None, bool | None]:
    if now is None or before is None:
        return None, None
    d = now - before
    if abs(d) < 1e-9:
        return t("kpi.delta_flat", unit=unit), None
    return t("kpi.delta", delta=num(abs(d), 1) if unit else num(abs(int(d))), unit=unit), (d > 0) == higher_good


def _tile(name: str, value: str, delta: str | None, good: bool | None) -> str:
    return kpi_tile(t(f"kpi.{name}"), value, delta, good, t(f"kpi.{name}.definition"))


def kpi_row_html(k: dict, rank: dict) -> str:
    """The five tiles in one grid row (one element for the browser to draw, not five columns)."""
    return f"<div class='kpi-row'>{''.join(kpi_tiles(k, rank))}</div>"


def kpi_tiles(k: dict, rank: dict) -> list[str]:
    """HTML of the five cockpit tiles (completion, on-time, overdue, satisfaction, composite+rank)."""
    out = []
    for key, name, unit, higher in (("completion", "completion", "%", True), ("on_time_rate", "on_time", "%", True),
                                    ("overdue", "overdue", "", False), ("satisfaction", "satisfaction", "%", True)):
        now, before = k[key]
        value = num(now) if key == "overdue" else f"{_pct(now)}%"
        out.append(_tile(name, value, *_delta(now, before, unit, higher)))
    comp = rank.get("composite")
    place = (t("kpi.rank_place", rank=int(rank["rank_in_parent"]), n=rank["n_in_parent"], move=movement(_mv(rank)))
             if rank.get("rank_in_parent") else t("kpi.no_peers"))
    value = _pct(comp) if rank.get("rank_in_parent") else "—"  # a lone root has no peers to be scored against
    out.append(_tile("composite", value, place, None))
    return out


def _mv(rank: dict):
    if rank.get("rank_prev") is None or rank.get("rank_in_parent") is None:
        return None
    return rank["rank_prev"] - rank["rank_in_parent"]


def _bw_line(r, col: str, prefix: str, big: bool) -> str:
    mv = movement(r[f"{prefix}movement"])
    mv = "" if big and mv == "—" else f" <small>{mv}</small>" if big else f" {mv}"
    return f"{escape(r['name'])} {r[col]:.0f}{mv}"


def best_worst_html(scores: pd.DataFrame, n: int = 3, big: bool = False) -> str:
    """Per module: the best and worst `n` children with movement (HTML; one line per module, or a card
    per module with 优/末 on their own lines for the big screen)."""
    parts, sep = [], t("common.list_sep")
    for col in SCORE_KEYS:
        prefix = "" if col == "composite" else f"{col}_"
        s = scores.dropna(subset=[col]).sort_values(f"{prefix}rank_in_parent")
        if s.empty:
            continue
        top = sep.join(_bw_line(r, col, prefix, big) for _, r in s.head(n).iterrows())
        low = sep.join(_bw_line(r, col, prefix, big) for _, r in s.tail(n).iloc[::-1].iterrows()) if len(s) > n else ""
        name = f"<span class='panel-title'>{escape(score_label(col))}</span>"
        if big:
            parts.append(f"<div class='mxb'>{name}<div><b>{t('cockpit.best')}</b> {top}</div>"
                         + (f"<div><i>{t('cockpit.worst')}</i> {low}</div>" if low else "") + "</div>")
        else:
            parts.append(f"<div class='mx'>{name} <b>{t('cockpit.best')}</b> {top}"
                         + (f"　<i>{t('cockpit.worst')}</i> {low}" if low else "") + "</div>")
    return "".join(parts)


def _cell(score, move, pal: Palette) -> str:
    if score is None or pd.isna(score):
        return "<td class='num'>—</td>"
    mv = movement(move)
    cls = "up" if mv.startswith("▲") else ("down" if mv.startswith("▼") else "")
    arrow = f"<span class='mv {cls}'>{mv}</span>" if cls else ""
    return f"<td class='num'><span style='color:{score_color_hex(score, pal)}'>{num(score, 1)}</span>{arrow}</td>"


def ranked(scores: pd.DataFrame) -> pd.DataFrame:
    """Children by composite rank in the parent, best first (unranked last)."""
    return scores.sort_values(["rank_in_parent", "code"], na_position="last")


def matrix_html(scores: pd.DataFrame, pal: Palette, max_rows: int, more_key: str = "cockpit.more_rows") -> str:
    """四大模块 matrix for the big screen: a dark HTML table, best composite first, at most `max_rows`
    rows and a '+k more' line (`more_key`); scores coloured on the palette's scale, ▲/▼ movement beside them."""
    df = ranked(scores)
    head = "".join(f"<th class='num'>{escape(score_label(c))}</th>" for c in SCORE_KEYS)
    rows = []
    for _, r in df.head(max_rows).iterrows():
        rank = "—" if pd.isna(r["rank_in_parent"]) else int(r["rank_in_parent"])
        cells = "".join(_cell(r[c], r["movement" if c == "composite" else f"{c}_movement"], pal) for c in SCORE_KEYS)
        rows.append(f"<tr><td class='rk'>{rank}</td><td class='nm'>{escape(str(r['name']))}</td>{cells}</tr>")
    more = len(df) - max_rows
    foot = f"<div class='mxt-more'>{escape(t(more_key, k=more))}</div>" if more > 0 else ""
    cols = "<colgroup><col style='width:8%'><col style='width:27%'>" + "<col style='width:13%'>" * len(SCORE_KEYS) + "</colgroup>"
    return (f"<table class='mxt' style='table-layout:fixed'>{cols}<thead><tr><th class='rk'>{escape(t('col.rank'))}</th>"
            f"<th class='nm'>{escape(t('col.name'))}</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{foot}")


def desk_matrix_html(scores: pd.DataFrame, pal: Palette) -> str:
    """四大模块 matrix for a desk: every child, best composite first; a row carries its code (click to drill)
    and each module cell its score, its place among the siblings and ▲/▼ movement."""
    df = ranked(scores)
    head = "".join(f"<th class='num'>{escape(score_label(c))}</th>" for c in SCORE_KEYS)
    rows = []
    for _, r in df.iterrows():
        rank = "—" if pd.isna(r["rank_in_parent"]) else int(r["rank_in_parent"])
        cells = []
        for c in SCORE_KEYS:
            prefix = "" if c == "composite" else f"{c}_"
            cell = _cell(r[c], r[f"{prefix}movement"], pal)
            place = r[f"{prefix}rank_in_parent"]
            if not pd.isna(place) and c != "composite":
                cell = cell.replace("</td>", f"<small>{escape(t('common.rank_place', rank=int(place)))}</small></td>")
            cells.append(cell)
        rows.append(f"<tr data-code='{escape(str(r['code']))}' title='{escape(str(r['code']))}'><td class='rk'>{rank}</td>"
                    f"<td class='nm'>{escape(str(r['name']))}</td>{''.join(cells)}</tr>")
    return (f"<div class='mxd-box'><table class='mxd'><thead><tr><th class='rk'>{escape(t('col.rank'))}</th>"
            f"<th class='nm'>{escape(t('col.name'))}</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def ticker_html(tasks: pd.DataFrame) -> str:
    """Marquee of the most overdue tasks (red)."""
    if tasks.empty:
        return f"<div class='ticker'><div class='track'><span class='item good'>{t('cockpit.no_overdue')}</span></div></div>"
    items = "".join("<span class='item overdue'>" + escape(t(
        "cockpit.ticker_item", village=place(r.village), title=matter(r.matter_code, r.title), days=r.days_overdue,
        owner=person(r.owner) or "—",
        urges=r.urge_count)) + "</span>" for r in tasks.itertuples())
    return f"<div class='ticker' style='--ticker-duration:{20 + 6 * len(tasks)}s'><div class='track'>{items}</div></div>"


def ranking_frame(scores: pd.DataFrame, col: str, history: pd.DataFrame) -> pd.DataFrame:
    """The rankings table as shown and exported: rank, movement, name, score, modules, level rank, trend."""
    prefix = "" if col == "composite" else f"{col}_"
    df = scores.sort_values([f"{prefix}rank_in_parent", "code"], na_position="last")
    trend = (history.sort_values("period").groupby("region_id")[col].apply(lambda s: [round(v, 1) for v in s.fillna(0)])
             if not history.empty else pd.Series(dtype=object))
    out = pd.DataFrame({
        t("col.rank"): df[f"{prefix}rank_in_parent"].astype("Int64"), t("col.movement"): df[f"{prefix}movement"].map(movement),
        t("col.code"): df["code"], t("col.name"): df["name"], score_label(col): df[col].round(1),
        t("col.level_rank"): df[f"{prefix}rank_in_level"].astype("Int64"),
        t("col.too_few"): df["too_few_count"].astype(int),
    })
    if col == "composite":
        for m in MODULE_KEYS:
            out.insert(out.columns.get_loc(t("col.level_rank")), score_label(m), df[m].round(1))
    out[t("col.trend12")] = df["region_id"].map(trend)
    return out.reset_index(drop=True)


def excel_bytes(df: pd.DataFrame, sheet: str | None = None) -> bytes:
    """The frame as an .xlsx file through core.export (list cells such as trends become comma-joined text)."""
    return export.workbook_bytes({sheet or t("rankings.sheet"): df}, freeze_header=False)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with BOM through core.export (cells neutralised, lists comma-joined)."""
    return export.csv_bytes(df)


def _direction(higher_is_better: object) -> str:
    return t("direction.true" if bool(higher_is_better) else "direction.false")


def explain_frame(why: pd.DataFrame, module: str) -> pd.DataFrame:
    """explain() rows with headers in the viewer's language (module rows for the composite, indicator rows otherwise)."""
    if why.empty:
        return why
    if module == "composite":
        head = {"module": why["module"].map(lambda m: term("module", m))}
    else:
        head = {"indicator": why["indicator_code"].map(lambda c: t(f"indicator.{c}.name")),
                "unit": why["unit"].map(lambda u: term("unit", u)),
                "direction": why["higher_is_better"].map(_direction),
                "raw": why["value"].round(2), "numerator": why["numerator"].round(1), "denominator": why["denominator"].round(1)}
    if module != "composite":
        head["method"] = why["method"].map(lambda m: t(f"rankings.method.{m}"))
        head["bounds"] = [bounds_text(m, lo, hi) for m, lo, hi in zip(why["method"], why["bound_low"], why["bound_high"],
                                                                      strict=True)]
    frame = pd.DataFrame({**head, "peer_min": why["peer_min"].round(2), "peer_median": why["peer_median"].round(2),
                          "peer_max": why["peer_max"].round(2), "score": why["score"].round(1), "weight": why["weight"],
                          "weight_share": (why["weight_share"] * 100).round(1), "contribution": why["contribution"].round(2),
                          "insufficient": why["too_few"].map({True: t("rankings.too_few"), False: ""})})
    return headers(frame, {c: f"col.{c}" for c in frame.columns})


def bounds_text(method: str, low: object, high: object) -> str:
    """'P5 a ～ P95 b' (among peers) or '及格 a / 目标 b' (against a target); '' when the bounds are unknown."""
    lo, hi = pd.to_numeric(pd.Series([low, high]), errors="coerce")
    if pd.isna(lo) or pd.isna(hi):
        return ""
    return t(f"rankings.bounds.{method}", low=f"{lo:.4g}", high=f"{hi:.4g}")


def dictionary_frame(cat: pd.DataFrame, module: str = "all") -> pd.DataFrame:
    """The indicator catalog with headers in the viewer's language, optionally one module."""
    c = cat if module == "all" else cat[cat["module"] == module]
    frame = pd.DataFrame({"module": c["module"].map(lambda m: term("module", m)),
                          "indicator": c["code"].map(lambda k: t(f"indicator.{k}.name")), "name_en": c["name_en"],
                          "definition": c["code"].map(lambda k: t(f"indicator.{k}.definition")),
                          "unit": c["unit"].map(lambda u: term("unit", u)),
                          "direction": c["higher_is_better"].map(_direction),
                          "weight": c["weight"], "rate_kind": c["is_rate"].map({True: t("dictionary.rate"), False: t("dictionary.count")}),
                          "per_household": c["per"].map({"household": t("dictionary.per_100hh"), "": ""}).fillna(""),
                          "method": c["method"].map(lambda m: t(f"rankings.method.{m}")),
                          "bounds": [bounds_text("target", lo, hi) if m == "target" else t("dictionary.peer_bounds")
                                     for m, lo, hi in zip(c["method"], c["passing"], c["target"], strict=True)],
                          "code": c["code"]})
    return headers(frame, {col: f"col.{col}" for col in frame.columns})
