"""Generate one demo database: regions, people, and twelve months of history, deterministically."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, cast

import sqlalchemy as sa
from faker import Faker
from sqlmodel import Session, SQLModel

from core import boundaries
from core.config import DEFAULT_SCORING_RULE, PRESETS
from core.db import make_engine
from core.indicator_values import compute_values, store_values
from core.indicators import CATALOG
from core.leader_index import county_ranges, leader_month_rows, stored_periods
from core.models import IndicatorDef, MatterType, Meta, RollupLeaderMonth, RollupVillageScore, ScoringRule
from core.record_sources import Window
from core.rollups import BASE_TABLES, ROLLUP_TABLES, build_base, roll_up_regions
from core.rules import load_rulebook
from core.scoring import available_periods, month_score_rows
from seed import regions
from seed.accounts import write_accounts
from seed.appeals import plan_anomalies, write_appeals
from seed.chunk import Chunk
from seed.civic import plan_decisions, write_decisions, write_diary, write_evaluations
from seed.context import SeedContext, periods
from seed.matters import MATTER_TYPES
from seed.moral import write_moral
from seed.people import write_county_people, write_upper_people
from seed.records import write_records, write_reports
from seed.scenes import write_bidding, write_departments, write_one_thing
from seed.tasks import write_tasks

Progress = Callable[[str, int, int], None]


def create_tables(conn: sa.Connection) -> None:
    """Create every table without its secondary indexes (they are built after the bulk load)."""
    for table in SQLModel.metadata.sorted_tables:
        conn.execute(sa.schema.CreateTable(table))


#: Indexes that neither the region rollups nor the stored scores read (tasks, their events, appeal
#: events, 民情日记 visits, and the open-appeal index; the warnings read appeals by grid and time):
#: `generate` builds them while the worker pool computes the scores.
DEFERRED_TABLES = frozenset({"task", "task_event", "appeal_event", "diary_visit"})
DEFERRED_INDEXES = frozenset({"ix_appeal_open"})


def _deferred(index: sa.Index) -> bool:
    return cast(sa.Table, index.table).name in DEFERRED_TABLES or index.name in DEFERRED_INDEXES


def secondary_indexes(*, deferred: bool | None = None) -> list[sa.Index]:
    """Every model's secondary indexes in a fixed order; only the deferred ones (or only the others)."""
    out = [index for table in SQLModel.metadata.sorted_tables
           for index in sorted(table.indexes, key=lambda i: cast(str, i.name))]
    return out if deferred is None else [i for i in out if _deferred(i) == deferred]


def create_indexes(conn: sa.Connection, *, deferred: bool | None = None) -> None:
    """Build the secondary indexes the cockpit's queries use (all, or one side of DEFERRED_*)."""
    for index in secondary_indexes(deferred=deferred):
        index.create(conn)


def _catalogs(ctx: SeedContext) -> None:
    rows: list[dict[str, Any]] = [{"id": i, "code": m[0], "name": m[1], "level": m[2], "module": m[3], "on_list": m[4],
             "emergency": m[5], "difficulty": m[6]} for i, m in enumerate(MATTER_TYPES, start=1)]
    ctx.matter_ids = {r["code"]: r["id"] for r in rows}
    ctx.insert(MatterType.__table__, rows)
    ctx.insert(IndicatorDef.__table__, [{**i.__dict__, "sort": n} for n, i in enumerate(CATALOG)])


