"""一件事 and 县乡双向考评: a case with two (or more) departments and the township, each step with its time limit;
the case shows who holds it up, closes only when every step is done, is rated by the township, and moves the
department ranking and ps_one_thing_days; every wrong role or department is refused with nothing written."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import one_thing
from core.actors import Actor, actor_for_post
from core.auth import actor_for_username
from core.errors import NotFound
from core.indicator_values import compute_values
from core.record_sources import Window
from core.scene_common import SceneDenied, SceneRefused
from core.scope import Scope

NOW = datetime(2026, 10, 31, 9, 0)
TABLES = ("one_thing_case", "case_step", "dept_rating", "scene_event")


def counts(session: Session) -> dict[str, int]:
    return {t: int(session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()) for t in TABLES}  # noqa: S608


def staff_of(session: Session, county: int, name: str) -> Actor:
    post = session.execute(sa.text("SELECT p.id FROM post p JOIN department d ON d.id = p.department_id "
                                   "WHERE d.county_id = :c AND d.name = :n ORDER BY p.id LIMIT 1"), {"c": county, "n": name}).scalar()
    return actor_for_post(session, int(post))


@pytest.fixture
def who(session: Session) -> dict[str, Actor]:
    out = {n: actor_for_username(session, n)[0] for n in ("town_leader", "town_admin", "village_secretary", "dept_staff",
                                                          "county_admin")}
    county = out["county_admin"].region_id
    for name in ("县公安局", "县民政局", "县人力社保局", "县住建局"):
        out[name] = staff_of(session, county, name)
    return out


def open_dispute(session, who) -> one_thing.OneThingCase:
    case = one_thing.open_case(session, actor=who["town_leader"], village_id=who["village_secretary"].region_id,
                               case_type="矛盾纠纷联调", title="宅基地边界纠纷", now=NOW)
    session.commit()
    return case


def row_of(session, who, case_id, day) -> dict:
    board = one_thing.case_board(session, who["town_leader"].scope, day)
    return board[board.case_id == case_id].iloc[0].to_dict()


def test_a_case_with_departments_closes_only_when_every_step_is_done_and_is_rated(session, who):
    case = open_dispute(session, who)
    detail = one_thing.case_detail(session, who["town_leader"].scope, case.id, NOW.date())
    assert list(detail.steps.party) == ["lead", "co", "co", "township"]
    assert list(detail.steps.department.fillna("—")) == ["县公安局", "县民政局", "县人力社保局", "—"]
    assert (detail.steps.due_at - NOW).dt.days.tolist() == [3, 3, 3, 7]
    steps = dict(zip(detail.steps.department.fillna("township"), detail.steps.step_id, strict=True))
    assert row_of(session, who, case.id, NOW.date())["holder"] == "县公安局"
    with pytest.raises(SceneRefused, match="各部门环节办结后"):
        one_thing.complete_step(session, actor=who["town_leader"], step_id=steps["township"], now=NOW)
    with pytest.raises(SceneDenied, match="本部门"):
        one_thing.complete_step(session, actor=who["县民政局"], step_id=steps["县公安局"], now=NOW)
    session.rollback()
    one_thing.complete_step(session, actor=who["县公安局"], step_id=steps["县公安局"], now=NOW + timedelta(days=1))
    one_thing.complete_step(session, actor=who["县民政局"], step_id=steps["县民政局"], now=NOW + timedelta(days=2))
    session.commit()
    later = (NOW + timedelta(days=5)).date()
    row = row_of(session, who, case.id, later)
    assert row["holder"] == "县人力社保局" and row["urgency"] == "overdue" and pd.isna(row["closed_at"])
    one_thing.complete_step(session, actor=who["县人力社保局"], step_id=steps["县人力社保局"], now=NOW + timedelta(days=5))
    assert row_of(session, who, case.id, later)["holder"] == "township"
    one_thing.complete_step(session, actor=who["town_admin"], step_id=steps["township"], now=NOW + timedelta(days=6))
    session.commit()
    done = (NOW + timedelta(days=6)).date()
    assert row_of(session, who, case.id, done)["closed_at"] == NOW + timedelta(days=6)
    before = one_thing.department_ranking(session, who["county_admin"].scope, NOW.date(), done).set_index("department")
    one_thing.rate_step(session, actor=who["town_leader"], step_id=steps["县公安局"], rating="good", now=NOW + timedelta(days=7))
    with pytest.raises(SceneRefused, match="差评须填写理由"):
        one_thing.rate_step(session, actor=who["town_leader"], step_id=steps["县人力社保局"], rating="poor",
                            now=NOW + timedelta(days=7))
    one_thing.rate_step(session, actor=who["town_leader"], step_id=steps["县人力社保局"], rating="poor", note="超时两天",
                        now=NOW + timedelta(days=7))
    session.commit()
    after = one_thing.department_ranking(session, who["county_admin"].scope, NOW.date(), done + timedelta(days=1)).set_index("department")
    assert after.loc["县公安局", "good"] == before.loc["县公安局", "good"] + 1
    assert after.loc["县人力社保局", "poor"] == before.loc["县人力社保局", "poor"] + 1
    assert set(after.groupby("county_id")["rank"].min()) == {1}
    # the department sees its own case and rating; ps_one_thing_days counts the 6 days in the village's month
    mine = one_thing.department_cases(session, who["县人力社保局"], done)
    assert case.id in set(mine.case_id)
    v = who["village_secretary"].region_id
    values = compute_values(session.connection(), Window(v, v, (202611,), done), ["ps_one_thing_days"])
    assert values.numerator.iloc[0] >= 6.0 and values.denominator.iloc[0] >= 1


def test_open_case_is_refused_for_other_roles_other_townships_and_bad_input(session, who):
    before = counts(session)
    v = who["village_secretary"].region_id
    for actor in (who["village_secretary"], who["dept_staff"], who["county_admin"]):
        with pytest.raises(SceneDenied):
            one_thing.open_case(session, actor=actor, village_id=v, case_type="违建处置", title="x", now=NOW)
    with pytest.raises(SceneRefused, match="类型"):
        one_thing.open_case(session, actor=who["town_leader"], village_id=v, case_type="不存在", title="x", now=NOW)
    with pytest.raises(SceneRefused, match="事项名称"):
        one_thing.open_case(session, actor=who["town_leader"], village_id=v, case_type="违建处置", title=" ", now=NOW)
    far = session.execute(sa.text("SELECT id FROM region WHERE level = 'village' AND parent_id != :t ORDER BY id LIMIT 1"),
                          {"t": who["town_leader"].region_id}).scalar()
    with pytest.raises(PermissionError):
        one_thing.open_case(session, actor=who["town_leader"], village_id=far, case_type="违建处置", title="x", now=NOW)
    session.rollback()
    assert counts(session) == before


def test_rating_needs_a_closed_case_and_happens_once(session, who):
    case = open_dispute(session, who)
    step = one_thing.case_detail(session, who["town_leader"].scope, case.id, NOW.date()).steps.step_id.iloc[0]
    before = counts(session)
    with pytest.raises(SceneRefused, match="尚未办结"):
        one_thing.rate_step(session, actor=who["town_leader"], step_id=int(step), rating="good", now=NOW)
    with pytest.raises(SceneDenied):
        one_thing.rate_step(session, actor=who["village_secretary"], step_id=int(step), rating="good", now=NOW)
    session.rollback()
    assert counts(session) == before


def test_other_villages_and_departments_do_not_see_the_case(session, who):
    case = open_dispute(session, who)
    sibling = session.execute(sa.text("SELECT id FROM region WHERE parent_id = :t AND id != :v ORDER BY id LIMIT 1"),
                              {"t": who["town_leader"].region_id, "v": who["village_secretary"].region_id}).scalar()
    with pytest.raises(NotFound):
        one_thing.case_detail(session, Scope(int(sibling), "village"), case.id, NOW.date())
    with pytest.raises(NotFound):
        one_thing.department_case_detail(session, who["县住建局"], case.id, NOW.date())
    assert case.id not in set(one_thing.department_cases(session, who["县住建局"], NOW.date()).case_id)


def test_co_office_is_a_task_fact_and_counted_per_office(session, who):
    from datetime import date

    from core.task_queries import task_detail

    tid, office, village = session.execute(sa.text(
        "SELECT id, co_office, village_id FROM task WHERE co_office IS NOT NULL ORDER BY id LIMIT 1")).first()
    assert task_detail(session, Scope(village, "village"), tid).facts["co_office"] == office
    county = who["county_admin"].scope
    counted = one_thing.co_office_counts(session, county, date(2025, 11, 1), date(2026, 10, 31)).set_index("office")
    expected = session.execute(sa.text("SELECT count(*) FROM task WHERE co_office = :o AND status != 'rejected' "
                                       "AND deadline BETWEEN '2025-11-01' AND '2026-10-31'"), {"o": office}).scalar()
    assert counted.loc[office, "tasks"] == expected > 0
