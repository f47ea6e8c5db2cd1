"""Query plans: the pages' core reads never scan a raw history table (issue #9, province scale).

Every SQL statement that the page-level read functions execute is recorded (a
`before_cursor_execute` listener), then `EXPLAIN QUERY PLAN` runs on each after ANALYZE. A
`SCAN <raw history table>` (a full table or full index scan) fails the test; `SEARCH … USING
INDEX` is fine, and the small dimension tables (region, grid, person, post, …) may be scanned.

By default this runs on a freshly generated tiny database. Set XINGCUN_PLAN_DB to a generated
file (e.g. a copy of the city or province preset with rollups) to check the plans SQLite picks
on that file's own statistics; the file is opened read-only and ANALYZE is not rerun on it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import (
    appeals,
    decisions,
    diary,
    geo_layers,
    kpis,
    leader_index,
    scoring,
    screening,
    task_queries,
    village_record,
    warning_feed,
)
from core import (
    task_alerts as alerts,
)
from core.db import make_engine
from core.models import Post, Region, Task
from core.scope import Scope

RAW = {"task", "task_event", "appeal", "appeal_event", "diary_visit", "indicator_value", "decision", "decision_step",
       "evaluation", "dispatch_screening", "auth_event"}
SCAN = re.compile(r"\bSCAN (\w+)")


@pytest.fixture(scope="module")
def plan_engine(tiny_db_path, tmp_path_factory):
    """Engine on XINGCUN_PLAN_DB, or on a copy of the tiny preset after ANALYZE."""
    given = os.environ.get("XINGCUN_PLAN_DB")
    if given:
        eng = make_engine(f"sqlite:///file:{Path(given).resolve()}?mode=ro&uri=true")
    else:
        path = tmp_path_factory.mktemp("plans") / "tiny.db"
        shutil.copy(tiny_db_path, path)
        eng = make_engine(f"sqlite:///{path}")
        with eng.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    yield eng
    eng.dispose()


def _facts(session: Session) -> dict:
    """Ids the page calls use: root, a county, a township, its busiest village, a secretary, an open task."""
    root = session.execute(sa.select(Region.id, Region.level).where(Region.parent_id.is_(None))).one()
    county = session.execute(sa.select(Region.id).where(Region.level == "county").order_by(Region.id)).scalar()
    town = session.execute(sa.select(Region.id).where(Region.level == "township").order_by(Region.id)).scalar()
    village = session.execute(sa.select(Region.id).where(Region.level == "village", Region.parent_id == town)
                              .order_by(Region.id)).scalar()
    secretary = session.execute(sa.select(Post.person_id).where(Post.role == "village_secretary",
                                                                Post.region_id == village)).scalar()
    task = session.execute(sa.select(Task.id).where(Task.village_id == village).limit(1)).scalar()
    period = scoring.available_periods(session)[-1]
    return {"root": Scope(int(root.id), root.level), "county": int(county), "town": int(town),
            "village": int(village), "secretary": int(secretary), "task": int(task), "period": int(period),
            "as_of": alerts.dataset_as_of(session)}


def _page_reads(f: dict) -> dict[str, Callable[[Session], object]]:
    """Each page's core reads, named `page: call`."""
    root, p, as_of = f["root"], f["period"], f["as_of"]
    prev, months = scoring.previous_period(p), scoring.available_periods
    town_scope = Scope(f["town"], "township")
    return {
        "cockpit: period_kpis root": lambda s: kpis.period_kpis(s, root, root.region_id, p, prev, as_of),
        "cockpit: period_kpis township": lambda s: kpis.period_kpis(s, root, f["town"], p, prev, as_of),
        "cockpit: period_kpis village": lambda s: kpis.period_kpis(s, root, f["village"], p, prev, as_of),
        "cockpit: 12-month trend": lambda s: kpis.monthly_kpis(s, root, root.region_id, months(s)[-12:], as_of),
        "cockpit: ticker": lambda s: kpis.most_overdue_tasks(s, root, as_of, 12),
        "cockpit: child shapes": lambda s: geo_layers.child_shapes(s, root, root.region_id),
        "rankings: region_scores root": lambda s: scoring.region_scores(s, root, root.region_id, p),
        "rankings: region_scores township": lambda s: scoring.region_scores(s, root, f["town"], p),
        "rankings: region_rank": lambda s: scoring.region_rank(s, root, f["county"], p),
        "rankings: explain": lambda s: scoring.explain(s, root, f["town"], p, "safety"),
        "rankings: score_history": lambda s: scoring.score_history(s, root, f["county"], months(s)[-6:]),
        "alerts: list": lambda s: alerts.alerts(s, root, as_of),
        "alerts: first screen": lambda s: alerts.alerts(s, root, as_of, limit=500),
        "alerts: counts": lambda s: alerts.alert_counts(s, root, as_of),
        "tasks: filter options": lambda s: task_queries.filter_options(s, root),
        "tasks: detail": lambda s: task_queries.task_detail(s, root, f["task"]),
        "map: metrics root": lambda s: geo_layers.layer_metrics(s, root, root.region_id, root.level, as_of),
        "map: metrics township": lambda s: geo_layers.layer_metrics(s, root, f["town"], "township", as_of),
        "map: metrics village": lambda s: geo_layers.layer_metrics(s, root, f["village"], "village", as_of),
        "map: appeal points": lambda s: geo_layers.appeal_points(s, root, f["village"], as_of),
        "map: overdue points": lambda s: geo_layers.overdue_points(s, root, f["village"], as_of),
        "leader: ranked township": lambda s: leader_index.ranked_secretaries(s, town_scope, p),
        "leader: ranked root": lambda s: leader_index.ranked_secretaries(s, root, p),
        "leader: county peers": lambda s: leader_index.peer_table(s, f["village"], p),
        "leader: explain": lambda s: leader_index.explain_leader_index(s, root, f["secretary"], p),
        "village record": lambda s: village_record.village_record(s, root, f["village"], p),
        "warnings: all": lambda s: warning_feed.all_warnings(s, root, as_of),
        "appeals: cube": lambda s: appeals.appeal_cube(s, root, date(as_of.year - 1, as_of.month, 1), as_of),
        "appeals: cube township": lambda s: appeals.appeal_cube(s, town_scope, date(as_of.year - 1, as_of.month, 1), as_of),
        "appeals: cube village": lambda s: appeals.appeal_cube(s, Scope(f["village"], "village"),
                                                               date(as_of.year - 1, as_of.month, 1), as_of),
        "appeals: decisions": lambda s: decisions.decision_table(s, root, as_of),
        "appeals: diary cadres": lambda s: diary.cadre_coverage(s, root, as_of, 12),
        "appeals: diary villages": lambda s: diary.village_coverage(s, root, as_of, 12),
        "tasks: screening": lambda s: screening.screening_report(s, root, date(as_of.year - 1, as_of.month, 1), as_of),
    }


