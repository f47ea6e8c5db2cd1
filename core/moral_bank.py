"""道德银行 (SPEC §8, the Yuyao article): households' moral points on five dimensions, their 道德码 and credit line.

- A household's points are the sum of its ledger (`moral_entry`): evaluations of the 四级评议 (grid, village,
  township, city) on a dimension, volunteer hours (志愿奉献), and deductions — 失信被执行人 (dishonest) and
  行政处罚 (penalty) — that are reported or imported records, each with its source and reference.
- 道德码 (green / yellow / red) and 授信额度 come from the points and the recent deductions by the versioned
  rule `core.config.MORAL_RULE`; `figure` returns them with the steps (catalog keys + numbers) that reached them,
  so a household's view shows the rule version and how its figure was reached.
- Privacy: a household's name is shown in full only to the cadres of its own village (a village scope equal to
  the household's village); everyone else sees it masked (张**).
- Writes: a grid worker (网格评议), a village cadre (村级评议) or a township post (镇级评议) records an evaluation; a
  grid worker or a village cadre records volunteer hours; a township post records a deduction with its source.
  Each write checks role and scope, holds the write lock, appends one scene_event row and recounts the
  village-month of ps_moral_points (core.live through core.rollups.touch_village).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core.actors import Actor
from core.config import MORAL_DIMENSIONS, MORAL_RULE, MoralRule
from core.enums import RegionLevel
from core.errors import NotFound
from core.live import codes_reading
from core.models import MoralEntry, MoralHousehold, Person, Region
from core.record_sources import MORAL_TAKING_PART
from core.rollups import touch_village
from core.scene_common import SceneDenied, SceneRefused, check_role, event, lock, text
from core.scope import Scope
from core.sqlfn import no_index

#: Who evaluates at which level of the 四级评议 (the desk's evaluation form).
EVALUATOR_LEVEL = {"grid_worker": "grid", "village_secretary": "village", "village_committee": "village",
                   "village_admin": "village", "town_admin": "township", "town_leader": "township",
                   "town_party_deputy": "township"}
VOLUNTEER_RECORDERS = frozenset({"grid_worker", "village_secretary", "village_committee", "village_admin"})
DEDUCTORS = frozenset({"town_admin", "town_leader", "town_party_deputy"})
DEDUCTIONS = ("dishonest", "penalty")
CODES = ("green", "yellow", "red")
LEDGER_COLUMNS = ["household_id", "code", "name", "members", "points", *MORAL_DIMENSIONS, "moral_code", "credit",
                  "last_on"]
RANKING_COLUMNS = ["region_id", "region", "households", "taking_part", "participation", "avg_points", "rank"]
EVAL_SOURCE = {"grid": "网格评议", "village": "村级评议", "township": "镇级评议", "city": "市级评议"}
VOLUNTEER_SOURCE = "志愿服务登记"
#: The village of a household on the 红榜 of a village viewer's township when it is another village.
OTHER_VILLAGE = "other_village"


def mask_name(name: str) -> str:
    """张三丰 → 张**: the surname and one * per further character."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _shown_name(name: str, scope: Scope, village_id: int) -> str:
    """The name in full for a viewer of the household's own village, masked for everyone else."""
    own = scope.level == RegionLevel.VILLAGE and scope.region_id == int(village_id)
    return name if own else mask_name(name)


@dataclass(frozen=True)
class Figure:
    """A household's 道德码 and credit line, the rule version and the steps (catalog key, numbers) reaching them."""

    points: float
    moral_code: str
    credit: float
    version: str
    steps: tuple[tuple[str, dict], ...]


def figure(points: float, dishonest: int, deductions: int, rule: MoralRule = MORAL_RULE) -> Figure:
    """道德码 and 授信额度 from the points and the deductions in the rule's look-back window (dishonest: 失信被执行人
    records; deductions: the other ones)."""
    points = round(float(points), 1)
    steps: list[tuple[str, dict]] = [("moral.step.points", {"points": points}),
                                     ("moral.step.deductions", {"days": rule.lookback_days, "dishonest": int(dishonest),
                                                                "other": int(deductions)})]
    if dishonest or points < rule.yellow_min:
        code = "red"
        steps.append(("moral.step.red", {"yellow_min": rule.yellow_min}))
    elif deductions or points < rule.green_min:
        code = "yellow"
        steps.append(("moral.step.yellow", {"green_min": rule.green_min}))
    else:
        code = "green"
        steps.append(("moral.step.green", {"green_min": rule.green_min}))
    raw = min(rule.credit_base + rule.credit_per_point * max(points, 0.0), rule.credit_cap)
    steps.append(("moral.step.line", {"base": rule.credit_base, "per_point": rule.credit_per_point, "points": points,
                                      "cap": rule.credit_cap, "line": raw}))
    factor = rule.credit_factor[code]
    credit = float(np.floor(raw * factor / rule.credit_step) * rule.credit_step)
    steps.append(("moral.step.factor", {"code": code, "factor": factor, "credit": credit}))
    return Figure(points, code, credit, rule.version, tuple(steps))


