"""民情 appeals over the window, inside their grids, with planted anomalies recorded as truth."""

from __future__ import annotations

import json

import numpy as np
import shapely

from core.enums import APPEAL_CATEGORIES, APPEAL_CHANNELS, AppealLevel, AppealStatus
from core.models import Appeal, PlantedAnomaly
from seed.chunk import Chunk
from seed.context import SeedContext, VillageUnit, sql_times
from seed.tasks import day_weights

CHANNEL_P = [0.45, 0.2, 0.15, 0.12, 0.08]
CATEGORY_BASE = np.array([0.24, 0.14, 0.1, 0.18, 0.14, 0.1, 0.04, 0.06])
LEVELS = [AppealLevel.GRID, AppealLevel.VILLAGE, AppealLevel.TOWNSHIP, AppealLevel.COUNTY]
LEVEL_P = [0.55, 0.26, 0.14, 0.05]
LEVEL_CLOSE_DAYS = np.array([0.8, 2.0, 5.0, 10.0])
DUE_DAYS = 5
NEW_CATEGORY = APPEAL_CATEGORIES.index("治安防控")
# 停报 village's expected appeals a month before it stops: the detector ignores a village expecting
# fewer than 5 in 30 days, and a village picked at random on the thin presets sits right at that floor.
SILENT_MONTHLY_FLOOR = 20.0


def _points_in(geom, n: int, rng: np.random.Generator) -> np.ndarray:
    """n uniform random points inside a polygon (rejection sampling on its bounds)."""
    minx, miny, maxx, maxy = geom.bounds
    out = np.empty((0, 2))
    shapely.prepare(geom)
    while len(out) < n:
        cand = rng.uniform((minx, miny), (maxx, maxy), size=(max(16, 2 * (n - len(out))), 2))
        out = np.vstack([out, cand[shapely.contains_xy(geom, cand[:, 0], cand[:, 1])]])
    return out[:n].round(5)


