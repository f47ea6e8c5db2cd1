"""Rollups (core.rollups): equal to the raw aggregates after the generator's rebuild and after every write."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import appeals, kpis, leader_index, leader_inputs, live, rollups
from core import workflow as wf
from core.actors import first_actor
from core.db import session_scope
from core.models import Appeal, Grid, IndicatorValue, Region, Task
from core.rules import load_rulebook
from core.scope import Scope
from core.sqlfn import ym

NOW = datetime(2026, 10, 31, 10, 0)


def snapshot(conn: sa.Connection) -> dict[str, list[tuple]]:
    """Every rollup table's rows, sorted, floats rounded (zero rows are absent by construction)."""
    out = {}
    for name in rollups.ROLLUP_TABLES:
        rows = [r._mapping for r in conn.execute(sa.text(f"SELECT * FROM {name}"))]
        out[name] = sorted(tuple(round(v, 6) if isinstance(v, float) else v for k, v in r.items() if k != "id")
                           for r in rows)  # a stored warning's id is a surrogate key
    return out


def assert_equal_to_rebuild(engine) -> None:
    """The rollups as kept by the services equal a rebuild from the raw rows. A write that moves a count drops the
    month's stored scores (core.live: readers compute them from the rollups); the debounced re-score stores them
    again, so the comparison runs after it."""
    with Session(engine) as s:
        live.rescore_pending(s)
        s.commit()
    with engine.connect() as conn:
        kept = snapshot(conn)
        rollups.rebuild_rollups(conn)
        rebuilt = snapshot(conn)
        conn.rollback()
    for name in rollups.ROLLUP_TABLES:
        assert kept[name] == rebuilt[name], name


