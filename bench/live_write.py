"""Bench: a task completion with its live update (issue #18), on a throw-away copy of a preset database.

    python -m bench live_write                  (data/xingcun.db, or $XINGCUN_BENCH_DB)
    XINGCUN_BENCH_WRITES=200 python -m bench live_write

Each write is `core.workflow.complete` of an in-progress task due in the data's window, committed: in the same
transaction the village-month's indicator values are recounted, the rollups above rewritten, the month's stored
scores dropped and the month stamped (core.live). Reported: median and p95 of the write (target p95 ≤ 200 ms), how
many writes moved a count; then "scores current": the time a reader takes to compute the month's scores of every
level from the fresh rollups (what the first page after a write pays; target ≤ 2 s city, 10 s province); and the
debounced re-store of the dropped months (rescore_pending).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from datetime import time as clock
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from core.actors import first_actor
from core.config import DATA_DIR
from core.db import make_engine
from core.live import rescore_pending
from core.models import Task
from core.scope import Scope
from core.scoring import STORED_LEVELS, level_scores
from core.task_queries import dataset_window
from core.workflow import complete

P95_MS = 200.0


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def measure(db: Path, writes: int) -> dict:
    """Times of `writes` task completions (ms) on a copy of `db`, and of one month's re-score."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bench.db"
        shutil.copy(db, copy)
        engine = make_engine(f"sqlite:///{copy}")
        with Session(engine) as s:
            first, as_of = dataset_window(s)
            t = Task.__table__.c
            todo = s.execute(sa.select(t.id, t.village_id, t.deadline).where(
                t.status == "in_progress", t.deadline.between(first, as_of)).order_by(t.deadline.desc(), t.id)
                .limit(writes)).all()
            cadres: dict[int, object] = {}
            times, moved = [], 0
            for tid, vid, deadline in todo:
                if vid not in cadres:
                    cadres[vid] = first_actor(s, "village_secretary", within=Scope(int(vid), "village"))
                when = datetime.combine(min(deadline, as_of), clock(17, 0))
                stamp_before = s.execute(sa.text("SELECT computed_at, cause FROM score_stamp WHERE period = :p"),
                                         {"p": deadline.year * 100 + deadline.month}).first()
                start = time.perf_counter()
                complete(s, actor=cadres[vid], task_id=int(tid), now=when)  # type: ignore[arg-type]
                s.commit()
                times.append((time.perf_counter() - start) * 1000)
                stamp_after = s.execute(sa.text("SELECT computed_at, cause FROM score_stamp WHERE period = :p"),
                                        {"p": deadline.year * 100 + deadline.month}).first()
                moved += stamp_after != stamp_before
            period = as_of.year * 100 + as_of.month
            levels = {str(x) for x in s.execute(sa.text("SELECT DISTINCT level FROM region WHERE parent_id IS NOT NULL"))
                      .scalars()}
            start = time.perf_counter()
            for level in (lv for lv in STORED_LEVELS if lv in levels):
                level_scores(s, level, period)
            current_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            months = rescore_pending(s)
            s.commit()
            rescore_ms = (time.perf_counter() - start) * 1000
        engine.dispose()
    return {"writes": len(times), "moved": moved, "median_ms": statistics.median(times) if times else None,
            "p95_ms": _p95(times) if times else None, "max_ms": max(times) if times else None,
            "current_ms": current_ms, "rescore_ms": rescore_ms, "rescored": len(months)}


def run() -> None:
    db = Path(os.environ.get("XINGCUN_BENCH_DB") or DATA_DIR / "xingcun.db")
    n = int(os.environ.get("XINGCUN_BENCH_WRITES", "200"))
    if not db.is_file():
        print(f"live_write: no database at {db}")
        return
    r = measure(db, n)
    ok = r["p95_ms"] is not None and r["p95_ms"] <= P95_MS
    print(f"live_write {db.name}: {r['writes']} task completions ({r['moved']} moved a count) · median "
          f"{r['median_ms']:.0f} ms · p95 {r['p95_ms']:.0f} ms (target ≤ {P95_MS:.0f}) {'ok' if ok else 'OVER'} · "
          f"max {r['max_ms']:.0f} ms · scores of every level computed from the fresh rollups {r['current_ms']:.0f} ms · "
          f"debounced re-store of {r['rescored']} dropped months {r['rescore_ms']:.0f} ms")


if __name__ == "__main__":
    run()
