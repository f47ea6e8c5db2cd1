"""Appeal lifecycle: legal and illegal transitions, scope, one event per change, nothing written on error."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import appeals
from core.actors import first_actor
from core.db import session_scope
from core.errors import AppealStateError, DomainError, PermissionDenied
from core.models import Appeal, AppealEvent, Grid
from core.scope import Scope, ScopeError

NOW = datetime(2026, 10, 31, 9, 0)


def _counts(engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (s.exec(sa.select(sa.func.count()).select_from(Appeal)).scalar(),
                s.exec(sa.select(sa.func.count()).select_from(AppealEvent)).scalar())


def _actors(engine):
    with Session(engine) as s:
        worker = first_actor(s, "grid_worker")
        village = Scope(worker.region_id, "village")
        town = Scope(worker.region_id // 1000 * 1000,
                     "township")
        cadre = first_actor(s, "village_secretary", village)
        leader = first_actor(s, "town_leader", town)
        county = first_actor(s, "county_admin")
        grid = s.exec(sa.select(Grid.id).where(Grid.village_id == worker.region_id).order_by(Grid.id)).scalar()
    return worker, cadre, leader, county, grid


def _report(engine, worker, grid) -> int:
    with session_scope(engine, write=True) as s:
        return appeals.report(s, actor=worker, grid_id=grid, category="环境卫生", now=NOW).id


def test_full_flow_grid_to_township_close_and_rate_writes_one_event_each(engine):
    worker, cadre, leader, _, grid = _actors(engine)
    before = _counts(engine)
    aid = _report(engine, worker, grid)
    steps = [(appeals.respond, worker), (appeals.escalate, worker), (appeals.escalate, cadre), (appeals.close, leader)]
    for i, (fn, actor) in enumerate(steps, start=1):
        with session_scope(engine, write=True) as s:
            fn(s, actor=actor, appeal_id=aid, now=NOW.replace(hour=9 + i))
    with session_scope(engine, write=True) as s:
        appeals.rate(s, actor=worker, appeal_id=aid, rating="good", now=NOW.replace(hour=15))
    with Session(engine) as s:
        a = s.get(Appeal, aid)
        acts = [e.action for e in s.exec(sa.select(AppealEvent).where(AppealEvent.appeal_id == aid)).scalars()]
    assert (a.status, a.level, a.closing_level, a.rating) == ("closed", "township", "township", "good")
    assert a.first_response_at == NOW.replace(hour=10) and a.closed_at == NOW.replace(hour=13)
    assert acts == ["report", "respond", "escalate", "escalate", "close", "rate"]
    assert _counts(engine) == (before[0] + 1, before[1] + 6)


def test_town_leader_cannot_report_and_nothing_is_written(engine):
    _, _, leader, _, grid = _actors(engine)
    before = _counts(engine)
    with pytest.raises(PermissionDenied), session_scope(engine, write=True) as s:
        appeals.report(s, actor=leader, grid_id=grid, category="环境卫生", now=NOW)
    assert _counts(engine) == before


def test_unknown_category_is_a_domain_error(engine):
    worker, _, _, _, grid = _actors(engine)
    with pytest.raises(DomainError, match="类别"), session_scope(engine, write=True) as s:
        appeals.report(s, actor=worker, grid_id=grid, category="外星人", now=NOW)


def test_village_cadre_cannot_close_an_appeal_at_the_township(engine):
    worker, cadre, _, _, grid = _actors(engine)
    aid = _report(engine, worker, grid)
    for actor in (worker, cadre):
        with session_scope(engine, write=True) as s:
            appeals.escalate(s, actor=actor, appeal_id=aid, now=NOW)
    before = _counts(engine)
    with pytest.raises(PermissionDenied), session_scope(engine, write=True) as s:
        appeals.close(s, actor=cadre, appeal_id=aid, now=NOW)
    assert _counts(engine) == before


def test_rate_only_once_and_only_when_closed(engine):
    worker, _, _, _, grid = _actors(engine)
    aid = _report(engine, worker, grid)
    with pytest.raises(AppealStateError, match="尚未办结"), session_scope(engine, write=True) as s:
        appeals.rate(s, actor=worker, appeal_id=aid, rating="good", now=NOW)
    with session_scope(engine, write=True) as s:
        appeals.close(s, actor=worker, appeal_id=aid, now=NOW)
    with session_scope(engine, write=True) as s:
        appeals.rate(s, actor=worker, appeal_id=aid, rating="bad", now=NOW)
    with pytest.raises(AppealStateError, match="重复"), session_scope(engine, write=True) as s:
        appeals.rate(s, actor=worker, appeal_id=aid, rating="good", now=NOW)
    with pytest.raises(AppealStateError, match="已办结"), session_scope(engine, write=True) as s:
        appeals.close(s, actor=worker, appeal_id=aid, now=NOW)


def test_escalation_stops_at_the_county(engine):
    worker, cadre, leader, county, grid = _actors(engine)
    aid = _report(engine, worker, grid)
    for actor in (worker, cadre, leader):
        with session_scope(engine, write=True) as s:
            appeals.escalate(s, actor=actor, appeal_id=aid, now=NOW)
    with pytest.raises(AppealStateError, match="县级"), session_scope(engine, write=True) as s:
        appeals.escalate(s, actor=county, appeal_id=aid, now=NOW)
    with session_scope(engine, write=True) as s:
        assert appeals.close(s, actor=county, appeal_id=aid, now=NOW).closing_level == "county"


def test_worker_of_another_village_is_out_of_scope(engine):
    worker, _, _, _, grid = _actors(engine)
    aid = _report(engine, worker, grid)
    with Session(engine) as s:
        other = first_actor(s, "grid_worker", Scope(330624201000, "township"))
    with pytest.raises(ScopeError), session_scope(engine, write=True) as s:
        appeals.respond(s, actor=other, appeal_id=aid, now=NOW)


def test_monthly_stats_share_on_time_and_satisfaction(session):
    cube = appeals.appeal_cube(session, Scope(330624000000, "county"), date(2025, 11, 1), date(2026, 10, 31))
    stats = appeals.monthly_stats(cube)
    total = appeals.summary(cube)
    assert len(stats) == 12 and total["volume"] == session.exec(sa.select(sa.func.count()).select_from(Appeal)).scalar()
    assert sum(total[f"closed_{lvl}"] for lvl in appeals.LEVELS) == total["closed"]
    assert 0 < total["on_time_rate"] <= 100 and 0 < total["satisfaction"] <= 100
    row = stats.iloc[0]
    assert row[[f"closed_{lvl}" for lvl in appeals.LEVELS]].sum() == pytest.approx(100, abs=0.5)
