"""What a briefing reports, read through the same core functions the cockpit and its pages call.

Nothing here scores, ranks or counts by itself: the headline figures are `core.kpis.period_kpis` (a month)
or the sums of `core.kpis.monthly_kpis` rows (a quarter or year: Σnumerators / Σdenominators, as the
month does); scores, ranks and movement are `core.scoring.region_scores` / `region_rank`; overdue tasks and
escalations `core.task_alerts`; warnings `core.warning_feed.all_warnings`; the 领雁指数
`core.leader_index.ranked_secretaries`; appeals `core.appeals.appeal_cube` + `summary`; 过筛
`core.screening.screening_report`. So every number in a report equals the cockpit's for that region and
period, and follows any change to those functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlmodel import Session

from core import appeals, kpis, leader_index, regions, scoring, screening, task_alerts, warning_feed
from core.briefing.periods import Period, as_period
from core.config import get_settings
from core.early_warning import EarlyWarning
from core.enums import APPEAL_CATEGORIES
from core.errors import NotFound
from core.scope import Scope

RATES = ("completion", "on_time_rate", "satisfaction")
TREND_MONTHS = 12


@dataclass(frozen=True)
class BriefingData:
    """The numbers of one report: region, period, headline figures, rankings, tasks, warnings, leaders,
    appeals and 过筛 (each as the core function returned it)."""

    region: regions.RegionRef
    parent: regions.RegionRef | None
    period: Period
    as_of: date  # the dataset's as-of day
    generated: datetime
    months: tuple[int, ...]  # months of the period that have data, oldest first
    kpis: dict  # name → (this period, previous period); as core.kpis.period_kpis
    rank: dict  # core.scoring.region_rank of the period's last month (+ composite_prev, rank_prev)
    children: pd.DataFrame  # core.scoring.region_scores of the last month (movement against the previous period)
    trend: pd.DataFrame  # core.kpis.monthly_kpis of up to twelve months to the last month
    alert_counts: dict[str, int]  # core.task_alerts.alert_counts at the end of the period
    overdue_tasks: pd.DataFrame  # core.task_alerts.alerts at the end of the period, most overdue first
    warnings: tuple[EarlyWarning, ...]  # windows ending in the period
    names: dict[int, str]  # village names of the warnings
    leaders: pd.DataFrame  # core.leader_index.ranked_secretaries of the last month
    appeal_summary: dict  # core.appeals.summary of the period
    appeal_categories: pd.DataFrame  # category, volume, closed, satisfaction (core.appeals.summary per category)
    screening: screening.ScreeningReport | None

    @property
    def has_data(self) -> bool:
        """False when the period has no month with data (the report then says so)."""
        return bool(self.months)

    @property
    def last_month(self) -> int | None:
        """The period's last month with data (scores and ranks are read there)."""
        return self.months[-1] if self.months else None

    @property
    def end_day(self) -> date:
        """The period's last day, or the as-of day when that comes first."""
        return min(self.period.end, self.as_of)


def period_months(session: Session, period: Period, as_of: date) -> tuple[int, ...]:
    """Months of `period` that have indicator values and start on or before `as_of`."""
    have = set(scoring.available_periods(session))
    return tuple(m for m in period.months if m in have and kpis.month_bounds(m)[0] <= as_of)


def period_kpis(session: Session, scope: Scope, region_id: int, period: Period | int | str, as_of: date) -> dict:
    """Headline figures of a period and the one before: {name: (now, before)} as `core.kpis.period_kpis`.

    A month is that function itself (what the cockpit's tiles show). A quarter or year sums the months'
    due/finished, on-time and rated counts of `core.kpis.monthly_kpis` and divides once; overdue is
    `core.kpis.overdue_counts` at each period's last day (or the as-of day)."""
    period = as_period(period)
    prev = period.previous()
    if period.kind == "month":
        return kpis.period_kpis(session, scope, region_id, period.months[0], prev.months[0], as_of)
    rows = kpis.monthly_kpis(session, scope, region_id, [*prev.months, *period.months], as_of).set_index("period")
    out: dict = {}
    for name, num, den in (("completion", "finished", "due"), ("on_time_rate", "on_time", "on_time_den"),
                           ("satisfaction", "good", "rated")):
        pair = []
        for p in (period, prev):
            part = rows.loc[list(p.months)]
            n, d = float(part[num].sum()), float(part[den].sum())
            pair.append(round(n / d * 100.0, 1) if d > 0 else None)
        out[name] = tuple(pair)
    days = (min(period.end, as_of), min(prev.end, as_of))
    out["overdue"] = tuple(kpis.overdue_counts(session, scope, region_id, list(days), as_of))
    out["as_of_day"] = days
    return out


