"""民情日记 coverage: weekly rate per cadre, households visited per village, unvisited households."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.db import session_scope
from core.diary import cadre_coverage, coverage_summary, unvisited_households, village_coverage
from core.models import DiaryVisit, Post, Region
from core.scope import Scope

AS_OF = date(2026, 10, 31)
COUNTY = Scope(330624000000, "county")


def test_cadre_weekly_rate_is_bounded_and_sorted(session):
    df = cadre_coverage(session, COUNTY, AS_OF, weeks=12)
    assert len(df) and df.weeks_logged.max() <= 12 and (df.weekly_rate.between(0, 100)).all()
    assert df.weekly_rate.is_monotonic_increasing


def test_village_coverage_counts_distinct_households(engine):
    village = 330624001001
    with session_scope(engine, write=True) as s:
        hh = s.get(Region, village).households
        person = s.exec(sa.select(Post.person_id).where(Post.region_id == village).limit(1)).scalar()
        before = village_coverage(s, Scope(village, "village"), AS_OF, weeks=2).iloc[0]
        missing = unvisited_households(s, Scope(village, "village"), village, AS_OF, 2)
        target = missing[0]
        for day in (date(2026, 10, 28), date(2026, 10, 29)):  # one household twice counts once
            s.add(DiaryVisit(person_id=person, village_id=village, grid_id=village * 1000 + 1, household_no=target,
                             visited_on=day, topic="走访"))
    with session_scope(engine) as s:
        after = village_coverage(s, Scope(village, "village"), AS_OF, weeks=2).iloc[0]
        still = unvisited_households(s, Scope(village, "village"), village, AS_OF, 2)
    assert after.visited == before.visited + 1 and after.not_visited == hh - after.visited
    assert target not in still and len(still) == len(missing) - 1


def test_summary(session):
    s = coverage_summary(cadre_coverage(session, COUNTY, AS_OF), village_coverage(session, COUNTY, AS_OF))
    assert s["households"] > s["visited"] > 0 and 0 < s["coverage"] < 100
