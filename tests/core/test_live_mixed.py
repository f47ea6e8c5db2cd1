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


def mixed_writes(s: Session, n: int, seed: int = 18) -> dict[str, int]:
    """`n` writes drawn among the services, each committed; returns how many of each kind went through."""
    rng = random.Random(seed)
    done: dict[str, int] = {}
    county = first_actor(s, "county_admin")
    cadres: dict[int, object] = {}

    def cadre(vid: int):
        if vid not in cadres:
            cadres[vid] = first_actor(s, "village_secretary", within=Scope(int(vid), "village"))
        return cadres[vid]

    kinds = ["complete", "start", "sign", "urge", "respond", "close", "rate", "diary", "record", "report"]
    for k in range(n):
        now = START + timedelta(seconds=20 * k)
        kind = rng.choice(kinds)
        try:
            if kind in ("complete", "start", "sign", "urge"):
                status = {"complete": "in_progress", "start": "signed", "sign": "dispatched",
                          "urge": "in_progress"}[kind]
                rows = _ids(s, f"SELECT id, village_id FROM task WHERE status = '{status}' ORDER BY id")  # noqa: S608
                if not rows:
                    continue
                tid, vid = rng.choice(rows)
                if kind == "urge":
                    workflow.urge(s, actor=county, task_id=tid, note="请加快", now=now)
                else:
                    getattr(workflow, kind)(s, actor=cadre(vid), task_id=tid, now=now)
            elif kind in ("respond", "close", "rate"):
                where = {"respond": "status = 'reported'", "close": "status = 'handling' AND level = 'grid'",
                         "rate": "status = 'closed' AND rating IS NULL"}[kind]
                rows = _ids(s, f"SELECT id, village_id FROM appeal WHERE {where} ORDER BY id")  # noqa: S608
                if not rows:
                    continue
                aid, vid = rng.choice(rows)
                if kind == "rate":
                    appeals.rate(s, actor=cadre(vid), appeal_id=aid, rating=rng.choice(["good", "mid", "bad"]), now=now)
                else:
                    getattr(appeals, kind)(s, actor=cadre(vid), appeal_id=aid, now=now)
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
            s.commit()
            done[kind] = done.get(kind, 0) + 1
        except (DomainError, ScopeError):
            s.rollback()  # a refused write (a rule, a state) changes nothing; the run goes on
    return done


def _run(url: str, n: int) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as s:
        done = mixed_writes(s, n)
    engine.dispose()
    return done


def test_recompute_check_is_clean_after_mixed_writes(writable_url):
    done = _run(writable_url, 120)
    assert sum(done.values()) >= 80 and len(done) >= 8, done
    assert recompute(["recompute", "--check", "--database-url", writable_url]) == 0


@pytest.mark.slow
def test_recompute_check_is_clean_after_1000_mixed_writes(writable_url):
    n = int(os.environ.get("XINGCUN_MIXED_WRITES", "1000"))
    done = _run(writable_url, n)
    assert sum(done.values()) >= n * 0.7, done
    assert recompute(["recompute", "--check", "--database-url", writable_url]) == 0
