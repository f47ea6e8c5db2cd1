"""Monthly indicator values per village, computed from the generated records where they exist.

Rates from tasks, appeals, diary visits, decisions and evaluations are counted from those rows
(an on-time rate is on-time tasks over tasks due, not a random draw); the rest are drawn around
the village's latent strength, so strong villages stay strong across modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.indicators import CATALOG
from core.models import IndicatorValue
from seed.chunk import Chunk
from seed.context import SeedContext, periods

CODES = sorted(i.code for i in CATALOG)  # the unique index orders by (period, indicator_code, village_id)


class IndicatorRows:
    """One county's indicator values, gathered chunk by chunk as arrays and written in index order.

    Writing in (period, indicator_code, village_id) order with ids rising in that order makes the
    merge into the target append to its unique index instead of scattering across it.
    """

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, ctx: SeedContext, ch: Chunk) -> None:
        """All 40 indicators for every village and month of one chunk (vectorised per indicator)."""
        rng = ctx.rng(ch.county_id // 1_000_000, 61, ch.seq)
        shape = ch.counts.shape
        env = _Env(rng, shape, ch.quality[:, None], ch.households[:, None], ch.population[:, None],
                   np.arange(shape[1])[None, :])
        months = np.array(periods(ctx.start, ctx.as_of))
        for ind in CATALOG:
            if ind.code in _RECORD_BASED:
                num, den = ch.counts.get(ind.code)
            else:
                num, den = (np.broadcast_to(np.asarray(a, dtype=float), shape) for a in SYNTH[ind.code](env))
            keep = den > 0 if ind.is_rate else np.ones(shape, dtype=bool)
            vi, mi = np.nonzero(keep)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(den > 0, num / den * ind.scale, 0.0) if ind.is_rate else num
            self.parts.append({"village": ch.ids[vi], "period": months[mi], "code": np.full(len(vi), CODES.index(ind.code)),
                               "value": value[vi, mi], "num": num[vi, mi], "den": den[vi, mi],
                               "rate": np.full(len(vi), ind.is_rate)})

    def write(self, ctx: SeedContext, batch: int = 200_000) -> None:
        """Write everything gathered, sorted by the unique index's key."""
        if not self.parts:
            return
        a = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        self.parts = []
        order = np.lexsort((a["village"], a["code"], a["period"]))
        codes = np.array(CODES, dtype=object)
        for lo in range(0, len(order), batch):
            sel = order[lo:lo + batch]
            rate = a["rate"][sel]
            ctx.write(IndicatorValue.__table__, len(sel), {
                "id": list(ctx.ids("indicator_value", len(sel))), "village_id": a["village"][sel].tolist(),
                "period": a["period"][sel].tolist(), "indicator_code": codes[a["code"][sel]].tolist(),
                "value": np.round(a["value"][sel], 4).tolist(),
                "numerator": np.where(rate, np.round(a["num"][sel], 4), None).tolist(),  # type: ignore[call-overload]  # numpy's stubs reject None as where()'s fill
                "denominator": np.where(rate, np.round(a["den"][sel], 4), None).tolist(),  # type: ignore[call-overload]  # numpy's stubs reject None as where()'s fill
            })


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
