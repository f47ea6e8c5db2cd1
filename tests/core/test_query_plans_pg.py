"""Query plans on PostgreSQL (issue 24): every page read can reach the raw history tables by an index.

The same page reads as tests/core/test_query_plans.py (SQLite's EXPLAIN QUERY PLAN) are recorded with their
parameters and explained on PostgreSQL with `enable_seqscan = off`. On the tiny preset the planner would scan
small tables whatever the indexes, so the test asks another question: with sequential scans (and hash and merge
joins) priced out, does a raw history table still get a Seq Scan — no index the statement can use at all? That
fails, naming the statement. A walk of a whole index without an index condition is not failed here: on the tiny
preset the top scope's id range is the whole table, so the planner rightly prefers an index that saves a sort
(seen: diary_visit by person_id for the county's diary cadres; task_event by task_id for the 过筛 report); the
city and province plans are what show whether that holds at scale. Under `make test-pg` only.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core.db import make_engine
from tests.conftest import on_postgres
from tests.core.test_query_plans import RAW, _facts, _names, _page_reads, _record

pytestmark = pytest.mark.skipif(not on_postgres(), reason="PostgreSQL plans: run `make test-pg`")


@pytest.fixture(scope="module")
def pg_engine(tiny_url):
    engine = make_engine(tiny_url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
    yield engine
    engine.dispose()


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _index_table(conn: sa.Connection, index: str) -> str:
    return str(conn.exec_driver_sql("SELECT tablename FROM pg_indexes WHERE indexname = %s", (index,)).scalar())


def raw_scans_pg(engine: sa.Engine, statements: list[tuple[str, object]]) -> list[str]:
    """'Seq Scan on table ← statement' for every plan node that reads a raw history table with no index."""
    bad = []
    with engine.connect() as conn:
        for setting in ("enable_seqscan", "enable_mergejoin", "enable_hashjoin"):  # joins by index lookups
            conn.exec_driver_sql(f"SET {setting} = off")
        cur = conn.connection.dbapi_connection.cursor()
        for sql, params in statements:
            cur.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            raw = cur.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            for node in _nodes(plan):
                kind = node["Node Type"]
                table = node.get("Relation Name") or (_index_table(conn, node["Index Name"]) if "Index Name" in node
                                                      else "")
                if table not in RAW:
                    continue
                if kind == "Seq Scan":
                    bad.append(f"{kind} on {table}  ←  {' '.join(sql.split())[:300]}")
        conn.rollback()
    return bad


@pytest.mark.parametrize("name", _names())
def test_page_read_reaches_raw_tables_by_an_index_on_postgres(pg_engine, name):
    with Session(pg_engine) as s:
        facts = _facts(s)
    statements = _record(pg_engine, _page_reads(facts)[name])
    assert statements, "no SQL recorded"
    assert raw_scans_pg(pg_engine, statements) == []


def test_the_postgres_checker_sees_a_table_without_a_usable_index(pg_engine):
    assert raw_scans_pg(pg_engine, [("SELECT count(*) FROM appeal WHERE category = %(c)s", {"c": "环境卫生"})])
