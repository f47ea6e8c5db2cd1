"""任务预警 (SPEC §5): near-due, overdue and escalated open tasks of a scope, as of a day.

Definitions (deadline D is a date: a task is due by the end of D; A is the as-of day;
`remind`, `town`, `county` come from `AlertRules`, defaults 2 / 3 / 7):

    days_overdue = (A - D).days
    near_due  (临期, yellow)     -remind <= days_overdue <= 0   (due today up to `remind` days ahead)
    overdue   (逾期, red)         1 <= days_overdue <= town
    town      (升级到镇分管领导)  town < days_overdue <= county  ("beyond 3 days": 4..7 by default)
    county    (升级到县)          days_overdue > county          ("beyond 7 days": 8+ by default)

So a task exactly 3 days overdue is still `overdue`, 4 days is `town`; exactly 7 is `town`,
8 is `county`; due in exactly 2 days is `near_due`, in 3 days is nothing.

"Open" means dispatched, signed or in progress. For the dataset's own as-of day (or later) that
is the task status, read through the open-task index (status, deadline, village_id); for an
earlier day it is reconstructed from the timestamps (dispatched by then, not yet done) and the
urge count counts 催办 events up to that day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session
from sqlmodel import col as sqlcol

from core.config import AlertRules, get_settings
from core.enums import OPEN_TASK_STATUSES, TaskStatus
from core.models import Meta, Person, Region, Task, TaskEvent
from core.scope import Scope

LEVELS = ("near_due", "overdue", "town", "county")
COLUMNS = ["task_id", "code", "title", "category", "module", "status", "village_id", "village", "township",
           "owner_id", "owner", "leader", "deadline", "days_overdue", "level", "urge_count"]


@dataclass(frozen=True)
class AlertFilters:
    """Which alerts to list: levels plus optional module, category, owner, village and minimum days overdue."""

    levels: tuple[str, ...] = LEVELS
    module: str | None = None
    category: str | None = None
    owner_id: int | None = None
    village_id: int | None = None
    min_days_overdue: int | None = None


def level_of(days_overdue: int, rules: AlertRules) -> str | None:
    """The alert level of a task `days_overdue` days past its deadline (negative: days left), or None."""
    if days_overdue > rules.escalate_county_after:
        return "county"
    if days_overdue > rules.escalate_town_after:
        return "town"
    if days_overdue >= 1:
        return "overdue"
    if days_overdue >= -rules.remind_days_before:
        return "near_due"
    return None


def _bounds(level: str, as_of: date, rules: AlertRules) -> tuple[date | None, date]:
    """Deadline range [lo, hi] (lo None = unbounded) of one level on `as_of`."""
    day = timedelta(days=1)
    return {
        "near_due": (as_of, as_of + rules.remind_days_before * day),
        "overdue": (as_of - rules.escalate_town_after * day, as_of - day),
        "town": (as_of - rules.escalate_county_after * day, as_of - (rules.escalate_town_after + 1) * day),
        "county": (None, as_of - (rules.escalate_county_after + 1) * day),
    }[level]


def _deadline_clause(levels: tuple[str, ...], as_of: date, rules: AlertRules, min_days: int | None):
    ranges: list[list] = []  # adjacent levels merge into one range, so the index sees one interval
    for level in reversed(LEVELS):  # county first: deadlines ascending
        if level not in levels:
            continue
        lo, hi = _bounds(level, as_of, rules)
        if ranges and lo is not None and ranges[-1][1] + timedelta(days=1) == lo:
            ranges[-1][1] = hi
        else:
            ranges.append([lo, hi])
    parts = []
    for lo, hi in ranges:
        if min_days is not None:
            hi = min(hi, as_of - timedelta(days=min_days))
        if lo is not None and lo > hi:
            continue
        parts.append(Task.deadline <= hi if lo is None else sqlcol(Task.deadline).between(lo, hi))
    return sa.or_(*parts) if parts else sa.false()


def dataset_as_of(session: Session) -> date:
    """The generator's as-of day from the meta table (settings when absent)."""
    raw = session.execute(sa.select(sqlcol(Meta.value)).where(sqlcol(Meta.key) == "as_of")).scalar()
    return date.fromisoformat(raw) if raw else get_settings().as_of


def _open_clause(session: Session, as_of: date):
    """(where clause, urge-count column, live?): live = the dataset's own day or later, read by status."""
    if as_of >= dataset_as_of(session):
        return sqlcol(Task.status).in_([str(s) for s in OPEN_TASK_STATUSES]), Task.urge_count, True
    end = as_of + timedelta(days=1)
    urges = (sa.select(sa.func.count()).where(sqlcol(TaskEvent.task_id) == Task.id, sqlcol(TaskEvent.action) == "urge",
                                              sqlcol(TaskEvent.at) < end).scalar_subquery())
    clause = sa.and_(sqlcol(Task.dispatched_at) < end, sqlcol(Task.status) != str(TaskStatus.REJECTED),
                     sa.or_(sqlcol(Task.done_at).is_(None), sqlcol(Task.done_at) >= end))
    return clause, urges, False


