"""The aggregations the indicator definitions read: one grouped query per record table over a window of
villages and months, returning one row per (village_id, period) with named sums (SPEC §11).

The same function serves the generator (a county, every month: one table scan each), a write (one
village, one month: an indexed read) and a recompute. Time-state registers (linked households, key
persons) and the quarterly 三会一课 rule are resolved in pandas on the small grouped rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from core.enums import Module, TaskCategory
from core.models import (
    AffairsPosting,
    AntiFraudVisit,
    Appeal,
    BidProject,
    Decision,
    DecisionStep,
    DiaryVisit,
    Evaluation,
    KeyPerson,
    KeyPersonVisit,
    MemberLink,
    MoralEntry,
    OneThingCase,
    PartyMeeting,
    SafetyInspection,
    Task,
    Training,
    WasteCheck,
)
from core.sqlfn import day_of, hours_between, no_index, ym

KEY = ["village_id", "period"]
FINISHED = ("done", "scored")
MONTHLY_MEETINGS = ("branch_committee", "party_group")  # 支委会, 党小组会: every month
QUARTERLY_MEETINGS = ("branch_assembly", "party_lesson")  # 党员大会, 党课: once a quarter


def month_first(period: int) -> date:
    return date(int(period) // 100, int(period) % 100, 1)


def month_last(period: int) -> date:
    y, m = divmod(int(period), 100)
    return (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """Villages lo..hi (a region's id range, or one village) × the months `periods`, counted as of `as_of`."""

    lo: int
    hi: int
    periods: tuple[int, ...]
    as_of: date

    @property
    def first(self) -> date:
        return month_first(min(self.periods))

    @property
    def last(self) -> date:
        return month_last(max(self.periods))

    @property
    def wide(self) -> bool:
        """More than one village: scan the table (no_index) instead of walking its village index."""
        return self.hi > self.lo

    def village(self, column) -> sa.ColumnElement:
        if not self.wide:  # one village: an equality, so an index on (village_id, day) also bounds the day
            return column == int(self.lo)
        return no_index(column).between(int(self.lo), int(self.hi))

    def days(self, column, first: date | None = None, last: date | None = None) -> sa.ColumnElement:
        return sa.and_(column >= (first or self.first), column <= (last or self.last))

    def times(self, column) -> sa.ColumnElement:
        return sa.and_(column >= self.first, column < self.last + timedelta(days=1))


def _frame(conn: sa.Connection, stmt: sa.Select, names: list[str]) -> pd.DataFrame:
    df = pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=names)
    return df.astype({c: float for c in names if c not in KEY and c not in ("kind", "module", "category")})


def _sum(cond) -> sa.ColumnElement:
    return sa.func.sum(sa.case((cond, 1), else_=0))


