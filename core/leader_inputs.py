"""Inputs of the 领雁指数 and cadre score: one grouped SQL aggregate per input over a village range.

Each query groups by village (or person) and month, so one load serves a ranked list of every
secretary of a region, two neighbouring months (movement) or a 12-month trend. `PersonFacts`
are the window sums for one person and month; `core.leader_index` turns them into scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import cast

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.config import get_settings
from core.errors import NotFound
from core.models import (
    Decision,
    DecisionStep,
    Evaluation,
    IndicatorDef,
    IndicatorValue,
    Person,
    Post,
    Region,
    RollupAppealMonth,
    RollupDiaryMonth,
    RollupIndicator,
    RollupTaskMonth,
    RollupTaskOwner,
)
from core.scope import Scope

__all__ = ["NotFound", "PersonFacts", "load_facts", "load_facts_periods", "person_post", "people", "shift",
           "county_of"]

WINDOW, DECISION_WINDOW = 3, 12
TEAM_ROLES = ("village_secretary", "village_committee")


def shift(period: int, k: int) -> int:
    """The month `k` months after `period` (YYYYMM; k may be negative)."""
    y, m = divmod(int(period), 100)
    n = y * 12 + (m - 1) + k
    return (n // 12) * 100 + n % 12 + 1


def start_of(period: int) -> date:
    return date(int(period) // 100, int(period) % 100, 1)


def end_of(period: int) -> date:
    """First day of the month after `period` (exclusive end)."""
    return start_of(shift(period, 1))


def county_of(region_id: int) -> int:
    """Id of the county containing a village or township."""
    return int(region_id) // 1_000_000 * 1_000_000


@dataclass
class PersonFacts:
    """Window sums of every input for one person (and their village) and one month."""

    person_id: int
    name: str
    role: str
    title: str
    village_id: int
    village_name: str
    tasks_due: int = 0
    tasks_on_time: int = 0
    demo: dict = field(default_factory=dict)  # source → mean points
    demo_n: dict = field(default_factory=dict)  # source → count
    demo_all: float | None = None
    appeals: int = 0
    appeals_on_time: int = 0
    rated: int = 0
    good: int = 0
    mid: int = 0
    decisions: int = 0
    decisions_ok: int = 0
    visits: int = 0
    weeks: float = 0.0
    economy: list = field(default_factory=list)  # (code, name, raw, norm 0–100, county min, county max)
    warning_points: float = 0.0
    warning_n: int = 0
    honor_points: float = 0.0
    honor_n: int = 0
    violations: float = 0.0
    task_weighted: float = 0.0
    task_difficulty: float = 0.0
    task_n: int = 0
    records: dict = field(default_factory=dict)  # contribution code → (kind, ids)


@dataclass(frozen=True)
class PersonPost:
    """The village post a person is scored in."""

    person_id: int
    role: str
    village_id: int


def person_post(session: Session, scope: Scope, person_id: int) -> PersonPost:
    """The person's two-committee post inside the scope (secretary first); NotFound otherwise."""
    row = session.execute(sa.select(col(Post.person_id), col(Post.role), col(Post.region_id))
                       .where(col(Post.person_id) == int(person_id), col(Post.active), col(Post.role).in_(TEAM_ROLES),
                              col(Post.region_id).between(scope.lo, scope.hi))
                       .order_by(sa.case((col(Post.role) == "village_secretary", 0), else_=1), col(Post.id)).limit(1)).first()
    if row is None:
        raise NotFound("在您的数据权限范围内找不到该村两委干部")
    return PersonPost(int(row.person_id), row.role, int(row.region_id))


def _df(session: Session, stmt, cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in session.exec(stmt).all()], columns=cols)  # Row → tuple: pandas probes each Row's attributes


def people(session: Session, lo: int, hi: int, roles, person_id: int | None = None) -> pd.DataFrame:
    """Holders of active `roles` posts at villages lo..hi (one row per person, secretary post first)."""
    stmt = (sa.select(col(Post.person_id), col(Person.name), col(Post.role), col(Post.title), col(Post.region_id), col(Region.name))
            .join(Person, col(Person.id) == Post.person_id).join(Region, col(Region.id) == Post.region_id)
            .where(col(Post.active), col(Post.role).in_(list(roles)), col(Post.region_id).between(lo, hi))
            .order_by(col(Post.region_id), sa.case((col(Post.role) == "village_secretary", 0), else_=1), col(Post.id)))
    if person_id is not None:
        stmt = stmt.where(col(Post.person_id) == int(person_id))
    df = _df(session, stmt, ["person_id", "name", "role", "title", "village_id", "village_name"])
    return df.drop_duplicates("person_id")


