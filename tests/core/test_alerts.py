"""任务预警: the escalation ladder exactly at the boundary days, scope, filters, order and the as-of day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from core import workflow as wf
from core.actors import first_actor
from core.config import AlertRules
from core.models import Region, Task
from core.scope import Scope
from core.task_alerts import LEVELS, AlertFilters, alert_counts, alerts, level_of

A = date(2026, 10, 31)
RULES = AlertRules()  # remind 2 days before, town after 3 overdue, county after 7


@pytest.mark.parametrize(("days_overdue", "level"), [
    (-3, None), (-2, "near_due"),  # reminder window: due in 2 days yes, in 3 days no
    (0, "near_due"), (1, "overdue"),  # due today is a reminder; the day after is overdue
    (3, "overdue"), (4, "town"),  # "beyond 3 days": exactly 3 stays with the village
    (7, "town"), (8, "county"),  # "beyond 7 days": exactly 7 stays with the town
    (200, "county"),
])
def test_ladder_at_the_boundary_days(days_overdue, level):
    assert level_of(days_overdue, RULES) == level


def test_ladder_follows_configuration():
    rules = AlertRules(remind_days_before=1, escalate_town_after=1, escalate_county_after=2)
    assert [level_of(d, rules) for d in (-2, -1, 1, 2, 3)] == [None, "near_due", "overdue", "town", "county"]


@pytest.fixture
def village(session):
    """The first village with one fresh open task per boundary offset (deadline = A - offset)."""
    vid = session.exec(sa.select(Region.id).where(Region.level == "village").order_by(Region.id)).scalar()
    admin = first_actor(session, "town_admin", within=Scope(vid // 1000 * 1000, "township"))
    owner = first_actor(session, "village_secretary", within=Scope(vid, "village"))
    ids = {}
    for offset in (-3, -2, 0, 1, 3, 4, 7, 8):
        t = wf.dispatch(session, actor=admin, village_id=vid, matter_code="T-SA-01", title=f"边界{offset}",
                        category="township", deadline=A - timedelta(days=offset), owner_id=owner.person_id,
                        now=datetime(2026, 9, 1, 9))
        ids[offset] = t.id
    session.commit()
    return vid, ids, owner


def test_alerts_levels_exactly_at_the_boundaries(session, village):
    vid, ids, _ = village
    df = alerts(session, Scope(vid, "village"), A).set_index("task_id")
    got = {off: (df.loc[tid, "level"] if tid in df.index else None) for off, tid in ids.items()}
    assert got == {-3: None, -2: "near_due", 0: "near_due", 1: "overdue", 3: "overdue", 4: "town", 7: "town",
                   8: "county"}
    assert {off: int(df.loc[tid, "days_overdue"]) for off, tid in ids.items() if tid in df.index} == \
        {-2: -2, 0: 0, 1: 1, 3: 3, 4: 4, 7: 7, 8: 8}


def test_alerts_columns_names_and_order(session, village):
    vid, _, owner = village
    df = alerts(session, Scope(vid // 1000 * 1000, "township"), A)
    assert list(df.columns) == ["task_id", "code", "title", "category", "module", "status", "village_id", "village",
                                "township", "owner_id", "owner", "leader", "deadline", "days_overdue", "level",
                                "urge_count"]
    assert df["days_overdue"].is_monotonic_decreasing
    mine = df[df["title"].str.startswith("边界")]
    assert set(mine["owner"]) == {owner.name} and mine["village"].notna().all() and mine["township"].notna().all()
    assert df["status"].isin(["dispatched", "signed", "in_progress"]).all()


def test_village_scope_never_returns_another_village(session, village):
    vid, _, _ = village
    county = session.exec(sa.select(Region.id).where(Region.level == "county")).scalar()
    every = alerts(session, Scope(county, "county"), A)
    assert every["village_id"].nunique() > 1
    assert set(alerts(session, Scope(vid, "village"), A)["village_id"]) == {vid}


def test_done_and_rejected_tasks_never_alert(session, village):
    vid, ids, owner = village
    from core.actors import Actor
    actor = Actor(owner.person_id, owner.name, owner.role, owner.region_id, owner.level)
    for fn in (wf.sign, wf.start, wf.complete):
        fn(session, actor=actor, task_id=ids[8], now=datetime(2026, 10, 31, 9))
    session.commit()
    assert ids[8] not in set(alerts(session, Scope(vid, "village"), A)["task_id"])


def test_filters_levels_min_days_and_fields(session, village):
    vid, ids, owner = village
    scope = Scope(vid, "village")
    escalated = alerts(session, scope, A, filters=AlertFilters(levels=("town", "county")))
    assert set(escalated["level"]) <= {"town", "county"} and {ids[4], ids[8]} <= set(escalated["task_id"])
    late = alerts(session, scope, A, filters=AlertFilters(min_days_overdue=4))
    assert (late["days_overdue"] >= 4).all() and ids[3] not in set(late["task_id"]) and ids[4] in set(late["task_id"])
    split = alerts(session, scope, A, filters=AlertFilters(levels=("near_due", "county")))
    assert set(split["level"]) <= {"near_due", "county"} and ids[0] in set(split["task_id"])
    mine = alerts(session, scope, A, filters=AlertFilters(owner_id=owner.person_id, module="safety",
                                                          category="township"))
    assert set(ids[o] for o in (-2, 0, 1, 3, 4, 7, 8)) <= set(mine["task_id"])
    assert (mine["owner_id"] == owner.person_id).all() and (mine["module"] == "safety").all()


def test_counts_match_the_list(session, village):
    vid, _, _ = village
    township = Scope(vid // 1000 * 1000, "township")
    counts = alert_counts(session, township, A)
    listed = alerts(session, township, A)["level"].value_counts().to_dict()
    assert counts == {lv: int(listed.get(lv, 0)) for lv in LEVELS}


def test_urge_count_shows_in_alerts(session, village):
    vid, ids, _ = village
    leader = first_actor(session, "town_leader", within=Scope(vid // 1000 * 1000, "township"))
    wf.urge(session, actor=leader, task_id=ids[4], note="请抓紧", now=datetime(2026, 10, 31, 9))
    session.commit()
    df = alerts(session, Scope(vid, "village"), A).set_index("task_id")
    assert df.loc[ids[4], "urge_count"] == 1


def test_an_earlier_as_of_day_sees_tasks_done_later_as_open(session):
    """A task done five or more days after its deadline was overdue on the day 3 days after the deadline."""
    rows = session.exec(sa.select(Task.id, Task.deadline, Task.done_at, Task.dispatched_at, Task.village_id)
                        .where(Task.done_at.is_not(None), Task.status != "rejected").order_by(Task.id)).all()
    row = next(r for r in rows if r.done_at.date() >= r.deadline + timedelta(days=5))
    day = row.deadline + timedelta(days=3)
    df = alerts(session, Scope(row.village_id, "village"), day).set_index("task_id")
    assert row.id in df.index and df.loc[row.id, "days_overdue"] == 3 and df.loc[row.id, "level"] == "overdue"
    assert row.id not in set(alerts(session, Scope(row.village_id, "village"), A)["task_id"])


def test_limit_keeps_the_most_urgent(session):
    county = session.exec(sa.select(Region.id).where(Region.level == "county")).scalar()
    scope = Scope(county, "county")
    full = alerts(session, scope, A)
    top = alerts(session, scope, A, limit=5)
    assert len(top) == 5 and (top["days_overdue"] >= full["days_overdue"].iloc[4]).all()
    assert top["days_overdue"].is_monotonic_decreasing