def _rules(ctx: SeedContext, township_ids: list[int]) -> None:
    """The default rule set plus own versions (因镇制宜) for a few townships."""
    rng = ctx.rng(0, 71)
    rows = [{"township_id": None, "version": DEFAULT_SCORING_RULE["version"], "effective_from": ctx.start,
             "params": json.dumps(DEFAULT_SCORING_RULE, ensure_ascii=False), "note": "市级默认考核规则"}]
    for tid in sorted(rng.choice(township_ids, size=max(1, len(township_ids) // 12), replace=False).tolist()):
        params = json.loads(json.dumps(DEFAULT_SCORING_RULE))
        params["version"] = f"{tid}-v2"
        params["leader_index"].update(development=0.25, service=0.1, integrity=0.1)
        params["cadre"].update(task_points=0.7, democratic=0.3)
        rows.append({"township_id": tid, "version": params["version"], "effective_from": ctx.start,
                     "params": json.dumps(params, ensure_ascii=False), "note": "本镇侧重发展力（因镇制宜）"})
    ctx.insert(ScoringRule.__table__, rows)


ID_BLOCK = 20_000_000  # ids of county k live in [k·ID_BLOCK, (k+1)·ID_BLOCK): fits PostgreSQL int4
#: Tables a county worker fills, in foreign-key order (the merge copies them in this order).
COUNTY_TABLES = ["region", "grid", "department", "person", "post", "task", "task_event", "dispatch_screening", "appeal",
                 "diary_visit", "decision", "decision_step", "evaluation", "party_member", "member_link", "party_meeting",
                 "affairs_posting", "training", "safety_inspection", "key_person", "key_person_visit", "anti_fraud_visit",
                 "waste_check", "bid_project", "project_bid", "project_milestone", "one_thing_case", "case_step", "dept_rating", "moral_household", "moral_entry", "scene_event", "report_batch", "dept_report", "indicator_value", "planted_anomaly"]
#: Their foreign keys are checked in the worker (in parallel, on a small file); a county's own region
#: row points at its city, which only the target holds, so `region` is checked after the merge.
WORKER_CHECKED = [t for t in COUNTY_TABLES if t != "region"]
#: Seconds per stage of the last `generate` call in this process (the CLI prints them).
STAGE_SECONDS: dict[str, float] = {}


@dataclass(frozen=True)
class CountyJob:
    """Everything a worker process needs to generate one county into its own file."""

    adcode: str
    index: int
    path: str
    preset: str
    seed: int
    as_of: date
    has_city_parent: bool


def _county_worker(job: CountyJob) -> dict[str, int]:
    """Generate one county (regions, people, history) into a private SQLite file."""
    engine = make_engine(f"sqlite:///{job.path}")
    raw = engine.raw_connection()
    for pragma in ("foreign_keys=OFF", "synchronous=OFF", "journal_mode=OFF", "temp_store=FILE"):
        cast(sqlite3.Connection, raw.driver_connection).execute(f"PRAGMA {pragma}")
    raw.close()
    faker = Faker("zh_CN")
    faker.seed_instance(job.seed * 1_000_003 + int(job.adcode))
    with engine.begin() as conn:
        create_tables(conn)
        ctx = SeedContext(conn=conn, preset=PRESETS[job.preset], seed=job.seed, as_of=job.as_of, faker=faker,
                          id_base=(job.index + 1) * ID_BLOCK)
        _catalogs(ctx)  # the same ids as the target's, so the foreign keys can be checked here
        regions.write_county(ctx, job.adcode, job.has_city_parent)
        county_id = int(job.adcode + "000000")
        write_county_people(ctx, county_id)
        write_departments(ctx, county_id)
        _county_history(ctx, county_id)
        build_base(conn)  # 汇总表 rows of this county (village/grid/township keyed): in parallel, on a small file
        bad = [row for t in WORKER_CHECKED for row in conn.exec_driver_sql(f"PRAGMA foreign_key_check({t})")
               ] if PRESETS[job.preset].check_foreign_keys else []
        if bad:
            raise RuntimeError(f"foreign key violations in county {job.adcode}: {bad[:5]}")
    engine.dispose()
    return {t: n for t, n in ctx.counts.items() if t in COUNTY_TABLES}


def foreign_key_violations(conn: sa.Connection) -> list[tuple]:
    """Foreign-key violations of the tables the county workers did not check (the big ones they did)."""
    checked = set(WORKER_CHECKED)
    return [row for t in SQLModel.metadata.sorted_tables if t.name not in checked
            for row in conn.exec_driver_sql(f"PRAGMA foreign_key_check({t.name})")]


def _county_history(ctx: SeedContext, county_id: int) -> None:
    """History township by township: each chunk's rows are written before the next is drawn."""
    villages = [v for v in ctx.villages if v.county_id == county_id]
    anomalies = plan_anomalies(ctx, villages, county_id)
    flaws = plan_decisions(ctx, villages, county_id)
    months = len(periods(ctx.start, ctx.as_of))
    towns = sorted({v.township_id for v in villages})
    for seq, town in enumerate(towns):
        ch = Chunk.of(ctx, county_id, seq, [v for v in villages if v.township_id == town], months)
        write_tasks(ctx, ch)
        write_appeals(ctx, ch, anomalies)
        write_diary(ctx, ch)
        write_decisions(ctx, ch, flaws)
        write_evaluations(ctx, ch)
        write_records(ctx, ch)
        write_reports(ctx, ch)
        write_bidding(ctx, ch)
        write_one_thing(ctx, ch)
        write_moral(ctx, ch)
    _indicator_values(ctx, county_id)


def _indicator_values(ctx: SeedContext, county_id: int) -> None:
    """The county's indicator values, counted by core from the records and reports just written (no draw)."""
    window = Window(county_id, county_id + 999_999, tuple(periods(ctx.start, ctx.as_of)), ctx.as_of)
    rows = compute_values(ctx.conn, window)
    store_values(ctx.conn, rows, window, first_id=ctx.ids("indicator_value", len(rows)).start, replace=False)
    ctx.counts["indicator_value"] = ctx.counts.get("indicator_value", 0) + len(rows)


LEADER_TABLE = RollupLeaderMonth.__tablename__
SCORE_TABLE = RollupVillageScore.__tablename__
#: Stored scores computed in the worker processes after the merge (read-only on the committed file).
WORKER_SCORED = (SCORE_TABLE, LEADER_TABLE)


@dataclass(frozen=True)
class ScoreJob:
    """One unit of the stored scores: a month of 四大模块 scores, or one county's 领雁指数 months."""

    path: str
    out: str  # the worker writes the job's rows to this SQLite file (the main process copies them in)
    period: int | None = None  # rollup_village_score of this month
    county: tuple[int, int] | None = None  # rollup_leader_month of villages lo..hi
    months: tuple[int, ...] = ()

    @property
    def table(self) -> str:
        return SCORE_TABLE if self.period is not None else LEADER_TABLE


def _score_rows(job: ScoreJob) -> list[dict]:
    """The rows of one job, read in a worker from the committed main file (read-only)."""
    engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(f"file:{job.path}?mode=ro", uri=True))
    try:
        with Session(engine) as session:
            if job.period is not None:
                return month_score_rows(session, job.period)
            lo, hi = cast(tuple[int, int], job.county)  # a leader job: period is None
            return leader_month_rows(session, lo, hi, list(job.months), load_rulebook(session))
    finally:
        engine.dispose()


def _score_file(job: ScoreJob) -> int:
    """Compute one job in a worker and write its rows to `job.out` (the model's table, the model's
    defaults and types); returns the row count. Results wait on disk, not in the main process."""
    rows = _score_rows(job)
    engine = sa.create_engine(f"sqlite:///{job.out}")
    try:
        with engine.begin() as out:
            for pragma in ("journal_mode=OFF", "synchronous=OFF"):
                out.exec_driver_sql(f"PRAGMA {pragma}")
            table = SQLModel.metadata.tables[job.table]
            out.execute(sa.schema.CreateTable(table))
            if rows:
                out.execute(table.insert(), rows)
    finally:
        engine.dispose()
    return len(rows)


def _stored_scores(conn: sa.Connection, mp, n_workers: int, meanwhile: Iterable[Callable[[], None]] = ()) -> None:
    """rollup_village_score month by month and rollup_leader_month county by county, in the worker
    processes; each copied in in job order, so the content does not depend on scheduling.

    `meanwhile` are writes of the main process (the deferred index builds) run while the workers read:
    the file is switched to WAL first so that their reads see the committed rollups and never wait for
    the writer. Each job's rows come back as a small SQLite file, copied in between two of those steps.
    """
    session = Session(bind=conn)
    path = cast(str, conn.engine.url.database)  # a SQLite file
    for name in WORKER_SCORED:
        conn.execute(SQLModel.metadata.tables[name].delete())
    conn.commit()
    leader_months = tuple(stored_periods(session))
    specs: list[dict[str, Any]] = [{"period": p} for p in available_periods(session)]
    if leader_months:
        specs += [{"county": r, "months": leader_months} for r in county_ranges(conn)]
    conn.commit()  # the journal mode changes only outside a transaction: on the DBAPI connection, which
    _pragma(conn, "journal_mode=WAL")  # does not BEGIN (SQLAlchemy's does, core.db)
    with tempfile.TemporaryDirectory(prefix="xingcun-scores-") as tmp, mp.Pool(n_workers) as pool:
        jobs = [ScoreJob(path, os.path.join(tmp, f"{i}.db"), **spec) for i, spec in enumerate(specs)]
        results = pool.imap(_score_file, jobs)
        pending = iter(jobs)
        for step in meanwhile:
            step()
            conn.commit()
            _copy_ready(conn, pending, results)
        for job, _ in zip(pending, results, strict=True):
            _merge(conn, job.out, (job.table,))
    conn.commit()
    _pragma(conn, "wal_checkpoint(TRUNCATE)")


def _copy_ready(conn: sa.Connection, pending: Iterator[ScoreJob], results) -> None:
    """Copy in the job files that are already written, in job order, without waiting for the next one."""
    while True:
        try:
            results.next(timeout=0)
        except (multiprocessing.TimeoutError, StopIteration):
            return
        job = next(pending)
        _merge(conn, job.out, (job.table,))


def _pragma(conn: sa.Connection, pragma: str) -> None:
    """Run a PRAGMA outside any transaction (after a commit)."""
    cast(sqlite3.Connection, conn.connection.driver_connection).execute(f"PRAGMA {pragma}").fetchall()


def _merge(conn: sa.Connection, path: str, tables: Iterable[str] = (*COUNTY_TABLES, *BASE_TABLES)) -> None:
    """Copy one worker file's rows (a county's, or a score job's) into the main database (C speed, no
    Python per row), then delete the file."""
    conn.commit()
    conn.exec_driver_sql(f"ATTACH DATABASE '{path}' AS w")
    for table in tables:
        conn.exec_driver_sql(f"INSERT INTO main.{table} SELECT * FROM w.{table}")
    conn.commit()  # SQLite detaches only outside the transaction that read it
    conn.exec_driver_sql("DETACH DATABASE w")
    os.unlink(path)


def generate(conn: sa.Connection, *, preset: str, root_code: str, seed: int, as_of: date,
             progress: Progress | None = None, workers: int | None = None) -> dict[str, int]:
    """Fill an empty SQLite database through `conn`; returns rows written per table.

    Counties are generated in parallel worker processes, each into its own file with its own id
    block, then merged in county order — so the content does not depend on scheduling.
    """
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    ctx = SeedContext(conn=conn, preset=PRESETS[preset], seed=seed, as_of=as_of, faker=faker)
    say = progress or (lambda *_: None)
    STAGE_SECONDS.clear()
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        STAGE_SECONDS[stage] = STAGE_SECONDS.get(stage, 0.0) + now - clock
        clock = now

    for pragma in ("temp_store=FILE", "cache_size=-262144", "threads=2"):  # sorts spill to disk, not RSS
        conn.exec_driver_sql(f"PRAGMA {pragma}")
    create_tables(conn)
    _catalogs(ctx)
    counties = regions.county_codes(preset, root_code)
    regions.write_upper_levels(ctx, root_code, counties)
    has_city = cast(boundaries.AdminArea, boundaries.lookup(root_code)).level != "county"
    steps = len(counties) + 3
    say("区县生成中", 0, steps)
    mp = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with tempfile.TemporaryDirectory(prefix="xingcun-seed-") as tmp:
        jobs = [CountyJob(c, i, os.path.join(tmp, f"{c}.db"), preset, seed, as_of, has_city)
                for i, c in enumerate(counties)]
        n_workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
        with mp.Pool(n_workers) as pool:
            for i, (job, counts) in enumerate(zip(jobs, pool.imap(_county_worker, jobs), strict=True)):
                lap("counties (waiting for workers)")
                _merge(conn, job.path)
                lap("merge")
                say(f"{cast(boundaries.AdminArea, boundaries.lookup(job.adcode)).name}", i + 1, steps)
                for table, n in counts.items():
                    ctx.counts[table] = ctx.counts.get(table, 0) + n
    regions.fill_upper_totals(ctx)
    uppers = [(r.id, r.level) for r in conn.execute(sa.text(
        "SELECT id, level FROM region WHERE level IN ('province','city') ORDER BY id"))]
    write_upper_people(ctx, uppers)
    write_accounts(ctx)
    towns = [int(r[0]) for r in conn.execute(sa.text("SELECT id FROM region WHERE level='township' ORDER BY id"))]
    _rules(ctx, towns)
    conn.commit()
    lap("upper levels")
    say("建立索引", steps - 2, steps)
    create_indexes(conn, deferred=False)
    conn.commit()
    lap("indexes")
    say("汇总表", steps - 1, steps)
    # the counties' workers built the village-level rollups; regions above from those
    roll_up_regions(conn, [t for t in ROLLUP_TABLES if t not in WORKER_SCORED], as_of=as_of)
    conn.commit()
    lap("rollups")
    deferred = [partial(index.create, conn) for index in secondary_indexes(deferred=True)]
    _stored_scores(conn, mp, n_workers, meanwhile=deferred)
    lap("scores and leader months, with the deferred indexes")
    meta = {"preset": preset, "root_code": root_code + "0" * (12 - len(root_code)), "seed": str(seed),
            "as_of": as_of.isoformat(), "start": ctx.start.isoformat(), "generator": "xingcun-seed/1"}
    ctx.insert(Meta.__table__, [{"key": k, "value": v} for k, v in sorted(meta.items())])
    say("完成", steps, steps)
    return dict(ctx.counts)


def timed(fn: Callable[[], dict[str, int]]) -> tuple[dict[str, int], float]:
    """Run fn and return its result with the seconds it took."""
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0
