"""After a scripted run of mixed writes through the core services (tasks, 催办, appeals, diary visits, records,
department reports), every stored indicator value still equals what the definitions count
(`python -m core.indicators recompute --check` exits 0). The issue's figure is 1,000 writes on the tiny preset
(XINGCUN_MIXED_WRITES, default 1000: several minutes on a loaded 2-core machine, hence `slow`); the quick
variant runs 120."""

from __future__ import annotations

import os
import random
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import appeals, diary_visits, records, workflow
from core.actors import first_actor
from core.db import make_engine
from core.errors import DomainError
from core.recompute import main as recompute
from core.scope import Scope, ScopeError

START = datetime(2026, 10, 31, 8, 0)


def _ids(s: Session, sql: str) -> list[tuple]:
    return [tuple(r) for r in s.execute(sa.text(sql))]


#: What each task/appeal kind acts on: (table, the rows it may take).
TARGETS = {"complete": ("task", "status = 'in_progress'"), "start": ("task", "status = 'signed'"),
           "sign": ("task", "status = 'dispatched'"), "urge": ("task", "status = 'in_progress'"),
           "respond": ("appeal", "status = 'reported'"), "close": ("appeal", "status = 'handling' AND level = 'grid'"),
           "rate": ("appeal", "status = 'closed' AND rating IS NULL")}
KINDS = ["dispatch", "complete", "start", "sign", "urge", "report", "respond", "close", "rate", "diary", "record",
         "report_dept"]


def _write(s: Session, kind: str, rng: random.Random, now: datetime, county, cadre) -> bool:
    """One write of `kind` on a row drawn at random; False when no row is in the state the kind needs."""
    if kind in TARGETS:
        table, where = TARGETS[kind]
        rows = _ids(s, f"SELECT id, village_id FROM {table} WHERE {where} ORDER BY id")  # noqa: S608
        if not rows:
            return False
        rid, vid = rng.choice(rows)
        if kind == "urge":
            workflow.urge(s, actor=county, task_id=rid, note="请加快", now=now)
        elif kind == "rate":
            appeals.rate(s, actor=cadre(vid), appeal_id=rid, rating=rng.choice(["good", "mid", "bad"]), now=now)
        elif table == "task":
            getattr(workflow, kind)(s, actor=cadre(vid), task_id=rid, now=now)
        else:
            getattr(appeals, kind)(s, actor=cadre(vid), appeal_id=rid, now=now)
    elif kind == "dispatch":  # 派发: half due on the data's last day (counted in its month), half after it
        (vid,) = rng.choice(_ids(s, "SELECT id FROM region WHERE level = 'village' ORDER BY id"))
        workflow.dispatch(s, actor=county, village_id=vid, matter_code="T-SA-01", title="混合写入测试",
                          category="township", deadline=(now + timedelta(days=rng.choice([0, 0, 7, 20]))).date(),
                          now=now)
    elif kind == "report":  # 网格上报: a new appeal
        gid, vid = rng.choice(_ids(s, "SELECT id, village_id FROM grid ORDER BY id"))
        appeals.report(s, actor=cadre(vid), grid_id=gid, category="环境卫生", now=now)
    elif kind == "diary":
        gid, vid = rng.choice(_ids(s, "SELECT id, village_id FROM grid ORDER BY id"))
        hh = diary_visits.grid_households(s, county.scope, gid)
        diary_visits.record_visit(s, actor=cadre(vid), grid_id=gid, household_no=hh.start, topic="政策宣传",
                                  visited_on=(now - timedelta(days=rng.randint(0, 40))).date(), now=now)
    elif kind == "record":
        (vid,) = rng.choice(_ids(s, "SELECT id FROM region WHERE level = 'village' ORDER BY id"))
        checked = rng.randint(5, 30)
        records.add_record(s, actor=cadre(vid), kind="waste_check", village_id=vid, now=now, values={
            "checked_on": (now - timedelta(days=rng.randint(0, 60))).date(), "households_checked": checked,
            "households_passed": rng.randint(0, checked)})
    else:
        vid, period = rng.choice(_ids(s, "SELECT village_id, period FROM dept_report WHERE indicator_code = "
                                         "'ps_family_doctor' ORDER BY id"))
        records.submit_report(s, actor=county, village_id=vid, period=period, indicator_code="ps_family_doctor",
                              numerator=rng.randint(100, 900), denominator=1000, now=now)
    return True


def mixed_writes(s: Session, n: int, seed: int = 18) -> dict[str, int]:
    """`n` writes drawn among the services (a kind with no row in the state it needs is drawn again; 派发 and
    上报 keep the pools of open tasks and appeals filled), each committed; returns how many of each kind went
    through and, under "refused", how many a rule or a state refused (nothing written)."""
    rng = random.Random(seed)
    done: dict[str, int] = {}
    county = first_actor(s, "county_admin")
    cadres: dict[int, object] = {}

    def cadre(vid: int):
        if vid not in cadres:
            cadres[vid] = first_actor(s, "village_secretary", within=Scope(int(vid), "village"))
        return cadres[vid]

    k = 0
    while k < n:
        now = START + timedelta(seconds=20 * k)
        kind = rng.choice(KINDS)
        try:
            if not _write(s, kind, rng, now, county, cadre):
                continue
            s.commit()
            done[kind] = done.get(kind, 0) + 1
        except (DomainError, ScopeError):
            s.rollback()  # a refused write (a rule, a state) changes nothing; the run goes on
            done["refused"] = done.get("refused", 0) + 1
        k += 1
    return done


def _run(url: str, n: int) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as s:
        done = mixed_writes(s, n)
    engine.dispose()
    return done


def test_recompute_check_is_clean_after_mixed_writes(writable_url):
    done = _run(writable_url, 120)
    assert sum(done.values()) - done.get("refused", 0) >= 100 and len(done) >= 10, done
    assert recompute(["recompute", "--check", "--database-url", writable_url]) == 0


@pytest.mark.slow
def test_recompute_check_is_clean_after_1000_mixed_writes(writable_url):
    n = int(os.environ.get("XINGCUN_MIXED_WRITES", "1000"))
    done = _run(writable_url, n)
    assert sum(done.values()) - done.get("refused", 0) >= n * 0.8 and len(done) >= 12, done
    assert recompute(["recompute", "--check", "--database-url", writable_url]) == 0