def _load_monthly(session: Session, lo: int, hi: int, periods: list[int], person_id: int | None,
                  bounds: pd.DataFrame | None = None, roles=TEAM_ROLES) -> dict[str, dict[int, list[dict]]]:
    """Monthly aggregates of every input for villages lo..hi covering the windows of `periods`.

    Person-level inputs are limited to `person_id`, or else to holders of `roles` posts in lo..hi.
    """
    holders = (sa.select(col(Post.person_id)).where(col(Post.role).in_(list(roles)), col(Post.active), col(Post.region_id).between(lo, hi))
               .scalar_subquery() if person_id is None else None)
    m0, m1 = shift(min(periods), 1 - WINDOW), max(periods)
    d1 = end_of(m1)
    out: dict[str, pd.DataFrame] = {}
    rt, ro, ra = RollupTaskMonth.__table__.c, RollupTaskOwner.__table__.c, RollupAppealMonth.__table__.c
    out["team"] = _df(session, sa.select(rt.region_id, rt.period, rt.due, rt.on_time)
                      .where(rt.region_id.between(lo, hi), rt.level == "village", rt.period.between(m0, m1)),
                      ["village_id", "ym", "due", "on_time"])
    own = (sa.select(ro.owner_id, ro.period, sa.func.sum(ro.weighted), sa.func.sum(ro.difficulty), sa.func.sum(ro.n))
           .where(ro.village_id.between(lo, hi), ro.period.between(m0, m1)).group_by(ro.owner_id, ro.period))
    own = own.where(ro.owner_id == int(person_id) if person_id is not None else ro.owner_id.in_(cast(sa.ScalarSelect, holders)))
    out["own"] = _df(session, own, ["person_id", "ym", "weighted", "difficulty", "n"])
    ev = (sa.select(col(Evaluation.person_id), col(Evaluation.period), col(Evaluation.kind), col(Evaluation.source),
                    sa.func.sum(col(Evaluation.points)), sa.func.count())
          .where(col(Evaluation.village_id).between(lo, hi), col(Evaluation.period).between(m0, m1))
          .group_by(col(Evaluation.person_id), col(Evaluation.period), Evaluation.kind, Evaluation.source))
    ev = ev.where(col(Evaluation.person_id) == int(person_id) if person_id is not None else col(Evaluation.person_id).in_(cast(sa.ScalarSelect, holders)))
    out["eval"] = _df(session, ev, ["person_id", "ym", "kind", "source", "points", "n"])
    out["appeal"] = _df(session, sa.select(ra.region_id, ra.period, ra.n, ra.on_time, ra.rated, ra.good, ra.mid)
                        .where(ra.region_id.between(lo, hi), ra.level == "village", ra.period.between(m0, m1)),
                        ["village_id", "ym", "n", "on_time", "rated", "good", "mid"])
    out["decision"] = _decisions(session, lo, hi, start_of(shift(min(periods), 1 - DECISION_WINDOW)), d1)
    rd = RollupDiaryMonth.__table__.c
    dv = (sa.select(rd.person_id, rd.period, sa.func.sum(rd.visits))
          .where(rd.village_id.between(lo, hi), rd.period.between(m0, m1)).group_by(rd.person_id, rd.period))
    dv = dv.where(rd.person_id == int(person_id) if person_id is not None else rd.person_id.in_(cast(sa.ScalarSelect, holders)))
    out["diary"] = _df(session, dv, ["person_id", "ym", "visits"])
    months = [m0]
    while months[-1] < m1:
        months.append(shift(months[-1], 1))
    # period IN (…) so the (period, indicator_code, village_id) key is searched per month: with a period
    # range SQLite searched the range only and read every indicator row of those months (0.5 s on the city)
    out["violations"] = _df(session, sa.select(col(IndicatorValue.village_id), col(IndicatorValue.period), col(IndicatorValue.value))
                            .where(col(IndicatorValue.village_id).between(lo, hi), col(IndicatorValue.period).in_(months),
                                   col(IndicatorValue.indicator_code) == "sa_violations"), ["village_id", "ym", "value"])
    out["economy"] = _economy(session, lo, hi, periods, bounds)
    dec = out["decision"]
    out["decision"] = dec.assign(one=1, ok=dec["ok"].astype(int))
    return {k: _by_month(v.to_dict("records")) for k, v in out.items()}


def _by_month(rows: list[dict]) -> dict[int, list[dict]]:
    """Rows bucketed by month, so each period's window reads only its own months' rows."""
    out: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        out[int(r["ym"])].append(r)
    return out


