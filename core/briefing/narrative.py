"""The report's written paragraphs: catalog templates chosen by condition (rise, fall, stable, below a
threshold, nothing to report) and filled with the same formatted numbers the tables show.

Each function returns Sentences; the template key says which condition held (tests read it).
"""

from __future__ import annotations

import pandas as pd

from core.briefing import blocks as b
from core.briefing.data import BriefingData
from core.config import BriefingConfig
from core.i18n import format_date, term, translate

_KPI_KEY = {"completion": "kpi.completion", "on_time_rate": "kpi.on_time", "satisfaction": "kpi.satisfaction"}


def _s(key: str, lang: str, **params: object) -> b.Sentence:
    return b.Sentence(translate(key, lang, **params), key)


def _direction(now, before, stable: float) -> str:
    d = float(now) - float(before)
    return "stable" if abs(d) < stable else ("rise" if d > 0 else "fall")


def parent_name(d: BriefingData, lang: str) -> str:
    """The parent region's name (or the level's word when the region is the top one)."""
    return d.parent.name if d.parent else term("level", d.region.level, lang)


def headline(d: BriefingData, lang: str, cfg: BriefingConfig) -> list[b.Sentence]:
    """Composite and rank against the previous period, then one sentence per headline rate."""
    r, period = d.rank, d.period.label(lang)
    common = {"period": period, "region": d.region.name}
    if b.missing(r.get("composite")):
        out = [_s("briefing.n.headline.none", lang, **common)]
    elif b.missing(r.get("rank_in_parent")) or not r.get("n_in_parent"):
        out = [_s("briefing.n.headline.alone", lang, score=b.score(r["composite"]), **common)]
    else:
        move = 0 if b.missing(r.get("rank_prev")) else int(r["rank_prev"]) - int(r["rank_in_parent"])
        cond = "stable" if move == 0 else ("rise" if move > 0 else "fall")
        out = [_s(f"briefing.n.headline.{cond}", lang, score=b.score(r["composite"]), d=abs(move),
                  rank=int(r["rank_in_parent"]), n=int(r["n_in_parent"]), parent=parent_name(d, lang), **common)]
    floors = {"completion": cfg.completion_floor, "on_time_rate": cfg.on_time_floor, "satisfaction": cfg.satisfaction_floor}
    for name, key in _KPI_KEY.items():
        now, before = d.kpis.get(name, (None, None))
        if b.missing(now):
            continue
        kpi, value = translate(key, lang), b.pct(now)
        if now < floors[name]:
            out.append(_s("briefing.n.rate.below", lang, kpi=kpi, value=value, floor=b.pct(floors[name])))
        elif b.missing(before):
            out.append(_s("briefing.n.rate.first", lang, kpi=kpi, value=value))
        else:
            cond = _direction(now, before, cfg.stable_points)
            out.append(_s(f"briefing.n.rate.{cond}", lang, kpi=kpi, value=value, d=b.magnitude(now, before)))
    return out


def ranking(d: BriefingData, lang: str, cfg: BriefingConfig, modules: tuple[str, ...]) -> list[b.Sentence]:
    """Best and last child per module (a weak last named as such), then the biggest movers up and down."""
    kids = d.children
    if kids.empty:
        return []
    out = []
    for m in modules:
        ranked = kids.dropna(subset=[m]).sort_values([f"{m}_rank_in_parent", "code"])
        if ranked.empty:
            continue
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        key = "briefing.n.module.weak" if worst[m] < cfg.module_floor else "briefing.n.module"
        out.append(_s(key, lang, module=term("module", m, lang), best=best["name"], best_score=b.score(best[m]),
                      worst=worst["name"], worst_score=b.score(worst[m])))
    return out + movers(kids, lang, cfg.movers, d.region.level)


def movers(kids: pd.DataFrame, lang: str, n: int, level: str) -> list[b.Sentence]:
    """Who rose and who fell most in composite rank (ties named together)."""
    moved = kids.dropna(subset=["movement"])
    up, down = moved[moved["movement"] > 0], moved[moved["movement"] < 0]
    out = []
    if not up.empty:
        top = up["movement"].max()
        names = up[up["movement"] == top]["name"].tolist()[:n]
        out.append(_s("briefing.n.movers.up", lang, names=_names(names, lang), d=int(top)))
    if not down.empty:
        low = down["movement"].min()
        names = down[down["movement"] == low]["name"].tolist()[:n]
        out.append(_s("briefing.n.movers.down", lang, names=_names(names, lang), d=int(-low)))
    if not out and not moved.empty:
        out.append(_s("briefing.n.movers.none", lang, level=term("level", _child(level), lang)))
    return out


