"""我的工作台 (SPEC §5–§7): what waits on the signed-in person, what is due soon and what is overdue.

`desk(session, actor, as_of)` reads, within the actor's scope, the lists of the actor's role:
- township roles: tasks done and waiting for the score (分管领导: those in their charge), the actor's own
  dispatches still open or returned (退回), emergency dispatches waiting for the compliance review
  (reviewers), and appeals sitting at the township level (to route to a county department);
- village cadres: the village's task inbox (派发 → 签收 → 办理中), tasks whose dispatch is not rated yet,
  appeals at the village or grid level, and open 议事决策;
- grid workers: open appeals of their grids and closed ones whose citizen rating is not recorded.
Each list is a DataFrame, newest-urgent first; `counts` holds waiting / due soon / overdue for the navigation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.actors import Actor
from core.compliance import REVIEWERS, review_queue
from core.config import DeskConfig
from core.enums import AppealLevel, AppealStatus, TaskStatus
from core.models import Appeal, Decision, DecisionStep, Grid, Region, Task
from core.one_thing import DEPT_ROLE, department_cases
from core.scope import Scope

VILLAGE_CADRES = frozenset({"village_secretary", "village_committee", "village_admin"})
TOWN_DESK = frozenset({"town_admin", "town_leader", "line_cadre", "town_party_deputy", "stationed_cadre"})
GRID_DESK = frozenset({"grid_worker"})
DEPT_DESK = frozenset({DEPT_ROLE})
TASK_COLUMNS = ["task_id", "code", "title", "village", "status", "category", "module", "difficulty", "deadline",
                "days_left", "urgency", "emergency"]
APPEAL_COLUMNS = ["appeal_id", "village", "grid", "category", "channel", "reported_at", "due_at", "status", "level",
                  "rating", "urgency"]


def has_desk(role: str) -> bool:
    """True for the roles that act in the app (everyone but the read-only screen and the city/county desks)."""
    return role in TOWN_DESK | VILLAGE_CADRES | GRID_DESK | DEPT_DESK


@dataclass(frozen=True)
class Desk:
    """The lists of one person's desk (column keys as in TASK_COLUMNS / APPEAL_COLUMNS) and their counts."""

    kind: str  # town | village | grid
    lists: dict[str, pd.DataFrame] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # waiting, due_soon, overdue


def _urgency(deadline: date, as_of: date, soon: int) -> str:
    if deadline < as_of:
        return "overdue"
    return "due_soon" if deadline <= as_of + timedelta(days=soon) else "ok"


def _tasks(session: Session, where: list, as_of: date, cfg: DeskConfig) -> pd.DataFrame:
    rows = session.execute(
        sa.select(col(Task.id), col(Task.code), col(Task.title), col(Region.name), col(Task.status), col(Task.category),
                  col(Task.module), col(Task.difficulty), col(Task.deadline), col(Task.emergency))
        .join(Region, col(Region.id) == Task.village_id).where(*where)
        .order_by(col(Task.deadline), col(Task.id)).limit(cfg.list_rows)).tuples().all()
    out = [(int(i), c, t, v, s, cat, m, float(d), dl, (dl - as_of).days,
            _urgency(dl, as_of, cfg.due_soon_days) if s in _OPEN else "ok", bool(e))
           for i, c, t, v, s, cat, m, d, dl, e in rows]
    return pd.DataFrame(out, columns=TASK_COLUMNS)


_OPEN = (str(TaskStatus.DISPATCHED), str(TaskStatus.SIGNED), str(TaskStatus.IN_PROGRESS))


def _appeals(session: Session, where: list, as_of: date, cfg: DeskConfig) -> pd.DataFrame:
    rows = session.execute(
        sa.select(col(Appeal.id), col(Region.name), col(Grid.name), col(Appeal.category), col(Appeal.channel),
                  col(Appeal.reported_at), col(Appeal.due_at), col(Appeal.status), col(Appeal.level), col(Appeal.rating))
        .join(Region, col(Region.id) == Appeal.village_id).join(Grid, col(Grid.id) == Appeal.grid_id).where(*where)
        .order_by(col(Appeal.due_at), col(Appeal.id)).limit(cfg.list_rows)).tuples().all()
    out = [(int(i), v, g, c, ch, r, d, s, lv, rt,
            _urgency(d.date(), as_of, cfg.due_soon_days) if s != AppealStatus.CLOSED else "ok")
           for i, v, g, c, ch, r, d, s, lv, rt in rows]
    return pd.DataFrame(out, columns=APPEAL_COLUMNS)


def _in(scope: Scope, column) -> sa.ColumnElement[bool]:
    return col(column).between(scope.lo, scope.hi)