def _figures(points: pd.Series, dishonest: pd.Series, other: pd.Series, rule: MoralRule) -> tuple[pd.Series, pd.Series]:
    """`figure`'s code and credit for many households at once (the same rule, vectorised)."""
    red = (dishonest > 0) | (points < rule.yellow_min)
    yellow = ~red & ((other > 0) | (points < rule.green_min))
    code = pd.Series(np.where(red, "red", np.where(yellow, "yellow", "green")), index=points.index)
    raw = np.minimum(rule.credit_base + rule.credit_per_point * points.clip(lower=0.0), rule.credit_cap)
    factor = code.map(rule.credit_factor).astype(float)
    return code, pd.Series(np.floor(raw * factor / rule.credit_step) * rule.credit_step, index=points.index)


def _sums(as_of: date, rule: MoralRule) -> list:
    e = MoralEntry.__table__.c
    since = as_of - timedelta(days=rule.lookback_days)
    recent = sa.and_(e.recorded_on > since)
    return [sa.func.sum(e.points).label("points"),
            *(sa.func.sum(sa.case((e.dimension == d, e.points), else_=0.0)).label(d) for d in MORAL_DIMENSIONS),
            sa.func.sum(sa.case((sa.and_(recent, e.kind == "dishonest"), 1), else_=0)).label("dishonest"),
            sa.func.sum(sa.case((sa.and_(recent, e.kind == "penalty"), 1), else_=0)).label("other"),
            sa.func.max(e.recorded_on).label("last_on")]


