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

from core.config import get_settings
from core.enums import (
    DECISION_STEPS,
    MODULE_LABEL,
    OPEN_TASK_STATUSES,
    RATINGS,
    TASK_CATEGORY_LABEL,
    TASK_STATUS_LABEL,
)
from core.errors import NotFound
from core.leader_index import DIMENSION_LABEL, DIMENSIONS, team_table
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

SECTION_LABEL = {"profile": "基本情况", "team": "两委班子（雁阵）", "grids": "网格与网格员", "tasks": "任务",
                 "appeals": "民情诉求", "diary": "民情日记", "decisions": "议事决策（五议两公开）", "indicators": "指标"}


@dataclass(frozen=True)
class VillageRecord:
    """The whole record of one village for one month (sections are DataFrames with Chinese columns)."""

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
        """Section label → table, in reading order (one sheet each in the Excel export)."""
        prof = pd.DataFrame([{"项目": k, "内容": v} for k, v in self.profile.items()])
        return {SECTION_LABEL["profile"]: prof, SECTION_LABEL["team"]: self.team, SECTION_LABEL["grids"]: self.grids,
                SECTION_LABEL["tasks"]: self.tasks, SECTION_LABEL["appeals"]: self.appeals,
                SECTION_LABEL["diary"]: self.diary, SECTION_LABEL["decisions"]: self.decisions,
                SECTION_LABEL["indicators"]: self.indicators}


def _q(session: Session, stmt, cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in session.exec(stmt).all()], columns=cols)


