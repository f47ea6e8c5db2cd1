"""村社档案: one village's whole record for an analyst, as a frozen dataclass of DataFrames.

Every query filters by the village id (checked against the viewer's scope first), so a record
never contains another village's rows. Aggregates are done in SQL (GROUP BY).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core import i18n
from core.config import get_settings
from core.enums import (
    DECISION_STEPS,
    OPEN_TASK_STATUSES,
    RATINGS,
)
from core.errors import NotFound
from core.leader_index import DIMENSIONS, team_table
from core.leader_inputs import decision_ok, end_of, shift, start_of
from core.models import (
    Appeal,
    Decision,
    DecisionStep,
    DiaryVisit,
    Grid,
    IndicatorDef,
    IndicatorValue,
    Person,
    Region,
    Task,
    TaskEvent,
)
from core.scope import Scope

#: Sections in reading order (headers: `section.<key>` in the catalog).
SECTIONS = ("profile", "team", "grids", "tasks", "appeals", "diary", "decisions", "indicators")
#: Per section, the columns that hold vocabulary codes and their kind (ui shows them as terms).
SECTION_VOCAB: dict[str, dict[str, str]] = {
    "profile": {}, "team": {}, "grids": {}, "diary": {},
    "tasks": {"category": "task_category", "module": "module", "status": "task_status"},
    "timeline": {"action": "task_action", "from_status": "task_status", "to_status": "task_status"},
    "appeals": {"category": "appeal_category"},
    "decisions": {"step_order": "decision_step", "compliant": "bool"},
    "indicators": {"module": "module", "unit": "unit", "higher_better": "bool"},
}


@dataclass(frozen=True)
class VillageRecord:
    """The whole record of one village for one month (sections are DataFrames with key columns and codes)."""

    village_id: int
    name: str
    period: int
    profile: dict = field(hash=False)
    boundary: str = field(hash=False, repr=False)
    team: pd.DataFrame = field(hash=False, repr=False)
    grids: pd.DataFrame = field(hash=False, repr=False)
    tasks: pd.DataFrame = field(hash=False, repr=False)
    task_counts: dict = field(hash=False)
    appeals: pd.DataFrame = field(hash=False, repr=False)
    diary: pd.DataFrame = field(hash=False, repr=False)
    decisions: pd.DataFrame = field(hash=False, repr=False)
    indicators: pd.DataFrame = field(hash=False, repr=False)

    def sections(self) -> dict[str, pd.DataFrame]:
        """Section key → table, in reading order (one sheet each in the Excel export); the profile as item/content rows."""
        prof = pd.DataFrame([{"item": k, "content": v} for k, v in self.profile.items()])
        return {"profile": prof, "team": self.team, "grids": self.grids, "tasks": self.tasks, "appeals": self.appeals,
                "diary": self.diary, "decisions": self.decisions, "indicators": self.indicators}


def _q(session: Session, stmt, cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in session.exec(stmt).all()], columns=cols)


def _profile(session: Session, village_id: int) -> tuple[str, dict, str]:
    r = session.execute(sa.select(Region).where(col(Region.id) == village_id, col(Region.level) == "village")).scalars().first()
    if r is None:
        raise NotFound(f"村社 {village_id} 不存在")
    town = session.get(Region, village_id // 1000 * 1000)
    county = session.get(Region, village_id // 1_000_000 * 1_000_000)
    prof = {"name": r.name, "region_code": r.code, "kind": "community" if r.kind == "community" else "village",
            "belongs_to": " › ".join(x.name for x in (county, town) if x), "households": r.households,
            "population": r.population, "area": round(r.area_km2, 2)}
    return r.name, prof, r.boundary


def _team(session: Session, scope: Scope, village_id: int, period: int) -> pd.DataFrame:
    df = team_table(session, scope, village_id, period)
    out = df[["name", "title", "rule_version", *DIMENSIONS, "index", "cadre_score"]].copy()
    out[[*DIMENSIONS, "index", "cadre_score"]] = out[[*DIMENSIONS, "index", "cadre_score"]].astype(float).round(2)
    out.insert(0, "person_id", df["person_id"])
    return out.rename(columns={"name": "person", "title": "post", "index": "leader_index"})


def _tasks(session: Session, village_id: int, today: date, since: date) -> tuple[pd.DataFrame, dict]:
    df = _q(session, sa.select(col(Task.id), col(Task.code), col(Task.title), col(Task.category), col(Task.module), col(Task.difficulty), col(Person.name),
                               col(Task.status), col(Task.dispatched_at), col(Task.deadline), col(Task.done_at), col(Task.quality_score), col(Task.urge_count))
            .join(Person, col(Person.id) == col(Task.owner_id)).where(col(Task.village_id) == village_id, col(Task.dispatched_at) >= since)
            .order_by(col(Task.deadline).desc()),
            ["id", "number", "task", "category", "module", "difficulty", "owner", "stored_status", "dispatched",
             "deadline_short", "done", "quality", "urges"])
    open_ = df["stored_status"].isin([str(s) for s in OPEN_TASK_STATUSES])
    overdue = open_ & (df["deadline_short"] < today)
    df.insert(8, "status", [("overdue" if o else s) for s, o in zip(df["stored_status"], overdue, strict=True)])
    counts = {"open": int(open_.sum()), "overdue": int(overdue.sum()),
              "done": int(df["stored_status"].isin(["done", "scored"]).sum()), "total": len(df)}
    return df.drop(columns="stored_status"), counts


def _grids(session: Session, village_id: int, today: date) -> pd.DataFrame:
    """Grids of the village with 网格员, households and open / overdue tasks (one grouped query each)."""
    df = _q(session, sa.select(col(Grid.id), col(Grid.code), col(Grid.name), col(Grid.households), col(Grid.population), col(Person.name), col(Person.phone))
            .join(Person, col(Person.id) == col(Grid.worker_id), isouter=True).where(col(Grid.village_id) == village_id).order_by(col(Grid.id)),
            ["id", "grid_code", "grid", "households", "population", "grid_worker", "phone"])
    is_open = col(Task.status).in_([str(s) for s in OPEN_TASK_STATUSES])
    counts = {int(g): (int(n), int(o or 0)) for g, n, o in session.execute(
        sa.select(col(Task.grid_id), sa.func.count(), sa.func.sum(sa.case((col(Task.deadline) < today, 1), else_=0)))
        .where(col(Task.village_id) == village_id, is_open, col(Task.grid_id).is_not(None)).group_by(col(Task.grid_id))).tuples().all()}
    df["open_tasks"] = [counts.get(int(g), (0, 0))[0] for g in df["id"]]
    df["overdue_tasks"] = [counts.get(int(g), (0, 0))[1] for g in df["id"]]
    return df.drop(columns="id")


def task_timeline(session: Session, scope: Scope, task_id: int) -> pd.DataFrame:
    """任务留痕 of one task in scope, oldest first: time, operator, action, from_status → to_status (codes), note."""
    vid = session.execute(sa.select(col(Task.village_id)).where(col(Task.id) == int(task_id))).scalar()
    if vid is None or not scope.contains(vid):
        return pd.DataFrame()
    df = _q(session, sa.select(col(TaskEvent.at), col(Person.name), col(TaskEvent.action), col(TaskEvent.from_status), col(TaskEvent.to_status),
                               col(TaskEvent.note)).join(Person, col(Person.id) == col(TaskEvent.actor_id), isouter=True)
            .where(col(TaskEvent.task_id) == int(task_id)).order_by(col(TaskEvent.at), col(TaskEvent.id)),
            ["time", "operator", "action", "from_status", "to_status", "note"])
    return df


def _appeals(session: Session, village_id: int, since: datetime) -> pd.DataFrame:
    on_time = sa.func.sum(sa.case((sa.and_(col(Appeal.closed_at).is_not(None), col(Appeal.closed_at) <= col(Appeal.due_at)), 1), else_=0))
    df = _q(session, sa.select(col(Appeal.category), sa.func.count(), sa.func.count(col(Appeal.closed_at)), on_time,
                               *(sa.func.sum(sa.case((col(Appeal.rating) == k, 1), else_=0)) for k in RATINGS),
                               sa.func.sum(sa.case((col(Appeal.closing_level).in_(["township", "county"]), 1), else_=0)))
            .where(col(Appeal.village_id) == village_id, col(Appeal.reported_at) >= since).group_by(col(Appeal.category))
            .order_by(sa.func.count().desc()),
            ["category", "accepted", "done", "closed_on_time", *RATINGS, "escalated_closed"])
    rated = df[list(RATINGS)].sum(axis=1)
    df["on_time_pct"] = (100 * df["closed_on_time"] / df["accepted"].where(df["accepted"] > 0)).round(1)
    df["good_pct"] = (100 * df["good"] / rated.where(rated > 0)).round(1)
    return df


def _diary(session: Session, village_id: int, since: date, households: int) -> pd.DataFrame:
    df = _q(session, sa.select(col(Person.name), sa.func.count(), sa.func.count(sa.distinct(col(DiaryVisit.household_no))),
                               sa.func.max(col(DiaryVisit.visited_on)))
            .join(Person, col(Person.id) == col(DiaryVisit.person_id))
            .where(col(DiaryVisit.village_id) == village_id, col(DiaryVisit.visited_on) >= since)
            .group_by(col(DiaryVisit.person_id), col(Person.name)).order_by(sa.func.count().desc()),
            ["visitor", "visits", "visited_households", "last_visit"])
    df["coverage_pct"] = (100 * df["visited_households"] / max(households, 1)).round(2)
    return df


def _decisions(session: Session, village_id: int, today: date) -> pd.DataFrame:
    steps = _q(session, sa.select(col(DecisionStep.decision_id), col(DecisionStep.step), col(DecisionStep.seq), col(DecisionStep.done_on))
               .join(Decision, col(Decision.id) == col(DecisionStep.decision_id)).where(col(Decision.village_id) == village_id)
               .order_by(col(DecisionStep.decision_id), col(DecisionStep.seq)), ["decision_id", "step", "seq", "done_on"])
    df = _q(session, sa.select(col(Decision.id), col(Decision.title), col(Decision.opened_on), col(Decision.closed_on), col(Decision.limit_days))
            .where(col(Decision.village_id) == village_id).order_by(col(Decision.opened_on).desc()),
            ["id", "matter", "started", "finished", "limit_days"])
    groups = {k: g for k, g in steps.groupby("decision_id")} if len(steps) else {}
    order, ok, done = [], [], []
    for r in df.itertuples(index=False):
        g: Any = groups.get(r.id)  # the decision's steps, None when it has none (n == 0)
        n = 0 if g is None else len(g)
        order.append(tuple(int(s) for s in g["step"]) if n else ())
        ok.append(decision_ok(n, int((g["seq"] == g["step"]).sum()) if n else 0, g["step"].min() if n else 0,
                              g["step"].max() if n else 0, r.started, r.finished, r.limit_days, today=today))
        done.append(f"{n}/{len(DECISION_STEPS)}")
    return df.assign(steps_done=done, step_order=order, compliant=ok)


def _indicators(session: Session, village_id: int, period: int) -> pd.DataFrame:
    df = _q(session, sa.select(col(IndicatorDef.module), col(IndicatorDef.code), col(IndicatorDef.name_zh), col(IndicatorValue.value),
                               col(IndicatorDef.unit), col(IndicatorValue.numerator), col(IndicatorValue.denominator),
                               col(IndicatorDef.higher_is_better))
            .join(IndicatorValue, col(IndicatorValue.indicator_code) == col(IndicatorDef.code))
            .where(col(IndicatorValue.village_id) == village_id, col(IndicatorValue.period) == period)
            .order_by(col(IndicatorDef.module), col(IndicatorDef.sort)),
            ["module", "code", "indicator", "value", "unit", "numerator", "denominator", "higher_better"])
    df["value"] = df["value"].round(2)
    df["higher_better"] = df["higher_better"].astype(bool)
    return df


def village_record(session: Session, scope: Scope, village_id: int, period: int) -> VillageRecord:
    """The record of one village in scope for month `period` (tasks, appeals, diary over the last 12 months)."""
    scope.check(village_id)
    village_id = int(village_id)
    name, prof, boundary = _profile(session, village_id)
    since = start_of(shift(period, -11))
    today = min(get_settings().as_of, end_of(period) - timedelta(days=1))
    tasks, counts = _tasks(session, village_id, today, datetime.combine(since, time()))
    grids = _grids(session, village_id, today)
    return VillageRecord(
        village_id, name, period, prof, boundary, _team(session, scope, village_id, period), grids, tasks, counts,
        _appeals(session, village_id, datetime.combine(since, time())), _diary(session, village_id, since, prof["households"]),
        _decisions(session, village_id, today), _indicators(session, village_id, period))


def display_section(frame: pd.DataFrame, section: str, lang: str = i18n.DEFAULT_LANG) -> pd.DataFrame:
    """One section of a record for display in `lang`: headers and vocabulary through the catalog,
    indicator names from the catalog, the profile's village kind as a term."""
    if section == "indicators" and "code" in frame:
        names = [i18n.translate(f"indicator.{c}.name", lang) if i18n.has(f"indicator.{c}.name") else n
                 for c, n in zip(frame["code"], frame["indicator"], strict=True)]
        frame = frame.assign(indicator=names)
    if section == "profile" and "item" in frame:
        frame = frame.assign(item=[i18n.header(k, lang) for k in frame["item"]],
                             content=[i18n.term("village_kind", v, lang) if k == "kind" else v
                                      for k, v in zip(frame["item"], frame["content"], strict=True)])
    return i18n.label_frame(frame, lang, SECTION_VOCAB.get(section))


def village_ids(session: Session, scope: Scope) -> list[tuple[int, str]]:
    """(id, name) of every village in scope, by code (for a village picker)."""
    return [(int(i), n) for i, n in session.execute(sa.select(col(Region.id), col(Region.name)).where(
        col(Region.level) == "village", col(Region.id).between(scope.lo, scope.hi)).order_by(col(Region.id))).tuples().all()]


__all__ = ["SECTIONS", "SECTION_VOCAB", "VillageRecord", "display_section", "task_timeline", "village_ids", "village_record"]
