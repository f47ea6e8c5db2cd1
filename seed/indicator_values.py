"""Monthly indicator values per village, computed from the generated records where they exist.

Rates from tasks, appeals, diary visits, decisions and evaluations are counted from those rows
(an on-time rate is on-time tasks over tasks due, not a random draw); the rest are drawn around
the village's latent strength, so strong villages stay strong across modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.indicators import CATALOG
from core.models import IndicatorValue
from seed.context import SeedContext, VillageUnit, periods

MODULE_TASK_CODE = {"party_building": "pb_task_on_time", "economy": "ec_task_on_time",
                    "safety": "sa_task_on_time", "public_service": "ps_task_on_time"}


def _month(col: pd.Series) -> pd.Series:
    return pd.to_datetime(col).dt.year * 100 + pd.to_datetime(col).dt.month


def task_counts(rows: list[dict], as_of) -> pd.DataFrame:
    """(village, period, code) → numerator, denominator for the task-based rates."""
    df = pd.DataFrame(rows, columns=["village_id", "module", "category", "deadline", "done_at", "status"])
    df = df[pd.to_datetime(df["deadline"]) <= pd.Timestamp(as_of)]
    done_at = pd.to_datetime(df["done_at"])
    df = df.assign(period=_month(df["deadline"]),
                   on_time=(done_at.notna() & (done_at.dt.normalize() <= pd.to_datetime(df["deadline"]))).astype(int),
                   done=done_at.notna().astype(int))
    parts = [df.assign(code=df["module"].map(MODULE_TASK_CODE)).groupby(["village_id", "period", "code"])
             .agg(num=("on_time", "sum"), den=("on_time", "size"))]
    pledge = df[df["category"] == "pledge"].assign(code="ec_pledge_done")
    parts.append(pledge.groupby(["village_id", "period", "code"]).agg(num=("on_time", "sum"), den=("on_time", "size")))
    rep = df[df["category"] == "village_report"].assign(code="ps_village_reports_done")
    parts.append(rep.groupby(["village_id", "period", "code"]).agg(num=("done", "sum"), den=("done", "size")))
    return pd.concat(parts).reset_index()


def appeal_counts(rows: list[dict]) -> pd.DataFrame:
    """(village, period, code) → numerator, denominator (or count) for the appeal-based indicators."""
    df = pd.DataFrame(rows, columns=["village_id", "category", "channel", "reported_at", "due_at",
                                     "first_response_at", "closed_at", "rating"])
    rep, closed = pd.to_datetime(df["reported_at"]), pd.to_datetime(df["closed_at"])
    first = pd.to_datetime(df["first_response_at"])
    df = df.assign(period=rep.dt.year * 100 + rep.dt.month, closed=closed.notna().astype(int),
                   on_time=(closed.notna() & (closed <= pd.to_datetime(df["due_at"]))).astype(int),
                   good=(df["rating"] == "good").astype(int), rated=df["rating"].notna().astype(int),
                   resp=((first - rep).dt.total_seconds() / 3600).fillna(0.0), responded=first.notna().astype(int),
                   petition=(df["channel"] == "浙里访").astype(int))
    g = df.groupby(["village_id", "period"])
    out = [
        g.agg(num=("closed", "sum"), den=("closed", "size")).assign(code="ps_appeal_closed"),
        g.agg(num=("good", "sum"), den=("rated", "sum")).assign(code="ps_satisfaction"),
        g.agg(num=("resp", "sum"), den=("responded", "sum")).assign(code="ps_response_hours"),
        g.agg(num=("on_time", "sum"), den=("closed", "sum")).assign(code="sa_grid_on_time"),
        g.agg(num=("petition", "sum"), den=("petition", "size")).assign(code="sa_petitions"),
    ]
    for cat, code in (("矛盾纠纷", "sa_dispute_resolved"), ("安全隐患", "sa_hazard_fixed")):
        sub = df[df["category"] == cat].groupby(["village_id", "period"])
        out.append(sub.agg(num=("closed", "sum"), den=("closed", "size")).assign(code=code))
    return pd.concat(out).reset_index()


def civic_counts(diary: list[dict], decisions: list[dict], steps: list[dict], evaluations: list[dict],
                 cadres_per_village: int) -> pd.DataFrame:
    """(village, period, code) → numerator, denominator for diary, 五议两公开 and warnings."""
    parts = []
    d = pd.DataFrame(diary, columns=["village_id", "visited_on"])
    if len(d):
        d["period"] = _month(d["visited_on"])
        g = d.groupby(["village_id", "period"]).size().rename("num").reset_index()
        days = pd.to_datetime(g["period"].astype(str) + "01", format="%Y%m%d").dt.days_in_month
        parts.append(g.assign(den=(days / 7 * cadres_per_village).round(2), code="pb_diary"))
    dec = pd.DataFrame(decisions, columns=["id", "village_id", "closed_on"]).dropna(subset=["closed_on"])
    if len(dec):
        st = pd.DataFrame(steps, columns=["decision_id", "step", "seq"]).sort_values(["decision_id", "seq"])
        ok = st.groupby("decision_id")["step"].agg(lambda s: list(s) == list(range(1, 8)))
        dec = dec.assign(period=_month(dec["closed_on"]), ok=dec["id"].map(ok).fillna(False).astype(int))
        g = dec.groupby(["village_id", "period"]).agg(num=("ok", "sum"), den=("ok", "size")).reset_index()
        parts.append(g.assign(code="pb_five_two"))
    ev = pd.DataFrame(evaluations, columns=["village_id", "period", "kind"])
    ev = ev[ev["kind"] == "warning"]
    if len(ev):
        g = ev.groupby(["village_id", "period"]).size().rename("num").reset_index()
        parts.append(g.assign(den=0.0, code="pb_warnings"))
    return pd.concat(parts) if parts else pd.DataFrame(columns=["village_id", "period", "code", "num", "den"])


def write_indicator_values(ctx: SeedContext, villages: list[VillageUnit], county_id: int,
                           counted: pd.DataFrame) -> None:
    """All 40 indicators for every village and month of one county."""
    rng = ctx.rng(county_id // 1_000_000, 61)
    months = periods(ctx.start, ctx.as_of)
    lookup = {(int(r.village_id), int(r.period), r.code): (float(r.num), float(r.den)) for r in counted.itertuples()}
    rows = []
    for v in villages:
        members = max(15, int(v.population * 0.07))
        for t, p in enumerate(months):
            for ind in CATALOG:
                num, den = _value(ind, v, p, t, members, lookup, rng)
                if ind.is_rate and den <= 0:
                    continue  # nothing to measure this month: no row, scoring marks it
                value = num / den * ind.scale if ind.is_rate else num
                rows.append({"village_id": v.id, "period": p, "indicator_code": ind.code, "value": round(value, 4),
                             "numerator": round(num, 4) if ind.is_rate else None,
                             "denominator": round(den, 4) if ind.is_rate else None})
    ctx.insert(IndicatorValue.__table__, rows)


def _share(rng, q: float, base: float, spread: float = 0.9) -> float:
    return float(1 / (1 + np.exp(-(base + spread * q + rng.normal(0, 0.25)))))


def _value(ind, v: VillageUnit, period: int, t: int, members: int, lookup, rng) -> tuple[float, float]:
    """(numerator, denominator) for rates, (count, 0) for counts."""
    key = (v.id, period, ind.code)
    if key in lookup:
        num, den = lookup[key]
        return (num, 0.0) if not ind.is_rate else (num, den)
    if ind.code in _RECORD_BASED:
        return 0.0, 0.0
    q, hh = v.quality, v.households
    synth = {
        "pb_member_household": lambda: (round(hh * _share(rng, q, 1.8)), hh),
        "pb_three_meetings": lambda: (min(4, rng.binomial(4, _share(rng, q, 2.2))), 4),
        "pb_theme_day": lambda: (rng.binomial(members, _share(rng, q, 1.5)), members),
        "pb_affairs_public": lambda: (rng.binomial(6, _share(rng, q, 2.0)), 6),
        "pb_outpost_stars": lambda: (float(np.clip(round(3 + 1.1 * q + rng.normal(0, 0.3)), 1, 5)), 1),
        "pb_training": lambda: (rng.binomial(members, _share(rng, q, 1.2)), members),
        "ec_collective_income": lambda: (round(hh * 0.012 * np.exp(0.35 * q + rng.normal(0, 0.15)) * (1 + 0.004 * t), 2), 0),
        "ec_operating_growth": lambda: (round(hh * (0.06 + 0.04 * q + rng.normal(0, 0.03)), 2), hh),
        "ec_disposable_income": lambda: (v.population * 4200 * np.exp(0.12 * q + rng.normal(0, 0.03)) * (1 + 0.005 * t), v.population),
        "ec_bidding_projects": lambda: (float(rng.poisson(0.08 * np.exp(0.5 * q))), 0),
        "ec_common_prosperity_funds": lambda: (round(float(rng.gamma(1.2, 4 * np.exp(0.4 * q))) if rng.random() < 0.3 else 0.0, 2), 0),
        "ec_waste_sorting": lambda: (rng.binomial(50, _share(rng, q, 2.0)), 50),
        "ec_living_environment": lambda: (float(np.clip(rng.normal(85 + 5 * q, 4), 50, 100)), 1),
        "ec_new_entities": lambda: (float(rng.poisson(0.15 * np.exp(0.4 * q))), 0),
        "sa_public_security": lambda: (float(rng.poisson(v.population * 0.0004 * np.exp(-0.4 * q))), v.population),
        "sa_violations": lambda: (float(rng.poisson(0.03 * np.exp(-0.8 * q))), 0),
        "sa_anti_fraud": lambda: (round(hh * _share(rng, q, 1.6)), hh),
        "sa_key_persons": lambda: (rng.binomial(max(3, hh // 150), _share(rng, q, 2.2)), max(3, hh // 150)),
        "sa_fire_checks": lambda: (rng.binomial(20, _share(rng, q, 1.8)), 20),
        "ps_one_thing_days": lambda: (float(np.clip(rng.normal(4.5 - 0.8 * q, 0.6), 0.5, 15)) * 10, 10),
        "ps_elderly_care": lambda: (rng.binomial(max(10, v.population // 5), _share(rng, q, 0.9)), max(10, v.population // 5)),
        "ps_family_doctor": lambda: (rng.binomial(v.population, _share(rng, q, 0.8, 0.5)), v.population),
        "ps_digital_active": lambda: (rng.binomial(hh, _share(rng, q, 0.3 + 0.03 * t)), hh),
        "ps_moral_points": lambda: (rng.binomial(hh, _share(rng, q, 0.5)), hh),
    }
    num, den = synth[ind.code]()
    return float(num), float(den)


#: Indicators counted from records: a missing (village, month) key means zero cases, not a draw.
_RECORD_BASED = {
    "pb_task_on_time", "ec_task_on_time", "sa_task_on_time", "ps_task_on_time", "ec_pledge_done",
    "ps_village_reports_done", "ps_appeal_closed", "ps_satisfaction", "ps_response_hours", "sa_grid_on_time",
    "sa_petitions", "sa_dispute_resolved", "sa_hazard_fixed", "pb_diary", "pb_five_two", "pb_warnings",
}