def _decisions(session: Session, lo: int, hi: int, d0: date, d1: date) -> pd.DataFrame:
    """One row per decision opened in [d0, d1): village, month opened, and whether it followed 五议两公开."""
    in_order = sa.func.sum(sa.case((col(DecisionStep.seq) == DecisionStep.step, 1), else_=0))
    rows = _df(session, sa.select(col(Decision.id), col(Decision.village_id), col(Decision.opened_on), col(Decision.closed_on), col(Decision.limit_days),
                                  sa.func.count(col(DecisionStep.id)), in_order, sa.func.min(col(DecisionStep.step)),
                                  sa.func.max(col(DecisionStep.step)))
               .join(DecisionStep, col(DecisionStep.decision_id) == Decision.id, isouter=True)
               .where(col(Decision.village_id).between(lo, hi), col(Decision.opened_on) >= d0, col(Decision.opened_on) < d1)
               .group_by(col(Decision.village_id), col(Decision.id)), ["id", "village_id", "opened_on", "closed_on", "limit_days", "n", "in_order", "min", "max"])
    if rows.empty:
        return rows.assign(ym=pd.Series(dtype=int), ok=pd.Series(dtype=bool))
    rows["ym"] = [d.year * 100 + d.month for d in rows["opened_on"]]
    today = get_settings().as_of
    rows["ok"] = [decision_ok(*r, today=today) for r in rows[["n", "in_order", "min", "max", "opened_on", "closed_on",  # type: ignore[misc]  # r: the 7 fields before `today`
                                                                   "limit_days"]].itertuples(index=False)]
    return rows


def decision_ok(n, in_order, lo, hi, opened: date, closed: date | None, limit_days: int, today: date | None = None) -> bool:
    """True when the steps so far are 1..n in order, a closed one has all seven, and it is within its limit."""
    n = int(n or 0)
    if n == 0 or int(in_order) != n or int(lo) != 1 or int(hi) != n or (closed is not None and n != 7):
        return False
    end = closed or today
    return end is None or (end - opened).days <= int(limit_days)


def _economy_defs(session: Session) -> pd.DataFrame:
    return _df(session, sa.select(col(IndicatorDef.code), col(IndicatorDef.name_zh), col(IndicatorDef.higher_is_better), col(IndicatorDef.sort))
               .where(col(IndicatorDef.module) == "economy"), ["code", "name", "up", "sort"])