def village_ledger(session: Session, scope: Scope, village_id: int, as_of: date,
                   rule: MoralRule = MORAL_RULE) -> pd.DataFrame:
    """村级台账: every household of the village in the ledger (LEDGER_COLUMNS) as of `as_of`, points by dimension,
    道德码 and credit line; names masked unless the viewer is the village's own. Highest points first."""
    scope.check(int(village_id))
    e, h = MoralEntry.__table__.c, MoralHousehold.__table__.c
    stmt = (sa.select(h.id, h.code, h.head_name, h.members, *_sums(as_of, rule))
            .select_from(MoralHousehold.__table__.join(MoralEntry.__table__, sa.and_(e.household_id == h.id, e.recorded_on <= as_of)))
            .where(h.village_id == int(village_id), e.village_id == int(village_id))
            .group_by(h.id, h.code, h.head_name, h.members))
    df = pd.DataFrame([tuple(r) for r in session.execute(stmt)],
                      columns=["household_id", "code", "name", "members", "points", *MORAL_DIMENSIONS, "dishonest",
                               "other", "last_on"])
    if df.empty:
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    df["points"] = df["points"].astype(float).round(1)
    df["name"] = [_shown_name(n, scope, int(village_id)) for n in df["name"]]
    df["moral_code"], df["credit"] = _figures(df["points"], df["dishonest"], df["other"], rule)
    df = df.sort_values(["points", "household_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return df[LEDGER_COLUMNS]


@dataclass(frozen=True)
class HouseholdView:
    """One household as the viewer may see it: facts, points by dimension, the figure and the ledger lines."""

    facts: dict
    dimensions: dict[str, float]
    figure: Figure
    entries: pd.DataFrame  # entry_id, recorded_on, kind, dimension, level, points, hours, source, source_ref, recorder, note


def _household(session: Session, scope: Scope, household_id: int) -> MoralHousehold:
    hh = session.get(MoralHousehold, int(household_id))
    if hh is None or not scope.contains(hh.village_id):
        raise NotFound(f"农户 {household_id} 不存在或不在您的数据权限范围内")
    return hh


def household_view(session: Session, scope: Scope, household_id: int, as_of: date,
                   rule: MoralRule = MORAL_RULE) -> HouseholdView:
    """The household `household_id` (NotFound outside the viewer's scope) as of `as_of`."""
    hh = _household(session, scope, household_id)
    e, p = MoralEntry.__table__.c, Person.__table__.c
    rows = session.execute(sa.select(e.id, e.recorded_on, e.kind, e.dimension, e.level, e.points, e.hours, e.source,
                                     e.source_ref, p.name, e.note)
                           .select_from(MoralEntry.__table__.outerjoin(Person.__table__, p.id == e.recorded_by))
                           .where(e.household_id == hh.id, e.recorded_on <= as_of)
                           .order_by(e.recorded_on.desc(), e.id.desc())).tuples().all()
    entries = pd.DataFrame([tuple(r) for r in rows], columns=["entry_id", "recorded_on", "kind", "dimension", "level",
                                                               "points", "hours", "source", "source_ref", "recorder",
                                                               "note"])
    since = as_of - timedelta(days=rule.lookback_days)
    recent = entries[pd.to_datetime(entries["recorded_on"]) > pd.Timestamp(since)] if len(entries) else entries
    fig = figure(float(entries["points"].sum()) if len(entries) else 0.0, int((recent["kind"] == "dishonest").sum()),
                 int((recent["kind"] == "penalty").sum()), rule)
    dims = {d: round(float(entries.loc[entries["dimension"] == d, "points"].sum()), 1) for d in MORAL_DIMENSIONS}
    village = session.get(Region, hh.village_id)
    facts = {"household_id": hh.id, "code": hh.code, "name": _shown_name(hh.head_name, scope, hh.village_id),
             "village": village.name if village else None, "members": hh.members, "joined_on": hh.joined_on}
    return HouseholdView(facts, dims, fig, entries)


def _village_rows(session: Session, scope: Scope, as_of: date) -> pd.DataFrame:
    """Per village of the scope: registered households, households taking part, households in the ledger and
    their points summed."""
    e, r = MoralEntry.__table__.c, Region.__table__.c
    part = sa.case((e.kind.in_(MORAL_TAKING_PART), e.household_id))
    stmt = (sa.select(e.village_id, sa.func.count(sa.distinct(part)), sa.func.count(sa.distinct(e.household_id)),
                      sa.func.sum(e.points))
            .where(e.village_id.between(scope.lo, scope.hi), e.recorded_on <= as_of).group_by(e.village_id))
    got = pd.DataFrame([tuple(x) for x in session.execute(stmt)], columns=["region_id", "taking_part", "in_ledger", "sum"])
    villages = pd.DataFrame([tuple(x) for x in session.execute(
        sa.select(r.id, r.name, r.households).where(r.id.between(scope.lo, scope.hi), r.level == RegionLevel.VILLAGE))],
        columns=["region_id", "region", "households"])
    out = villages.merge(got, on="region_id", how="left").fillna({"taking_part": 0, "in_ledger": 0, "sum": 0.0})
    return out


def _ranked(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["participation"] = np.where(df["households"] > 0, df["taking_part"] / df["households"].where(df["households"] > 0, 1)
                                   * 100, 0.0).round(1)
    df["participation"] = df["participation"].clip(upper=100.0)
    df["avg_points"] = np.where(df["in_ledger"] > 0, df["sum"] / df["in_ledger"].where(df["in_ledger"] > 0, 1), 0.0).round(1)
    df = df.sort_values(["participation", "avg_points", "region_id"], ascending=[False, False, True], kind="stable")
    df["rank"] = np.arange(1, len(df) + 1)
    df[["households", "taking_part"]] = df[["households", "taking_part"]].astype(int)
    return df.reset_index(drop=True)[RANKING_COLUMNS]


def village_ranking(session: Session, scope: Scope, as_of: date) -> pd.DataFrame:
    """The villages of the scope ranked by participation (households taking part ÷ households, %), then by the
    average points of the households in the ledger (RANKING_COLUMNS)."""
    return _ranked(_village_rows(session, scope, as_of))


def township_ranking(session: Session, scope: Scope, as_of: date) -> pd.DataFrame:
    """The townships of the scope ranked as `village_ranking` (their villages summed); empty in a village scope."""
    if scope.level == RegionLevel.VILLAGE:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    v = _village_rows(session, scope, as_of)
    v["region_id"] = v["region_id"] // 1000 * 1000
    t = v.groupby("region_id", as_index=False)[["households", "taking_part", "in_ledger", "sum"]].sum()
    r = Region.__table__.c
    names = dict(session.execute(sa.select(r.id, r.name).where(r.id.in_([int(x) for x in t["region_id"]]))).tuples().all())
    t["region"] = t["region_id"].map(names)
    return _ranked(t)


def _villages_in(column, lo: int, hi: int) -> sa.ColumnElement[bool]:
    """The village range; above a township read the table in household order rather than walk the village index
    (a city's range is most of the table: the index walk plus the GROUP BY's temporary tree cost twice the scan)."""
    return (no_index(column) if hi - lo >= 10**6 else column).between(lo, hi)


def code_counts(session: Session, scope: Scope, as_of: date, rule: MoralRule = MORAL_RULE) -> dict[str, float]:
    """道德码 of the scope's households in the ledger (green, yellow, red) and their credit lines summed (元).

    The households are grouped in SQL by (points, a recent 失信被执行人 record, another recent deduction) — a few
    thousand groups at city size instead of a row per household — and the rule (`_figures`) runs on the groups."""
    e = MoralEntry.__table__.c
    since = as_of - timedelta(days=rule.lookback_days)
    recent = e.recorded_on > since
    # round(numeric, int): PostgreSQL has no round(double precision, int)
    per = (sa.select(e.household_id, sa.func.round(sa.cast(sa.func.sum(e.points), sa.Numeric(14, 2)), 1).label("p"),
                     sa.func.max(sa.case((sa.and_(recent, e.kind == "dishonest"), 1), else_=0)).label("d"),
                     sa.func.max(sa.case((sa.and_(recent, e.kind == "penalty"), 1), else_=0)).label("o"))
           .where(_villages_in(e.village_id, scope.lo, scope.hi), e.recorded_on <= as_of)
           .group_by(e.household_id).subquery())
    stmt = sa.select(per.c.p, per.c.d, per.c.o, sa.func.count()).group_by(per.c.p, per.c.d, per.c.o)
    df = pd.DataFrame([tuple(x) for x in session.execute(stmt)], columns=["points", "dishonest", "other", "n"])
    out: dict[str, float] = {c: 0 for c in CODES}
    out["credit"] = 0.0
    if df.empty:
        return out
    code, credit = _figures(df["points"].astype(float), df["dishonest"], df["other"], rule)
    out.update({c: int(df["n"][code == c].sum()) for c in CODES})
    out["credit"] = float((credit * df["n"]).sum())
    return out


def honor_board(session: Session, scope: Scope, as_of: date, limit: int = 10) -> pd.DataFrame:
    """道德红榜 (公示): the households with the most points in the viewer's township (a village viewer: its own
    township), names masked except for a village viewer's own households; another village shows as OTHER_VILLAGE
    to a village viewer. Columns: village, name, points, moral_code."""
    lo, hi = ((scope.region_id // 1000 * 1000, scope.region_id // 1000 * 1000 + 999)
              if scope.level == RegionLevel.VILLAGE else (scope.lo, scope.hi))
    e, h, r = MoralEntry.__table__.c, MoralHousehold.__table__.c, Region.__table__.c
    top = (sa.select(e.household_id.label("hid"), sa.func.sum(e.points).label("pts"))
           .where(_villages_in(e.village_id, lo, hi), e.recorded_on <= as_of)
           .group_by(e.household_id).order_by(sa.func.sum(e.points).desc(), e.household_id).limit(int(limit)).subquery())
    stmt = (sa.select(h.village_id, r.name, h.head_name, top.c.pts)
            .select_from(top.join(MoralHousehold.__table__, h.id == top.c.hid).join(Region.__table__, r.id == h.village_id))
            .order_by(top.c.pts.desc(), h.id))
    rows = []
    for vid, vname, name, pts in session.execute(stmt).tuples():
        mine = scope.contains(int(vid))
        rows.append((vname if mine or scope.level != RegionLevel.VILLAGE else OTHER_VILLAGE,
                     _shown_name(name, scope, int(vid)), round(float(pts), 1)))
    df = pd.DataFrame(rows, columns=["village", "name", "points"])
    return df


# ---- writes ---------------------------------------------------------------------------------------------


def _write(session: Session, actor: Actor, hh: MoralHousehold, *, kind: str, dimension: str, level: str | None,
           points: float, hours: float | None, source: str, source_ref: str | None, note: str | None,
           now: datetime, action: str) -> MoralEntry:
    lock(session)
    entry = MoralEntry(household_id=cast(int, hh.id), village_id=hh.village_id, kind=kind, dimension=dimension,
                       level=level, points=round(float(points), 1), hours=hours, source=source[:64],
                       source_ref=(source_ref or "").strip()[:64] or None, recorded_by=actor.person_id,
                       recorded_on=now.date(), note=(note or "").strip()[:256] or None)
    session.add(entry)
    session.flush()
    event(session, kind="moral_entry", record_id=cast(int, entry.id), region_id=hh.village_id, actor=actor,
          action=action, note=f"{hh.code} {entry.points:+g}", now=now)
    session.flush()
    touch_village(session, hh.village_id, {now.year * 100 + now.month}, now=now, cause=f"moral_entry:{entry.id}",
                  codes=codes_reading("moral"))
    return entry


def register_household(session: Session, *, actor: Actor, head_name: str, members: int, now: datetime) -> MoralHousehold:
    """入户建档: a village cadre adds a household of the village to the bank (户号: the village's next number). It takes
    part (counts in ps_moral_points) from its first evaluation or volunteer line."""
    check_role(actor, VOLUNTEER_RECORDERS - {"grid_worker"}, "moral_register")
    if actor.level != RegionLevel.VILLAGE:
        raise SceneDenied("scene.err.village_only")
    name = text(head_name, "moral.err.head_name", 32)
    if members is None or not 1 <= int(members) <= 20:
        raise SceneRefused("moral.err.members")
    lock(session)
    h = MoralHousehold.__table__.c
    last = session.execute(sa.select(sa.func.max(h.code)).where(h.village_id == actor.region_id)).scalar()
    seq = int(str(last)[-4:]) + 1 if last and str(last)[-4:].isdigit() else 1
    hh = MoralHousehold(village_id=actor.region_id, code=f"{actor.region_id % 1000:03d}{seq:04d}", head_name=name,
                        members=int(members), joined_on=now.date())
    session.add(hh)
    session.flush()
    event(session, kind="moral_household", record_id=cast(int, hh.id), region_id=actor.region_id, actor=actor,
          action="register", note=hh.code, now=now)
    session.flush()
    return hh


def record_evaluation(session: Session, *, actor: Actor, household_id: int, dimension: str, points: float,
                      now: datetime, note: str | None = None, rule: MoralRule = MORAL_RULE) -> MoralEntry:
    """评议: the actor's level of the 四级评议 (grid worker: grid; village cadre: village; township: township) gives
    a household of its scope 1..the level's maximum points on a dimension other than 志愿奉献."""
    check_role(actor, EVALUATOR_LEVEL, "moral_evaluate")
    level = EVALUATOR_LEVEL[actor.role]
    hh = _household(session, actor.scope, household_id)
    if dimension not in MORAL_DIMENSIONS or dimension == "volunteer":
        raise SceneRefused("moral.err.dimension")
    top = rule.level_max[level]
    if points is None or not 0 < float(points) <= top:
        raise SceneRefused("moral.err.points", top=top)
    return _write(session, actor, hh, kind="evaluation", dimension=dimension, level=level, points=float(points),
                  hours=None, source=EVAL_SOURCE[level], source_ref=None, note=note, now=now, action="evaluate")


def record_volunteer(session: Session, *, actor: Actor, household_id: int, hours: float, now: datetime,
                     note: str | None = None, rule: MoralRule = MORAL_RULE) -> MoralEntry:
    """志愿奉献: a grid worker or a village cadre records a household's volunteer hours (points per hour by the rule)."""
    check_role(actor, VOLUNTEER_RECORDERS, "moral_volunteer")
    hh = _household(session, actor.scope, household_id)
    if hours is None or not 0 < float(hours) <= rule.max_hours:
        raise SceneRefused("moral.err.hours", top=rule.max_hours)
    h = round(float(hours), 1)
    return _write(session, actor, hh, kind="volunteer", dimension="volunteer", level=None,
                  points=h * rule.points_per_hour, hours=h, source=VOLUNTEER_SOURCE, source_ref=None, note=note,
                  now=now, action="volunteer")


def record_deduction(session: Session, *, actor: Actor, household_id: int, kind: str, source: str,
                     source_ref: str | None, now: datetime, note: str | None = None,
                     rule: MoralRule = MORAL_RULE) -> MoralEntry:
    """扣分: a township post records a 失信被执行人 (dishonest) or 行政处罚 (penalty) record of a household of its
    township, with where it comes from (source, required) and its reference; the rule sets the points."""
    check_role(actor, DEDUCTORS, "moral_deduct")
    if actor.level != RegionLevel.TOWNSHIP:
        raise SceneDenied("scene.err.township_only")
    hh = _household(session, actor.scope, household_id)
    if kind not in DEDUCTIONS:
        raise SceneRefused("moral.err.kind")
    source = text(source, "moral.err.source", 64)
    return _write(session, actor, hh, kind=kind, dimension=rule.deduction_dimension[kind], level=None,
                  points=-rule.deduction[kind], hours=None, source=source, source_ref=source_ref, note=note, now=now,
                  action="deduct")