def write_appeals(ctx: SeedContext, ch: Chunk, plan: dict) -> None:
    """All appeals of one chunk of villages, with the planted extras that fall in it."""
    rng = ctx.rng(ch.county_id // 1_000_000, 21, ch.seq)
    rate = ctx.preset.appeals_per_village_year * ctx.preset.months / 12 / (ctx.preset.grid_mean * 190)  # per household
    cat_p = rng.dirichlet(CATEGORY_BASE * 25, size=ch.size)
    new = ch.ids == plan["new_village"]
    cat_p[new, NEW_CATEGORY] = 0.0
    cat_p /= cat_p.sum(axis=1, keepdims=True)
    gvi = np.repeat(np.arange(ch.size), ch.grid_count)  # village position of each grid
    hh = np.array([h for v in ch.villages for h in v.grid_households], dtype=float)
    expect = rate * hh * np.exp(-0.25 * ch.quality[gvi])  # appeals per grid over the window
    per_grid = rng.poisson(expect * _silent_boost(ctx, ch, plan, gvi, expect)[gvi])
    gpos = np.repeat(np.arange(len(gvi)), per_grid)
    days = rng.choice(ctx.days, size=len(gpos), p=day_weights(ctx))
    keep = ~((ch.ids[gvi[gpos]] == plan["silent_village"]) & (days >= ctx.days - 45))
    gpos, days = gpos[keep], days[keep]
    secs = days * 86400 + rng.integers(7 * 3600, 21 * 3600, len(days))
    cdf = np.cumsum(cat_p, axis=1)[gvi[gpos]]
    cats = np.minimum((rng.random(len(gpos))[:, None] > cdf).sum(axis=1), len(CATEGORY_BASE) - 1)
    extra = [e for e in plan["extras"] if e["grid"] in set(ch.grid_ids.tolist())]
    for e in extra:
        at = int(np.searchsorted(ch.grid_ids, e["grid"]))
        gpos = np.concatenate([gpos, np.full(len(e["secs"]), at)])
        secs = np.concatenate([secs, e["secs"]])
        cats = np.concatenate([cats, np.full(len(e["secs"]), e["cat"])])
    order = np.lexsort((ch.grid_ids[gpos], secs))
    gpos, secs, cats = gpos[order], secs[order], cats[order]
    xy = _grid_points(ch, gpos, rng)
    _write(ctx, rng, ch, gvi[gpos], gpos, secs, cats, xy)


def _silent_boost(ctx: SeedContext, ch: Chunk, plan: dict, gvi: np.ndarray, expect: np.ndarray) -> np.ndarray:
    """Rate factor per village of the chunk: 1, except the 停报 village raised to SILENT_MONTHLY_FLOOR a month."""
    boost = np.ones(ch.size)
    silent = ch.ids == plan["silent_village"]
    if silent.any():
        monthly = np.bincount(gvi, weights=expect, minlength=ch.size)[silent] / ctx.preset.months
        boost[silent] = np.maximum(1.0, SILENT_MONTHLY_FLOOR / monthly)
    return boost


def _grid_points(ch: Chunk, gpos: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A uniform random point inside its grid for every appeal (one rejection sampler per grid)."""
    xy = np.empty((len(gpos), 2))
    if not len(gpos):
        return xy
    by_grid = np.argsort(gpos, kind="stable")
    bounds = np.searchsorted(gpos[by_grid], np.arange(len(ch.grid_ids) + 1))
    geoms = [g for v in ch.villages for g in v.grid_geoms]
    for g in np.nonzero(np.diff(bounds))[0].tolist():
        rows = by_grid[bounds[g]:bounds[g + 1]]
        xy[rows] = _points_in(geoms[g], len(rows), rng)
    return xy


def _write(ctx: SeedContext, rng, ch: Chunk, vidx, gpos, secs, cats, xy) -> None:
    n = len(vidx)
    q = ch.quality[vidx]
    reported = np.datetime64(ctx.start, "s") + secs.astype("timedelta64[s]")
    lvl = rng.choice(4, size=n, p=LEVEL_P)
    resp_h = rng.exponential(5.0 * np.exp(-0.35 * q)) + 0.2
    first = reported + (resp_h * 3600).astype("timedelta64[s]")
    close_d = rng.exponential(LEVEL_CLOSE_DAYS[lvl] * np.exp(-0.25 * q)) + resp_h / 24
    closed = reported + (close_d * 86400).astype("timedelta64[s]")
    due = reported + np.timedelta64(DUE_DAYS * 86400, "s")
    as_of_end = np.datetime64(ctx.as_of, "s") + np.timedelta64(86399, "s")
    is_closed = closed <= as_of_end
    responded = first <= as_of_end
    good_p = 1 / (1 + np.exp(-(1.9 + 0.7 * q - 0.5 * (close_d > DUE_DAYS))))
    u = rng.random(n)
    rating = np.where(u < good_p, 0, np.where(u < good_p + (1 - good_p) * 0.7, 1, 2))
    rated = is_closed & (rng.random(n) < 0.85)
    channel = rng.choice(len(APPEAL_CHANNELS), size=n, p=CHANNEL_P)
    levels = np.array([str(lv) for lv in LEVELS], dtype=object)[lvl]
    status = np.where(is_closed, str(AppealStatus.CLOSED),
                      np.where(responded, str(AppealStatus.HANDLING), str(AppealStatus.REPORTED)))
    ctx.write(Appeal.__table__, n, {
        "id": list(ctx.ids("appeal", n)), "village_id": ch.ids[vidx].tolist(), "grid_id": ch.grid_ids[gpos].tolist(),
        "category": np.array(APPEAL_CATEGORIES, dtype=object)[cats].tolist(),
        "channel": np.array(APPEAL_CHANNELS, dtype=object)[channel].tolist(),
        "lon": xy[:, 0].tolist(), "lat": xy[:, 1].tolist(),
        "reported_at": sql_times(reported), "due_at": sql_times(due),
        "first_response_at": sql_times(first, responded), "closed_at": sql_times(closed, is_closed),
        "status": status.astype(object).tolist(), "level": levels.tolist(),
        "closing_level": np.where(is_closed, levels, None).tolist(),  # type: ignore[attr-defined]  # numpy's stubs reject None as where()'s fill
        "rating": np.where(rated, np.array(["good", "mid", "bad"], dtype=object)[rating], None).tolist(),  # type: ignore[call-overload]  # numpy's stubs reject None as where()'s fill
        "handler_id": ch.grid_workers[gpos].tolist(),
    })


def plan_anomalies(ctx: SeedContext, villages: list[VillageUnit], county_id: int) -> dict:
    """Pick distinct villages and grids of the county for each planted anomaly kind; write the truth rows."""
    rng = ctx.rng(county_id // 1_000_000, 21)
    picks = rng.choice(len(villages), size=min(5, len(villages)), replace=False).tolist()
    days = ctx.days
    extras, truth = [], []

    def record(kind, vi, grid, cat, d0, d1, detail):
        truth.append({"kind": kind, "village_id": villages[vi].id, "grid_id": grid, "category": cat,
                      "start_on": ctx.day(d0), "end_on": ctx.day(d1), "detail": json.dumps(detail, ensure_ascii=False)})

    vi = picks[0]  # 突发/群发: a burst of disputes in one grid within two days
    g = villages[vi].grid_ids[0]
    d0 = days - int(rng.integers(20, 80))
    secs = d0 * 86400 + rng.integers(0, 2 * 86400, 18)
    extras.append({"vi": vi, "grid": g, "cat": APPEAL_CATEGORIES.index("矛盾纠纷"), "secs": secs})
    record("burst", vi, g, "矛盾纠纷", d0, d0 + 1, {"added": 18, "window_hours": 48})
    vi = picks[1]  # 高发/多发: a month at several times the grid's baseline
    g = villages[vi].grid_ids[-1]
    d0 = days - 30
    secs = d0 * 86400 + rng.integers(0, 30 * 86400, 30)
    extras.append({"vi": vi, "grid": g, "cat": APPEAL_CATEGORIES.index("环境卫生"), "secs": secs})
    record("high", vi, g, "环境卫生", d0, days - 1, {"added": 30, "window_days": 30})
    vi = picks[2]  # 顽疾: the same problem at the same grid month after month
    g = villages[vi].grid_ids[len(villages[vi].grid_ids) // 2]
    d0 = days - 180
    secs = np.concatenate([(d0 + 30 * k) * 86400 + rng.integers(0, 30 * 86400, 6) for k in range(6)])
    extras.append({"vi": vi, "grid": g, "cat": APPEAL_CATEGORIES.index("基础设施"), "secs": secs})
    record("chronic", vi, g, "基础设施", d0, days - 1, {"added_per_month": 6, "months": 6})
    vi = picks[3]  # 新苗头: a category the village never had appears
    g = villages[vi].grid_ids[0]
    d0 = days - 25
    secs = d0 * 86400 + rng.integers(0, 20 * 86400, 5)
    extras.append({"vi": vi, "grid": g, "cat": NEW_CATEGORY, "secs": secs})
    record("new", vi, g, APPEAL_CATEGORIES[NEW_CATEGORY], d0, days - 1, {"added": 5})
    vi = picks[4]  # 停报: the village stops reporting for the last 45 days
    record("silent", vi, None, None, days - 45, days - 1, {"silent_days": 45})
    ctx.insert(PlantedAnomaly.__table__, truth)
    return {"extras": extras, "new_village": villages[picks[3]].id, "silent_village": villages[picks[4]].id}