def _record(engine, fn: Callable[[Session], object]) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        with Session(engine) as s:
            fn(s)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return seen


def raw_scans(engine, statements: list[tuple[str, object]]) -> list[str]:
    """'table: statement' for every statement whose plan scans a raw history table."""
    bad = []
    with engine.connect() as conn:
        cur = conn.connection.dbapi_connection.cursor()
        for sql, params in statements:
            rows = cur.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            for row in rows:
                m = SCAN.search(row[-1])
                if m and m.group(1) in RAW:
                    bad.append(f"{row[-1]}  ←  {' '.join(sql.split())[:300]}")
    return bad


def _names() -> list[str]:
    return list(_page_reads({"root": Scope(0, "province"), "period": 0, "as_of": date.today(), "town": 0,
                             "village": 0, "county": 0, "secretary": 0, "task": 0}))


@pytest.mark.parametrize("name", _names())
def test_page_read_never_scans_a_raw_history_table(plan_engine, name):
    with Session(plan_engine) as s:
        facts = _facts(s)
    statements = _record(plan_engine, _page_reads(facts)[name])
    assert statements, "no SQL recorded"
    assert raw_scans(plan_engine, statements) == []


def test_the_checker_sees_a_full_scan(plan_engine):
    assert raw_scans(plan_engine, [("SELECT count(*) FROM appeal WHERE category = ?", ("环境卫生",))])


def test_ranked_leaders_and_peers_read_the_stored_index_not_raw_inputs(plan_engine):
    """The city-wide ranked list and the county peers read rollup_leader_month, none of the index's raw inputs."""
    with Session(plan_engine) as s:
        f = _facts(s)
    for fn in (lambda s: leader_index.ranked_secretaries(s, f["root"], f["period"]),
               lambda s: leader_index.peer_table(s, f["village"], f["period"])):
        sql = " ".join(stmt for stmt, _ in _record(plan_engine, fn))
        assert "rollup_leader_month" in sql
        assert not any(f"FROM {t} " in sql or f"JOIN {t} " in sql for t in RAW), sql[:500]