def test_task_month_rollup_equals_raw_count_per_township(session: Session):
    t = Task.__table__.c
    town, period = (t.village_id // 1000) * 1000, ym(t.deadline)
    raw = {(int(r), int(p)): (int(n), int(f)) for r, p, n, f in session.execute(
        sa.select(town, period, sa.func.count(), sa.func.sum(sa.case((t.status.in_(["done", "scored"]), 1), else_=0)))
        .where(t.status != "rejected").group_by(town, period))}
    rt = rollups.TASK_MONTH.table.c
    kept = {(int(r), int(p)): (int(n), int(f)) for r, p, n, f in session.execute(
        sa.select(rt.region_id, rt.period, rt.due, rt.finished).where(rt.level == "township"))}
    assert raw and kept == raw


def test_late_rollup_equals_the_overdue_at_month_end_query(session: Session):
    t = Task.__table__.c
    county = session.execute(sa.select(Region.id).where(Region.level == "county")).scalar()
    for period in (202607, 202608, 202609):
        end = rollups.last_day(period)
        raw = session.execute(sa.select(sa.func.count()).where(
            t.status.in_(["done", "scored"]), t.deadline < end, t.done_at >= end + timedelta(days=1),
            t.village_id.between(county, county + 999_999))).scalar_one()
        rl = rollups.TASK_LATE.table.c
        kept = session.execute(sa.select(rl.n).where(rl.region_id == county, rl.period == period)).scalar() or 0
        assert kept == raw


def test_appeal_grid_and_indicator_rollups_equal_raw_sums(session: Session):
    a = Appeal.__table__.c
    raw = sorted((int(g), int(p), c, int(n)) for g, p, c, n in session.execute(
        sa.select(a.grid_id, ym(a.reported_at), a.category, sa.func.count())
        .group_by(a.grid_id, ym(a.reported_at), a.category)))
    kept = sorted(tuple(r) for r in session.execute(sa.text("SELECT grid_id, period, category, n FROM rollup_appeal_grid")))
    assert raw and kept == raw
    iv = IndicatorValue.__table__.c
    county = (iv.village_id // 10**6) * 10**6
    raw_iv = {(int(r), int(p), c): round(float(v), 6) for r, p, c, v in session.execute(
        sa.select(county, iv.period, iv.indicator_code, sa.func.sum(iv.value)).group_by(county, iv.period, iv.indicator_code))}
    kept_iv = {(int(r), int(p), c): round(float(v), 6) for r, p, c, v in session.execute(sa.text(
        "SELECT region_id, period, indicator_code, value_sum FROM rollup_indicator WHERE level = 'county'"))}
    assert raw_iv and kept_iv == raw_iv


def test_generated_rollups_equal_a_rebuild(engine):
    assert_equal_to_rebuild(engine)


def _cast(engine):
    with Session(engine) as s:
        village = s.exec(sa.select(Region.id).where(Region.level == "village").order_by(Region.id)).scalar()
        town = Scope(village // 1000 * 1000, "township")
        return {"secretary": first_actor(s, "village_secretary", within=Scope(village, "village")),
                "leader": first_actor(s, "town_leader", within=town),
                "town_admin": first_actor(s, "town_admin", within=town)}


def _dispatch(engine, cast, deadline: date) -> int:
    with session_scope(engine, write=True) as s:
        return wf.dispatch(s, actor=cast["town_admin"], village_id=cast["secretary"].region_id, matter_code="T-SA-01",
                           title="汇总测试", category="township", deadline=deadline,
                           owner_id=cast["secretary"].person_id, leader_id=cast["leader"].person_id, now=NOW).id


def test_task_writes_keep_rollups_equal_to_a_rebuild(engine):
    cast = _cast(engine)
    tid = _dispatch(engine, cast, NOW.date() + timedelta(days=2))
    assert_equal_to_rebuild(engine)
    steps = [(wf.sign, "secretary", {}, 1), (wf.start, "secretary", {}, 2),
             (wf.urge, "town_admin", {"note": "请加快"}, 3),
             (wf.complete, "secretary", {}, 70),  # finished two month ends after its deadline: overdue then
             (wf.score, "leader", {"quality": 91.5}, 71)]
    for fn, who, extra, days in steps:
        with session_scope(engine, write=True) as s:
            fn(s, actor=cast[who], task_id=tid, now=NOW + timedelta(days=days), **extra)
        assert_equal_to_rebuild(engine)
    rejected = _dispatch(engine, cast, NOW.date() + timedelta(days=3))
    with session_scope(engine, write=True) as s:
        wf.reject(s, actor=cast["secretary"], task_id=rejected, note="不属于本村", now=NOW)
    assert_equal_to_rebuild(engine)


def test_dispatch_is_visible_in_the_cockpit_kpis_at_once(engine):
    cast = _cast(engine)
    village = cast["secretary"].region_id
    county = village // 10**6 * 10**6
    scope, period = Scope(county, "county"), 202611
    with Session(engine) as s:
        before = kpis.monthly_kpis(s, scope, county, [period], date(2026, 11, 30)).iloc[0]
    _dispatch(engine, cast, date(2026, 11, 20))
    with Session(engine) as s:
        after = kpis.monthly_kpis(s, scope, county, [period], date(2026, 11, 30)).iloc[0]
        cut = kpis.monthly_kpis(s, scope, county, [period], date(2026, 11, 10)).iloc[0]
        t = Task.__table__.c
        raw_cut = s.execute(sa.select(sa.func.count()).where(
            t.status != "rejected", t.deadline.between(date(2026, 11, 1), date(2026, 11, 10)),
            t.village_id.between(county, county + 999_999))).scalar_one()
    assert after["due"] == before["due"] + 1
    assert cut["due"] == raw_cut  # tasks due after the as-of day are not counted yet


def test_appeal_writes_keep_rollups_equal_to_a_rebuild(engine):
    with Session(engine) as s:
        worker = first_actor(s, "grid_worker")
        grid = s.exec(sa.select(Grid.id).where(Grid.village_id == worker.region_id).order_by(Grid.id)).scalar()
    ids = []
    for k in range(3):  # three on one day at one grid: a busy day
        with session_scope(engine, write=True) as s:
            ids.append(appeals.report(s, actor=worker, grid_id=grid, category="环境卫生", now=NOW + timedelta(minutes=k)).id)
        assert_equal_to_rebuild(engine)
    steps = [(appeals.respond, worker, {}), (appeals.close, worker, {}), (appeals.rate, worker, {"rating": "good"})]
    for i, (fn, actor, extra) in enumerate(steps, start=1):
        with session_scope(engine, write=True) as s:
            fn(s, actor=actor, appeal_id=ids[0], now=NOW + timedelta(hours=i), **extra)
        assert_equal_to_rebuild(engine)


def _cube_rows(conn: sa.Connection, level: str, span: int) -> dict[tuple, tuple]:
    """{(region, period, category, channel, closing level, on time, rating): (n, resp_h, close_h)}: raw appeals
    grouped in Python, and the cube rollup's rows of `level`."""
    a = Appeal.__table__.c
    raw: dict[tuple, list] = {}
    for v, rep, cat, ch, lvl, closed, due, rating, resp in conn.execute(sa.select(
            a.village_id, a.reported_at, a.category, a.channel, a.closing_level, a.closed_at, a.due_at, a.rating,
            a.first_response_at)):
        rep, closed, due, resp = (pd.Timestamp(x) if x is not None else None for x in (rep, closed, due, resp))
        on_time = -1 if closed is None else int(closed <= due)
        key = (int(v) // span * span, rep.year * 100 + rep.month, cat, ch, lvl or "", on_time, rating or "")
        acc = raw.setdefault(key, [0, 0.0, 0.0])
        acc[0] += 1
        acc[1] += (resp - rep).total_seconds() / 3600 if resp is not None else 0.0
        acc[2] += (closed - rep).total_seconds() / 3600 if closed is not None else 0.0
    c = rollups.CUBE.c
    kept = {tuple(r[:7]): (int(r[7]), float(r[8]), float(r[9])) for r in conn.execute(
        sa.select(c.region_id, c.period, *(c[k] for k in rollups.CUBE_KEYS), *(c[v] for v in rollups.CUBE_VALUES))
        .where(c.level == level))}
    return {k: tuple(v) for k, v in raw.items()}, kept


def _assert_cube_equals_raw(engine) -> None:
    """Same keys and counts; summed hours equal to a second per appeal (SQLite's julianday arithmetic rounds)."""
    with engine.connect() as conn:
        for level, span in (("township", 1000), ("county", 10**6)):
            raw, kept = _cube_rows(conn, level, span)
            assert raw and set(kept) == set(raw), level
            for key, (n, resp_h, close_h) in raw.items():
                tol = n / 3600
                assert kept[key] == (n, pytest.approx(resp_h, abs=tol), pytest.approx(close_h, abs=tol)), key


def test_appeal_cube_rollup_equals_raw_after_rebuild_and_after_writes(engine):
    _assert_cube_equals_raw(engine)
    with Session(engine) as s:
        worker = first_actor(s, "grid_worker")
        grid = s.exec(sa.select(Grid.id).where(Grid.village_id == worker.region_id).order_by(Grid.id)).scalar()
    with session_scope(engine, write=True) as s:
        aid = appeals.report(s, actor=worker, grid_id=grid, category="矛盾纠纷", channel="随手拍", now=NOW).id
    _assert_cube_equals_raw(engine)
    steps = [(appeals.respond, {}), (appeals.close, {}), (appeals.rate, {"rating": "mid"})]
    for i, (fn, extra) in enumerate(steps, start=1):
        with session_scope(engine, write=True) as s:
            fn(s, actor=worker, appeal_id=aid, now=NOW + timedelta(days=2 * i), **extra)
        _assert_cube_equals_raw(engine)
    county = worker.region_id // 10**6 * 10**6
    with Session(engine) as s:
        cube = appeals.appeal_cube(s, Scope(county, "county"), date(2025, 11, 1), NOW.date())
        village = appeals.appeal_cube(s, Scope(worker.region_id, "village"), date(2025, 11, 1), NOW.date())
        a = Appeal.__table__.c
        n = s.execute(sa.select(sa.func.count()).where(a.village_id.between(county, county + 10**6 - 1),
                                                       a.reported_at >= date(2025, 11, 1))).scalar_one()
        nv = s.execute(sa.select(sa.func.count()).where(a.village_id == worker.region_id,
                                                        a.reported_at >= date(2025, 11, 1))).scalar_one()
    assert appeals.summary(cube)["volume"] == n and appeals.summary(village)["volume"] == nv
    assert appeals.summary(village)["ratings"]["mid"] >= 1


@pytest.mark.parametrize("period, expected", [(202602, date(2026, 2, 28)), (202412, date(2024, 12, 31))])
def test_last_day(period, expected):
    assert rollups.last_day(period) == expected


def assert_leader_months_fresh(engine, periods: tuple[int, ...] = (202608, 202609, 202610)) -> None:
    """The stored 领雁指数 rows (rollup_leader_month) equal a fresh computation from the inputs."""
    cols = ["person_id", "village_id", "rule_version", *leader_index.DIMENSIONS, "index", "cadre_score"]
    with Session(engine) as s:
        root = s.exec(sa.select(Region.id, Region.level).where(Region.parent_id.is_(None))).first()
        scope = Scope(int(root[0]), root[1])
        book = load_rulebook(s)
        for period in periods:
            stored = leader_index.stored_frame(s, scope.lo, scope.hi, period)
            fresh = leader_index.score_frame(leader_inputs.load_facts(s, scope.lo, scope.hi, period), book, period)
            assert stored is not None and len(stored) == len(fresh) > 0, period
            pd.testing.assert_frame_equal(stored[cols].reset_index(drop=True), fresh[cols].reset_index(drop=True),
                                          check_dtype=False, atol=1e-9, check_exact=False)


def test_stored_leader_index_equals_a_fresh_computation_after_rebuild_and_writes(engine):
    assert_leader_months_fresh(engine)
    cast = _cast(engine)
    tid = _dispatch(engine, cast, NOW.date())
    for fn, who, extra in [(wf.sign, "secretary", {}), (wf.start, "secretary", {}), (wf.complete, "secretary", {}),
                           (wf.score, "leader", {"quality": 88.0})]:
        with session_scope(engine, write=True) as s:
            fn(s, actor=cast[who], task_id=tid, now=NOW, **extra)
    assert_leader_months_fresh(engine)
    with Session(engine) as s:
        mine = leader_index.stored_frame(s, cast["secretary"].region_id, cast["secretary"].region_id, 202610)
        worker = first_actor(s, "grid_worker", within=Scope(cast["secretary"].region_id, "village"))
        grid = s.exec(sa.select(Grid.id).where(Grid.village_id == worker.region_id).order_by(Grid.id)).scalar()
    with session_scope(engine, write=True) as s:
        aid = appeals.report(s, actor=worker, grid_id=grid, category="环境卫生", now=NOW).id
    for fn, extra in [(appeals.close, {}), (appeals.rate, {"rating": "bad"})]:
        with session_scope(engine, write=True) as s:
            fn(s, actor=worker, appeal_id=aid, now=NOW + timedelta(hours=1), **extra)
    assert_leader_months_fresh(engine)
    with Session(engine) as s:
        after = leader_index.stored_frame(s, cast["secretary"].region_id, cast["secretary"].region_id, 202610)
    assert after["governance"].iloc[0] != mine["governance"].iloc[0] or after["service"].iloc[0] != mine["service"].iloc[0]
