"""Live numbers (SPEC §11, issue #18): a write through a core service moves, in its own transaction, the
village-month's indicator value, its module score, its township's rollup, the cockpit tile, its rank and the
month's score stamp. Each test reads the same month before and after the write."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import appeals as ap
from core import workflow as wf
from core.actors import Actor, first_actor
from core.indicator_values import compute_values, stored_values
from core.kpis import period_kpis
from core.live import computed_at
from core.models import Appeal, IndicatorValue, Region, RollupIndicator
from core.record_sources import Window
from core.scope import Scope
from core.scoring import explain, region_rank, region_scores
from core.task_queries import dataset_window

NOW = datetime(2026, 10, 31, 10, 0)
PERIOD = 202610


def _value(session: Session, village_id: int, code: str) -> tuple[float, float, float]:
    iv = IndicatorValue.__table__.c
    row = session.execute(sa.select(iv.value, iv.numerator, iv.denominator).where(
        iv.village_id == village_id, iv.period == PERIOD, iv.indicator_code == code)).one()
    return tuple(float(x) for x in row)  # type: ignore[return-value]


def _township(session: Session, village_id: int, code: str) -> tuple[float, float]:
    ri = RollupIndicator.__table__.c
    row = session.execute(sa.select(ri.num_sum, ri.den_sum).where(
        ri.level == "township", ri.region_id == village_id // 1000 * 1000, ri.period == PERIOD,
        ri.indicator_code == code)).one()
    return float(row[0]), float(row[1])


def _module(session: Session, scope: Scope, village_id: int, module: str) -> float:
    scores = region_scores(session, scope, village_id // 1000 * 1000, PERIOD).set_index("region_id")
    return float(scores.at[village_id, module])


def _snapshot(session: Session, scope: Scope, village_id: int, code: str, module: str) -> dict:
    rank = region_rank(session, scope, village_id, PERIOD)
    kpis = period_kpis(session, scope, village_id, PERIOD, PERIOD - 1, NOW.date())
    return {"value": _value(session, village_id, code), "township": _township(session, village_id, code),
            "module": _module(session, scope, village_id, module), "composite": rank["composite"],
            "rank": rank["rank_in_level"],
            "kpis": kpis, "stamp": computed_at(session, PERIOD)}


def _county(session: Session) -> Actor:
    return first_actor(session, "county_admin")


MATTER, CODE, MODULE = "T-SA-01", "sa_task_on_time", "safety"  # a 平安法治 matter on the dispatch list
DEADLINE = date(2026, 10, 20)


def _give_tasks(session: Session, vid: int, *, on_time: int, late: int, open_: int = 0) -> tuple[list[int], Actor]:
    """Dispatch 平安法治 tasks due on DEADLINE to village `vid`: `on_time` completed by it, `late` after it and
    `open_` left in progress; returns the open tasks' ids and the village secretary."""
    admin = first_actor(session, "town_admin", within=Scope(vid // 1000 * 1000, "township"))
    cadre = first_actor(session, "village_secretary", within=Scope(vid, "village"))
    left = []
    for k in range(on_time + late + open_):
        t = wf.dispatch(session, actor=admin, village_id=vid, matter_code=MATTER, title=f"测试任务{k}",
                        category="township", deadline=DEADLINE, owner_id=cadre.person_id, now=datetime(2026, 10, 2, 9))
        tid = int(t.id)  # type: ignore[arg-type]
        wf.sign(session, actor=cadre, task_id=tid, now=datetime(2026, 10, 3, 9))
        wf.start(session, actor=cadre, task_id=tid, now=datetime(2026, 10, 3, 10))
        if k < on_time + late:
            wf.complete(session, actor=cadre, task_id=tid, now=datetime(2026, 10, 15 if k < on_time else 25, 9))
        else:
            left.append(tid)
    session.commit()
    return left, cadre


@pytest.fixture
def village_tasks(session: Session) -> tuple[int, list[int], Actor]:
    """Three villages of one township get five 平安法治 tasks each, due on 20 October (a full sample,
    ScoringConfig.min_count): the first has four done on time and one still open, its peers three and five
    on time. Returns (the first village, its open task, its secretary)."""
    first, second, third = [int(v) for v in session.execute(
        sa.select(Region.id).where(Region.level == "village").order_by(Region.id).limit(3)).scalars()]
    _give_tasks(session, second, on_time=3, late=2)
    _give_tasks(session, third, on_time=5, late=0)
    ids, cadre = _give_tasks(session, first, on_time=4, late=0, open_=1)
    return first, ids, cadre


def test_completing_a_task_on_time_moves_every_number_above_it(session: Session, village_tasks):
    vid, ids, cadre = village_tasks
    scope = _county(session).scope
    when = datetime(2026, 10, 20, 9)  # on its deadline day: on time
    before = _snapshot(session, scope, vid, CODE, MODULE)
    wf.complete(session, actor=cadre, task_id=ids[-1], now=when)
    session.commit()
    after = _snapshot(session, scope, vid, CODE, MODULE)
    assert after["value"][1] == before["value"][1] + 1 and after["value"][2] == before["value"][2] >= 5
    assert after["value"][0] > before["value"][0]
    assert after["township"] == (before["township"][0] + 1, before["township"][1])
    assert after["module"] > before["module"]
    assert after["composite"] > before["composite"]
    assert after["rank"] <= before["rank"]
    assert after["kpis"]["on_time_rate"][0] > before["kpis"]["on_time_rate"][0]
    assert after["kpis"]["completion"][0] > before["kpis"]["completion"][0]
    assert after["stamp"] == when and after["stamp"] != before["stamp"]
    _assert_stored_equals_counted(session, vid)


def test_completing_an_overdue_task_counts_it_finished_but_not_on_time(session: Session, village_tasks):
    """A late completion is not on time by definition (done after the deadline): the on-time indicator keeps
    its numerator and the scores stay; what moves is the month's completion tile (finished ÷ due)."""
    vid, ids, cadre = village_tasks
    scope = _county(session).scope
    before = _snapshot(session, scope, vid, CODE, MODULE)
    wf.complete(session, actor=cadre, task_id=ids[-1], now=NOW)
    session.commit()
    after = _snapshot(session, scope, vid, CODE, MODULE)
    assert after["value"] == before["value"] and after["township"] == before["township"]
    assert after["module"] == before["module"] and after["rank"] == before["rank"]
    assert after["kpis"]["completion"][0] > before["kpis"]["completion"][0]
    assert after["kpis"]["on_time_rate"][0] == before["kpis"]["on_time_rate"][0]
    _assert_stored_equals_counted(session, vid)


def test_rating_an_appeal_bad_lowers_satisfaction_and_the_public_service_score(session: Session):
    a = Appeal.__table__.c
    appeal_id = session.execute(sa.select(a.id).where(a.status == "closed", a.rating.is_(None),
                                                      a.reported_at >= datetime(2026, 10, 1)).order_by(a.id)).scalar()
    assert appeal_id is not None
    appeal = session.get(Appeal, appeal_id)
    assert appeal is not None
    vid = int(appeal.village_id)
    county = _county(session)
    before = _snapshot(session, county.scope, vid, "ps_satisfaction", "public_service")
    cadre = first_actor(session, "village_secretary", within=Scope(vid, "village"))
    ap.rate(session, actor=cadre, appeal_id=appeal_id, rating="bad", now=NOW)
    session.commit()
    after = _snapshot(session, county.scope, vid, "ps_satisfaction", "public_service")
    assert after["value"][2] == before["value"][2] + 1 and after["value"][1] == before["value"][1]
    assert after["value"][0] < before["value"][0]
    assert after["township"] == (before["township"][0], before["township"][1] + 1)
    assert after["module"] < before["module"]
    assert after["kpis"]["satisfaction"][0] < before["kpis"]["satisfaction"][0]
    assert after["stamp"] == NOW
    why = explain(session, county.scope, vid, PERIOD, "public_service")
    assert why is not None
    _assert_stored_equals_counted(session, vid)


def _assert_stored_equals_counted(session: Session, village_id: int) -> None:
    first, as_of = dataset_window(session)
    w = Window(village_id, village_id, (PERIOD,), as_of)
    conn = session.connection()
    import pandas as pd

    pd.testing.assert_frame_equal(stored_values(conn, w), compute_values(conn, w), check_dtype=False)


@pytest.fixture(autouse=True)
def _tiny_region(session: Session):
    assert session.execute(sa.select(sa.func.count()).select_from(Region)).scalar_one() > 0