def _names(session: Session, scope: Scope, person_ids: set[int]) -> tuple[dict, dict, dict]:
    """(village names, township names by village, person names) for the rows found: two small keyed reads.

    Joining region/person per row costs more than the task rows themselves on the city preset (region rows
    carry big boundaries), so the names are read once per id and looked up."""
    village, township = aliased(Region), aliased(Region)
    regions = session.connection().execute(
        sa.select(sqlcol(village.id), sqlcol(village.name), sqlcol(township.name)).outerjoin(township, sqlcol(township.id) == village.parent_id)
        .where(sqlcol(village.level) == "village", sqlcol(village.id).between(scope.lo, scope.hi))).all()
    people = dict(session.connection().execute(_people_stmt(session, sorted(person_ids))).all())
    return {r[0]: r[1] for r in regions}, {r[0]: r[2] for r in regions}, people


def _people_stmt(session: Session, ids: list[int]):
    """(id, name) of the given people; on SQLite the ids travel as one JSON parameter (json_each), not
    thousands of bound parameters."""
    if session.get_bind().dialect.name == "sqlite":
        each = sa.select(sa.column("value")).select_from(sa.func.json_each(json.dumps(ids))).scalar_subquery()
        return sa.select(sqlcol(Person.id), sqlcol(Person.name)).where(sqlcol(Person.id).in_(each))
    return sa.select(sqlcol(Person.id), sqlcol(Person.name)).where(sqlcol(Person.id).in_(ids))


def _in_scope(scope: Scope, live: bool):
    """Village range of the scope; when live, written `village_id + 0` so SQLite drives the query from
    the open-task index (status, deadline, village_id) instead of walking every village of the scope."""
    col = sqlcol(Task.village_id) + 0 if live else sqlcol(Task.village_id)
    return col.between(scope.lo, scope.hi)


def alerts(session: Session, scope: Scope, as_of: date | None = None, rules: AlertRules | None = None,
           filters: AlertFilters | None = None, limit: int | None = None) -> pd.DataFrame:
    """Alerted open tasks in scope with owner, village, days overdue, level and urge count; most urgent first.

    `limit` keeps the first n by deadline (then id), chosen from the open-task index alone, so a page
    showing the top of a city-wide list does not read every alerted row; counts come from alert_counts().
    """
    as_of = as_of or get_settings().as_of
    rules = rules or get_settings().alert_rules
    f = filters or AlertFilters()
    levels = tuple(lv for lv in f.levels if lv in LEVELS)
    open_clause, urge_col, live = _open_clause(session, as_of)
    where = [open_clause, _in_scope(scope, live), _deadline_clause(levels, as_of, rules, f.min_days_overdue)]
    where += [col == val for col, val in ((Task.module, f.module), (Task.category, f.category),
                                         (Task.owner_id, f.owner_id), (Task.village_id, f.village_id)) if val]
    if limit is not None:
        where = [sqlcol(Task.id).in_(sa.select(sqlcol(Task.id)).where(*where).order_by(sqlcol(Task.deadline), sqlcol(Task.id)).limit(limit))]
    stmt = (sa.select(sqlcol(Task.id), sqlcol(Task.code), sqlcol(Task.title), sqlcol(Task.category), sqlcol(Task.module), sqlcol(Task.status), sqlcol(Task.village_id),
                      sqlcol(Task.owner_id), sqlcol(Task.leader_id), sqlcol(Task.deadline), urge_col)
            .where(*where).order_by(sqlcol(Task.deadline), sqlcol(Task.urge_count).desc(), sqlcol(Task.id)))
    rows = session.connection().execute(stmt).fetchall()
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    # Columns are built as plain lists and framed once with object dtype: per-column pandas string
    # inference and Series.map would cost as much as the query itself on the city preset.
    (task_id, code, title, category, module, status, village_id, owner_id, leader_id, deadline,
     urges) = map(list, zip(*rows, strict=True))
    villages, townships, people = _names(session, scope, set(owner_id) | {p for p in leader_id if p is not None})
    days = [(as_of - d).days for d in deadline]
    cols = {"task_id": task_id, "code": code, "title": title, "category": category, "module": module,
            "status": status, "village_id": village_id, "village": [villages.get(v) for v in village_id],
            "township": [townships.get(v) for v in village_id], "owner_id": owner_id,
            "owner": [people.get(o) for o in owner_id], "leader": [people.get(p) for p in leader_id],
            "deadline": deadline, "days_overdue": days, "level": [level_of(d, rules) for d in days],
            "urge_count": urges}
    df = pd.DataFrame(cols, dtype=object)
    for col in ("task_id", "village_id", "owner_id", "days_overdue", "urge_count"):
        df[col] = df[col].astype("int64")
    return df[COLUMNS]


def alert_counts(session: Session, scope: Scope, as_of: date | None = None,
                 rules: AlertRules | None = None) -> dict[str, int]:
    """Number of alerted open tasks per level (near_due, overdue, town, county) in scope on `as_of`."""
    as_of = as_of or get_settings().as_of
    rules = rules or get_settings().alert_rules
    open_clause, _, live = _open_clause(session, as_of)
    cases = [sa.func.sum(sa.case((_deadline_clause((lv,), as_of, rules, None), 1), else_=0)).label(lv)
             for lv in LEVELS]
    stmt = sa.select(*cases).where(open_clause, _in_scope(scope, live),
                                   _deadline_clause(LEVELS, as_of, rules, None))
    row = session.execute(stmt).one()
    return {lv: int(getattr(row, lv) or 0) for lv in LEVELS}
