"""Bench: 任务预警 `alerts()` for the whole dataset, warm (limit 200 ms for the city preset), plus the counts.

Reads every database that exists of: data/xingcun.db, $XINGCUN_BENCH_DB, /tmp/xc/city.db (city preset),
/tmp/xc/x3.db (county preset). "Warm" = pages cached by one untimed call; median of 7 runs.
The earlier-day row reconstructs openness from timestamps (no status index) and has no limit.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date
from pathlib import Path

from sqlmodel import Session

from core.config import DATA_DIR
from core.db import make_engine
from core.regions import dataset_root
from core.scope import Scope
from core.task_alerts import AlertFilters, alert_counts, alerts

LIMIT_MS = 200.0


def bench_dbs() -> list[Path]:
    """The databases to measure (existing files only, in order, no duplicates)."""
    found: list[Path] = []
    for c in (DATA_DIR / "xingcun.db", Path(os.environ.get("XINGCUN_BENCH_DB", "")), Path("/tmp/xc/city.db"),
              Path("/tmp/xc/x3.db")):
        if c.is_file() and c.resolve() not in [f.resolve() for f in found]:
            found.append(c)
    return found


def _median_ms(fn, runs: int = 9) -> tuple[float, object]:
    out = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def measure(db: Path) -> list[tuple[str, float, float | None]]:
    """(what, median ms, limit ms or None) rows for one database."""
    eng = make_engine(f"sqlite:///{db}")
    rows = []
    with Session(eng) as s:
        root = dataset_root(s)
        scope = Scope(root.id, root.level)
        ms, df = _median_ms(lambda: alerts(s, scope))
        rows.append((f"alerts(): {root.name}, all levels ({len(df):,} rows)", ms, LIMIT_MS))
        ms, df = _median_ms(lambda: alerts(s, scope, filters=AlertFilters(levels=("town", "county"))))
        rows.append((f"alerts(): {root.name}, escalated only ({len(df):,} rows)", ms, LIMIT_MS))
        ms, df = _median_ms(lambda: alerts(s, scope, limit=500))
        rows.append(("alerts(limit=500): the 任务督办 page's first screen", ms, LIMIT_MS))
        ms, _ = _median_ms(lambda: alert_counts(s, scope))
        rows.append((f"alert_counts(): {root.name}", ms, LIMIT_MS))
        ms, df = _median_ms(lambda: alerts(s, scope, date(2026, 6, 15)), 3)
        rows.append((f"alerts() as of 2026-06-15 ({len(df):,} rows, from timestamps)", ms, None))
    eng.dispose()
    return rows


def run() -> None:
    """Print one table per database."""
    for db in bench_dbs():
        print(f"alerts bench on {db} ({db.stat().st_size / 1e6:,.0f} MB); load average {os.getloadavg()[0]:.1f}")
        print(f"{'what':<62} {'ms':>9} {'limit':>7}  ok")
        for what, ms, limit in measure(db):
            ok = "—" if limit is None else ("✔" if ms < limit else "✘")
            print(f"{what:<62} {ms:>9.1f} {'' if limit is None else f'{limit:.0f}':>7}  {ok}")


if __name__ == "__main__":
    run()
