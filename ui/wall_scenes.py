"""特色场景 on the wall: 揭榜挂帅 — the projects by stage as big numbers, the stage funnel, and the projects being
delivered rotating with their next milestone (overdue in the overdue colour); 道德银行 — the households by 道德码 and
the villages rotating by participation and average points."""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd

from core import bidding
from ui import bidding_view as bv
from ui import moral_view as mv
from ui import wall as w
from ui.i18n import day, lang, place, t, term
from ui.theme import Palette, palette


def _numbers(n: dict[str, int]) -> str:
    return w.number_row([
        *(w.big_number(term("bid_stage", s), w.count(n[s]), cls="acc") for s in bidding.STAGES),
        w.big_number(t("bid.overdue"), w.count(n["overdue"]), cls="bad" if n["overdue"] else "acc"),
    ])


def _funnel(n: dict[str, int], pal: Palette) -> str:
    colours = [pal.accent, pal.warn, pal.accent, pal.good]
    reached = [sum(n[s] for s in bidding.STAGES[i:]) for i in range(len(bidding.STAGES))]
    rows = w.bar_rows([(term("bid_stage", s), [(r, c)], w.count(n[s]))
                       for s, r, c in zip(bidding.STAGES, reached, colours, strict=True)], max(reached) or 1)
    label = "8em" if lang() == "en" else "5em"  # 竞榜中 · Awaiting award
    return w.panel(t("bid.wall_title"), f"<div class='bars' style='--bar-label:{label};--bar-value:4em;gap:0.6rem'>"
                   f"{''.join(rows)}</div>", fixed=True)


def _delivering(df: pd.DataFrame, per_page: int) -> str:
    live = df[df.stage == "delivering"].sort_values("next_due", na_position="last")
    cls = {"overdue": "bad", "due_soon": "warn"}
    # no 榜单编号 on the wall: the title names the project, and the next milestone's day must not be cut short
    rows = [[("", escape(r.title)), ("", escape(bv.village_label(r.village))),
             ("num", f"{r.milestones_done}/{r.milestones}"),
             (cls.get(r.urgency, ""), escape(day(r.next_due)) if isinstance(r.next_due, date) else "—")]
            for r in live.itertuples()]
    head = [("", t("bid.col.title")), ("", t("bid.col.village")), ("num", t("bid.col.progress")),
            ("", t("bid.col.next_due"))]
    return w.panel(term("bid_stage", "delivering"), w.rotating_table(head, rows, ["36%", "22%", "12%", "30%"], per_page))


def _moral_codes(codes: dict[str, float], pal: Palette) -> str:
    colours = {"green": pal.good, "yellow": pal.warn, "red": pal.bad}
    top = max([codes[c] for c in colours] + [1])
    rows = w.bar_rows([(term("moral_code", c), [(codes[c], colour)], w.count(codes[c])) for c, colour in colours.items()],
                      top)
    label = "4em"  # 绿码 · Yellow
    return w.panel(t("moral.wall.heading"), f"<div class='bars' style='--bar-label:{label};--bar-value:5em;gap:0.6rem'>"
                   f"{''.join(rows)}</div>", note=f"{t('moral.m.credit')} {w.count(codes['credit'] / 10_000)}", fixed=True)


def _moral_villages(df: pd.DataFrame, per_page: int) -> str:
    rows = [[("num", str(r.rank)), ("", escape(place(r.region))), ("num", w.count(r.participation, 1)),
             ("num", w.count(r.avg_points, 1))] for r in df.itertuples()]
    head = [("num", t("moral.col.rank")), ("", t("moral.col.region")), ("num", t("moral.col.participation")),
            ("num", t("moral.col.avg_points"))]
    return w.panel(t("moral.ranking_villages"), w.rotating_table(head, rows, ["14%", "42%", "22%", "22%"], per_page))


def render(ctx, as_of: date, version: int) -> None:
    """The 揭榜挂帅 wall of the region in view as of `as_of`."""
    region, pal = ctx.region, palette(True)
    here = ctx.scope.narrow(region.id, region.level)
    df = bv.board(here, as_of, version)
    n = bv.counts(df)
    villages, _, codes = mv.rankings(here, as_of, version)
    html = w.board("1fr 2fr 1.4fr", [_funnel(n, pal) + _moral_codes(codes, pal), _delivering(df, 10),
                                     _moral_villages(villages, 10)], top=_numbers(n))
    w.show(html, "wall-scenes", pal)
