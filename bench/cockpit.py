"""Bench: the server-side work of one cockpit rerun (all its queries) at the dataset root and one township.

Three rows per region, each the median of 5:
- cold   — a fresh engine and empty app caches (first viewer after a restart or a data write);
- core   — the same core calls again, SQLite pages warm but no app cache (what caching saves);
- warm   — through ui.cockpit_data's caches, as a rerun does after the first (limit 300 ms).
Reads data/xingcun.db (city preset) when present, else $XINGCUN_BENCH_DB, else /tmp/xc/x3.db.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from sqlmodel import Session

from core import geo_layers, kpis, scoring
from core.config import DATA_DIR, get_settings, reset_settings
from core.db import dispose_engines, make_engine
from core.regions import children, dataset_root
from core.scope import Scope

LIMIT_MS = 300.0
RUNS = 5


def bench_db() -> Path:
    """The database the bench reads (city preset first)."""
    for c in (DATA_DIR / "xingcun.db", Path(os.environ.get("XINGCUN_BENCH_DB", "")), Path("/tmp/xc/x3.db")):
        if c.is_file():
            return c
    raise FileNotFoundError("没有可用于基准测试的数据库")


def core_rerun(session: Session, scope: Scope, region_id: int) -> dict[str, float]:
    """Every core call of one cockpit rerun; ms per call."""
    as_of, out = get_settings().as_of, {}

    def timed(name, fn):
        t = time.perf_counter()
        result = fn()
        out[name] = (time.perf_counter() - t) * 1000
        return result

    periods = timed("periods", lambda: scoring.available_periods(session))
    p = periods[-1]
    timed("kpis", lambda: kpis.period_kpis(session, scope, region_id, p, scoring.previous_period(p), as_of))
    timed("own rank", lambda: scoring.region_rank(session, scope, region_id, p))
    timed("children scores", lambda: scoring.region_scores(session, scope, region_id, p))
    timed("ticker", lambda: kpis.most_overdue_tasks(session, scope, as_of, 12))
    timed("map shapes", lambda: geo_layers.child_shapes(session, scope, region_id))
    timed("12-month trend", lambda: kpis.monthly_kpis(session, scope, region_id, periods[-12:], as_of))
    return out


def ui_rerun(scope: Scope, region_id: int) -> None:
    """The cached reads pages/cockpit.py makes in one rerun."""
    from ui import cockpit_data as cd
    from ui import period as period_state

    ps, as_of = period_state.available_periods(), period_state.as_of()
    p, v = ps[-1], 0
    cd.period_kpis(scope, region_id, p, as_of, v)
    cd.region_rank(scope, region_id, p, v)
    cd.region_scores(scope, region_id, p, v)
    cd.overdue_ticker(scope, 12, as_of, v)
    cd.child_shapes(scope, region_id)
    cd.kpi_trend(scope, region_id, tuple(ps[-12:]), as_of, v)


def _ms(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def measure(db: Path) -> list[tuple[str, str, float, dict[str, float] | None]]:
    """(region, mode, median ms, per-call breakdown) rows."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    reset_settings()
    import streamlit as st
    import streamlit.logger

    from ui import data as ui_data

    streamlit.logger.set_log_level("error")  # bare mode warns on every cache call

    ui_data.data_version = lambda: 0  # bare mode: no session state
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        root = dataset_root(s)
        scope = Scope(root.id, root.level)
        kid = children(s, scope, root.id)[0]
        town = children(s, scope, kid.id)[0] if kid.level != "township" else kid
    rows = []
    for name, rid in ((root.name, root.id), (town.name, town.id)):
        cold, core, warm, parts = [], [], [], []
        for _ in range(RUNS):
            engine.dispose()
            dispose_engines()
            st.cache_data.clear()
            st.cache_resource.clear()
            with Session(engine) as s:
                cold.append(_ms(lambda s=s, rid=rid: core_rerun(s, scope, rid)))
                t = time.perf_counter()
                parts.append(core_rerun(s, scope, rid))
                core.append((time.perf_counter() - t) * 1000)
            ui_rerun(scope, rid)
            warm.append(_ms(lambda rid=rid: ui_rerun(scope, rid)))
        breakdown = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
        rows += [(name, "cold", statistics.median(cold), None), (name, "core", statistics.median(core), breakdown),
                 (name, "warm", statistics.median(warm), None)]
    engine.dispose()
    return rows


def run() -> None:
    """Print the cockpit rerun table."""
    db = bench_db()
    print(f"cockpit rerun — {db} ({db.stat().st_size / 1e6:,.0f} MB), median of {RUNS}")
    print(f"{'region':<12}{'mode':<6}{'ms':>10}{'limit':>8}  ok   breakdown (ms)")
    for name, mode, ms, parts in measure(db):
        limit = LIMIT_MS if mode == "warm" else None
        ok = "" if limit is None else ("✓" if ms < limit else "✗")
        detail = "" if not parts else ", ".join(f"{k} {v:.0f}" for k, v in parts.items())
        print(f"{name:<12}{mode:<6}{ms:>10.1f}{'' if limit is None else f'{limit:.0f}':>8}  {ok:<4} {detail}")


if __name__ == "__main__":
    run()