def desk(session: Session, actor: Actor, as_of: date, cfg: DeskConfig | None = None) -> Desk:
    """The desk of `actor` as of `as_of` (lists within the actor's scope, at most cfg.list_rows rows each)."""
    cfg = cfg or DeskConfig()
    scope = actor.scope
    lists: dict[str, pd.DataFrame] = {}
    if actor.role in VILLAGE_CADRES:
        kind = "village"
        lists["inbox"] = _tasks(session, [_in(scope, Task.village_id), col(Task.status).in_(_OPEN)], as_of, cfg)
        lists["to_rate"] = _tasks(session, [_in(scope, Task.village_id), col(Task.dispatch_rating).is_(None),
                                            col(Task.status).in_((str(TaskStatus.SIGNED), str(TaskStatus.IN_PROGRESS),
                                                                  str(TaskStatus.DONE)))], as_of, cfg)
        lists["appeals"] = _appeals(session, [_in(scope, Appeal.village_id), col(Appeal.status) != str(AppealStatus.CLOSED),
                                              col(Appeal.level).in_((str(AppealLevel.GRID), str(AppealLevel.VILLAGE)))],
                                    as_of, cfg)
        lists["decisions"] = open_decisions(session, scope, as_of)
        waiting = [lists["inbox"], lists["appeals"]]
    elif actor.role in DEPT_DESK:
        kind = "dept"
        lists["cases"] = department_cases(session, actor, as_of, cfg)
        waiting = [lists["cases"][lists["cases"]["urgency"].isin(("ok", "due_soon", "overdue"))]]
    elif actor.role in GRID_DESK:
        kind = "grid"
        mine = sa.select(col(Grid.id)).where(col(Grid.worker_id) == actor.person_id, _in(scope, Grid.village_id))
        lists["appeals"] = _appeals(session, [col(Appeal.grid_id).in_(mine), col(Appeal.status) != str(AppealStatus.CLOSED)],
                                    as_of, cfg)
        lists["to_rate"] = _appeals(session, [col(Appeal.grid_id).in_(mine), col(Appeal.status) == str(AppealStatus.CLOSED),
                                              col(Appeal.rating).is_(None),
                                              col(Appeal.closed_at) >= as_of - timedelta(days=30)], as_of, cfg)
        waiting = [lists["appeals"], lists["to_rate"]]
    else:
        kind = "town"
        done = [_in(scope, Task.village_id), col(Task.status) == str(TaskStatus.DONE)]
        if actor.role == "town_leader":
            done.append(sa.or_(col(Task.leader_id) == actor.person_id, col(Task.leader_id).is_(None)))
        lists["to_score"] = _tasks(session, done, as_of, cfg) if actor.role in ("town_leader", "town_admin") else _empty()
        lists["dispatched"] = _tasks(session, [_in(scope, Task.village_id), col(Task.dispatcher_id) == actor.person_id,
                                               col(Task.status).in_((*_OPEN, str(TaskStatus.REJECTED)))], as_of, cfg)
        lists["review"] = review_queue(session, scope, cfg.list_rows) if actor.role in REVIEWERS else pd.DataFrame()
        lists["appeals"] = _appeals(session, [_in(scope, Appeal.village_id), col(Appeal.status) != str(AppealStatus.CLOSED),
                                              col(Appeal.level) == str(AppealLevel.TOWNSHIP)], as_of, cfg)
        waiting = [lists["to_score"], lists["review"], lists["appeals"]]
    every = [f for f in lists.values() if "urgency" in f.columns]
    counts = {"waiting": sum(len(f) for f in waiting),
              "due_soon": sum(int((f.urgency == "due_soon").sum()) for f in every),
              "overdue": sum(int((f.urgency == "overdue").sum()) for f in every)}
    return Desk(kind, lists, counts)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=TASK_COLUMNS)


def open_decisions(session: Session, scope: Scope, as_of: date) -> pd.DataFrame:
    """Open 议事决策 of the scope with the steps done so far (in order), oldest first."""
    rows = session.execute(sa.select(col(Decision.id), col(Decision.title), col(Decision.opened_on), col(Decision.limit_days))
                           .where(_in(scope, Decision.village_id), col(Decision.closed_on).is_(None),
                                  col(Decision.opened_on) <= as_of).order_by(col(Decision.opened_on))).tuples().all()
    ids = [int(r[0]) for r in rows]
    steps: dict[int, list[int]] = {}
    for did, step in session.execute(sa.select(col(DecisionStep.decision_id), col(DecisionStep.step))
                                     .where(col(DecisionStep.decision_id).in_(ids)).order_by(col(DecisionStep.seq))).tuples():
        steps.setdefault(int(did), []).append(int(step))
    out = [(int(i), t, o, (as_of - o).days, int(lim), tuple(steps.get(int(i), ()))) for i, t, o, lim in rows]
    return pd.DataFrame(out, columns=["decision_id", "title", "opened_on", "days_open", "limit_days", "steps"])


def grids_of(session: Session, scope: Scope, village_id: int, worker_id: int | None = None) -> pd.DataFrame:
    """Grids of one village of the scope (only the worker's own with `worker_id`): id, name, households, lon, lat,
    worker_id, boundary (GeoJSON); by id. Empty outside the scope."""
    if not scope.contains(village_id):
        return pd.DataFrame(columns=["grid_id", "name", "households", "lon", "lat", "worker_id", "boundary"])
    stmt = (sa.select(col(Grid.id), col(Grid.name), col(Grid.households), col(Grid.lon), col(Grid.lat), col(Grid.worker_id),
                      col(Grid.boundary)).where(col(Grid.village_id) == int(village_id)).order_by(col(Grid.id)))
    if worker_id is not None:
        stmt = stmt.where(col(Grid.worker_id) == worker_id)
    return pd.DataFrame([tuple(r) for r in session.execute(stmt).tuples()],
                        columns=["grid_id", "name", "households", "lon", "lat", "worker_id", "boundary"])


def pick_points(boundary: str | None, steps: int = 14) -> list[tuple[float, float]]:
    """A lattice of points inside a grid's outline (GeoJSON) to pick a place on, west to east, south to north."""
    import shapely  # noqa: PLC0415 — only the report form needs it

    from core.geometry import parse  # noqa: PLC0415

    geom = parse(boundary)
    if geom is None or geom.is_empty:
        return []
    x0, y0, x1, y1 = geom.bounds
    out = []
    for i in range(steps):
        for j in range(steps):
            x, y = x0 + (x1 - x0) * (i + 0.5) / steps, y0 + (y1 - y0) * (j + 0.5) / steps
            if geom.contains(shapely.Point(x, y)):
                out.append((round(x, 6), round(y, 6)))
    return out