def _rank(session: Session, scope: Scope, region_id: int, month: int, prev_month: int) -> dict:
    rank = dict(scoring.region_rank(session, scope, region_id, month))
    before = scoring.region_rank(session, scope, region_id, prev_month)
    rank["composite_prev"] = before["composite"]
    rank["rank_prev"] = before["rank_in_parent"]
    return rank


def _children(session: Session, scope: Scope, region_id: int, period: Period, month: int, prev_month: int) -> pd.DataFrame:
    """The children's scores of the last month; a quarter or year moves against the previous period's last month."""
    now = scoring.region_scores(session, scope, region_id, month)
    if now.empty or period.kind == "month":
        return now
    before = scoring.region_scores(session, scope, region_id, prev_month).set_index("region_id")
    for col in ("composite", *scoring.MODULES):
        prefix = "" if col == "composite" else f"{col}_"
        prev_rank = now["region_id"].map(before[f"{prefix}rank_in_parent"]) if not before.empty else float("nan")
        now[f"{prefix}rank_prev"] = prev_rank
        now[f"{prefix}movement"] = prev_rank - now[f"{prefix}rank_in_parent"]
    return now


def _appeals(session: Session, scope: Scope, start: date, end: date) -> tuple[dict, pd.DataFrame]:
    cube = appeals.appeal_cube(session, scope, start, end)
    total = appeals.summary(cube)
    rows = []
    for cat in [c for c in APPEAL_CATEGORIES if c in set(cube["category"])]:
        s = appeals.summary(cube[cube["category"] == cat])
        rows.append((cat, s["volume"], s["closed"], s["satisfaction"]))
    cats = pd.DataFrame(rows, columns=["category", "volume", "closed", "satisfaction"])
    return total, cats.sort_values(["volume", "category"], ascending=[False, True]).reset_index(drop=True)


def _last_month_before(session: Session, period: Period, as_of: date) -> int:
    """The previous period's last month with data (its last month when none has data)."""
    months = period_months(session, period.previous(), as_of)
    return months[-1] if months else period.previous().months[-1]


def assemble(session: Session, scope: Scope, region_id: int, period: Period | int | str, *, now: datetime,
             as_of: date | None = None, task_rows: int = 10) -> BriefingData:
    """Every number of the report of `region_id` (in `scope`) for `period` as of a day (default: the data's
    as-of day), as the cockpit's core functions give them; `now` is when the report is made."""
    period = as_period(period)
    as_of = as_of or get_settings().as_of
    region = regions.get_region(session, scope, int(region_id))
    if region is None:
        raise NotFound(f"区域 {region_id} 不在您的数据权限范围内或不存在")
    parent = regions.get_region(session, scope, region.parent_id) if region.parent_id else None
    here = scope.narrow(region.id, region.level)
    months = period_months(session, period, as_of)
    empty = BriefingData(region, parent, period, as_of, now, months, {}, {}, pd.DataFrame(), pd.DataFrame(), {},
                         pd.DataFrame(), (), {}, pd.DataFrame(), {}, pd.DataFrame(), None)
    if not months:
        return empty
    month, prev_month = months[-1], _last_month_before(session, period, as_of)
    end_day = min(period.end, as_of)
    trend_months = [m for m in scoring.available_periods(session) if m <= month][-TREND_MONTHS:]
    found = [w for w in warning_feed.all_warnings(session, here, as_of) if period.start <= w.window_end <= end_day]
    total, cats = _appeals(session, here, period.start, end_day)
    return BriefingData(
        region=region, parent=parent, period=period, as_of=as_of, generated=now, months=months,
        kpis=period_kpis(session, scope, region.id, period, as_of),
        rank=_rank(session, scope, region.id, month, prev_month),
        children=_children(session, scope, region.id, period, month, prev_month),
        trend=kpis.monthly_kpis(session, scope, region.id, trend_months, as_of),
        alert_counts=task_alerts.alert_counts(session, here, end_day),
        overdue_tasks=task_alerts.alerts(session, here, end_day,
                                         filters=task_alerts.AlertFilters(levels=("overdue", "town", "county")),
                                         limit=task_rows),
        warnings=tuple(found),
        names=regions.region_names(session, here, sorted({w.village_id for w in found})),
        leaders=leader_index.ranked_secretaries(session, here, month),
        appeal_summary=total, appeal_categories=cats,
        screening=screening.screening_report(session, here, period.start, end_day),
    )