def tasks(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """Tasks (not rejected) by deadline month, due by the as-of day: due, finished, on time; per module and
    for 创业承诺 and 村级上报."""
    t = Task.__table__.c
    on_time = sa.and_(t.done_at.is_not(None), day_of(t.done_at) <= t.deadline)
    stmt = (sa.select(t.village_id, ym(t.deadline), t.module, t.category, sa.func.count(),
                      _sum(t.status.in_(FINISHED)), _sum(on_time))
            .where(w.village(t.village_id), w.days(t.deadline, last=min(w.last, w.as_of)), t.status != "rejected")
            .group_by(t.village_id, ym(t.deadline), t.module, t.category))
    raw = _frame(conn, stmt, [*KEY, "module", "category", "due", "fin", "on_time"])
    out = raw.groupby(KEY)[["due"]].sum() * 0
    for m in Module:
        part = raw[raw["module"] == str(m)].groupby(KEY)[["due", "on_time"]].sum().add_prefix(f"{m}_")
        out = out.join(part, how="outer")
    for cat, cols in ((TaskCategory.PLEDGE, ["due", "on_time"]), (TaskCategory.VILLAGE_REPORT, ["due", "fin"])):
        out = out.join(raw[raw["category"] == str(cat)].groupby(KEY)[cols].sum().add_prefix(f"{cat}_"), how="outer")
    return out.drop(columns="due").fillna(0.0).reset_index()


def appeals(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """Appeals by report month: reported, closed, closed on time, rated, 好评, responded with summed response
    hours, petitions (浙里访), disputes and hazard reports with how many of them were closed."""
    a = Appeal.__table__.c
    closed = a.closed_at.is_not(None)
    resp = sa.func.coalesce(sa.func.sum(hours_between(a.reported_at, a.first_response_at)), 0.0)
    stmt = (sa.select(a.village_id, ym(a.reported_at), sa.func.count(), _sum(closed),
                      _sum(sa.and_(closed, a.closed_at <= a.due_at)), sa.func.count(a.rating), _sum(a.rating == "good"),
                      sa.func.count(a.first_response_at), resp, _sum(a.channel == "浙里访"),
                      _sum(a.category == "矛盾纠纷"), _sum(sa.and_(a.category == "矛盾纠纷", closed)),
                      _sum(a.category == "安全隐患"), _sum(sa.and_(a.category == "安全隐患", closed)))
            .where(w.village(a.village_id), w.times(a.reported_at)).group_by(a.village_id, ym(a.reported_at)))
    return _frame(conn, stmt, [*KEY, "n", "closed", "on_time", "rated", "good", "responded", "resp_hours",
                               "petitions", "disputes", "disputes_closed", "hazards", "hazards_closed"])


def diary(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """民情日记 visits by month."""
    d = DiaryVisit.__table__.c
    stmt = (sa.select(d.village_id, ym(d.visited_on), sa.func.count())
            .where(w.village(d.village_id), w.days(d.visited_on)).group_by(d.village_id, ym(d.visited_on)))
    return _frame(conn, stmt, [*KEY, "visits"])


def decisions(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """议事决策 closed by month, and how many of them did all seven steps of 五议两公开 in order."""
    d, s = Decision.__table__.c, DecisionStep.__table__.c
    steps = (sa.select(s.decision_id, sa.func.count().label("k"), _sum(s.step == s.seq).label("ok"))
             .group_by(s.decision_id).subquery())
    compliant = sa.and_(steps.c.k == 7, steps.c.ok == 7)
    stmt = (sa.select(d.village_id, ym(d.closed_on), sa.func.count(), _sum(compliant))
            .select_from(Decision.__table__.outerjoin(steps, steps.c.decision_id == d.id))
            .where(w.village(d.village_id), d.closed_on.is_not(None), w.days(d.closed_on))
            .group_by(d.village_id, ym(d.closed_on)))
    return _frame(conn, stmt, [*KEY, "closed", "compliant"])


def evaluations(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """负面预警 given to village cadres, by month."""
    e = Evaluation.__table__.c
    stmt = (sa.select(e.village_id, e.period, sa.func.count())
            .where(w.village(e.village_id), e.period.in_(w.periods), e.kind == "warning")
            .group_by(e.village_id, e.period))
    return _frame(conn, stmt, [*KEY, "warnings"])


def meetings(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """三会一课 required and held (monthly kinds every month; quarterly kinds once in the quarter, counted in
    its last month) and 主题党日 attendance (应到, 实到)."""
    m = PartyMeeting.__table__.c
    first = month_first(min(w.periods))
    first = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)  # the quarter's first month
    stmt = (sa.select(m.village_id, ym(m.held_on), m.kind, sa.func.count(), sa.func.sum(m.expected),
                      sa.func.sum(m.attended))
            .where(w.village(m.village_id), w.days(m.held_on, first=first))
            .group_by(m.village_id, ym(m.held_on), m.kind))
    raw = _frame(conn, stmt, [*KEY, "kind", "n", "expected", "attended"])
    theme = raw[raw["kind"] == "theme_day"].groupby(KEY)[["expected", "attended"]].sum().add_prefix("theme_")
    held = raw[raw["kind"].isin(MONTHLY_MEETINGS)].groupby([*KEY, "kind"]).size().groupby(KEY).size()
    q = raw[raw["kind"].isin(QUARTERLY_MEETINGS)].assign(
        period=lambda f: f["period"] // 100 * 100 + ((f["period"] % 100 - 1) // 3 * 3 + 3))
    held_q = q.groupby([*KEY, "kind"]).size().groupby(KEY).size()
    out = pd.DataFrame({"meetings_held": held.add(held_q, fill_value=0)}).join(theme, how="outer")
    return out.fillna(0.0).reset_index()


def postings(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """村务公开 items due in the month (by the as-of day) and those posted by their due day."""
    p = AffairsPosting.__table__.c
    stmt = (sa.select(p.village_id, ym(p.due_on), sa.func.count(),
                      _sum(sa.and_(p.posted_on.is_not(None), p.posted_on <= p.due_on)))
            .where(w.village(p.village_id), w.days(p.due_on, last=min(w.last, w.as_of)))
            .group_by(p.village_id, ym(p.due_on)))
    return _frame(conn, stmt, [*KEY, "postings_due", "postings_on_time"])


def _summed(table: sa.Table, day: str, cols: dict[str, Callable], names: list[str]) -> Callable:
    def source(conn: sa.Connection, w: Window) -> pd.DataFrame:
        c = table.c
        stmt = (sa.select(c.village_id, ym(c[day]), *(fn(c) for fn in cols.values()))
                .where(w.village(c.village_id), w.days(c[day])).group_by(c.village_id, ym(c[day])))
        return _frame(conn, stmt, [*KEY, *names])
    source.__doc__ = f"{table.name} summed by month: {', '.join(names)}."
    return source


trainings = _summed(Training.__table__, "held_on", {"e": lambda c: sa.func.sum(c.expected),
                                                     "a": lambda c: sa.func.sum(c.attended)},
                    ["training_expected", "training_attended"])
inspections = _summed(SafetyInspection.__table__, "inspected_on", {
    "d": lambda c: sa.func.sum(sa.case((c.kind == "fire", c.premises_due), else_=0)),
    "k": lambda c: sa.func.sum(sa.case((c.kind == "fire", c.premises_checked), else_=0)),
    "f": lambda c: sa.func.sum(c.hazards_found), "x": lambda c: sa.func.sum(c.hazards_fixed)},
    ["fire_due", "fire_checked", "hazards_found", "hazards_fixed"])
anti_fraud = _summed(AntiFraudVisit.__table__, "held_on", {"r": lambda c: sa.func.sum(c.households_reached)},
                     ["fraud_reached"])
waste = _summed(WasteCheck.__table__, "checked_on", {"c": lambda c: sa.func.sum(c.households_checked),
                                                      "p": lambda c: sa.func.sum(c.households_passed)},
                ["waste_checked", "waste_passed"])


def _active(rows: pd.DataFrame, start: str, end: str, periods: tuple[int, ...]) -> pd.DataFrame:
    """Register rows × months in which they are active at the month's end (start ≤ end of month < end)."""
    out = []
    for p in periods:
        last = month_last(p)
        on = (rows[start] <= last) & (rows[end].isna() | (rows[end] > last))
        out.append(rows[on].assign(period=int(p)))
    return pd.concat(out, ignore_index=True) if out else rows.assign(period=0).iloc[:0]


def links(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """党员联户: households linked to a Party member at each month's end."""
    c = MemberLink.__table__.c
    stmt = sa.select(c.village_id, c.households, c.linked_on, c.ended_on).where(
        w.village(c.village_id), c.linked_on <= w.last, sa.or_(c.ended_on.is_(None), c.ended_on > w.first))
    rows = pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=["village_id", "households", "start", "end"])
    act = _active(rows, "start", "end", w.periods)
    return act.groupby(KEY)["households"].sum().astype(float).rename("linked").reset_index()


def key_persons(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """重点人员 registered at each month's end, and how many of them were visited in the month."""
    k, v = KeyPerson.__table__.c, KeyPersonVisit.__table__.c
    stmt = sa.select(k.id, k.village_id, k.registered_on, k.released_on).where(
        w.village(k.village_id), k.registered_on <= w.last, sa.or_(k.released_on.is_(None), k.released_on > w.first))
    rows = pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=["key_person_id", "village_id", "start", "end"])
    act = _active(rows, "start", "end", w.periods)
    seen = pd.DataFrame([tuple(r) for r in conn.execute(
        sa.select(v.key_person_id, ym(v.visited_on)).where(w.village(v.village_id), w.days(v.visited_on)).distinct())],
        columns=["key_person_id", "period"])
    act = act.merge(seen.assign(visited=1.0), on=["key_person_id", "period"], how="left")
    return (act.groupby(KEY).agg(registered=("key_person_id", "size"), visited=("visited", "sum"))
            .astype(float).reset_index())


def bidding(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """揭榜挂帅 projects landed (落地: every milestone done) by the winning village, by landing month."""
    b = BidProject.__table__.c
    stmt = (sa.select(b.village_id, ym(b.landed_on), sa.func.count())
            .where(b.village_id.is_not(None), w.village(b.village_id), b.landed_on.is_not(None),
                   w.days(b.landed_on, last=min(w.last, w.as_of)))
            .group_by(b.village_id, ym(b.landed_on)))
    return _frame(conn, stmt, [*KEY, "landed"])


def one_thing(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """一件事 cases closed in the month (by the as-of day) and their days from opening to closing, summed."""
    c = OneThingCase.__table__.c
    days = sa.func.sum(hours_between(c.opened_at, c.closed_at)) / 24.0
    stmt = (sa.select(c.village_id, ym(c.closed_at), sa.func.count(), days)
            .where(w.village(c.village_id), c.closed_at.is_not(None), c.closed_at >= w.first,
                   c.closed_at < min(w.last, w.as_of) + timedelta(days=1))
            .group_by(c.village_id, ym(c.closed_at)))
    return _frame(conn, stmt, [*KEY, "closed", "days"])


#: 道德银行 entries that make a household take part (a deduction alone does not).
MORAL_TAKING_PART = ("evaluation", "volunteer")


def moral(conn: sa.Connection, w: Window) -> pd.DataFrame:
    """道德银行: households taking part at each month's end (by the as-of day) — those whose first evaluation or
    volunteer entry in the ledger is on or before it."""
    e = MoralEntry.__table__.c
    first = (sa.select(e.village_id.label("village_id"), sa.func.min(e.recorded_on).label("first_on"))
             .where(w.village(e.village_id), e.kind.in_(MORAL_TAKING_PART), e.recorded_on <= min(w.last, w.as_of))
             .group_by(e.household_id, e.village_id).subquery())
    stmt = (sa.select(first.c.village_id, ym(first.c.first_on), sa.func.count())
            .group_by(first.c.village_id, ym(first.c.first_on)))
    raw = _frame(conn, stmt, [*KEY, "n"])
    out = [raw[raw["period"] <= p].groupby("village_id")["n"].sum().rename("taking_part").reset_index().assign(period=int(p))
           for p in w.periods]
    return pd.concat(out, ignore_index=True)[[*KEY, "taking_part"]] if out else pd.DataFrame(columns=[*KEY, "taking_part"])


#: name → aggregation; a definition names its numerator and denominator as "source.column".
SOURCES: dict[str, Callable[[sa.Connection, Window], pd.DataFrame]] = {
    "task": tasks, "appeal": appeals, "diary": diary, "decision": decisions, "evaluation": evaluations,
    "meeting": meetings, "posting": postings, "training": trainings, "inspection": inspections,
    "fraud": anti_fraud, "waste": waste, "link": links, "key_person": key_persons,
    "bidding": bidding, "one_thing": one_thing, "moral": moral,
}


def gather(conn: sa.Connection, w: Window, names: set[str]) -> pd.DataFrame:
    """The named sources joined on (village_id, period), columns prefixed "source."; missing sums are 0."""
    out: pd.DataFrame | None = None
    for name in sorted(names):
        part = SOURCES[name](conn, w)
        part = part[part["period"].isin(w.periods)].set_index(KEY).add_prefix(f"{name}.")
        out = part if out is None else out.join(part, how="outer")
    if out is None:
        return pd.DataFrame(columns=KEY)
    return out.fillna(0.0).reset_index()


def days_in_month(periods: np.ndarray) -> np.ndarray:
    """Calendar days of each YYYYMM."""
    return np.array([(month_last(int(p)) - month_first(int(p))).days + 1 for p in periods], dtype=float)
