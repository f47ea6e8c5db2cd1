"""预警确认: leader alerts, who acknowledged what, scope reach, read-only refusal and the recorded event."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from core import workflow as wf
from core.acknowledgements import (
    ACK_ACTION,
    LeaderAlert,
    ReadOnlyAccount,
    acknowledge,
    acknowledged_keys,
    acknowledgements,
    group_alerts,
    last_acknowledgement,
    pending,
    task_alerts,
    task_key,
    warning_alerts,
    warning_key,
)
from core.actors import first_actor
from core.early_warning import EarlyWarning
from core.models import AlertAck, Region, TaskEvent
from core.scope import Scope, ScopeError

A = date(2026, 10, 31)
NOW = datetime(2026, 10, 31, 9, 30)


@pytest.fixture
def place(session):
    """County, first township and village scopes, with one fresh task 8 days overdue (升级·县) in the village."""
    vid = session.exec(sa.select(Region.id).where(Region.level == "village").order_by(Region.id)).scalar()
    county = session.exec(sa.select(Region.id).where(Region.level == "county")).scalar()
    town = Scope(vid // 1000 * 1000, "township")
    admin = first_actor(session, "town_admin", within=town)
    owner = first_actor(session, "village_secretary", within=Scope(vid, "village"))
    task = wf.dispatch(session, actor=admin, village_id=vid, matter_code="T-SA-01", title="确认测试·逾期八天",
                       category="township", deadline=A - timedelta(days=8), owner_id=owner.person_id,
                       now=datetime(2026, 10, 1, 9))
    session.commit()
    return {"county": Scope(county, "county"), "town": town, "village": Scope(vid, "village"), "task_id": task.id,
            "town_admin": admin}


def _mine(found: list[LeaderAlert], task_id: int) -> LeaderAlert:
    return next(a for a in found if a.task_id == task_id)


def test_task_alerts_are_the_top_level_only_newest_escalation_first(session, place):
    found = task_alerts(session, place["county"], A)
    assert found and {a.severity for a in found} == {"county"}
    assert all(a.days_overdue > 7 for a in found)
    assert [a.days_overdue for a in found] == sorted(a.days_overdue for a in found)
    mine = _mine(found, place["task_id"])
    assert mine.key == task_key(place["task_id"], "county") and mine.days_overdue == 8
    assert mine.title == "确认测试·逾期八天" and mine.village


def test_leader_acknowledges_and_it_stops_flashing_in_that_scope(session, place):
    leader = first_actor(session, "county_admin")
    found = task_alerts(session, place["county"], A)
    mine = _mine(found, place["task_id"])
    assert acknowledge(session, actor=leader, scope=place["county"], items=[mine], now=NOW) == 1
    session.commit()
    assert mine.key in acknowledged_keys(session, place["county"])
    assert mine.key not in {a.key for a in pending(session, place["county"], found)}
    assert len(pending(session, place["county"], found)) == len(found) - 1
    # everyone whose scope lies inside the county sees it acknowledged too
    assert mine.key in acknowledged_keys(session, place["town"])
    assert mine.key in acknowledged_keys(session, place["village"])
    row = session.exec(sa.select(AlertAck).where(AlertAck.alert_key == mine.key)).scalar_one()
    assert (row.person_id, row.at, row.kind, row.task_id) == (leader.person_id, NOW, "task", place["task_id"])
    assert (row.scope_region_id, row.scope_hi) == (place["county"].lo, place["county"].hi)
    assert [a.alert_key for a in acknowledgements(session, place["county"])][0] == mine.key


def test_ack_records_an_event_in_the_task_timeline(session, place):
    leader = first_actor(session, "county_admin")
    mine = _mine(task_alerts(session, place["county"], A), place["task_id"])
    acknowledge(session, actor=leader, scope=place["county"], items=[mine], now=NOW)
    session.commit()
    events = session.exec(sa.select(TaskEvent.action, TaskEvent.actor_id, TaskEvent.at, TaskEvent.from_status)
                          .where(TaskEvent.task_id == place["task_id"]).order_by(TaskEvent.id)).all()
    assert [tuple(e) for e in events][-1] == (ACK_ACTION, leader.person_id, NOW, None)


def test_ack_in_a_smaller_scope_does_not_silence_the_wider_screen(session, place):
    mine = _mine(task_alerts(session, place["town"], A), place["task_id"])
    acknowledge(session, actor=place["town_admin"], scope=place["town"], items=[mine], now=NOW)
    session.commit()
    assert mine.key in acknowledged_keys(session, place["town"])
    assert mine.key in acknowledged_keys(session, place["village"])
    assert mine.key not in acknowledged_keys(session, place["county"])  # the county screen keeps flashing


def test_acknowledging_twice_writes_once(session, place):
    leader = first_actor(session, "county_admin")
    mine = _mine(task_alerts(session, place["county"], A), place["task_id"])
    assert acknowledge(session, actor=leader, scope=place["county"], items=[mine, mine], now=NOW) == 1
    session.commit()
    assert acknowledge(session, actor=leader, scope=place["county"], items=[mine], now=NOW + timedelta(hours=1)) == 0
    session.commit()
    assert session.exec(sa.select(sa.func.count()).select_from(AlertAck)).scalar() == 1


def test_read_only_account_is_refused_with_one_message_and_nothing_written(session, place):
    viewer = first_actor(session, "screen_viewer")
    mine = _mine(task_alerts(session, viewer.scope, A), place["task_id"])
    with pytest.raises(ReadOnlyAccount) as err:
        acknowledge(session, actor=viewer, scope=viewer.scope, items=[mine], now=NOW)
    assert str(err.value) == "只读大屏账号不能确认预警，请由领导账号点「知道了」。"
    assert err.value.key == "bigscreen.ack.read_only"
    session.rollback()
    assert session.exec(sa.select(sa.func.count()).select_from(AlertAck)).scalar() == 0
    assert session.exec(sa.select(sa.func.count()).select_from(TaskEvent)
                        .where(TaskEvent.action == ACK_ACTION)).scalar() == 0


def test_outside_scope_is_refused(session, place):
    mine = _mine(task_alerts(session, place["county"], A), place["task_id"])
    other_town = session.exec(sa.select(Region.id).where(Region.level == "township", Region.id != place["town"].lo)
                              .order_by(Region.id)).scalar()
    stranger = first_actor(session, "town_admin", within=Scope(other_town, "township"))
    with pytest.raises(ScopeError):  # the alert's village lies outside the acknowledger's township
        acknowledge(session, actor=stranger, scope=stranger.scope, items=[mine], now=NOW)
    with pytest.raises(ScopeError):  # nor may a township leader acknowledge for the whole county
        acknowledge(session, actor=place["town_admin"], scope=place["county"], items=[mine], now=NOW)
    session.rollback()
    assert session.exec(sa.select(sa.func.count()).select_from(AlertAck)).scalar() == 0


def test_warning_alerts_keys_recency_and_ack(session, place):
    vid = place["village"].lo
    recent = EarlyWarning("burst", vid, vid * 1000 + 1, "环境卫生", date(2026, 10, 28), date(2026, 10, 30),
                          9, 1.2, "poisson", 5.5, 6.1)
    old = EarlyWarning("high", vid, vid * 1000 + 1, "噪声扰民", date(2026, 8, 1), date(2026, 8, 31),
                       12, 3.0, "poisson", 5.5, 5.9)
    silent = EarlyWarning("silent", vid, None, None, date(2026, 10, 1), date(2026, 10, 31), 0, 4.0, "poisson", 5.5, 3.0)
    found = warning_alerts([old, silent, recent], {vid: "某村"}, A, kinds=("burst", "high"), recent_days=7)
    assert [a.key for a in found] == [warning_key(recent)]
    assert found[0].key == f"warning:burst:{vid}:{vid * 1000 + 1}:环境卫生:2026-10-28"
    assert (found[0].village, found[0].count, found[0].severity) == ("某村", 9.0, "burst")
    leader = first_actor(session, "county_admin")
    acknowledge(session, actor=leader, scope=place["county"], items=found, now=NOW)
    session.commit()
    assert pending(session, place["county"], found) == []
    row = session.exec(sa.select(AlertAck).where(AlertAck.kind == "warning")).scalar_one()
    assert row.task_id is None and row.region_id == vid


def _alert(key: str, village: int, kind: str = "task", severity: str = "county") -> LeaderAlert:
    return LeaderAlert(key=key, kind=kind, region_id=village, severity=severity, title="t", village="v")


def test_alerts_grouped_by_child_region_and_kind_add_up_most_first():
    town_a, town_b = 330624001000, 330624002000
    items = [_alert("a", town_a + 1), _alert("b", town_a + 2), _alert("c", town_b + 1),
             _alert("d", town_a + 3, "warning", "burst"), _alert("e", town_b + 5)]
    groups = group_alerts(items, "county")
    assert [(g.region_id, g.kind, g.severity, g.n) for g in groups] == [
        (town_a, "task", "county", 2), (town_b, "task", "county", 2), (town_a, "warning", "burst", 1)]
    assert sum(g.n for g in groups) == len(items)
    assert group_alerts([], "county") == []


def test_last_acknowledgement_says_who_when_and_how_many_for_the_screens_it_holds_for(session, place):
    assert last_acknowledgement(session, place["county"]) is None
    found = task_alerts(session, place["town"], A)
    acknowledge(session, actor=place["town_admin"], scope=place["town"], items=found, now=NOW)
    session.commit()
    last = last_acknowledgement(session, place["town"])
    assert last is not None and last.at == NOW and last.n == len(found) and last.person
    inside = last_acknowledgement(session, place["village"])  # a screen inside the township: it holds, and
    village = place["village"]                                 # counts the alerts of that press on its ground
    assert inside is not None and (inside.at, inside.person) == (last.at, last.person)
    assert inside.n == sum(village.lo <= a.region_id <= village.hi for a in found) >= 1
    assert last_acknowledgement(session, place["county"]) is None  # the county screen above: it does not
