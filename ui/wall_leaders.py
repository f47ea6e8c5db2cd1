"""领雁指数 on the wall: the top and bottom secretaries with movement, the index by child region, and one
secretary's six-dimension radar at a time, rotating. Reads the desk's cached ranking (ui.leader_data)."""

from __future__ import annotations

from html import escape

import pandas as pd

from core import wall_stats
from core.enums import child_level
from core.leader_index import DIMENSIONS
from core.scope import Scope
from ui import data
from ui import leader_data as ld
from ui import wall as w
from ui.i18n import movement, place_short, t, term
from ui.theme import Palette, palette
from ui.wall_svg import radar_svg

TOP = 8
RADARS = (6, 4)  # the best six and the worst four take turns on the radar
DIST_ROWS = 16


def _mv(value: object) -> str:
    text = movement(value)
    cls = "good" if text.startswith("▲") else ("bad" if text.startswith("▼") else "muted")
    return f"<span class='mv {cls}'>{escape(text)}</span>"


def _list(rows: pd.DataFrame, title: str, cls: str) -> str:
    head = [("r", t("col.rank")), ("", t("col.secretary")), ("", t("col.village_community")),
            ("n", t("col.leader_index")), ("n", t("col.change"))]
    body = [[("r", escape(w.count(r.rank))), ("", escape(str(r.name))), ("", escape(str(r.village_name))),
             (f"n {cls}", escape(w.count(r.index, 1))), ("n", _mv(r.movement))] for r in rows.itertuples()]
    return w.panel(title, w.table(head, body, ["13%", "24%", "33%", "16%", "14%"], cls="md"))


def _distribution(scope: Scope, region, table: pd.DataFrame, pal: Palette) -> str:
    dist = wall_stats.index_distribution(table, region.level)
    names = {k.id: place_short(k.name) for k in data.children(scope, region.id)} or {region.id: place_short(region.name)}
    lo = max(0.0, float(dist["q25"].min()) - 3) if not dist.empty else 0.0
    hi = min(100.0, float(dist["q75"].max()) + 3) if not dist.empty else 100.0
    span = max(hi - lo, 1.0)
    rows = []
    for r in dist.itertuples():
        left, width = (r.q25 - lo) / span * 100, max((r.q75 - r.q25) / span * 100, 0.8)
        tick = (r.median - lo) / span * 100
        rows.append(f"<div class='bar-row'><span class='nm'>{escape(names.get(int(r.child_id), str(r.child_id)))}</span>"
                    f"<div class='bar-track' style='position:relative;display:block'>"
                    f"<i style='position:absolute;left:{left:.1f}%;width:{width:.1f}%;background:{pal.accent}99'></i>"
                    f"<i style='position:absolute;left:{tick:.1f}%;width:3px;background:{pal.text}'></i></div>"
                    f"<span class='val'>{escape(w.count(r.mean, 1))}</span></div>")
    body = w.rotate([f"<div class='bars'>{p}</div>" for p in w.pages(rows, DIST_ROWS)]) if rows else \
        f"<div class='empty'>{escape(t('wall.none'))}</div>"
    key = w.legend([(t("wall.leaders.iqr"), f"{pal.accent}99"), (t("wall.leaders.median"), pal.text)])
    sub = child_level(region.level)
    title = t("wall.leaders.by_child", level=term("level", sub) if sub else term("level", region.level))
    return w.panel(title, f"<div style='height:calc(100% - 2rem)'>{body}</div>{key}",
                   note=t("wall.leaders.mean_note"))


def _radars(table: pd.DataFrame, pal: Palette) -> str:
    best, worst = RADARS
    chosen = pd.concat([table.head(best), table.tail(worst)]).drop_duplicates("person_id")
    median = [float(table[d].median()) for d in DIMENSIONS]
    labels = [term("dimension", d) for d in DIMENSIONS]
    parts = []
    for r in chosen.itertuples():
        values = [getattr(r, d) for d in DIMENSIONS]
        who = (f"<div class='line1' style='border:none'><b class='acc'>#{w.count(r.rank)}</b> <b>{escape(str(r.name))}</b>"
               f" · {escape(str(r.village_name))} · {escape(t('leaders.index'))} <b class='acc'>{w.count(r.index, 1)}</b>"
               f" {_mv(r.movement)}</div>")
        svg = radar_svg(labels, [None if pd.isna(v) else float(v) for v in values], median, pal,
                        own_label=str(r.name), ref_label=t("wall.leaders.median_all"))
        parts.append(f"{who}<div style='height:calc(100% - 2.6rem)'>{svg}</div>")
    return w.panel(t("wall.leaders.radar"), w.rotate(parts), grow=1)


def render(ctx, period: int, version: int) -> None:
    """The leaders wall of the region in view for `period`."""
    region, pal = ctx.region, palette(True)
    table = ld.wall_table(Scope(region.id, region.level), period, version)
    if table.empty:
        w.show(f"<div class='wall'><div class='empty'>{escape(t('leaders.none', region=region.name))}</div></div>",
               "wall-leaders", pal)
        return
    ranked = table.dropna(subset=["index"])
    bottom = ranked.tail(TOP).iloc[::-1]
    left = (_list(ranked.head(TOP), t("wall.leaders.top", n=TOP), "good")
            + _list(bottom, t("wall.leaders.bottom", n=TOP), "bad"))
    html = w.board("1.15fr 0.95fr 1fr", [left, _distribution(ctx.scope, region, ranked, pal), _radars(ranked, pal)])
    w.show(html, "wall-leaders", pal)
