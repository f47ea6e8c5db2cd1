"""Monthly indicator values per village, computed from the generated records where they exist.

Rates from tasks, appeals, diary visits, decisions and evaluations are counted from those rows
(an on-time rate is on-time tasks over tasks due, not a random draw); the rest are drawn around
the village's latent strength, so strong villages stay strong across modules.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """All 40 indicators for every village and month of one county (vectorised per indicator)."""
    rng = ctx.rng(county_id // 1_000_000, 61)
    months = periods(ctx.start, ctx.as_of)
    vids = np.array([v.id for v in villages], dtype=np.int64)
    shape = (len(villages), len(months))
    counted = counted.set_index(["code", "village_id", "period"])
    env = _Env(rng, shape, np.array([v.quality for v in villages])[:, None],
               np.array([v.households for v in villages])[:, None].astype(float),
               np.array([v.population for v in villages])[:, None].astype(float), np.arange(len(months))[None, :])
    rows = []
    for ind in CATALOG:
        if ind.code in _RECORD_BASED:
            num, den = _counted(counted, ind.code, vids, months, shape)
        else:
            num, den = (np.broadcast_to(np.asarray(a, dtype=float), shape) for a in SYNTH[ind.code](env))
        rows.extend(_rows(ind, vids, months, num, den))
    ctx.insert(IndicatorValue.__table__, rows)


def _counted(counted: pd.DataFrame, code: str, vids, months, shape) -> tuple[np.ndarray, np.ndarray]:
    num, den = np.zeros(shape), np.zeros(shape)
    if code not in counted.index.get_level_values(0):
        return num, den
    sub = counted.loc[code]
    vi = {v: i for i, v in enumerate(vids.tolist())}
    mi = {m: j for j, m in enumerate(months)}
    for (v, p), r in zip(sub.index, sub.itertuples(index=False), strict=True):
        if int(v) in vi and int(p) in mi:
            num[vi[int(v)], mi[int(p)]] = r.num
            den[vi[int(v)], mi[int(p)]] = r.den
    return num, den


def _rows(ind, vids, months, num: np.ndarray, den: np.ndarray) -> list[dict]:
    out = []
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, num / den * ind.scale, 0.0) if ind.is_rate else num
    for i, vid in enumerate(vids.tolist()):
        for j, p in enumerate(months):
            if ind.is_rate and den[i, j] <= 0:
                continue  # nothing to measure this month: no row, scoring marks it
            out.append({"village_id": vid, "period": p, "indicator_code": ind.code,
                        "value": round(float(value[i, j]), 4),
                        "numerator": round(float(num[i, j]), 4) if ind.is_rate else None,
                        "denominator": round(float(den[i, j]), 4) if ind.is_rate else None})
    return out


@dataclass
class _Env:
    rng: np.random.Generator
    shape: tuple[int, int]
    q: np.ndarray  # (V,1) latent strength
    hh: np.ndarray  # (V,1) households
    pop: np.ndarray  # (V,1) population
    t: np.ndarray  # (1,M) month index

    def share(self, base: float, spread: float = 0.9) -> np.ndarray:
        """A rate in (0,1) around the village's strength, with month-to-month noise."""
        return 1 / (1 + np.exp(-(base + spread * self.q + self.rng.normal(0, 0.25, self.shape))))

    def binom(self, n, p) -> np.ndarray:
        """Binomial draws of shape (V,M)."""
        return self.rng.binomial(np.broadcast_to(n, self.shape).astype(int), p)

    def pois(self, lam) -> np.ndarray:
        """Poisson draws of shape (V,M)."""
        return self.rng.poisson(np.broadcast_to(lam, self.shape)).astype(float)


def _members(e: _Env) -> np.ndarray:
    return np.maximum(15, (e.pop * 0.07).astype(int))