def economy_bounds(session: Session, lo: int, hi: int, periods: list[int]) -> pd.DataFrame:
    """County × month × ec_* indicator: min and max over the villages of the counties covering lo..hi.

    The same for every person of a county: callers may compute it once and pass it in (`bounds=`).
    """
    codes = list(_economy_defs(session)["code"])
    ri = RollupIndicator.__table__.c
    return _df(session, sa.select(ri.region_id // 1_000_000, ri.period, ri.indicator_code, ri.value_min, ri.value_max)
               .where(ri.level == "county", ri.period.in_(periods), ri.indicator_code.in_(codes),
                      ri.region_id.between(county_of(lo), county_of(hi) + 999_999)),
               ["county", "ym", "code", "lo", "hi"])


def _economy(session: Session, lo: int, hi: int, periods: list[int], bounds: pd.DataFrame | None) -> pd.DataFrame:
    """ec_* values of villages lo..hi in `periods`, min–max normalised within each county (0–100)."""
    defs = _economy_defs(session)
    vals = _df(session, sa.select(col(IndicatorValue.id), col(IndicatorValue.village_id), col(IndicatorValue.period),
                                  col(IndicatorValue.indicator_code), col(IndicatorValue.value))
               .where(col(IndicatorValue.period).in_(periods), col(IndicatorValue.indicator_code).in_(list(defs["code"])),
                      col(IndicatorValue.village_id).between(lo, hi)), ["id", "village_id", "ym", "code", "value"])
    if bounds is None or not set(periods) <= set(bounds["ym"]):
        bounds = economy_bounds(session, lo, hi, periods)
    vals["county"] = vals["village_id"] // 1_000_000
    df = vals.merge(bounds, on=["county", "ym", "code"]).merge(defs, on="code")
    span = (df["hi"] - df["lo"]).where(df["hi"] > df["lo"])
    frac = ((df["value"] - df["lo"]) / span).fillna(0.5)
    df["norm"] = (frac.where(df["up"], 1 - frac) * 100.0).round(2)
    return df.sort_values(["village_id", "ym", "sort"])


def _window_sum(by_month: dict[int, list[dict]], key: str, months: set[int], cols: list[str]) -> dict:
    acc: dict = {}
    for m in months:
        for r in by_month.get(m, ()):
            a = acc.setdefault(r[key], dict.fromkeys(cols, 0))
            for c in cols:
                a[c] += r[c] or 0
    return acc


def _facts_for(people: pd.DataFrame, m: dict[str, dict[int, list[dict]]], period: int) -> list[PersonFacts]:
    months = [shift(period, -k) for k in range(WINDOW)]
    mset, dset = set(months), {shift(period, -k) for k in range(DECISION_WINDOW)}
    team = _window_sum(m["team"], "village_id", mset, ["due", "on_time"])
    own = _window_sum(m["own"], "person_id", mset, ["weighted", "difficulty", "n"])
    app = _window_sum(m["appeal"], "village_id", mset, ["n", "on_time", "rated", "good", "mid"])
    dec = _window_sum(m["decision"], "village_id", dset, ["one", "ok"])
    diary = _window_sum(m["diary"], "person_id", mset, ["visits"])
    viol = _window_sum(m["violations"], "village_id", mset, ["value"])
    evd: dict = defaultdict(list)
    for ym in months:
        for r in m["eval"].get(ym, ()):
            evd[r["person_id"]].append(r)
    ecod: dict = defaultdict(list)
    for r in m["economy"].get(period, ()):
        ecod[r["village_id"]].append((r["code"], r["name"], float(r["value"]), float(r["norm"]), float(r["lo"]), float(r["hi"])))
    weeks = ((end_of(period) - start_of(months[-1])).days) / 7.0
    out = []
    for p in people.itertuples(index=False):
        f = PersonFacts(int(p.person_id), p.name, p.role, p.title, int(p.village_id), p.village_name, weeks=round(weeks, 2))
        t, a, o = team.get(p.village_id, {}), app.get(p.village_id, {}), own.get(p.person_id, {})
        f.tasks_due, f.tasks_on_time = int(t.get("due", 0)), int(t.get("on_time", 0))
        f.appeals, f.appeals_on_time = int(a.get("n", 0)), int(a.get("on_time", 0))
        f.rated, f.good, f.mid = int(a.get("rated", 0)), int(a.get("good", 0)), int(a.get("mid", 0))
        d = dec.get(p.village_id, {})
        f.decisions, f.decisions_ok = int(d.get("one", 0)), int(d.get("ok", 0))
        f.visits = int(diary.get(p.person_id, {}).get("visits", 0))
        f.violations = float(viol.get(p.village_id, {}).get("value", 0.0))
        f.task_weighted, f.task_difficulty, f.task_n = float(o.get("weighted", 0.0)), float(o.get("difficulty", 0.0)), int(o.get("n", 0))
        f.economy = ecod.get(p.village_id, [])
        _add_evals(f, evd.get(p.person_id, []))
        out.append(f)
    return out


def _add_evals(f: PersonFacts, rows) -> None:
    sums: dict = defaultdict(float)
    counts: dict = defaultdict(int)
    for r in rows:
        if r["kind"] == "democratic":
            sums[r["source"]] += float(r["points"])
            counts[r["source"]] += int(r["n"])
        elif r["kind"] == "honor":
            f.honor_points += float(r["points"])
            f.honor_n += int(r["n"])
        elif r["kind"] == "warning":
            f.warning_points += float(r["points"])
            f.warning_n += int(r["n"])
    f.demo = {s: sums[s] / counts[s] for s in counts if counts[s]}
    f.demo_n = dict(counts)
    total = sum(counts.values())
    f.demo_all = sum(sums.values()) / total if total else None


def load_facts(session: Session, lo: int, hi: int, period: int, roles=("village_secretary",), *,
               person_id: int | None = None, bounds: pd.DataFrame | None = None) -> list[PersonFacts]:
    """Facts of everyone with `roles` at villages lo..hi for `period`, by village then secretary first."""
    who = people(session, lo, hi, roles, person_id)
    if who.empty:
        return []
    return _facts_for(who, _load_monthly(session, lo, hi, [period], person_id, bounds, roles), period)


def load_facts_periods(session: Session, lo: int, hi: int, periods: list[int], roles=TEAM_ROLES,
                       person_id: int | None = None, bounds: pd.DataFrame | None = None) -> dict[int, list[PersonFacts]]:
    """Facts for several months (trend, movement) from one load of monthly aggregates."""
    who = people(session, lo, hi, roles, person_id)
    if who.empty:
        return {p: [] for p in periods}
    m = _load_monthly(session, lo, hi, periods, person_id, bounds, roles)
    return {p: _facts_for(who, m, p) for p in periods}
