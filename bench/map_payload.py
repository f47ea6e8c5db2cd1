"""Bench: JSON bytes of the map deck the browser receives, per view, and the time to prepare it.

Limits (issue 5): city view < 5 MB, township view < 2 MB on the city preset. Reads data/xingcun.db when
present, else $XINGCUN_BENCH_DB, else /tmp/xc/x3.db (a county preset: then the 'city' row is the county).
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from core import geo_layers
from core.config import DATA_DIR, get_settings
from core.db import make_engine
from core.models import Grid, Region
from core.scope import Scope
from ui.map_view import Layers, build_deck, region_table
from ui.theme import LIGHT

LIMITS = {"city": 5_000_000, "county": 5_000_000, "township": 2_000_000, "village": 2_000_000}


def bench_db() -> Path:
    """The database the bench reads (city preset first)."""
    for candidate in (DATA_DIR / "xingcun.db", Path(os.environ.get("XINGCUN_BENCH_DB", "")), Path("/tmp/xc/x3.db")):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("没有可用于基准测试的数据库")


def deck_json(session: Session, scope: Scope, region_id: int, level: str, as_of: date) -> str:
    """The deck JSON the map page sends for one region (metric: overdue tasks; all grid layers on)."""
    shapes = geo_layers.layer_shapes(session, scope, region_id, level)
    metrics = geo_layers.layer_metrics(session, scope, region_id, level, as_of)
    table = region_table(shapes, metrics, "overdue_tasks", LIGHT)
    outline = geo_layers.region_outline(session, scope, region_id)
    extra = {}
    if level == "village":
        extra = {"points": geo_layers.appeal_points(session, scope, region_id, as_of),
                 "overdue": geo_layers.overdue_points(session, scope, region_id, as_of),
                 "layers": Layers(heat=True)}
    return build_deck(table, outline, LIGHT, **extra).to_json()


def _largest(session: Session, level: str, lo: int, hi: int) -> int:
    """The region of `level` in [lo, hi] with the most grids below it (the heaviest view)."""
    span = {"county": 10**6, "township": 10**3, "village": 1}[level]
    key = (Grid.village_id // span) * span if span > 1 else Grid.village_id
    row = session.exec(sa.select(key, sa.func.count()).where(Grid.village_id.between(lo, hi))
                       .group_by(key).order_by(sa.func.count().desc()).limit(1)).first()
    return int(row[0])


def measure(db: Path) -> list[tuple[str, str, int, float]]:
    """(view, region name, bytes, seconds) for the root view and the heaviest county, township and village."""
    engine = make_engine(f"sqlite:///{db}")
    as_of = get_settings().as_of
    out = []
    with Session(engine) as s:
        rid, level = s.exec(sa.select(Region.id, Region.level).where(Region.parent_id.is_(None))
                            .order_by(Region.id).limit(1)).one()
        scope = Scope(int(rid), level)
        views = [(level, int(rid))]
        for sub in ("county", "township", "village"):
            if sub != level and geo_layers.view_level(level) != "grid" and (sub != "county" or level == "city"):
                views.append((sub, _largest(s, sub, scope.lo, scope.hi)))
        for lvl, region_id in views:
            t0 = time.perf_counter()
            size = len(deck_json(s, scope, region_id, lvl, as_of).encode())
            name = s.exec(sa.select(Region.name).where(Region.id == region_id)).scalar_one()
            out.append((lvl, str(name), size, time.perf_counter() - t0))
    engine.dispose()
    return out


def run() -> None:
    """Print the deck payload table."""
    db = bench_db()
    print(f"map payload — {db} ({db.stat().st_size / 1e6:,.0f} MB)")
    print(f"{'view':<10}{'region':<14}{'deck JSON':>12}{'limit':>10}{'prepare s':>11}  ok")
    for lvl, name, size, secs in measure(db):
        limit = LIMITS[lvl]
        print(f"{lvl:<10}{name:<14}{size / 1e6:>10.3f}MB{limit / 1e6:>8.0f}MB{secs:>11.2f}  {'✓' if size < limit else '✗'}")


if __name__ == "__main__":
    run()