def _profile(session: Session, village_id: int) -> tuple[str, dict, str]:
    r = session.execute(sa.select(Region).where(col(Region.id) == village_id, col(Region.level) == "village")).scalars().first()
    if r is None:
        raise NotFound(f"村社 {village_id} 不存在")
    town = session.get(Region, village_id // 1000 * 1000)
    county = session.get(Region, village_id // 1_000_000 * 1_000_000)
    prof = {"名称": r.name, "区划代码": r.code, "类型": "社区" if r.kind == "community" else "村",
            "所属": " › ".join(x.name for x in (county, town) if x), "户数": r.households, "人口": r.population,
            "面积(km²)": round(r.area_km2, 2)}
    return r.name, prof, r.boundary


def _team(session: Session, scope: Scope, village_id: int, period: int) -> pd.DataFrame:
    df = team_table(session, scope, village_id, period)
    out = df[["name", "title", "rule_version", *DIMENSIONS, "index", "cadre_score"]].copy()
    out[[*DIMENSIONS, "index", "cadre_score"]] = out[[*DIMENSIONS, "index", "cadre_score"]].astype(float).round(2)
    out.insert(0, "person_id", df["person_id"])
    return out.rename(columns={"name": "姓名", "title": "职务", "rule_version": "规则版本", "index": "领雁指数",
                               "cadre_score": "以事识人得分", **DIMENSION_LABEL})


def _tasks(session: Session, village_id: int, today: date, since: date) -> tuple[pd.DataFrame, dict]:
    df = _q(session, sa.select(col(Task.id), col(Task.code), col(Task.title), col(Task.category), col(Task.module), col(Task.difficulty), col(Person.name),
                               col(Task.status), col(Task.dispatched_at), col(Task.deadline), col(Task.done_at), col(Task.quality_score), col(Task.urge_count))
            .join(Person, col(Person.id) == Task.owner_id).where(col(Task.village_id) == village_id, col(Task.dispatched_at) >= since)
            .order_by(col(Task.deadline).desc()),
            ["id", "编号", "任务", "类别", "模块", "分值", "责任人", "status", "派发", "期限", "办结", "质量分", "催办"])
    open_ = df["status"].isin([str(s) for s in OPEN_TASK_STATUSES])
    overdue = open_ & (df["期限"] < today)
    df.insert(8, "状态", [("逾期" if o else TASK_STATUS_LABEL.get(s, s)) for s, o in zip(df["status"], overdue, strict=True)])
    df["类别"] = df["类别"].map(lambda c: TASK_CATEGORY_LABEL.get(c, c))
    df["模块"] = df["模块"].map(lambda m: MODULE_LABEL.get(m, m))
    counts = {"open": int(open_.sum()), "overdue": int(overdue.sum()),
              "done": int(df["status"].isin(["done", "scored"]).sum()), "total": len(df)}
    return df.drop(columns="status"), counts


def _grids(session: Session, village_id: int, today: date) -> pd.DataFrame:
    """Grids of the village with 网格员, households and open / overdue tasks (one grouped query each)."""
    df = _q(session, sa.select(col(Grid.id), col(Grid.code), col(Grid.name), col(Grid.households), col(Grid.population), col(Person.name), col(Person.phone))
            .join(Person, col(Person.id) == Grid.worker_id, isouter=True).where(col(Grid.village_id) == village_id).order_by(col(Grid.id)),
            ["id", "网格编码", "网格", "户数", "人口", "网格员", "电话"])
    is_open = col(Task.status).in_([str(s) for s in OPEN_TASK_STATUSES])
    counts = {int(g): (int(n), int(o or 0)) for g, n, o in session.execute(
        sa.select(col(Task.grid_id), sa.func.count(), sa.func.sum(sa.case((col(Task.deadline) < today, 1), else_=0)))
        .where(col(Task.village_id) == village_id, is_open, col(Task.grid_id).is_not(None)).group_by(col(Task.grid_id))).tuples().all()}
    df["在办任务"] = [counts.get(int(g), (0, 0))[0] for g in df["id"]]
    df["逾期任务"] = [counts.get(int(g), (0, 0))[1] for g in df["id"]]
    return df.drop(columns="id")


def task_timeline(session: Session, scope: Scope, task_id: int) -> pd.DataFrame:
    """任务留痕 of one task in scope, oldest first: time, actor, action, from → to, note."""
    vid = session.execute(sa.select(col(Task.village_id)).where(col(Task.id) == int(task_id))).scalar()
    if vid is None or not scope.contains(vid):
        return pd.DataFrame()
    df = _q(session, sa.select(col(TaskEvent.at), col(Person.name), col(TaskEvent.action), col(TaskEvent.from_status), col(TaskEvent.to_status),
                               col(TaskEvent.note)).join(Person, col(Person.id) == TaskEvent.actor_id, isouter=True)
            .where(col(TaskEvent.task_id) == int(task_id)).order_by(col(TaskEvent.at), col(TaskEvent.id)),
            ["时间", "操作人", "动作", "从", "到", "备注"])
    for c in ("从", "到"):
        df[c] = df[c].map(lambda s: TASK_STATUS_LABEL.get(s, s) if isinstance(s, str) else "")
    return df


def _appeals(session: Session, village_id: int, since: datetime) -> pd.DataFrame:
    on_time = sa.func.sum(sa.case((sa.and_(col(Appeal.closed_at).is_not(None), col(Appeal.closed_at) <= Appeal.due_at), 1), else_=0))
    df = _q(session, sa.select(col(Appeal.category), sa.func.count(), sa.func.count(col(Appeal.closed_at)), on_time,
                               *(sa.func.sum(sa.case((col(Appeal.rating) == k, 1), else_=0)) for k in RATINGS),
                               sa.func.sum(sa.case((col(Appeal.closing_level).in_(["township", "county"]), 1), else_=0)))
            .where(col(Appeal.village_id) == village_id, col(Appeal.reported_at) >= since).group_by(Appeal.category)
            .order_by(sa.func.count().desc()),
            ["类别", "受理", "办结", "按时办结", *RATINGS.values(), "上交镇县办结"])
    rated = df[list(RATINGS.values())].sum(axis=1)
    df["按时率%"] = (100 * df["按时办结"] / df["受理"].where(df["受理"] > 0)).round(1)
    df["好评率%"] = (100 * df["好评"] / rated.where(rated > 0)).round(1)
    return df


def _diary(session: Session, village_id: int, since: date, households: int) -> pd.DataFrame:
    df = _q(session, sa.select(col(Person.name), sa.func.count(), sa.func.count(sa.distinct(col(DiaryVisit.household_no))),
                               sa.func.max(col(DiaryVisit.visited_on)))
            .join(Person, col(Person.id) == DiaryVisit.person_id)
            .where(col(DiaryVisit.village_id) == village_id, col(DiaryVisit.visited_on) >= since)
            .group_by(col(DiaryVisit.person_id), Person.name).order_by(sa.func.count().desc()),
            ["走访人", "走访户次", "走访户数", "最近走访"])
    df["覆盖率%"] = (100 * df["走访户数"] / max(households, 1)).round(2)
    return df


def _decisions(session: Session, village_id: int, today: date) -> pd.DataFrame:
    steps = _q(session, sa.select(col(DecisionStep.decision_id), col(DecisionStep.step), col(DecisionStep.seq), col(DecisionStep.done_on))
               .join(Decision, col(Decision.id) == DecisionStep.decision_id).where(col(Decision.village_id) == village_id)
               .order_by(col(DecisionStep.decision_id), col(DecisionStep.seq)), ["decision_id", "step", "seq", "done_on"])
    df = _q(session, sa.select(col(Decision.id), col(Decision.title), col(Decision.opened_on), col(Decision.closed_on), col(Decision.limit_days))
            .where(col(Decision.village_id) == village_id).order_by(col(Decision.opened_on).desc()),
            ["id", "事项", "启动", "完成", "时限天数"])
    groups = {k: g for k, g in steps.groupby("decision_id")} if len(steps) else {}
    seq_txt, ok, done = [], [], []
    for r in df.itertuples(index=False):
        g: Any = groups.get(r.id)  # the decision's steps, None when it has none (n == 0)
        n = 0 if g is None else len(g)
        seq_txt.append(" → ".join(f"{int(s)}.{DECISION_STEPS[int(s) - 1]}" for s in g["step"]) if n else "—")
        ok.append(decision_ok(n, int((g["seq"] == g["step"]).sum()) if n else 0, g["step"].min() if n else 0,
                              g["step"].max() if n else 0, r.启动, r.完成, r.时限天数, today=today))
        done.append(f"{n}/7")
    return df.assign(已完成步骤=done, 步骤顺序=seq_txt, 规范=ok)


def _indicators(session: Session, village_id: int, period: int) -> pd.DataFrame:
    df = _q(session, sa.select(col(IndicatorDef.module), col(IndicatorDef.code), col(IndicatorDef.name_zh), col(IndicatorValue.value),
                               col(IndicatorDef.unit), col(IndicatorValue.numerator), col(IndicatorValue.denominator),
                               col(IndicatorDef.higher_is_better))
            .join(IndicatorValue, col(IndicatorValue.indicator_code) == IndicatorDef.code)
            .where(col(IndicatorValue.village_id) == village_id, col(IndicatorValue.period) == period)
            .order_by(IndicatorDef.module, col(IndicatorDef.sort)), ["模块", "代码", "指标", "值", "单位", "分子", "分母", "越高越好"])
    df["模块"] = df["模块"].map(lambda m: MODULE_LABEL.get(m, m))
    df["值"] = df["值"].round(2)
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
        _appeals(session, village_id, datetime.combine(since, time())), _diary(session, village_id, since, prof["户数"]),
        _decisions(session, village_id, today), _indicators(session, village_id, period))


def village_ids(session: Session, scope: Scope) -> list[tuple[int, str]]:
    """(id, name) of every village in scope, by code (for a village picker)."""
    return [(int(i), n) for i, n in session.execute(sa.select(col(Region.id), col(Region.name)).where(
        col(Region.level) == "village", col(Region.id).between(scope.lo, scope.hi)).order_by(col(Region.id))).tuples().all()]


__all__ = ["SECTION_LABEL", "VillageRecord", "task_timeline", "village_ids", "village_record"]
