"""Bench: 领雁指数 drill-down of one secretary and one village record, warm, server-side (limit 300 ms each).

"Warm" means the database pages are cached and the county peer table (one per county and month,
shared by every secretary of the county, cached by the page) is already computed; its cold cost and
the ranked list of the whole dataset are reported on their own rows. Reads data/xingcun.db when
present, else $XINGCUN_BENCH_DB, else /tmp/xc/x3.db (a county preset). Median of 5 after a warm-up.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from core.config import DATA_DIR
from core.db import make_engine
from core.leader_index import county_context, explain_leader_index, ranked_secretaries
from core.models import Appeal, Post
from core.regions import dataset_root
from core.scope import Scope
from core.village_record import village_record

LIMIT_MS = 300.0
PERIOD = 202610


def bench_db() -> Path:
    """The database the bench reads (city preset first)."""
    for candidate in (DATA_DIR / "xingcun.db", Path(os.environ.get("XINGCUN_BENCH_DB", "")), Path("/tmp/xc/x3.db")):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("没有可用于基准测试的数据库")


def _median_ms(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _busiest_village(session: Session) -> tuple[int, int]:
    """(village id, secretary person id) of the village with the most appeals (the heaviest record)."""
    vid = session.exec(sa.select(Appeal.village_id).group_by(Appeal.village_id)
                       .order_by(sa.func.count().desc()).limit(1)).scalar()
    pid = session.exec(sa.select(Post.person_id).where(Post.region_id == vid, Post.role == "village_secretary")).scalar()
    return int(vid), int(pid)


def measure(db: Path) -> list[tuple[str, float, float | None]]:
    """(what, median ms, limit ms or None) rows."""
    eng = make_engine(f"sqlite:///{db}")
    with Session(eng) as s:
        root = dataset_root(s)
        scope = Scope(root.id, root.level)
        vid, pid = _busiest_village(s)
        county = county_context(s, vid, PERIOD)
        rows = [
            ("drill-down: explain_leader_index (one secretary)",
             _median_ms(lambda: explain_leader_index(s, scope, pid, PERIOD, county=county)), LIMIT_MS),
            ("village record: village_record (busiest village)",
             _median_ms(lambda: village_record(s, scope, vid, PERIOD)), LIMIT_MS),
            ("county context: peers + economy bounds (cached per county & month)",
             _median_ms(lambda: county_context(s, vid, PERIOD), 2), None),
            (f"ranked list with movement: {root.name} (cached per scope & month)",
             _median_ms(lambda: ranked_secretaries(s, scope, PERIOD), 1), None),
        ]
    eng.dispose()
    return rows


def run() -> None:
    """Print the table."""
    db = bench_db()
    print(f"leader bench on {db}")
    print(f"{'what':<60} {'ms':>9} {'limit':>7}  ok")
    for what, ms, limit in measure(db):
        ok = "—" if limit is None else ("✔" if ms < limit else "✘")
        print(f"{what:<60} {ms:>9.1f} {'' if limit is None else f'{limit:.0f}':>7}  {ok}")


if __name__ == "__main__":
    run()
