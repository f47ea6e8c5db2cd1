"""民情日记 coverage (SPEC §6): 一周一记 per cadre and 一户一记 per village over the last N weeks."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.models import DiaryVisit, Person, Region
from core.scope import Scope
from core.sqlfn import days_between


def _since(as_of: date, weeks: int) -> date:
    return as_of - timedelta(days=7 * weeks - 1)


def cadre_coverage(session: Session, scope: Scope, as_of: date, weeks: int = 12) -> pd.DataFrame:
    """Per cadre and village: visits and weeks with a visit in the last `weeks` weeks, 一周一记 rate %, lowest first."""
    start = _since(as_of, weeks)
    week = days_between(DiaryVisit.visited_on, sa.literal(as_of, sa.Date)) // 7  # whole weeks back from as_of
    per = (sa.select(col(DiaryVisit.person_id), col(DiaryVisit.village_id), sa.func.count().label("visits"),
                     sa.func.count(sa.distinct(week)).label("weeks"))
           .where(col(DiaryVisit.village_id).between(scope.lo, scope.hi), col(DiaryVisit.visited_on).between(start, as_of))
           .group_by(col(DiaryVisit.person_id), col(DiaryVisit.village_id)).subquery())  # names joined to the groups, not the visits
    rows = session.connection().execute(
        sa.select(per.c.person_id, col(Person.name), per.c.village_id, col(Region.name), per.c.visits, per.c.weeks)
        .join(Person, col(Person.id) == per.c.person_id).join(Region, col(Region.id) == per.c.village_id)).all()
    df = pd.DataFrame([tuple(r) for r in rows], columns=["person_id", "name", "village_id", "village", "visits", "weeks_logged"])
    df["weekly_rate"] = (df.weeks_logged / weeks * 100).round(1)
    return df.sort_values(["weekly_rate", "person_id"], ignore_index=True)


def village_coverage(session: Session, scope: Scope, as_of: date, weeks: int = 12) -> pd.DataFrame:
    """Per village: households, distinct households visited and not visited in `weeks` weeks, coverage %, lowest first."""
    start = _since(as_of, weeks)
    visited = (sa.select(col(DiaryVisit.village_id), sa.func.count(sa.distinct(col(DiaryVisit.household_no))).label("visited"),
                         sa.func.count().label("visits"))
               .where(col(DiaryVisit.village_id).between(scope.lo, scope.hi), col(DiaryVisit.visited_on).between(start, as_of))
               .group_by(col(DiaryVisit.village_id)).subquery())
    rows = session.connection().execute(sa.select(col(Region.id), col(Region.name), col(Region.households), sa.func.coalesce(visited.c.visited, 0),
                                  sa.func.coalesce(visited.c.visits, 0))
                        .outerjoin(visited, visited.c.village_id == Region.id)
                        .where(col(Region.level) == "village", col(Region.id).between(scope.lo, scope.hi))).all()
    df = pd.DataFrame([tuple(r) for r in rows], columns=["village_id", "village", "households", "visited", "visits"])
    df["not_visited"] = (df.households - df.visited).clip(lower=0)
    df["coverage"] = (df.visited / df.households.where(df.households > 0) * 100).round(1)
    return df.sort_values(["coverage", "village_id"], ignore_index=True)


def unvisited_households(session: Session, scope: Scope, village_id: int, as_of: date, weeks: int) -> list[int]:
    """Household numbers (1..Region.households) of one village not visited in the last `weeks` weeks."""
    scope.check(village_id)
    households = session.execute(sa.select(col(Region.households)).where(col(Region.id) == village_id)).scalar() or 0
    seen: set[int] = set(session.execute(sa.select(col(DiaryVisit.household_no)).distinct().where(
        col(DiaryVisit.village_id) == village_id, col(DiaryVisit.visited_on).between(_since(as_of, weeks), as_of))).scalars())
    return [h for h in range(1, int(households) + 1) if h not in seen]


def coverage_summary(cadres: pd.DataFrame, villages: pd.DataFrame) -> dict[str, float | int | None]:
    """Headline numbers: cadres, mean 一周一记 rate %, households, visited, coverage %."""
    hh = int(villages.households.sum()) if len(villages) else 0
    return {"cadres": len(cadres), "weekly_rate": round(float(cadres.weekly_rate.mean()), 1) if len(cadres) else None,
            "households": hh, "visited": int(villages.visited.sum()) if len(villages) else 0,
            "coverage": round(float(villages.visited.sum()) / hh * 100, 1) if hh else None}
