"""揭榜挂帅: 发榜 → 竞榜 → 揭榜 → 落地 by the roles that may, each refused (one message, nothing written) for the
roles and posts that may not; the board's stages, the losing bidders' view, and the indicator counted from it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import bidding
from core.actors import Actor, actor_for_post
from core.auth import actor_for_username
from core.errors import DomainError, NotFound
from core.indicator_values import compute_values
from core.record_sources import Window
from core.scene_common import SceneDenied, SceneRefused
from core.scope import Scope

NOW = datetime(2026, 10, 31, 10, 0)
TABLES = ("bid_project", "project_bid", "project_milestone", "scene_event")


def counts(session: Session) -> dict[str, int]:
    return {t: int(session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()) for t in TABLES}  # noqa: S608


def secretary_of(session: Session, village_id: int) -> Actor:
    post = session.execute(sa.text("SELECT id FROM post WHERE role = 'village_secretary' AND region_id = :v AND active "
                                   "ORDER BY id LIMIT 1"), {"v": village_id}).scalar()
    return actor_for_post(session, int(post))


@pytest.fixture
def who(session: Session) -> dict[str, Actor]:
    names = ["town_admin", "town_leader", "line_cadre", "village_secretary", "village_committee", "grid_worker",
             "county_admin"]
    out = {n: actor_for_username(session, n)[0] for n in names}
    town = out["town_leader"].region_id
    other = session.execute(sa.text("SELECT id FROM region WHERE parent_id = :t AND level = 'village' AND id != :v "
                                    "ORDER BY id LIMIT 1"), {"t": town, "v": out["village_secretary"].region_id}).scalar()
    out["rival"] = secretary_of(session, int(other))
    far = session.execute(sa.text("SELECT id FROM region WHERE level = 'village' AND parent_id != :t ORDER BY id LIMIT 1"),
                          {"t": town}).scalar()
    out["far"] = secretary_of(session, int(far))
    return out


def publish(session, who, by="town_leader", **kw):
    args = {"title": "茶园共富工坊", "module": "economy", "budget": 120.0, "conditions": "村集体出资不少于两成",
            "bid_deadline": NOW.date() + timedelta(days=5),
            "milestones": [("完成规划设计", NOW.date() + timedelta(days=20)), ("工坊建成投运", NOW.date() + timedelta(days=60))],
            **kw}
    project = bidding.publish_project(session, actor=who[by], now=NOW, **args)
    session.commit()
    return project


def test_the_loop_publish_bid_award_milestones_lands_the_project(session, who):
    project = publish(session, who)
    assert project.code.startswith("JB") and project.status == "published"
    mine = bidding.submit_bid(session, actor=who["village_secretary"], project_id=project.id, plan="流转茶园 300 亩",
                              commitments="两年内带动 50 户增收", now=NOW)
    rival = bidding.submit_bid(session, actor=who["rival"], project_id=project.id, plan="利用闲置厂房",
                               commitments="一年投运", now=NOW + timedelta(hours=1))
    session.commit()
    later = NOW + timedelta(days=6)
    board = bidding.project_board(session, who["town_leader"].scope, later.date())
    row = board[board.project_id == project.id].iloc[0]
    assert row.stage == "selecting" and row.bids == 2
    bidding.award_project(session, actor=who["town_leader"], project_id=project.id, bid_id=mine.id,
                          reason="方案带动农户更多", now=later)
    session.commit()
    # the losing village sees the decision, the reason and its own bid; that another village won, not which one
    # (the winner's name and plan are outside its scope)
    seen = bidding.project_detail(session, who["rival"].scope, project.id, later.date())
    assert seen.facts["award_reason"] == "方案带动农户更多"
    assert seen.facts["village"] == bidding.OTHER_VILLAGE
    assert dict(zip(seen.bids.bid_id, seen.bids.outcome, strict=True)) == {rival.id: "lost"}
    row = bidding.project_board(session, who["rival"].scope, later.date()).set_index("project_id").loc[project.id]
    assert row.village == bidding.OTHER_VILLAGE and row.winner is None and row.my_bid == "lost"
    won = bidding.project_board(session, who["village_secretary"].scope, later.date()).set_index("project_id")
    assert won.loc[project.id].village == bidding.project_detail(session, who["town_leader"].scope, project.id,
                                                                 later.date()).facts["village"]
    both = bidding.project_detail(session, who["town_leader"].scope, project.id, later.date())
    assert dict(zip(both.bids.bid_id, both.bids.outcome, strict=True)) == {mine.id: "won", rival.id: "lost"}
    detail = bidding.project_detail(session, who["village_secretary"].scope, project.id, later.date())
    first, second = detail.milestones.milestone_id.tolist()
    with pytest.raises(SceneRefused, match="请先完成前面的里程碑"):
        bidding.complete_milestone(session, actor=who["village_secretary"], milestone_id=second, now=later)
    with pytest.raises(SceneDenied):
        bidding.complete_milestone(session, actor=who["rival"], milestone_id=first, now=later)
    session.rollback()
    bidding.complete_milestone(session, actor=who["village_secretary"], milestone_id=first, now=later)
    land = later + timedelta(days=10)
    bidding.complete_milestone(session, actor=who["village_committee"], milestone_id=second, now=land)
    session.commit()
    done = bidding.project_detail(session, who["town_leader"].scope, project.id, land.date())
    assert done.facts["stage"] == "landed" and done.facts["landed_on"] == land.date()
    assert list(done.events.action) == ["publish", "bid", "bid", "award", "milestone", "milestone", "land"]
    # ec_bidding_projects counts the landed project in the winning village's month
    v = who["village_secretary"].region_id
    period = land.year * 100 + land.month
    values = compute_values(session.connection(), Window(v, v, (period,), land.date()), ["ec_bidding_projects"])
    assert values.value.tolist() == [1.0]


def test_board_counts_projects_by_stage(session, who):
    scope, day = who["town_leader"].scope, NOW.date() + timedelta(days=1)
    before = bidding.stage_counts(session, scope, day)
    publish(session, who)
    publish(session, who, title="光伏屋顶", bid_deadline=NOW.date())
    after = bidding.stage_counts(session, scope, day)
    assert after["bidding"] - before["bidding"] == 1 and after["selecting"] - before["selecting"] == 1


@pytest.mark.parametrize(("by", "error"), [("village_secretary", SceneDenied), ("line_cadre", SceneDenied),
                                           ("grid_worker", SceneDenied)])
def test_publish_is_refused_for_other_roles_and_writes_nothing(session, who, by, error):
    before = counts(session)
    with pytest.raises(error, match="无权发榜"):
        publish(session, who, by=by)
    session.rollback()
    assert counts(session) == before


@pytest.mark.parametrize(("change", "message"), [
    ({"title": "  "}, "请填写项目名称"), ({"budget": 0}, "预算"), ({"module": "x"}, "模块"),
    ({"bid_deadline": NOW.date() - timedelta(days=1)}, "早于今天"), ({"milestones": []}, "里程碑"),
    ({"milestones": [("规划", NOW.date())]}, "晚于竞榜截止日")])
def test_publish_refuses_bad_input_with_one_message(session, who, change, message):
    before = counts(session)
    with pytest.raises(SceneRefused, match=message):
        publish(session, who, **change)
    session.rollback()
    assert counts(session) == before


def test_bids_are_refused_after_the_deadline_twice_or_from_another_township(session, who):
    project = publish(session, who)
    kw = {"project_id": project.id, "plan": "方案", "commitments": "承诺"}
    bidding.submit_bid(session, actor=who["village_secretary"], now=NOW, **kw)
    session.commit()
    before = counts(session)
    with pytest.raises(SceneRefused, match="已竞榜"):
        bidding.submit_bid(session, actor=who["village_secretary"], now=NOW, **kw)
    with pytest.raises(SceneRefused, match="已截止"):
        bidding.submit_bid(session, actor=who["rival"], now=NOW + timedelta(days=6), **kw)
    with pytest.raises(NotFound):
        bidding.submit_bid(session, actor=who["far"], now=NOW, **kw)
    with pytest.raises(SceneDenied, match="无权竞榜"):
        bidding.submit_bid(session, actor=who["grid_worker"], now=NOW, **kw)
    session.rollback()
    assert counts(session) == before


def test_award_needs_a_reason_a_bid_of_the_project_and_the_township(session, who):
    project = publish(session, who)
    bid = bidding.submit_bid(session, actor=who["village_secretary"], project_id=project.id, plan="p", commitments="c",
                             now=NOW)
    session.commit()
    before = counts(session)
    with pytest.raises(SceneRefused, match="选定理由"):
        bidding.award_project(session, actor=who["town_leader"], project_id=project.id, bid_id=bid.id, reason=" ", now=NOW)
    with pytest.raises(SceneRefused, match="竞榜方案"):
        bidding.award_project(session, actor=who["town_leader"], project_id=project.id, bid_id=-1, reason="好", now=NOW)
    with pytest.raises(DomainError):
        bidding.award_project(session, actor=who["village_secretary"], project_id=project.id, bid_id=bid.id, reason="好",
                              now=NOW)
    session.rollback()
    assert counts(session) == before


def test_a_village_sees_its_townships_projects_only(session, who):
    project = publish(session, who)
    assert project.id in set(bidding.project_board(session, who["village_secretary"].scope, NOW.date()).project_id)
    assert project.id not in set(bidding.project_board(session, who["far"].scope, NOW.date()).project_id)
    with pytest.raises(NotFound):
        bidding.project_detail(session, who["far"].scope, project.id, NOW.date())
    county = Scope(who["county_admin"].region_id, "county")
    assert project.id in set(bidding.project_board(session, county, NOW.date()).project_id)


def test_landing_moves_the_stored_indicator_of_the_winning_village(session, who):
    project = publish(session, who)
    bid = bidding.submit_bid(session, actor=who["village_secretary"], project_id=project.id, plan="p", commitments="c",
                             now=NOW)
    bidding.award_project(session, actor=who["town_leader"], project_id=project.id, bid_id=bid.id, reason="好", now=NOW)
    v = who["village_secretary"].region_id
    sql = sa.text("SELECT value FROM indicator_value WHERE village_id = :v AND period = 202610 "
                  "AND indicator_code = 'ec_bidding_projects'")
    before = session.execute(sql, {"v": v}).scalar() or 0.0
    for mid in bidding.project_detail(session, who["village_secretary"].scope, project.id, NOW.date()).milestones.milestone_id:
        bidding.complete_milestone(session, actor=who["village_secretary"], milestone_id=int(mid), now=NOW)
    session.commit()
    assert session.execute(sql, {"v": v}).scalar() == before + 1