SYNTH = {
    "pb_member_household": lambda e: (np.round(e.hh * e.share(1.8)), e.hh),
    "pb_three_meetings": lambda e: (e.binom(4, e.share(2.2)), 4),
    "pb_theme_day": lambda e: (e.binom(_members(e), e.share(1.5)), _members(e)),
    "pb_affairs_public": lambda e: (e.binom(6, e.share(2.0)), 6),
    "pb_outpost_stars": lambda e: (np.clip(np.round(3 + 1.1 * e.q + e.rng.normal(0, 0.3, e.shape)), 1, 5), 1),
    "pb_training": lambda e: (e.binom(_members(e), e.share(1.2)), _members(e)),
    "ec_collective_income": lambda e: (np.round(e.hh * 0.012 * np.exp(0.35 * e.q + e.rng.normal(0, 0.15, e.shape)) * (1 + 0.004 * e.t), 2), 0),
    "ec_operating_growth": lambda e: (np.round(e.hh * (0.06 + 0.04 * e.q + e.rng.normal(0, 0.03, e.shape)), 2), e.hh),
    "ec_disposable_income": lambda e: (e.pop * 4200 * np.exp(0.12 * e.q + e.rng.normal(0, 0.03, e.shape)) * (1 + 0.005 * e.t), e.pop),
    "ec_bidding_projects": lambda e: (e.pois(0.08 * np.exp(0.5 * e.q)), 0),
    "ec_common_prosperity_funds": lambda e: (np.round(np.where(e.rng.random(e.shape) < 0.3, e.rng.gamma(1.2, np.broadcast_to(4 * np.exp(0.4 * e.q), e.shape)), 0.0), 2), 0),
    "ec_waste_sorting": lambda e: (e.binom(50, e.share(2.0)), 50),
    "ec_living_environment": lambda e: (np.clip(e.rng.normal(85 + 5 * e.q, 4, e.shape), 50, 100), 1),
    "ec_new_entities": lambda e: (e.pois(0.15 * np.exp(0.4 * e.q)), 0),
    "sa_public_security": lambda e: (e.pois(e.pop * 0.0004 * np.exp(-0.4 * e.q)), e.pop),
    "sa_violations": lambda e: (e.pois(0.03 * np.exp(-0.8 * e.q)), 0),
    "sa_anti_fraud": lambda e: (np.round(e.hh * e.share(1.6)), e.hh),
    "sa_key_persons": lambda e: (e.binom(np.maximum(3, e.hh // 150), e.share(2.2)), np.maximum(3, e.hh // 150)),
    "sa_fire_checks": lambda e: (e.binom(20, e.share(1.8)), 20),
    "ps_one_thing_days": lambda e: (np.clip(e.rng.normal(4.5 - 0.8 * e.q, 0.6, e.shape), 0.5, 15) * 10, 10),
    "ps_elderly_care": lambda e: (e.binom(np.maximum(10, e.pop // 5), e.share(0.9)), np.maximum(10, e.pop // 5)),
    "ps_family_doctor": lambda e: (e.binom(e.pop, e.share(0.8, 0.5)), e.pop),
    "ps_digital_active": lambda e: (e.binom(e.hh, 1 / (1 + np.exp(-(0.3 + 0.03 * e.t + 0.9 * e.q + e.rng.normal(0, 0.25, e.shape))))), e.hh),
    "ps_moral_points": lambda e: (e.binom(e.hh, e.share(0.5)), e.hh),
}

#: Indicators counted from records: a missing (village, month) means zero cases, not a draw.
_RECORD_BASED = {
    "pb_task_on_time", "ec_task_on_time", "sa_task_on_time", "ps_task_on_time", "ec_pledge_done",
    "ps_village_reports_done", "ps_appeal_closed", "ps_satisfaction", "ps_response_hours", "sa_grid_on_time",
    "sa_petitions", "sa_dispute_resolved", "sa_hazard_fixed", "pb_diary", "pb_five_two", "pb_warnings",
}