def _child(level: str) -> str:
    from core.enums import child_level

    return child_level(level) or level


def _names(names: list[str], lang: str) -> str:
    return (", " if lang == "en" else "、").join(names)


def tasks(d: BriefingData, lang: str) -> list[b.Sentence]:
    """Overdue at the end of the period against a period earlier, and how many were escalated."""
    now, before = d.kpis.get("overdue", (None, None))
    if b.missing(now) or int(now) == 0:
        return [_s("briefing.n.overdue.none", lang)]
    if b.missing(before) or int(now) == int(before):
        out = [_s("briefing.n.overdue.stable", lang, n=b.count(now))]
    else:
        cond = "rise" if now > before else "fall"
        out = [_s(f"briefing.n.overdue.{cond}", lang, n=b.count(now), d=b.count(abs(int(now) - int(before))))]
    town, county = d.alert_counts.get("town", 0), d.alert_counts.get("county", 0)
    if town or county:
        out.append(_s("briefing.n.escalated", lang, town=b.count(town), county=b.count(county)))
    else:
        out.append(_s("briefing.n.escalated.none", lang))
    return out


def warnings(d: BriefingData, lang: str, by_kind: dict[str, int]) -> list[b.Sentence]:
    """How many warnings the period raised and the commonest kind."""
    if not d.warnings:
        return [_s("briefing.n.warnings.none", lang)]
    top = max(by_kind.values())
    leaders = [k for k, n in by_kind.items() if n == top]
    if len(leaders) > 1:  # a tie: no kind is "the most"
        kinds = _names([term("warning_kind", k, lang) for k in by_kind][:3], lang)
        return [_s("briefing.n.warnings.spread", lang, n=b.count(len(d.warnings)), kinds=kinds)]
    kind = leaders[0]
    return [_s("briefing.n.warnings", lang, n=b.count(len(d.warnings)), kind=term("warning_kind", kind, lang),
               k=b.count(by_kind[kind]))]


def leaders(d: BriefingData, lang: str) -> list[b.Sentence]:
    """The 领雁指数's first and last secretary."""
    ranked = d.leaders.dropna(subset=["index"]) if not d.leaders.empty else d.leaders
    if ranked.empty:
        return [_s("briefing.n.leaders.none", lang)]
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    if len(ranked) == 1:
        return [_s("briefing.n.leaders.one", lang, village=top["village_name"], name=top["name"], top=b.index2(top["index"]))]
    return [_s("briefing.n.leaders", lang, village=top["village_name"], name=top["name"], top=b.index2(top["index"]),
               village2=bottom["village_name"], name2=bottom["name"], bottom=b.index2(bottom["index"]))]


def appeals(d: BriefingData, lang: str) -> list[b.Sentence]:
    """Volume, closed, on time and satisfaction; the biggest category; the grid and county shares of closing."""
    s = d.appeal_summary
    if not s.get("volume"):
        return [_s("briefing.n.appeals.none", lang)]
    out = [_s("briefing.n.appeals", lang, n=b.count(s["volume"]), closed=b.count(s["closed"]),
              on_time=b.pct(s["on_time_rate"]), sat=b.pct(s["satisfaction"]))]
    top = d.appeal_categories.iloc[0]
    out.append(_s("briefing.n.appeals.top", lang, category=term("appeal_category", top["category"], lang),
                  k=b.count(top["volume"]), share=b.share(top["volume"], s["volume"])))
    if s["closed"]:
        out.append(_s("briefing.n.appeals.levels", lang, grid=b.share(s["closed_grid"], s["closed"]),
                      county=b.share(s["closed_county"], s["closed"])))
    return out


def screening(d: BriefingData, lang: str) -> list[b.Sentence]:
    """Dispatches refused by 过筛 and their share of attempts; urgent-path tasks."""
    rep = d.screening
    if rep is None or not rep.screened:
        return [_s("briefing.n.screening.none", lang)]
    return [_s("briefing.n.screening", lang, n=b.count(rep.screened), share=b.share(rep.screened, rep.screened + rep.dispatched),
               e=b.count(rep.emergency))]


def no_data(d: BriefingData, lang: str) -> list[b.Sentence]:
    """The one sentence of a report whose period has no data."""
    return [_s("briefing.n.no_data", lang, period=d.period.label(lang), region=d.region.name,
               as_of=format_date(d.as_of, lang))]
